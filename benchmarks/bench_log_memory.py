"""The caller's memory under chatty functions: ``python benchmarks/bench_log_memory.py``.

1,000 invocations that each print 1 MB (1,024 lines of 1 KB), 4 at a time; the caller's RSS
before and after (target: within 150 MB of where it started), and what lambda_magic kept: the
log store, the history of results, and what each bound dropped. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time

import psutil

from lambda_magic import LambdaFunction

HANDLER = """
LINE = "x" * 1023
def lambda_handler(event, context):
    for _ in range(1024):
        print(LINE)
"""


def measure(invocations: int, concurrency: int) -> dict[str, object]:
    """Run the chatty invocations; the caller's RSS before and after, and the kept bytes."""
    me = psutil.Process()
    fn = LambdaFunction("chatty", code=HANDLER)
    fn.invoke({})  # the manager, the hub and one environment exist before the baseline
    gc.collect()
    before = me.memory_info().rss
    started = time.monotonic()
    results = fn.invoke_many([{}] * invocations, concurrency=concurrency)
    seconds = time.monotonic() - started
    del results
    gc.collect()
    after = me.memory_info().rss
    figures = {
        "invocations": invocations,
        "logged_mb_per_invocation": 1.0,
        "seconds": round(seconds, 2),
        "caller_rss_before_mb": round(before / 2**20, 1),
        "caller_rss_after_mb": round(after / 2**20, 1),
        "caller_rss_growth_mb": round((after - before) / 2**20, 1),
        "log_store_mb": round(fn.logs.nbytes / 2**20, 1),
        "log_events_dropped": fn.logs.dropped[0],
        "history_results": len(fn.history),
        "history_mb": round(fn.history.nbytes / 2**20, 1),
        "target_growth_mb": 150,
    }
    fn.shutdown()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invocations", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    json.dump(measure(args.invocations, args.concurrency), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
