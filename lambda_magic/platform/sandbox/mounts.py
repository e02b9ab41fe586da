"""Lambda's view of the file system, made with a private mount namespace (Linux).

Inside a Lambda environment everything is read-only except ``/tmp``; the function's code is at
``/var/task`` (its working directory and ``LAMBDA_TASK_ROOT``) and the runtime at
``/var/runtime``. :func:`enter_lambda_view` gives a freshly forked child the same view of this
machine, without writing anything on the host:

* a new mount namespace (inside a new user namespace when unprivileged), private to the child;
* ``/var`` replaced by a small tmpfs holding ``task`` and ``runtime`` mount points and, mounted
  back, what the host has in ``/var`` (its packages, ``LAMBDA_MAGIC_HOME`` under ``/var/tmp``);
* every mount made read-only, recursively (``EROFS`` on writes, as on Lambda);
* ``/tmp`` a tmpfs of ``ephemeral_storage`` MB, with the host's directories that environments
  need (a Python or ``LAMBDA_MAGIC_HOME`` under ``/tmp``) mounted back in it, read-only;
* ``/dev/shm`` an empty, read-only tmpfs: Lambda has no shared memory, so POSIX semaphores and
  shared memory fail (``multiprocessing.Queue()``), while pipes and processes work;
* ``/bin/sh`` is bash, as on Amazon Linux (a ``#!/bin/sh`` bootstrap may use bash's features).

:func:`bind_task_root` later puts a revision's code at ``/var/task`` (once per sandbox: a spare
is isolated before it knows which function it will serve).
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

from lambda_magic.platform.sandbox.libc import check, libc, write_file

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
_ST_FLAGS = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC))
#: mount_setattr(2) (Linux 5.12): the same number on every architecture.
_SYS_MOUNT_SETATTR = 442
_AT_FDCWD, _AT_RECURSIVE, _MOUNT_ATTR_RDONLY = -100, 0x8000, 0x1
TASK_ROOT = "/var/task"
RUNTIME_DIR = "/var/runtime"


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, options: str | None = None
) -> None:
    check(
        libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            options.encode() if options else None,
        ),
        f"mount {target}",
    )


@functools.cache
def host_dirs_in_tmp() -> tuple[str, ...]:
    """Top-level directories of /tmp that environments need from the host: where this Python
    lives (its prefixes, executable or import path, such as a virtual environment created under
    /tmp) and ``LAMBDA_MAGIC_HOME`` (the code packages). An environment's private /tmp would
    hide them, so :func:`enter_lambda_view` mounts them back at the same path."""
    found: set[str] = set()
    candidates = [
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.executable,
        *sys.path,
        os.environ.get("LAMBDA_MAGIC_HOME", ""),
    ]
    for path in candidates:
        real = os.path.realpath(path) if path else ""
        parts = real.split("/")
        if len(parts) > 2 and parts[1] == "tmp" and parts[2] and os.path.isdir("/tmp/" + parts[2]):
            found.add("/tmp/" + parts[2])
    return tuple(sorted(found))


def runtime_dir() -> str:
    """The host directory of the built-in runtime, mounted at ``/var/runtime``."""
    from lambda_magic import runtime

    return os.path.dirname(os.path.abspath(runtime.__file__))


def _bind_read_only(held_fd: int, target: str) -> None:
    """Bind what ``held_fd`` (an ``O_PATH`` descriptor) names at ``target``, read-only. The
    source's nosuid/nodev/noexec are kept: a user namespace may not clear them."""
    source = f"/proc/self/fd/{held_fd}"
    _mount(source, target, None, MS_BIND | MS_REC)
    locked = 0
    flags = os.statvfs(target).f_flag
    for st_flag, ms_flag in _ST_FLAGS:
        if flags & st_flag:
            locked |= ms_flag
    _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | locked)


