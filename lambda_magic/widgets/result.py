"""The result of the last invocation: outcome, response, live logs and the REPORT figures."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.views.batch import batch_html
from lambda_magic.views.html import (
    COLORS,
    ERROR,
    MUTED,
    esc,
)
from lambda_magic.views.results import headline_html, init_html, report_html, response_html
from lambda_magic.widgets.util import close_tree

if TYPE_CHECKING:
    from lambda_magic.api.batch import BatchSummary
    from lambda_magic.engine.init import InitOutcome
    from lambda_magic.engine.result import InvocationResult

#: The panel shows at most this much log text per invocation (``fn.logs`` keeps it all).
LOG_LIMIT = 200_000


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
        super().__init__(
            children=[
                self._batch,
                self._head,
                self._response,
                self._logs_label,
                self._logs,
                self._report,
            ]
        )

    @property
    def logs_text(self) -> str:
        """The log text shown now."""
        return "".join(o.get("text", "") for o in self._logs.outputs)

    def begin(self, what: str) -> None:
        """Start showing a new run: clear everything and say ``what`` is happening."""
        with self._lock:
            self._log_chars = 0
            self._logs.outputs = ()
        self._head.value = (
            f'<div class="lm-result" data-status="running" style="font-size:13px">'
            f'<b style="color:{COLORS["Invoke"]}">\u23f3 {esc(what)}\u2026</b></div>'
        )
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
        self._head.value = (
            f'<div class="lm-result" data-status="refused" style="font-size:13px">'
            f'<b style="color:{ERROR}">\u2718 {esc(text)}</b></div>'
        )

    def close(self) -> None:
        """Close the view and its widgets."""
        close_tree(self)
