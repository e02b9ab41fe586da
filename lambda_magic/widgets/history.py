"""The table of invocations: request id, start, cold or warm, duration, memory, status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.views.history import history_html

if TYPE_CHECKING:
    from lambda_magic.engine.result import InvocationResult


class HistoryView(w.HTML):  # type: ignore[misc]
    """The invocations table (see :func:`history_html`)."""

    def __init__(self) -> None:
        super().__init__(value=history_html([]))
        self.add_class("lm-history-view")

    def render(self, results: Sequence[InvocationResult], total: int | None = None) -> None:
        """Show ``results`` (oldest first, as ``fn.history`` keeps them; ``total`` numbers
        them when they are only the newest). ipywidgets sends nothing when it did not change."""
        self.value = history_html(results, total=total)
