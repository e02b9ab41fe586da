"""Lambda's promises about an environment's resources, each made real and checked."""

from __future__ import annotations

import _thread
import os
import re
import signal
import threading
import time

import pytest

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.engine.environment import ShutdownPath
from tests.helpers import env_tmp, lines_starting, report_fields

pytestmark = pytest.mark.timeout(120)

TICKER = """
import threading, time
TICKS = 0
def tick():
    global TICKS
    while True:
        TICKS += 1
        time.sleep(0.01)
threading.Thread(target=tick, daemon=True).start()
def lambda_handler(event, context):
    return TICKS
"""


def test_idle_environments_are_frozen(make_function) -> None:
    fn = make_function(TICKER)
    first = fn.invoke().payload
    time.sleep(0.5)
    second = fn.invoke()
    assert second.payload - first < 5  # the Init thread made no progress while idle
    assert second.report.duration_ms < 100  # frozen time is not in Duration
    assert fn.environments[0].state.state is EnvState.FROZEN


def test_freeze_can_be_switched_off(make_function) -> None:
    fn = make_function(TICKER, freeze=False)
    first = fn.invoke().payload
    time.sleep(0.5)
    assert fn.invoke().payload - first > 20
    assert fn.environments[0].state.state is EnvState.IDLE


def test_processes_that_leave_the_group_are_frozen_too(make_function) -> None:
    fn = make_function("""
        import subprocess, sys
        CHILD = subprocess.Popen([sys.executable, "-c",
            "import os, time\\nn = 0\\nwhile True:\\n    n += 1\\n    open('/tmp/n.new', 'w').write(str(n))\\n"
            "    os.replace('/tmp/n.new', '/tmp/n')\\n    time.sleep(0.01)"],
            start_new_session=True)
        def lambda_handler(event, context):
            import os, time
            for _ in range(500):  # thawed: the child runs (it is frozen between invokes)
                if os.path.exists("/tmp/n"):
                    break
                time.sleep(0.01)
            return int(open("/tmp/n").read())
    """)
    fn.invoke()
    time.sleep(0.3)
    a = fn.invoke().payload  # the child replaces the file whole: never read half written
    time.sleep(0.5)
    b = fn.invoke().payload
    assert isinstance(a, int) and isinstance(b, int) and a > 0, (a, b)
    if fn.environments[0].sandbox.cgroups.freezer is None:
        pytest.fail("this machine has no cgroup freezer: the README's table says so")
    assert b - a < 5


SLOW = """
import os, time
time.sleep(0.3)  # a slow Init
def lambda_handler(event, context):
    with open("/tmp/kept", "a") as f:
        f.write("x")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"pid": os.getpid(), "kept": open("/tmp/kept").read()}
"""


def test_timeout_resets_the_environment_and_keeps_tmp(make_function) -> None:
    fn = make_function(SLOW, timeout=1)
    warm = fn.invoke()
    r = fn.invoke({"sleep": 5})
    assert r.payload == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {r.request_id} Error: Task timed out after 1.00 seconds",
    }
    assert r.status == "timeout" and r.report.duration_ms == 1000.0
    fields = report_fields(lines_starting(r, "REPORT")[0])
    assert fields["Duration"] == "1000.00 ms" and fields["Status"] == "timeout"
    assert re.fullmatch(
        rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z {r.request_id} Task timed out after 1.00 seconds",
        lines_starting(r, "20")[0],
    )
    assert fn.environments[0].state.state is EnvState.RESET
    again = fn.invoke()
    assert again.payload["kept"] == "xxx"  # /tmp survived the reset
    assert again.payload["pid"] != warm.payload["pid"]
    assert again.cold_start and again.report.init_duration_ms is None  # a suppressed init...
    assert again.report.duration_ms >= 300  # ...whose time is in Duration
    assert not lines_starting(again, "INIT_START")


def test_suppressed_init_counts_against_the_timeout(make_function) -> None:
    fn = make_function(
        SLOW.replace("time.sleep(0.3)", "time.sleep(0.3 if os.path.exists('/tmp/kept') else 0)"),
        timeout=1,
    )
    fn.invoke()
    fn.invoke({"sleep": 3})
    r = fn.invoke({"sleep": 0.8})  # 0.3 s of Init + 0.8 s of handler > 1 s
    assert r.error_type == "Sandbox.Timedout"


