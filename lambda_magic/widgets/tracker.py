"""Which environments the panel follows, and consistent copies of what it shows about them."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.views.state import EnvSnapshot, snapshot

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.engine.environment import ExecutionEnvironment
    from lambda_magic.engine.result import InvocationResult

#: Environments followed at most: beyond this, the oldest shut-down ones are forgotten (live
#: ones are always followed, however many the pool scales out to).
MAX_TRACKED = 32
#: When none is live, the state view shows those shut down within this many seconds of the last.
SAME_SHUTDOWN_S = 2.0


class EnvTracker:
    """The environments of one function, including shut-down ones (which the function forgets
    but the timeline keeps showing). Thread-safe: fed from the I/O thread, read by painters."""

    def __init__(self, function: LambdaFunction, limit: int = MAX_TRACKED) -> None:
        self._fn = function
        self._limit = limit
        self._lock = threading.Lock()
        self._envs: dict[str, ExecutionEnvironment] = {}
        for env in list(function.environments):
            self.track(env)

    def track(self, env: ExecutionEnvironment) -> None:
        """Follow ``env`` (again is harmless)."""
        with self._lock:
            if env.id in self._envs:
                return
            self._envs[env.id] = env
            if len(self._envs) <= self._limit:
                return
            ended = [k for k, e in self._envs.items() if e.state.state is EnvState.SHUT_DOWN]
            for key in ended[: len(self._envs) - self._limit]:
                del self._envs[key]

    def states(self) -> dict[str, str]:
        """Environment id to its state's label, oldest environment first."""
        with self._lock:
            return {k: e.state.state.value for k, e in self._envs.items()}

    def snapshots(self) -> list[EnvSnapshot]:
        """A snapshot of every followed environment, oldest first."""
        with self._lock:
            envs = list(self._envs.values())
        return [snapshot(env) for env in envs]

    @staticmethod
    def visible(snaps: list[EnvSnapshot]) -> list[EnvSnapshot]:
        """Live environments; when none is live, the ones the last shutdown ended."""
        live = [s for s in snaps if s.live]
        if live or not snaps:
            return live
        last = max(s.ended_at or 0.0 for s in snaps)
        return [s for s in snaps if (s.ended_at or 0.0) >= last - SAME_SHUTDOWN_S]

    def results(self) -> list[InvocationResult]:
        """A copy of the function's invocation history, oldest first."""
        for _ in range(5):  # the deque may grow on another thread while it is copied
            try:
                return list(self._fn.history)
            except RuntimeError:
                continue
        return []
