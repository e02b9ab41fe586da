"""Rich and plain views of lambda_magic's values: invocation results, function cards, status.

Plain strings only (no IPython import): each view has ``_repr_html_`` for notebooks and a
readable ``text/plain`` form for terminals, nbconvert and nbval. Volatile figures are written
with their units (``12.34 ms``, ``13 MB``) so a sanitize pattern can mask them.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lambda_magic.api.batch import BatchSummary

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.engine.environment import ExecutionEnvironment, ShutdownPath
    from lambda_magic.engine.result import InvocationResult, Report

_BOX = ("border:1px solid var(--jp-border-color1,#ccc);border-radius:4px;padding:6px 10px;"
        "margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);font-size:13px;"
        "overflow-wrap:break-word")  # fmt: skip
_PRE = ("margin:4px 0;padding:4px 6px;background:var(--jp-layout-color2,#f5f5f5);"
        "white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;"
        "font-family:var(--jp-code-font-family,monospace);font-size:12px")  # fmt: skip
OK_COLOR, ERROR_COLOR, MUTED = "#1a7f37", "#cf222e", "var(--jp-ui-font-color2,#666)"


def esc(value: Any, quote: bool = True) -> str:
    """HTML-escape the text of ``value`` (quotes too unless ``quote`` is False: element text)."""
    return html.escape(str(value), quote=quote)


def pretty(value: Any, limit: int | None = None) -> str:
    """A payload as indented JSON (bytes as their repr), cut at ``limit`` characters if given."""
    if isinstance(value, (bytes, bytearray)):
        text = repr(bytes(value))
    else:
        try:
            text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + f"\n… ({len(text) - limit} more characters)"
    return text


def size(nbytes: int) -> str:
    """``512 B``, ``4.0 KB``, ``12.5 MB``."""
    if nbytes < 1024:
        return f"{nbytes} B"
    if nbytes < 1024 * 1024:
        return f"{nbytes / 1024:.1f} KB"
    return f"{nbytes / 1024 / 1024:.1f} MB"


def bar(used: float, total: float, width: int = 140) -> str:
    """A horizontal gauge (HTML) of ``used`` out of ``total`` (red from 90 %)."""
    share = 0.0 if total <= 0 else max(0.0, min(1.0, used / total))
    color = ERROR_COLOR if share >= 0.9 else OK_COLOR
    return (f'<span style="display:inline-block;width:{width}px;height:9px;background:#e1e4e8;'
            f'border-radius:3px;vertical-align:middle;margin-right:6px">'
            f'<span style="display:block;height:9px;width:{share * 100:.1f}%;'
            f'background:{color};border-radius:3px"></span></span>')  # fmt: skip


# -- REPORT figures -----------------------------------------------------------------------------
def memory_used(report: Report) -> str:
    """``13 MB of 128 MB``: Max Memory Used of Memory Size."""
    return f"{report.max_memory_used_mb} MB of {report.memory_size_mb} MB"


def tmp_used(report: Report) -> str:
    """``4.0 KB of 512 MB``: /tmp in use of its size."""
    return f"{size(report.tmp_used_bytes)} of {report.tmp_size_mb} MB"


def memory_gauge(report: Report, width: int = 140) -> str:
    """Max Memory Used as a gauge of Memory Size, then :func:`memory_used` (HTML)."""
    return bar(report.max_memory_used_mb, report.memory_size_mb, width) + esc(memory_used(report))


def tmp_gauge(report: Report, width: int = 140) -> str:
    """/tmp in use as a gauge of its size, then :func:`tmp_used` (HTML)."""
    total = report.tmp_size_mb * 1024 * 1024
    return bar(report.tmp_used_bytes, total, width) + esc(tmp_used(report))


def figures(report: Report, *, memory: bool = True, tmp: bool = True) -> list[str]:
    """The REPORT figures as short phrases (``Duration 0.18 ms``, ...); ``memory`` and ``tmp``
    say whether to end with Max Memory Used and /tmp."""
    out = [
        f"Duration {report.duration_ms:.2f} ms",
        f"Billed Duration {report.billed_duration_ms} ms",
    ]
    if report.init_duration_ms is not None:
        out.append(f"Init Duration {report.init_duration_ms:.2f} ms")
    if memory:
        out.append(f"Max Memory Used {memory_used(report)}")
    if tmp:
        out.append(f"/tmp {tmp_used(report)}")
    return out


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


def result_text(result: InvocationResult) -> str:
    """The plain-text view: headline, response or error, figures, notes."""
    lines = [f"{_headline(result)} {result.function_name} {result.request_id}"]
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
    head = (f'<div><b style="color:{color}">{mark} {esc(_headline(result))}</b> '
            f'<span style="color:{MUTED}">{esc(result.function_name)} &middot; '
            f'{esc(result.request_id)} &middot; {esc(result.environment_id)}</span></div>')  # fmt: skip
    if result.ok:
        body = f'<pre style="{_PRE}">{esc(pretty(result.payload))}</pre>'
    else:
        error = result.error
        assert error is not None
        trace = "".join(error.stack_trace or [])
        body = (f'<div style="color:{ERROR_COLOR}"><b>{esc(error.error_type)}</b>: '
                f"{esc(error.error_message)}</div>")  # fmt: skip
        if trace:
            body += f'<pre style="{_PRE}">{esc(trace)}</pre>'
    notes = "".join(f'<div style="color:{ERROR_COLOR}">Note: {esc(n)}</div>' for n in result.notes)
    if result.status == "throttled":  # nothing ran: no REPORT, no logs
        return f'<div style="{_BOX}">{head}{body}{notes}</div>'
    rep = result.report
    gauges = [f"Max Memory Used {memory_gauge(rep, 120)}", f"/tmp {tmp_gauge(rep, 60)}"]
    timings = [esc(f) for f in figures(rep, memory=False, tmp=False)]
    report = f'<div style="color:{MUTED}">{" &middot; ".join(timings + gauges)}</div>'
    logs = (f'<details><summary style="color:{MUTED}">Logs ({len(result.log_events)} events)</summary>'
            f'<pre style="{_PRE}">{esc(result.logs)}</pre></details>')  # fmt: skip
    return f'<div style="{_BOX}">{head}{body}{report}{notes}{logs}</div>'


# -- functions and status -----------------------------------------------------------------------
class FunctionCard:
    """A compact card of a function as a cell defined it: name, runtime, memory, timeout,
    handler, revision. Its environments change after the cell ran, so the card does not show
    them (the panel, ``%lambda_status`` and ``fn.environments`` do, live)."""

    def __init__(self, fn: LambdaFunction, message: str = "", error: Any = None) -> None:
        self.fn, self.message, self.error = fn, message, error

    def rows(self) -> list[tuple[str, str]]:
        """The card's fields."""
        cfg = self.fn.config
        return [
            ("Runtime", cfg.runtime), ("Handler", cfg.handler),
            ("Memory", f"{cfg.memory_size} MB"), ("Timeout", f"{cfg.timeout} s"),
            ("Ephemeral storage", f"{cfg.ephemeral_storage} MB"),
            ("Freeze", "on" if cfg.freeze else "off"), ("Revision", str(self.fn.revision)),
        ]  # fmt: skip

    def __repr__(self) -> str:
        rows = dict(self.rows())

        def fields(*names: str) -> str:
            return " \u00b7 ".join(f"{k}: {rows[k]}" for k in names)

        lines = [
            f"Lambda function {self.fn.name} \u00b7 {fields('Revision', 'Runtime', 'Handler')}",
            f"  {fields('Memory', 'Timeout', 'Ephemeral storage', 'Freeze')}",
        ]
        if self.error is not None:
            lines.append(f"{self.error.error_type}: {self.error.error_message}")
            lines += [f.rstrip("\n") for f in self.error.stack_trace or []]
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(f'<span style="margin-right:14px"><span style="color:{MUTED}">{esc(k)}</span> '
                        f"{esc(v)}</span>" for k, v in self.rows())  # fmt: skip
        html_ = f'<div style="{_BOX}"><b>&lambda; {esc(self.fn.name)}</b><div>{cells}</div>'
        if self.error is not None:
            trace = "".join(self.error.stack_trace or [])
            html_ += (f'<div style="color:{ERROR_COLOR}"><b>{esc(self.error.error_type)}</b>: '
                      f'{esc(self.error.error_message)}</div><pre style="{_PRE}">{esc(trace)}</pre>')  # fmt: skip
        if self.message:
            html_ += f'<div style="color:{MUTED}">{esc(self.message)}</div>'
        return html_ + "</div>"


