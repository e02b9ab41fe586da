"""A function's deployment package on disk, and the checks Lambda makes on what it is given.

Packages are written under ``LAMBDA_MAGIC_HOME`` (default ``/var/tmp/lambda_magic-<uid>``, else
``~/.cache/lambda_magic``), never under ``/tmp``, which environments replace with their own.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from lambda_magic.core.errors import ConfigError, InvalidRequestError
from lambda_magic.platform.runtime_api.models import MAX_SYNC_PAYLOAD_BYTES


def check_path(path: str) -> str:
    norm = os.path.normpath(path)
    if os.path.isabs(path) or norm.startswith("..") or norm in (".", ""):
        raise ConfigError(f"file path {path!r} must be relative and inside the package")
    return norm


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (and Lambda's parser) does not.
    raise ValueError(f"Non-standard token '{name}'")


def encode_event(
    event: Any = None,
    payload: bytes | str | None = None,
    limit: int = MAX_SYNC_PAYLOAD_BYTES,
    operation: str = "InvokeFunction",
) -> bytes:
    """The invocation payload, refused as Lambda refuses it (not JSON, or over the limit:
    6 MB for synchronous invocations, 1 MB for asynchronous ones)."""
    if payload is not None:
        body = payload.encode() if isinstance(payload, str) else bytes(payload)
        try:
            json.loads(body, parse_constant=_refuse_constant)
        except ValueError as e:
            raise InvalidRequestError(
                "InvalidRequestContentException", f"Could not parse request body into json: {e}"
            ) from None
    else:
        try:
            body = json.dumps({} if event is None else event, allow_nan=False).encode()
        except (TypeError, ValueError) as e:
            raise InvalidRequestError(
                "InvalidRequestContentException", f"the event is not JSON-serializable: {e}"
            ) from None
    if len(body) > limit:
        raise InvalidRequestError(
            "RequestTooLargeException",
            f"Request must be smaller than {limit} bytes for the {operation} operation "
            f"(this event is {len(body)} bytes)",
        )
    return body


#: The largest client context Lambda's Invoke takes: 3,583 bytes of base64-encoded JSON.
MAX_CLIENT_CONTEXT_BYTES = 3583


def encode_client_context(context: Any) -> str:
    """The client context as the runtime receives it (JSON), refused as Invoke refuses one
    over 3,583 bytes once base64-encoded (its size in the ``X-Amz-Client-Context`` header)."""
    try:
        text = json.dumps(dict(context), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise InvalidRequestError(
            "InvalidRequestContentException",
            f"Client context must be a valid Base64-encoded JSON object: {e}",
        ) from None
    size = 4 * -(-len(text.encode()) // 3)
    if size > MAX_CLIENT_CONTEXT_BYTES:
        raise InvalidRequestError(
            "InvalidParameterValueException",
            f"Client context must be at most {MAX_CLIENT_CONTEXT_BYTES} bytes once base64-encoded; "
            f"this one is {size} bytes",
        )
    return text


BASE: str | None = None


def is_program(path: str, content: bytes) -> bool:
    """Whether a package file is kept executable: ``bootstrap``, a ``#!`` script, an ELF binary."""
    return (
        os.path.basename(path) == "bootstrap" or content[:2] == b"#!" or content[:4] == b"\x7fELF"
    )


def copy_tree(source: str, target: str) -> None:
    """Copy the directory ``source`` to ``target``, hard-linking files where the filesystem
    allows (an npm install shared by functions costs no space)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)


def remove_tree(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _candidate_roots() -> list[str]:
    uid = os.getuid()
    roots = [
        os.environ.get("LAMBDA_MAGIC_HOME", ""),
        f"/var/tmp/lambda_magic-{uid}",
        os.path.join(os.path.expanduser("~"), ".cache", "lambda_magic"),
    ]
    return [os.path.abspath(r) for r in roots if r]


def base_dir() -> str:
    """Where this process keeps code packages: never under /tmp, which environments replace
    with their own (``LAMBDA_MAGIC_HOME``, else /var/tmp, else ~/.cache)."""
    global BASE
    if BASE is not None:
        return BASE
    for root in _candidate_roots():
        try:
            os.makedirs(root, mode=0o700, exist_ok=True)
            for name in os.listdir(root):  # packages of processes that are gone
                pid = name.split("-", 1)[0]
                if pid.isdigit() and os.path.exists("/proc") and not os.path.exists(f"/proc/{pid}"):
                    remove_tree(os.path.join(root, name))
            base = os.path.join(root, f"{os.getpid()}-{uuid.uuid4().hex[:6]}")
            os.makedirs(base)
        except OSError:
            continue
        BASE = base
        return base
    raise OSError("no writable directory for code packages: set LAMBDA_MAGIC_HOME")


class CodePackage:
    """A function's files on disk: its own directory under :func:`base_dir`, holding one
    read-only code directory (its ``LAMBDA_TASK_ROOT``) per revision."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._work_dir: str | None = None
        self._code_dirs: dict[int, str] = {}
        self._lock = threading.Lock()

    def work_dir(self) -> str:
        """The function's private directory (code packages, fallback /tmp directories)."""
        with self._lock:
            if self._work_dir is None:
                self._work_dir = os.path.join(base_dir(), f"{self.name}-{uuid.uuid4().hex[:8]}")
                os.makedirs(self._work_dir, exist_ok=True)
            return self._work_dir

    def code_dir(
        self, revision: int, files: Mapping[str, bytes], trees: Mapping[str, str] | None = None
    ) -> str:
        """The code directory of ``revision`` (written once, then read-only as on Lambda):
        ``files``, and the directories of ``trees`` copied in (hard links where possible).
        A file that is a program (``bootstrap``, a ``#!`` script, an ELF binary) is executable."""
        work = self.work_dir()
        with self._lock:  # concurrent cold starts of a new revision write it once
            path = self._code_dirs.get(revision)
            if path is None:
                path = os.path.join(work, f"task-r{revision}")
                os.makedirs(path)
                for rel, content in files.items():
                    target = os.path.join(path, rel)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as f:
                        f.write(content)
                    os.chmod(target, 0o555 if is_program(rel, content) else 0o444)
                for rel, source in (trees or {}).items():
                    copy_tree(source, os.path.join(path, rel))
                self._code_dirs[revision] = path
            return path

    def remove(self) -> None:
        """Remove every file of the function (it starts afresh if used again)."""
        with self._lock:
            work, self._work_dir = self._work_dir, None
            self._code_dirs.clear()
        if work is not None:
            remove_tree(work)
