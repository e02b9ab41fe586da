"""Java functions: cold start beside ``java`` running an empty main, warm invoke beside Python.

    .venv/bin/python benchmarks/bench_java.py [--rounds 20] [--invokes 2000] [--idle 0.1]

Each cold round times, in this order, after ``idle`` seconds of quiet each:

* ``empty_main``: ``subprocess.run`` of ``java`` with the runtime's JVM options (heap, GC, C1,
  the class-data archive) and the bootstrap jar on the class path, running a class whose
  ``main`` returns at once: the JVM's own start, the floor of any Java cold start;
* ``java_cold``: ``fn.reset()`` (not timed), then ``fn.invoke(event)`` timed: a new environment
  (sandbox, JVM, Init loading a trivial ``RequestHandler``) to its first response;
* ``java_cold_no_archive``: the same with the JVM options minus the class-data archive, to show
  what the archive saves;
* ``python_cold``: the same for the built-in Python runtime's no-op handler.

Then warm invokes (1,024-byte event, 128 MB, freeze on), Java and Python alternating in
``--blocks`` blocks so that load from other work falls on both alike. Figures are medians
(p50) and 99th percentiles in milliseconds; nothing here asserts a threshold.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import NS_PER_MS, percentile, time_calls  # noqa: E402
from workers import make_event  # noqa: E402

from lambda_magic import LambdaFunction  # noqa: E402
from lambda_magic.runtimes import javac  # noqa: E402

ECHO = """package bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return event;
    }
}
"""
EMPTY = "public class Empty { public static void main(String[] args) { } }\n"
NOOP = "def lambda_handler(event, context):\n    return event\n"
MEMORY = 128


def _timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / NS_PER_MS


def _empty_main(runtime: javac.JavaRuntime, work: str) -> list[str]:
    """The command that runs an empty main with the runtime's JVM options and class path."""
    subprocess.run([runtime.jdk.javac, "-d", work, str(Path(work) / "Empty.java")], check=True)
    options = javac.jvm_options(MEMORY, None, runtime.archive)
    return [runtime.jdk.java, *options, "-cp", runtime.jar + ":" + work, "Empty"]


def _cold(fn: LambdaFunction, event: dict[str, Any], idle: float, inits: list[float]) -> float:
    fn.reset()
    time.sleep(idle)
    start = time.perf_counter_ns()
    result = fn.invoke(event)
    elapsed = (time.perf_counter_ns() - start) / NS_PER_MS
    if not result.ok or not result.cold_start or result.payload != event:
        raise RuntimeError(f"expected a successful cold start of {fn.name}, got {result!r}")
    inits.append(result.report.init_duration_ms or 0.0)
    return elapsed


def run(rounds: int, invokes: int, blocks: int, idle: float) -> dict[str, list[float]]:
    """Every sample, by figure."""
    runtime = javac.java_runtime()
    files = javac.class_files(javac.compile_function({"bench/Echo.java": ECHO}))
    plain = [o for o in runtime.command(MEMORY) if "Shared" not in o and "Xshare" not in o]
    java = LambdaFunction("bench_java", ECHO, runtime="java17", memory_size=MEMORY)
    java_plain = LambdaFunction("bench_java_plain", code="", files=files, handler="bench.Echo",
                                runtime="java17", runtime_command=plain,
                                memory_size=MEMORY)  # fmt: skip
    python = LambdaFunction("bench_python", code=NOOP, memory_size=MEMORY)
    event = make_event()
    samples: dict[str, list[float]] = {k: [] for k in (
        "empty_main", "java_cold", "java_cold_no_archive", "python_cold", "java_init",
        "java_init_no_archive", "python_init", "java_warm", "python_warm")}  # fmt: skip
    try:
        with tempfile.TemporaryDirectory(dir="/var/tmp") as work:
            (Path(work) / "Empty.java").write_text(EMPTY)
            empty = _empty_main(runtime, work)
            for _ in range(rounds):
                time.sleep(idle)
                samples["empty_main"].append(_timed(lambda: subprocess.run(empty, check=True)))
                samples["java_cold"].append(_cold(java, event, idle, samples["java_init"]))
                samples["java_cold_no_archive"].append(
                    _cold(java_plain, event, idle, samples["java_init_no_archive"])
                )
                samples["python_cold"].append(_cold(python, event, idle, samples["python_init"]))
        for fn in (java, python):
            for _ in range(300):  # warm-up: JIT, caches
                fn.invoke(event)
        for _ in range(blocks):
            samples["java_warm"] += time_calls(lambda: java.invoke(event), invokes // blocks)
            samples["python_warm"] += time_calls(lambda: python.invoke(event), invokes // blocks)
    finally:
        for fn in (java, java_plain, python):
            fn.shutdown()
    return samples


def report(samples: dict[str, list[float]]) -> str:
    """The figures as a small table."""

    def p50(name: str) -> float:
        return statistics.median(samples[name])

    lines = [f"{'figure':<42}{'p50 ms':>10}{'p99 ms':>10}{'n':>6}"]
    for name, values in samples.items():
        lines.append(f"{name:<42}{p50(name):>10.2f}{percentile(values, 99):>10.2f}{len(values):>6}")
    lines.append("")
    lines.append(f"Java cold start / empty main:            {p50('java_cold') / p50('empty_main'):.2f}x"
                 "  (target <= 3x)")  # fmt: skip
    lines.append(f"Java cold start without the archive / empty main: "
                 f"{p50('java_cold_no_archive') / p50('empty_main'):.2f}x")  # fmt: skip
    lines.append(f"Java warm p50 / Python warm p50:         {p50('java_warm') / p50('python_warm'):.2f}x"
                 "  (target <= 2x)")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="cold-start rounds (default 20)")
    parser.add_argument("--invokes", type=int, default=2000, help="timed warm invokes each")
    parser.add_argument("--blocks", type=int, default=4, help="alternating warm blocks")
    parser.add_argument("--idle", type=float, default=0.1, help="quiet before each cold start (s)")
    args = parser.parse_args()
    print(report(run(args.rounds, args.invokes, args.blocks, args.idle)))


if __name__ == "__main__":
    main()
