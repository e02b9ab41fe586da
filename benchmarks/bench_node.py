"""The built-in Node.js runtime: cold start beside ``node -e 0``, warm invoke beside Python.

Each round times, in this order (interleaved, so the ratios hold on a shared machine):

* ``node_e_0``: ``subprocess.run(["node", "-e", "0"])``, the floor of any Node.js start;
* ``node_cold``: ``fn.reset()`` (not timed) then ``fn.invoke()`` of a trivial ``index.mjs``
  handler: a new environment, the bootstrap's start, Init and the first response;
* ``python_cold``: the same for the built-in Python runtime, for reference.

Then warm invokes of the Node.js function (as nodejs22.x and nodejs24.x) and of the Python
function alternate in blocks, and each kind's p50 is compared. The Node.js functions are
made as a user makes them (``runtime="nodejs22.x"``: the built-in bootstrap).

    .venv/bin/python benchmarks/bench_node.py [--rounds 30] [--invokes 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

from stats import NS_PER_MS, summarize

from lambda_magic import LambdaFunction

NODE_HANDLER = "export const handler = async (event) => ({ ok: true });\n"
PY_HANDLER = "def lambda_handler(event, context):\n    return {'ok': True}\n"


def node_function(name: str, runtime: str) -> LambdaFunction:
    """A trivial Node.js function run by the built-in bootstrap as ``runtime``."""
    return LambdaFunction(name, NODE_HANDLER, runtime=runtime)


def timed_ms(call: Any) -> float:
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / NS_PER_MS


def cold_rounds(rounds: int, fns: dict[str, LambdaFunction]) -> dict[str, list[float]]:
    """``node -e 0`` and a cold start of each function, interleaved, ``rounds`` times."""
    out: dict[str, list[float]] = {"node_e_0": [], **{f"{k}_cold": [] for k in fns}}
    for _ in range(rounds):
        out["node_e_0"].append(timed_ms(lambda: subprocess.run([NODE, "-e", "0"], check=True)))
        for kind, fn in fns.items():
            fn.reset()
            time.sleep(0.1)  # a person's pause: the sandbox manager has a spare child ready
            start = time.perf_counter_ns()
            result = fn.invoke({})
            out[f"{kind}_cold"].append((time.perf_counter_ns() - start) / NS_PER_MS)
            assert result.ok and result.cold_start, result.payload
    return out


def warm_blocks(invokes: int, fns: dict[str, LambdaFunction]) -> dict[str, list[float]]:
    """Warm invokes of each function, alternating in 10 blocks."""
    out: dict[str, list[float]] = {f"{k}_warm": [] for k in fns}
    for fn in fns.values():
        for _ in range(20):
            fn.invoke({})
    block = max(1, invokes // 10)
    for _ in range(10):
        for kind, fn in fns.items():
            out[f"{kind}_warm"] += [timed_ms(lambda fn=fn: fn.invoke({})) for _ in range(block)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--invokes", type=int, default=2000)
    parser.add_argument("--json", help="also write every sample to this file")
    args = parser.parse_args()
    fns = {"node22": node_function("bench-node22", "nodejs22.x"),
           "node24": node_function("bench-node24", "nodejs24.x"),
           "python": LambdaFunction("bench-python", PY_HANDLER)}  # fmt: skip
    try:
        samples = cold_rounds(args.rounds, fns)
        samples.update(warm_blocks(args.invokes, fns))
    finally:
        for fn in fns.values():
            fn.shutdown()
    table = {kind: summarize(values) for kind, values in samples.items()}
    print(f"{'kind':<14}{'n':>6}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}")
    for kind, s in table.items():
        print(f"{kind:<14}{s['n']:>6}{s['p50']:>10.2f}{s['p90']:>10.2f}{s['p99']:>10.2f}")
    floor = table["node_e_0"]["p50"]
    for kind in ("node22", "node24"):
        cold = table[f"{kind}_cold"]["p50"] / floor
        warm = table[f"{kind}_warm"]["p50"] / table["python_warm"]["p50"]
        print(f"{kind}: cold start p50 = {cold:.2f} x node -e 0 (target <= 1.5); "
              f"warm p50 = {warm:.2f} x Python's (target <= 2)")  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": table, "samples": samples}, f)


NODE = shutil.which("node") or sys.exit("node is not installed")

if __name__ == "__main__":
    main()
