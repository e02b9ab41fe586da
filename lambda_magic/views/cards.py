"""Cards of functions, their status, logs and batches (``%%lambda_handler``, ``%lambda_status``,
``%lambda_logs``, ``--concurrency``).

Plain strings only: each view has ``_repr_html_`` for notebooks and a readable ``text/plain``
form for terminals, nbconvert and nbval. Volatile figures are written with their units
(``12.34 ms``, ``13 MB``) so a sanitize pattern can mask them. The objects shown are read by
their attributes (functions, environments), never imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lambda_magic.views.batch import BatchSummary
from lambda_magic.views.html import BOX, CARD_MUTED, ERROR_COLOR, OK_COLOR, PRE, esc, size
from lambda_magic.views.summary import versions_line

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.engine.environment import ExecutionEnvironment, ShutdownPath
    from lambda_magic.engine.result import InvocationResult


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
            ("Runtime", cfg.runtime),
            ("Handler", cfg.handler),
            ("Memory", f"{cfg.memory_size} MB"),
            ("Timeout", f"{cfg.timeout} s"),
            ("Ephemeral storage", f"{cfg.ephemeral_storage} MB"),
            ("Freeze", "on" if cfg.freeze else "off"),
            ("Revision", str(self.fn.revision)),
        ]

    def __repr__(self) -> str:
        rows = dict(self.rows())

        def fields(*names: str) -> str:
            return " \u00b7 ".join(f"{k}: {rows[k]}" for k in names)

        lines = [
            f"Lambda function {self.fn.name} \u00b7 {fields('Revision', 'Runtime', 'Handler')}",
            f"  {fields('Memory', 'Timeout', 'Ephemeral storage', 'Freeze')}",
        ]
        note = self.fn.runtime.machine_note()
        if note:
            lines.append(f"  Here: {note}")
        if self.error is not None:
            lines.append(f"{self.error.error_type}: {self.error.error_message}")
            lines += [f.rstrip("\n") for f in self.error.stack_trace or []]
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(
            f'<span style="margin-right:14px"><span style="color:{CARD_MUTED}">{esc(k)}</span> '
            f"{esc(v)}</span>"
            for k, v in self.rows()
        )
        html_ = f'<div style="{BOX}"><b>&lambda; {esc(self.fn.name)}</b><div>{cells}</div>'
        note = self.fn.runtime.machine_note()
        if note:
            html_ += f'<div style="color:{CARD_MUTED}">Here: {esc(note)}</div>'
        if self.error is not None:
            trace = "".join(self.error.stack_trace or [])
            html_ += (
                f'<div style="color:{ERROR_COLOR}"><b>{esc(self.error.error_type)}</b>: '
                f'{esc(self.error.error_message)}</div><pre style="{PRE}">{esc(trace)}</pre>'
            )
        if self.message:
            html_ += f'<div style="color:{CARD_MUTED}">{esc(self.message)}</div>'
        return html_ + "</div>"


def _env_row(fn: LambdaFunction, env: ExecutionEnvironment) -> list[str]:
    version = env.revision.config.version
    return [
        fn.name,
        env.id if version == "$LATEST" else f"{env.id} (v{version})",
        env.state.state.value,
        str(env.pid or "-"),
        str(env.invocations),
        str(env.cold_starts),
        f"{env.max_memory_used_mb} MB",
        size(env.tmp_used_bytes),
    ]


STATUS_HEADER = ["Function", "Environment", "State", "PID", "Invocations", "Cold starts",
                 "Max memory", "/tmp used"]  # fmt: skip


class StatusView:
    """Every function and its environments (``%lambda_status``)."""

    def __init__(
        self,
        functions: Sequence[LambdaFunction],
        server: str | None = None,
        tools: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        self.functions = list(functions)
        #: The Lambda API server's status line, when one runs.
        self.server = server
        #: What the machine has for each runtime: ``(family, tool, found or what to install)``.
        self.tools = list(tools)

    def tool_lines(self) -> list[str]:
        """``Runtimes here: nodejs: node /usr/bin/node (Node.js 20.19.2)``, one per tool."""
        if not self.tools:
            return []
        return ["Runtimes here:"] + [
            f"  {family}: {tool} {found}" for family, tool, found in self.tools
        ]

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
            out.append(
                f"{fn.name}: revision {fn.revision}, {cfg.runtime}, {cfg.handler}, "
                f"{cfg.memory_size} MB, {cfg.timeout} s, {len(fn.history)} invocations{tail}"
            )
            note = fn.runtime.machine_note()
            if note:
                out.append(f"  here: {note}")
            limits = [f"concurrency in use {fn.pool.in_flight}"]
            if cfg.reserved_concurrency is not None:
                limits.append(f"reserved {cfg.reserved_concurrency}")
            if cfg.provisioned_concurrency:
                limits.append(f"provisioned {cfg.provisioned_concurrency}")
            limits.append(f"throttles {fn.pool.throttles}")
            if fn.async_pending():
                limits.append(f"async queued {fn.async_pending()}")
            out.append("  " + ", ".join(limits))
            versions = versions_line(fn)
            if versions:
                out.append(f"  {versions}")
        if self.server:
            out.append(self.server)
        return out

    def __repr__(self) -> str:
        if not self.functions:
            empty = "No Lambda functions yet: define one with %%lambda_handler NAME"
            return "\n".join([empty, *([self.server] if self.server else []), *self.tool_lines()])
        rows = [STATUS_HEADER] + self.rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(STATUS_HEADER))]
        table = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        tools = [""] + self.tool_lines() if self.tools else []
        return "\n".join(self.summary() + [""] + table + tools)

    def _repr_html_(self) -> str:
        if not self.functions:
            return f'<div><pre style="{PRE}">{esc(repr(self))}</pre></div>'
        tools = "".join(f"<div>{esc(line)}</div>" for line in self.tool_lines())
        head = "".join(
            f'<th style="text-align:left;padding:2px 8px">{esc(h)}</th>' for h in STATUS_HEADER
        )
        body = "".join(
            "<tr>" + "".join(f'<td style="padding:2px 8px">{esc(c)}</td>' for c in r) + "</tr>"
            for r in self.rows()
        )
        summary = "".join(f"<div>{esc(s)}</div>" for s in self.summary())
        return f'<div style="{BOX}">{summary}<table><tr>{head}</tr>{body}</table>{tools}</div>'


class LogView:
    """A function's log stream, CloudWatch style (``%lambda_logs``)."""

    def __init__(self, text: str, title: str) -> None:
        self.text, self.title = text, title

    def __repr__(self) -> str:
        return self.text or f"{self.title}: no log events yet"

    def _repr_html_(self) -> str:
        return f'<div style="{BOX}"><b>{esc(self.title)}</b><pre style="{PRE}">{esc(repr(self))}</pre></div>'


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
        return (
            f"{len(self)} invocations of {self[0].function_name}, {self.concurrency} at a time, "
            f"in {self.elapsed_s:.2f} s: {outcome}; {self.figures.figures_text()}"
        )

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
        return (
            f'<div style="{BOX}"><div>{esc(self.summary())}</div><details><summary>Invocations</summary>'
            f"<table>{rows}</table>{more}</details></div>"
        )


def shutdown_ways(paths: Sequence[ShutdownPath]) -> str:
    """How environments were shut down, each way once: ``graceful, killed``."""
    return ", ".join(sorted({p.value for p in paths}))
