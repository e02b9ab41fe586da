"""The execution environment lifecycle as one explicit state machine, and every fact that
decides its transitions.

Lambda's phases are Init, Invoke and Shutdown. What may happen to an environment is a
:class:`Trigger`; :data:`RULES` is the single source of truth for the state each trigger leads
to from each state. A trigger from a state it has no rule for raises
:class:`IllegalTransition` (everything is disallowed by default, as in Lambda's own emulator),
unless :data:`TOLERATED` lists that state: a race that is expected (a runtime that exits while a
shutdown is under way) and changes nothing.

:class:`Lifecycle` holds the state together with the facts the engine decides transitions on
(reserved by a caller, to retire when released, an event about to be delivered, the current
runtime's exit, its pending ``/next``, its Init error, counters), all under one lock. Listeners
hear of transitions only after that lock is released, on the thread that made the transition.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lambda_magic.core.errors import LambdaMagicError

log = logging.getLogger("lambda_magic")

#: ``AWS_LAMBDA_INITIALIZATION_TYPE`` values.
ON_DEMAND, PROVISIONED = "on-demand", "provisioned-concurrency"


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

    # Members are singletons compared by identity: hash them as such, in C (Enum's own
    # ``__hash__`` is a Python call, and the transition tables look states up on the hot path).
    __hash__ = object.__hash__

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


class Trigger(enum.Enum):
    """What can happen to an environment."""

    __hash__ = object.__hash__  # as EnvState's

    START_INIT = "start Init"  # a runtime is started (a cold start, or a retried Init)
    READY = "runtime ready"  # the runtime asked for an event (Init done, or an invoke's end)
    INIT_FAILED = "Init failed"
    DELIVER = "deliver an event"
    FREEZE = "freeze"
    LOST = "runtime lost"  # the runtime exited while idle (killed from outside)
    STOP = "stop the runtime"  # a timeout, crash, out of memory or interrupt: a reset
    SHUTDOWN = "shut down"
    FINISHED = "shut down complete"


S, T = EnvState, Trigger
RULES: dict[Trigger, dict[EnvState, EnvState]] = {
    T.START_INIT: {S.NEW: S.INITIALIZING, S.RESET: S.INITIALIZING, S.INIT_FAILED: S.INITIALIZING},
    T.READY: {S.INITIALIZING: S.IDLE, S.INVOKING: S.IDLE},
    T.INIT_FAILED: {S.INITIALIZING: S.INIT_FAILED},
    T.DELIVER: {S.IDLE: S.INVOKING, S.FROZEN: S.INVOKING},
    T.FREEZE: {S.IDLE: S.FROZEN},
    T.LOST: {S.IDLE: S.RESET, S.FROZEN: S.RESET},
    T.STOP: {S.INITIALIZING: S.RESET, S.INVOKING: S.RESET, S.IDLE: S.RESET, S.FROZEN: S.RESET},
    T.SHUTDOWN: {s: S.SHUTTING_DOWN for s in S if s not in (S.SHUTTING_DOWN, S.SHUT_DOWN)},
    T.FINISHED: {S.SHUTTING_DOWN: S.SHUT_DOWN},
}
_LATE = frozenset({S.SHUTTING_DOWN, S.SHUT_DOWN})
#: Expected races: the trigger arrives in a state where it no longer matters.
TOLERATED: dict[Trigger, frozenset[EnvState]] = {
    T.READY: frozenset(s for s in S if s not in (S.INITIALIZING, S.INVOKING)),
    T.INIT_FAILED: _LATE | {S.RESET},
    T.FREEZE: frozenset(s for s in S if s is not S.IDLE),
    T.LOST: frozenset(s for s in S if s not in (S.IDLE, S.FROZEN)),
    T.STOP: _LATE | {S.RESET, S.INIT_FAILED, S.NEW},
    T.SHUTDOWN: _LATE,
}
del S, T

#: Which state may follow which (derived from :data:`RULES`).
TRANSITIONS: dict[EnvState, frozenset[EnvState]] = {
    state: frozenset(rule[state] for rule in RULES.values() if state in rule) for state in EnvState
}


class IllegalTransition(LambdaMagicError):
    """A trigger that :data:`RULES` does not allow from the current state."""

    def __init__(self, current: EnvState, target: EnvState | Trigger) -> None:
        what = target.value
        super().__init__(f"illegal lifecycle transition {current.value} -> {what}")
        self.current = current
        self.target = target


class ShutdownPath(enum.Enum):
    """How an environment's runtime ended at Shutdown."""

    GRACEFUL = "graceful"  # exited within the grace period after SIGTERM
    KILLED = "killed"  # still running after the grace period: SIGKILL
    NOT_RUNNING = "not running"  # no runtime was alive (never started, crashed, reset)


