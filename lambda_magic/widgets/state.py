"""The panel's live view of each environment's state (see :func:`~lambda_magic.views.state.state_html`)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.views.state import EnvSnapshot, state_html


class StateView(w.HTML):  # type: ignore[misc]
    """The environments' live states (see :func:`state_html`)."""

    def __init__(self) -> None:
        super().__init__(value=state_html([]))
        self.add_class("lm-state")

    def render(self, snaps: Sequence[EnvSnapshot]) -> None:
        """Show ``snaps`` (ipywidgets sends nothing when the picture did not change)."""
        self.value = state_html(snaps)
