"""The warm-invoke and cold-start figures of two commits, measured alternately in one run.

``run.py`` measures the code it sits in. To say whether a change made those figures worse (the
layering issue's condition: "no worse than today's"), this script exports each commit with
``git archive`` into a temporary directory and runs the same probe against each, in
alternating rounds, so that both see the same machine and the same load::

    .venv/bin/python benchmarks/compare_commits.py 613cfbf^ HEAD --rounds 4

The probe uses only what every version of the public API has (``LambdaFunction``,
``invoke``, ``environments``, ``shutdown``):

* warm invoke: a no-op handler echoing a 1 KB event, freeze on; the p50 of ``--invokes``
  timed invokes after 300 untimed ones, with the CPU the caller's process and the runtime's
  process spent per invoke (``os.times`` and ``/proc/<pid>/stat``);
* cold start back to back: a new function created and invoked at once, ``--colds`` times in a
  row (the first, which may take a ready spare, untimed).

It prints one row per commit: the medians over the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, os, sys, time
from lambda_magic import LambdaFunction

invokes, colds = int(sys.argv[1]), int(sys.argv[2])
tick = os.sysconf("SC_CLK_TCK")
code = "def lambda_handler(event, context):\n    return event\n"
event = {"data": "x" * 1000}


def runtime_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


fn = LambdaFunction("compare-warm", code)
for _ in range(300):
    fn.invoke(event)
pid = fn.environments[0].pid
times, t0, r0 = [], os.times(), runtime_cpu(pid)
for _ in range(invokes):
    start = time.perf_counter()
    fn.invoke(event)
    times.append(time.perf_counter() - start)
t1, r1 = os.times(), runtime_cpu(pid)
fn.shutdown()
times.sort()
made, cold = [], []
for i in range(colds + 1):
    start = time.perf_counter()
    f = LambdaFunction(f"compare-cold-{i}", code)
    f.invoke(event)
    if i:
        cold.append(time.perf_counter() - start)
    made.append(f)
for f in made:
    f.shutdown()
cold.sort()
print(json.dumps({
    "warm_p50_ms": times[len(times) // 2] * 1e3,
    "caller_cpu_us": ((t1.user - t0.user) + (t1.system - t0.system)) / invokes * 1e6,
    "runtime_cpu_us": (r1 - r0) / invokes * 1e6,
    "cold_p50_ms": cold[len(cold) // 2] * 1e3,
}))
"""

FIGURES = (
    ("warm_p50_ms", "warm invoke p50 (ms)", "{:.3f}"),
    ("caller_cpu_us", "caller CPU / invoke (us)", "{:.0f}"),
    ("runtime_cpu_us", "runtime CPU / invoke (us)", "{:.0f}"),
    ("cold_p50_ms", "cold start back to back p50 (ms)", "{:.1f}"),
)


def export(commit: str, into: Path) -> Path:
    """The tree of ``commit`` in a new directory under ``into``."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    target = into / sha
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def probe(tree: Path, invokes: int, colds: int) -> dict[str, float]:
    """One round of the probe against the package in ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(invokes), str(colds)], env=env, cwd=tree,
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout  # fmt: skip
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("commits", nargs="+", help="git revisions (e.g. 613cfbf^ HEAD)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--invokes", type=int, default=3000)
    parser.add_argument("--colds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {commit: export(commit, Path(tmp)) for commit in args.commits}
        rounds: dict[str, list[dict[str, float]]] = {c: [] for c in args.commits}
        for _ in range(args.rounds):
            for commit, tree in trees.items():
                rounds[commit].append(probe(tree, args.invokes, args.colds))
    load = os.getloadavg()[0]
    print(f"{args.rounds} alternating rounds, medians; load average {load:.2f} at the end\n")
    print("| commit | " + " | ".join(label for _, label, _ in FIGURES) + " |")
    print("|---|" + "---:|" * len(FIGURES))
    for commit, results in rounds.items():
        cells = [fmt.format(statistics.median(r[key] for r in results)) for key, _, fmt in FIGURES]
        print(f"| {commit} ({trees[commit].name}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
