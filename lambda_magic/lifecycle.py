"""The execution environment lifecycle as one explicit state machine.

Lambda's phases are Init, Invoke and Shutdown. :data:`TRANSITIONS` is the single source of
truth for which state may follow which; any other transition raises :class:`IllegalTransition`
(everything is disallowed by default, as in Lambda's own emulator).
"""

from __future__ import annotations

import enum
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from lambda_magic.errors import LambdaMagicError


class EnvState(enum.Enum):
    """States of one execution environment; the value is the label users see."""

    NEW = "New"
    INITIALIZING = "Initializing"
    IDLE = "Idle"
    FROZEN = "Frozen"
    INVOKING = "Invoking"
    #: The runtime was stopped (timeout, crash, out of memory, interrupt); /tmp is kept and the
    #: next invoke re-runs Init inside itself (Lambda's suppressed init).
    RESET = "Reset"
    #: Init failed (error or the 10 s limit); the next invoke retries Init inside itself.
    INIT_FAILED = "Init failed"
    SHUTTING_DOWN = "Shutting down"
    SHUT_DOWN = "Shut down"

    @property
    def phase(self) -> str:
        """The Lambda phase the state belongs to: ``Init``, ``Invoke``, ``Shutdown`` or ``""``."""
        return _PHASES.get(self, "")

    @property
    def is_warm(self) -> bool:
        """True when the runtime is initialized and waiting for an event."""
        return self in (EnvState.IDLE, EnvState.FROZEN)


_PHASES = {
    EnvState.INITIALIZING: "Init",
    EnvState.IDLE: "Invoke",
    EnvState.FROZEN: "Invoke",
    EnvState.INVOKING: "Invoke",
    EnvState.SHUTTING_DOWN: "Shutdown",
    EnvState.SHUT_DOWN: "Shutdown",
}

S = EnvState
TRANSITIONS: dict[EnvState, frozenset[EnvState]] = {
    S.NEW: frozenset({S.INITIALIZING, S.SHUTTING_DOWN}),
    S.INITIALIZING: frozenset({S.IDLE, S.INIT_FAILED, S.RESET, S.SHUTTING_DOWN}),
    S.IDLE: frozenset({S.FROZEN, S.INVOKING, S.RESET, S.SHUTTING_DOWN}),
    S.FROZEN: frozenset({S.IDLE, S.INVOKING, S.RESET, S.SHUTTING_DOWN}),
    S.INVOKING: frozenset({S.IDLE, S.RESET, S.SHUTTING_DOWN}),
    S.RESET: frozenset({S.INITIALIZING, S.SHUTTING_DOWN}),
    S.INIT_FAILED: frozenset({S.INITIALIZING, S.SHUTTING_DOWN}),
    S.SHUTTING_DOWN: frozenset({S.SHUT_DOWN}),
    S.SHUT_DOWN: frozenset(),
}
del S


class IllegalTransition(LambdaMagicError):
    """A lifecycle transition that :data:`TRANSITIONS` does not allow."""

    def __init__(self, current: EnvState, target: EnvState) -> None:
        super().__init__(f"illegal lifecycle transition {current.value} -> {target.value}")
        self.current = current
        self.target = target


Listener = Callable[[EnvState, EnvState], None]


class StateMachine:
    """Thread-safe holder of one environment's state.

    The Runtime API thread, the process watcher and caller threads all race on it, so every
    transition takes the lock, records history, wakes waiters, and then notifies listeners
    outside the lock (listeners may be slow widgets).
    """

    def __init__(self, initial: EnvState = EnvState.NEW) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._state = initial
        self.history: deque[tuple[float, EnvState]] = deque([(time.time(), initial)], maxlen=256)
        self._listeners: list[Listener] = []

    @property
    def state(self) -> EnvState:
        """The current state."""
        return self._state

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(old, new)`` after every transition (from whichever thread made it)."""
        self._listeners.append(listener)

    def transition(self, target: EnvState, *, only_from: Iterable[EnvState] | None = None) -> bool:
        """Move to ``target``.

        With ``only_from``, the transition happens only if the current state is one of those
        and ``False`` is returned otherwise (for races that are expected, e.g. a crash noticed
        while a shutdown is already under way). Without it, an illegal transition raises.
        """
        with self._cond:
            old = self._state
            if only_from is not None and old not in set(only_from):
                return False
            if target not in TRANSITIONS[old]:
                raise IllegalTransition(old, target)
            self._state = target
            self.history.append((time.time(), target))
            self._cond.notify_all()
        for listener in list(self._listeners):
            try:
                listener(old, target)
            except Exception:  # a broken observer must never break the lifecycle
                pass
        return True

    def wait_for(self, states: Iterable[EnvState], timeout: float | None) -> EnvState:
        """Block until the state is one of ``states`` or ``timeout`` passes; return the state."""
        wanted = set(states)
        with self._cond:
            self._cond.wait_for(lambda: self._state in wanted, timeout)
            return self._state

    def __enter__(self) -> StateMachine:
        self._cond.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._cond.__exit__(*exc)
