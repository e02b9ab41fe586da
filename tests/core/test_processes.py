"""No environment process outlives its caller, however the caller ends."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap

import pytest

from lambda_magic import sandbox_info
from lambda_magic.core.errors import SandboxError
from tests.helpers import wait_for, wait_gone

pytestmark = pytest.mark.timeout(90)

CALLER = textwrap.dedent('''
    import json, os, sys, time
    from lambda_magic import LambdaFunction
    from lambda_magic.platform.sandbox.client import get_manager
    spawner = LambdaFunction("spawner", """
    import subprocess, signal
    def on_term(*a):
        print("goodbye from", __name__, flush=True)
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, on_term)
    def lambda_handler(event, context):
        same_group = subprocess.Popen(["sleep", "300"])
        detached = subprocess.Popen(["sleep", "301"], start_new_session=True)
        return [os.getpid() for os in [__import__("os")]] + [same_group.pid, detached.pid]
    """)
    idle = LambdaFunction("idle", "def lambda_handler(e, c):\\n    return __import__('os').getpid()\\n")
    pids = spawner.invoke().payload + [idle.invoke().payload, get_manager().process.pid]
    print(json.dumps(pids), flush=True)
    if sys.argv[1] == "exit":
        sys.exit(0)
    time.sleep(300)
''')


def _start_caller(mode: str) -> tuple[subprocess.Popen[str], list[int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CALLER, mode],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    proc.stdout.close()  # one line is all it says
    assert line, "the caller printed nothing"
    return proc, json.loads(line)


def _cgroups_of(manager_pid: int) -> list[str]:
    found = []
    for root, dirs, _ in os.walk("/sys/fs/cgroup"):
        found += [os.path.join(root, d) for d in dirs if d == f"lambda_magic-{manager_pid}"]
        if root.count("/") > 6:
            dirs[:] = []
    return found


def test_sigkill_of_the_caller_leaves_nothing_behind() -> None:
    proc, pids = _start_caller("stay")
    runtime, same_group, detached, idle_runtime, manager = pids
    assert wait_gone(pids, seconds=0) == pids  # all alive
    info = sandbox_info()
    if info.memory_cgroup or info.freezer:  # the check below must be able to find them
        assert _cgroups_of(manager) != []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert wait_gone(pids) == []
    assert _cgroups_of(manager) == []


def test_normal_exit_of_the_caller_shuts_down_gracefully() -> None:
    proc, pids = _start_caller("exit")
    assert proc.wait(30) == 0
    assert wait_gone(pids) == []


def test_a_dead_manager_is_replaced(make_function) -> None:
    from lambda_magic.platform.sandbox.client import get_manager

    fn = make_function("import os\ndef lambda_handler(e, c):\n    return os.getpid()\n")
    first = fn.invoke().payload
    manager = get_manager()
    old = manager.process
    old.kill()
    old.wait()
    assert wait_gone([first]) == []  # its runtimes die with it (parent-death signal)
    wait_for(lambda: manager._sock.fileno() == -1, what="the dead manager's socket closed")
    again = fn.invoke()
    assert again.ok and again.payload != first and again.cold_start
    assert get_manager().process.pid != old.pid
    with pytest.raises(SandboxError, match="the sandbox manager is not running"):
        manager.request("create", sid="late")


def test_a_python_under_tmp_stays_importable_behind_the_private_tmp(tmp_path) -> None:
    # A virtual environment or a checkout under /tmp, and LAMBDA_MAGIC_HOME there, must not
    # vanish behind an environment's own /tmp: their top-level directories are mounted back,
    # read-only, and nothing else is (not the caller's working directory).
    (tmp_path / "kept_mod.py").write_text("VALUE = 'imported from under /tmp'\n")
    home = tempfile.mkdtemp(prefix="lm-home-", dir="/tmp")
    cwd = tempfile.mkdtemp(prefix="lm-cwd-", dir="/tmp")
    caller = textwrap.dedent('''
        import json
        from lambda_magic import LambdaFunction, sandbox_info
        fn = LambdaFunction("kept", """
        import os, subprocess, sys
        def lambda_handler(event, context):
            import kept_mod
            child = subprocess.run([sys.executable, "-c", "import kept_mod; print(kept_mod.VALUE)"],
                                   capture_output=True, text=True)
            try:
                open(kept_mod.__file__, "a").close()
                writable = True
            except OSError:
                writable = False
            return [kept_mod.VALUE, child.stdout.strip(), sorted(os.listdir("/tmp")), writable]
        """)
        print(json.dumps([fn.invoke().payload, sandbox_info().tmp_mounts]))
        fn.shutdown()
    ''')
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "LAMBDA_MAGIC_HOME": home}
    try:
        done = subprocess.run([sys.executable, "-c", caller], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(cwd, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    (value, from_child, listing, writable), mounts = json.loads(done.stdout)
    top = "/tmp/" + os.path.realpath(tmp_path).split("/")[2]
    assert top in mounts and home in mounts and cwd not in mounts
    assert value == from_child == "imported from under /tmp"
    assert listing == sorted(m.rsplit("/", 1)[1] for m in mounts) and not writable


def test_exit_shuts_provisioned_environments_down_without_starting_new_ones() -> None:
    caller = textwrap.dedent("""
        from lambda_magic import LambdaFunction
        fn = LambdaFunction("kept", "def lambda_handler(e, c):\\n    return 1\\n",
                            provisioned_concurrency=1)
        fn.subscribe(lambda kind, value: kind == "environment" and print("new environment",
                                                                         flush=True))
        print("invoked", fn.invoke().payload, flush=True)
    """)
    done = subprocess.run([sys.executable, "-c", caller], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["invoked 1"]  # subscribed after the provisioned one
