"""The panel driving real functions: buttons, traits, live logs, results and clean-up."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

import lambda_magic
from lambda_magic import EnvState, LambdaFunction
from lambda_magic.widgets import LambdaPanel
from tests.helpers import wait_for

from .conftest import front_end_click, front_end_edit

Make = Callable[..., LambdaPanel]

SLOW = """
import time

def lambda_handler(event, context):
    print("first", flush=True)
    time.sleep(event.get("sleep", 1.0))
    print("second", flush=True)
    return {"slept": event.get("sleep", 1.0)}
"""


def states_seen(panel: LambdaPanel) -> list[EnvState]:
    seen: list[EnvState] = []
    panel.observe(lambda change: seen.append(change["new"]), names="state")
    return seen


def test_full_lifecycle_through_the_buttons(make_panel: Make) -> None:
    panel = make_panel()
    fn = panel.function
    seen = states_seen(panel)
    controls = panel.controls
    assert panel.state is None and panel.last_result is None
    assert controls.reset_button.disabled and not controls.invoke_button.disabled

    front_end_edit(panel.editor._text, value='{"name": "Ada"}')
    front_end_click(controls.invoke_button)
    assert panel.wait()
    first = panel.last_result
    assert first.ok and first.cold_start and first.payload == {"hi": "Ada"}
    assert first.report.init_duration_ms is not None
    assert seen[:2] == [EnvState.INITIALIZING, EnvState.IDLE] and EnvState.INVOKING in seen
    assert panel.state is EnvState.FROZEN and panel.phase == "Invoke"
    assert panel.environment_id == "env-1" and panel.env_states == {"env-1": "Frozen"}
    assert not controls.reset_button.disabled

    front_end_click(controls.invoke_button)
    assert panel.wait()
    assert not panel.last_result.cold_start and panel.last_result.report.init_duration_ms is None
    assert panel.last_result.environment_id == "env-1"

    front_end_click(controls.reset_button)
    assert panel.wait()
    assert panel.state is EnvState.SHUT_DOWN and panel.phase == "Shutdown" and fn.environments == []
    assert panel.message.startswith("Reset: 1 environment(s) shut down")
    assert controls.reset_button.disabled

    front_end_click(controls.invoke_button)
    assert panel.wait()
    again = panel.last_result
    assert (
        again.cold_start and again.report.init_duration_ms > 0 and again.environment_id == "env-2"
    )

    front_end_edit(controls.freeze_toggle, value=False)
    assert panel.wait()
    assert fn.config.freeze is False and panel.freeze is False and panel.revision == 2
    assert panel.message.startswith("Freeze off: revision 2")
    front_end_click(controls.invoke_button)
    assert panel.wait()
    assert panel.last_result.cold_start and panel.state is EnvState.IDLE

    front_end_click(controls.shutdown_button)
    assert panel.wait()
    assert panel.state is EnvState.SHUT_DOWN and fn.environments == []
    assert "removed the function's files" in panel.message
    front_end_click(controls.invoke_button)  # the function can be invoked again after Shutdown
    assert panel.wait() and panel.last_result.ok
    assert [r.cold_start for r in fn.history] == [True, False, True, True, True]


def test_init_prewarms_and_the_next_invoke_reports_its_init_duration(make_panel: Make) -> None:
    panel = make_panel()
    seen = states_seen(panel)
    front_end_click(panel.controls.init_button)
    assert panel.wait()
    assert seen == [EnvState.INITIALIZING, EnvState.IDLE, EnvState.FROZEN]
    head = panel.result_view._head.value
    assert 'data-status="init"' in head and "Init succeeded" in head
    assert "INIT_START" in panel.result_view.logs_text
    assert panel.last_result is None and not panel.controls.reset_button.disabled
    assert panel.invoke() and panel.wait()
    assert panel.last_result.cold_start and panel.last_result.report.init_duration_ms is not None
    assert panel.last_result.environment_id == "env-1"


def test_a_failing_init_is_shown(make_panel: Make) -> None:
    panel = make_panel("import no_such_module_here\n\ndef lambda_handler(e, c):\n    return 1\n")
    assert panel.init() and panel.wait()
    head = panel.result_view._head.value
    assert "Init failed: Runtime.ImportModuleError" in head
    assert "No module named 'no_such_module_here'" in head  # Lambda's error object
    assert panel.state is EnvState.INIT_FAILED and panel.phase == ""


def test_logs_stream_while_the_handler_runs_and_buttons_wait(make_panel: Make) -> None:
    panel = make_panel(SLOW, timeout=10)
    controls = panel.controls
    assert panel.invoke({"sleep": 1.0})
    view = panel.result_view
    wait_for(lambda: "first" in view.logs_text, 5, "the first line to stream")
    assert "second" not in view.logs_text
    assert panel.busy and panel.action == "invoke" and panel.state is EnvState.INVOKING
    assert 'data-status="running"' in view._head.value
    for button in (
        controls.invoke_button,
        controls.init_button,
        controls.reset_button,
        controls.shutdown_button,
        controls.freeze_toggle,
    ):
        assert button.disabled, button.description
    assert panel.invoke() is False and panel.message == "Wait: invoke is still running"
    front_end_edit(controls.freeze_toggle, value=False)  # a click that raced the disabling
    assert controls.freeze_toggle.value is True and panel.function.config.freeze is True
    assert panel.wait()
    assert not any(
        b.disabled
        for b in (
            controls.invoke_button,
            controls.init_button,
            controls.reset_button,
            controls.shutdown_button,
        )
    )
    assert (
        view.logs_text.index("first")
        < view.logs_text.index("second")
        < view.logs_text.index("REPORT")
    )
    assert panel.last_result.payload == {"slept": 1.0}


def test_the_timeline_grows_while_an_invoke_runs(make_panel: Make) -> None:
    panel = make_panel(SLOW, timeout=10)
    panel.invoke({"sleep": 0.8})
    wait_for(lambda: panel.state is EnvState.INVOKING, 5, "the invoke to start")
    wait_for(lambda: "now (ongoing)" in panel.timeline.value and 'data-kind="Invoke"' in panel.timeline.value,
             5, "an ongoing Invoke span")  # fmt: skip
    first = panel.timeline.value
    wait_for(lambda: panel.timeline.value != first, 2, "a repaint while the handler sleeps")
    assert panel.wait()


def test_errors_and_timeouts_are_results_not_exceptions(make_panel: Make) -> None:
    code = """
    import time
    def lambda_handler(event, context):
        if event.get("sleep"):
            time.sleep(event["sleep"])
        return event["missing"]
    """
    panel = make_panel(code, timeout=1)
    assert panel.invoke({"x": 1}) and panel.wait()
    result = panel.last_result
    assert result.status == "error" and result.error_type == "KeyError"
    head, response = panel.result_view._head.value, panel.result_view._response.value
    assert "Failed: KeyError" in head and 'data-status="error"' in head
    assert "errorMessage" in response and "stackTrace" in response
    assert panel.invoke({"sleep": 3}) and panel.wait()
    assert panel.last_result.error_type == "Sandbox.Timedout"
    assert "Timed out: Sandbox.Timedout" in panel.result_view._head.value
    assert panel.state is EnvState.RESET and panel.env_states == {"env-1": "Reset"}
    assert "Status" in panel.result_view._report.value
    assert panel.invoke({"missing": "found"}) and panel.wait()
    assert panel.last_result.payload == "found" and panel.last_result.cold_start  # re-ran Init


def test_invoke_is_disabled_while_the_json_is_invalid(make_panel: Make) -> None:
    panel = make_panel()
    invoke = panel.controls.invoke_button
    front_end_edit(panel.editor._text, value='{"name": "Ada"')
    assert invoke.disabled and not panel.editor.valid
    assert panel.invoke() is False
    assert panel.message.startswith("Invoke needs a valid event: Expecting ',' delimiter (line 1")
    assert len(panel.function.history) == 0 and not panel.busy
    front_end_edit(panel.editor._text, value='{"name": "Ada"}')
    assert not invoke.disabled
    invoke_comm = invoke.comm
    assert invoke_comm.updates("disabled")[-2:] == [True, False]  # the browser was told both


def test_the_exact_text_is_the_payload(make_panel: Make) -> None:
    code = "def lambda_handler(event, context):\n    return {'type': type(event).__name__, 'e': event}\n"
    panel = make_panel(code)
    for text, expected in [('"just a string"', "str"), ("[1, 2.5]", "list"), ("null", "NoneType")]:
        panel.editor.value = text
        assert panel.invoke() and panel.wait()
        assert panel.last_result.payload["type"] == expected
        assert panel.last_result.payload["e"] == json.loads(text)


def test_invocations_made_elsewhere_show_up(make_panel: Make) -> None:
    panel = make_panel()
    fn = panel.function
    result = fn.invoke({"name": "from code"})
    panel.wait()
    assert panel.last_result is result
    view = panel.result_view
    assert "got {'name': 'from code'}" in view.logs_text and "REPORT RequestId" in view.logs_text
    assert '"hi": "from code"' in view._response.value
    assert f'data-request-id="{result.request_id}"' in panel.history_view.value
    threading.Thread(target=fn.reset).start()
    wait_for(lambda: panel.state is EnvState.SHUT_DOWN, 5, "an outside reset")
    panel.wait()
    assert 'data-state="Shut down"' in panel.state_view.value


def test_history_rows_newest_first(make_panel: Make) -> None:
    panel = make_panel()
    for name in ("a", "b", "c"):
        panel.invoke({"name": name})
        panel.wait()
    html = panel.history_view.value
    rows = re.findall(r'<tr class="lm-history-row" data-request-id="([^"]+)" data-start="(\w+)" '
                      r'data-status="(\w+)">', html)  # fmt: skip
    history = list(panel.function.history)
    assert [r[0] for r in rows] == [r.request_id for r in reversed(history)]
    assert [r[1] for r in rows] == ["warm", "warm", "cold"]
    assert all(r[2] == "success" for r in rows)
    for column in ("Request ID", "Start", "Duration", "Max Memory", "Status"):
        assert f"<th>{column}</th>" in html


def test_result_view_shows_report_figures(make_panel: Make) -> None:
    panel = make_panel(memory_size=256, ephemeral_storage=1024)
    panel.invoke({"name": "Ada"})
    panel.wait()
    report = panel.result_view._report.value
    for figure in ("Duration", "Billed Duration", "Init Duration", "Max Memory Used", "/tmp used"):
        assert f"<th>{figure}</th>" in report
    assert "of 256 MB" in report and "of 1024 MB" in report
    head = panel.result_view._head.value
    assert "Succeeded" in head and "cold start" in head and 'data-start="cold"' in head
    assert '"hi": "Ada"' in panel.result_view._response.value
    panel.invoke()
    panel.wait()
    assert "(warm start)" in panel.result_view._report.value
    assert 'data-start="warm"' in panel.result_view._head.value


def test_result_view_says_where_a_suppressed_init_went(make_panel: Make) -> None:
    panel = make_panel(
        "import time\ndef lambda_handler(e, c):\n    time.sleep(e.get('s', 0))\n", timeout=1
    )
    for event in ({}, {"s": 3}, {}):  # a cold start, a timeout (a reset), the Init inside
        panel.invoke(event)
        panel.wait()
    report = panel.result_view._report.value
    assert "Init ran inside the invocation: in Duration" in report and "warm start" not in report


def test_state_view_lights_the_current_phase(make_panel: Make) -> None:
    panel = make_panel()
    assert "No environment yet" in panel.state_view.value
    panel.invoke()
    panel.wait()
    html = panel.state_view.value
    assert 'data-env="env-1" data-state="Frozen" data-phase="Invoke"' in html
    assert html.count("lm-phase lm-lit") == 1 and 'lm-phase lm-lit" title="Invoke' in html
    panel.reset()
    panel.wait()
    assert 'data-state="Shut down" data-phase="Shutdown"' in panel.state_view.value


def test_timeline_has_spans_per_environment(make_panel: Make) -> None:
    panel = make_panel()
    panel.invoke()
    panel.wait()
    panel.invoke()
    panel.wait()
    panel.reset()
    panel.wait()
    panel.invoke()
    panel.wait()
    svg = panel.timeline.value
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    spans = re.findall(r'<rect class="lm-span" data-env="([\w-]+)" data-kind="([\w ]+)"', svg)
    env1 = [kind for env, kind in spans if env == "env-1"]
    env2 = [kind for env, kind in spans if env == "env-2"]
    assert {"Init", "Invoke", "Frozen", "Shutdown"} <= set(env1) and env1.count("Invoke") == 2
    assert {"Init", "Invoke", "Frozen"} <= set(env2) and "Shutdown" not in env2
    assert "env-1 shut down at" in svg  # the end marker
    # every span, legend entry (the four kinds shown) and end marker explains itself
    assert svg.count("<title>") >= len(spans) + 4 + 1
    for kind in ("Init", "Invoke", "Frozen", "Shutdown"):
        assert f">{kind}</text>" in svg  # the legend


def test_text_plain_summary_is_stable(make_panel: Make) -> None:
    panel = make_panel()
    assert panel._repr_mimebundle_()["text/plain"] == (
        "Lambda panel: hello (revision 1): lambda_function.lambda_handler, 128 MB, 3 s timeout, "
        "/tmp 512 MB, freeze on\n"
        "Environments: none yet (the first invoke is a cold start)\n"
        "Pool: 0 live environments; throttles 0\n"
        "Invocations: none yet"
    )
    panel.invoke()
    panel.wait()
    panel.invoke()
    panel.wait()
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    masked = re.sub(r"\d+(\.\d+)? ?ms\b", "<MS>", bundle["text/plain"])
    masked = re.sub(r"\d+(\.\d+)? ?(B|KB|MB)\b", "<MEM>", masked)
    assert masked == (
        "Lambda panel: hello (revision 1): lambda_function.lambda_handler, <MEM>, 3 s timeout, "
        "/tmp <MEM>, freeze on\n"
        "Environments: env-1 Frozen\n"
        "Pool: 1 live environment; throttles 0\n"
        "Last invocation: success, warm start; Duration <MS>, Billed Duration <MS>, "
        "Max Memory Used <MEM> of <MEM>\n"
        "Invocations: 2 (1 cold start)"
    )
    assert repr(panel) == "<LambdaPanel hello: Frozen, 2 invocation(s)>"


def test_updates_from_background_threads_reach_the_front_end(make_panel: Make) -> None:
    panel = make_panel(SLOW, timeout=10)
    panel.invoke({"sleep": 0.5})
    logs = panel.result_view._logs
    wait_for(lambda: "first" in panel.result_view.logs_text, 5, "the first log line")
    painted = [m for m in logs.comm.messages if "first" in json.dumps(m["data"])]
    assert painted and painted[0]["thread"] == "lambda-panel-paint"  # not the kernel's thread
    assert panel.wait()
    for view in (panel.state_view, panel.timeline, panel.history_view):
        assert view.comm.updates("value")[-1] == view.value  # the browser has the final picture


def test_close_unsubscribes_and_closes_every_widget(make_panel: Make, recording_comm: Any) -> None:
    panel = make_panel()
    fn = panel.function
    listeners = len(fn._observers)
    panel.invoke()
    panel.wait()
    seen = panel.last_result
    panel.close()
    assert len(fn._observers) == listeners - 1
    still_open = [c.opened_with["state"]["_model_name"] for c in recording_comm.all if not c.closed]
    assert still_open == []
    fn.invoke({})
    assert panel.last_result is seen and panel.invoke() is False
    panel.close()  # twice is fine


def test_two_panels_follow_one_function(make_panel: Make, tmp_path: Any) -> None:
    first = make_panel()
    second = LambdaPanel(first.function, events_dir=tmp_path)
    try:
        first.invoke()
        first.wait()
        second.wait()
        assert second.last_result is first.last_result and second.state is EnvState.FROZEN
        assert second.busy is False and "Succeeded" in second.result_view._head.value
    finally:
        second.close()


def test_panel_shows_what_happened_before_it_was_made(make_function: Any, tmp_path: Any) -> None:
    fn: LambdaFunction = make_function("def lambda_handler(e, c):\n    return 7\n", name="early")
    fn.invoke({})
    p = lambda_magic.panel(fn, events_dir=tmp_path)
    try:
        assert p.last_result is fn.last_result and "Succeeded" in p.result_view._head.value
        assert 'data-env="env-1"' in p.state_view.value and 'data-env="env-1"' in p.timeline.value
        assert "Environments: env-1 Frozen" in p.summary()
    finally:
        p.close()


def test_panel_refuses_what_is_not_a_function() -> None:
    with pytest.raises(TypeError, match="panel\\(\\) takes a LambdaFunction, not str"):
        lambda_magic.panel("hello")


def test_close_panels_closes_those_of_one_function(make_panel: Make, tmp_path: Any) -> None:
    from lambda_magic.widgets import close_panels

    first, other = make_panel(), make_panel(name="other")
    again = lambda_magic.panel(first.function, events_dir=tmp_path)
    assert close_panels(first.function) == 2
    assert first.comm is None and again.comm is None and other.comm is not None
    assert len(first.function._observers) == 0
    assert close_panels(first.function) == 0


def test_log_output_is_capped_in_the_panel(make_panel: Make) -> None:
    from lambda_magic.widgets.result import LOG_LIMIT

    code = "def lambda_handler(event, context):\n    for i in range(6000):\n        print('x' * 60, i)\n"
    panel = make_panel(code, timeout=10)
    assert panel.invoke() and panel.wait()
    text = panel.result_view.logs_text
    assert LOG_LIMIT <= len(text) < LOG_LIMIT + 100
    assert text.endswith("(the panel shows no more; fn.logs keeps the newest lines)\n")
    assert len(panel.function.logs.events()) > 6000  # nothing is lost outside the panel
    assert len(panel.result_view._logs.outputs) < 100  # batched per repaint, not one per line
