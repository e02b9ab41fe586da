"""Lambda's error shapes and lambda_magic's exception hierarchy.

The wire shape of a function error is exactly the one the Python runtime produces
(``{"errorMessage", "errorType", "requestId", "stackTrace"}``, in that order); platform errors
such as ``Sandbox.Timedout`` carry only ``errorMessage`` and ``errorType``.
"""

from __future__ import annotations

import json
import os
import signal
from dataclasses import dataclass, field
from typing import Any


class ErrorType:
    """The ``errorType`` strings Lambda uses, as constants (no free-typed strings elsewhere)."""

    IMPORT_MODULE = "Runtime.ImportModuleError"
    SYNTAX = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    MALFORMED_HANDLER = "Runtime.MalformedHandlerName"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MARSHAL = "Runtime.MarshalError"
    UNMARSHAL = "Runtime.UnmarshalError"
    CONTEXT_UNMARSHAL = "Runtime.LambdaContextUnmarshalError"
    EXIT = "Runtime.ExitError"
    OUT_OF_MEMORY = "Runtime.OutOfMemory"
    UNKNOWN = "Runtime.Unknown"
    TIMEOUT = "Sandbox.Timedout"
    RESPONSE_TOO_LARGE = "Function.ResponseSizeTooLarge"
    INVALID_RESPONSE_MODE = "Runtime.InvalidResponseModeHeader"
    INVALID_ENTRYPOINT = "Runtime.InvalidEntrypoint"


@dataclass(frozen=True)
class ErrorPayload:
    """A Lambda error as the caller receives it.

    ``request_id`` and ``stack_trace`` are ``None`` for platform errors, whose JSON has only
    ``errorMessage`` and ``errorType``.
    """

    error_message: str
    error_type: str
    request_id: str | None = None
    stack_trace: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object in Lambda's key order."""
        out: dict[str, Any] = {"errorMessage": self.error_message, "errorType": self.error_type}
        if self.request_id is not None:
            out["requestId"] = self.request_id
        if self.stack_trace is not None:
            out["stackTrace"] = list(self.stack_trace)
        out.update(self.extra)
        return out

    def to_json(self) -> str:
        """Serialize exactly as Lambda returns it to the caller."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> ErrorPayload:
        """Build from an error object posted by a runtime; tolerant of missing keys."""
        if not isinstance(data, dict):
            return cls(str(data), ErrorType.UNKNOWN)
        known = {"errorMessage", "errorType", "requestId", "stackTrace"}
        trace = data.get("stackTrace")
        return cls(
            error_message=str(data.get("errorMessage", "")),
            error_type=str(data.get("errorType", "")),
            request_id=data.get("requestId") if "requestId" in data else None,
            stack_trace=[str(x) for x in trace] if isinstance(trace, list) else None,
            extra={k: v for k, v in data.items() if k not in known},
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> ErrorPayload:
        """Parse an error body; a body that is not JSON becomes ``Runtime.Unknown``."""
        try:
            return cls.from_dict(json.loads(text))
        except ValueError:
            raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            return cls(raw, ErrorType.UNKNOWN)

    @classmethod
    def platform(cls, request_id: str, error_type: str, detail: str) -> ErrorPayload:
        """A platform error (``Sandbox.Timedout``, ``Runtime.ExitError``…) in Lambda's form."""
        return cls(f"RequestId: {request_id} Error: {detail}", error_type)


class LambdaMagicError(Exception):
    """Base class of every error lambda_magic raises."""


class ConfigError(LambdaMagicError, ValueError):
    """A function configuration value is invalid; the message names the field and allowed values."""


class PackageError(ConfigError):
    """The deployment package cannot be built: a tool its runtime needs is missing, the code
    does not compile, or its dependencies cannot be installed. Nothing starts."""


class InvalidRequestError(LambdaMagicError, ValueError):
    """The invocation request was refused before anything ran (Lambda's 4xx errors)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message


class TooManyRequestsError(LambdaMagicError):
    """Lambda's ``TooManyRequestsException`` (HTTP 429): the invocation was throttled."""

    def __init__(self, reason: str, message: str = "Rate Exceeded.") -> None:
        super().__init__(f"TooManyRequestsException: {message} (Reason: {reason})")
        self.error_type = "TooManyRequestsException"
        self.reason = reason
        self.message = message


class FunctionError(LambdaMagicError):
    """Raised on request (``result.raise_for_error()``, ``--raise``) for a failed invocation.

    Its traceback, when IPython shows it, is the handler's own stack trace from inside the
    execution environment, never lambda_magic's internals.
    """

    def __init__(self, payload: ErrorPayload, function_name: str = "") -> None:
        self.payload = payload
        self.function_name = function_name
        super().__init__(f"{payload.error_type}: {payload.error_message}")

    @property
    def error_type(self) -> str:
        """Lambda's errorType, e.g. ``KeyError`` or ``Sandbox.Timedout``."""
        return self.payload.error_type

    def _render_traceback_(self) -> list[str]:
        lines = [f"{self.payload.error_type}: {self.payload.error_message}"]
        if self.payload.stack_trace:
            lines.insert(0, "Traceback (most recent call last, inside the execution environment):")
            lines[1:1] = [line.rstrip("\n") for line in self.payload.stack_trace]
        return lines


class InvocationInterrupted(LambdaMagicError):
    """The caller interrupted an invocation (Ctrl-C, kernel interrupt); its environment was
    reset. Shown by IPython as one short message, not a traceback."""

    def __init__(self, function_name: str, request_id: str, detail: str | None = None) -> None:
        super().__init__(
            detail
            or f"Interrupted: invocation {request_id} of {function_name} was stopped and its "
            "environment reset (the next invoke is a cold start)"
        )
        self.function_name = function_name
        self.request_id = request_id

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


class SandboxError(LambdaMagicError):
    """An execution environment could not be started or controlled (a problem of this machine,
    not of the function's code)."""


def exit_reason(status: int | None) -> str:
    """Lambda's words for how a runtime ended: ``exit status 1``, ``signal: killed``…"""
    if status is None:
        return "Runtime exited without providing a reason"
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return f"Runtime exited with error: exit status {code}"
    name = _SIGNAL_NAMES.get(signal.Signals(-code)) if -code in signal.valid_signals() else None
    return f"Runtime exited with error: signal: {name or f'signal {-code}'}"


# The names Go's os/exec prints (Lambda's platform is written in Go).
_SIGNAL_NAMES = {
    signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault", signal.SIGABRT: "aborted",
    signal.SIGTERM: "terminated", signal.SIGINT: "interrupt", signal.SIGBUS: "bus error",
    signal.SIGFPE: "floating point exception", signal.SIGILL: "illegal instruction",
    signal.SIGHUP: "hangup", signal.SIGPIPE: "broken pipe", signal.SIGQUIT: "quit",
    signal.SIGUSR1: "user defined signal 1", signal.SIGUSR2: "user defined signal 2",
    signal.SIGTRAP: "trace/breakpoint trap", signal.SIGSYS: "bad system call",
    signal.SIGXCPU: "CPU time limit exceeded", signal.SIGXFSZ: "file size limit exceeded",
}  # fmt: skip