def test_init_over_the_limit_is_retried_inside_the_invoke(make_function, monkeypatch) -> None:
    from lambda_magic.engine import init

    monkeypatch.setattr(init, "INIT_LIMIT_S", 1.0)  # Lambda's 10 s, shortened for the test
    fn = make_function(
        "import time\ntime.sleep(1.5)\ndef lambda_handler(e, c):\n    return 'late'\n", timeout=5
    )
    r = fn.invoke()
    assert r.payload == "late"
    (report,) = lines_starting(r, "INIT_REPORT")
    duration, phase, status = report.split("\t")
    assert float(duration.split(": ")[1][:-3]) == pytest.approx(1000, abs=150)
    assert (phase, status) == ("Phase: init", "Status: timeout")
    assert r.report.init_duration_ms is None and r.report.duration_ms > 1500


def test_going_over_memory_kills_the_environment(make_function) -> None:
    fn = make_function(
        """
        import os
        def lambda_handler(event, context):
            block = bytearray(event["mb"] * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            return os.getpid()
    """,
        memory_size=128,
    )
    pid = fn.invoke({"mb": 10}).payload
    r = fn.invoke({"mb": 300})
    assert r.payload == {
        "errorType": "Runtime.OutOfMemory",
        "errorMessage": f"RequestId: {r.request_id} Error: Runtime exited with error: signal: killed",
    }
    fields = report_fields(lines_starting(r, "REPORT")[0])
    assert (fields["Status"], fields["Error Type"], fields["Max Memory Used"]) == (
        "error",
        "Runtime.OutOfMemory",
        "128 MB",
    )
    assert not os.path.exists(f"/proc/{pid}")
    after = fn.invoke({"mb": 10})
    assert after.ok and after.cold_start and after.payload != pid


TMP = """
import errno, os
def lambda_handler(event, context):
    if event.get("write"):
        with open("/tmp/" + event["write"], "w") as f:
            f.write(event["write"])
    if event.get("fill"):
        try:
            with open("/tmp/fill", "wb") as f:
                for _ in range(event["fill"]):
                    f.write(b"\\0" * 1024 * 1024)
        except OSError as e:
            return {"error": errno.errorcode[e.errno]}
    return sorted(os.listdir("/tmp"))
"""


def test_tmp_is_private_and_kept_while_the_environment_lives(make_function) -> None:
    a, b = make_function(TMP, name="a"), make_function(TMP, name="b")
    assert a.invoke({"write": "from_a"}).payload == env_tmp("from_a")
    assert a.invoke().payload == env_tmp("from_a")  # kept across warm invokes
    assert b.invoke().payload == env_tmp()  # never shared between functions
    assert not os.path.exists("/tmp/from_a")  # nor with the caller
    a.reset()
    assert a.invoke().payload == env_tmp()  # gone with the environment


def test_writing_past_ephemeral_storage_fails_inside_the_handler(make_function) -> None:
    fn = make_function(TMP, ephemeral_storage=512)
    r = fn.invoke({"fill": 600})
    assert r.ok and r.payload == {"error": "ENOSPC"}
    assert 500 * 1024 * 1024 < r.report.tmp_used_bytes <= 512 * 1024 * 1024
    assert r.report.tmp_size_mb == 512


HOOKED = """
import signal, time
def on_term(signum, frame):
    print("cleaning up after SIGTERM")
    raise SystemExit(0)
signal.signal(signal.SIGTERM, on_term)
def lambda_handler(event, context):
    return "ok"
"""


def test_shutdown_runs_the_sigterm_hook(make_function) -> None:
    fn = make_function(HOOKED)
    stream = fn.invoke().log_stream_name
    assert fn.reset() == [ShutdownPath.GRACEFUL]
    assert [e.message for e in fn.logs.events(stream)][-1] == "cleaning up after SIGTERM"


def test_the_sigterm_hook_runs_even_with_a_busy_thread(make_function) -> None:
    # A frozen runtime is thawed before SIGTERM, so the signal goes to the main thread (where
    # Python runs handlers) and not to whichever thread resumes first. Each process gets
    # SIGTERM once: a second one would run the hook again, during the exit the first began.
    ticking = HOOKED.replace(
        "def lambda_handler",
        "def tick():\n    while True:\n        time.sleep(0.01)\n"
        "threading.Thread(target=tick, daemon=True).start()\ndef lambda_handler",
    ).replace("import signal, time", "import signal, threading, time")
    fn = make_function(ticking, shutdown_grace_ms=1000)
    paths, hooks = [], []
    for _ in range(30):
        stream = fn.invoke().log_stream_name
        paths += fn.reset()
        hooks.append([e.message for e in fn.logs.events(stream) if "SIGTERM" in e.message])
    assert paths == [ShutdownPath.GRACEFUL] * 30
    assert hooks == [["cleaning up after SIGTERM"]] * 30


