"""The OS-only runtime ``provided.al2023``: the function brings its own runtime, an executable
``bootstrap`` at the root of its package, which Lambda runs in the task root with ``_HANDLER``
and ``AWS_LAMBDA_RUNTIME_API`` set and no ``AWS_EXECUTION_ENV``.

A ``%%lambda_handler`` cell is the handler's file, ``function.sh`` (handler
``function.handler``, as in AWS's bash tutorial, whose bootstrap sources
``$LAMBDA_TASK_ROOT/<file>.sh`` and calls ``<function>``); the bootstrap comes from a
``%%lambda_file NAME bootstrap`` cell. The package keeps ``bootstrap`` and every file that
starts with ``#!`` or is an ELF binary executable (as ``chmod +x`` before zipping does). The
bootstrap runs on this machine's OS, not Amazon Linux 2023: the programs it calls (``curl``,
``jq``) are the machine's; ``/bin/sh`` is bash, as on Amazon Linux (a ``#!/bin/sh`` bootstrap
runs in bash, and in Lambda's view of the file system ``/bin/sh`` itself is bash).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ErrorPayload
from lambda_magic.runtimes.base import Package, custom_command, version_arn_digest

IDS = ("provided.al2023",)
MAIN_FILE = "function.sh"
DEFAULT_HANDLER = "function.handler"
#: The runtime's own release counter (INIT_START ``provided:al2023.v<release>``).
RELEASE = 1


@dataclass(frozen=True)
class ProvidedRuntime:
    """``provided.al2023``: the package's ``bootstrap`` is the runtime."""

    id: str = "provided.al2023"
    default_handler: str = DEFAULT_HANDLER

    @property
    def version_label(self) -> str:
        """``provided:al2023.v1``."""
        return f"provided:{self.id.split('.', 1)[1]}.v{RELEASE}"

    @property
    def version_digest(self) -> str:
        """The runtime version ARN's digest for this release and lambda_magic."""
        from lambda_magic.core.version import __version__

        return version_arn_digest(self.version_label, __version__)

    @property
    def execution_env(self) -> None:
        """None: Lambda sets no ``AWS_EXECUTION_ENV`` for OS-only runtimes."""
        return None

    def main_file(self, code: str) -> str | None:
        """``function.sh``; None for blank code (the bootstrap may need no other file)."""
        return MAIN_FILE if code.strip() else None

    def infer_handler(self, code: str) -> str:
        """``function.handler``."""
        return DEFAULT_HANDLER

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """None: what the bootstrap does with its files is its own affair."""
        return None

    def require_tools(self) -> None:
        """Nothing: the bootstrap is the function's."""

    def machine_note(self) -> str | None:
        """The bootstrap runs on this machine's OS."""
        return f"{self.id}: the bootstrap runs on this machine's OS, not Amazon Linux 2023"

    def build(self, files: Mapping[str, bytes]) -> Package:
        """The files as they are."""
        return Package(files)

    def entrypoint_problem(self, task_root: str, task_root_inside: str) -> str | None:
        """Lambda's words for a bootstrap that is missing, not executable or not a program."""
        path = os.path.join(task_root, "bootstrap")
        inside = f"{task_root_inside}/bootstrap"
        if not os.path.isfile(path):
            return f"Couldn't find valid bootstrap(s): [{inside} /opt/bootstrap]"
        if not os.access(path, os.X_OK):
            return f"fork/exec {inside}: permission denied"
        with open(path, "rb") as f:
            head = f.read(4)
        if not (head.startswith(b"#!") or head == b"\x7fELF"):
            return f"fork/exec {inside}: exec format error"
        return None

    def command(
        self, config: FunctionConfig, task_root: str, task_root_inside: str
    ) -> list[str] | None:
        """``<task root>/bootstrap`` (or ``runtime_command``). A ``#!/bin/sh`` bootstrap runs
        in bash where the machine's ``/bin/sh`` is another shell (Debian's dash): Amazon
        Linux's ``/bin/sh`` is bash, and bootstraps rely on it (``source``, ``pipefail``)."""
        custom = custom_command(config)
        if custom is not None:
            return custom
        with open(os.path.join(task_root, "bootstrap"), "rb") as f:
            first_line = f.readline(256).split()
        bash = shutil.which("bash")
        if first_line[:1] in ([b"#!/bin/sh"], [b"#!/usr/bin/sh"]) and bash and not _sh_is_bash():
            return [bash, "--posix", f"{task_root_inside}/bootstrap"]
        return [f"{task_root_inside}/bootstrap"]


def _sh_is_bash() -> bool:
    return os.path.basename(os.path.realpath("/bin/sh")) == "bash"
