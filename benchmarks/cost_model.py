"""The cost model: ``python benchmarks/cost_model.py [--quick] [--out-dir DIR]``.

How warm latency, cold start, memory and throughput grow with event size (1 KB to 6 MB),
the number of environments alive (1 to 100), the log volume per invoke (0 to 1 MB) and
concurrency (1 to 50), measured (``cost_curves.py``). Writes ``cost_model.json`` (every
point, the machine, the load average before and after), one PNG per curve in
``DIR/plots/`` (``cost-<dimension>-<figure>.png``, drawn with matplotlib: ``pip install -e
'.[bench]'``) and prints a Markdown table of the points with a straight-line fit of each
curve (its intercept and its slope per unit of the dimension). Takes about 4 minutes on a
2-core machine (``--quick``: about 1 minute, fewer samples per point).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cost_curves  # noqa: E402
import machine  # noqa: E402
from stats import rounded  # noqa: E402

KB, MB, KIB = 1000, 1000_000, 1024
# dimension: (title, unit of x, x scale for the fit, log-scale x axis)
DIMENSIONS: dict[str, tuple[str, str, float, bool]] = {
    "event_size": ("event size (the response is as large)", "MB", MB, True),
    "environments": ("environments of another function alive (frozen)", "environment", 1, False),
    "log_volume": ("log volume per invoke (lines of 1 KiB)", "KiB", KIB, True),
    "concurrency": ("concurrency", "concurrent invocation", 1, False),
}
# figure: (label, unit, the name in the PNG's file name)
FIGURES: dict[str, tuple[str, str, str]] = {
    "warm_ms": ("warm invoke p50", "ms", "warm"),
    "cold_ms": ("cold start p50", "ms", "cold"),
    "memory_mib": ("memory", "MiB", "memory"),
    "per_second": ("throughput (invoke_many)", "invocations/s", "throughput"),
}
MEMORY_MEANING = {
    "event_size": "the environment's USS after the invoke",
    "environments": "total USS of the environments alive",
    "log_volume": "Python memory the caller keeps after 100 invocations",
    "concurrency": "total USS of the function's environments",
}
COLD_MEANING = {
    "concurrency": "wall time of that many cold starts at once (invoke_many after a reset)",
}
WARM_MEANING = {
    "concurrency": "p50 of one invoke while that many threads invoke at once",
}


def measure(quick: bool) -> dict[str, list[dict[str, float]]]:
    """Every curve's points."""
    scale, rounds = (0.25, 1) if quick else (1.0, 3)
    steps: list[tuple[str, Callable[[], list[dict[str, float]]]]] = [
        ("event_size", lambda: cost_curves.event_size([KB, 10 * KB, 100 * KB, MB, 6 * MB], rounds, scale)),
        ("environments", lambda: cost_curves.environments_alive([1, 10, 25, 50, 100], scale)),
        ("log_volume", lambda: cost_curves.log_volume([0, KIB, 16 * KIB, 128 * KIB, 1024 * KIB], rounds, scale)),
        ("concurrency", lambda: cost_curves.concurrency([1, 2, 5, 10, 20, 50], rounds, scale)),
    ]  # fmt: skip
    found = {}
    for name, run in steps:
        print(f"- {name} ...", end=" ", file=sys.stderr, flush=True)
        started = time.monotonic()
        found[name] = run()
        print(f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return found


def fit(points: list[dict[str, float]], figure: str, per: float) -> tuple[float, float]:
    """Least-squares line through the points: (intercept, slope per ``per`` of x)."""
    xs = [p["x"] / per for p in points]
    line = statistics.linear_regression(xs, [p[figure] for p in points])
    return line.intercept, line.slope


def plot(curves: dict[str, list[dict[str, float]]], out_dir: str) -> list[str]:
    """One PNG per curve; the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    os.makedirs(out_dir, exist_ok=True)
    for dim, points in curves.items():
        title, unit, per, log_x = DIMENSIONS[dim]
        for figure, (label, y_unit, short) in FIGURES.items():
            fig, ax = plt.subplots(figsize=(5, 3.2), dpi=80)
            xs = [p["x"] / per for p in points]
            ax.plot(xs, [p[figure] for p in points], marker="o")
            if log_x:  # symlog: a point at 0 (no log at all) has its place too
                ax.set_xscale("symlog", linthresh=min(x for x in xs if x > 0))
            if figure == "per_second" or (log_x and figure != "memory_mib"):
                ax.set_yscale("log")
            ax.set_xlabel(
                f"{title} ({unit}s)" if unit not in ("MB", "KiB") else f"{title} ({unit})"
            )
            ax.set_ylabel(f"{label} ({y_unit})")
            meaning = {"memory_mib": MEMORY_MEANING, "cold_ms": COLD_MEANING,
                       "warm_ms": WARM_MEANING}.get(figure, {}).get(dim, "")  # fmt: skip
            ax.set_title(f"{label} by {dim.replace('_', ' ')}" + (f"\n{meaning}" if meaning else ""),
                         fontsize=9)  # fmt: skip
            ax.grid(True, alpha=0.3)
            fig.tight_layout()
            path = os.path.join(out_dir, f"cost-{dim.replace('_', '-')}-{short}.png")
            fig.savefig(path)
            plt.close(fig)
            written.append(path)
    return written


def table(curves: dict[str, list[dict[str, float]]]) -> str:
    """The points and each curve's straight-line fit, as Markdown."""
    lines = []
    for dim, points in curves.items():
        title, unit, per, _ = DIMENSIONS[dim]
        heads = " | ".join(f"{label} ({u})" for label, u, _ in FIGURES.values())
        lines += [f"**{title}**", "", f"| x | {heads} |",
                  "|---:|" + "---:|" * len(FIGURES)]  # fmt: skip
        for p in points:
            x = f"{p['x'] / per:g} {unit}" if per != 1 else f"{p['x']:g}"
            lines.append(f"| {x} | " + " | ".join(f"{p[f]:,.3g}" for f in FIGURES) + " |")
        fits = [fit(points, f, per) for f in FIGURES]
        lines.append("| fit: a + b per " + unit + " | " + " | ".join(f"{a:,.3g} + {b:,.3g}" for a, b in fits) + " |")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples: about a minute")
    parser.add_argument("--out-dir", default=HERE, help="cost_model.json and plots/ go here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    load_before = machine.load()
    curves = measure(args.quick)
    document: dict[str, Any] = {"timestamp": stamp, "quick": args.quick, "machine": machine.describe(),
                                "load_before": load_before, "load_after": machine.load(),
                                "seconds": time.monotonic() - started, "curves": curves}  # fmt: skip
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "cost_model.json"), "w") as f:
        json.dump(rounded(document), f, indent=1)
    plot(curves, os.path.join(args.out_dir, "plots"))
    print(table(curves))
    print(f"{document['seconds']:.0f} s; load average {load_before['loadavg_1m']:.2f} before, "
          f"{document['load_after']['loadavg_1m']:.2f} after", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
