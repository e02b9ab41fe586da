"""The cost model's measurements (``cost_model.py`` runs them and draws the curves).

Each curve varies one thing and measures four: warm latency (p50 of ``fn.invoke``), cold
start (p50 of ``fn.reset()``, 100 ms of quiet, ``fn.invoke()``; for concurrency, the wall time
of as many cold starts at once), memory, and throughput (``invoke_many``). Points are
measured in rounds (every point once per round), so that load from other work falls on all
points alike. Every function here is 128 MB, freeze on.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench_invoke import NOOP_CODE, noop_function
from bench_scaling import SLEEPER
from proc import total_memory_mib
from stats import percentile, time_calls

from lambda_magic import LambdaFunction
from lambda_magic.engine.pool import MACHINE, set_concurrency_limit

LOGGER = """LINE = "x" * 1023
def lambda_handler(event, context):
    for _ in range(event["lines"]):
        print(LINE)
"""
Point = dict[str, float]


def event_of(size: int) -> dict[str, str]:
    """A JSON object of ``size`` bytes once serialized (``{"k": "xxx..."}``)."""
    return {"k": "x" * max(0, size - len('{"k": ""}'))}


def _ok(results: list[Any]) -> None:
    bad = [r for r in results if not r.ok]
    if bad:
        raise RuntimeError(f"{len(bad)} invocation(s) failed, e.g. {bad[0]!r}")


def warm_p50(fn: LambdaFunction, event: Any, count: int) -> float:
    """p50 (ms) of ``count`` warm invokes after a few untimed ones."""
    for _ in range(3):
        fn.invoke(event)
    return percentile(time_calls(lambda: fn.invoke(event), count), 50)


def cold_p50(fn: LambdaFunction, event: Any, count: int, idle_s: float = 0.1) -> float:
    """p50 (ms) of ``count`` cold starts: reset, ``idle_s`` of quiet, the first invoke."""
    samples = []
    for _ in range(count):
        fn.reset()
        time.sleep(idle_s)
        start = time.perf_counter()
        result = fn.invoke(event)
        samples.append((time.perf_counter() - start) * 1000)
        if not result.ok or not result.cold_start:
            raise RuntimeError(f"expected a successful cold start: {result!r}")
    return percentile(samples, 50)


def rate(fn: LambdaFunction, events: list[Any], concurrency: int) -> float:
    """Invocations per second of ``invoke_many(events, concurrency)``."""
    start = time.perf_counter()
    _ok(fn.invoke_many(events, concurrency=concurrency))
    return len(events) / (time.perf_counter() - start)


def environments_uss(fn: LambdaFunction) -> float:
    """Total USS (MiB) of every process of the function's environments."""
    return total_memory_mib(p for env in fn.environments for p in env.sandbox.pids())["uss"]


def in_rounds(points: list[Any], rounds: int, measure: Callable[[Any], Point]) -> list[Point]:
    """Measure every point once per round; each figure's median over the rounds."""
    found: list[list[Point]] = [[] for _ in points]
    for _ in range(rounds):
        for i, point in enumerate(points):
            found[i].append(measure(point))
    return [{k: statistics.median(m[k] for m in ms) for k in ms[0]} for ms in found]


