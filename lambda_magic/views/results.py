"""An invocation's result as the notebook shows it: the card under a cell (text and HTML), and
the parts of the panel's result view (headline, response, REPORT, an Init's outcome)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambda_magic.views.html import (
    BOX,
    CARD_MUTED,
    COLORS,
    ERROR,
    ERROR_COLOR,
    MUTED,
    OK,
    OK_COLOR,
    PRE,
    THROTTLED_COLOR,
    WARN,
    badge,
    clock,
    esc,
    figures,
    fmt_ms,
    memory_gauge,
    pre,
    pretty,
    tmp_gauge,
)

if TYPE_CHECKING:
    from lambda_magic.engine.init import InitOutcome
    from lambda_magic.engine.result import InvocationResult, Report


# -- invocation results -------------------------------------------------------------------------
def _headline(result: InvocationResult) -> str:
    if result.status == "throttled":
        return f"Throttled (nothing ran): {result.error_type}"
    start = "cold start" if result.cold_start else "warm start"
    if result.interrupted:
        return f"Interrupted ({start}): the environment was reset"
    if result.ok:
        return f"Succeeded ({start})"
    if result.status == "timeout":
        return f"Timed out ({start})"
    return f"Failed ({start}): {result.error_type}"


def called_by(result: InvocationResult) -> str:
    """``Invoked by caller (RequestId: …) through Lambda's API``."""
    assert result.caller is not None
    function, request_id = result.caller
    return f"Invoked by {function} (RequestId: {request_id}) through Lambda's API"


def result_text(result: InvocationResult) -> str:
    """The plain-text view: headline, response or error, figures, notes."""
    lines = [f"{_headline(result)} {result.function_name} {result.request_id}"]
    if result.caller is not None:
        lines.append(called_by(result))
    if result.ok:
        lines += ["Response:", pretty(result.payload)]
    else:
        error = result.error
        assert error is not None
        lines.append(f"{error.error_type}: {error.error_message}")
        for frame in error.stack_trace or []:
            lines.append(frame.rstrip("\n"))
    if result.status != "throttled":  # nothing ran: no REPORT
        lines.append(" | ".join(figures(result.report)))
    lines += [f"Note: {note}" for note in result.notes]
    return "\n".join(lines)


def result_html(result: InvocationResult) -> str:
    """The rich view: a card with the response or error, the figures, the log text."""
    color = OK_COLOR if result.ok else ERROR_COLOR
    mark = "&#10004;" if result.ok else "&#10008;"
    head = (
        f'<div><b style="color:{color}">{mark} {esc(_headline(result))}</b> '
        f'<span style="color:{CARD_MUTED}">{esc(result.function_name)} &middot; '
        f"{esc(result.request_id)} &middot; {esc(result.environment_id)}</span></div>"
    )
    if result.caller is not None:
        head += f'<div style="color:{CARD_MUTED}">{esc(called_by(result))}</div>'

    if result.ok:
        body = f'<pre style="{PRE}">{esc(pretty(result.payload))}</pre>'
    else:
        error = result.error
        assert error is not None
        trace = "".join(error.stack_trace or [])
        body = (
            f'<div style="color:{ERROR_COLOR}"><b>{esc(error.error_type)}</b>: '
            f"{esc(error.error_message)}</div>"
        )
        if trace:
            body += f'<pre style="{PRE}">{esc(trace)}</pre>'
    notes = "".join(f'<div style="color:{ERROR_COLOR}">Note: {esc(n)}</div>' for n in result.notes)
    if result.status == "throttled":  # nothing ran: no REPORT, no logs
        return f'<div style="{BOX}">{head}{body}{notes}</div>'
    rep = result.report
    gauges = [f"Max Memory Used {memory_gauge(rep, 120)}", f"/tmp {tmp_gauge(rep, 60)}"]
    timings = [esc(f) for f in figures(rep, memory=False, tmp=False)]
    report = f'<div style="color:{CARD_MUTED}">{" &middot; ".join(timings + gauges)}</div>'
    logs = (
        f'<details><summary style="color:{CARD_MUTED}">Logs ({len(result.log_events)} events)</summary>'
        f'<pre style="{PRE}">{esc(result.logs)}</pre></details>'
    )
    return f'<div style="{BOX}">{head}{body}{report}{notes}{logs}</div>'


#: ... and at most this much of a response or error object.
PAYLOAD_LIMIT = 20_000


def _start_badge(cold: bool) -> str:
    if cold:
        return badge("cold start", COLORS["Init"], "Init ran before this invocation")
    return badge("warm start", COLORS["Frozen"], "an initialized environment was reused")


