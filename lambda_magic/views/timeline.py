"""The timeline: one row per environment, spans for Init, Invoke, Frozen and Shutdown.

Built from each environment's ``state.history`` (epoch timestamps of every transition). Time
is linear; Init, Invoke and Reset often last only milliseconds next to seconds of Frozen, so
active spans get a minimum width, and a span that follows a short one starts where that one was
drawn to end (a few pixels late at most), so that none hides another. An Init that runs inside
an invoke (after a reset or a failed Init: Lambda's suppressed init) is drawn pale with a
dashed outline. Every span has an SVG ``<title>`` (hover) with its exact length and times, and
the legend explains the colours of the kinds the picture shows.

A scaled-out pool stays readable: past :data:`COMPACT_AFTER` rows they are drawn thinner, and
at most :data:`MAX_ROWS` are drawn (live environments first, then the latest shut down); a
line under the legend says how many are not shown. Provisioned environments carry a "P".
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.views.html import (
    COLORS,
    KIND_OF_STATE,
    MEANING,
    MUTED,
    PROVISIONED_COLOR,
    PROVISIONED_TIP,
    clock,
    esc,
    fmt_seconds,
)
from lambda_magic.views.state import EnvSnapshot, snapshot

if TYPE_CHECKING:
    from lambda_magic.engine.environment import ExecutionEnvironment

PASSIVE = ("Idle", "Frozen")
#: Init inside an invoke, after a reset or a failed Init (Lambda's suppressed init).
SUPPRESSED = "Suppressed Init"
_SUPPRESSED_AFTER = (EnvState.RESET, EnvState.INIT_FAILED)
_COLORS = {**COLORS, SUPPRESSED: "#f6d3a8"}
_MEANING = {**MEANING, SUPPRESSED: "Init re-run inside an invoke after a reset or a failed "
            "Init (Lambda's suppressed init): no Init Duration; its time counts in Duration"}  # fmt: skip
#: Kinds drawn with an outline: (colour, dash pattern).
_OUTLINE = {SUPPRESSED: (COLORS["Init"], "3 1.5")}
#: The legend's order; it lists only the kinds a picture shows.
LEGEND = ("Init", SUPPRESSED, "Invoke", "Frozen", "Idle", "Reset", "Init failed", "Shutdown")
LABEL_W, ROW_H, BAR_H, TOP, MIN_ACTIVE_W = 64, 24, 14, 8, 3.0
#: A span is drawn at most this many pixels after its time, to leave room for a short one
#: before it; past that (dense bursts), spans are drawn where they happened and may overlap.
MAX_SHIFT = 2 * MIN_ACTIVE_W
#: At most this many rows; more environments are counted under the legend.
MAX_ROWS = 20
#: More rows than this are drawn thinner (``COMPACT_ROW_H``, ``COMPACT_BAR_H``).
COMPACT_AFTER = 8
COMPACT_ROW_H, COMPACT_BAR_H = 15, 10


@dataclass(frozen=True)
class _Geometry:
    row_h: float = ROW_H
    bar_h: float = BAR_H
    font: float = 11


_ROOMY, _COMPACT = _Geometry(), _Geometry(COMPACT_ROW_H, COMPACT_BAR_H, 9.5)


@dataclass(frozen=True)
class Span:
    """One stretch of time an environment spent in one kind of state."""

    env_id: str
    kind: str
    start: float
    end: float
    ongoing: bool = False
    #: What the span served, when known (an invocation made by another function).
    note: str = ""

    @property
    def seconds(self) -> float:
        """Its length in seconds."""
        return max(0.0, self.end - self.start)

    def title(self) -> str:
        """The hover text: what, how long, from when to when."""
        until = "now (ongoing)" if self.ongoing else clock(self.end)
        note = f"\n{self.note}" if self.note else ""
        return (
            f"{self.env_id} \u00b7 {self.kind} \u00b7 {fmt_seconds(self.seconds)} "
            f"({clock(self.start)} \u2192 {until}){note}\n{_MEANING[self.kind]}"
        )


def spans_of(snap: EnvSnapshot, now: float) -> list[Span]:
    """The spans of one environment, oldest first (NEW and SHUT_DOWN are instants); an Init
    right after a reset or a failed Init is a :data:`SUPPRESSED` one."""
    out = []
    history = snap.history
    for i, (start, state) in enumerate(history):
        kind = KIND_OF_STATE.get(state)
        if kind is None:
            continue
        if state is EnvState.INITIALIZING and i and history[i - 1][1] in _SUPPRESSED_AFTER:
            kind = SUPPRESSED
        last = i + 1 == len(history)
        end = now if last else history[i + 1][0]
        out.append(Span(snap.id, kind, start, max(start, end), ongoing=last))
    return out


def _first_active(snap: EnvSnapshot) -> float:
    """When an environment first did something: its first Init (not its creation, which
    can precede it by the sandbox manager's start)."""
    return next((t for t, state in snap.history if state is not EnvState.NEW), snap.history[0][0])


def _window(snaps: Sequence[EnvSnapshot], now: float) -> tuple[float, float]:
    starts = [_first_active(s) for s in snaps if s.history]
    ends = [now if s.live else (s.ended_at or now) for s in snaps]
    t0 = min(starts, default=now)
    t1 = max(max(ends, default=now), t0 + 0.001)
    return t0, t0 + (t1 - t0) * 1.02  # a little room after the last event


def _tick_step(length: float, most: int = 8) -> float:
    raw = length / most
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 0.001
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _tick_label(offset: float, step: float) -> str:
    if step < 1:
        return f"+{offset * 1000:.0f} ms"
    if step < 60:
        return f"+{offset:.0f} s"
    return f"+{offset / 60:.0f} min"


def _axis(t0: float, t1: float, y: float, plot_w: float) -> list[str]:
    """Grid lines and tick labels; the first tick says the wall-clock time it stands for."""
    step = _tick_step(t1 - t0)
    parts = []
    k = 0
    while k * step <= (t1 - t0) + 1e-9:
        x = LABEL_W + k * step / (t1 - t0) * plot_w
        text, anchor = (
            (clock(t0)[:8], "start") if k == 0 else (_tick_label(k * step, step), "middle")
        )
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{y}" stroke="#eaeef2"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y + 11}" text-anchor="{anchor}" font-size="10" '
            f'fill="#6e7781">{text}</text>'
        )
        k += 1
    return parts