def event_size(sizes: list[int], rounds: int, scale: float) -> list[Point]:
    """Warm latency, cold start, environment memory and throughput by event size (bytes);
    the handler returns the event, so the response is as large."""
    fns = {size: noop_function(f"cost-size-{i}") for i, size in enumerate(sizes)}

    def measure(size: int) -> Point:
        fn, event = fns[size], event_of(size)
        many = min(600, max(4, int(scale * 4000 / (1 + size / 20_000))))
        point = {"x": float(size), "warm_ms": warm_p50(fn, event, max(5, many // 2)),
                 "cold_ms": cold_p50(fn, event, max(2, int(3 * scale)))}  # fmt: skip
        fn.invoke(event)
        point["memory_mib"] = environments_uss(fn)
        point["per_second"] = rate(fn, [event] * many, 10)
        point["mb_per_second"] = point["per_second"] * size * 2 / 1e6
        return point

    try:
        return in_rounds(sizes, rounds, measure)
    finally:
        for fn in fns.values():
            fn.shutdown()


def _hold(fn: LambdaFunction, count: int) -> None:
    """Make ``fn`` have ``count`` live environments (invocations that overlap)."""
    for i in range(4):
        if len(fn.environments) >= count:
            return
        _ok(fn.invoke_many([{"sleep": 0.3 * 2**i}] * count, concurrency=count))


def environments_alive(counts: list[int], scale: float) -> list[Point]:
    """With ``n`` environments of another function alive (frozen): a no-op function's warm
    latency, cold start and throughput, and the ``n`` environments' total USS."""
    limit = MACHINE.limit
    set_concurrency_limit(max(limit, max(counts) + 10))
    held = LambdaFunction("cost-held", SLEEPER, timeout=30)
    probe = noop_function("cost-probe")
    event = event_of(1024)
    found = []
    try:
        for n in sorted(counts):  # environments only grow: one pass, in order
            _hold(held, n)
            found.append({"x": float(n), "alive": float(len(held.environments)),
                          "warm_ms": warm_p50(probe, event, int(500 * scale) + 5),
                          "cold_ms": cold_p50(probe, event, max(2, int(5 * scale))),
                          "memory_mib": environments_uss(held),
                          "per_second": rate(probe, [{}] * int(500 * scale + 10), 10)})  # fmt: skip
    finally:
        held.shutdown()
        probe.shutdown()
        set_concurrency_limit(limit)
    return found


def retained_mib(code: str, event: Any, count: int) -> float:
    """MiB of Python memory the caller still holds after a new function ran ``count``
    invocations of ``event`` (``tracemalloc``, every thread: its log store, its results and
    their logs, its environments' bookkeeping), the function still alive."""
    gc.collect()
    tracemalloc.start()
    fn = LambdaFunction("cost-retained", code)
    try:
        _ok(fn.invoke_many([event] * count, concurrency=10))
        gc.collect()
        return tracemalloc.get_traced_memory()[0] / 2**20
    finally:
        tracemalloc.stop()
        fn.shutdown()


def log_volume(volumes: list[int], rounds: int, scale: float) -> list[Point]:
    """Warm latency, cold start and throughput by bytes logged per invoke (lines of 1 KiB), in
    rounds; then, once per point, the memory the caller retains after a new function ran
    100 such invocations (:func:`retained_mib`; tracing slows allocation, so apart)."""
    fns = {v: LambdaFunction(f"cost-log-{i}", LOGGER) for i, v in enumerate(volumes)}

    def measure(volume: int) -> Point:
        fn, event = fns[volume], {"lines": volume // 1024}
        many = min(500, max(4, int(scale * 2000 / (1 + volume / 20_000))))
        return {"x": float(volume), "warm_ms": warm_p50(fn, event, max(5, many // 2)),
                "cold_ms": cold_p50(fn, event, max(2, int(3 * scale))),
                "per_second": rate(fn, [event] * many, 10)}  # fmt: skip

    try:
        found = in_rounds(volumes, rounds, measure)
    finally:
        for fn in fns.values():
            fn.shutdown()
    for point in found:
        event = {"lines": int(point["x"]) // 1024}
        point["memory_mib"] = retained_mib(LOGGER, event, max(10, int(100 * scale)))
    return found


def _closed_loop_p50(fn: LambdaFunction, threads: int, each: int) -> float:
    """p50 (ms) of ``fn.invoke`` while ``threads`` threads each invoke ``each`` times."""
    samples: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        taken = time_calls(lambda: fn.invoke({}), each)
        with lock:
            samples.extend(taken)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return percentile(samples, 50)


def concurrency(levels: list[int], rounds: int, scale: float) -> list[Point]:
    """By concurrency ``c``: the p50 latency of an invoke while ``c`` threads invoke at once,
    the wall time of ``c`` cold starts at once, the ``c`` environments' total USS, and the
    throughput of ``invoke_many`` at concurrency ``c``."""
    limit = MACHINE.limit
    set_concurrency_limit(max(limit, max(levels) + 10))
    fns = {c: LambdaFunction(f"cost-conc-{c}", NOOP_CODE) for c in levels}

    def measure(c: int) -> Point:
        fn = fns[c]
        fn.reset()
        time.sleep(0.1)
        start = time.perf_counter()
        _ok(fn.invoke_many([{}] * c, concurrency=c))
        point = {"x": float(c), "cold_ms": (time.perf_counter() - start) * 1000}
        _ok(fn.invoke_many([{}] * (c * 4), concurrency=c))  # warm-up
        point["warm_ms"] = _closed_loop_p50(fn, c, max(5, int(scale * 600) // c))
        point["per_second"] = rate(fn, [{}] * int(500 * scale + 10), c)
        point["memory_mib"] = environments_uss(fn)
        point["environments"] = float(len(fn.environments))
        return point

    try:
        return in_rounds(levels, rounds, measure)
    finally:
        for fn in fns.values():
            fn.shutdown()
        set_concurrency_limit(limit)
