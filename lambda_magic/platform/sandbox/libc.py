"""The few system calls the sandbox makes that Python's ``os`` lacks (``prctl``, ``unshare``,
``setns``, ``mount``), and a one-shot write to a kernel file (cgroups, ``/proc``)."""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Any

IS_LINUX = sys.platform.startswith("linux")

#: The C library (Linux only; None elsewhere), with ``errno`` kept for :func:`check`.
libc: Any = ctypes.CDLL(None, use_errno=True) if IS_LINUX else None


def check(rc: int, what: str) -> None:
    """Raise ``OSError`` with the call's ``errno`` when ``rc`` (a libc return code) is not 0."""
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def write_file(path: str, text: str) -> None:
    """Write ``text`` to ``path`` in one ``write`` (a cgroup or ``/proc`` control file)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