def _rect(span: Span, x0: float, x1: float, y: float, bar_h: float = BAR_H) -> str:
    width = max(x1 - x0, MIN_ACTIVE_W if span.kind not in PASSIVE else 0.5)
    outline = ""
    if span.kind in _OUTLINE:
        color, dash = _OUTLINE[span.kind]
        outline = f' stroke="{color}" stroke-width="1.2" stroke-dasharray="{dash}"'
    return (
        f'<rect class="lm-span" data-env="{esc(span.env_id)}" data-kind="{span.kind}" '
        f'x="{x0:.2f}" y="{y:.1f}" width="{width:.2f}" height="{bar_h:g}" rx="2" '
        f'fill="{_COLORS[span.kind]}"{outline}><title>{esc(span.title())}</title></rect>'
    )


def layout(spans: Sequence[Span], t0: float, scale: float) -> list[tuple[Span, float, float]]:
    """Where to draw each span (oldest first): ``(span, x0, x1)``.

    An active span is at least :data:`MIN_ACTIVE_W` wide and starts where the span before it
    was drawn to end, up to :data:`MAX_SHIFT` pixels after its time, so a 6 ms Reset between
    a timeout and the next Init stays visible. A passive span (Idle, Frozen) starts there too,
    however far, and is left out when nothing of it remains.
    """
    out: list[tuple[Span, float, float]] = []
    cursor = float("-inf")
    for span in spans:
        x0, x1 = LABEL_W + (span.start - t0) * scale, LABEL_W + (span.end - t0) * scale
        if span.kind in PASSIVE:
            x0 = max(x0, cursor)
            if x1 - x0 < 0.5:
                continue  # nothing of it to see (microseconds of Idle before a freeze)
        else:
            if 0 < cursor - x0 <= MAX_SHIFT:
                x0 = cursor
            x1 = max(x1, x0 + MIN_ACTIVE_W)
        out.append((span, x0, x1))
        cursor = x1
    return out