def test_a_sigterm_taken_by_a_background_thread_still_runs_the_hook(make_function) -> None:
    # Linux may give a process-directed signal to any thread; here a background thread takes
    # one for certain while the main thread waits for the next event. The hook must still run.
    code = HOOKED.replace("import signal, time", "import signal, threading, time").replace(
        "def lambda_handler(event, context):\n",
        "def lambda_handler(event, context):\n"
        "    def later():\n"
        "        time.sleep(0.3)\n"
        "        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)\n"
        "    threading.Thread(target=later).start()\n",
    )
    fn = make_function(code, freeze=False)
    stream = fn.invoke().log_stream_name
    env = fn.environments[0]
    assert env.wait_exit(5), "the runtime slept through SIGTERM"
    assert [e.message for e in fn.logs.events(stream)][-1] == "cleaning up after SIGTERM"


def test_a_runtime_that_ignores_sigterm_is_killed_after_the_grace_period(make_function) -> None:
    fn = make_function(HOOKED.replace("raise SystemExit(0)", "pass"), shutdown_grace_ms=300)
    fn.invoke()
    env = fn.environments[0]
    started = time.monotonic()
    assert fn.reset() == [ShutdownPath.KILLED]
    assert 0.25 < time.monotonic() - started < 2
    assert env.shutdown_path is ShutdownPath.KILLED and env.state.state is EnvState.SHUT_DOWN


def test_kill_from_outside_during_an_invoke(make_function) -> None:
    fn = make_function(
        "import os, time\ndef lambda_handler(e, c):\n    time.sleep(e)\n    return os.getpid()\n"
    )
    pid = fn.invoke(0).payload
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
    r = fn.invoke(5)
    assert r.payload == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {r.request_id} Error: Runtime exited with error: signal: killed",
    }
    assert r.report.duration_ms < 2000
    assert fn.invoke(0).ok


def test_kill_from_outside_while_frozen(make_function) -> None:
    fn = make_function("import os\ndef lambda_handler(e, c):\n    return os.getpid()\n")
    pid = fn.invoke().payload
    os.kill(pid, signal.SIGKILL)
    fn.environments[0].state.wait_for([EnvState.RESET], 5)
    assert fn.environments[0].state.state is EnvState.RESET
    r = fn.invoke()
    assert r.ok and r.payload != pid and r.cold_start


def test_interrupting_the_caller_ends_the_invocation_and_resets(make_function) -> None:
    fn = make_function(
        "import os, time\ndef lambda_handler(e, c):\n    time.sleep(e)\n    return os.getpid()\n",
        timeout=30,
    )
    pid = fn.invoke(0).payload
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        fn.invoke(20)
    assert time.monotonic() - started < 2
    assert fn.environments[0].state.state is EnvState.RESET
    assert not os.path.exists(f"/proc/{pid}")
    interrupted = fn.last_result
    assert (
        interrupted is not None
        and interrupted.interrupted
        and interrupted.error_type == "Runtime.ExitError"
    )
    assert fn.invoke(0).ok  # the caller keeps working


def test_interrupting_a_batch_ends_every_invocation_in_flight(make_function) -> None:
    from lambda_magic.api.batch import BatchInterrupted

    fn = make_function(
        "import os, time\ndef lambda_handler(e, c):\n    time.sleep(e)\n    return os.getpid()\n",
        timeout=30,
    )
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(BatchInterrupted) as caught:
        fn.invoke_many([15] * 9, concurrency=3)
    assert time.monotonic() - started < 3  # not the handlers' 15 s
    results = caught.value.results
    assert [r is not None for r in results] == [True] * 3 + [False] * 6  # nothing queued started
    assert all(r.interrupted and r.error_type == "Runtime.ExitError" for r in results[:3])
    assert caught.value.summary == "interrupted: 0 finished, 3 interrupted, 6 not started"
    assert [e.state.state for e in fn.environments] == [EnvState.RESET] * 3
    assert [r.ok for r in fn.invoke_many([0] * 3, concurrency=3)] == [True] * 3
