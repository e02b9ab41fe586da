"""One environment's sandbox as the host sees it: start, signal, freeze, measure, destroy."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable

from lambda_magic.platform import resources
from lambda_magic.platform.sandbox import mounts
from lambda_magic.platform.sandbox.client import SandboxManager
from lambda_magic.platform.sandbox.isolation import CgroupSet

MIB = resources.MIB
#: Lambda's per-environment quota of file descriptors.
NOFILE_LIMIT = 1024


class SandboxHandle:
    """The persistent part of an environment (cgroups, /tmp) and its current runtime process."""

    def __init__(
        self, manager: Callable[[], SandboxManager], sid: str, memory_mb: int, tmp_mb: int
    ) -> None:
        self.manager = manager()
        self.sid = sid
        self.memory_mb = memory_mb
        self.tmp_mb = tmp_mb
        self.created = False
        self.cgroups = CgroupSet(None, None, None)
        self.memory_ceiling = False  # a kernel-enforced one (memory cgroup)
        self.tmp_dir: str | None = None
        self.pid: int | None = None
        self._frozen_by: str | None = None
        self.meter = resources.ProcessMeter()
        self.cgroup_memory: resources.CgroupMemory | None = None
        self.last_pids: list[int] = []

    # -- lifecycle -------------------------------------------------------------------------------
    def create(self, work_dir: str) -> None:
        """Create the sandbox: its cgroups, and a /tmp directory where namespaces are missing."""
        # The kernel charges tmpfs pages to the memory cgroup, so its hard ceiling leaves room
        # for a full /tmp; memory_size itself is enforced on resident memory (see resources).
        ceiling = (self.memory_mb + self.tmp_mb + 64) * MIB
        reply = self.manager.request(
            "create", sid=self.sid, limit_bytes=ceiling, tmp_mb=self.tmp_mb
        )
        self.cgroups = CgroupSet(**reply["cgroups"])
        self.memory_ceiling = bool(reply["memory_limit"])
        if self.cgroups.memory or self.cgroups.v2:
            version = "v1" if self.cgroups.memory else "v2"
            path = self.cgroups.memory or self.cgroups.v2
            assert path is not None
            self.cgroup_memory = resources.CgroupMemory(path, version)
        if not self.manager.info.namespaces:
            self.tmp_dir = os.path.join(work_dir, "tmp-" + self.sid)
            os.makedirs(self.tmp_dir, mode=0o1777, exist_ok=True)
        self.created = True

    @property
    def lost(self) -> bool:
        """Whether the sandbox manager died (and every process of the sandbox with it)."""
        return self.manager.closed

    @property
    def namespaces(self) -> bool:
        """Whether environments get Lambda's view of the file system (a mount namespace)."""
        return bool(self.manager.info.namespaces)

    def watch_exit(self, pid: int, callback: Callable[[int, int], None]) -> None:
        """Call ``callback(wait_status, peak_kib)`` when runtime ``pid`` exits."""
        self.manager.watch_exit(pid, callback)

    def paths_inside(self, task_root: str) -> tuple[str, str]:
        """``LAMBDA_TASK_ROOT`` and ``LAMBDA_RUNTIME_DIR`` as the runtime sees them: Lambda's
        ``/var/task`` and ``/var/runtime`` in a mount namespace, else the host's paths."""
        if self.namespaces:
            return mounts.TASK_ROOT, mounts.RUNTIME_DIR
        return task_root, mounts.runtime_dir()

    def spawn(
        self,
        argv: list[str] | None,
        task_root: str,
        environ: dict[str, str],
        handler: str,
        fds: list[int],
    ) -> int:
        """Start a runtime in the sandbox, in the function's code directory ``task_root`` (a
        host path, seen at /var/task where the sandbox has a mount namespace), with ``fds``:
        the write ends of its output pipe and telemetry pipe; its pid."""
        rlimits: dict[str, tuple[int, int]] = {"NOFILE": (NOFILE_LIMIT, NOFILE_LIMIT)}
        if not self.memory_ceiling:
            backstop = (2 * self.memory_mb + 1024) * MIB
            rlimits["DATA"] = (backstop, backstop)
        if self.tmp_dir:  # no private /tmp: a directory, and each file capped at its size
            size = self.tmp_mb * MIB
            rlimits["FSIZE"] = (size, size)
            environ = {**environ, "TMPDIR": self.tmp_dir}
        if self.cgroup_memory is not None:  # the last runtime's peak is not this one's
            self.cgroup_memory.reset_peak()
        reply = self.manager.request(
            "spawn",
            fds=fds,
            sid=self.sid,
            argv=argv,
            cwd=self.paths_inside(task_root)[0],
            task_source=task_root,
            environ=environ,
            handler=handler,
            rlimits=rlimits,
        )
        self.pid = int(reply["pid"])
        self._frozen_by = None
        self.last_pids = [self.pid]
        return self.pid

    def exited(self) -> None:
        """The runtime is gone: forget its descriptors."""
        self.meter.close()
        self.last_pids = []

    def signal(self, sig: int) -> None:
        """Signal the runtime and every process of the sandbox (a frozen one is thawed first).

        Python runs a handler (the SIGTERM hook) only in the main thread, and Linux gives a
        process-directed signal to the main thread only if that thread is waiting with nothing
        pending; otherwise another thread takes it, and the main thread sits in its blocking
        read until the grace period ends. So a frozen runtime is thawed, and SIGTERM waits
        (a few milliseconds at most) until the main thread is back asleep. That only makes the
        main thread likelier to take it: the built-in runtime also wakes its main thread itself
        (see ``runtime.client``), whichever thread the signal reaches.
        """
        if self.pid is None:
            return
        if sig in (signal.SIGTERM, signal.SIGKILL) and self.thaw() and sig == signal.SIGTERM:
            _wait_asleep(self.pid)
        self.manager.request("kill", sid=self.sid, signal=int(sig))

    def destroy(self) -> None:
        """Kill everything in the sandbox and release its cgroups, namespace and /tmp."""
        if self.created and not self.manager.closed:
            self.manager.request("destroy", sid=self.sid)
        self.created = False
        self.meter.close()
        if self.cgroup_memory is not None:
            self.cgroup_memory.close()
            self.cgroup_memory = None
        self.pid = None
        if self.tmp_dir:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)

    # -- freezing --------------------------------------------------------------------------------
    def _all_in_group(self) -> bool:
        """Whether every process of the sandbox is in the runtime's process group."""
        assert self.pid is not None
        for pid in self.last_pids:
            if pid != self.pid:
                try:
                    if os.getpgid(pid) != self.pid:
                        return False
                except OSError:
                    pass
        return True

    def freeze(self) -> None:
        """Suspend every process of the sandbox.

        SIGSTOP of the runtime's process group costs microseconds; a process that left the
        group (``setsid``) needs the cgroup freezer, which costs about 75 µs per transition.
        """
        if self.pid is None:
            return
        try:
            if self._all_in_group() or not self.cgroups.set_frozen(True):
                os.killpg(self.pid, signal.SIGSTOP)
                self._frozen_by = "signal"
            else:
                self._frozen_by = "cgroup"
        except OSError:
            pass

    def thaw(self) -> bool:
        """Resume every process of the sandbox; whether it was frozen."""
        if self.pid is None:
            return False
        frozen_by, self._frozen_by = self._frozen_by, None
        try:
            if frozen_by == "cgroup":
                self.cgroups.set_frozen(False)
            elif frozen_by == "signal":
                os.killpg(self.pid, signal.SIGCONT)
        except OSError:
            pass
        return frozen_by is not None

    # -- measuring -------------------------------------------------------------------------------
    def pids(self) -> list[int]:
        """The runtime and its descendants (every process of the sandbox's cgroup)."""
        if self.pid is None:
            return []
        if self.cgroup_memory is not None:
            try:
                return self.cgroup_memory.members() or [self.pid]
            except OSError:
                pass
        return resources.process_tree(self.pid)

    def reset_peak(self) -> None:
        """Start measuring a new memory peak (of the processes seen at the last measurement;
        processes started later begin with a fresh peak anyway)."""
        self.meter.reset(self.last_pids)
        if self.cgroup_memory is not None:
            self.cgroup_memory.reset_peak()

    def charged_peak_bytes(self) -> int:
        """The memory cgroup's peak since :meth:`reset_peak` as resident memory (processes that
        exited in between included; 0 without a memory cgroup). Call after :meth:`peak_bytes`."""
        if self.cgroup_memory is None:
            return 0
        return self.cgroup_memory.peak_estimate(self.meter.resident)

    def peak_bytes(self) -> int:
        """Peak resident memory of the sandbox's processes since the last reset."""
        pids = self.pids()
        for gone in set(self.last_pids) - set(pids):
            self.meter.forget(gone)
        self.last_pids = pids
        return self.meter.peak(pids)

    def tmp_used(self) -> int:
        """Bytes used in the sandbox's /tmp."""
        if self.tmp_dir:
            return resources.directory_used_bytes(self.tmp_dir)
        return resources.filesystem_used_bytes(f"/proc/{self.pid}/root/tmp") if self.pid else 0


def _wait_asleep(pid: int, timeout: float = 0.05) -> None:
    """Wait until thread ``pid`` (a process's main thread) sleeps (Linux; at most ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/task/{pid}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            return
        if stat[stat.rindex(b")") + 2 : stat.rindex(b")") + 3] in (b"S", b"D"):
            return
        time.sleep(0.0002)
