"""What a runtime is to lambda_magic: the one protocol every language plugs in behind.

The lifecycle, limits, logs and REPORT are the platform's and the same for every language; a
runtime says only what differs (AWS's words: the programming model holds "regardless of whether
you're writing in Python, Java, or any other supported language"):

* its identifier (``python3.12``), the label INIT_START shows (``python:3.12.v7``) and the
  ``AWS_EXECUTION_ENV`` it sets (``AWS_Lambda_python3.12``; none for OS-only runtimes);
* the package layout: the main file a cell holds and the default handler;
* how a handler string is resolved from the code, and a syntax check before anything starts;
* how its process starts (the built-in runtime of this Python, forked ready; or a command).

A new runtime is a new module in this package registered in :mod:`lambda_magic.runtimes`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lambda_magic.core.config import FunctionConfig
    from lambda_magic.core.errors import ErrorPayload


class Runtime(Protocol):
    """One Lambda runtime (``python3.12``, ``nodejs22.x``, ...)."""

    @property
    def id(self) -> str:
        """Lambda's runtime identifier."""

    @property
    def main_file(self) -> str:
        """The file a ``%%lambda_handler`` cell becomes (``lambda_function.py``)."""

    @property
    def default_handler(self) -> str:
        """The handler when none is given (``lambda_function.lambda_handler``)."""

    @property
    def version_label(self) -> str:
        """``INIT_START Runtime Version: <label>``, e.g. ``python:3.12.v7``."""

    @property
    def execution_env(self) -> str | None:
        """``AWS_EXECUTION_ENV`` (``AWS_Lambda_python3.12``), or None (OS-only runtimes)."""

    def infer_handler(self, code: str) -> str:
        """The handler string for a main file holding ``code``."""

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """``Runtime.UserCodeSyntaxError`` for ``code`` (seen by the runtime at ``path``)."""

    def command(self, config: FunctionConfig) -> list[str] | None:
        """The command that starts the runtime, or None for the built-in Python runtime (forked
        from the sandbox manager, already imported)."""


def version_arn_digest(label: str, detail: str) -> str:
    """The 64 hex digits of ``Runtime Version ARN: arn:aws:lambda:<region>::runtime:<digest>``
    for a runtime build (``detail`` names what runs it, e.g. the interpreter's full version)."""
    return hashlib.sha256(f"{label}|{detail}".encode()).hexdigest()
