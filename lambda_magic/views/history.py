"""The table of invocations: request id, start, cold or warm, duration, memory, status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lambda_magic.views.html import ERROR, MUTED, OK, THROTTLED_COLOR, clock, esc, fmt_ms

if TYPE_CHECKING:
    from lambda_magic.engine.result import InvocationResult


COLUMNS = ("#", "Request ID", "Start", "Environment", "Start type", "Duration", "Billed",
           "Init Duration", "Max Memory", "Status")  # fmt: skip


def _status(result: InvocationResult) -> str:
    if result.ok:
        return f'<span style="color:{OK}">success</span>'
    if result.status == "throttled":
        reason = result.throttle_reason
        why = f"{result.error_type}: nothing ran" + (f" (Reason: {reason})" if reason else "")
        return f'<span style="color:{THROTTLED_COLOR}" title="{esc(why)}">throttled</span>'
    return f'<span style="color:{ERROR}">{esc(result.status)}: {esc(result.error_type)}</span>'


def start_type(result: InvocationResult) -> str:
    """``cold``, ``warm``, or ``none`` for a throttled invocation (nothing ran)."""
    if result.status == "throttled":
        return "none"
    return "cold" if result.cold_start else "warm"


def _cells(number: int, r: InvocationResult) -> list[str]:
    rep = r.report
    if r.status == "throttled":  # nothing ran: no environment, no REPORT
        dash = f'<span style="color:{MUTED}">\u2014</span>'
        return [
            str(number),
            f'<code title="{esc(r.request_id)}">{esc(r.request_id[:8])}</code>',
            esc(clock(r.started_at)),
            dash,
            dash,
            dash,
            dash,
            dash,
            dash,
            _status(r),
        ]
    return [
        str(number),
        f'<code title="{esc(r.request_id)}">{esc(r.request_id[:8])}</code>',
        esc(clock(r.started_at)),
        esc(r.environment_id),
        "cold" if r.cold_start else "warm",
        fmt_ms(rep.duration_ms),
        f"{rep.billed_duration_ms} ms",
        fmt_ms(rep.init_duration_ms),
        f"{rep.max_memory_used_mb} / {rep.memory_size_mb} MB",
        _status(r),
    ]


def history_html(
    results: Sequence[InvocationResult], limit: int = 20, total: int | None = None
) -> str:
    """The newest ``limit`` invocations, newest first; ``total`` (default ``len(results)``)
    numbers them when ``results`` holds only the newest ones."""
    if not results:
        return f'<div style="color:{MUTED};font-size:12.5px">No invocations yet.</div>'
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    rows = []
    total = len(results) if total is None else total
    for offset, result in enumerate(reversed(results[-limit:])):
        cells = "".join(f"<td>{c}</td>" for c in _cells(total - offset, result))
        start = start_type(result)
        rows.append(
            f'<tr class="lm-history-row" data-request-id="{esc(result.request_id)}" '
            f'data-start="{start}" data-status="{esc(result.status)}">{cells}</tr>'
        )
    more = ""
    if total > limit:
        more = f'<div style="color:{MUTED};font-size:11.5px">{total - limit} older not shown</div>'
    return f'<table class="lm-table lm-history"><tr>{head}</tr>{"".join(rows)}</table>{more}'