def _make_everything_read_only() -> None:
    attr = (ctypes.c_uint64 * 4)(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    if libc.syscall(_SYS_MOUNT_SETATTR, _AT_FDCWD, b"/", _AT_RECURSIVE, attr, 32) == 0:
        return
    with open("/proc/self/mountinfo") as f:  # kernels before 5.12: one mount at a time
        points = [line.split(" ")[4] for line in f]
    for point in points:
        point = point.encode().decode("unicode_escape")
        try:
            fd = os.open(point, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            _bind_read_only(fd, point)
        except OSError:
            pass
        finally:
            os.close(fd)


def _hold(path: str) -> int:
    return os.open(path, os.O_PATH | os.O_CLOEXEC)


def _new_var(held_var: dict[str, int | str], runtime_fd: int) -> None:
    """Replace /var with a tmpfs holding the host's entries, /var/task and /var/runtime."""
    _mount("tmpfs", "/var", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    for name, held in held_var.items():
        target = f"/var/{name}"
        if isinstance(held, str):
            os.symlink(held, target)
            continue
        if os.path.isdir(f"/proc/self/fd/{held}"):
            os.mkdir(target)
        else:
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o644))
        _bind_read_only(held, target)
    os.mkdir(TASK_ROOT)
    os.mkdir(RUNTIME_DIR)
    _bind_read_only(runtime_fd, RUNTIME_DIR)


def _host_var() -> dict[str, int | str]:
    """The host's /var entries, held open (or their link targets) before /var is replaced."""
    held: dict[str, int | str] = {}
    try:
        names = sorted(os.listdir("/var"))
    except OSError:
        return held
    for name in names:
        if name in ("task", "runtime"):
            continue
        path = f"/var/{name}"
        try:
            held[name] = os.readlink(path) if os.path.islink(path) else _hold(path)
        except OSError:
            pass
    return held


def enter_lambda_view(size_mb: int, user_namespace: bool, keep: tuple[str, ...] = ()) -> None:
    """Enter a new mount namespace with Lambda's view (see the module docstring); /tmp is a
    tmpfs of ``size_mb`` MB with the directories ``keep`` mounted back in it. Called in a
    freshly forked, single-threaded child."""
    uid, gid = os.getuid(), os.getgid()
    check(libc.unshare(CLONE_NEWNS | (CLONE_NEWUSER if user_namespace else 0)), "unshare")
    if user_namespace:
        write_file("/proc/self/setgroups", "deny")
        write_file("/proc/self/uid_map", f"{uid} {uid} 1")
        write_file("/proc/self/gid_map", f"{gid} {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # Held open in the new namespace (a bind source must be one of its own mounts), they still
    # reach the host's directories once a tmpfs hides them.
    held_tmp = [_hold(path) for path in keep]
    held_var = _host_var()
    runtime_fd = _hold(runtime_dir())
    try:
        _new_var(held_var, runtime_fd)
        _make_everything_read_only()
        _bash_as_sh()
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=1777")
        for path, fd in zip(keep, held_tmp):
            os.mkdir(path)
            _bind_read_only(fd, path)
        if os.path.isdir("/dev/shm"):
            _mount(
                "tmpfs",
                "/dev/shm",
                "tmpfs",
                MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                "size=4k,mode=755",
            )
    finally:
        for fd in [*held_tmp, runtime_fd, *(h for h in held_var.values() if isinstance(h, int))]:
            os.close(fd)


def _bash_as_sh() -> None:
    """Make ``/bin/sh`` bash, as on Amazon Linux (Debian's is dash, which has neither
    ``source`` nor ``set -o pipefail``: AWS's tutorial bootstrap, a ``#!/bin/sh`` script, needs
    both). Left as it is where the machine has no bash."""
    shell = os.path.realpath("/bin/sh")
    bash = next((p for p in ("/usr/bin/bash", "/bin/bash") if os.access(p, os.X_OK)), None)
    if bash is None or os.path.basename(shell) == "bash":
        return
    fd = _hold(os.path.realpath(bash))
    try:
        _bind_read_only(fd, shell)
    except OSError:
        pass
    finally:
        os.close(fd)


def bind_task_root(host_path: str) -> None:
    """Put a revision's code package at /var/task, read-only (once per sandbox)."""
    fd = _hold(host_path)
    try:
        _bind_read_only(fd, TASK_ROOT)
    finally:
        os.close(fd)


def resize_tmp(size_mb: int) -> None:
    """Change the size of this mount namespace's /tmp tmpfs."""
    _mount(None, "/tmp", None, MS_REMOUNT | MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=1777")


def enter_namespaces(fds: list[int]) -> None:
    """Join the held namespaces (user first, then mount) of an existing sandbox."""
    for fd in fds:
        check(libc.setns(fd, 0), "setns")


def open_namespaces(pid: int, user_namespace: bool) -> list[int]:
    """Open (and so keep alive) the namespaces of ``pid``: its /tmp outlives its runtime.
    [] when ``pid`` has already exited (a zombie has no namespaces left to hold)."""
    fds: list[int] = []
    try:
        for name in (["user"] if user_namespace else []) + ["mnt"]:
            fds.append(os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY | os.O_CLOEXEC))
    except FileNotFoundError:
        for fd in fds:
            os.close(fd)
        return []
    return fds


def probe(user_namespace: bool) -> bool:
    """Whether this machine lets a child enter Lambda's view (in a forked child)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            enter_lambda_view(1, user_namespace, host_dirs_in_tmp())
            os.chdir(TASK_ROOT)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return status == 0
