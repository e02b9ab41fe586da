"""The Python runtime: ``python3.10`` to ``python3.13``, run by the kernel's own interpreter.

Environments run the Python that runs the notebook (its version is the one the INIT_START label
names); a function may ask for another Python id, and lambda_magic says plainly that this
machine's interpreter runs it (see :func:`interpreter_note`).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

from lambda_magic.core.config import DEFAULT_HANDLER, DEFAULT_RUNTIME, RUNTIMES, FunctionConfig
from lambda_magic.core.errors import ErrorPayload, ErrorType
from lambda_magic.runtimes.base import version_arn_digest

MAIN_FILE = "lambda_function.py"
IDS = tuple(r for r in RUNTIMES if r.startswith("python"))
#: The id of the Python running here (``python3.11``).
HERE = DEFAULT_RUNTIME


@dataclass(frozen=True)
class PythonRuntime:
    """A Python runtime id, served by this machine's interpreter."""

    id: str = HERE
    main_file: str = MAIN_FILE
    default_handler: str = DEFAULT_HANDLER

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

    def command(self, config: FunctionConfig) -> list[str] | None:
        """``runtime_command`` (``{handler}`` replaced) when set; else the built-in runtime."""
        if not config.runtime_command:
            return None
        return [a.replace("{handler}", config.handler) for a in config.runtime_command]


def interpreter_note(runtime_id: str) -> str | None:
    """What to tell a user who asked for a Python id this machine does not run, or None."""
    if runtime_id == HERE:
        return None
    return (
        f"{runtime_id} was asked for; this machine runs Python "
        f"{sys.version_info.major}.{sys.version_info.minor} for it (the kernel's interpreter)"
    )
