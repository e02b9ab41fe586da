"""The sandbox manager: one small process per host that starts and cleans up environments.

It plays the part of Lambda's sandbox supervisor. It is single-threaded and standard-library
only, so that it can safely ``fork``: each runtime is forked from it with the built-in runtime
already imported (a cold start then costs only the function's own Init), or ``exec``s a custom
runtime command. Before the runtime starts, the child puts itself in its sandbox: its own
session, its cgroups, its mount namespace with a private ``/tmp``, its resource limits, and a
parent-death signal.

The manager adopts orphaned descendants (child subreaper) and, when the host goes away however
it ends (its control socket closes, or its parent-death signal arrives), kills every process of
every sandbox before it exits: no environment process outlives its host.

Started as ``python -m lambda_magic.platform.sandbox.manager <control-fd> <host-pid>`` by
:mod:`lambda_magic.platform.sandbox.client`.
"""

from __future__ import annotations

import itertools
import os
import select
import signal
import socket
import sys
import time
from typing import Any

from lambda_magic.platform.sandbox import (  # child imports the runtime: inherited by every fork
    child,
    isolation,
    mounts,
    protocol,
)
from lambda_magic.platform.sandbox.isolation import CgroupSet

#: A spare's memory ceiling and /tmp size until it is handed to a sandbox.
SPARE_LIMIT, SPARE_TMP_MB = 1 << 30, 512
#: Spares kept ready (``LAMBDA_MAGIC_SPARES``; 0 turns them off): cold starts one right after
#: another each find one, because a spare is isolated while the previous one is used.
DEFAULT_SPARES = 2


class Sandbox:
    """One environment's persistent container: cgroups, held namespaces, its runtime."""

    def __init__(self, sid: str, cgroups: CgroupSet, tmp_mb: int) -> None:
        self.sid = sid
        self.cgroups = cgroups
        self.tmp_mb = tmp_mb
        self.ns_fds: list[int] = []
        self.task_bound = False  # the code is at /var/task in the held mount namespace
        self.runtime_pid: int | None = None
        self.spare: Spare | None = None  # a child already isolated, waiting to become the runtime

    def signal_runtime(self, sig: int) -> None:
        """Signal the runtime's process group and every other process in the sandbox's cgroups,
        each process once: a second SIGTERM would run the runtime's hook again, mid-exit."""
        group = self.runtime_pid
        if group:
            try:
                os.killpg(group, sig)
            except OSError:
                group = None
        self.cgroups.kill_all(sig, skip_group=group)  # the host thaws a frozen sandbox first


class Spare:
    """A child forked ahead of time into fresh cgroups and mount namespace (see child.py);
    ``ready_fd`` is open until it says it is isolated (or failed)."""

    def __init__(
        self, pid: int, ctl: socket.socket, cgroups: CgroupSet, ready_fd: int | None
    ) -> None:
        self.pid, self.ctl, self.cgroups, self.ready_fd = pid, ctl, cgroups, ready_fd
        self.ns_fds: list[int] = []

    def alive(self) -> bool:
        """Whether it still waits (its control socket is not at end of stream)."""
        return not select.select([self.ctl], [], [], 0)[0]

    def discard(self) -> None:
        """Kill it and remove its cgroups."""
        if self.ready_fd is not None:
            os.close(self.ready_fd)
            self.ready_fd = None
        self.ctl.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.cgroups.destroy(time.monotonic() + 2)
        for fd in self.ns_fds:
            os.close(fd)


