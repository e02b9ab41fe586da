"""What a forked child of the manager does to become an environment's runtime.

Two steps: :func:`isolate` puts the process in its sandbox (its own session, its cgroups, its
mount namespace with a private /tmp, a parent-death signal); :func:`prepare` gives it the
runtime's limits, standard streams, working directory and environment, and :func:`run` runs
the built-in runtime or execs a custom one. A *spare* child does the first step ahead of time and
waits (:func:`serve_as_spare`), so that a cold start does not wait for the kernel to move a
process into a cgroup (about 10 ms after a quiet spell, for an RCU grace period).
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys
from typing import Any, NoReturn

from lambda_magic.platform.sandbox import isolation, mounts, protocol
from lambda_magic.platform.sandbox.isolation import CgroupSet
from lambda_magic.runtime import bootstrap
from lambda_magic.runtime.logsink import TELEMETRY_FD_VARIABLE


def isolate(cgroups: CgroupSet, ns_fds: list[int], ns_mode: str | None, tmp_mb: int) -> None:
    """Enter the sandbox: new session, default signals, cgroups, Lambda's view of the files."""
    os.setsid()
    isolation.set_parent_death_signal(signal.SIGKILL)
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cgroups.join(os.getpid())
    if ns_fds:
        mounts.enter_namespaces(ns_fds)
    elif ns_mode:
        mounts.enter_lambda_view(tmp_mb, ns_mode == "user", mounts.host_dirs_in_tmp())


def _max_fd() -> int:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft if 0 < soft < 1 << 20 else 65536


def close_fds_except(keep: set[int]) -> None:
    """Close every descriptor from 3 up, except ``keep`` (the manager's, other sandboxes')."""
    low = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, _max_fd())


def prepare(msg: dict[str, Any], fds: list[int], keep: set[int]) -> None:
    """Limits, streams (stdout and stderr to the log pipe; the telemetry pipe, if any, named by
    ``_LAMBDA_TELEMETRY_LOG_FD``), descriptors, directory, variables."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(fds[0], 1)
    os.dup2(fds[0], 2)
    telemetry = fds[1] if len(fds) > 1 else None
    if telemetry is not None:
        os.set_inheritable(telemetry, True)
        keep = keep | {telemetry}
    close_fds_except(keep)  # before RLIMIT_NOFILE, which would hide descriptors above it
    for name, (soft, hard) in msg.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, "RLIMIT_" + name), (soft, hard))
    if msg.get("bind_task"):
        mounts.bind_task_root(msg["task_source"])
    os.chdir(msg["cwd"])
    os.environ.clear()
    os.environ.update(msg["environ"])
    if telemetry is not None:
        os.environ[TELEMETRY_FD_VARIABLE] = str(telemetry)


def run(msg: dict[str, Any]) -> NoReturn:
    """Exec the custom runtime command, or run the built-in runtime in this process."""
    argv = msg.get("argv")
    if argv:
        for sig in (signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
        try:
            os.execvpe(argv[0], argv, os.environ)
        except OSError as e:
            sys.stderr.write(f"cannot start runtime {argv[0]!r}: {e}\n")
            os._exit(127)
    run_builtin_runtime(msg["handler"])


def run_builtin_runtime(handler: str) -> NoReturn:  # pragma: no cover - runs in the child
    """Run the built-in runtime in this forked process and exit as a fresh interpreter would."""
    import atexit
    import threading
    import types

    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.path[0:1] = [os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())]
    _hide_the_checkout()
    sys.argv = [bootstrap.__file__, handler]
    code = 0
    try:
        bootstrap.main(sys.argv)
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            sys.stderr.write(f"{e.code}\n")
            code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    try:
        threading._shutdown()  # type: ignore[attr-defined]  # what interpreter exit does
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _hide_the_checkout() -> None:
    """Take lambda_magic's source checkout off the import path (the manager needs it, the
    function must not see the project's tests/, tools/ or benchmarks/ as Lambda would not); an
    installed package's site-packages stays."""
    here = os.path.dirname(
        os.path.dirname(os.path.abspath(str(sys.modules["lambda_magic"].__file__)))
    )
    if os.path.basename(here) in ("site-packages", "dist-packages"):
        return
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]


def serve_as_spare(
    ctl: socket.socket, ready_fd: int, cgroups: CgroupSet, ns_mode: str | None, tmp_mb: int
) -> NoReturn:
    """Isolate now; then wait for the manager to hand this process a runtime to become."""
    try:
        isolate(cgroups, [], ns_mode, tmp_mb)
        close_fds_except({ctl.fileno(), ready_fd})
    except BaseException as e:
        os.write(ready_fd, f"{type(e).__name__}: {e}\n".encode())
        os._exit(127)
    os.write(ready_fd, b"ok\n")
    os.close(ready_fd)
    reader = protocol.Reader(ctl)
    while not (messages := reader.messages()):
        if not reader.feed():
            os._exit(0)  # the manager dropped this spare
    msg = messages[0]
    fds = reader.take_fds(msg["nfds"])
    try:
        if ns_mode and int(msg["tmp_mb"]) != tmp_mb:
            mounts.resize_tmp(int(msg["tmp_mb"]))
        prepare(msg, fds, {ctl.fileno()})
    except BaseException as e:
        protocol.send(ctl, {"ok": False, "error": f"{type(e).__name__}: {e}"})
        os._exit(127)
    protocol.send(ctl, {"ok": True})
    os.close(ctl.detach())
    run(msg)
