"""What processes cost, read from /proc: CPU time of a process, memory of a set of processes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

import psutil

MIB = 1024 * 1024
MEMORY_FIELDS = ("rss", "uss", "pss", "swap")


def own_cpu_s() -> float:
    """CPU seconds (user + system) of this whole process, every thread: the caller's thread
    and lambda_magic's I/O thread alike (``CLOCK_PROCESS_CPUTIME_ID``, nanosecond grain)."""
    return time.process_time()


def cpu_s(pid: int) -> float:
    """CPU seconds of process ``pid``, all its threads.

    Summed from ``/proc/PID/task/*/schedstat`` (nanoseconds on a CPU) where the kernel has it;
    otherwise from ``/proc/PID/stat`` (user + system, in clock ticks of 10 ms).
    """
    total_ns = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total_ns += int(f.read().split()[0])
        return total_ns / 1e9
    except (FileNotFoundError, ProcessLookupError):
        pass
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


class CpuMeter:
    """CPU this process and a set of other processes spend, per operation, over many blocks."""

    def __init__(self) -> None:
        self.own_s = 0.0
        self.other_s = 0.0
        self.operations = 0
        self._start: tuple[float, float] | None = None
        self._pids: list[int] = []

    def start(self, pids: Iterable[int]) -> None:
        """Begin a block: read the clocks of this process and of ``pids``."""
        self._pids = list(pids)
        self._start = (own_cpu_s(), sum(cpu_s(p) for p in self._pids))

    def stop(self, operations: int) -> None:
        """End the block begun by :meth:`start`, which did ``operations`` operations."""
        assert self._start is not None, "stop() without start()"
        own, other = self._start
        self.own_s += own_cpu_s() - own
        self.other_s += sum(cpu_s(p) for p in self._pids) - other
        self.operations += operations
        self._start = None

    def per_operation_us(self) -> dict[str, float]:
        """Mean CPU microseconds per operation: ``caller`` (this process) and ``other``."""
        n = max(self.operations, 1)
        return {"caller": self.own_s / n * 1e6, "other": self.other_s / n * 1e6}


def memory_mib(pid: int) -> dict[str, float]:
    """RSS, USS, PSS and swap of one process, in MiB (psutil's ``memory_full_info``)."""
    info = psutil.Process(pid).memory_full_info()
    return {name: getattr(info, name, 0) / MIB for name in MEMORY_FIELDS}


def total_memory_mib(pids: Iterable[int]) -> dict[str, float]:
    """The memory figures of :func:`memory_mib` summed over ``pids``, and how many there were."""
    found = [memory_mib(pid) for pid in pids]
    total = {name: sum(m[name] for m in found) for name in MEMORY_FIELDS}
    return {**total, "processes": float(len(found))}
