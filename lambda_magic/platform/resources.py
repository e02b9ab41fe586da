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

from lambda_magic.platform.sandbox.isolation import children_of
from lambda_magic.platform.sandbox.libc import IS_LINUX

MIB = 1024 * 1024


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    return data


class CgroupMemory:
    """The member processes and the memory peak of one sandbox's cgroup.

    Membership: cgroup v1 builds the list of ``cgroup.procs`` once per open file and keeps it
    while it is read at least once a second, so a long-lived descriptor would go on listing a
    runtime that was replaced (the memory limit was then checked on a dead process): v1's file
    is opened afresh for every read. A v2 file lists the members anew at every read from its
    start.

    Peak: the kernel's peak of the cgroup's charge (``memory.max_usage_in_bytes`` on v1,
    ``memory.peak`` on v2) also sees processes that came and went between two measurements (a
    runtime that runs ``curl`` for each event). The charge includes the page cache and /tmp's
    tmpfs, which Lambda does not count as memory, so :meth:`peak_estimate` subtracts what of the
    charge is not resident in the environment's processes now.
    """

    def __init__(self, path: str, version: str) -> None:
        self.path, self.version = path, version
        names = (
            ("memory.max_usage_in_bytes", "memory.usage_in_bytes")
            if version == "v1"
            else ("memory.peak", "memory.current")
        )
        self._peak_fd = _open_or_none(os.path.join(path, names[0]), os.O_RDWR)
        self._usage_fd = _open_or_none(os.path.join(path, names[1]), os.O_RDONLY)
        self._procs_fd = (
            _open_or_none(os.path.join(path, "cgroup.procs"), os.O_RDONLY)
            if version == "v2"
            else None
        )

    def members(self) -> list[int]:
        """The processes in the cgroup now."""
        if self._procs_fd is not None:
            return [int(x) for x in _read_all(self._procs_fd).split()]
        fd = os.open(os.path.join(self.path, "cgroup.procs"), os.O_RDONLY | os.O_CLOEXEC)
        try:
            return [int(x) for x in _read_all(fd).split()]
        finally:
            os.close(fd)

    def reset_peak(self) -> None:
        """Start a new peak (v2: kernels before 6.12 cannot; the lifetime peak stays)."""
        if self._peak_fd is not None:
            try:
                os.pwrite(self._peak_fd, b"0" if self.version == "v1" else b"reset", 0)
            except OSError:
                pass

    def peak_estimate(self, resident_now: int) -> int:
        """The peak charge since :meth:`reset_peak`, less the part of today's charge that is
        not the processes' resident memory (page cache, /tmp); 0 where unknown."""
        if self._peak_fd is None or self._usage_fd is None:
            return 0
        try:
            peak = int(os.pread(self._peak_fd, 64, 0))
            usage = int(os.pread(self._usage_fd, 64, 0))
        except (OSError, ValueError):
            return 0
        return max(0, peak - max(0, usage - resident_now))

    def close(self) -> None:
        """Close the descriptors."""
        for name in ("_peak_fd", "_usage_fd", "_procs_fd"):
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)


def _open_or_none(path: str, flags: int) -> int | None:
    try:
        return os.open(path, flags | os.O_CLOEXEC)
    except OSError:
        return None


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


def _status_kib(status: bytes, field: bytes) -> int:
    start = status.index(field) + len(field)
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
        #: The summed resident memory of the processes at the last :meth:`peak` (bytes).
        self.resident = 0

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
        total = resident = 0
        for pid in pids:
            fd = self._fd(self._status, pid, "status", os.O_RDONLY)
            if fd is None:
                continue
            try:
                status = os.pread(fd, 8192, 0)
                total += _status_kib(status, b"VmHWM:") * 1024
                resident += _status_kib(status, b"VmRSS:") * 1024
            except (OSError, ValueError):
                self._forget(pid)
        self.resident = resident
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
