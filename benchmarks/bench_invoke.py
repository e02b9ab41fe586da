"""Warm invoke round trip of a no-op handler with a 1 KB event, beside the loopback floor.

Four things are kept ready side by side and measured in interleaved rounds (the order rotates
from round to round), so that load from other work on the machine falls on all alike:

* ``freeze_on`` / ``freeze_off``: ``fn.invoke(event)`` of a warm no-op function (128 MB),
  freeze on (the default) and off;
* ``tcp`` / ``pipe``: a 1 KB framed message echoed by a second Python process over loopback
  TCP (``TCP_NODELAY``) and over two pipes: the floor of any cross-process invoke.

Each block also reads the CPU time that this process (the caller's thread and lambda_magic's
I/O thread) and the other side (the runtime's process, or the echo process) spent, so the CPU
per operation is known for each. The pooled samples give p50/p99; the per-round p50s show how
steady the run was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench_baselines import Echo
from proc import CpuMeter
from stats import percentile, time_calls
from workers import make_event

from lambda_magic import LambdaFunction

NOOP_CODE = "def lambda_handler(event, context):\n    return event\n"
FUNCTIONS = ("freeze_on", "freeze_off")
ECHOES = ("tcp", "pipe")


def noop_function(name: str, freeze: bool = True) -> LambdaFunction:
    """A no-op function with the benchmark's configuration (128 MB, 3 s)."""
    return LambdaFunction(name, code=NOOP_CODE, memory_size=128, timeout=3, freeze=freeze)


def check_warm(fn: LambdaFunction, event: Any) -> None:
    """Invoke once and insist on a warm, successful echo of the event."""
    result = fn.invoke(event)
    if not result.ok or result.cold_start or result.payload != event:
        raise RuntimeError(f"unexpected result from {fn.name}: {result!r}")


def runtime_pids(fn: LambdaFunction) -> list[int]:
    """Every process of the function's (single) environment: its runtime."""
    (env,) = fn.environments
    return list(env.sandbox.pids())


class _Subject:
    """One thing measured: how to do it once, and which other processes do its work."""

    def __init__(self, call: Callable[[], object], pids: list[int], per_round: int) -> None:
        self.call, self.pids, self.per_round = call, pids, per_round
        self.samples: list[float] = []
        self.round_p50: list[float] = []
        self.cpu = CpuMeter()

    def block(self) -> None:
        self.cpu.start(self.pids)
        taken = time_calls(self.call, self.per_round)
        self.cpu.stop(self.per_round)
        self.samples += taken
        self.round_p50.append(percentile(taken, 50))


def warm_invokes(invokes: int, echoes: int, rounds: int = 8, warmup: int = 300) -> dict[str, Any]:
    """``invokes`` timed warm invokes per freeze mode and ``echoes`` round trips per echo kind,
    in ``rounds`` interleaved rounds, after ``warmup`` untimed ones of each."""
    event = make_event()
    functions = {"freeze_on": noop_function("bench-freeze-on", True),
                 "freeze_off": noop_function("bench-freeze-off", False)}  # fmt: skip
    children = {kind: Echo(kind) for kind in ECHOES}
    try:
        subjects: dict[str, _Subject] = {}
        for mode, fn in functions.items():
            fn.invoke(event)  # the cold start, not timed
            time_calls(lambda fn=fn: fn.invoke(event), warmup)  # type: ignore[misc]
            check_warm(fn, event)
            call = lambda fn=fn: fn.invoke(event)  # noqa: E731
            subjects[mode] = _Subject(call, runtime_pids(fn), -(-invokes // rounds))
        for kind, echo in children.items():
            time_calls(echo.round_trip, warmup)
            subjects[kind] = _Subject(echo.round_trip, [echo.pid], -(-echoes // rounds))
        order = list(subjects)
        for i in range(rounds):
            for name in order[i % len(order) :] + order[: i % len(order)]:
                subjects[name].block()
        for fn in functions.values():
            check_warm(fn, event)
        reported = {mode: fn.last_result.report.duration_ms  # type: ignore[union-attr]
                    for mode, fn in functions.items()}  # fmt: skip
    finally:
        for fn in functions.values():
            fn.shutdown()
        for echo in children.values():
            echo.close()
    return {
        "samples_ms": {name: s.samples for name, s in subjects.items()},
        "round_p50_ms": {name: s.round_p50 for name, s in subjects.items()},
        "cpu_us": {name: s.cpu.per_operation_us() for name, s in subjects.items()},
        "last_reported_duration_ms": reported,
        "rounds": rounds,
    }
