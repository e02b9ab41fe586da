"""Cold start: a new execution environment to its first response, beside an interpreter start.

Each round times, in this order:

* ``python_c_pass`` / ``python_S_c_pass``: ``subprocess.run([sys.executable, "-c", "pass"])``
  (and with ``-S``);
* ``reset_idle``: ``fn.reset()`` (not timed), then ``fn.invoke()``: a new environment
  (sandbox create, a runtime process from the sandbox manager, Init) for a function whose
  code package exists;
* ``reset_back_to_back``: the same again at once, right after the previous cold start;
* ``fresh_idle``: ``LambdaFunction(...)`` and its first ``invoke()``, both timed (this also
  writes the function's code package); ``fn.shutdown()`` afterwards is not timed.

Every measurement but the back-to-back one starts after ``idle_s`` of quiet, as when a person
runs a cell. Once it has had no request for 20 ms, the sandbox manager forks a *spare* child
that is already in fresh cgroups and its own mount namespace; the next sandbox takes it over,
so a cold start after a pause skips the slow part of the setup (on Linux, moving a process
into a cgroup after a quiet spell waits for an RCU grace period, about 10 ms: see
``probe_cold_path.py``). A back-to-back start comes before a new spare is ready: the manager
forks a child that joins its cgroups and builds its namespace while the caller waits, so it
is the slower kind. Interleaving keeps the ratios honest on a shared machine. The sandbox manager is already
running; its one-time start is measured separately, in fresh processes.

The host's requests to the sandbox manager (``create``, ``spawn``) are timed on the way by
wrapping ``SandboxManager.request``, to show where a cold start goes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from bench_baselines import interpreter_start_ms
from bench_invoke import noop_function
from stats import NS_PER_MS
from workers import make_event

from lambda_magic import InvocationResult, LambdaFunction
from lambda_magic.platform.sandbox.client import SandboxManager

KINDS = ("python_c_pass", "python_S_c_pass", "reset_idle", "reset_back_to_back", "fresh_idle")
COLD_KINDS = KINDS[2:]


@contextlib.contextmanager
def manager_request_times(into: dict[str, list[float]]) -> Iterator[None]:
    """Record the wall time (ms) of each host -> manager request, by operation name."""
    original = SandboxManager.request

    def timed(self: SandboxManager, op: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        start = time.perf_counter_ns()
        try:
            return original(self, op, *args, **kwargs)
        finally:
            into.setdefault(op, []).append((time.perf_counter_ns() - start) / NS_PER_MS)

    SandboxManager.request = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        SandboxManager.request = original  # type: ignore[method-assign]


def _check_cold(result: InvocationResult, event: dict[str, Any]) -> None:
    if not result.ok or not result.cold_start or result.payload != event:
        raise RuntimeError(f"expected a successful cold start, got {result!r}")


def _reset_cold(
    fn: LambdaFunction, event: dict[str, Any], idle_s: float
) -> tuple[float, InvocationResult]:
    fn.reset()
    time.sleep(idle_s)
    start = time.perf_counter_ns()
    result = fn.invoke(event)
    elapsed = (time.perf_counter_ns() - start) / NS_PER_MS
    _check_cold(result, event)
    return elapsed, result


def _fresh_cold(index: int, event: dict[str, Any], idle_s: float) -> tuple[float, InvocationResult]:
    time.sleep(idle_s)
    start = time.perf_counter_ns()
    fn = noop_function(f"bench-cold-{index}", True)
    result = fn.invoke(event)
    elapsed = (time.perf_counter_ns() - start) / NS_PER_MS
    fn.shutdown()
    _check_cold(result, event)
    return elapsed, result


def _interpreter(idle_s: float, *flags: str) -> float:
    time.sleep(idle_s)
    return interpreter_start_ms(*flags)


class _Recorder:
    """Collects wall times, reported Init Durations and manager request times per kind."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {k: [] for k in KINDS}
        self.init: dict[str, list[float]] = {k: [] for k in COLD_KINDS}
        self.requests: dict[str, dict[str, list[float]]] = {k: {} for k in COLD_KINDS}
        self.memory_mb: list[int] = []

    def cold(self, kind: str, measure: Any) -> None:
        with manager_request_times(self.requests[kind]):
            elapsed, result = measure()
        self.wall[kind].append(elapsed)
        self.init[kind].append(result.report.init_duration_ms or 0.0)
        self.memory_mb.append(result.report.max_memory_used_mb)


def cold_starts(rounds: int, idle_s: float = 0.1) -> dict[str, Any]:
    """``rounds`` interleaved measurements of each kind (see the module docstring)."""
    event = make_event()
    fn = noop_function("bench-cold", True)
    fn.invoke(event)  # the function's code package and first environment, not timed
    rec = _Recorder()
    try:
        for i in range(rounds):
            rec.wall["python_c_pass"].append(_interpreter(idle_s))
            rec.wall["python_S_c_pass"].append(_interpreter(idle_s, "-S"))
            rec.cold("reset_idle", lambda: _reset_cold(fn, event, idle_s))
            rec.cold("reset_back_to_back", lambda: _reset_cold(fn, event, 0.0))
            rec.cold("fresh_idle", lambda i=i: _fresh_cold(i, event, idle_s))
    finally:
        fn.shutdown()
    return {"idle_s": idle_s, "wall_ms": rec.wall, "init_duration_ms": rec.init,
            "manager_request_ms": rec.requests, "max_memory_used_mb": rec.memory_mb}  # fmt: skip