def _provisioned_mark(x: float, y: float, size: float) -> str:
    return (
        f'<g class="lm-provisioned"><title>{esc(PROVISIONED_TIP)}</title>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{size:g}" height="{size:g}" rx="2" '
        f'fill="{PROVISIONED_COLOR}"/><text x="{x + size / 2:.1f}" y="{y + size - 2:.1f}" '
        f'text-anchor="middle" font-size="{size - 2:g}" font-weight="bold" fill="#fff">P</text></g>'
    )


#: Per environment id: ``(when an invocation started, what to say of it)``.
Notes = Mapping[str, Sequence[tuple[float, str]]]


def _annotate(spans: list[Span], notes: Sequence[tuple[float, str]]) -> list[Span]:
    """Give each Invoke span the note of the invocation that started in it."""
    out = []
    for span in spans:
        found = [text for when, text in notes if span.start - 0.05 <= when <= span.end]
        if span.kind == "Invoke" and found:
            span = dataclasses.replace(span, note="\n".join(found))
        out.append(span)
    return out


def _row(
    snap: EnvSnapshot,
    index: int,
    now: float,
    t0: float,
    scale: float,
    geo: _Geometry = _ROOMY,
    notes: Sequence[tuple[float, str]] = (),
) -> tuple[list[str], set[str]]:
    """The row's SVG parts and the kinds of span drawn in it."""
    y = TOP + index * geo.row_h
    bar_h = geo.bar_h
    label = (
        f'<text class="lm-row-label" x="{LABEL_W - 6}" y="{y + bar_h - 2.5:.1f}" '
        f'text-anchor="end" font-size="{geo.font:g}" font-family="monospace">'
        f"{esc(snap.id)}</text>"
    )
    parts = [label]
    if snap.provisioned:
        parts.append(_provisioned_mark(2, y + (bar_h - min(bar_h, 11)) / 2, min(bar_h, 11)))
    placed = layout(_annotate(spans_of(snap, now), notes), t0, scale)
    for span, x0, x1 in sorted(placed, key=lambda p: p[0].kind not in PASSIVE):  # active on top
        parts.append(_rect(span, x0, x1, y, bar_h))
    if snap.ended_at is not None:
        x = LABEL_W + (snap.ended_at - t0) * scale
        how = f" ({snap.shutdown_path})" if snap.shutdown_path else ""
        parts.append(
            f'<g class="lm-end"><title>{esc(snap.id)} shut down at {clock(snap.ended_at)}'
            f'{esc(how)}</title><line x1="{x + 1:.1f}" x2="{x + 1:.1f}" y1="{y - 2:g}" '
            f'y2="{y + bar_h + 2:g}" stroke="#24292f" stroke-width="2"/></g>'
        )
    return parts, {span.kind for span, _x0, _x1 in placed}


def _legend(y: float, kinds: set[str], provisioned: bool = False) -> list[str]:
    """The legend of the ``kinds`` shown, in :data:`LEGEND`'s order."""
    parts, x = [], float(LABEL_W)
    for kind in (k for k in LEGEND if k in kinds):
        outline = ""
        if kind in _OUTLINE:
            color, dash = _OUTLINE[kind]
            outline = f' stroke="{color}" stroke-width="1.2" stroke-dasharray="{dash}"'
        parts.append(
            f'<g class="lm-legend"><title>{esc(kind)}: {esc(_MEANING[kind])}</title>'
            f'<rect x="{x:.0f}" y="{y}" width="11" height="11" rx="2" fill="{_COLORS[kind]}"{outline}/>'
            f'<text x="{x + 15:.0f}" y="{y + 10}" font-size="11">{esc(kind)}</text></g>'
        )
        x += 24 + 6.5 * len(kind)
    if provisioned:
        parts.append(
            f'<g class="lm-legend">{_provisioned_mark(x, y, 11)}'
            f'<text x="{x + 15:.0f}" y="{y + 10}" font-size="11">provisioned</text></g>'
        )
    return parts


def pick_rows(snaps: Sequence[EnvSnapshot], limit: int = MAX_ROWS) -> list[EnvSnapshot]:
    """The environments to draw, in their order: every live one first (up to ``limit``), then
    the most recently shut down."""
    if len(snaps) <= limit:
        return list(snaps)
    live = [s.id for s in snaps if s.live][:limit]
    ended = sorted((s for s in snaps if not s.live), key=lambda s: s.ended_at or 0.0, reverse=True)
    keep = set(live) | {s.id for s in ended[: limit - len(live)]}
    return [s for s in snaps if s.id in keep]


