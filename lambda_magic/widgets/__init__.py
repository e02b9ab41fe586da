"""The control panel widget: ``lambda_magic.panel(fn)``.

Built only from ipywidgets 8 core widgets and HTML/SVG, so it works in JupyterLab 4,
Notebook 7, VS Code and Voilà with no front-end bundle. Without a widget front end (nbconvert,
nbval, a terminal) the panel shows a short text summary instead.
"""

from __future__ import annotations

from lambda_magic.views.batch import BatchSummary
from lambda_magic.views.history import history_html
from lambda_magic.views.pool import PoolFigures
from lambda_magic.views.state import EnvSnapshot, snapshot, state_html
from lambda_magic.views.timeline import Span, spans_of, timeline_svg
from lambda_magic.widgets.api import close_panels, panel
from lambda_magic.widgets.controls import LifecycleControls
from lambda_magic.widgets.editor import EventEditor, Validation, validate_event
from lambda_magic.widgets.history import HistoryView
from lambda_magic.widgets.panel import LambdaPanel
from lambda_magic.widgets.pool import PoolView, pool_figures
from lambda_magic.widgets.result import ResultView
from lambda_magic.widgets.saved import SavedEventsBox
from lambda_magic.widgets.state import StateView
from lambda_magic.widgets.templates import TemplatePicker
from lambda_magic.widgets.timeline import TimelineView

__all__ = [
    "BatchSummary",
    "EnvSnapshot",
    "EventEditor",
    "HistoryView",
    "LambdaPanel",
    "LifecycleControls",
    "PoolFigures",
    "PoolView",
    "ResultView",
    "SavedEventsBox",
    "Span",
    "StateView",
    "TemplatePicker",
    "TimelineView",
    "Validation",
    "close_panels",
    "history_html",
    "panel",
    "pool_figures",
    "snapshot",
    "spans_of",
    "state_html",
    "timeline_svg",
    "validate_event",
]
