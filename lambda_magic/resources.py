"""Measuring an environment: the processes in it, their peak memory, its /tmp usage.

Max Memory Used is the peak resident memory of the environment's process tree. On Linux the
kernel keeps each process's peak (``VmHWM``), and writing ``5`` to ``/proc/<pid>/clear_refs``
resets it, so the peak of one invocation is exact, not sampled. Elsewhere psutil's resident
memory is sampled. /tmp (a tmpfs in the environment's own mount namespace, or a directory)
is not counted as memory, as on Lambda.
"""

from __future__ import annotations

import os
import sys

import psutil

IS_LINUX = sys.platform.startswith("linux")
MIB = 1024 * 1024


def _linux_children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return found


def process_tree(pid: int, cgroup_procs: str | None = None) -> list[int]:
    """``pid`` and its descendants (every member of the cgroup, when there is one)."""
    if cgroup_procs:
        try:
            with open(cgroup_procs) as f:
                members = [int(x) for x in f.read().split()]
            return members or [pid]
        except OSError:
            pass
    if not IS_LINUX:
        try:
            proc = psutil.Process(pid)
            return [pid] + [c.pid for c in proc.children(recursive=True)]
        except psutil.Error:
            return [pid]
    tree, todo = [pid], [pid]
    while todo:
        children = _linux_children(todo.pop())
        tree += children
        todo += children
    return tree


def _status_kib(pid: int, key: bytes) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def peak_bytes(pids: list[int]) -> int:
    """The summed peak resident memory of ``pids`` since their last reset."""
    if IS_LINUX:
        return sum(_status_kib(pid, b"VmHWM:") for pid in pids) * 1024
    return current_bytes(pids)


def current_bytes(pids: list[int]) -> int:
    """The summed resident memory of ``pids`` now."""
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return total


def reset_peak(pids: list[int]) -> None:
    """Start a new peak measurement (Linux; elsewhere peaks are sampled anyway)."""
    if not IS_LINUX:
        return
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass


def to_mb(nbytes: int) -> int:
    """Bytes to whole MB, rounded up as the REPORT line shows them."""
    return -(-nbytes // MIB)


def tmp_used_bytes(path: str) -> int:
    """Bytes used under ``path``: filesystem usage for a mount, else the files' sizes."""
    try:
        st = os.statvfs(path)
        if os.path.ismount(path):
            return (st.f_blocks - st.f_bfree) * st.f_frsize
    except OSError:
        return 0
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total
