"""The panel's live timeline widget (the picture is :func:`~lambda_magic.views.timeline.timeline_svg`)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.views.state import EnvSnapshot
from lambda_magic.views.timeline import timeline_svg


class TimelineView(w.HTML):  # type: ignore[misc]
    """The live timeline (see :func:`timeline_svg`)."""

    def __init__(self) -> None:
        super().__init__(value=timeline_svg([], 0.0))
        self.add_class("lm-timeline-view")

    def render(self, snaps: Sequence[EnvSnapshot], now: float) -> None:
        """Redraw for ``snaps`` at ``now`` (ipywidgets sends nothing when the picture did not
        change)."""
        self.value = timeline_svg(snaps, now)
