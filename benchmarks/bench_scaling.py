"""Throughput and concurrency, each beside its floor, in interleaved rounds.

* ``throughput``: invocations per second of ``invoke_many`` of ``count`` events (1,000) at
  concurrency 10 through a warm no-op function, alternating with the same number of 1 KB
  loopback TCP echo round trips through 10 threads and 10 echo processes;
* ``wave``: wall seconds of ``invoke_many`` of 200 events whose handler sleeps 100 ms, at
  concurrency 50, warm (the 50 environments exist), alternating with 200 sleeps of 100 ms
  through 50 threads; 200 / 50 x 0.1 s = 0.4 s is the ideal.
"""

from __future__ import annotations

import time
from typing import Any

from bench_baselines import Echo, concurrent_echo_rate, sleeping_threads_s
from bench_invoke import noop_function

from lambda_magic import LambdaFunction

SLEEPER = "import time\ndef lambda_handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return 1\n"


def _all_ok(results: list[Any], what: str) -> None:
    failed = [r for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} of the {what} failed, e.g. {failed[0]!r}")


def throughput(rounds: int, count: int = 1000, concurrency: int = 10) -> dict[str, Any]:
    """No-op invocations per second through ``invoke_many``, beside concurrent echoes."""
    fn = noop_function("bench-noop", True)
    echoes = [Echo("tcp") for _ in range(concurrency)]
    try:
        # warm-up: the environments, the code paths
        _all_ok(fn.invoke_many([{}] * (count // 2), concurrency=concurrency), "warm-up")
        concurrent_echo_rate(echoes, count)
        rates: list[float] = []
        echo_rates: list[float] = []
        for i in range(rounds):
            for step in (0, 1) if i % 2 == 0 else (1, 0):
                if step == 0:
                    started = time.perf_counter()
                    results = fn.invoke_many([{}] * count, concurrency=concurrency)
                    rates.append(count / (time.perf_counter() - started))
                    _all_ok(results, "no-op invocations")
                else:
                    echo_rates.append(concurrent_echo_rate(echoes, count))
        return {"per_second": rates, "echo_per_second": echo_rates, "count": count,
                "concurrency": concurrency, "environments": len(fn.environments)}  # fmt: skip
    finally:
        fn.shutdown()
        for echo in echoes:
            echo.close()


def wave(
    rounds: int, count: int = 200, concurrency: int = 50, sleep_s: float = 0.1
) -> dict[str, Any]:
    """Wall seconds of ``count`` invocations of a ``sleep_s`` handler at ``concurrency``,
    warm, beside the same sleeps through a thread pool."""
    fn = LambdaFunction("bench-wave", SLEEPER, timeout=10)
    events = [{"sleep": sleep_s}] * count
    try:
        _all_ok(fn.invoke_many(events, concurrency=concurrency), "warm-up invocations")
        walls: list[float] = []
        threads: list[float] = []
        for i in range(rounds):
            for step in (0, 1) if i % 2 == 0 else (1, 0):
                if step == 0:
                    started = time.perf_counter()
                    results = fn.invoke_many(events, concurrency=concurrency)
                    walls.append(time.perf_counter() - started)
                    _all_ok(results, "sleeping invocations")
                else:
                    threads.append(sleeping_threads_s(count, concurrency, sleep_s))
        return {"wall_s": walls, "threads_wall_s": threads, "count": count,
                "concurrency": concurrency, "sleep_s": sleep_s,
                "ideal_s": count / concurrency * sleep_s,
                "environments": len(fn.environments)}  # fmt: skip
    finally:
        fn.shutdown()
