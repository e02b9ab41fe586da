"""Cold start: a new execution environment to its first response, beside an interpreter start.

Each round runs five blocks, in an order that rotates from round to round:

* ``fresh_back_to_back``: ``LambdaFunction(...)`` and its first ``invoke()``, timed together
  (a new function's code package, sandbox, runtime process and Init to the first response),
  ``per_block`` times one after another with no idle gap; one untimed start goes first (it
  may find a spare the manager made during the previous block), and the block's functions
  are shut down after it, untimed;
* ``python_c_pass``: ``subprocess.run([python, "-c", "pass"])``, ``per_block`` times one
  after another, where ``python`` is in a new, empty virtual environment (the baseline: an
  interpreter's start with the standard ``site``, and no start-up hook of an installed
  package); ``python_c_pass_venv``: the same with this process's interpreter (in the
  project's virtual environment, lambda_magic's editable install adds an import hook to
  every start); ``python_S_c_pass``: this interpreter with ``-S`` (no ``site`` at all);
* ``reset_idle`` (context): ``fn.reset()``, ``idle_s`` of quiet, then ``fn.invoke()`` timed,
  ``idle_per_block`` times: the cold start a person gets after a pause.

Once it has had no request for 20 ms, the sandbox manager forks a *spare* child that is
already in fresh cgroups and its own mount namespace; the next sandbox takes it over, so a
cold start after a pause skips the slow part of the setup (on Linux, moving a process into a
cgroup after a quiet spell waits for an RCU grace period, about 10 ms: see
``probe_cold_path.py``). Back to back no spare is ready: the manager forks a child that joins
its cgroups and builds its namespace while the caller waits. The sandbox manager is already
running; its one-time start is measured separately, in fresh processes.

The host's requests to the sandbox manager (``create``, ``spawn``) are timed on the way by
wrapping ``SandboxManager.request``, to show where a cold start goes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench_baselines import clean_python, interpreter_start_ms
from bench_invoke import noop_function
from stats import NS_PER_MS
from workers import make_event

from lambda_magic import InvocationResult, LambdaFunction
from lambda_magic.platform.sandbox.client import SandboxManager

KINDS = ("fresh_back_to_back", "python_c_pass", "python_c_pass_venv", "python_S_c_pass",
         "reset_idle")  # fmt: skip
COLD_KINDS = ("fresh_back_to_back", "reset_idle")


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


def _check_cold(result: InvocationResult, event: Any) -> None:
    if not result.ok or not result.cold_start or result.payload != event:
        raise RuntimeError(f"expected a successful cold start, got {result!r}")


class _Recorder:
    """Collects wall times, reported Init Durations and manager request times per kind."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {k: [] for k in KINDS}
        self.init: dict[str, list[float]] = {k: [] for k in COLD_KINDS}
        self.requests: dict[str, dict[str, list[float]]] = {k: {} for k in COLD_KINDS}
        self.made = 0

    def _fresh(self, event: Any, into: list[LambdaFunction]) -> tuple[float, InvocationResult]:
        self.made += 1
        start = time.perf_counter_ns()
        fn = noop_function(f"bench-cold-{self.made}", True)
        result = fn.invoke(event)
        elapsed = (time.perf_counter_ns() - start) / NS_PER_MS
        into.append(fn)
        _check_cold(result, event)
        return elapsed, result

    def _keep(self, kind: str, elapsed: float, result: InvocationResult) -> None:
        self.wall[kind].append(elapsed)
        self.init[kind].append(result.report.init_duration_ms or 0.0)

    def fresh_block(self, event: Any, count: int) -> None:
        made: list[LambdaFunction] = []
        try:
            self._fresh(event, made)  # may take a spare: not timed
            with manager_request_times(self.requests["fresh_back_to_back"]):
                for _ in range(count):
                    self._keep("fresh_back_to_back", *self._fresh(event, made))
        finally:
            for fn in made:
                fn.shutdown()

    def python_block(self, kind: str, flags: tuple[str, ...], python: str, count: int) -> None:
        self.wall[kind] += [interpreter_start_ms(*flags, python=python) for _ in range(count)]

    def idle_block(self, fn: LambdaFunction, event: Any, count: int, idle_s: float) -> None:
        for _ in range(count):
            fn.reset()
            time.sleep(idle_s)
            with manager_request_times(self.requests["reset_idle"]):
                start = time.perf_counter_ns()
                result = fn.invoke(event)
                elapsed = (time.perf_counter_ns() - start) / NS_PER_MS
            _check_cold(result, event)
            self._keep("reset_idle", elapsed, result)


def cold_starts(
    rounds: int, per_block: int = 10, idle_per_block: int = 3, idle_s: float = 0.1
) -> dict[str, Any]:
    """``rounds`` rounds of the four blocks (see the module docstring)."""
    event = make_event()
    fn = noop_function("bench-cold", True)
    rec = _Recorder()
    tmp = tempfile.TemporaryDirectory()
    try:
        python = clean_python(os.path.join(tmp.name, "venv"))
        fn.invoke(event)  # the function's code package and first environment, not timed
        for exe in (python, sys.executable):  # the interpreters' files in the page cache
            interpreter_start_ms(python=exe)
        rec.fresh_block(event, 2)  # warm-up: the code paths and the manager's caches
        rec.wall["fresh_back_to_back"].clear()
        rec.init["fresh_back_to_back"].clear()
        rec.requests["fresh_back_to_back"].clear()
        blocks: list[Callable[[], None]] = [
            lambda: rec.fresh_block(event, per_block),
            lambda: rec.python_block("python_c_pass", (), python, per_block),
            lambda: rec.python_block("python_c_pass_venv", (), sys.executable, per_block),
            lambda: rec.python_block("python_S_c_pass", ("-S",), sys.executable, per_block),
            lambda: rec.idle_block(fn, event, idle_per_block, idle_s),
        ]
        for i in range(rounds):
            for block in blocks[i % len(blocks) :] + blocks[: i % len(blocks)]:
                block()
    finally:
        fn.shutdown()
        tmp.cleanup()
    return {"idle_s": idle_s, "per_block": per_block, "wall_ms": rec.wall,
            "init_duration_ms": rec.init, "manager_request_ms": rec.requests}  # fmt: skip