def _throttled_headline(result: InvocationResult) -> str:
    reason = result.throttle_reason
    why = f" \u00b7 Reason: {reason}" if reason else ""
    where = f"request {result.request_id} \u00b7 {clock(result.started_at)}{why}"
    return (
        f'<div class="lm-result" data-status="throttled" data-start="none" style="font-size:13px">'
        f'<b style="color:{THROTTLED_COLOR}">\u26d4 Throttled: {esc(result.error_type)}</b> '
        f'<span style="color:{MUTED};font-size:11.5px">nothing ran \u00b7 {esc(where)}</span></div>'
    )


def headline_html(result: InvocationResult) -> str:
    """Outcome, error type, cold or warm start, environment and request id."""
    if result.status == "throttled":
        return _throttled_headline(result)
    if result.interrupted:
        icon, text, color = "\u26a0", "Interrupted: the environment was reset", WARN
    elif result.ok:
        icon, text, color = "\u2714", "Succeeded", OK
    elif result.status == "timeout":
        icon, text, color = "\u23f1", f"Timed out: {result.error_type}", ERROR
    else:
        icon, text, color = "\u2718", f"Failed: {result.error_type}", ERROR
    where = f"{result.environment_id} \u00b7 request {result.request_id} \u00b7 {clock(result.started_at)}"
    return (
        f'<div class="lm-result" data-status="{esc(result.status)}" '
        f'data-start="{"cold" if result.cold_start else "warm"}" style="font-size:13px">'
        f'<b style="color:{color}">{icon} {esc(text)}</b> {_start_badge(result.cold_start)} '
        f'<span style="color:{MUTED};font-size:11.5px">{esc(where)}</span></div>'
    )


def response_html(result: InvocationResult) -> str:
    """The response pretty-printed, or Lambda's error object in red."""
    label = "Response" if result.ok else "Error (as the caller receives it)"
    color = None if result.ok else ERROR
    head = f'<div style="font-size:12px;color:{MUTED};margin-top:4px">{label}</div>'
    return head + pre(pretty(result.payload, PAYLOAD_LIMIT), color)


def _row(name: str, value: str, title: str = "") -> str:
    tip = f' title="{esc(title)}"' if title else ""
    return f"<tr{tip}><th>{esc(name)}</th><td>{value}</td></tr>"


def report_html(report: Report, suppressed_init: bool = False) -> str:
    """The REPORT figures, with memory and /tmp as gauges of their sizes; ``suppressed_init``
    says that Init ran inside the invocation (no Init Duration: its time is in Duration)."""
    why = "Init ran inside the invocation: in Duration" if suppressed_init else "warm start"
    init = (
        fmt_ms(report.init_duration_ms)
        if report.init_duration_ms is not None
        else f'<span style="color:{MUTED}">\u2014 ({why})</span>'
    )
    rows = [
        _row("Duration", fmt_ms(report.duration_ms), "time in the handler (Invoke phase)"),
        _row(
            "Billed Duration",
            f"{report.billed_duration_ms} ms",
            "Duration plus Init Duration, rounded up to the millisecond",
        ),
        _row("Init Duration", init, "Init phase before this invocation (cold starts only)"),
        _row(
            "Max Memory Used", memory_gauge(report), "peak memory of the environment / Memory Size"
        ),
        _row("/tmp used", tmp_gauge(report), "ephemeral storage in use / its size"),
    ]
    if report.status != "success":
        kind = f"{report.status}" + (f" \u00b7 {report.error_type}" if report.error_type else "")
        rows.append(_row("Status", f'<span style="color:{ERROR}">{esc(kind)}</span>'))
    return (
        '<div style="font-size:12px;color:' + MUTED + ';margin-top:4px">REPORT</div>'
        '<table class="lm-table lm-report">' + "".join(rows) + "</table>"
    )


def init_html(outcome: InitOutcome) -> str:
    """How an Init (pre-warming) ended."""
    if outcome.ok:
        return (
            f'<div class="lm-result" data-status="init" style="font-size:13px">'
            f'<b style="color:{OK}">\u2714 Init succeeded</b> in {fmt_ms(outcome.duration_ms)}'
            f' <span style="color:{MUTED};font-size:11.5px">the environment waits for an '
            "event; the next invoke uses it and reports this Init Duration</span></div>"
        )
    what = outcome.error_type or outcome.status
    out = (
        f'<div class="lm-result" data-status="init-failed" style="font-size:13px">'
        f'<b style="color:{ERROR}">\u2718 Init failed: {esc(what)}</b> after '
        f"{fmt_ms(outcome.duration_ms)}</div>"
    )
    if outcome.error is not None:
        out += pre(pretty(outcome.error.to_dict(), PAYLOAD_LIMIT), ERROR)
    return out
