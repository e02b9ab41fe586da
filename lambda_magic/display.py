"""Rich and plain views of lambda_magic's values: invocation results, function cards, status.

Plain strings only (no IPython import): each view has ``_repr_html_`` for notebooks and a
readable ``text/plain`` form for terminals, nbconvert and nbval. Volatile figures are written
with their units (``12.34 ms``, ``13 MB``) so a sanitize pattern can mask them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lambda_magic.environment import ExecutionEnvironment
    from lambda_magic.function import LambdaFunction
    from lambda_magic.result import InvocationResult

_BOX = ("border:1px solid var(--jp-border-color1,#ccc);border-radius:4px;padding:6px 10px;"
        "margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);font-size:13px")  # fmt: skip
_PRE = ("margin:4px 0;padding:4px 6px;background:var(--jp-layout-color2,#f5f5f5);"
        "white-space:pre-wrap;font-family:var(--jp-code-font-family,monospace);font-size:12px")  # fmt: skip
OK_COLOR, ERROR_COLOR, MUTED = "#1a7f37", "#cf222e", "var(--jp-ui-font-color2,#666)"


def esc(value: Any) -> str:
    """HTML-escape ``value``'s text."""
    return html.escape(str(value))


def pretty(value: Any) -> str:
    """A payload as indented JSON (bytes as their repr)."""
    if isinstance(value, bytes):
        return repr(value)
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def size(nbytes: int) -> str:
    """``512 B``, ``4.0 KB``, ``12.5 MB``."""
    if nbytes < 1024:
        return f"{nbytes} B"
    if nbytes < 1024 * 1024:
        return f"{nbytes / 1024:.1f} KB"
    return f"{nbytes / 1024 / 1024:.1f} MB"


def bar(used: float, total: float, width: int = 120) -> str:
    """A small horizontal bar (HTML) of ``used`` out of ``total``."""
    share = 0.0 if total <= 0 else min(1.0, used / total)
    color = ERROR_COLOR if share >= 0.9 else OK_COLOR
    return (f'<span style="display:inline-block;width:{width}px;height:8px;background:#ddd;'
            f'border-radius:3px;vertical-align:middle"><span style="display:block;height:8px;'
            f'width:{share * 100:.0f}%;background:{color};border-radius:3px"></span></span>')  # fmt: skip


# -- invocation results -------------------------------------------------------------------------
def _headline(result: InvocationResult) -> str:
    start = "cold start" if result.cold_start else "warm start"
    if result.interrupted:
        return f"Interrupted ({start}): the environment was reset"
    if result.ok:
        return f"Succeeded ({start})"
    if result.status == "timeout":
        return f"Timed out ({start})"
    return f"Failed ({start}): {result.error_type}"


def figures(result: InvocationResult) -> list[str]:
    """The REPORT figures as short phrases."""
    rep = result.report
    out = [f"Duration {rep.duration_ms:.2f} ms", f"Billed Duration {rep.billed_duration_ms} ms"]
    if rep.init_duration_ms is not None:
        out.append(f"Init Duration {rep.init_duration_ms:.2f} ms")
    out.append(f"Max Memory Used {rep.max_memory_used_mb} MB of {rep.memory_size_mb} MB")
    out.append(f"/tmp {size(rep.tmp_used_bytes)} of {rep.tmp_size_mb} MB")
    return out


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
    lines.append(" | ".join(figures(result)))
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
    rep = result.report
    mem = f"Max Memory Used {bar(rep.max_memory_used_mb, rep.memory_size_mb)} {rep.max_memory_used_mb} MB of {rep.memory_size_mb} MB"
    tmp = f"/tmp {bar(rep.tmp_used_bytes, rep.tmp_size_mb * 1024 * 1024, 60)} {esc(size(rep.tmp_used_bytes))} of {rep.tmp_size_mb} MB"
    rest = [esc(f) for f in figures(result) if not f.startswith(("Max Memory", "/tmp"))]
    report = f'<div style="color:{MUTED}">{" &middot; ".join(rest + [mem, tmp])}</div>'
    notes = "".join(f'<div style="color:{ERROR_COLOR}">Note: {esc(n)}</div>' for n in result.notes)
    logs = (f'<details><summary style="color:{MUTED}">Logs ({len(result.log_events)} events)</summary>'
            f'<pre style="{_PRE}">{esc(result.logs)}</pre></details>')  # fmt: skip
    return f'<div style="{_BOX}">{head}{body}{report}{notes}{logs}</div>'


