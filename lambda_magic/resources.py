"""Measuring an environment: the processes in it, their peak memory, its /tmp usage.

Max Memory Used is the peak resident memory of the environment's process tree. On Linux the
kernel keeps each process's peak (``VmHWM``), and writing ``5`` to ``/proc/<pid>/clear_refs``
resets it, so the peak of one invocation is exact, not sampled. Elsewhere psutil's resident
memory is sampled. /tmp (a tmpfs in the environment's own mount namespace, or a directory)
is not counted as memory, as on Lambda.
"""

from __future__ import annotations

import os
import threading

import psutil

from lambda_magic.sandbox.isolation import IS_LINUX, children_of

MIB = 1024 * 1024


def cgroup_members(fd: int) -> list[int]:
    """The processes of a cgroup, read through an open ``cgroup.procs`` descriptor."""
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    return [int(x) for x in data.split()]


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    if not IS_LINUX:
        try:
            proc = psutil.Process(pid)
            return [pid] + [c.pid for c in proc.children(recursive=True)]
        except psutil.Error:
            return [pid]
    tree, todo = [pid], [pid]
    while todo:
        children = children_of(todo.pop())
        tree += children
        todo += children
    return tree


def _hwm_kib(status: bytes) -> int:
    start = status.index(b"VmHWM:") + 6
    return int(status[start : status.index(b"kB", start)])


class ProcessMeter:
    """Peak resident memory of a set of processes.

    On Linux the descriptors of ``/proc/<pid>/status`` and ``clear_refs`` stay open between
    invocations: a measurement then costs a few microseconds, and a descriptor can never
    point at another process that reused the pid.
    """

    def __init__(self) -> None:
        self._status: dict[int, int] = {}
        self._clear: dict[int, int] = {}
        # The hub thread measures at each answer while the caller samples during long invokes.
        self._lock = threading.Lock()

    def _fd(self, table: dict[int, int], pid: int, name: str, flags: int) -> int | None:
        fd = table.get(pid)
        if fd is None:
            try:
                fd = table[pid] = os.open(f"/proc/{pid}/{name}", flags | os.O_CLOEXEC)
            except OSError:
                return None
        return fd

    def peak(self, pids: list[int]) -> int:
        """The summed peak of ``pids`` since their last :meth:`reset` (bytes)."""
        if not IS_LINUX:
            return current_bytes(pids)
        with self._lock:
            return self._peak(pids)

    def _peak(self, pids: list[int]) -> int:
        total = 0
        for pid in pids:
            fd = self._fd(self._status, pid, "status", os.O_RDONLY)
            if fd is None:
                continue
            try:
                total += _hwm_kib(os.pread(fd, 8192, 0)) * 1024
            except (OSError, ValueError):
                self._forget(pid)
        return total

    def reset(self, pids: list[int]) -> None:
        """Start a new peak measurement for ``pids``."""
        if not IS_LINUX:
            return
        with self._lock:
            self._reset(pids)

    def _reset(self, pids: list[int]) -> None:
        for pid in pids:
            fd = self._fd(self._clear, pid, "clear_refs", os.O_WRONLY)
            if fd is not None:
                try:
                    os.write(fd, b"5")
                except OSError:
                    self._forget(pid)

    def forget(self, pid: int) -> None:
        """Close the descriptors of ``pid`` (it exited)."""
        with self._lock:
            self._forget(pid)

    def _forget(self, pid: int) -> None:
        for table in (self._status, self._clear):
            fd = table.pop(pid, None)
            if fd is not None:
                os.close(fd)

    def close(self) -> None:
        """Close every descriptor."""
        with self._lock:
            for pid in list(self._status) + list(self._clear):
                self._forget(pid)


def current_bytes(pids: list[int]) -> int:
    """The summed resident memory of ``pids`` now."""
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return total


def to_mb(nbytes: int) -> int:
    """Bytes to whole MB, rounded up as the REPORT line shows them."""
    return -(-nbytes // MIB)


def filesystem_used_bytes(path: str) -> int:
    """Bytes used on the filesystem mounted at ``path`` (an environment's tmpfs /tmp)."""
    try:
        st = os.statvfs(path)
    except OSError:
        return 0
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def directory_used_bytes(path: str) -> int:
    """The summed size of the files under ``path``."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total
