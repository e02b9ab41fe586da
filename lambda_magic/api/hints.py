"""Notes on a failed invocation whose cause is where a notebook and Lambda differ.

Each environment has its own ``/tmp`` (as on Lambda), so a file the notebook wrote to the
machine's ``/tmp`` is not there inside the function; the common case is an AWS credentials or
config file that ``AWS_SHARED_CREDENTIALS_FILE``/``AWS_CONFIG_FILE`` points to under ``/tmp``.
"""

from __future__ import annotations

import os
import re

from lambda_magic.engine.result import InvocationResult

_MISSING_FILE = re.compile(r"No such file or directory: '(/tmp/[^']+)'")
_NO_CREDENTIALS = ("Unable to locate credentials", "NoCredentialsError", "ProfileNotFound")


def private_tmp_note(result: InvocationResult) -> str | None:
    """The note for ``result`` when a missing /tmp file exists on this machine (or the AWS
    files live there), else None. Call only where environments have a private /tmp."""
    error = result.error
    if error is None:
        return None
    text = f"{error.error_type}: {error.error_message}"
    match = _MISSING_FILE.search(text)
    if match and os.path.exists(match.group(1)):
        return (
            f"{match.group(1)} exists on this machine, but each execution environment has its "
            "own /tmp, as on Lambda: ship the file in the package (%%lambda_file), or write it "
            "from the handler"
        )
    aws_files = [
        f"{name}={os.environ[name]}"
        for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
        if os.environ.get(name, "").startswith("/tmp/")
    ]
    if aws_files and any(marker in text for marker in _NO_CREDENTIALS):
        return (
            f"{', '.join(aws_files)} points into this machine's /tmp, which environments do not "
            "see (each has its own /tmp): move the file elsewhere, or pass the credentials as "
            "environment variables"
        )
    return None