def _hidden_note(snaps: Sequence[EnvSnapshot], shown: Sequence[EnvSnapshot], y: float) -> str:
    ids = {s.id for s in shown}
    hidden = [s for s in snaps if s.id not in ids]
    live = sum(1 for s in hidden if s.live)
    what = ", ".join(
        p
        for p in (
            f"{live} live" if live else "",
            f"{len(hidden) - live} shut down" if len(hidden) > live else "",
        )
        if p
    )
    return (
        f'<text class="lm-hidden-rows" data-hidden="{len(hidden)}" x="{LABEL_W}" y="{y}" '
        f'font-size="11" fill="#6e7781">+{len(hidden)} more environment'
        f"{'s' if len(hidden) != 1 else ''} not shown ({what})</text>"
    )


def timeline_svg(
    snaps: Sequence[EnvSnapshot], now: float, width: int = 760, notes: Notes | None = None
) -> str:
    """An SVG timeline of ``snaps`` up to ``now`` (epoch seconds); ``notes`` say what some
    invocations were (shown when hovering their Invoke span)."""
    if not snaps:
        return (
            f'<div class="lm-timeline-empty" style="color:{MUTED};font-size:12.5px">'
            "The timeline starts with the first environment.</div>"
        )
    rows = pick_rows(snaps)
    geo = _COMPACT if len(rows) > COMPACT_AFTER else _ROOMY
    t0, t1 = _window(rows, now)
    plot_w = width - LABEL_W - 12
    scale = plot_w / (t1 - t0)
    axis_y = TOP + len(rows) * geo.row_h
    parts = _axis(t0, t1, axis_y, plot_w)  # grid lines first, under the spans
    kinds: set[str] = set()
    for i, snap in enumerate(rows):
        row, shown = _row(snap, i, now, t0, scale, geo, (notes or {}).get(snap.id, ()))
        parts += row
        kinds |= shown
    parts += _legend(axis_y + 20, kinds, any(s.provisioned for s in rows))
    height = axis_y + 38
    if len(rows) < len(snaps):
        parts.append(_hidden_note(snaps, rows, axis_y + 48))
        height += 16
    return (
        f'<svg class="lm-timeline" xmlns="http://www.w3.org/2000/svg" width="100%" '
        f'viewBox="0 0 {width} {height}" style="max-width:{width}px;font-family:sans-serif" '
        f'role="img" aria-label="environment timeline">{"".join(parts)}</svg>'
    )


class TimelinePicture:
    """A snapshot of environments' lifecycles: an SVG (``image/svg+xml``, which also renders on
    GitHub) and a text list of the states each environment went through."""

    def __init__(self, envs: Sequence[ExecutionEnvironment], notes: Notes | None = None) -> None:
        self.now = time.time()
        #: Invocations made by other functions (the chain), per environment.
        self.notes = dict(notes or {})
        copies = []
        for env in envs:
            with env.state:  # the lock every transition takes
                copies.append((tuple(env.state.history), env))
        copies.sort(key=lambda copy: copy[0][0][0])
        self.envs = [env for _, env in copies]
        #: Per environment: its id and the states it went through (New and Idle left out; an
        #: Init inside an invoke, after a reset or a failed Init, as "Initializing (suppressed)").
        self.paths = [
            (env.id, _path([state.value for _, state in history])) for history, env in copies
        ]

    def __repr__(self) -> str:
        lines = []
        for env_id, states in self.paths:
            lines.append(f"{env_id}: " + " → ".join(states))
            lines += [f"  {text}" for _, text in self.notes.get(env_id, ())]
        return "\n".join(lines) or "no environment yet"

    def _repr_svg_(self) -> str | None:
        svg = timeline_svg([snapshot(e) for e in self.envs], self.now, notes=self.notes)
        return svg if svg.startswith("<svg") else None


def _path(states: Sequence[str]) -> list[str]:
    """State labels as the text timeline lists them (see :class:`TimelinePicture`)."""
    out = []
    for before, state in zip([""] + list(states), states):
        if state in ("New", "Idle"):
            continue
        suppressed = state == "Initializing" and before in ("Reset", "Init failed")
        out.append(state + " (suppressed)" if suppressed else state)
    return out
