"""Errors of the built-in Node.js runtime: the error JSON (``trace``, not ``stackTrace``) and its
X-Ray cause header, the Init error types, a bad event, an uncaught exception, a response that
cannot be serialised, each as Lambda's Node.js client reports them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.helpers import lines_starting
from tests.runtimes.node.cases import CASES
from tests.runtimes.node.conftest import app_lines
from tests.runtimes.node.test_handlers import BOTH, invoke_case

pytestmark = pytest.mark.timeout(60)

INIT_ERRORS = [
    ("not-found", "Runtime.HandlerNotFound", r"index\.handler is undefined or not exported"),
    ("not-a-function", "Runtime.HandlerNotFound", r"index\.handler is not a function"),
    ("malformed", "Runtime.MalformedHandlerName", r"Bad handler"),
    ("relative", "Runtime.MalformedHandlerName",
     r"'\.\./index\.handler' is not a valid handler name\. Use absolute paths when specifying "
     r"root directories in handler names\."),
    ("missing-module", "Runtime.ImportModuleError",
     r"Error: Cannot find module 'nope'\nRequire stack:\n- /\S+/loader\.mjs"),
    ("missing-package-cjs", "Runtime.ImportModuleError",
     r"Error: Cannot find module 'no-such-package'\nRequire stack:\n- /\S+/index\.js(\n- /\S+)*"),
    ("syntax-esm", "Runtime.UserCodeSyntaxError", r"SyntaxError: Unexpected token ';'"),
    ("syntax-cjs", "Runtime.UserCodeSyntaxError", r"SyntaxError: Unexpected token ';'"),
    ("top-level-throw", "TypeError", r"top level"),
    ("missing-package-esm", "Error", r"Cannot find package 'no-such-package' imported from /\S+"),
]  # fmt: skip


def _api_messages(fn: Any) -> list[Any]:
    seen: list[Any] = []
    fn.subscribe(lambda kind, value: seen.append(value[1]) if kind == "api" else None)
    return seen


def _posted(seen: list[Any], path_end: str) -> Any:
    found = [m for m in seen if m.start_line.startswith("POST") and path_end in m.start_line]
    assert found, [m.start_line for m in seen]
    return found[0]


@BOTH
@pytest.mark.parametrize(("name", "error_type", "message"), INIT_ERRORS)
def test_init_errors(node_function: Any, runtime: str, name: str, error_type: str,
                     message: str) -> None:  # fmt: skip
    case = CASES[name]
    fn = node_function(case.files, case.handler, runtime=runtime)
    seen = _api_messages(fn)
    r = fn.invoke({})
    assert r.error_type == error_type
    assert re.fullmatch(message, r.payload["errorMessage"]), r.payload["errorMessage"]
    assert list(r.payload) == ["errorMessage", "errorType", "trace"]
    first = r.payload["trace"][0]
    if error_type != "Runtime.UserCodeSyntaxError" or runtime == "nodejs22.x":
        assert first.startswith(f"{error_type}: ") or first.startswith("Error [ERR_MODULE_NOT")
    reported = "Runtime.Unknown" if "." not in error_type else error_type  # normalised by the API
    assert [x.split("\t")[1:] for x in lines_starting(r, "INIT_REPORT")] == [
        ["Phase: init", "Status: error", f"Error Type: {reported}"],
        ["Phase: invoke", "Status: error", f"Error Type: {reported}"],
    ]
    headers = {k.lower(): v for k, v in _posted(seen, "/init/error").headers.items()}
    assert headers["lambda-runtime-function-error-type"] == error_type
    label = "Uncaught Exception" if runtime == "nodejs22.x" else "Init Error"
    logged = [x for x in app_lines(r) if f"\tERROR\t{label} \t" in x]
    assert len(logged) == 2  # Init, then the retry inside the invocation
    assert json.loads(logged[0].split(" \t", 1)[1])["errorType"] == error_type


@BOTH
def test_invocation_error_json_and_xray_cause(node_function: Any, runtime: str) -> None:
    fn = node_function(CASES["throw"].files, runtime=runtime)
    seen = _api_messages(fn)
    r = fn.invoke({})
    assert r.payload["errorType"] == "MyError" and r.payload["errorMessage"] == "bad\nthing"
    assert r.payload["trace"][:2] == ["MyError: bad", "thing"]
    assert re.match(r"    at (\S+ )?\(?file:///\S+/index\.mjs:5:\d+\)?$", r.payload["trace"][2])
    assert "stackTrace" not in r.payload and "requestId" not in r.payload
    message = _posted(seen, "/error")
    assert json.loads(message.body) == {k: r.payload[k] for k in ("errorType", "errorMessage",
                                                                  "trace")}  # fmt: skip
    headers = {k.lower(): v for k, v in message.headers.items()}
    cause = json.loads(headers["lambda-runtime-function-xray-error-cause"])
    assert list(cause) == ["working_directory", "exceptions", "paths"]
    assert cause["working_directory"] in ("/var/task", fn.code_dir())  # a namespace's view, or not
    assert cause["exceptions"][0]["type"] == "MyError"
    assert cause["exceptions"][0]["message"] == "bad\nthing"
    # the message's second line is read as a frame, as AWS's client reads it
    assert cause["exceptions"][0]["stack"][0] == {
        "path": "thing",
        "line": None,
        "label": "anonymous",
    }
    assert cause["exceptions"][0]["stack"][1]["label"] in ("handler", "Runtime.handler")
    assert "lambda-runtime-function-error-type" not in headers  # as AWS's client: no error type
    logged = [x for x in app_lines(r) if "\tERROR\tInvoke Error \t" in x]
    assert len(logged) == 1
    record = json.loads(logged[0].split(" \t", 1)[1])
    assert (record["errorType"], record["errorMessage"], record["code"]) == (
        "MyError",
        "bad\nthing",
        7,
    )


def test_a_thrown_string(node_function: Any) -> None:
    r = invoke_case(node_function, "throw-string", "nodejs24.x")
    assert r.payload == {"errorMessage": "just text", "errorType": "string", "trace": []}


def test_a_response_that_cannot_be_serialised(node_function: Any) -> None:
    r = invoke_case(node_function, "circular", "nodejs22.x")
    assert (r.error_type, r.payload["errorMessage"]) == (
        "Error",
        "Unable to stringify response body",
    )
    r = invoke_case(node_function, "circular", "nodejs24.x")
    assert r.error_type == "Runtime.JSONStringifyError"


def test_an_event_node_cannot_parse(node_function: Any) -> None:
    r = invoke_case(node_function, "bad-event", "nodejs22.x")  # a byte order mark: not JSON
    assert r.error_type == "SyntaxError"
    assert r.payload["errorMessage"].startswith("Unexpected token '\ufeff'")
    r = invoke_case(node_function, "bad-event", "nodejs24.x")  # 4.x dies in its loop, as AWS's
    assert r.error_type == "Runtime.ExitError"
    assert "exit status 1" in r.payload["errorMessage"]


def test_an_uncaught_exception_ends_the_environment(node_function: Any) -> None:
    fn = node_function(CASES["uncaught"].files, runtime="nodejs22.x")
    r = fn.invoke({})
    assert (r.error_type, r.payload["errorMessage"]) == ("RangeError", "from a timer")
    assert any("\tERROR\tUncaught Exception \t" in x for x in app_lines(r))
    assert fn.invoke({}).cold_start  # the runtime exited (129) after reporting the error
    r = invoke_case(node_function, "uncaught", "nodejs24.x")
    assert r.error_type == "Runtime.ExitError"
    r = invoke_case(node_function, "unhandled-rejection", "nodejs22.x")
    assert r.error_type == "Runtime.UnhandledPromiseRejection"
    assert r.payload["errorMessage"] == "Error: nobody waits"
