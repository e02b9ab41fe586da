"""The parts of a :class:`~lambda_magic.widgets.panel.LambdaPanel`, for code and tests: its
function, editor, buttons and views, as read-only properties (and ``batch_size``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.widgets.controls import LifecycleControls
    from lambda_magic.widgets.editor import EventEditor
    from lambda_magic.widgets.history import HistoryView
    from lambda_magic.widgets.pool import PoolView
    from lambda_magic.widgets.result import ResultView
    from lambda_magic.widgets.state import StateView
    from lambda_magic.widgets.timeline import TimelineView


class PanelParts:
    """A mixin of :class:`~lambda_magic.widgets.panel.LambdaPanel`, which sets these attributes
    when it is built."""

    _fn: LambdaFunction
    _editor: EventEditor
    _controls: LifecycleControls
    _result: ResultView
    _pool_view: PoolView
    _progress_bar: w.IntProgress
    _state_view: StateView
    _history: HistoryView
    _timeline: TimelineView

    @property
    def function(self) -> LambdaFunction:
        """The function this panel drives."""
        return self._fn

    @property
    def editor(self) -> EventEditor:
        """The event editor."""
        return self._editor

    @property
    def controls(self) -> LifecycleControls:
        """The lifecycle buttons."""
        return self._controls

    @property
    def result_view(self) -> ResultView:
        """The result view."""
        return self._result

    @property
    def pool_view(self) -> PoolView:
        """The pool's figures."""
        return self._pool_view

    @property
    def progress_bar(self) -> w.IntProgress:
        """The progress of a running Invoke ×N (hidden otherwise)."""
        return self._progress_bar

    @property
    def batch_size(self) -> int:
        """N of **Invoke ×N** (1 to 100); setting it clamps with a notice, as the field does."""
        return self._controls.n

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        self._controls.set_n(int(value))

    @property
    def state_view(self) -> StateView:
        """The environments' states."""
        return self._state_view

    @property
    def history_view(self) -> HistoryView:
        """The invocations table."""
        return self._history

    @property
    def timeline(self) -> TimelineView:
        """The timeline."""
        return self._timeline
