"""What an invocation returns: the response or error, the logs, and the REPORT figures."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from lambda_magic.core.errors import ErrorPayload, FunctionError
from lambda_magic.platform.logs import EVENT_OVERHEAD, LogEvent

_message = attrgetter("message")


@dataclass(frozen=True)
class Report:
    """The figures of a ``REPORT`` line, plus /tmp usage.

    ``billed_duration_ms`` is ``ceil(duration + init duration)``: since August 2025 Lambda bills
    the Init phase of on-demand functions too.
    """

    duration_ms: float
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None
    status: str = "success"
    error_type: str | None = None
    tmp_used_bytes: int = 0
    tmp_size_mb: int = 512

    @property
    def billed_duration_ms(self) -> int:
        """Billed Duration: Duration plus Init Duration, rounded up to the millisecond."""
        return math.ceil(self.duration_ms + (self.init_duration_ms or 0.0))

    def fields(self) -> list[str]:
        """The REPORT fields after the request id, in Lambda's order."""
        out = [
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_duration_ms} ms",
            f"Memory Size: {self.memory_size_mb} MB",
            f"Max Memory Used: {self.max_memory_used_mb} MB",
        ]
        if self.init_duration_ms is not None:
            out.append(f"Init Duration: {self.init_duration_ms:.2f} ms")
        if self.status == "timeout":
            out.append("Status: timeout")
        elif self.status == "error" and self.error_type:
            out += ["Status: error", f"Error Type: {self.error_type}"]
        return out

    def to_dict(self) -> dict[str, Any]:
        """The figures as a dict (names as in the JSON ``platform.report`` record)."""
        return {
            "durationMs": self.duration_ms,
            "billedDurationMs": self.billed_duration_ms,
            "memorySizeMB": self.memory_size_mb,
            "maxMemoryUsedMB": self.max_memory_used_mb,
            "initDurationMs": self.init_duration_ms,
            "status": self.status,
            "errorType": self.error_type,
            "tmpUsedBytes": self.tmp_used_bytes,
        }


@dataclass
class InvocationResult:
    """The outcome of one invocation.

    ``invoke`` returns it whatever happened; it raises only on request
    (:meth:`raise_for_error`). ``payload`` is the decoded response (or the error object, as
    Lambda returns it to the caller), ``logs`` the invocation's log text (what
    ``--log-type Tail`` returns, with ``\\r`` shown as new lines).
    """

    function_name: str
    request_id: str
    raw: bytes
    content_type: str
    report: Report
    error: ErrorPayload | None = None
    cold_start: bool = False
    init_type: str = "on-demand"
    environment_id: str = ""
    log_stream_name: str = ""
    log_events: list[LogEvent] = field(default_factory=list)
    started_at: float = 0.0
    executed_version: str = "$LATEST"
    interrupted: bool = False
    #: The invocation that made this one through Lambda's API (a function calling a function):
    #: ``(function name, request id)``, or None.
    caller: tuple[str, str] | None = None
    #: Advice shown with the result (e.g. a notebook variable the handler could not see).
    notes: list[str] = field(default_factory=list)

    @property
    def payload(self) -> Any:
        """The response as the caller gets it: JSON decoded, or raw bytes."""
        if self.error is not None:
            return self.error.to_dict()
        if self.content_type == "application/json":
            return json.loads(self.raw) if self.raw else None
        return self.raw

    @property
    def suppressed_init(self) -> bool:
        """True when Init ran inside this invocation (Lambda's *suppressed init*, after a reset
        or a failed Init): REPORT then has no Init Duration, and the Init's time is part of
        Duration and counts against the function's timeout."""
        return self.cold_start and self.report.init_duration_ms is None

    @property
    def ok(self) -> bool:
        """True when the function returned a response."""
        return self.error is None

    @property
    def status(self) -> str:
        """``success``, ``error`` (function or runtime error), ``timeout`` or ``throttled``."""
        if self.error is None:
            return "success"
        return self.report.status if self.report.status in ("timeout", "throttled") else "error"

    @property
    def error_type(self) -> str | None:
        """Lambda's errorType, or None on success."""
        return self.error.error_type if self.error else None

    @property
    def throttle_reason(self) -> str | None:
        """Why a throttled invocation was refused (its error's ``Reason``, e.g.
        ``ReservedFunctionConcurrentInvocationLimitExceeded``); None for any other result."""
        if self.status != "throttled" or self.error is None:
            return None
        reason = self.error.extra.get("Reason")
        return reason if isinstance(reason, str) and reason else None

    @property
    def function_error(self) -> str | None:
        """The ``X-Amz-Function-Error`` header Lambda sends with a failed invocation."""
        return "Unhandled" if self.error is not None else None

    @property
    def logs(self) -> str:
        """The invocation's log text, one event per line (``\\r`` inside an event as new lines)."""
        return "\n".join(e.text for e in self.log_events)

    def drop_logs(self, why: str) -> None:
        """Forget this result's log events (to bound what a caller keeps), saying ``why``."""
        if self.log_events:
            count = len(self.log_events)
            self.log_events = []
            self.notes.append(f"its {count:,} log events were dropped {why}")

    @property
    def nbytes(self) -> int:
        """What keeping this result costs the caller, roughly: its payload and its log events."""
        events = self.log_events  # each event's nbytes, summed without a Python call per event
        texts = sum(map(len, map(_message, events)))
        return 512 + len(self.raw) + texts + EVENT_OVERHEAD * len(events)

    def log_lines(self, prefix: str = "") -> list[str]:
        """The lines of :attr:`logs` that start with ``prefix``, e.g. ``"INIT_REPORT"`` or
        ``"REPORT"`` (the platform's lines in the Text log format), or every line."""
        return [line for line in self.logs.splitlines() if line.startswith(prefix)]

    def raise_for_error(self) -> InvocationResult:
        """Raise :class:`~lambda_magic.core.errors.FunctionError` if the invocation failed."""
        if self.error is not None:
            raise FunctionError(self.error, self.function_name)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary."""
        return {
            "functionName": self.function_name,
            "requestId": self.request_id,
            "status": self.status,
            "payload": self.payload if not isinstance(self.payload, bytes) else None,
            "errorType": self.error_type,
            "coldStart": self.cold_start,
            "environment": self.environment_id,
            "report": self.report.to_dict(),
        }

    def __repr__(self) -> str:
        start = "cold" if self.cold_start else "warm"
        what = self.status if self.error is None else f"{self.status} {self.error_type}"
        return (
            f"<InvocationResult {self.function_name} {self.request_id} {what}, {start} start, "
            f"{self.report.duration_ms:.2f} ms>"
        )

    def _repr_html_(self) -> str:
        from lambda_magic.views.results import result_html

        return result_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        from lambda_magic.views.results import result_text

        printer.text(result_text(self))
