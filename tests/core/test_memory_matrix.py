"""Every environment runs under its memory limit, however its predecessor ended.

For each way an environment (or its runtime) can end, the next invocations must still be
measured and limited: one that allocates past ``memory_size`` gets ``Runtime.OutOfMemory``, and
every one that succeeds reports a Max Memory Used above 0 MB.
"""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time
from collections.abc import Callable

import pytest

from lambda_magic.core.lifecycle import EnvState
from tests.helpers import wait_for

pytestmark = pytest.mark.timeout(120)

HANDLER = """
import ctypes, os, sys, time
if os.path.exists("/tmp/oom-at-init"):      # armed by an earlier invoke: this Init runs out
    os.remove("/tmp/oom-at-init")
    BLOCK = bytearray(300 * 1024 * 1024)
    for i in range(0, len(BLOCK), 4096):
        BLOCK[i] = 1

def lambda_handler(event, context):
    how = event.get("end")
    if how == "os_exit":
        os._exit(3)
    if how == "sys_exit":
        sys.exit(4)
    if how == "segfault":
        ctypes.string_at(0)
    if how == "arm_init_oom":
        open("/tmp/oom-at-init", "w").close()
        os._exit(0)
    time.sleep(event.get("sleep", 0))
    block = bytearray(event.get("mb", 0) * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return os.getpid()
"""


def _oom_invoke(fn) -> None:
    assert fn.invoke({"mb": 200}).error_type == "Runtime.OutOfMemory"


def _oom_init(fn) -> None:
    assert fn.invoke({"end": "arm_init_oom"}).error_type == "Runtime.ExitError"
    failed = fn.invoke({})  # the suppressed Init inside this invoke runs out of memory
    assert failed.error_type == "Runtime.OutOfMemory", failed.error


def _exits(how: str) -> Callable[[object], None]:
    def end(fn) -> None:
        assert fn.invoke({"end": how}).error_type == "Runtime.ExitError"

    return end


def _killed_from_outside(fn) -> None:
    env = fn.environments[0]
    os.kill(env.pid, signal.SIGKILL)
    wait_for(lambda: env.state.state is EnvState.RESET, what="the environment to be reset")


def _timeout(fn) -> None:
    assert fn.invoke({"sleep": 5}).error_type == "Sandbox.Timedout"


def _interrupt(fn) -> None:
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        fn.invoke({"sleep": 5})
    timer.join()


def _reset(fn) -> None:
    fn.reset()


def _code_update(fn) -> None:
    assert fn.update_code(fn.code + "\n# a new revision\n")


def _idle_expiry(fn) -> None:
    fn.update_config(idle_timeout=60)
    fn.invoke({})  # an environment of the new revision, then idle
    assert fn.expire_idle(now=time.monotonic() + 120)


ENDINGS: dict[str, Callable[[object], None]] = {
    "out of memory in an invoke": _oom_invoke,
    "out of memory in Init": _oom_init,
    "os._exit": _exits("os_exit"),
    "sys.exit": _exits("sys_exit"),
    "segfault": _exits("segfault"),
    "kill -9 from outside": _killed_from_outside,
    "timeout": _timeout,
    "kernel interrupt": _interrupt,
    "reset": _reset,
    "code update": _code_update,
    "idle expiry": _idle_expiry,
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_the_next_environment_is_limited_and_measured(make_function, ending: str) -> None:
    fn = make_function(HANDLER, memory_size=128, timeout=2)
    first = fn.invoke({"mb": 10})
    assert first.ok and first.report.max_memory_used_mb > 10
    ENDINGS[ending](fn)
    for _ in range(2):  # twice: the replacement of an environment killed for memory too
        ok = fn.invoke({"mb": 10})
        assert ok.ok, ok.error
        assert ok.report.max_memory_used_mb > 10, ok.logs
        over = fn.invoke({"mb": 200})
        assert over.error_type == "Runtime.OutOfMemory", (over.error, over.logs)
        assert over.report.max_memory_used_mb == 128
    after = fn.invoke({})
    assert after.ok and after.report.max_memory_used_mb > 0


def test_short_lived_child_processes_count_in_max_memory_used(make_function) -> None:
    from lambda_magic import sandbox_info

    fn = make_function("""
        import subprocess, sys
        def lambda_handler(event, context):
            subprocess.run([sys.executable, "-c",
                "b = bytearray(80 * 1024 * 1024)\\nfor i in range(0, len(b), 4096): b[i] = 1"],
                check=True)
            return "done"
    """, memory_size=512)  # fmt: skip
    fn.invoke({})
    result = fn.invoke({})  # warm: only this invoke's peak
    assert result.ok
    if sandbox_info().memory_cgroup is None:
        pytest.fail("this machine has no memory cgroup: the test needs one (run as root)")
    assert result.report.max_memory_used_mb >= 80, result.logs
