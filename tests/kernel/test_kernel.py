"""The magics in a real Jupyter kernel: streaming, displays, interrupts, shutdown and restart."""

from __future__ import annotations

import os
import queue
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

from tests.helpers import wait_gone

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(120)]

TICKER = """%%lambda_handler ticker --timeout 30
import os, time
def lambda_handler(event, context):
    for i in range(event.get("ticks", 3)):
        print("tick", i, flush=True)
        time.sleep(event.get("every", 0.4))
    return {"pid": os.getpid(), "ppid": os.getppid()}
"""


class Kernel:
    """A started kernel and a helper that runs a cell and returns its messages with arrival times."""

    def __init__(self, km: KernelManager) -> None:
        self.km = km
        self.client = km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(
        self, code: str, timeout: float = 60, interrupt_after: float | None = None
    ) -> dict[str, Any]:
        msg_id = self.client.execute(code)
        started = time.monotonic()
        outputs: list[tuple[float, dict[str, Any]]] = []
        interrupted = False
        while True:
            if (
                interrupt_after is not None
                and not interrupted
                and time.monotonic() - started > interrupt_after
            ):
                self.km.interrupt_kernel()
                interrupted = True
            try:
                msg = self.client.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if time.monotonic() - started > timeout:
                    raise TimeoutError(code) from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.append((time.monotonic() - started, msg))
        # Skip replies to earlier requests (wait_for_ready may leave a kernel_info_reply).
        reply = self.client.get_shell_msg(timeout=10)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=10)
        return {
            "reply": reply["content"],
            "outputs": outputs,
            "elapsed": time.monotonic() - started,
        }

    def value(self, expression: str) -> Any:
        result = self.run(f"__import__('json').dumps({expression})")
        for _, msg in result["outputs"]:
            if msg["msg_type"] == "execute_result":
                import json

                return json.loads(eval(msg["content"]["data"]["text/plain"]))  # noqa: S307 - a repr of a str
        raise AssertionError(result)


@pytest.fixture
def kernel(tmp_path) -> Iterator[Kernel]:
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path), env={**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")})
    k = Kernel(km)
    k.run("%load_ext lambda_magic")
    yield k
    k.client.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=False)
    km.context.destroy(linger=0)  # the client's sockets and context, not left to the collector


def _streams(result: dict[str, Any]) -> list[tuple[float, str]]:
    return [(t, m["content"]["text"]) for t, m in result["outputs"] if m["msg_type"] == "stream"]


def test_output_streams_into_the_cell_while_the_handler_runs(kernel) -> None:
    kernel.run(TICKER)
    result = kernel.run('%lambda_invoke ticker {"ticks": 3, "every": 0.5}')
    assert result["reply"]["status"] == "ok"
    ticks = [(t, text) for t, text in _streams(result) if "tick" in text]
    joined = "".join(text for _, text in ticks)
    assert "tick 0" in joined and "tick 2" in joined
    first_tick = next(t for t, text in ticks if "tick 0" in text)
    assert result["elapsed"] - first_tick > 0.8  # shown while running, not at the end


def test_rich_and_plain_displays(kernel) -> None:
    kernel.run(TICKER)
    result = kernel.run('%lambda_invoke ticker --quiet {"ticks": 0}')
    (data,) = [
        m["content"]["data"] for _, m in result["outputs"] if m["msg_type"] == "execute_result"
    ]
    assert "Succeeded (cold start) ticker" in data["text/plain"]
    assert "Max Memory Used" in data["text/plain"]
    assert "&#10004; Succeeded (cold start)" in data["text/html"]
    card = kernel.run(TICKER)
    displays = [m["content"]["data"] for _, m in card["outputs"] if m["msg_type"] == "display_data"]
    assert "Unchanged: revision 1 kept" in displays[0]["text/plain"]


