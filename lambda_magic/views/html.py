"""Small HTML building blocks of every view: colours, escaping, JSON, gauges, badges.

Everything is inline-styled HTML (plain strings, no widgets) so that it renders the same in
JupyterLab, Notebook 7, VS Code, Voilà and on GitHub without a front-end bundle. Colours use
JupyterLab's CSS variables when they exist and fall back to fixed values elsewhere. The
notebook's result cards and the panel share them, so both look alike.
"""

from __future__ import annotations

import html
import json
import time
from typing import TYPE_CHECKING, Any

from lambda_magic.core.lifecycle import EnvState

if TYPE_CHECKING:
    from lambda_magic.engine.result import Report

OK_COLOR, ERROR_COLOR = "#1a7f37", "#cf222e"
#: Muted text of the result and function cards.
CARD_MUTED = "var(--jp-ui-font-color2,#666)"
OK, ERROR = OK_COLOR, ERROR_COLOR
WARN = "#9a6700"
MUTED = "var(--jp-ui-font-color2, #6e7781)"
BORDER = "var(--jp-border-color2, #d0d7de)"
CODE_BG = "var(--jp-layout-color2, #f6f8fa)"

#: One colour per kind of span or state, shared by the state diagram, the timeline and its legend.
COLORS: dict[str, str] = {
    "Init": "#e8912d",
    "Invoke": "#2f6fde",
    "Idle": "#a8b3bd",
    "Frozen": "#8ecae6",
    "Reset": "#a05bc9",
    "Init failed": "#cf222e",
    "Shutdown": "#57606a",
}

#: Marks environments initialized ahead of time (provisioned concurrency).
PROVISIONED_COLOR = "#1b7c83"
PROVISIONED_TIP = "provisioned concurrency: initialized ahead of time, its first invoke has no Init"
#: Throttled invocations (TooManyRequestsException): nothing ran.
THROTTLED_COLOR = "#bc4c00"

#: The timeline/diagram kind of each state (NEW and SHUT_DOWN are instants, not spans).
KIND_OF_STATE: dict[EnvState, str] = {
    EnvState.INITIALIZING: "Init",
    EnvState.INVOKING: "Invoke",
    EnvState.IDLE: "Idle",
    EnvState.FROZEN: "Frozen",
    EnvState.RESET: "Reset",
    EnvState.INIT_FAILED: "Init failed",
    EnvState.SHUTTING_DOWN: "Shutdown",
}

#: The colour of states that are instants, not spans (New, Shut down).
INSTANT_COLOR = "#8c959f"


def state_color(state: EnvState) -> str:
    """The colour of ``state``'s kind (see :data:`KIND_OF_STATE`)."""
    kind = KIND_OF_STATE.get(state)
    return COLORS[kind] if kind else INSTANT_COLOR


#: What each kind means, for legends and tooltips.
MEANING: dict[str, str] = {
    "Init": "Init phase: runtime start and the module's top-level code",
    "Invoke": "Invoke phase: the handler runs",
    "Idle": "waiting for the next event, not frozen (freeze is off)",
    "Frozen": "frozen between invokes: processes suspended, memory and /tmp kept",
    "Reset": "runtime stopped after a timeout, crash or out-of-memory; the next invoke re-runs Init",
    "Init failed": "Init failed; the next invoke retries it",
    "Shutdown": "Shutdown phase: SIGTERM, grace period, SIGKILL",
}

