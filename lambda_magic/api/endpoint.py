"""The Lambda API endpoint of this process, when one serves (``lambda_magic.serve()``).

While it runs, every new environment gets ``AWS_ENDPOINT_URL_LAMBDA`` pointing at it (botocore
1.31+ reads it), so that ``boto3.client("lambda").invoke(...)`` inside a handler invokes the
notebook's functions; and dummy credentials when the caller has none, since botocore signs every
request and refuses to without them. The server checks that a signature is there, not whose.
"""

from __future__ import annotations

import os
import threading

#: What environments get as credentials when the caller has none (never valid on AWS).
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIALAMBDAMAGICLOCAL",
    "AWS_SECRET_ACCESS_KEY": "lambda-magic-local-endpoint-only",
}
_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                         "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
                         "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE")  # fmt: skip

_url: str | None = None
_lock = threading.Lock()


def url() -> str | None:
    """``http://127.0.0.1:3001`` while a Lambda API server runs in this process, else None."""
    return _url


def caller_has_credentials() -> bool:
    """Whether this process has AWS credentials a handler's boto3 would find: variables, or a
    credentials or config file in ``~/.aws``."""
    if any(os.environ.get(name) for name in _CREDENTIAL_VARIABLES):
        return True
    home = os.path.expanduser("~/.aws")
    return any(os.path.exists(os.path.join(home, f)) for f in ("credentials", "config"))


def variables() -> dict[str, str]:
    """What a new environment gets while a server runs (nothing otherwise)."""
    current = _url
    if current is None:
        return {}
    found = {"AWS_ENDPOINT_URL_LAMBDA": current}
    if not caller_has_credentials():
        found.update(DUMMY_CREDENTIALS)
    return found


def announce(new_url: str | None) -> list[str]:
    """Record the server's URL (None when it stops). When a server starts, the warm
    environments of every function are reset: their variables were fixed without it, and a
    handler's boto3 would reach AWS instead. Returns the names of the functions reset."""
    from lambda_magic.api import live

    global _url
    with _lock:
        _url = new_url
    if new_url is None:
        return []
    reset = []
    for fn in live.live():
        if fn.environments:
            fn.reset()
            reset.append(fn.name)
    return sorted(reset)
