"""Diagnostics behind the cold-start analysis: ``python benchmarks/probe_cold_path.py``.

Not part of ``run.py``; it isolates two costs of starting a runtime on Linux, each outside
lambda_magic's own code path so that they can be measured alone. lambda_magic now keeps both
off a cold start's path (see below); the probe shows what they would cost:

1. **Joining a cgroup after a quiet spell.** A forked child writes its pid to a fresh
   memory cgroup's ``cgroup.procs`` (as the sandbox manager's child does in
   ``CgroupSet.join``) after the machine was idle for a given gap. The kernel takes
   ``cgroup_threadgroup_rwsem`` for writing, which waits for an RCU grace period unless
   another migration happened moments before: after ~20 ms or more of quiet the write
   costs milliseconds instead of microseconds. The sandbox manager pays it ahead of time,
   in a spare child it forks once idle (``child.serve_as_spare``); a cold start that finds
   no spare ready (one right after another) still pays it. Needs root and a cgroup v1
   memory or v2 hierarchy (it uses ``lambda_magic.platform.sandbox.isolation`` to create and remove
   the cgroup).
2. **The first ``getaddrinfo`` in a forked runtime.** ``socket.create_connection`` calls
   ``getaddrinfo``, which encodes the host with the ``idna`` codec; the first call imports
   ``encodings.idna``, ``stringprep`` and ``unicodedata``, which the manager has not
   imported, so a forked runtime using it would pay that. The built-in runtime's client
   therefore connects a plain socket to the numeric address instead.
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import time
from collections.abc import Callable

GAPS_S = (0.0, 0.005, 0.02, 0.05, 0.1, 0.5, 1.0)


def _in_child(work: Callable[[], float]) -> float:
    """Run ``work`` in a forked child; return what it measured (ms)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(write_fd, repr(work()).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    value = float(os.read(read_fd, 64) or "nan")
    os.close(read_fd)
    os.waitpid(pid, 0)
    return value


def cgroup_join_ms(gap_s: float, repeats: int) -> list[float]:
    """Time a child's move into a fresh memory cgroup after ``gap_s`` of sleep."""
    from lambda_magic.platform.sandbox import isolation

    roots, _ = isolation.probe(True, False)
    found: list[float] = []
    try:
        for i in range(repeats):
            group = roots.create(f"probe-{os.getpid()}-{i}", 1 << 30)
            path = group.memory or group.v2
            if path is None:
                raise SystemExit("no memory cgroup available (not root, or no cgroups)")
            procs = os.path.join(path, "cgroup.procs")
            time.sleep(gap_s)

            def join(procs: str = procs) -> float:
                start = time.perf_counter_ns()
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
                return (time.perf_counter_ns() - start) / 1e6

            found.append(_in_child(join))
            group.destroy(time.monotonic() + 2)
    finally:
        roots.remove()
    return found


def first_getaddrinfo_ms(repeats: int) -> tuple[list[float], list[float]]:
    """First and second ``getaddrinfo("127.0.0.1")`` in children forked from a process that
    imported the built-in runtime (as the sandbox manager does)."""
    from lambda_magic.runtime import bootstrap  # noqa: F401  (what the manager imports)

    def lookup() -> float:
        start = time.perf_counter_ns()
        socket.getaddrinfo("127.0.0.1", 9001, 0, socket.SOCK_STREAM)
        return (time.perf_counter_ns() - start) / 1e6

    preloaded = "encodings.idna" in sys.modules
    first = [_in_child(lookup) for _ in range(repeats)]
    lookup()  # now the parent has the codec: its children inherit it
    second = [_in_child(lookup) for _ in range(repeats)]
    if preloaded:
        print("note: encodings.idna was already imported before the first measurement")
    return first, second


def main() -> int:
    """Print both diagnostics as small tables (medians over the repeats)."""
    repeats = 7
    print("| idle gap before joining (ms) | cgroup.procs write p50 (ms) | max (ms) |")
    print("|---:|---:|---:|")
    for gap in GAPS_S:
        found = cgroup_join_ms(gap, repeats)
        print(f"| {gap * 1000:.0f} | {statistics.median(found):.3f} | {max(found):.3f} |")
    first, second = first_getaddrinfo_ms(repeats)
    print("\n| getaddrinfo('127.0.0.1') in a forked runtime | p50 (ms) |")
    print("|---|---:|")
    print(f"| parent never called it (as in the manager) | {statistics.median(first):.3f} |")
    print(f"| parent called it once before forking | {statistics.median(second):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
