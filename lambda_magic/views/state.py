"""Each environment's state on a small Init → Invoke → Shutdown diagram, current phase lit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic.core.lifecycle import PROVISIONED, EnvState
from lambda_magic.views.html import (
    BORDER,
    COLORS,
    KIND_OF_STATE,
    MEANING,
    MUTED,
    PROVISIONED_COLOR,
    PROVISIONED_TIP,
    badge,
    esc,
    state_color,
)

if TYPE_CHECKING:
    from lambda_magic.engine.environment import ExecutionEnvironment

PHASES = ("Init", "Invoke", "Shutdown")
EMPTY = "No environment yet: Invoke or Init starts one (a cold start)."
#: Up to this many environments get a full row (with the diagram); more get compact chips.
FULL_ROWS = 4
#: At most this many chips; the rest are counted ("+12 more").
MAX_CHIPS = 48


@dataclass(frozen=True)
class EnvSnapshot:
    """A consistent copy of what the views show about one environment."""

    id: str
    state: EnvState
    history: tuple[tuple[float, EnvState], ...]
    pid: int | None = None
    invocations: int = 0
    cold_starts: int = 0
    max_memory_used_mb: int = 0
    shutdown_path: str | None = None
    init_type: str = "on-demand"
    busy: bool = False

    @property
    def provisioned(self) -> bool:
        """Initialized ahead of time for provisioned concurrency."""
        return self.init_type == PROVISIONED

    @property
    def live(self) -> bool:
        """False once the environment is shut down."""
        return self.state is not EnvState.SHUT_DOWN

    @property
    def ended_at(self) -> float | None:
        """When it was shut down (the last history entry), or None while live."""
        return None if self.live or not self.history else self.history[-1][0]


def snapshot(env: ExecutionEnvironment) -> EnvSnapshot:
    """Copy ``env``'s state and history under its state machine's lock."""
    with env.state:  # the lock the I/O thread takes for every transition
        state, history = env.state.state, tuple(env.state.history)
    path = env.shutdown_path.value if env.shutdown_path is not None else None
    return EnvSnapshot(
        env.id,
        state,
        history,
        env.pid,
        env.invocations,
        env.cold_starts,
        env.max_memory_used_mb,
        path,
        env.init_type,
        env.busy,
    )


def _phase_box(phase: str, lit: str, solid: bool) -> str:
    color = COLORS[phase]
    if phase != lit:
        style = f"border:1px solid #d0d7de;color:{MUTED};background:transparent"
    elif solid:
        style = f"border:1px solid {color};color:#fff;background:{color};font-weight:600"
    else:  # warm between invokes: inside the Invoke phase, but not running
        style = f"border:1px solid {color};color:{color};background:{color}22;font-weight:600"
    return (
        f'<span class="lm-phase{" lm-lit" if phase == lit else ""}" title="{esc(MEANING[phase])}"'
        f' style="display:inline-block;padding:0 7px;border-radius:4px;font-size:11.5px;'
        f'line-height:18px;{style}">{phase}</span>'
    )


def diagram_html(state: EnvState) -> str:
    """``Init → Invoke → Shutdown`` with the phase of ``state`` lit (solid while it acts)."""
    solid = state in (
        EnvState.INITIALIZING,
        EnvState.INVOKING,
        EnvState.SHUTTING_DOWN,
        EnvState.SHUT_DOWN,
    )
    arrow = f'<span style="color:{MUTED};margin:0 3px">\u2192</span>'
    return arrow.join(_phase_box(p, state.phase, solid) for p in PHASES)


def _state_badge(state: EnvState) -> str:
    return badge(state.value, state_color(state), MEANING.get(KIND_OF_STATE.get(state, ""), ""))


def _provisioned_badge() -> str:
    return badge("provisioned", PROVISIONED_COLOR, PROVISIONED_TIP)


def _details(snap: EnvSnapshot) -> str:
    parts = ["provisioned concurrency"] if snap.provisioned else []
    if snap.pid is not None:
        parts.append(f"pid {snap.pid}")
    parts.append(f"{snap.invocations} invocation{'s' if snap.invocations != 1 else ''}")
    parts.append(f"{snap.cold_starts} cold start{'s' if snap.cold_starts != 1 else ''}")
    if snap.max_memory_used_mb:
        parts.append(f"{snap.max_memory_used_mb} MB max")
    if snap.shutdown_path:
        parts.append(f"shutdown: {snap.shutdown_path}")
    return " \u00b7 ".join(parts)


def _attributes(s: EnvSnapshot) -> str:
    return (
        f'data-env="{esc(s.id)}" data-state="{esc(s.state.value)}" '
        f'data-phase="{esc(s.state.phase)}" data-init-type="{esc(s.init_type)}"'
    )


def _full_row(s: EnvSnapshot) -> str:
    mark = f" {_provisioned_badge()}" if s.provisioned else ""
    return (
        f'<div class="lm-env" {_attributes(s)} style="margin:3px 0;font-size:12.5px">'
        f'<code style="margin-right:6px">{esc(s.id)}</code>{diagram_html(s.state)} '
        f'<span style="margin-left:6px">{_state_badge(s.state)}</span>{mark}'
        f'<div style="color:{MUTED};font-size:11.5px;margin:1px 0 0 2px">{esc(_details(s))}</div>'
        "</div>"
    )


def _chip(s: EnvSnapshot) -> str:
    """One environment in little space: id and state, coloured by its phase; details on hover."""
    color = state_color(s.state)
    mark = (
        f' <b style="color:{PROVISIONED_COLOR}" title="{esc(PROVISIONED_TIP)}">P</b>'
        if s.provisioned
        else ""
    )
    tip = f"{s.id} · {s.state.value} · {_details(s)}"
    return (
        f'<div class="lm-env lm-env-chip" {_attributes(s)} title="{esc(tip)}" '
        f'style="display:inline-block;margin:0 4px 4px 0;padding:0 6px;font-size:11.5px;'
        f"line-height:18px;border:1px solid {BORDER};border-left:4px solid {color};"
        f'border-radius:4px"><code>{esc(s.id)}</code> {esc(s.state.value)}{mark}</div>'
    )


def state_html(snaps: Sequence[EnvSnapshot]) -> str:
    """One row per environment: id, diagram, state label and a few figures.

    With more than :data:`FULL_ROWS` environments (a scaled-out pool) each one is a compact
    chip instead (id and state, coloured by phase, details on hover), at most
    :data:`MAX_CHIPS` of them.
    """
    if not snaps:
        return f'<div class="lm-env-empty" style="color:{MUTED};font-size:12.5px">{EMPTY}</div>'
    if len(snaps) <= FULL_ROWS:
        return "".join(_full_row(s) for s in snaps)
    chips = "".join(_chip(s) for s in snaps[:MAX_CHIPS])
    more = ""
    if len(snaps) > MAX_CHIPS:
        more = (
            f'<div class="lm-env-more" style="color:{MUTED};font-size:11.5px">'
            f"+{len(snaps) - MAX_CHIPS} more environments</div>"
        )
    return f'<div class="lm-env-chips">{chips}</div>{more}'