def test_interrupting_the_kernel_during_an_invoke(kernel) -> None:
    kernel.run(TICKER)
    pid = kernel.value(
        "(r := get_ipython().run_line_magic('lambda_invoke', 'ticker --quiet {\"ticks\": 0}')).payload['pid']"
    )
    result = kernel.run('%lambda_invoke ticker {"ticks": 100, "every": 0.1}', interrupt_after=1.0)
    assert result["reply"]["status"] == "error"
    assert result["reply"]["ename"] == "InvocationInterrupted"
    assert result["elapsed"] < 5
    errors = [m["content"]["traceback"] for _, m in result["outputs"] if m["msg_type"] == "error"]
    assert len(errors[0]) == 1 and "was stopped and its environment reset" in errors[0][0]
    assert wait_gone([pid]) == []
    again = kernel.run('r = %lambda_invoke ticker --quiet {"ticks": 0}\nprint(r.ok, r.cold_start)')
    assert "True True" in "".join(text for _, text in _streams(again))


def test_kernel_shutdown_leaves_no_environment_process(kernel) -> None:
    kernel.run(TICKER)
    pids = kernel.value(
        "[(r := get_ipython().run_line_magic('lambda_invoke', 'ticker --quiet {\"ticks\": 0}')).payload['pid'], "
        "__import__('lambda_magic.platform.sandbox.client', fromlist=['x']).get_manager().process.pid]"
    )
    kernel.client.stop_channels()
    kernel.km.shutdown_kernel(now=False)
    assert wait_gone(pids) == []


def test_kernel_restart_and_kill_leave_no_environment_process(kernel) -> None:
    kernel.run(TICKER)
    expr = (
        "[(r := get_ipython().run_line_magic('lambda_invoke', 'ticker --quiet {\"ticks\": 0}')).payload['pid'], "
        "__import__('lambda_magic.platform.sandbox.client', fromlist=['x']).get_manager().process.pid]"
    )
    before = kernel.value(expr)
    kernel.km.restart_kernel(now=False)
    kernel.client.wait_for_ready(timeout=60)
    assert wait_gone(before) == []
    kernel.run("%load_ext lambda_magic")
    kernel.run(TICKER)
    after = kernel.value(expr)
    os.kill(
        kernel.km.provisioner.process.pid, signal.SIGKILL
    )  # the kernel dies without cleaning up
    assert wait_gone(after) == []


SLEEPER = """%%lambda_handler sleeper --timeout 30
import time
def lambda_handler(event, context):
    time.sleep(15)
    return "slept"
"""


def test_interrupting_the_kernel_during_a_batch_ends_it(kernel) -> None:
    kernel.run(SLEEPER)
    result = kernel.run("%lambda_invoke sleeper --concurrency 3 --repeat 3", interrupt_after=2.0)
    assert result["reply"]["status"] == "error"
    assert result["reply"]["ename"] == "InvocationInterrupted"
    assert result["elapsed"] < 5  # not the handlers' 15 s
    (error,) = [m["content"]["traceback"] for _, m in result["outputs"] if m["msg_type"] == "error"]
    assert "0 finished, 3 interrupted, 0 not started" in error[0]
    kernel.run("fn = get_ipython().run_line_magic('lambda_function', 'sleeper')")
    assert kernel.value("[e.state.state.value for e in fn.environments]") == ["Reset"] * 3
    assert (
        kernel.value("fn.update_code(fn.code.replace('15', '0')) and fn.invoke().payload")
        == "slept"
    )


def test_a_kernel_interrupt_between_cells_ends_a_panel_batch(kernel) -> None:
    kernel.run(SLEEPER.replace("%%lambda_handler sleeper", "%%lambda_handler sleeper --no-panel"))
    started = kernel.run(
        "import lambda_magic\n"
        "fn = get_ipython().run_line_magic('lambda_function', 'sleeper')\n"
        "p = lambda_magic.panel(fn)\n"
        "print(p.invoke_many(3))"
    )
    assert "True" in "".join(text for _, text in _streams(started))
    time.sleep(1.5)
    kernel.km.interrupt_kernel()  # the kernel is idle: only lambda_magic hears it
    interrupted_at = time.monotonic()
    while kernel.value("p.busy"):
        assert time.monotonic() - interrupted_at < 5, "the panel's batch went on"
        time.sleep(0.1)
    assert kernel.value("[r.interrupted for r in fn.history]") == [True] * 3
    assert "interrupted: 0 finished, 3 interrupted" in kernel.value("p.message")
