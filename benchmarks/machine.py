"""What machine a run was measured on, and how busy it was."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any

import psutil


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's best guess)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> dict[str, Any]:
    """CPU, cores, memory, kernel, Python and the lambda_magic version in use."""
    import lambda_magic

    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "lambda_magic": lambda_magic.__version__,
    }


def load() -> dict[str, float]:
    """Load averages and a short CPU-busy sample: the other work on the machine."""
    one, five, fifteen = os.getloadavg()
    return {
        "loadavg_1m": one,
        "loadavg_5m": five,
        "loadavg_15m": fifteen,
        "cpu_percent_0.5s": psutil.cpu_percent(interval=0.5),
    }