def _env_row(fn: LambdaFunction, env: ExecutionEnvironment) -> list[str]:
    return [fn.name, env.id, env.state.state.value, str(env.pid or "-"), str(env.invocations),
            str(env.cold_starts), f"{env.max_memory_used_mb} MB", size(env.tmp_used_bytes)]  # fmt: skip


STATUS_HEADER = ["Function", "Environment", "State", "PID", "Invocations", "Cold starts",
                 "Max memory", "/tmp used"]  # fmt: skip


class StatusView:
    """Every function and its environments (``%lambda_status``)."""

    def __init__(self, functions: Sequence[LambdaFunction]) -> None:
        self.functions = list(functions)

    def rows(self) -> list[list[str]]:
        """One row per environment (or one per function that has none)."""
        rows = []
        for fn in self.functions:
            envs = list(fn.environments)
            if not envs:
                rows.append([fn.name, "-", "no environment", "-", "0", "0", "-", "-"])
            rows += [_env_row(fn, env) for env in envs]
        return rows

    def summary(self) -> list[str]:
        """One line per function: configuration and invocation counts."""
        out = []
        for fn in self.functions:
            cfg, last = fn.config, fn.last_result
            tail = f", last: {last.status}" if last else ""
            out.append(f"{fn.name}: revision {fn.revision}, {cfg.handler}, {cfg.memory_size} MB, "
                       f"{cfg.timeout} s, {len(fn.history)} invocations{tail}")  # fmt: skip
            limits = [f"concurrency in use {fn.pool.in_flight}"]
            if cfg.reserved_concurrency is not None:
                limits.append(f"reserved {cfg.reserved_concurrency}")
            if cfg.provisioned_concurrency:
                limits.append(f"provisioned {cfg.provisioned_concurrency}")
            limits.append(f"throttles {fn.pool.throttles}")
            if fn.async_pending():
                limits.append(f"async queued {fn.async_pending()}")
            out.append("  " + ", ".join(limits))
        return out

    def __repr__(self) -> str:
        if not self.functions:
            return "No Lambda functions yet: define one with %%lambda_handler NAME"
        rows = [STATUS_HEADER] + self.rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(STATUS_HEADER))]
        table = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(self.summary() + [""] + table)

    def _repr_html_(self) -> str:
        if not self.functions:
            return f"<div>{esc(repr(self))}</div>"
        head = "".join(
            f'<th style="text-align:left;padding:2px 8px">{esc(h)}</th>' for h in STATUS_HEADER
        )
        body = "".join("<tr>" + "".join(f'<td style="padding:2px 8px">{esc(c)}</td>' for c in r) + "</tr>"
                       for r in self.rows())  # fmt: skip
        summary = "".join(f"<div>{esc(s)}</div>" for s in self.summary())
        return f'<div style="{_BOX}">{summary}<table><tr>{head}</tr>{body}</table></div>'


