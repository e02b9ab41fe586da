"""Run lambda_magic's benchmarks: ``python benchmarks/run.py [--quick] [--out-dir DIR]``.

Measures every figure of the performance issue beside its baseline, in the same run and in
interleaved rounds (see benchmarks/README.md), prints the targets (met or missed) and the
context rows as Markdown, and writes ``results.json`` (every raw sample, the machine, the
load average before, between the steps and after) and ``results.md`` (the tables) to
``--out-dir`` (default: benchmarks/). A full run takes about 2 minutes on a 2-core machine;
``--quick`` (what CI runs) takes about 30 s with small counts: its figures show where the hot
path stands but are noisier. Nothing is asserted on time: the exit status is 0 unless a
benchmark itself fails (a failed invocation, an unexpected result, a crash).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_baselines
import bench_cold
import bench_invoke
import bench_kernel
import bench_memory
import bench_scaling
import machine
import report
import targets
from stats import rounded

# name: (full run, --quick)
COUNTS: dict[str, tuple[int, int]] = {
    "invokes": (6000, 800),  # timed warm invokes per freeze mode
    "echoes": (6000, 800),  # timed pipe / TCP echo round trips of each kind
    "invoke_rounds": (12, 4),
    "cold_rounds": (10, 2),
    "cold_per_block": (10, 5),
    "throughput_rounds": (7, 2),
    "wave_rounds": (7, 2),
    "kernel_rounds": (9, 2),
    "kernel_per_round": (30, 10),
    "idle_environments": (5, 2),
    "environments_at_once": (100, 100),
    "lambda_local": (300, 20),
    "manager_starts": (5, 1),
}


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts (CI): about 30 s")
    parser.add_argument("--out-dir", default=HERE, help="where results.json and results.md go")
    for name, (full, quick) in COUNTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=None,
                            help=f"default {full} ({quick} with --quick)")  # fmt: skip
    args = parser.parse_args(argv)
    for name, (full, quick) in COUNTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    return args


class Steps:
    """Runs the steps, prints each one's duration, and records the load average between."""

    def __init__(self) -> None:
        self.load: list[dict[str, Any]] = []

    def __call__(self, name: str, fn: Callable[[], Any]) -> Any:
        print(f"- {name} ...", end=" ", file=sys.stderr, flush=True)
        start = time.monotonic()
        value = fn()
        seconds = time.monotonic() - start
        self.load.append({"after": name, "seconds": seconds, "loadavg_1m": os.getloadavg()[0]})
        print(f"{seconds:.1f} s", file=sys.stderr, flush=True)
        return value


def measure(a: argparse.Namespace) -> dict[str, Any]:
    """Every measurement, in one process (the baselines' other sides are child processes)."""
    step = Steps()
    raw: dict[str, Any] = {"load_before": machine.load()}
    raw["manager_start"] = step(
        "sandbox manager start (fresh processes)",
        lambda: bench_baselines.manager_starts(a.manager_starts),
    )
    raw["lambda_local_ms"] = step(
        "python-lambda-local", lambda: bench_baselines.lambda_local_calls(a.lambda_local)
    )
    raw["warm"] = step(
        "warm invokes beside TCP and pipe echoes",
        lambda: bench_invoke.warm_invokes(a.invokes, a.echoes, a.invoke_rounds),
    )
    raw["cold"] = step(
        "cold starts beside python -c pass",
        lambda: bench_cold.cold_starts(a.cold_rounds, a.cold_per_block),
    )
    raw["scaling"] = {
        "throughput": step(
            "invoke_many throughput beside concurrent echoes",
            lambda: bench_scaling.throughput(a.throughput_rounds),
        ),
        "wave": step(
            "100 ms handlers at concurrency 50 beside sleeping threads",
            lambda: bench_scaling.wave(a.wave_rounds),
        ),
    }
    raw["kernel"] = step(
        "%lambda_invoke in a kernel beside fn.invoke and a pass cell",
        lambda: bench_kernel.kernel_overhead(a.kernel_rounds, a.kernel_per_round),
    )
    raw["memory"] = step(
        "memory: idle environments, many at once, bare interpreters",
        lambda: bench_memory.memory(a.idle_environments, a.environments_at_once),
    )
    raw["load_after"] = machine.load()
    raw["load_between_steps"] = step.load
    return raw  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables, write results.json and results.md."""
    args = _parse(argv)
    started = time.monotonic()
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    info = machine.describe()
    raw = measure(args)
    context, verdicts = report.rows(raw), targets.targets(raw)
    load = (f"load average (1 min) {raw['load_before']['loadavg_1m']:.2f} before, "
            f"{raw['load_after']['loadavg_1m']:.2f} after")  # fmt: skip
    if args.quick:
        load += "; a --quick run"
    table = report.markdown(context, verdicts, info, stamp, load)
    print(table)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "results.md"), "w") as f:
        f.write(table)
    document = {"timestamp": stamp, "quick": args.quick, "seconds": time.monotonic() - started,
                "machine": info, "arguments": vars(args),
                "summary": report.as_json(context, verdicts), "raw": raw}  # fmt: skip
    with open(os.path.join(args.out_dir, "results.json"), "w") as f:
        json.dump(rounded(document, 5), f, indent=1)
    print(f"{time.monotonic() - started:.0f} s in all", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
