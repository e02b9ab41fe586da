"""Small statistics and timing helpers shared by the benchmarks (standard library only)."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

NS_PER_MS = 1_000_000


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(samples_ms: Sequence[float]) -> dict[str, float]:
    """n, min, p50, p90, p99, max and mean of samples in milliseconds."""
    return {
        "n": len(samples_ms),
        "min": min(samples_ms) if samples_ms else math.nan,
        "p50": percentile(samples_ms, 50),
        "p90": percentile(samples_ms, 90),
        "p99": percentile(samples_ms, 99),
        "max": max(samples_ms) if samples_ms else math.nan,
        "mean": statistics.fmean(samples_ms) if samples_ms else math.nan,
    }


def time_calls(call: Callable[[], Any], count: int) -> list[float]:
    """Wall time of ``count`` calls of ``call``, each in milliseconds."""
    samples: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(count):
        start = clock()
        call()
        samples.append((clock() - start) / NS_PER_MS)
    return samples


def rounded(value: Any, digits: int = 4) -> Any:
    """``value`` with every float rounded (for compact JSON)."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v, digits) for v in value]
    return value
