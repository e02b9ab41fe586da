"""Plumbing for widgets updated from other threads: a throttled painter and tree closing."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable

import ipywidgets as w  # type: ignore[import-untyped]


def close_tree(root: w.Widget) -> None:
    """Close ``root``, every widget below it, and their layout and style models.

    A composite's own ``close`` is called for composite children, so each one can release
    what it holds; plain boxes are walked (their ``close`` would leave their children open);
    ``root`` itself is closed with the base :meth:`Widget.close`.
    """
    for child in tuple(getattr(root, "children", ())):
        if not isinstance(child, w.Widget):
            continue
        if type(child).close is w.Widget.close:
            close_tree(child)
        else:
            child.close()
    for name in ("layout", "style"):
        part = getattr(root, name, None)
        if isinstance(part, w.Widget):
            part.close()
    w.Widget.close(root)


class Throttle:
    """Run ``paint()`` soon after :meth:`request`, at most once per ``interval`` seconds.

    Lifecycle events arrive in bursts on lambda_magic's I/O thread (Initializing, Idle, Frozen
    within a few milliseconds); redrawing an SVG and sending it to the browser for each would
    flood the comm channel. A request marks the view dirty; a short-lived timer thread paints
    once for the whole burst. No thread exists while nothing is pending.

    Parameters
    ----------
    paint
        The function that redraws; called on a timer thread or in :meth:`flush`'s caller,
        never twice at once. Exceptions are printed to stderr, never raised.
    interval
        Minimum time between two paints, in seconds.
    """

    def __init__(self, paint: Callable[[], None], interval: float = 0.1) -> None:
        self._paint = paint
        self.interval = interval
        self._lock = threading.Lock()
        self._paint_lock = threading.Lock()
        self._dirty = False
        self._timer: threading.Timer | None = None
        self._last = 0.0
        self._closed = False
        self.paints = 0

    def request(self, delay: float = 0.0) -> None:
        """Ask for a paint within ``max(delay, what the rate limit needs)`` seconds."""
        with self._lock:
            self._dirty = True
            if self._timer is not None or self._closed:
                return
            wait = max(delay, self._last + self.interval - time.monotonic(), 0.0)
            self._timer = threading.Timer(wait, self._on_timer_fire)
            self._timer.daemon = True
            self._timer.name = "lambda-panel-paint"
            self._timer.start()

    def _on_timer_fire(self) -> None:
        with self._lock:
            # Forget the timer and count this paint as started together: a request that comes
            # before the paint waits for the interval instead of painting again at once.
            self._timer = None
            self._last = time.monotonic()
        self.flush()

    def flush(self) -> None:
        """Paint now, in the calling thread, if a request is pending."""
        with self._paint_lock:
            with self._lock:
                if not self._dirty or self._closed:
                    return
                self._dirty = False
                self._last = time.monotonic()
            try:
                self._paint()
                self.paints += 1
            except Exception:  # noqa: BLE001 - a view bug must never break the function or the kernel
                traceback.print_exc(file=sys.stderr)

    @property
    def pending(self) -> bool:
        """True while a paint is requested and not yet done."""
        with self._lock:
            return self._dirty or self._timer is not None

    def close(self) -> None:
        """Cancel any pending paint and refuse new ones."""
        with self._lock:
            self._closed = True
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
