"""The function's pool of environments at a glance (HTML): how many, in which states,
concurrency in use against its limit, reserved and provisioned concurrency, throttles and
queued async events."""

from __future__ import annotations

from dataclasses import dataclass

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.views.html import (
    ERROR,
    MUTED,
    PROVISIONED_COLOR,
    THROTTLED_COLOR,
    esc,
    stat,
    state_color,
)


@dataclass(frozen=True)
class PoolFigures:
    """What the pool view shows, copied at one moment (the panel's ``pool`` trait).

    ``reserved`` is None when the function has no reserved concurrency (it may then scale up
    to the machine-wide ``machine_limit``).
    """

    environments: int = 0
    states: tuple[tuple[str, int], ...] = ()
    in_flight: int = 0
    reserved: int | None = None
    provisioned: int = 0
    provisioned_live: int = 0
    throttles: int = 0
    async_pending: int = 0
    machine_limit: int = 0

    @property
    def limit(self) -> int:
        """The most invocations that may run at once: reserved concurrency, else the machine's."""
        if self.reserved is None:
            return self.machine_limit
        return min(self.reserved, self.machine_limit) if self.machine_limit else self.reserved

    def text(self) -> str:
        """The ``Pool:`` line of the text summary; in-flight and queued figures appear only
        while they are not zero, so a notebook at rest always prints the same line."""
        n = self.environments
        parts = [
            f"{n} live environment{'s' if n != 1 else ''}"
            + (f" ({self.provisioned_live} provisioned)" if self.provisioned_live else "")
        ]
        if self.reserved is not None:
            parts.append(f"reserved concurrency {self.reserved}")
        if self.provisioned:
            parts.append(f"provisioned concurrency {self.provisioned}")
        parts.append(f"throttles {self.throttles}")
        if self.in_flight:
            parts.append(f"concurrency in use {self.in_flight}")
        if self.async_pending:
            parts.append(f"async queued {self.async_pending}")
        return "; ".join(parts)


def _dot(label: str) -> str:
    return (
        f'<span style="display:inline-block;width:8px;height:8px;border-radius:4px;'
        f'background:{state_color(EnvState(label))};margin:0 3px 0 0"></span>'
    )


def pool_html(p: PoolFigures) -> str:
    """A row of figures, then the live environments counted by state."""
    if p.reserved is None:
        limit_tip = f"no reserved concurrency: up to the machine-wide limit of {p.machine_limit}"
        reserved = stat("reserved", "none", "reserved", limit_tip, MUTED)
    else:
        limit_tip = f"reserved concurrency: at most {p.reserved} at once; more are throttled"
        reserved = stat("reserved", p.reserved, "reserved", limit_tip)
    full = p.limit > 0 and p.in_flight >= p.limit
    parts = [
        stat("environments", p.environments, "environments", "live execution environments"),
        stat(
            "in-use",
            f"{p.in_flight} / {p.limit}",
            "in use",
            "concurrency in use: invocations running now / the most allowed at once",
            ERROR if full else None,
        ),
        reserved,
        stat(
            "provisioned",
            p.provisioned,
            "provisioned",
            f"provisioned concurrency: {p.provisioned_live} environment(s) initialized ahead "
            "of time",
            PROVISIONED_COLOR if p.provisioned else MUTED,
        ),
        stat(
            "throttles",
            p.throttles,
            "throttles",
            "invocations refused with TooManyRequestsException (a running count)",
            THROTTLED_COLOR if p.throttles else MUTED,
        ),
        stat(
            "async",
            p.async_pending,
            "async queued",
            "asynchronous events waiting in the queue",
            None if p.async_pending else MUTED,
        ),
    ]
    states = " \u00b7 ".join(f"{_dot(label)}{n} {esc(label)}" for label, n in p.states)
    line = (
        f'<div class="lm-pool-states" style="color:{MUTED};font-size:11.5px;margin:0 0 4px 0">'
        f"{states}</div>"
        if states
        else ""
    )
    return f'<div class="lm-pool-figures">{"".join(parts)}</div>{line}'
