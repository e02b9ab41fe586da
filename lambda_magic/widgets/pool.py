"""The function's pool of environments at a glance: how many, in which states, concurrency in
use against its limit, reserved and provisioned concurrency, throttles and queued async events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.engine.pool import MACHINE
from lambda_magic.views.pool import PoolFigures, pool_html
from lambda_magic.views.state import EnvSnapshot

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction


def pool_figures(fn: LambdaFunction, snaps: Sequence[EnvSnapshot]) -> PoolFigures:
    """The pool of ``fn`` now; ``snaps`` are the environments the panel follows."""
    live = [s for s in snaps if s.live]
    counts = Counter(s.state.value for s in live)
    order = {label: i for i, label in enumerate(dict.fromkeys(s.state.value for s in live))}
    cfg = fn.config
    return PoolFigures(
        environments=len(live),
        states=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))),
        in_flight=fn.pool.in_flight,
        reserved=cfg.reserved_concurrency,
        provisioned=cfg.provisioned_concurrency or 0,
        provisioned_live=sum(1 for s in live if s.provisioned),
        throttles=fn.pool.throttles,
        async_pending=fn.async_pending(),
        machine_limit=MACHINE.limit,
    )


class PoolView(w.HTML):  # type: ignore[misc]
    """The pool's figures (see :func:`pool_html`)."""

    def __init__(self) -> None:
        super().__init__(value=pool_html(PoolFigures()))
        self.add_class("lm-pool")

    def render(self, figures: PoolFigures) -> None:
        """Show ``figures`` (ipywidgets sends nothing when the picture did not change)."""
        self.value = pool_html(figures)
