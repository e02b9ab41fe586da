"""Run every lambda_magic benchmark except the leak check: ``python benchmarks/run.py``.

Prints a Markdown table of the figures and the issue's targets (met or missed), and writes
``benchmarks/results.json`` (raw samples, machine, load, timestamp) and
``benchmarks/results.md`` (the table). Takes about a minute on a 2-core machine, most of it
the cold-start rounds; ``--quick`` is a smoke run with small counts whose figures are not
worth quoting (give it ``--out-dir`` to keep the committed results).
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
import bench_memory
import bench_scaling
import machine
import report
from stats import rounded


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--invokes", type=int, default=4000, help="timed warm invokes per freeze mode"
    )
    parser.add_argument(
        "--cold-rounds", type=int, default=100, help="rounds of cold-start measurements"
    )
    parser.add_argument("--echo", type=int, default=5000, help="timed pipe / TCP round trips")
    parser.add_argument(
        "--lambda-local", type=int, default=300, help="timed python-lambda-local calls"
    )
    parser.add_argument(
        "--manager-starts", type=int, default=5, help="fresh processes starting a manager"
    )
    parser.add_argument("--out-dir", default=HERE, help="where results.json and results.md go")
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.invokes, args.cold_rounds, args.echo, args.lambda_local, args.manager_starts = (
            400,
            5,
            500,
            20,
            2,
        )
    return args


def _step(name: str, fn: Callable[[], Any]) -> Any:
    print(f"- {name} ...", end=" ", file=sys.stderr, flush=True)
    start = time.monotonic()
    value = fn()
    print(f"{time.monotonic() - start:.1f} s", file=sys.stderr, flush=True)
    return value


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement, in one process (the baselines' other sides are child processes)."""
    raw: dict[str, Any] = {"load_before": machine.load()}
    raw["manager_start"] = _step("sandbox manager start (fresh processes)",
                                 lambda: bench_baselines.manager_starts(args.manager_starts))  # fmt: skip
    raw["baselines"] = {
        "pipe_ms": _step("pipe echo", lambda: bench_baselines.pipe_round_trips(args.echo)),
        "tcp_ms": _step("TCP echo", lambda: bench_baselines.tcp_round_trips(args.echo)),
        "lambda_local_ms": _step("python-lambda-local",
                                 lambda: bench_baselines.lambda_local_calls(args.lambda_local)),
    }  # fmt: skip
    raw["warm"] = _step("warm invokes", lambda: bench_invoke.warm_invokes(args.invokes))
    raw["cold"] = _step("cold starts", lambda: bench_cold.cold_starts(args.cold_rounds))
    raw["memory"] = _step("memory", bench_memory.memory)
    raw["scaling"] = _step("scaling", bench_scaling.scaling)
    raw["load_after"] = machine.load()
    return raw


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, write results.json and results.md."""
    args = _parse(argv)
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    info = machine.describe()
    raw = measure(args)
    rows = (
        report.invoke_rows(raw)
        + report.cold_rows(raw)
        + report.memory_rows(raw)
        + report.scaling_rows(raw)
    )
    verdicts = report.targets(raw)
    table = report.markdown(rows, verdicts, info, stamp)
    print(table)
    load = f"load average before/after: {raw['load_before']['loadavg_1m']:.2f} / {raw['load_after']['loadavg_1m']:.2f}"
    print(load)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "results.md"), "w") as f:
        f.write(table + "\n" + load + (" (--quick run)" if args.quick else "") + "\n")
    document = {"timestamp": stamp, "quick": args.quick, "machine": info, "arguments": vars(args),
                "summary": report.as_json(rows, verdicts), "raw": raw}  # fmt: skip
    with open(os.path.join(args.out_dir, "results.json"), "w") as f:
        json.dump(rounded(document), f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
