"""The Python runtime: ``python3.10`` to ``python3.13``, run by the kernel's own interpreter.

Environments run the Python that runs the notebook (its version is the one the INIT_START label
names); a function may ask for another Python id, and lambda_magic says plainly that this
machine's interpreter runs it (see :meth:`PythonRuntime.machine_note`).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from lambda_magic.core.config import DEFAULT_HANDLER, DEFAULT_RUNTIME, RUNTIMES, FunctionConfig
from lambda_magic.core.errors import ErrorPayload, ErrorType
from lambda_magic.runtimes.base import Package, custom_command, version_arn_digest

MAIN_FILE = "lambda_function.py"
IDS = tuple(r for r in RUNTIMES if r.startswith("python"))
#: The id of the Python running here (``python3.11``).
HERE = DEFAULT_RUNTIME


@dataclass(frozen=True)
class PythonRuntime:
    """A Python runtime id, served by this machine's interpreter."""

    id: str = HERE
    default_handler: str = DEFAULT_HANDLER

    def main_file(self, code: str) -> str:
        """``lambda_function.py``."""
        return MAIN_FILE

    @property
    def version_label(self) -> str:
        """``python:3.11.v7``: the interpreter's micro version after ``v`` (Lambda shows its
        own release counter there)."""
        major, minor, micro = sys.version_info[:3]
        return f"python:{major}.{minor}.v{micro}"

    @property
    def execution_env(self) -> str:
        """``AWS_Lambda_python3.11``: the function's runtime id."""
        return f"AWS_Lambda_{self.id}"

    @property
    def version_digest(self) -> str:
        """The runtime version ARN's digest for this interpreter and lambda_magic."""
        from lambda_magic.core.version import __version__

        return version_arn_digest(self.version_label, f"{sys.version}|{__version__}")

    def infer_handler(self, code: str) -> str:
        """``lambda_function.lambda_handler``, or ``lambda_function.handler`` for a module that
        defines only ``handler``."""
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return DEFAULT_HANDLER
        names = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if "lambda_handler" not in names and "handler" in names:
            return "lambda_function.handler"
        return DEFAULT_HANDLER

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """Lambda's ``Runtime.UserCodeSyntaxError`` for the handler module, or None."""
        try:
            compile(code, path, "exec", dont_inherit=True)
        except SyntaxError as e:
            trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
            return ErrorPayload(
                f"Syntax error in module 'lambda_function': {e}", ErrorType.SYNTAX, "", trace
            )
        return None

    def require_tools(self) -> None:
        """Nothing: the kernel's interpreter runs Python functions."""

    def machine_note(self) -> str | None:
        """What to tell a user who asked for a Python id other than the kernel's, or None."""
        if self.id == HERE:
            return None
        return (
            f"{self.id} was asked for; this machine runs Python "
            f"{sys.version_info.major}.{sys.version_info.minor} for it (the kernel's interpreter)"
        )

    def build(self, files: Mapping[str, bytes]) -> Package:
        """The files as they are (Python needs no build)."""
        return Package(files)

    def entrypoint_problem(self, task_root: str, task_root_inside: str) -> str | None:
        """None: the built-in runtime is always there."""
        return None

    def command(
        self, config: FunctionConfig, task_root: str, task_root_inside: str
    ) -> list[str] | None:
        """``runtime_command`` (``{handler}`` replaced) when set; else the built-in runtime."""
        return custom_command(config)
