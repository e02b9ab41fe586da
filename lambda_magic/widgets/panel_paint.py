"""Painting a :class:`~lambda_magic.widgets.panel.LambdaPanel`: what its repaint does.

A repaint runs on the :class:`~lambda_magic.widgets.util.Throttle`'s timer thread, or on the
thread that calls ``wait()``; it shows the logs and the result the other threads left for it,
and re-renders the views from the function's state.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from lambda_magic.api import endpoint
from lambda_magic.views.summary import header_html
from lambda_magic.widgets.pool import pool_figures

if TYPE_CHECKING:
    from lambda_magic.widgets.panel import LambdaPanel

#: While an action or any invocation runs, repaint this often (running spans grow, the pool
#: figures and the progress bar follow).
BUSY_TICK_S = 0.25


def paint(panel: LambdaPanel) -> None:
    """Repaint every view (nothing once the panel is closed)."""
    if panel._closed:
        return
    with panel._lock:
        logs, panel._log_buffer, panel._log_buffered = "".join(panel._log_buffer), [], 0
        pending, panel._pending = panel._pending, None
    panel._result.append_logs(logs)
    if pending is not None:
        pending()
    snaps = panel._tracker.snapshots()
    panel._state_view.render(panel._tracker.visible(snaps))
    panel._timeline.render(snaps, time.time())
    render_history(panel)
    figures = pool_figures(panel._fn, snaps)
    panel._pool_view.render(figures)
    panel.pool = figures
    paint_progress(panel)
    sync_config(panel)
    sync_controls(panel)
    if panel.busy or figures.in_flight:
        panel._throttle.request(delay=BUSY_TICK_S)


def render_history(panel: LambdaPanel) -> None:
    """The invocations table, with the panel's own throttled invocations merged in."""
    results = panel._tracker.results()
    with panel._lock:
        throttled = list(panel._throttled)
    if throttled:  # fn.history holds only what ran: merge in this panel's throttled ones
        total = len(results) + len(throttled)
        results = sorted(results[-20:] + throttled[-20:], key=lambda r: r.started_at)
        panel._history.render(results, total)
    else:
        panel._history.render(results)


def paint_progress(panel: LambdaPanel) -> None:
    """The progress bar: shown with ``done/total`` while Invoke ×N runs, hidden otherwise."""
    bar = panel._progress_bar
    done, total = panel.batch_progress
    running = panel.action == "batch"
    if running and total:
        bar.max, bar.value, bar.description = total, done, f"{done}/{total} done"
    bar.layout.display = "" if running else "none"


def sync_config(panel: LambdaPanel) -> None:
    """The header, ``revision`` and (unless an action runs) ``freeze`` and its toggle."""
    fn = panel._fn
    panel._header.value = header_html(fn, endpoint.url())
    panel.revision = fn.revision
    if not panel.busy:
        panel.freeze = fn.config.freeze
        panel._controls.set_freeze(fn.config.freeze)


def sync_controls(panel: LambdaPanel) -> None:
    """Enable the buttons that can act now (any thread)."""
    with panel._controls_lock:
        panel._controls.update(
            busy=panel.busy,
            can_invoke=panel._editor.valid,
            has_environments=bool(panel._fn.environments),
        )