#: CSS for the classes the panel puts on core widgets (a ``<style>`` in an HTML widget).
STYLE = """<style>
.lm-panel {border:1px solid var(--jp-border-color1,#d0d7de);border-radius:6px;padding:6px 8px;
  font-family:var(--jp-ui-font-family,system-ui,sans-serif);}
.lm-panel .lm-json textarea {font-family:var(--jp-code-font-family,monospace);font-size:12px;}
.lm-panel .lm-section {font-weight:600;margin:6px 0 2px 0;}
.lm-panel table.lm-table {border-collapse:collapse;font-size:12px;}
.lm-panel table.lm-table th, .lm-panel table.lm-table td {padding:2px 8px;text-align:left;
  border-bottom:1px solid var(--jp-border-color2,#eaeef2);white-space:nowrap;}
.lm-panel .lm-logs .jp-OutputArea-output pre, .lm-panel .lm-logs pre {font-size:11.5px;
  word-break:normal;overflow-wrap:break-word;}
.lm-panel .lm-logs {max-height:260px;overflow:auto;}
.lm-panel .lm-stat {display:inline-block;margin:0 6px 4px 0;padding:1px 8px;border-radius:6px;
  border:1px solid var(--jp-border-color2,#d0d7de);font-size:11.5px;line-height:16px;
  vertical-align:top;}
.lm-panel .lm-stat b {display:block;font-size:15px;line-height:19px;}
.lm-panel .lm-n input {text-align:right;}
</style>"""


def fmt_ms(value: float | None) -> str:
    """``12.34 ms`` (Lambda's REPORT precision), or an em dash for None."""
    return "\u2014" if value is None else f"{value:.2f} ms"


def fmt_seconds(value: float) -> str:
    """A span length for tooltips: ``850 µs``, ``12.3 ms``, ``4.20 s``, ``3 min 5 s``."""
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    if value < 120:
        return f"{value:.2f} s"
    return f"{int(value // 60)} min {int(value % 60)} s"


def clock(epoch: float) -> str:
    """Local wall-clock time with milliseconds: ``14:03:27.512``."""
    return time.strftime("%H:%M:%S", time.localtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}"


def pre(text: str, color: str | None = None) -> str:
    """A code block."""
    tint = f"color:{color};" if color else ""
    return (
        f'<pre style="margin:2px 0;padding:4px 6px;background:{CODE_BG};{tint}'
        f"white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;font-size:12px;max-height:320px;"
        f'overflow:auto">{esc(text, quote=False)}</pre>'
    )


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#1f2328" if 0.299 * red + 0.587 * green + 0.114 * blue > 160 else "#fff"


def badge(text: str, color: str, title: str = "") -> str:
    """A small coloured label."""
    tip = f' title="{esc(title)}"' if title else ""
    return (
        f'<span{tip} style="display:inline-block;padding:0 6px;border-radius:9px;'
        f'background:{color};color:{text_color(color)};font-size:11px;line-height:18px">'
        f"{esc(text)}</span>"
    )


def message_html(text: str, level: str = "info") -> str:
    """A one-line notice: ``info``, ``ok``, ``warn`` or ``error``."""
    if not text:
        return ""
    color = {"ok": OK, "warn": WARN, "error": ERROR}.get(level, MUTED)
    return f'<span style="color:{color};font-size:12.5px">{esc(text)}</span>'


def stat(key: str, value: Any, label: str, title: str = "", color: str | None = None) -> str:
    """A figure with its label underneath (``<b>4</b> environments``), for pool and batch
    summaries; ``data-stat``/``data-value`` carry it for tests and scripts."""
    tip = f' title="{esc(title)}"' if title else ""
    tint = f' style="color:{color}"' if color else ""
    return (
        f'<span class="lm-stat" data-stat="{esc(key)}" data-value="{esc(value)}"{tip}>'
        f"<b{tint}>{esc(value)}</b>{esc(label)}</span>"
    )


BOX = (
    "border:1px solid var(--jp-border-color1,#ccc);border-radius:4px;padding:6px 10px;"
    "margin:4px 0;font-family:var(--jp-ui-font-family,sans-serif);font-size:13px;"
    "overflow-wrap:break-word"
)


PRE = (
    "margin:4px 0;padding:4px 6px;background:var(--jp-layout-color2,#f5f5f5);"
    "white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;"
    "font-family:var(--jp-code-font-family,monospace);font-size:12px"
)


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
    return (
        f'<span style="display:inline-block;width:{width}px;height:9px;background:#e1e4e8;'
        f'border-radius:3px;vertical-align:middle;margin-right:6px">'
        f'<span style="display:block;height:9px;width:{share * 100:.1f}%;'
        f'background:{color};border-radius:3px"></span></span>'
    )


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