class LogView:
    """A function's log stream, CloudWatch style (``%lambda_logs``)."""

    def __init__(self, text: str, title: str) -> None:
        self.text, self.title = text, title

    def __repr__(self) -> str:
        return self.text or f"{self.title}: no log events yet"

    def _repr_html_(self) -> str:
        return f'<div style="{_BOX}"><b>{esc(self.title)}</b><pre style="{_PRE}">{esc(repr(self))}</pre></div>'


class BatchView(list):  # type: ignore[type-arg]
    """The results of many invocations (``--repeat``/``--concurrency``), with a summary."""

    def __init__(
        self, results: Sequence[InvocationResult], concurrency: int, elapsed_s: float = 0.0
    ) -> None:
        super().__init__(results)
        self.concurrency, self.elapsed_s = concurrency, elapsed_s

    @property
    def figures(self) -> BatchSummary:
        """The batch's figures (outcomes, environments, cold starts, durations)."""
        return BatchSummary.of(self, self.concurrency, self.elapsed_s)

    def summary(self) -> str:
        """One paragraph: outcomes, environments, cold starts, durations."""
        if not self:
            return "no invocations"
        counts = sorted(Counter(r.status for r in self).items())
        outcome = ", ".join(f"{n} {status}" for status, n in counts)
        return (f"{len(self)} invocations of {self[0].function_name}, {self.concurrency} at a time, "
                f"in {self.elapsed_s:.2f} s: {outcome}; {self.figures.figures_text()}")  # fmt: skip

    def __repr__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><td style="padding:1px 8px">{i}</td><td style="padding:1px 8px">{esc(r.environment_id or "-")}</td>'
            f'<td style="padding:1px 8px">{"cold" if r.cold_start else "warm"}</td>'
            f'<td style="padding:1px 8px;color:{OK_COLOR if r.ok else ERROR_COLOR}">{esc(r.status)}</td>'
            f'<td style="padding:1px 8px">{r.report.duration_ms:.2f} ms</td></tr>'
            for i, r in enumerate(self[:200])
        )
        more = f"<div>(first 200 of {len(self)})</div>" if len(self) > 200 else ""
        return (f'<div style="{_BOX}"><div>{esc(self.summary())}</div><details><summary>Invocations</summary>'
                f"<table>{rows}</table>{more}</details></div>")  # fmt: skip


