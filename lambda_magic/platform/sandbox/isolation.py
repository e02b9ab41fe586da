"""Operating-system mechanisms behind a sandbox (used inside the manager process only).

Linux offers the strongest tools, each detected at start-up and used where it works:

* a memory cgroup (v1 ``memory`` controller or cgroup v2 ``memory.max``) as a kernel-enforced
  ceiling, and a freezer (v1 ``freezer`` or v2 ``cgroup.freeze``) that suspends every process
  of an environment at once, including ones that left its process group;
* a private mount namespace per environment with Lambda's view of the file system (see
  :mod:`lambda_magic.platform.sandbox.mounts`; as root directly, otherwise inside a user namespace);
* ``PR_SET_PDEATHSIG`` and ``PR_SET_CHILD_SUBREAPER`` so that nothing outlives its parent.

Elsewhere these are absent and the host falls back (SIGSTOP, a per-environment ``TMPDIR``,
resident-memory checks); :func:`probe` reports what is in use.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from lambda_magic.platform.sandbox import mounts
from lambda_magic.platform.sandbox.libc import IS_LINUX, check, libc, write_file

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def set_parent_death_signal(sig: int) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent (thread) exits."""
    if IS_LINUX:
        check(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def set_child_subreaper() -> bool:
    """Adopt orphaned descendants, so that processes a handler detaches are still ours."""
    return bool(IS_LINUX and libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux: ``/proc/<pid>/task/*/children``; [] elsewhere)."""
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return found


# -- cgroups -------------------------------------------------------------------------------------
def _own_cgroup(controller: str) -> str | None:
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if controller in controllers.split(","):
                    return path
    except OSError:
        pass
    return None


def _cgroup_mounts() -> dict[str, str]:
    """Map "memory", "freezer" (v1) and "v2" to their mount points."""
    mounts: dict[str, str] = {}
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                left, _, right = line.partition(" - ")
                fstype, _, opts = right.split(" ", 2)
                point = left.split(" ")[4]
                if fstype == "cgroup2":
                    mounts.setdefault("v2", point)
                elif fstype == "cgroup":
                    for name in ("memory", "freezer"):
                        if name in opts.strip().split(","):
                            mounts[name] = point
    except OSError:
        pass
    return mounts


def remove_stale(parent: str) -> None:
    """Remove the empty cgroups left by managers that were killed."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if name.startswith("lambda_magic-") and name[13:].isdigit():
            if not os.path.exists(f"/proc/{name[13:]}"):
                remove_tree(os.path.join(parent, name))


def remove_tree(path: str) -> None:
    """rmdir a cgroup and its children (cgroups are removed bottom-up)."""
    for root, dirs, _ in os.walk(path, topdown=False):
        for d in dirs:
            try:
                os.rmdir(os.path.join(root, d))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


class CgroupSet:
    """The cgroups of one sandbox: where its processes are counted, limited and frozen."""

    def __init__(self, memory: str | None, freezer: str | None, v2: str | None) -> None:
        self.memory, self.freezer, self.v2 = memory, freezer, v2

    @property
    def paths(self) -> list[str]:
        """Every cgroup directory of the set."""
        return [p for p in (self.memory, self.freezer, self.v2) if p]

    def describe(self) -> dict[str, Any]:
        """Paths the host reads (memory statistics, freezer state, member processes)."""
        return {"memory": self.memory, "freezer": self.freezer, "v2": self.v2}

    @property
    def has_memory_limit(self) -> bool:
        """Whether the kernel enforces a memory ceiling on the set (v2: only where the memory
        controller is enabled for it)."""
        return bool(
            self.memory or (self.v2 and os.path.exists(os.path.join(self.v2, "memory.max")))
        )

    def set_memory_limit(self, limit_bytes: int) -> None:
        """The hard memory ceiling of the set (where :attr:`has_memory_limit`)."""
        if self.memory:
            write_file(os.path.join(self.memory, "memory.limit_in_bytes"), str(limit_bytes))
        elif self.v2 and self.has_memory_limit:
            write_file(os.path.join(self.v2, "memory.max"), str(limit_bytes))

    def join(self, pid: int) -> None:
        """Move ``pid`` into every cgroup of the set (called by the child itself)."""
        for path in self.paths:
            write_file(os.path.join(path, "cgroup.procs"), str(pid))

    def pids(self) -> set[int]:
        """Every process in the set."""
        found: set[int] = set()
        for path in self.paths:
            try:
                with open(os.path.join(path, "cgroup.procs")) as f:
                    found.update(int(x) for x in f.read().split())
            except OSError:
                pass
        return found

    def set_frozen(self, frozen: bool) -> bool:
        """Freeze or thaw every process of the set; False where there is no freezer."""
        if self.freezer:
            write_file(
                os.path.join(self.freezer, "freezer.state"), "FROZEN" if frozen else "THAWED"
            )
        elif self.v2 and os.path.exists(os.path.join(self.v2, "cgroup.freeze")):
            write_file(os.path.join(self.v2, "cgroup.freeze"), "1" if frozen else "0")
        else:
            return False
        return True

    def thaw(self) -> None:
        """Thaw (a frozen v1 task cannot die of SIGKILL until it is thawed)."""
        try:
            self.set_frozen(False)
        except OSError:
            pass

    def kill_all(self, sig: int = signal.SIGKILL, skip_group: int | None = None) -> None:
        """Signal every process of the set, except those of process group ``skip_group``."""
        for pid in self.pids():
            try:
                if skip_group is None or os.getpgid(pid) != skip_group:
                    os.kill(pid, sig)
            except OSError:
                pass

    def destroy(self, deadline: float) -> None:
        """Kill everything, wait for it to leave, and remove the cgroups."""
        while True:
            self.kill_all()
            self.thaw()
            if not self.pids() or time.monotonic() > deadline:
                break
            time.sleep(0.005)
        for path in self.paths:
            remove_tree(path)


class CgroupRoots:
    """Where this manager creates sandbox cgroups, or ``None`` for each mechanism it lacks."""

    def __init__(self, enabled: bool) -> None:
        self.memory = self.freezer = self.v2 = None
        if not (IS_LINUX and enabled):
            return
        label = f"lambda_magic-{os.getpid()}"
        mounts = _cgroup_mounts()
        if "memory" in mounts:
            self.memory = self._base(mounts["memory"], _own_cgroup("memory"), label)
        if "freezer" in mounts:
            self.freezer = self._base(mounts["freezer"], _own_cgroup("freezer"), label)
        if "v2" in mounts and (self.memory is None or self.freezer is None):
            self.v2 = self._base(mounts["v2"], _own_cgroup(""), label)
            if self.v2:  # sandboxes get memory.max only if the controller is enabled for them
                try:
                    write_file(os.path.join(self.v2, "cgroup.subtree_control"), "+memory")
                except OSError:
                    pass

    @staticmethod
    def _base(mount: str, own: str | None, label: str) -> Any:
        """Create this manager's cgroup directory under our own cgroup, if we may."""
        parent = mount + (own or "/").rstrip("/")
        remove_stale(parent)
        base = os.path.join(parent, label)
        try:
            os.makedirs(base, exist_ok=True)
            return base
        except OSError:
            return None

    def v2_has(self, name: str) -> bool:
        """Whether the v2 hierarchy offers ``memory`` or ``freeze`` in our sandboxes."""
        if not self.v2:
            return False
        if name == "freeze":
            return os.path.exists(os.path.join(self.v2, "cgroup.freeze"))
        try:
            with open(os.path.join(self.v2, "cgroup.subtree_control")) as f:
                return name in f.read().split()
        except OSError:
            return False

    def create(self, sid: str, limit_bytes: int) -> CgroupSet:
        """Make the cgroups of sandbox ``sid``, with a hard memory ceiling of ``limit_bytes``."""
        paths = []
        for base in (self.memory, self.freezer, self.v2):
            path = os.path.join(base, sid) if base else None
            if path:
                os.mkdir(path)
            paths.append(path)
        cgroups = CgroupSet(*paths)
        cgroups.set_memory_limit(limit_bytes)
        return cgroups

    @property
    def any(self) -> bool:
        """Whether any cgroup mechanism is available."""
        return bool(self.memory or self.freezer or self.v2)

    def remove(self) -> None:
        """Remove this manager's cgroup directories (at exit)."""
        for base in (self.memory, self.freezer, self.v2):
            if base:
                remove_tree(base)


def probe(cgroups_enabled: bool, namespaces_enabled: bool) -> tuple[CgroupRoots, str | None]:
    """Detect the mechanisms this machine lets us use; returns the cgroup roots and the
    namespace mode (``"root"``, ``"user"`` or ``None``)."""
    roots = CgroupRoots(cgroups_enabled)
    ns_mode = None
    if IS_LINUX and namespaces_enabled:
        if os.geteuid() == 0 and mounts.probe(False):
            ns_mode = "root"
        elif mounts.probe(True):
            ns_mode = "user"
    return roots, ns_mode
