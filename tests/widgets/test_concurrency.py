"""The panel and concurrency: Invoke ×N, the pool's figures, throttles, provisioned environments.

Real functions with real environments; a handler that sleeps keeps invocations overlapping, so
each one of a batch needs its own environment (Lambda's scale-out).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from lambda_magic.engine.pool import MACHINE
from lambda_magic.widgets import LambdaPanel
from lambda_magic.widgets.batch import N_DEFAULT
from tests.helpers import wait_for

from .conftest import front_end_click, front_end_edit

Make = Callable[..., LambdaPanel]

SLEEPY = """
import time

def lambda_handler(event, context):
    time.sleep(event.get("sleep", 0.2))
    return {"slept": event.get("sleep", 0.2)}
"""


def rows(panel: LambdaPanel) -> list[tuple[str, str, str]]:
    """(environment, start type, status) of each history row, newest first."""
    html = panel.history_view.value
    found = re.findall(r'data-start="(\w+)" data-status="(\w+)"><td>\d+</td><td>.*?</td><td>.*?</td>'
                       r"<td>(.*?)</td>", html)  # fmt: skip
    return [(env, start, status) for start, status, env in found]


def buttons(panel: LambdaPanel) -> list[Any]:
    c = panel.controls
    return [c.invoke_button, c.invoke_many_button, c.n_field, c.init_button, c.reset_button,
            c.shutdown_button, c.freeze_toggle]  # fmt: skip


def test_invoke_n_scales_out_then_reuses_the_warm_environments(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, event={"sleep": 0.3})
    controls = panel.controls
    in_use: list[int] = []
    panel.observe(lambda change: in_use.append(change["new"].in_flight), names="pool")
    progress: list[tuple[int, int]] = []
    panel.observe(lambda change: progress.append(change["new"]), names="batch_progress")
    assert controls.n == N_DEFAULT == 5 and controls.invoke_many_button.description == "Invoke ×5"

    front_end_edit(controls.n_field, value=4)
    assert controls.invoke_many_button.description == "Invoke ×4" and panel.batch_size == 4
    front_end_click(controls.invoke_many_button)
    assert panel.busy and panel.action == "batch"
    assert all(b.disabled for b in buttons(panel)), [b.description for b in buttons(panel)]
    assert panel.invoke() is False and panel.invoke_many() is False
    wait_for(lambda: panel.progress_bar.layout.display == "", 5, "the progress bar")
    wait_for(lambda: panel.pool.in_flight == 4, 5, "4 invocations in flight in the pool figures")
    assert f'data-stat="in-use" data-value="4 / {MACHINE.limit}"' in panel.pool_view.value
    assert panel.wait()

    batch = panel.last_batch
    assert batch is not None
    assert (batch.invocations, batch.succeeded, batch.failed, batch.throttled) == (4, 4, 0, 0)
    assert (batch.environments, batch.cold_starts) == (4, 4)
    assert batch.p50_ms is not None and batch.max_ms is not None and 290 < batch.p50_ms < 2000
    assert panel.message.startswith("Invoke ×4: 4 invocations (concurrency 4): 4 succeeded, 0 "
                                    "failed, 0 throttled; 4 environments, 4 cold starts; "
                                    "Duration p50 ")  # fmt: skip
    assert progress[0] == (0, 4) and progress[-1] == (4, 4) and panel.batch_progress == (4, 4)
    assert max(in_use) == 4 and panel.pool.in_flight == 0
    assert panel.progress_bar.layout.display == "none"
    assert not any(b.disabled for b in buttons(panel))

    view = panel.result_view
    assert (
        'data-invocations="4"' in view._batch.value and 'data-environments="4"' in view._batch.value
    )
    assert 'data-status="success"' in view._head.value and "REPORT" in view.logs_text
    assert panel.last_result is not None and panel.last_result.cold_start
    assert sorted(e for e, _, _ in rows(panel)) == ["env-1", "env-2", "env-3", "env-4"]
    assert {s for _, s, _ in rows(panel)} == {"cold"}
    assert panel.pool.environments == 4 and panel.pool.states == (("Frozen", 4),)
    for n in range(1, 5):
        assert f'data-env="env-{n}" data-state="Frozen"' in panel.state_view.value
        assert (
            f'<rect class="lm-span" data-env="env-{n}" data-kind="Invoke"' in panel.timeline.value
        )

    assert panel.invoke_many() and panel.wait()  # again: the four warm environments serve it
    again = panel.last_batch
    assert again is not batch and again is not None
    assert (again.succeeded, again.environments, again.cold_starts) == (4, 4, 0)
    assert [s for _, s, _ in rows(panel)][:4] == ["warm"] * 4 and len(rows(panel)) == 8
    assert len(panel.function.environments) == 4


def test_reserved_concurrency_throttles_and_the_panel_counts_them(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, event={"sleep": 0.3}, reserved_concurrency=2)
    assert panel.invoke_many(4) and panel.wait()
    batch = panel.last_batch
    assert batch is not None
    assert (batch.succeeded, batch.throttled, batch.environments, batch.cold_starts) == (2, 2, 2, 2)
    assert batch.reasons == ("ReservedFunctionConcurrentInvocationLimitExceeded",)
    assert panel.function.pool.throttles == 2 and panel.pool.throttles == 2
    assert panel.pool.reserved == 2 and panel.pool.limit == 2
    assert "2 throttled" in panel.message
    assert 'data-stat="throttles" data-value="2"' in panel.pool_view.value
    assert 'data-stat="in-use" data-value="0 / 2"' in panel.pool_view.value
    assert 'data-throttled="2"' in panel.result_view._batch.value
    throttled = [r for r in rows(panel) if r[2] == "throttled"]
    assert len(throttled) == 2 and all(start == "none" for _, start, _ in throttled)
    assert 'title="TooManyRequestsException: nothing ran (Reason: ReservedFunctionConcurrent' in (
        panel.history_view.value
    )
    assert len(rows(panel)) == 4 and len(panel.function.history) == 2  # fn.history: what ran
    assert "reserved concurrency 2; throttles 2" in panel.summary()

    # the single Invoke, throttled: a clear message, no traceback, and the kernel carries on
    panel.function.update_config(reserved_concurrency=0)
    assert panel.invoke() and panel.wait()
    assert panel.message == (
        "Throttled, nothing ran: the function's reserved concurrency is 0: every invoke is "
        "throttled. TooManyRequestsException: Rate Exceeded. "
        "(Reason: ReservedFunctionConcurrentInvocationLimitExceeded)"
    )
    head = panel.result_view._head.value
    assert 'data-status="refused"' in head and "Traceback" not in head
    assert panel.pool.throttles == 3


def test_invoke_while_the_reserved_concurrency_is_in_use_is_throttled(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, reserved_concurrency=1)
    fn = panel.function
    busy = threading.Thread(target=fn.invoke, args=({"sleep": 0.6},))
    busy.start()
    try:
        wait_for(lambda: fn.pool.in_flight == 1, 5, "the other invocation to start")
        assert panel.invoke({"sleep": 0}) and panel.wait()
        assert panel.message.startswith("Throttled, nothing ran: the function's reserved "
                                        "concurrency is 1, and all of it is in use. "
                                        "TooManyRequestsException: Rate Exceeded.")  # fmt: skip
    finally:
        busy.join()
    assert panel.invoke({"sleep": 0}) and panel.wait() and panel.last_result.ok


def test_the_machine_limit_throttles_a_batch(
    make_panel: Make, machine_limit: Callable[[int], None]
) -> None:
    machine_limit(2)
    panel = make_panel(SLEEPY, event={"sleep": 0.3})
    assert panel.invoke_many(3) and panel.wait()
    batch = panel.last_batch
    assert batch is not None and (batch.succeeded, batch.throttled) == (2, 1)
    assert batch.reasons == ("ConcurrentInvocationLimitExceeded",)
    assert panel.pool.machine_limit == 2 and panel.pool.limit == 2


def test_provisioned_environments_are_marked(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, event={"sleep": 0.3}, provisioned_concurrency=1)
    panel.wait()
    assert 'data-env="env-1"' in panel.state_view.value
    assert 'data-init-type="provisioned-concurrency"' in panel.state_view.value
    assert ">provisioned</span>" in panel.state_view.value  # the badge
    assert 'class="lm-provisioned"' in panel.timeline.value
    assert (panel.pool.provisioned, panel.pool.provisioned_live) == (1, 1)
    assert "Environments: env-1 Frozen (provisioned)" in panel.summary()
    assert "Pool: 1 live environment (1 provisioned); provisioned concurrency 1;" in panel.summary()

    assert panel.invoke_many(3) and panel.wait()
    batch = panel.last_batch
    assert batch is not None and (batch.environments, batch.cold_starts) == (3, 2)
    provisioned = [r for r in panel.function.history if r.environment_id == "env-1"]
    assert len(provisioned) == 1 and not provisioned[0].cold_start
    assert panel.state_view.value.count('data-init-type="provisioned-concurrency"') == 1
    assert panel.state_view.value.count('data-init-type="on-demand"') == 2


def test_the_n_field_is_clamped_with_a_message(make_panel: Make) -> None:
    panel = make_panel()
    controls = panel.controls
    front_end_edit(controls.n_field, value=1000)
    assert controls.n == 100 and panel.message == "N can be at most 100: set to 100"
    assert controls.invoke_many_button.description == "Invoke ×100"
    assert controls.n_field.comm.updates("value")[-1] == 100  # the browser shows it too
    front_end_edit(controls.n_field, value=0)
    assert controls.n == 1 and panel.message == "N must be at least 1: set to 1"
    front_end_edit(controls.n_field, value=-7)
    assert controls.n == 1 and controls.invoke_many_button.description == "Invoke ×1"
    panel.batch_size = 7
    assert controls.n == 7 and controls.invoke_many_button.description == "Invoke ×7"

    front_end_edit(panel.editor._text, value='{"name": ')  # invalid JSON disables Invoke ×N too
    assert controls.invoke_many_button.disabled and not controls.n_field.disabled
    assert panel.invoke_many() is False
    assert panel.message.startswith("Invoke ×N needs a valid event: Expecting value")
    front_end_edit(panel.editor._text, value='{"name": "Ada"}')
    assert not controls.invoke_many_button.disabled


def test_text_plain_summary_includes_the_pool_and_the_last_batch(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, event={"sleep": 0.2}, reserved_concurrency=3)
    assert panel.summary().splitlines()[1:] == [
        "Environments: none yet (the first invoke is a cold start)",
        "Pool: 0 live environments; reserved concurrency 3; throttles 0",
        "Invocations: none yet",
    ]
    assert panel.invoke_many(3) and panel.wait()
    masked = re.sub(r"\d+(\.\d+)? ?ms\b", "<MS>", panel._repr_mimebundle_()["text/plain"])
    masked = re.sub(r"\d+(\.\d+)? ?(B|KB|MB)\b", "<MEM>", masked)
    assert masked.splitlines()[1:] == [
        "Environments: env-1 Frozen, env-2 Frozen, env-3 Frozen",
        "Pool: 3 live environments; reserved concurrency 3; throttles 0",
        (
            "Last invocation: success, cold start; Duration <MS>, Billed Duration <MS>, "
            "Init Duration <MS>, Max Memory Used <MEM> of <MEM>"
        ),
        "Invocations: 3 (3 cold starts)",
        (
            "Last batch: 3 invocations (concurrency 3): 3 succeeded, 0 failed, 0 throttled; "
            "3 environments, 3 cold starts; Duration p50 <MS>, max <MS>"
        ),
    ]


def test_many_environments_stay_readable(make_panel: Make) -> None:
    panel = make_panel(SLEEPY, event={"sleep": 0.2})
    assert panel.invoke_many(24) and panel.wait(60)
    batch = panel.last_batch
    assert batch is not None and (batch.succeeded, batch.environments) == (24, 24)
    state = panel.state_view.value
    assert state.count('class="lm-env lm-env-chip"') == 24 and "lm-phase" not in state
    svg = panel.timeline.value
    labels = re.findall(r'<text class="lm-row-label"[^>]*>(env-\d+)</text>', svg)
    assert labels == [f"env-{n}" for n in range(1, 21)]
    assert 'data-hidden="4"' in svg and "+4 more environments not shown (4 live)" in svg
    assert "Environments: 24 (24 Frozen)" in panel.summary()
    assert "Pool: 24 live environments; throttles 0" in panel.summary()


def test_the_listener_ignores_tracing_events_cheaply(make_panel: Make) -> None:
    panel = make_panel()
    assert panel.invoke() and panel.wait()
    wait_for(lambda: not panel._throttle.pending, 5, "the last repaint")
    paints = panel._throttle.paints
    for _ in range(1000):
        panel._on_function_event("api", (None, None))
        panel._on_function_event("some-future-kind", None)
    assert not panel._throttle.pending and panel._throttle.paints == paints
