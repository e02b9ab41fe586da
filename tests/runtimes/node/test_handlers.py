"""The built-in Node.js runtime's handler forms, module kinds and handler strings, each checked
against what Lambda's Node.js runtime returns (3.x client for nodejs22.x, 4.x for nodejs24.x)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import lines_starting
from tests.runtimes.node.cases import CASES
from tests.runtimes.node.conftest import app_lines

pytestmark = pytest.mark.timeout(60)

BOTH = pytest.mark.parametrize("runtime", ["nodejs22.x", "nodejs24.x"])


def invoke_case(node_function: Any, name: str, runtime: str, **config: Any) -> Any:
    case = CASES[name]
    fn = node_function(case.files, case.handler, runtime=runtime, **{**case.config, **config})
    if case.payload is not None:
        return fn.invoke(payload=case.payload)
    return fn.invoke(case.events[0], **case.invoke)


@BOTH
@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("promise", {"got": {"n": 1}}),
        ("undefined", None),
        ("cjs", {"cjs": 1}),
        ("cjs-ext", "cjs file"),
        ("type-module", "esm .js"),
        ("nested", "nested"),
        ("subdir", "in a folder"),
    ],
)
def test_handler_forms_and_module_kinds(node_function: Any, runtime: str, name: str,
                                        payload: Any) -> None:  # fmt: skip
    r = invoke_case(node_function, name, runtime)
    assert (r.error, r.payload) == (None, payload)
    assert r.content_type == "application/json"


def test_a_plain_return_value_is_dropped_by_3x_and_sent_by_4x(node_function: Any) -> None:
    assert invoke_case(node_function, "sync-return", "nodejs22.x").payload is None
    assert invoke_case(node_function, "sync-return", "nodejs24.x").payload == {"sync": True}


def test_a_default_export_is_searched_by_4x_only(node_function: Any) -> None:
    assert invoke_case(node_function, "default-export", "nodejs24.x").payload == "from default"
    r = invoke_case(node_function, "default-export", "nodejs22.x")
    assert r.error_type == "Runtime.HandlerNotFound"


@pytest.mark.parametrize("runtime", ["nodejs20.x", "nodejs22.x"])
def test_callback_handlers_on_3x(node_function: Any, runtime: str) -> None:
    assert invoke_case(node_function, "callback", runtime).payload == {"cb": 1}
    assert invoke_case(node_function, "context-succeed", runtime).payload == {"via": "succeed"}
    assert invoke_case(node_function, "context-done", runtime).payload == "via done"
    r = invoke_case(node_function, "callback-error", runtime)
    assert r.payload == {"errorMessage": "plain string", "errorType": "string", "trace": []}
    r = invoke_case(node_function, "context-fail", runtime)
    assert (r.error_type, r.payload["errorMessage"]) == ("Error", "via fail")


def test_callback_waits_for_the_empty_event_loop(node_function: Any) -> None:
    waits = invoke_case(node_function, "callback-waits", "nodejs22.x")
    assert waits.payload == "done"
    assert any(line.endswith("\tINFO\ttimer ran") for line in app_lines(waits))
    fn = node_function(CASES["callback-no-wait"].files, runtime="nodejs22.x")
    first = fn.invoke({})
    assert first.payload == "done"
    assert not any("timer ran" in line for line in app_lines(first))  # frozen before it ran
    assert first.report.duration_ms < 250


def test_a_promise_that_never_settles_answers_null_on_3x(node_function: Any) -> None:
    r = invoke_case(node_function, "never-settles", "nodejs22.x")
    assert (r.error, r.payload) == (None, None)


def test_callbacks_are_refused_at_init_on_nodejs24(node_function: Any) -> None:
    fn = node_function(CASES["callback"].files, runtime="nodejs24.x")
    posted: list[Any] = []
    fn.subscribe(lambda kind, value: posted.append(value[1]) if kind == "api" else None)
    r = fn.invoke({})
    assert r.error_type == "Runtime.CallbackHandlerDeprecated"
    assert r.payload["errorMessage"] == (
        "ERROR: AWS Lambda has removed support for callback-based function handlers starting with "
        "Node.js 24. You need to modify this function to use a supported handler signature to use "
        "Node.js 24 or later. For more information see "
        "https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html."
    )
    assert r.payload["trace"][0].startswith("Runtime.CallbackHandlerDeprecated: ERROR: ")
    assert [line.split("\t")[1:] for line in lines_starting(r, "INIT_REPORT")] == [
        ["Phase: init", "Status: error", "Error Type: Runtime.CallbackHandlerDeprecated"],
        ["Phase: invoke", "Status: error", "Error Type: Runtime.CallbackHandlerDeprecated"],
    ]
    init_errors = [m for m in posted if m.start_line.startswith("POST") and "/init/error" in
                   m.start_line]  # fmt: skip
    assert init_errors
    headers = {k.lower(): v for k, v in init_errors[0].headers.items()}
    assert headers["lambda-runtime-function-error-type"] == "Runtime.CallbackHandlerDeprecated"


def test_streaming_handlers_reach_the_caller(node_function: Any) -> None:
    for runtime in ("nodejs22.x", "nodejs24.x"):
        r = invoke_case(node_function, "stream", runtime)
        assert (r.error, r.raw) == (None, b'one,two,{"three":3}')
        r = invoke_case(node_function, "stream-http", runtime)
        prelude = b'{"statusCode":201,"headers":{"x-a":"b"}}' + b"\0" * 8
        assert r.raw == prelude + b"body"