def _path(states: Sequence[str]) -> list[str]:
    """State labels as the text timeline lists them (see :class:`TimelinePicture`)."""
    out = []
    for before, state in zip([""] + list(states), states):
        if state in ("New", "Idle"):
            continue
        suppressed = state == "Initializing" and before in ("Reset", "Init failed")
        out.append(state + " (suppressed)" if suppressed else state)
    return out


class TimelinePicture:
    """A snapshot of environments' lifecycles: an SVG (``image/svg+xml``, which also renders on
    GitHub) and a text list of the states each environment went through."""

    def __init__(self, envs: Sequence[ExecutionEnvironment]) -> None:
        import time

        self.now = time.time()
        copies = []
        for env in envs:
            with env.state:  # the lock every transition takes
                copies.append((tuple(env.state.history), env))
        copies.sort(key=lambda copy: copy[0][0][0])
        self.envs = [env for _, env in copies]
        #: Per environment: its id and the states it went through (New and Idle left out; an
        #: Init inside an invoke, after a reset or a failed Init, as "Initializing (suppressed)").
        self.paths = [(env.id, _path([state.value for _, state in history]))
                      for history, env in copies]  # fmt: skip

    def __repr__(self) -> str:
        lines = [f"{env_id}: " + " → ".join(states) for env_id, states in self.paths]
        return "\n".join(lines) or "no environment yet"

    def _repr_svg_(self) -> str | None:
        try:
            from lambda_magic.widgets.state import snapshot
            from lambda_magic.widgets.timeline import timeline_svg
        except ImportError:
            return None
        svg = timeline_svg([snapshot(e) for e in self.envs], self.now)
        return svg if svg.startswith("<svg") else None


def shutdown_ways(paths: Sequence[ShutdownPath]) -> str:
    """How environments were shut down, each way once: ``graceful, killed``."""
    return ", ".join(sorted({p.value for p in paths}))
