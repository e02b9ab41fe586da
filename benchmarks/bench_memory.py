"""Memory of environments and of the sandbox manager.

Every process of an environment's sandbox is measured with psutil's ``memory_full_info``:
RSS (resident, counting pages shared with the manager it was forked from), USS (pages only it
holds: what it really adds) and PSS (shared pages split among their sharers).

* ``idle_environment``: one environment after one invoke of a trivial handler, frozen;
* ``many_environments``: ``count`` (100) environments alive at once (``invoke_many`` of as
  many events whose handler sleeps, at that concurrency; then all frozen), summed, beside as
  many idle interpreters started fresh (``python -S``) as a baseline.

Memory does not move with the machine's load, so these are taken once, not in rounds.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench_baselines import bare_interpreters_mib
from bench_invoke import noop_function
from bench_scaling import SLEEPER
from proc import MEMORY_FIELDS, memory_mib, total_memory_mib
from workers import make_event

from lambda_magic import LambdaFunction
from lambda_magic.core.lifecycle import EnvState
from lambda_magic.engine.pool import MACHINE, set_concurrency_limit
from lambda_magic.platform.sandbox.client import get_manager


def idle_environment(index: int) -> dict[str, Any]:
    """The summed memory of one idle, frozen environment's processes after one invoke."""
    fn = noop_function(f"bench-memory-{index}", True)
    try:
        result = fn.invoke(make_event())
        (env,) = fn.environments
        # invoke() returns once the runtime has asked for the next event, and the environment
        # is frozen before that request wakes the caller: no waiting needed.
        if env.state.state is not EnvState.FROZEN:
            raise RuntimeError(f"expected a frozen environment, got {env.state.state}")
        total = total_memory_mib(env.sandbox.pids())
        return {**total, "reported_max_memory_used_mb": result.report.max_memory_used_mb}
    finally:
        fn.shutdown()


def many_environments(count: int, sleep_s: float = 0.3, tries: int = 4) -> dict[str, Any]:
    """``count`` environments alive at once: their total memory, and the baseline's.

    ``invoke_many`` of ``count`` events whose handler sleeps ``sleep_s``, at concurrency
    ``count``: an invocation that ends before the last environment is started lets another
    one reuse its environment, so it is repeated (with twice the sleep) until ``count``
    environments exist, at most ``tries`` times. The machine-wide limit of invocations in
    flight (64 by default) is raised to ``count`` meanwhile."""
    fn = LambdaFunction("bench-alive", SLEEPER, timeout=30)
    limit = MACHINE.limit
    set_concurrency_limit(max(limit, count))
    try:
        started = time.perf_counter()
        for i in range(tries):
            events = [{"sleep": sleep_s * 2**i}] * count
            results = fn.invoke_many(events, concurrency=count)
            if not all(r.ok for r in results):
                raise RuntimeError(
                    f"an invocation failed: {next(r for r in results if not r.ok)!r}"
                )
            if len(fn.environments) >= count:
                break
        wall = time.perf_counter() - started
        warm = [e for e in fn.environments if e.state.state.is_warm]
        pids = [p for env in warm for p in env.sandbox.pids()]
        found = {"requested": count, "alive": len(warm),
                 "start_wall_s": wall, "batches": i + 1, "environments": total_memory_mib(pids),
                 "manager": memory_mib(get_manager().process.pid)}  # fmt: skip
    finally:
        fn.shutdown()
        set_concurrency_limit(limit)
    found["bare_interpreters"] = bare_interpreters_mib(count)
    return found


def memory(samples: int, count: int) -> dict[str, Any]:
    """Idle environments (``samples``, one at a time), ``count`` at once, manager, caller."""
    environments = [idle_environment(i) for i in range(samples)]
    return {
        "fields": list(MEMORY_FIELDS),
        "idle_environment": environments,
        "many": many_environments(count),
        "manager": memory_mib(get_manager().process.pid),
        "host": memory_mib(os.getpid()),
    }