class Outcome(enum.Enum):
    """How a wait for a runtime ended."""

    DONE = "done"  # what was waited for happened
    EXITED = "exited"  # the runtime exited first
    TIMEOUT = "timeout"
    OUT_OF_MEMORY = "out of memory"


@dataclass
class RuntimeFacts:
    """The current runtime process as the platform has seen it (reset for each new one)."""

    exited: bool = True
    exit_status: int | None = None
    #: The runtime's pending ``/next`` request (a connection of the Runtime API), if any.
    waiting: Any = None
    #: What the runtime posted to ``/init/error``: (payload, error type).
    init_error: Any = None


Listener = Callable[[EnvState, EnvState], None]


class Lifecycle:
    """One environment's state, its history and the facts that decide its transitions.

    The Runtime API thread, the process watcher and caller threads all race on it: every read
    and change of a fact happens under its lock (``with lifecycle:``, reentrant; or
    ``with lifecycle.lock:``, cheaper, where no trigger fires), and
    :meth:`fire` wakes waiters. Listeners are called once the outermost ``with`` is left, never
    while the lock is held.
    """

    def __init__(self, initial: EnvState = EnvState.NEW) -> None:
        #: The lock alone, for reading or changing facts where no trigger fires (and so no
        #: listener has to run afterwards): C-level on the hot path, where ``with lifecycle:``
        #: costs two Python calls. Waiting and waking work under either.
        self.lock = threading.RLock()
        self._cond = threading.Condition(self.lock)
        self._depth = 0
        self._pending: list[tuple[EnvState, EnvState]] = []
        self._state = initial
        self.history: deque[tuple[float, EnvState]] = deque([(time.time(), initial)], maxlen=256)
        self._listeners: list[Listener] = []
        #: Reserved by a caller for one invocation (or Init).
        self.busy = False
        #: Shut down when released (the function was reset while this one was busy).
        self.retire = False
        #: An invocation is about to be delivered: do not freeze in between.
        self.delivery_pending = False
        #: Init ran ahead of the first invoke (pre-warmed): its duration, for that REPORT.
        self.pending_init_ms: float | None = None
        self.invocations = 0
        self.cold_starts = 0
        self.runtime = RuntimeFacts()

    @property
    def state(self) -> EnvState:
        """The current state."""
        return self._state

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(old, new)`` after every transition, outside the lock."""
        self._listeners.append(listener)

    def fire(self, trigger: Trigger) -> bool:
        """Apply ``trigger``: True if the state changed, False for a tolerated race; an illegal
        trigger raises :class:`IllegalTransition`."""
        with self:
            old = self._state
            target = RULES[trigger].get(old)
            if target is None:
                if old in TOLERATED.get(trigger, ()):
                    return False
                raise IllegalTransition(old, trigger)
            self._state = target
            self.history.append((time.time(), target))
            self._pending.append((old, target))
            self._cond.notify_all()
        return True

    def transition(self, target: EnvState) -> None:
        """Move to ``target`` directly (tests and tools; the engine uses :meth:`fire`)."""
        with self:
            old = self._state
            if target not in TRANSITIONS[old]:
                raise IllegalTransition(old, target)
            self._state = target
            self.history.append((time.time(), target))
            self._pending.append((old, target))
            self._cond.notify_all()

    def notify_all(self) -> None:
        """Wake every waiter (a fact changed). Call under the lock."""
        self._cond.notify_all()

    def wait(self, timeout: float | None) -> None:
        """Wait for a change (under the lock), at most ``timeout`` seconds."""
        # The lock is free while this thread waits: another thread's outermost ``with`` must
        # see depth 0 then (and call its listeners), and this thread's depth comes back after.
        depth, self._depth = self._depth, 0
        try:
            self._cond.wait(timeout)
        finally:
            self._depth = depth

    def wait_for(
        self, states: frozenset[EnvState] | set[EnvState], timeout: float | None
    ) -> EnvState:
        """Block until the state is one of ``states`` or ``timeout`` passes; return the state."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self:
            while self._state not in states:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self.wait(left)
            return self._state

    def __enter__(self) -> Lifecycle:
        self.lock.acquire()  # the RLock itself, not the Condition's Python-level wrapper
        self._depth += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        self._depth -= 1
        if self._depth or not self._pending:
            self.lock.release()
            return
        pending, self._pending = self._pending, []
        self.lock.release()
        for old, new in pending:
            for listener in list(self._listeners):
                try:
                    listener(old, new)
                except Exception:  # a broken observer must never break the lifecycle: said
                    log.exception(
                        "lifecycle listener %r failed on %s -> %s", listener, old.value, new.value
                    )
