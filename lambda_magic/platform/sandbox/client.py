"""Host side of the sandbox manager: starts it, sends it requests, routes its events."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from lambda_magic.core.errors import SandboxError
from lambda_magic.platform.hub import Hub, get_hub
from lambda_magic.platform.sandbox import protocol


@dataclass(frozen=True)
class SandboxInfo:
    """Which isolation mechanisms this machine gives environments (see the README's table)."""

    platform: str
    memory_cgroup: str | None
    freezer: str | None
    namespaces: str | None
    subreaper: bool
    #: Directories of /tmp mounted back into each environment's private /tmp because the
    #: Python that runs environments, or LAMBDA_MAGIC_HOME, lies there
    #: (see :func:`mounts.host_dirs_in_tmp`).
    tmp_mounts: tuple[str, ...] = ()

    @property
    def memory_limit(self) -> str:
        """How ``memory_size`` is enforced."""
        watch = "peak resident memory of the environment's processes, checked every 10 ms"
        if self.memory_cgroup:
            return f"{watch}; memory cgroup ({self.memory_cgroup}) as a hard kernel ceiling"
        return f"{watch}; RLIMIT_DATA as a hard backstop"

    @property
    def freeze(self) -> str:
        """How environments are frozen between invocations."""
        if self.freezer:
            return f"cgroup freezer ({self.freezer}): every process of the environment"
        return "SIGSTOP/SIGCONT of the environment's process group"

    @property
    def tmp(self) -> str:
        """How /tmp is made private and sized."""
        if self.namespaces:
            kind = "as root" if self.namespaces == "root" else "in a user namespace"
            shown = f" (with {', '.join(self.tmp_mounts)} mounted in it)" if self.tmp_mounts else ""
            return (
                f"private mount namespace ({kind}): /tmp is a tmpfs of ephemeral_storage MB{shown}"
            )
        return (
            "TMPDIR points to a private directory; RLIMIT_FSIZE caps each file at ephemeral_storage"
        )


def checkout_root() -> str:
    """The directory that holds the ``lambda_magic`` package (a checkout, or site-packages):
    three levels above this file's folder (lambda_magic/platform/sandbox)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(os.path.dirname(os.path.dirname(here)))


class SandboxManager:
    """Talks to the manager process; see :mod:`lambda_magic.platform.sandbox.manager`."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[dict[str, Any]]] = {}
        self._exit_callbacks: dict[int, Callable[[int, int], None]] = {}
        self._early_exits: dict[int, tuple[int, int]] = {}
        self._exit_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._ready: Future[dict[str, Any]] = Future()
        self.closed = False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock = ours
        self._reader = protocol.Reader(ours)
        self.process = hub.run_sync(lambda: self._start(theirs))
        theirs.close()
        hub.add_reader(ours, self._on_readable)
        try:
            hello = self._ready.result(30)
        except FutureTimeout:
            raise SandboxError("the sandbox manager did not start within 30 s") from None
        self.info = SandboxInfo(
            platform=sys.platform,
            memory_cgroup=hello.get("memory_cgroup"),
            freezer=hello.get("freezer"),
            namespaces=hello.get("namespaces"),
            subreaper=bool(hello.get("subreaper")),
            tmp_mounts=tuple(hello.get("tmp_mounts", ())),
        )

    @staticmethod
    def _start(sock: socket.socket) -> subprocess.Popen[bytes]:
        # Runs on the hub thread, which lives as long as the host: the manager's parent-death
        # signal is tied to the thread that started it.
        argv = [sys.executable, "-m", "lambda_magic.platform.sandbox.manager"]
        argv += [str(sock.fileno()), str(os.getpid())]
        # It runs in "/" so that the kernel's working directory is not on its import path (it
        # would be mounted into every environment's /tmp when it lies under /tmp).
        package_root = checkout_root()
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, "PYTHONPATH": path}
        if env.get("LAMBDA_MAGIC_HOME"):
            env["LAMBDA_MAGIC_HOME"] = os.path.abspath(env["LAMBDA_MAGIC_HOME"])
        return subprocess.Popen(
            argv,
            pass_fds=[sock.fileno()],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd="/",
            env=env,
        )

    def _on_readable(self) -> None:
        try:
            alive = self._reader.feed()
        except OSError:
            alive = False
        for message in self._reader.messages():
            self._route(message)
        if not alive:
            self._on_lost()

    def _route(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "ready":
            self._ready.set_result(message)
        elif event == "exit":
            with self._exit_lock:
                callback = self._exit_callbacks.pop(message["pid"], None)
                if callback is None:
                    self._early_exits[message["pid"]] = (message["status"], message["peak_kib"])
            if callback is not None:
                callback(message["status"], message["peak_kib"])
        else:
            future = self._pending.pop(message.get("id", -1), None)
            if future is not None:
                future.set_result(message)

    def _on_lost(self) -> None:
        self.closed = True
        self.hub.remove(self._sock, self._close_socket)
        error = SandboxError("the sandbox manager process exited")
        for future in list(self._pending.values()):
            if not future.done():
                future.set_exception(error)
        self._pending.clear()
        for callback in list(self._exit_callbacks.values()):
            callback(9, 0)  # the manager's death took its runtimes with it (SIGKILL)
        self._exit_callbacks.clear()
        if not self._ready.done():
            self._ready.set_exception(error)

    def _close_socket(self) -> None:
        with self._send_lock:
            self._sock.close()

    def request(
        self, op: str, fds: list[int] | None = None, timeout: float = 30, **fields: Any
    ) -> dict[str, Any]:
        """Send one request and wait for its reply; a failure raises :class:`SandboxError`."""
        message_id = next(self._ids)
        future: Future[dict[str, Any]] = Future()
        self._pending[message_id] = future
        message = {"op": op, "id": message_id, "nfds": len(fds or []), **fields}
        sent = False
        if not self.closed:  # checked after registering: a loss from now on fails the future
            with self._send_lock, contextlib.suppress(OSError):
                protocol.send(self._sock, message, fds)
                sent = True
        if not sent:
            self._pending.pop(message_id, None)
            raise SandboxError("the sandbox manager is not running")
        try:
            reply = future.result(timeout)
        except FutureTimeout:
            raise SandboxError(
                f"the sandbox manager did not answer {op!r} within {timeout} s"
            ) from None
        if not reply.get("ok"):
            raise SandboxError(reply.get("error", f"{op} failed"))
        return reply

    def watch_exit(self, pid: int, callback: Callable[[int, int], None]) -> None:
        """Call ``callback(wait_status, peak_kib)`` when runtime ``pid`` exits (on the hub
        thread, or at once on the caller's if it has already exited)."""
        with self._exit_lock:
            early = self._early_exits.pop(pid, None)
            if early is None:
                self._exit_callbacks[pid] = callback
        if early is not None:
            callback(*early)

    def close(self) -> None:
        """Stop the manager: it kills every environment and removes its cgroups."""
        if self.closed:
            return
        self.closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


_manager: SandboxManager | None = None
_manager_lock = threading.Lock()


def get_manager() -> SandboxManager:
    """The process-wide sandbox manager, started on first use (and restarted if it died)."""
    global _manager
    with _manager_lock:
        if _manager is None or _manager.closed:
            _manager = SandboxManager(get_hub())
        return _manager


def sandbox_info() -> SandboxInfo:
    """Which isolation mechanisms environments get on this machine."""
    return get_manager().info


def _stop_at_exit() -> None:
    if _manager is not None:
        _manager.close()


def _forget_after_fork() -> None:
    global _manager, _manager_lock
    _manager = None
    _manager_lock = threading.Lock()


atexit.register(_stop_at_exit)
os.register_at_fork(after_in_child=_forget_after_fork)
