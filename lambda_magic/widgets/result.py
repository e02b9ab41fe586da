"""The result of the last invocation: outcome, response, live logs and the REPORT figures."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.display import memory_gauge, tmp_gauge
from lambda_magic.widgets.batch import batch_html
from lambda_magic.widgets.render import (
    COLORS,
    ERROR,
    MUTED,
    OK,
    THROTTLED_COLOR,
    WARN,
    badge,
    clock,
    esc,
    fmt_ms,
    pre,
    pretty,
)
from lambda_magic.widgets.util import close_tree

if TYPE_CHECKING:
    from lambda_magic.api.batch import BatchSummary
    from lambda_magic.engine.init import InitOutcome
    from lambda_magic.engine.result import InvocationResult, Report

#: The panel shows at most this much log text per invocation (``fn.logs`` keeps it all).
LOG_LIMIT = 200_000
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
    return (f'<div class="lm-result" data-status="throttled" data-start="none" style="font-size:13px">'
            f'<b style="color:{THROTTLED_COLOR}">\u26d4 Throttled: {esc(result.error_type)}</b> '
            f'<span style="color:{MUTED};font-size:11.5px">nothing ran \u00b7 {esc(where)}</span></div>')  # fmt: skip


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
    return (f'<div class="lm-result" data-status="{esc(result.status)}" '
            f'data-start="{"cold" if result.cold_start else "warm"}" style="font-size:13px">'
            f'<b style="color:{color}">{icon} {esc(text)}</b> {_start_badge(result.cold_start)} '
            f'<span style="color:{MUTED};font-size:11.5px">{esc(where)}</span></div>')  # fmt: skip


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
    init = (fmt_ms(report.init_duration_ms) if report.init_duration_ms is not None
            else f'<span style="color:{MUTED}">\u2014 ({why})</span>')  # fmt: skip
    rows = [
        _row("Duration", fmt_ms(report.duration_ms), "time in the handler (Invoke phase)"),
        _row("Billed Duration", f"{report.billed_duration_ms} ms",
             "Duration plus Init Duration, rounded up to the millisecond"),
        _row("Init Duration", init, "Init phase before this invocation (cold starts only)"),
        _row("Max Memory Used", memory_gauge(report), "peak memory of the environment / Memory Size"),
        _row("/tmp used", tmp_gauge(report), "ephemeral storage in use / its size"),
    ]  # fmt: skip
    if report.status != "success":
        kind = f"{report.status}" + (f" \u00b7 {report.error_type}" if report.error_type else "")
        rows.append(_row("Status", f'<span style="color:{ERROR}">{esc(kind)}</span>'))
    return ('<div style="font-size:12px;color:' + MUTED + ';margin-top:4px">REPORT</div>'
            '<table class="lm-table lm-report">' + "".join(rows) + "</table>")  # fmt: skip


def init_html(outcome: InitOutcome) -> str:
    """How an Init (pre-warming) ended."""
    if outcome.ok:
        return (f'<div class="lm-result" data-status="init" style="font-size:13px">'
                f'<b style="color:{OK}">\u2714 Init succeeded</b> in {fmt_ms(outcome.duration_ms)}'
                f' <span style="color:{MUTED};font-size:11.5px">the environment waits for an '
                "event; the next invoke uses it and reports this Init Duration</span></div>")  # fmt: skip
    what = outcome.error_type or outcome.status
    out = (f'<div class="lm-result" data-status="init-failed" style="font-size:13px">'
           f'<b style="color:{ERROR}">\u2718 Init failed: {esc(what)}</b> after '
           f"{fmt_ms(outcome.duration_ms)}</div>")  # fmt: skip
    if outcome.error is not None:
        out += pre(pretty(outcome.error.to_dict(), PAYLOAD_LIMIT), ERROR)
    return out


class ResultView(w.VBox):  # type: ignore[misc]
    """Outcome, response, logs (streamed while the handler runs) and REPORT of one run.

    ``append_logs`` may be called from any thread: it appends to the ``Output`` widget's
    ``outputs`` trait (``Output.append_stdout``), never through ``with out:``.
    """

    def __init__(self) -> None:
        self._head = w.HTML(
            f'<span style="color:{MUTED};font-size:12.5px">No invocation yet.</span>'
        )
        self._head.add_class("lm-result-head")
        self._response = w.HTML()
        self._response.add_class("lm-response")
        self._logs_label = w.HTML()
        self._logs = w.Output(layout=w.Layout(max_height="260px", overflow="auto"))
        self._logs.add_class("lm-logs")
        self._report = w.HTML()
        self._report.add_class("lm-report-view")
        self._batch = w.HTML()
        self._batch.add_class("lm-batch-view")
        self._lock = threading.Lock()
        self._log_chars = 0
        super().__init__(children=[self._batch, self._head, self._response, self._logs_label,
                                   self._logs, self._report])  # fmt: skip

    @property
    def logs_text(self) -> str:
        """The log text shown now."""
        return "".join(o.get("text", "") for o in self._logs.outputs)

    def begin(self, what: str) -> None:
        """Start showing a new run: clear everything and say ``what`` is happening."""
        with self._lock:
            self._log_chars = 0
            self._logs.outputs = ()
        self._head.value = (f'<div class="lm-result" data-status="running" style="font-size:13px">'
                            f'<b style="color:{COLORS["Invoke"]}">\u23f3 {esc(what)}\u2026</b></div>')  # fmt: skip
        self._response.value = self._report.value = self._batch.value = ""
        self._logs_label.value = self._label("Log output (live)")

    @staticmethod
    def _label(text: str) -> str:
        return f'<div style="font-size:12px;color:{MUTED};margin-top:4px">{esc(text)}</div>'

    def append_logs(self, text: str) -> None:
        """Append log text (from any thread), up to :data:`LOG_LIMIT` characters per run."""
        if not text:
            return
        with self._lock:
            room = LOG_LIMIT - self._log_chars
            if room <= 0:
                return
            if len(text) > room:
                text = (
                    text[:room] + "\n… (the panel shows no more; fn.logs keeps the newest lines)\n"
                )
            self._log_chars += len(text)
            self._logs.append_stdout(text)

    def show_result(self, result: InvocationResult, streamed: bool, batch: str = "") -> None:
        """Show ``result``; its own log text replaces the logs unless they were streamed.
        ``batch`` is the HTML of the batch it ended (see :meth:`show_batch`), if any."""
        if not streamed:
            with self._lock:
                self._log_chars = 0
                self._logs.outputs = ()
            self.append_logs(result.logs + "\n" if result.logs else "")
        self._batch.value = batch
        self._response.value = response_html(result)
        throttled = result.status == "throttled"  # nothing ran: no log, no REPORT
        self._logs_label.value = "" if throttled else self._label("Log output")
        self._report.value = "" if throttled else report_html(result.report, result.suppressed_init)
        # The headline last: once it shows the outcome, the rest of the result is there too.
        self._head.value = headline_html(result)

    def show_batch(self, summary: BatchSummary, last: InvocationResult | None) -> None:
        """Show a batch's figures above its last result (with that result's own logs)."""
        if last is None:
            self._batch.value = batch_html(summary)
            self._head.value = self._response.value = self._report.value = ""
            return
        self.show_result(last, False, batch_html(summary))

    def show_init(self, outcome: InitOutcome) -> None:
        """Show how an Init ended (its logs were streamed)."""
        self._response.value = self._report.value = self._batch.value = ""
        self._logs_label.value = self._label("Log output")
        self._head.value = init_html(outcome)

    def show_error(self, text: str) -> None:
        """Say why nothing ran (e.g. Lambda refused the request)."""
        self._response.value = self._report.value = self._batch.value = ""
        self._head.value = (f'<div class="lm-result" data-status="refused" style="font-size:13px">'
                            f'<b style="color:{ERROR}">\u2718 {esc(text)}</b></div>')  # fmt: skip

    def close(self) -> None:
        """Close the view and its widgets."""
        close_tree(self)
