"""Scaling figures (the concurrency issue): environments alive at once, a wave of sleeping
invocations at concurrency 10, and the throughput of ``invoke_many`` for no-op handlers."""

from __future__ import annotations

import time
from typing import Any

import psutil
from bench_invoke import noop_function

from lambda_magic import LambdaFunction

SLEEPER = "import time\ndef lambda_handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return 1\n"


def environments_alive(count: int = 20) -> dict[str, Any]:
    """Start ``count`` environments at once and count the live, frozen ones afterwards."""
    fn = LambdaFunction("bench-alive", SLEEPER, timeout=10)
    try:
        started = time.monotonic()
        results = fn.invoke_many([{"sleep": 0.5}] * count, concurrency=count)
        wall = time.monotonic() - started
        pids = [p for env in fn.environments for p in env.sandbox.pids()]
        rss = sum(psutil.Process(p).memory_info().rss for p in pids) / 2**20
        return {"requested": count, "alive": sum(1 for e in fn.environments if e.state.state.is_warm),
                "ok": sum(1 for r in results if r.ok), "wall_s": wall, "rss_mib_total": rss}  # fmt: skip
    finally:
        fn.shutdown()


def sleepy_wave(rounds: int = 10) -> dict[str, Any]:
    """20 invocations of a 100 ms handler at concurrency 10, after warm-up (wall seconds)."""
    fn = LambdaFunction("bench-wave", SLEEPER, timeout=10)
    try:
        fn.invoke_many([{"sleep": 0.1}] * 20, concurrency=10)  # warm-up: 10 environments
        walls = []
        for _ in range(rounds):
            started = time.monotonic()
            fn.invoke_many([{"sleep": 0.1}] * 20, concurrency=10)
            walls.append(time.monotonic() - started)
        return {"wall_s": walls, "environments": len(fn.environments)}
    finally:
        fn.shutdown()


def throughput(count: int = 1000, concurrency: int = 10, rounds: int = 3) -> dict[str, Any]:
    """No-op invocations per second through ``invoke_many``."""
    fn = noop_function("bench-noop", True)
    try:
        fn.invoke_many([{}] * 100, concurrency=concurrency)  # warm-up
        rates = []
        for _ in range(rounds):
            started = time.monotonic()
            results = fn.invoke_many([{}] * count, concurrency=concurrency)
            rates.append(count / (time.monotonic() - started))
            assert all(r.ok for r in results)
        return {"per_second": rates, "count": count, "concurrency": concurrency}
    finally:
        fn.shutdown()


def scaling() -> dict[str, Any]:
    """Every scaling figure."""
    return {"alive": environments_alive(), "wave": sleepy_wave(), "throughput": throughput()}
