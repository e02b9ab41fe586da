"""Warm invoke round trip of a no-op handler with a 1 KB event, freeze on and off.

Both functions are kept warm side by side and measured in alternating rounds, so that load
from other work on the machine falls on both alike; the pooled samples give p50/p99 and the
per-round medians show how steady the run was.
"""

from __future__ import annotations

import os
from typing import Any

import psutil
from stats import percentile, time_calls
from workers import make_event

from lambda_magic import LambdaFunction

NOOP_CODE = "def lambda_handler(event, context):\n    return event\n"


def noop_function(name: str, freeze: bool) -> LambdaFunction:
    """A no-op function with the benchmark's configuration (128 MB, 3 s)."""
    return LambdaFunction(name, code=NOOP_CODE, memory_size=128, timeout=3, freeze=freeze)


def check_warm(fn: LambdaFunction, event: dict[str, Any]) -> None:
    """Invoke once and insist on a warm, successful echo of the event."""
    result = fn.invoke(event)
    if not result.ok or result.cold_start or result.payload != event:
        raise RuntimeError(f"unexpected result from {fn.name}: {result!r}")


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


class CpuMeter:
    """CPU time (user + system) this host process and one runtime spend per invoke."""

    def __init__(self) -> None:
        self.host_s = 0.0
        self.runtime_s = 0.0
        self.invokes = 0

    def measure(self, fn: LambdaFunction, count: int, event: dict[str, Any]) -> list[float]:
        """Time ``count`` invokes of ``fn`` and add up the CPU they cost."""
        pid = fn.environments[0].pid
        assert pid is not None
        host, runtime = _cpu_s(os.getpid()), _cpu_s(pid)
        taken = time_calls(lambda: fn.invoke(event), count)
        self.host_s += _cpu_s(os.getpid()) - host
        self.runtime_s += _cpu_s(pid) - runtime
        self.invokes += count
        return taken

    def per_invoke_us(self) -> dict[str, float]:
        """Mean CPU microseconds per invoke, host (caller + I/O thread) and runtime."""
        n = max(self.invokes, 1)
        return {"host": self.host_s / n * 1e6, "runtime": self.runtime_s / n * 1e6}


def warm_invokes(invokes: int, rounds: int = 4, warmup: int = 300) -> dict[str, Any]:
    """``invokes`` timed warm invokes for each of freeze on and off, in ``rounds`` rounds."""
    event = make_event()
    functions = {"freeze_on": noop_function("bench-freeze-on", True),
                 "freeze_off": noop_function("bench-freeze-off", False)}  # fmt: skip
    samples: dict[str, list[float]] = {mode: [] for mode in functions}
    round_p50: dict[str, list[float]] = {mode: [] for mode in functions}
    cpu = {mode: CpuMeter() for mode in functions}
    try:
        for fn in functions.values():
            fn.invoke(event)  # the cold start, not timed
            time_calls(lambda fn=fn: fn.invoke(event), warmup)  # type: ignore[misc]
            check_warm(fn, event)
        per_round = -(-invokes // rounds)
        for _ in range(rounds):
            for mode, fn in functions.items():
                taken = cpu[mode].measure(fn, per_round, event)
                samples[mode] += taken
                round_p50[mode].append(percentile(taken, 50))
        for fn in functions.values():
            check_warm(fn, event)
        reported = {mode: fn.last_result.report.duration_ms  # type: ignore[union-attr]
                    for mode, fn in functions.items()}  # fmt: skip
    finally:
        for fn in functions.values():
            fn.shutdown()
    return {"samples_ms": samples, "round_p50_ms": round_p50, "last_reported_duration_ms": reported,
            "cpu_us_per_invoke": {mode: meter.per_invoke_us() for mode, meter in cpu.items()}}  # fmt: skip
