"""The performance issue's targets, each figure beside its baseline from the same run.

:func:`targets` turns the raw results of ``run.py`` into one :class:`Target` per figure of
the issue: the value compared with the goal, the baseline measured in the same run, and their
ratio. Standard library only (a test checks the arithmetic on made-up raw results).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stats import percentile


@dataclass(frozen=True)
class Goal:
    """``value <= limit`` (``at_most``) or ``value >= limit``, in ``unit``."""

    limit: float
    unit: str
    at_most: bool = True

    def met(self, value: float) -> bool:
        """Whether ``value`` reaches the goal."""
        compare: Callable[[float, float], bool] = operator.le if self.at_most else operator.ge
        return compare(value, self.limit)

    def __str__(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {_number(self.limit)}{_sep(self.unit)}{self.unit}"


@dataclass
class Target:
    """One figure of the issue: what was measured, its baseline, and the goal's verdict."""

    figure: str
    measured: str
    baseline: str
    ratio: float | None  # measured / baseline, when a ratio means something
    value: float  # what the goal compares
    goal: Goal
    met: bool


def _number(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) >= 1 else f"{x:.3f}".rstrip("0")


def _sep(unit: str) -> str:
    return "" if unit in ("x", "/s") else " "


def _make(
    figure: str, measured: str, baseline: str, ratio: float | None, value: float, goal: Goal
) -> Target:
    return Target(figure, measured, baseline, ratio, value, goal, goal.met(value))


def p50(samples: list[float]) -> float:
    """The median of ``samples``."""
    return percentile(samples, 50)


def warm_target(warm: dict[str, Any]) -> Target:
    """Warm invoke p50 (freeze on, 1 KB event) / loopback TCP echo p50."""
    on, tcp = p50(warm["samples_ms"]["freeze_on"]), p50(warm["samples_ms"]["tcp"])
    return _make("warm invoke p50, freeze on, 1 KB event / loopback TCP echo p50",
                 f"{on:.3f} ms", f"TCP echo {tcp:.3f} ms", on / tcp, on / tcp, Goal(2.5, "x"))  # fmt: skip


def cpu_targets(warm: dict[str, Any]) -> list[Target]:
    """CPU per warm invoke (freeze on) in the caller's process and in the runtime's."""
    invoke, echo = warm["cpu_us"]["freeze_on"], warm["cpu_us"]["tcp"]
    caller, runtime = invoke["caller"], invoke["other"]
    return [
        _make("caller-process CPU per warm invoke (caller + I/O thread)", f"{caller:.0f} us",
              f"TCP echo, caller {echo['caller']:.0f} us", caller / echo["caller"], caller,
              Goal(150, "us")),
        _make("runtime-process CPU per warm invoke", f"{runtime:.0f} us",
              f"TCP echo, echo process {echo['other']:.0f} us", runtime / echo["other"], runtime,
              Goal(120, "us")),
    ]  # fmt: skip


def throughput_target(rate: dict[str, Any]) -> Target:
    """``invoke_many`` of 1,000 no-op invocations at concurrency 10 (invocations/s)."""
    mine, floor = p50(rate["per_second"]), p50(rate["echo_per_second"])
    return _make(f"`invoke_many` of {rate['count']:,} no-op invocations, concurrency "
                 f"{rate['concurrency']}", f"{mine:,.0f}/s",
                 f"TCP echo, {rate['concurrency']} threads {floor:,.0f}/s", mine / floor, mine,
                 Goal(3000, "/s", at_most=False))  # fmt: skip


def wave_target(wave: dict[str, Any]) -> Target:
    """200 invocations of a 100 ms handler at concurrency 50, warm (wall seconds)."""
    mine, threads = p50(wave["wall_s"]), p50(wave["threads_wall_s"])
    return _make(f"{wave['count']} invocations of a {wave['sleep_s'] * 1000:.0f} ms handler at "
                 f"concurrency {wave['concurrency']}, warm ({wave['ideal_s']:.1f} s is the ideal)",
                 f"{mine:.3f} s", f"{wave['concurrency']} sleeping threads {threads:.3f} s",
                 mine / threads, mine, Goal(0.45, "s"))  # fmt: skip


def cold_target(cold: dict[str, Any]) -> Target:
    """Cold start back to back (new functions) / ``python -c pass``."""
    mine, python = p50(cold["wall_ms"]["fresh_back_to_back"]), p50(cold["wall_ms"]["python_c_pass"])
    return _make("cold start back to back (new functions created and invoked one after "
                 "another) / `python -c pass`", f"{mine:.1f} ms", f"python -c pass {python:.1f} ms",
                 mine / python, mine / python, Goal(0.5, "x"))  # fmt: skip


def kernel_target(kernel: dict[str, Any]) -> Target:
    """``%lambda_invoke`` cell round trip p50 minus ``fn.invoke`` p50 in the same kernel."""
    s = kernel["samples_ms"]
    cell, invoke, empty = p50(s["magic_cell"]), p50(s["invoke_in_kernel"]), p50(s["pass_cell"])
    added = cell - invoke
    return _make("`%lambda_invoke` cell round trip in a kernel minus `fn.invoke` in it (p50)",
                 f"{added:.1f} ms (cell {cell:.1f} − invoke {invoke:.2f})",
                 f"`pass` cell {empty:.1f} ms", added / empty, added, Goal(2, "ms"))  # fmt: skip


def memory_target(many: dict[str, Any]) -> Target:
    """Total USS of ``count`` (100) environments alive at once."""
    uss, bare = many["environments"]["uss"], many["bare_interpreters"]["uss"]
    return _make(f"{many['requested']} environments alive at once: total USS "
                 f"({many['alive']} alive)", f"{uss:.0f} MiB",
                 f"{many['requested']} bare `python -S` {bare:.0f} MiB", uss / bare, uss,
                 Goal(400, "MiB"))  # fmt: skip


def targets(raw: dict[str, Any]) -> list[Target]:
    """Every figure of the issue, in its order, from ``run.py``'s raw results."""
    scaling = raw["scaling"]
    return [
        warm_target(raw["warm"]),
        *cpu_targets(raw["warm"]),
        throughput_target(scaling["throughput"]),
        wave_target(scaling["wave"]),
        cold_target(raw["cold"]),
        kernel_target(raw["kernel"]),
        memory_target(raw["memory"]["many"]),
    ]
