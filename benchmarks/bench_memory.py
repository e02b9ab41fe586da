"""Memory of an idle environment and of the sandbox manager.

After one invoke of a trivial handler the environment sits frozen; every process of its
sandbox is measured with psutil's ``memory_full_info``: RSS (resident, counting pages shared
with the manager it was forked from), USS (pages only it holds: what it really adds) and PSS
(shared pages split among their sharers).
"""

from __future__ import annotations

import os
from typing import Any

import psutil
from bench_invoke import noop_function
from workers import make_event

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.platform.sandbox.client import get_manager

MIB = 1024 * 1024
FIELDS = ("rss", "uss", "pss", "swap")


def process_memory_mb(pid: int) -> dict[str, float]:
    """RSS, USS, PSS and swap of one process, in MiB."""
    info = psutil.Process(pid).memory_full_info()
    return {name: getattr(info, name, 0) / MIB for name in FIELDS}


def idle_environment(index: int) -> dict[str, Any]:
    """The summed memory of one idle, frozen environment's processes after one invoke."""
    fn = noop_function(f"bench-memory-{index}", True)
    try:
        result = fn.invoke(make_event())
        env = fn.environments[0]
        # invoke() returns once the runtime has asked for the next event, and the environment
        # is frozen before that request wakes the caller: no waiting needed.
        if env.state.state is not EnvState.FROZEN:
            raise RuntimeError(f"expected a frozen environment, got {env.state.state}")
        pids = env.sandbox.pids()
        per_process = [process_memory_mb(pid) for pid in pids]
        total = {name: sum(p[name] for p in per_process) for name in FIELDS}
        return {**total, "processes": len(pids), "frozen": True,
                "reported_max_memory_used_mb": result.report.max_memory_used_mb}  # fmt: skip
    finally:
        fn.shutdown()


def memory(samples: int = 5) -> dict[str, Any]:
    """Idle environments (``samples`` of them, one at a time), the manager and this host."""
    environments = [idle_environment(i) for i in range(samples)]
    return {
        "idle_environment": environments,
        "manager": process_memory_mb(get_manager().process.pid),
        "host": process_memory_mb(os.getpid()),
    }
