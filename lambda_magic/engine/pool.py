"""A function's environments, and Lambda's scaling rules for them.

An invocation takes a free warm environment if there is one (provisioned ones first, then the
most recently used) and otherwise starts a new one: a cold start. Concurrency is the number of
invocations in flight, one environment each. Past the function's reserved concurrency, or the
machine-wide limit, an invocation is throttled at once with ``TooManyRequestsException``.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import deque
from collections.abc import Callable

from lambda_magic.core.errors import TooManyRequestsError
from lambda_magic.core.lifecycle import ON_DEMAND, PROVISIONED, EnvState, ShutdownPath
from lambda_magic.core.notifications import EnvironmentCreated, Throttled
from lambda_magic.engine.environment import ExecutionEnvironment
from lambda_magic.engine.services import Hooks, Revision, Services

RETIRED_KEPT = 32


class MachineConcurrency:
    """The machine-wide concurrency limit (Lambda's account limit, scaled to a laptop).

    Set it with ``LAMBDA_MAGIC_CONCURRENCY`` or :func:`set_concurrency_limit`.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self.lock = threading.Lock()

    def take(self) -> None:
        """Count one more invocation in flight, or throttle it."""
        with self.lock:
            if self.in_flight >= self.limit:
                raise TooManyRequestsError("ConcurrentInvocationLimitExceeded")
            self.in_flight += 1

    def give(self) -> None:
        """One invocation fewer in flight."""
        with self.lock:
            self.in_flight -= 1


MACHINE = MachineConcurrency(int(os.environ.get("LAMBDA_MAGIC_CONCURRENCY", "64")))


def set_concurrency_limit(limit: int) -> None:
    """Set how many invocations may be in flight at once on this machine, all functions
    together (default 64, or ``LAMBDA_MAGIC_CONCURRENCY``)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(
            f"the concurrency limit must be a whole number of at least 1, got {limit!r}"
        )
    MACHINE.limit = limit


_GONE = (EnvState.SHUTTING_DOWN, EnvState.SHUT_DOWN)


def same_revision(a: Revision, b: Revision) -> bool:
    """Whether ``a`` and ``b`` run the same thing: one revision of the code, as one version
    (``$LATEST`` or a published number: a version of revision 5 is not revision 5 itself)."""
    return a is b or (a.number == b.number and a.config.version == b.config.version)


class EnvironmentPool:
    """The environments of one function, all its versions together (they share its reserved
    concurrency).

    ``current()`` gives the function's current revision (new environments run it unless an
    invocation names another, such as a published version's); ``kept(revision)`` says whether
    a revision still runs (by default: the current one); environments of one that no longer
    does are retired when released. ``hooks`` take their logs and notifications.
    """

    def __init__(
        self,
        current: Callable[[], Revision],
        services: Services,
        hooks: Hooks,
        kept: Callable[[Revision], bool] | None = None,
    ) -> None:
        self.current = current
        self.kept = kept or (lambda revision: same_revision(revision, self.current()))
        self.services, self.hooks = services, hooks
        self.environments: list[ExecutionEnvironment] = []
        #: The most recently shut-down environments, for timelines and status (bounded).
        self.retired: deque[ExecutionEnvironment] = deque(maxlen=RETIRED_KEPT)
        self.throttles = 0
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    @property
    def in_flight(self) -> int:
        """Invocations running now (the function's concurrency in use)."""
        return sum(1 for e in self.environments if e.busy)

    @staticmethod
    def _live(env: ExecutionEnvironment) -> bool:
        return env.state.state not in _GONE

    @staticmethod
    def _usable(env: ExecutionEnvironment, revision: Revision) -> bool:
        lifecycle = env.state
        return (
            not lifecycle.busy
            and same_revision(env.revision, revision)
            and lifecycle.state not in _GONE
        )

    def acquire(
        self, init_type: str = ON_DEMAND, new: bool = False, revision: Revision | None = None
    ) -> ExecutionEnvironment:
        """Reserve an environment of ``revision`` (the current one by default) for one
        invocation (or Init), creating one if none is free; a throttle raises
        TooManyRequestsError (and observers hear of it)."""
        try:
            pick, created = self._reserve(init_type, new, revision)
        except TooManyRequestsError as e:
            self.hooks.notify(Throttled(e))
            raise
        if created:
            self.hooks.notify(EnvironmentCreated(pick))
        return pick

    def _reserve(
        self, init_type: str, new: bool, revision: Revision | None
    ) -> tuple[ExecutionEnvironment, bool]:
        current = self.current()
        revision = revision or current
        reserved = current.config.reserved_concurrency  # the function's, not a version's
        with self._lock:
            if reserved is not None and self.in_flight >= reserved:
                self.throttles += 1
                raise TooManyRequestsError("ReservedFunctionConcurrentInvocationLimitExceeded")
            try:
                MACHINE.take()
            except TooManyRequestsError:
                self.throttles += 1
                raise
            free = [] if new else [e for e in self.environments if self._usable(e, revision)]
            warm = [e for e in free if e.state.state.is_warm] or free
            pick = (  # a lone candidate (the usual warm invoke) needs no ordering
                warm[0]
                if len(warm) == 1
                else max(
                    warm, default=None, key=lambda e: (e.init_type == PROVISIONED, e.last_used)
                )
            )
            created = pick is None
            if pick is None:
                pick = ExecutionEnvironment(
                    revision, next(self._numbers), init_type, self.services, self.hooks
                )
                self.environments.append(pick)
            with pick.state.lock:
                pick.state.busy = True
            return pick, created

    def release(self, env: ExecutionEnvironment) -> None:
        """Free an environment; one left behind by a new revision or a reset is shut down."""
        with self._lock:
            with env.state.lock:
                env.state.busy = False
                retire = env.state.retire or not self.kept(env.revision)
            MACHINE.give()
        if retire:
            self.shutdown([env])

    def shutdown(self, envs: list[ExecutionEnvironment]) -> list[ShutdownPath]:
        """Run the Shutdown phase of ``envs`` (in parallel) and forget them."""
        paths: list[ShutdownPath] = [ShutdownPath.NOT_RUNNING] * len(envs)

        def one(i: int) -> None:
            paths[i] = envs[i].shutdown()

        threads = [threading.Thread(target=one, args=(i,)) for i in range(1, len(envs))]
        for thread in threads:
            thread.start()
        if envs:
            one(0)
        for thread in threads:
            thread.join()
        with self._lock:
            self.retired.extend(e for e in self.environments if e.state.state is EnvState.SHUT_DOWN)
            self.environments = [
                e for e in self.environments if e.state.state is not EnvState.SHUT_DOWN
            ]
        return paths

    def reset(self) -> list[ShutdownPath]:
        """Shut every idle environment down; busy ones go when their invocation ends."""
        with self._lock:
            envs = list(self.environments)
            for env in envs:
                with env.state:
                    if env.state.busy:
                        env.state.retire = True
        return self.shutdown([e for e in envs if not e.busy])

    def retire_idle(self) -> list[ShutdownPath]:
        """Shut down every environment not serving an invocation whose revision no longer
        runs (after a new revision; a published version's environments stay)."""
        with self._lock:
            idle = [e for e in self.environments if not e.busy and not self.kept(e.revision)]
        return self.shutdown(idle)

    def expire_idle(self, timeout: float, now: float) -> list[ExecutionEnvironment]:
        """Shut down on-demand environments idle for ``timeout`` seconds or more."""
        with self._lock:
            due = [
                e
                for e in self.environments
                if not e.busy
                and e.state.state.is_warm
                and e.init_type != PROVISIONED
                and now - e.last_used >= timeout
            ]
            for env in due:
                with env.state:
                    env.state.busy = True
        self.shutdown(due)
        return due

    def provisioned(self, revision: Revision | None = None) -> list[ExecutionEnvironment]:
        """The live provisioned environments of ``revision`` (the current one by default)."""
        revision = revision or self.current()
        return [
            e
            for e in self.environments
            if e.init_type == PROVISIONED and same_revision(e.revision, revision) and self._live(e)
        ]