class Manager:
    """Serves the host's requests on the control socket; see the module docstring."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = protocol.Reader(sock)
        self.sandboxes: dict[str, Sandbox] = {}
        self.runtimes: dict[int, str] = {}
        self.pidfds: dict[int, int] = {}  # runtime pid -> pidfd (readable when it exits)
        self.spares: list[Spare] = []  # isolated and waiting, oldest first
        self.starting: list[Spare] = []  # forked, still isolating themselves
        self.spare_ids = itertools.count(1)
        wanted = os.environ.get("LAMBDA_MAGIC_SPARES", str(DEFAULT_SPARES))
        self.spares_wanted = int(wanted) if wanted.isdigit() else DEFAULT_SPARES
        self.host_gone = False
        cgroups_on = os.environ.get("LAMBDA_MAGIC_CGROUPS", "1") != "0"
        namespaces_on = os.environ.get("LAMBDA_MAGIC_NAMESPACES", "1") != "0"
        self.roots, self.ns_mode = isolation.probe(cgroups_on, namespaces_on)
        self.subreaper = isolation.set_child_subreaper()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)

    # -- main loop -------------------------------------------------------------------------------
    def capabilities(self) -> dict[str, Any]:
        """What this machine let us set up (reported to the host once, at start)."""
        roots = self.roots
        return {
            "event": "ready",
            "pid": os.getpid(),
            "memory_cgroup": "v1" if roots.memory else ("v2" if roots.v2_has("memory") else None),
            "freezer": "v1" if roots.freezer else ("v2" if roots.v2_has("freeze") else None),
            "namespaces": self.ns_mode,
            "subreaper": self.subreaper,
            "tmp_mounts": list(mounts.host_dirs_in_tmp()) if self.ns_mode else [],
        }

    def serve(self) -> None:
        """Answer requests until the host goes away, then clean everything up."""
        if not hasattr(os, "pidfd_open"):
            # Without pidfds, SIGCHLD says when to reap. With them it stays unhandled, so that
            # freezing a runtime with SIGSTOP/SIGCONT does not wake the manager each time.
            signal.set_wakeup_fd(self.wake_w)
            signal.signal(signal.SIGCHLD, lambda *_: None)
        protocol.send(self.sock, self.capabilities())
        try:
            while True:
                starting = {s.ready_fd: s for s in self.starting}
                watched: list[Any] = [self.sock, self.wake_r, *self.pidfds.values(), *starting]
                readable, _, _ = select.select(watched, [], [], 1.0)
                if self.wake_r in readable:
                    os.read(self.wake_r, 4096)
                for fd in readable:
                    if fd in starting:
                        self._spare_ready(starting[fd])
                self.reap()  # exited runtimes (pidfd readable) and adopted orphans
                if self.sock in readable:
                    if not self.reader.feed():
                        return
                    for message in self.reader.messages():
                        self.dispatch(message)
                self._start_spares()
        finally:
            self.cleanup()

    def dispatch(self, message: dict[str, Any]) -> None:
        """Run one request and send its reply."""
        fds = self.reader.take_fds(message.get("nfds", 0))
        reply: dict[str, Any] = {"id": message.get("id")}
        try:
            reply.update(getattr(self, "op_" + message["op"])(message, fds) or {})
            reply["ok"] = True
        except Exception as e:  # reported to the host, which raises it as a SandboxError
            reply.update(ok=False, error=f"{type(e).__name__}: {e}")
        finally:
            for fd in fds:
                os.close(fd)
        self.tell_host(reply)

    def tell_host(self, message: dict[str, Any]) -> None:
        """Send an event to the host, unless it is gone."""
        if self.host_gone:
            return
        try:
            protocol.send(self.sock, message)
        except OSError:
            self.host_gone = True

    def reap(self) -> None:
        """Collect exited children and tell the host about runtimes that exited."""
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            sid = self.runtimes.pop(pid, None)
            pidfd = self.pidfds.pop(pid, None)
            if pidfd is not None:
                os.close(pidfd)
            if sid is not None:
                sandbox = self.sandboxes.get(sid)
                if sandbox is not None and sandbox.runtime_pid == pid:
                    sandbox.runtime_pid = None
                # ru_maxrss: the runtime's peak memory, for the REPORT of an invoke it died in
                peak_kib = (
                    usage.ru_maxrss if sys.platform.startswith("linux") else usage.ru_maxrss // 1024
                )
                self.tell_host(
                    {"event": "exit", "pid": pid, "status": status, "peak_kib": peak_kib}
                )

    # -- spares ----------------------------------------------------------------------------------
    def _start_spares(self) -> None:
        """Fork spares until enough are ready or isolating: each isolates itself (cgroups,
        namespaces) while the manager goes on serving requests."""
        if not (self.roots.any or self.ns_mode):
            return  # nothing to set up ahead: a fork is all a cold start needs
        while len(self.spares) + len(self.starting) < self.spares_wanted:
            self._start_spare()

    def _start_spare(self) -> None:
        cgroups = self.roots.create(f"spare-{next(self.spare_ids)}", SPARE_LIMIT)
        ours, theirs = socket.socketpair()
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(ready_r)
            self.sock.detach()
            ours.detach()
            child.serve_as_spare(theirs, ready_w, cgroups, self.ns_mode, SPARE_TMP_MB)
        os.close(ready_w)
        theirs.close()
        self.starting.append(Spare(pid, ours, cgroups, ready_r))

    def _spare_ready(self, spare: Spare, timeout: float = 10.0) -> None:
        """Read what a starting spare says (waiting up to ``timeout``): ready, or failed (then
        spares are off: without them every spawn forks anew)."""
        assert spare.ready_fd is not None
        self.starting.remove(spare)
        try:
            status = self._wait_ready(spare.ready_fd, timeout)
        finally:
            os.close(spare.ready_fd)
            spare.ready_fd = None
        if status == "ok" and self.ns_mode:
            spare.ns_fds = mounts.open_namespaces(spare.pid, self.ns_mode == "user")
        if status == "ok":
            self.spares.append(spare)
            return
        spare.discard()
        self.spares_wanted = 0

    def _take_spare(self, sid: str, limit_bytes: int) -> Spare | None:
        """A ready spare, or one still isolating (further along than a new fork), or None."""
        if not self.spares and self.starting:
            self._spare_ready(self.starting[0])
        while self.spares:
            spare = self.spares.pop(0)
            if spare.alive():
                # The spare's cgroups keep their name: a rename takes the kernel's cgroup
                # mutex, which a spare being made holds while it joins its own cgroups
                # (10-20 ms), and a cold start right after another would wait for it.
                spare.cgroups.set_memory_limit(limit_bytes)
                return spare
            spare.discard()
        return None

    # -- operations ------------------------------------------------------------------------------
    def op_create(self, msg: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        """Create a sandbox, from the spare when there is one."""
        sid, limit = msg["sid"], int(msg["limit_bytes"])
        spare = self._take_spare(sid, limit)
        cgroups = spare.cgroups if spare else self.roots.create(sid, limit)
        sandbox = self.sandboxes[sid] = Sandbox(sid, cgroups, int(msg["tmp_mb"]))
        if spare is not None:
            sandbox.spare, sandbox.ns_fds = spare, spare.ns_fds
        return {"cgroups": cgroups.describe(), "memory_limit": cgroups.has_memory_limit}

    def op_spawn(self, msg: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        """Fork a runtime into its sandbox; returns its pid (also its process group)."""
        sandbox = self.sandboxes[msg["sid"]]
        if sandbox.runtime_pid is not None:
            raise RuntimeError(f"sandbox {sandbox.sid} already has a runtime")
        msg["bind_task"] = bool(self.ns_mode) and not sandbox.task_bound
        pid = (
            self._activate_spare(sandbox, msg, fds)
            if sandbox.spare
            else self._fork(sandbox, msg, fds)
        )
        if self.ns_mode and not sandbox.ns_fds:
            sandbox.ns_fds = mounts.open_namespaces(pid, self.ns_mode == "user")
        sandbox.task_bound = bool(sandbox.ns_fds)
        sandbox.runtime_pid = pid
        self.runtimes[pid] = sandbox.sid
        if hasattr(os, "pidfd_open"):
            self.pidfds[pid] = os.pidfd_open(pid)
        return {"pid": pid}

    def _fork(self, sandbox: Sandbox, msg: dict[str, Any], fds: list[int]) -> int:
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(ready_r)
            self.sock.detach()
            try:
                child.isolate(sandbox.cgroups, sandbox.ns_fds, self.ns_mode, sandbox.tmp_mb)
                child.prepare(msg, fds, {ready_w})
            except BaseException as e:
                os.write(ready_w, f"{type(e).__name__}: {e}\n".encode())
                os._exit(127)
            os.write(ready_w, b"ok\n")
            os.close(ready_w)
            child.run(msg)
        os.close(ready_w)
        try:
            status = self._wait_ready(ready_r)
        finally:
            os.close(ready_r)
        if status != "ok":
            os.kill(pid, signal.SIGKILL)
            raise RuntimeError(status or "the environment exited while it was being set up")
        return pid

    def _activate_spare(self, sandbox: Sandbox, msg: dict[str, Any], fds: list[int]) -> int:
        spare, sandbox.spare = sandbox.spare, None
        assert spare is not None
        protocol.send(spare.ctl, {**msg, "tmp_mb": sandbox.tmp_mb, "nfds": len(fds)}, fds)
        reader = protocol.Reader(spare.ctl)
        deadline = time.monotonic() + 10
        while not (answers := reader.messages()) and time.monotonic() < deadline:
            if select.select([spare.ctl], [], [], 0.1)[0] and not reader.feed():
                break
        spare.ctl.close()
        if not answers or not answers[0].get("ok"):
            os.kill(spare.pid, signal.SIGKILL)
            raise RuntimeError(
                answers[0]["error"]
                if answers
                else "the environment exited while it was being set up"
            )
        return spare.pid

    @staticmethod
    def _wait_ready(fd: int, timeout: float = 10.0) -> str:
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                data += chunk
                if data.endswith(b"\n"):
                    break
        return data.decode(errors="replace").strip()

    def op_kill(self, msg: dict[str, Any], fds: list[int]) -> None:
        """Signal a sandbox's runtime and every process in it."""
        sandbox = self.sandboxes.get(msg["sid"])
        if sandbox is not None:
            sandbox.signal_runtime(int(msg["signal"]))

    def op_destroy(self, msg: dict[str, Any], fds: list[int]) -> None:
        """Kill every process of a sandbox, then release its namespace and cgroups."""
        sandbox = self.sandboxes.pop(msg["sid"], None)
        if sandbox is not None:
            self._destroy(sandbox)

    def _destroy(self, sandbox: Sandbox) -> None:
        if sandbox.spare is not None:  # created, never started
            os.kill(sandbox.spare.pid, signal.SIGKILL)
            sandbox.spare.ctl.close()
        sandbox.signal_runtime(signal.SIGKILL)
        sandbox.cgroups.destroy(time.monotonic() + 2)
        for fd in sandbox.ns_fds:
            os.close(fd)
        sandbox.ns_fds = []

    def cleanup(self) -> None:
        """Kill every sandbox and every adopted orphan; remove our cgroups."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this short
        self.host_gone = True
        for spare in self.spares + self.starting:
            spare.discard()
        for sandbox in list(self.sandboxes.values()):
            self._destroy(sandbox)
        self.sandboxes.clear()
        self._kill_children()
        self.roots.remove()

    def _kill_children(self) -> None:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            children = isolation.children_of(os.getpid())
            if not children:
                return
            for pid in children:
                for kill in (os.killpg, os.kill):
                    try:
                        kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            time.sleep(0.01)
            self.reap()


def main() -> None:
    """``python -m lambda_magic.platform.sandbox.manager <control-fd> <host-pid>``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a kernel interrupt hits its whole group
    isolation.set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != int(sys.argv[2]):  # the host died before the line above
        sys.exit(0)

    def _terminate(*_: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _terminate)
    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(True)
    Manager(sock).serve()


if __name__ == "__main__":
    main()
