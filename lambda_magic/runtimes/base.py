"""What a runtime is to lambda_magic: the one protocol every language plugs in behind.

The lifecycle, limits, logs and REPORT are the platform's and the same for every language; a
runtime says only what differs (AWS's words: the programming model holds "regardless of whether
you're writing in Python, Java, or any other supported language"):

* its identifier (``python3.12``), the label INIT_START shows (``python:3.12.v7``) and the
  ``AWS_EXECUTION_ENV`` it sets (``AWS_Lambda_python3.12``; none for OS-only runtimes);
* the package layout: the main file a cell holds and the default handler;
* how a handler string is resolved from the code, and a syntax check before anything starts;
* what the machine needs (node, a JDK) and how a package is built (compiled, npm installed);
* how its process starts (the built-in runtime of this Python, forked ready; or a command).

A new runtime is a new module in this package registered in :mod:`lambda_magic.runtimes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lambda_magic.core.config import FunctionConfig
    from lambda_magic.core.errors import ErrorPayload


@dataclass(frozen=True)
class Package:
    """A built deployment package: the files to write into the task root, and directories
    copied in whole (``node_modules`` from an install cache), by their path in the package."""

    files: Mapping[str, bytes]
    trees: Mapping[str, str] = field(default_factory=dict)


class Runtime(Protocol):
    """One Lambda runtime (``python3.12``, ``nodejs22.x``, ...)."""

    @property
    def id(self) -> str:
        """Lambda's runtime identifier."""

    @property
    def default_handler(self) -> str:
        """The handler when none is given and none can be inferred."""

    @property
    def version_label(self) -> str:
        """``INIT_START Runtime Version: <label>``, e.g. ``python:3.12.v7``."""

    @property
    def version_digest(self) -> str:
        """The 64 hex digits of INIT_START's runtime version ARN."""

    @property
    def execution_env(self) -> str | None:
        """``AWS_EXECUTION_ENV`` (``AWS_Lambda_python3.12``), or None (OS-only runtimes)."""

    def main_file(self, code: str) -> str | None:
        """The file a ``%%lambda_handler`` cell holding ``code`` becomes (``lambda_function.py``;
        for Java the path its package and class name give); None where blank code is no file
        (a function made of ``files`` alone)."""

    def infer_handler(self, code: str) -> str:
        """The handler string for a main file holding ``code``."""

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """``Runtime.UserCodeSyntaxError`` for ``code`` (seen by the runtime at ``path``), where
        the runtime can tell without starting; None otherwise."""

    def require_tools(self) -> None:
        """Raise :class:`~lambda_magic.core.errors.PackageError` naming what to install when
        this machine lacks a tool the runtime needs (checked when a function is created)."""

    def machine_note(self) -> str | None:
        """What runs the function here when it is not exactly what Lambda runs (another
        version of the language), or None."""

    def build(self, files: Mapping[str, bytes]) -> Package:
        """The deployment package of ``files`` (compiled, dependencies installed), as a
        developer builds it before zipping; errors raise
        :class:`~lambda_magic.core.errors.PackageError` and nothing starts."""

    def entrypoint_problem(self, task_root: str, task_root_inside: str) -> str | None:
        """Why the runtime cannot be started from the package at ``task_root`` (seen inside as
        ``task_root_inside``), in Lambda's words (``Couldn't find valid bootstrap(s): …``);
        Init fails with ``Runtime.InvalidEntrypoint``. None when it can."""

    def command(
        self, config: FunctionConfig, task_root: str, task_root_inside: str
    ) -> list[str] | None:
        """The command that starts the runtime from the package at ``task_root`` (seen inside as
        ``task_root_inside``), or None for the built-in Python runtime (forked from the sandbox
        manager, already imported)."""


def custom_command(config: FunctionConfig) -> list[str] | None:
    """``runtime_command`` with ``{handler}`` replaced, when the function sets one."""
    if not config.runtime_command:
        return None
    return [a.replace("{handler}", config.handler) for a in config.runtime_command]


def version_arn_digest(label: str, detail: str) -> str:
    """The 64 hex digits of ``Runtime Version ARN: arn:aws:lambda:<region>::runtime:<digest>``
    for a runtime build (``detail`` names what runs it, e.g. the interpreter's full version)."""
    return hashlib.sha256(f"{label}|{detail}".encode()).hexdigest()
