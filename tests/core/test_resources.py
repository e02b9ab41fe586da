"""The caller's resources stay flat over many invocations and cold starts (the full counts,
10,000 invokes and 200 cold starts, run in benchmarks/leaks.py)."""

from __future__ import annotations

import gc
import os
import threading
import time

import psutil
import pytest

from lambda_magic.platform.hub import get_hub
from lambda_magic.platform.sandbox.client import get_manager
from lambda_magic.platform.sandbox.manager import DEFAULT_SPARES

pytestmark = pytest.mark.timeout(300)


def _descriptors() -> dict[int, str]:
    """This process's open descriptors and what each one is (so a failure names the leak)."""
    found = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            found[int(fd)] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the descriptor listing the directory itself, closed by now
            pass
    return found


def _snapshot() -> tuple[dict[int, str], int, int]:
    for _ in range(3):  # let the hub finish closing what shut-down environments left it
        get_hub().run_sync(lambda: None)
    gc.collect()
    return _descriptors(), threading.active_count(), psutil.Process().memory_info().rss


def test_many_invokes_and_cold_starts_leave_the_caller_flat(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    print('x')\n    return e\n")
    for _ in range(200):  # warm up caches, the hub, the manager and the log ring
        fn.invoke({"n": 1})
    fn.reset()
    fn.invoke({"n": 1})
    fn.invoke({"n": 1})  # an environment's descriptors are opened on its first invokes
    fds, threads, rss = _snapshot()
    for _ in range(2000):
        fn.invoke({"n": 1})
    for _ in range(30):
        fn.reset()
        fn.invoke({"n": 1})
    fn.invoke({"n": 1})
    deadline = time.monotonic() + 2  # a leak stays; work still finishing on the hub does not
    while True:
        fds2, threads2, rss2 = _snapshot()
        if (len(fds2), threads2) == (len(fds), threads) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(fds2) == len(fds), {
        fd: (fds.get(fd), fds2.get(fd)) for fd in fds.keys() ^ fds2.keys()
    }
    assert threads2 == threads
    assert rss2 - rss < 8 * 1024 * 1024
    manager = psutil.Process(get_manager().process.pid)
    zombies = [c for c in manager.children() if c.status() == psutil.STATUS_ZOMBIE]
    # the live runtime, and at most DEFAULT_SPARES spare children waiting for cold starts
    assert zombies == [] and 1 <= len(manager.children()) <= 1 + DEFAULT_SPARES
    # one code package, and a /tmp directory only for a live environment without a namespace
    own_tmp = sum(1 for env in fn.environments if env.sandbox.tmp_dir)
    assert len(os.listdir(fn.work_dir())) == 1 + own_tmp
