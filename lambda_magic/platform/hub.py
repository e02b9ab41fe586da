"""The host's single I/O thread.

One daemon thread runs a ``selectors`` loop over every Runtime API socket, every environment's
log pipe and the sandbox manager's control socket, however many functions and environments
exist; so the host's thread count stays flat. Callers never touch the selector directly:
registrations and other work are handed to the loop with :meth:`Hub.call_soon`.

The thread is long-lived for a second reason: Linux delivers a parent-death signal when the
*thread* that started a child exits, so the sandbox manager is started from this thread.
"""

from __future__ import annotations

import os
import selectors
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
Callback = Callable[[], None]


class Hub:
    """A selector loop in a daemon thread, with thread-safe scheduling."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._calls: deque[Callback] = deque()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, self._drain_wakeups)
        self._thread = threading.Thread(target=self._run, name="lambda-magic-hub", daemon=True)
        self._thread.start()

    def in_loop(self) -> bool:
        """Whether the caller is running on the loop's thread."""
        return threading.current_thread() is self._thread

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the loop thread (from any thread)."""
        self._calls.append(lambda: fn(*args))
        try:
            os.write(self._wake_w, b"\0")
        except BlockingIOError:  # the loop is already awake with a full pipe
            pass

    def run_sync(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        """Run ``fn`` on the loop thread and return its result (raise its exception)."""
        if self.in_loop():
            return fn()
        future: Future[T] = Future()

        def call() -> None:
            try:
                future.set_result(fn())
            except BaseException as e:
                future.set_exception(e)

        self.call_soon(call)
        return future.result(timeout)

    def add_reader(self, fileobj: Any, callback: Callback) -> None:
        """Call ``callback()`` on the loop thread whenever ``fileobj`` is readable."""
        self.call_soon(self._set, fileobj, selectors.EVENT_READ, callback, None)

    def set_writer(self, fileobj: Any, read_cb: Callback, write_cb: Callback | None) -> None:
        """Watch ``fileobj`` for writability too (``write_cb``) or stop (``None``)."""
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if write_cb else 0)
        self.call_soon(self._set, fileobj, events, read_cb, write_cb)

    def remove(self, fileobj: Any, then: Callback | None = None) -> None:
        """Stop watching ``fileobj``; ``then()`` runs on the loop once it is removed."""

        def unregister() -> None:
            try:
                self._selector.unregister(fileobj)
            except (KeyError, ValueError, OSError):
                pass
            if then is not None:
                then()

        self.call_soon(unregister)

    def _set(self, fileobj: Any, events: int, read_cb: Callback, write_cb: Callback | None) -> None:
        data = (read_cb, write_cb)
        try:
            self._selector.modify(fileobj, events, data)
        except KeyError:
            try:
                self._selector.register(fileobj, events, data)
            except (ValueError, OSError):  # closed before the loop got to it
                pass
        except (ValueError, OSError):
            pass

    def _drain_wakeups(self) -> None:
        try:
            while os.read(self._wake_r, 4096):
                pass
        except BlockingIOError:
            pass

    def _run(self) -> None:
        while True:
            for key, mask in self._selector.select():
                if key.fd == self._wake_r:
                    self._drain_wakeups()
                    continue
                read_cb, write_cb = key.data
                try:
                    if mask & selectors.EVENT_WRITE and write_cb is not None:
                        write_cb()
                    if mask & selectors.EVENT_READ:
                        read_cb()
                except Exception:  # one broken connection must not stop the host's I/O
                    _report_exception()
            while self._calls:
                try:
                    self._calls.popleft()()
                except Exception:
                    _report_exception()


def _report_exception() -> None:
    import traceback

    traceback.print_exc()


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """The process-wide hub, started on first use."""
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        return _hub


def _forget_after_fork() -> None:
    # A forked child of the host has no hub thread; let it start its own if it needs one.
    global _hub, _hub_lock
    _hub = None
    _hub_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
