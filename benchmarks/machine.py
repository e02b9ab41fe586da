"""What machine a run was measured on, and how busy it was."""

from __future__ import annotations

import importlib.metadata
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


def _versions(*names: str) -> dict[str, str]:
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def describe() -> dict[str, Any]:
    """CPU, cores, memory, kernel, Python, the isolation in use, lambda_magic's version and
    those of the packages the benchmarks lean on."""
    import lambda_magic
    from lambda_magic.platform.sandbox.client import sandbox_info

    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "lambda_magic": lambda_magic.__version__,
        "isolation": repr(sandbox_info()),
        "packages": _versions("psutil", "ipykernel", "jupyter_client", "python-lambda-local"),
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
