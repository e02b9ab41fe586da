"""POSIX shared memory as Lambda has it: not at all.

Lambda environments have no ``/dev/shm``: ``multiprocessing.Queue()``, ``Lock()`` and ``Pool()``
fail with ``OSError: [Errno 38] Function not implemented`` (the C library's answer when it finds
no shared-memory file system), while ``Pipe`` and ``Process`` work. The sandbox mounts an empty
read-only ``/dev/shm`` where it has a mount namespace; today's C libraries then say ``EROFS``,
which :func:`install` turns into Lambda's ``ENOSYS``.
"""

from __future__ import annotations

import errno
from typing import Any

# Loaded when this module is, not in install(): the sandbox manager imports the runtime before it
# forks, so no forked runtime pays the C extension's load (about 0.9 ms of every cold start).
try:
    import _multiprocessing  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python built without it
    _multiprocessing = None

_NO_SHM = (errno.EROFS, errno.ENOENT, errno.EACCES, errno.ENOSYS)


def _unavailable(e: OSError) -> OSError:
    if e.errno in _NO_SHM:
        return OSError(errno.ENOSYS, "Function not implemented")
    return e


def install() -> None:
    """Make ``multiprocessing``'s semaphores and shared memory fail as on Lambda."""
    if _multiprocessing is None:  # pragma: no cover - a Python built without it
        return
    base: Any = _multiprocessing.SemLock
    if getattr(base, "_lambda_view", False):
        return

    class SemLock(base):  # type: ignore[misc]
        _lambda_view = True

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            try:
                return super().__new__(cls, *args, **kwargs)
            except OSError as e:
                raise _unavailable(e) from None

    _multiprocessing.SemLock = SemLock
