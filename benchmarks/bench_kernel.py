"""``%lambda_invoke`` in a real Jupyter kernel, beside ``fn.invoke`` in that same kernel.

A kernel is started with jupyter_client (as nbclient and JupyterLab do), ``%load_ext
lambda_magic`` and a ``%%lambda_handler`` cell define a no-op function with the notebook's
defaults (freeze on, the control panel shown, log lines streamed into the cell), then
interleaved rounds time, in an order that rotates from round to round:

* ``magic_cell``: the round trip of a cell ``%lambda_invoke bench_kernel $bench_event`` (1 KB
  event) from ``execute_request`` to both its ``execute_reply`` and the kernel's ``idle``
  status for it, every output (the log lines, the result's view) received on the way;
* ``invoke_in_kernel``: ``fn.invoke(bench_event)`` timed with ``perf_counter`` inside the
  kernel (one cell runs a block of them and returns the samples);
* ``pass_cell``: the round trip of a cell ``pass``: the kernel's own floor.

The figure is ``magic_cell`` p50 minus ``invoke_in_kernel`` p50: what a notebook adds to an
invocation (the kernel's round trip included).
"""

from __future__ import annotations

import ast
import json
import os
import queue
import tempfile
import time
from collections.abc import Callable
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager
from workers import make_event

DEFINE = """%%lambda_handler bench_kernel
def lambda_handler(event, context):
    return event
"""
SETUP = """import json as _bench_json, time as _bench_time
bench_event = _bench_json.loads({event!r})
_bench_fn = get_ipython().magics_manager.registry["LambdaMagics"].functions["bench_kernel"]
def _bench_invokes(n):
    out = []
    for _ in range(n):
        start = _bench_time.perf_counter_ns()
        result = _bench_fn.invoke(bench_event)
        out.append((_bench_time.perf_counter_ns() - start) / 1e6)
        assert result.ok and not result.cold_start, result
    return out
"""
MAGIC = "%lambda_invoke bench_kernel $bench_event"


class Kernel:
    """A started kernel and a client that runs cells and times their round trips."""

    def __init__(self, work_dir: str) -> None:
        self.km = KernelManager(kernel_name="python3")
        env = {**os.environ, "IPYTHONDIR": os.path.join(work_dir, "ipython")}
        self.log_path = os.path.join(work_dir, "kernel.log")
        with open(self.log_path, "wb") as log:  # the kernel's own warnings, shown on failure
            self.km.start_kernel(cwd=work_dir, env=env, stdout=log, stderr=log)
        self.client: BlockingKernelClient = self.km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 60) -> tuple[float, list[dict[str, Any]]]:
        """Run a cell: its round trip (ms) and its iopub messages; raise if it failed."""
        start = time.perf_counter_ns()
        msg_id = self.client.execute(code)
        outputs: list[dict[str, Any]] = []
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"{code[:60]!r}; the kernel's log: {self.log()}") from None
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.append(msg)
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=timeout)
        elapsed = (time.perf_counter_ns() - start) / 1e6
        if reply["content"]["status"] != "ok":
            error = reply["content"].get("evalue")
            raise RuntimeError(
                f"cell failed: {code[:60]!r}: {error}; the kernel's log: {self.log()}"
            )
        return elapsed, outputs

    def log(self) -> str:
        """The end of what the kernel wrote to its standard output and error."""
        with open(self.log_path, errors="replace") as f:
            return f.read()[-2000:]

    def value(self, expression: str) -> Any:
        """The JSON value of ``expression`` evaluated in the kernel."""
        _, outputs = self.run(f"_bench_json.dumps({expression})")
        for msg in outputs:
            if msg["msg_type"] == "execute_result":
                return json.loads(ast.literal_eval(msg["content"]["data"]["text/plain"]))
        raise RuntimeError(f"no value for {expression!r}")

    def close(self) -> None:
        """Stop the client and shut the kernel down."""
        self.client.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=False)
        self.km.context.destroy(linger=0)


def _check_magic(outputs: list[dict[str, Any]]) -> None:
    shown = [m for m in outputs if m["msg_type"] in ("execute_result", "display_data")]
    text = "".join(m["content"]["data"].get("text/plain", "") for m in shown)
    if "Succeeded" not in text:
        raise RuntimeError(f"%lambda_invoke did not show a success: {text[:200]!r}")


def kernel_overhead(rounds: int, per_round: int, warmup: int = 20) -> dict[str, Any]:
    """``rounds`` interleaved rounds of ``per_round`` samples of each kind."""
    samples: dict[str, list[float]] = {"magic_cell": [], "invoke_in_kernel": [], "pass_cell": []}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        kernel = Kernel(tmp)
        try:
            start_s = time.perf_counter() - started
            kernel.run("%load_ext lambda_magic")
            kernel.run(DEFINE)
            kernel.run(SETUP.format(event=json.dumps(make_event())))
            for _ in range(warmup):
                _check_magic(kernel.run(MAGIC)[1])
                kernel.run("pass")
            kernel.value(f"_bench_invokes({warmup * 5})")

            def magic() -> None:
                for _ in range(per_round):
                    elapsed, outputs = kernel.run(MAGIC)
                    _check_magic(outputs)
                    samples["magic_cell"].append(elapsed)

            def in_kernel() -> None:
                samples["invoke_in_kernel"] += kernel.value(f"_bench_invokes({per_round})")

            def empty() -> None:
                samples["pass_cell"] += [kernel.run("pass")[0] for _ in range(per_round)]

            blocks: list[Callable[[], None]] = [magic, in_kernel, empty]
            for i in range(rounds):
                for block in blocks[i % 3 :] + blocks[: i % 3]:
                    block()
        finally:
            kernel.close()
    return {"samples_ms": samples, "kernel_start_s": start_s}
