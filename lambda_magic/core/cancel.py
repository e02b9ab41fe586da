"""Ending invocations from another thread: how an interrupted batch stops at once.

A kernel interrupt (Ctrl-C) reaches only the thread that waits for a batch, while the batch's
invocations wait on their own threads. The batch cancels its :class:`Cancellation`: every
invocation waiting under it ends as if interrupted (its environment is reset, its result says
so) and no queued invocation starts.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol


class Wakeable(Protocol):
    """A lock whose waiters can be woken (a ``threading.Condition``, an environment's
    lifecycle)."""

    def __enter__(self) -> object: ...

    def __exit__(self, *exc: object) -> None: ...

    def notify_all(self) -> None: ...


class Interrupted(KeyboardInterrupt):
    """Raised in an invocation's thread when its :class:`Cancellation` is cancelled."""


class Cancellation:
    """A flag that wakes every environment waiting under it when set."""

    def __init__(self) -> None:
        self._cancelled = False
        self._lock = threading.Lock()
        self._waiting: dict[int, Wakeable] = {}

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled

    def cancel(self) -> None:
        """End every invocation waiting under this token, and any that would start."""
        with self._lock:
            self._cancelled = True
            waiting = list(self._waiting.values())
        for cv in waiting:
            with cv:
                cv.notify_all()

    def check(self) -> None:
        """Raise :class:`Interrupted` if cancelled."""
        if self._cancelled:
            raise Interrupted()

    def watch(self, cv: Wakeable) -> None:
        """Wake ``cv``'s waiters when cancelled (until :meth:`unwatch`)."""
        with self._lock:
            self._waiting[id(cv)] = cv

    def unwatch(self, cv: Wakeable) -> None:
        """Stop waking ``cv``."""
        with self._lock:
            self._waiting.pop(id(cv), None)


_background: set[Cancellation] = set()
_background_lock = threading.Lock()


@contextlib.contextmanager
def in_background(cancel: Cancellation) -> Iterator[Cancellation]:
    """Register work that runs off the caller's thread (a control panel's Invoke ×N), so that
    :func:`cancel_background` (a kernel interrupt while the kernel is idle) ends it."""
    with _background_lock:
        _background.add(cancel)
    try:
        yield cancel
    finally:
        with _background_lock:
            _background.discard(cancel)


def cancel_background() -> int:
    """Cancel every registered background run; how many there were."""
    with _background_lock:
        running = list(_background)
    for cancel in running:
        cancel.cancel()
    return len(running)