# -- functions and status -----------------------------------------------------------------------
def _env_phrase(envs: Sequence[ExecutionEnvironment]) -> str:
    if not envs:
        return "no environment (the next invoke is a cold start)"
    states = ", ".join(f"{e.id} {e.state.state.value}" for e in envs)
    return f"{len(envs)} environment{'s' if len(envs) != 1 else ''}: {states}"


class FunctionCard:
    """A compact card of a function: name, runtime, memory, timeout, handler, revision, state."""

    def __init__(self, fn: LambdaFunction, message: str = "", error: Any = None) -> None:
        self.fn, self.message, self.error = fn, message, error

    def rows(self) -> list[tuple[str, str]]:
        """The card's fields."""
        cfg = self.fn.config
        return [
            ("Runtime", cfg.runtime_id), ("Handler", cfg.handler),
            ("Memory", f"{cfg.memory_size} MB"), ("Timeout", f"{cfg.timeout} s"),
            ("Ephemeral storage", f"{cfg.ephemeral_storage} MB"),
            ("Freeze", "on" if cfg.freeze else "off"), ("Revision", str(self.fn.revision)),
            ("State", _env_phrase(self.fn.environments)),
        ]  # fmt: skip

    def __repr__(self) -> str:
        lines = [f"Lambda function {self.fn.name}"]
        lines += [f"  {k}: {v}" for k, v in self.rows()]
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

    def summary(self) -> str:
        """One paragraph: outcomes, environments, cold starts, durations."""
        if not self:
            return "no invocations"
        counts: dict[str, int] = {}
        for r in self:
            counts[r.status] = counts.get(r.status, 0) + 1
        envs = {r.environment_id for r in self if r.environment_id}
        cold = sum(1 for r in self if r.cold_start)
        ran = sorted(r.report.duration_ms for r in self if r.status != "throttled")
        outcome = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        text = (f"{len(self)} invocations of {self[0].function_name}, {self.concurrency} at a time, "
                f"in {self.elapsed_s:.2f} s: {outcome}; {len(envs)} environment"
                f"{'s' if len(envs) != 1 else ''}, {cold} cold start{'s' if cold != 1 else ''}")  # fmt: skip
        if ran:
            text += f"; Duration p50 {ran[len(ran) // 2]:.2f} ms, max {ran[-1]:.2f} ms"
        return text

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


class TimelinePicture:
    """A snapshot of environments' lifecycles: an SVG (``image/svg+xml``, which also renders on
    GitHub) and a text list of each environment's spans."""

    def __init__(self, envs: Sequence[ExecutionEnvironment]) -> None:
        import time

        self.envs = sorted(envs, key=lambda e: e.state.history[0][0])
        self.now = time.time()

    def spans(self) -> list[tuple[str, list[tuple[str, float]]]]:
        """Per environment: the sequence of (state label, seconds spent)."""
        out = []
        for env in self.envs:
            history = list(env.state.history)
            steps = []
            for (start, state), nxt in zip(history, history[1:] + [(self.now, None)]):
                if state.value != "New":
                    steps.append((state.value, nxt[0] - start))
            out.append((env.id, steps))
        return out

    def __repr__(self) -> str:
        lines = []
        for env_id, steps in self.spans():
            lines.append(f"{env_id}: " + " → ".join(label for label, _ in steps if label != "Idle"))
        return "\n".join(lines) or "no environment yet"

    def _repr_svg_(self) -> str | None:
        try:
            from lambda_magic.widgets.state import snapshot
            from lambda_magic.widgets.timeline import timeline_svg
        except ImportError:
            return None
        svg = timeline_svg([snapshot(e) for e in self.envs], self.now)
        return svg if svg.startswith("<svg") else None
