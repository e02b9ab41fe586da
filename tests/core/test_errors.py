"""Every error in Lambda's exact shape; none hangs the caller."""

from __future__ import annotations

import os

import pytest

from lambda_magic.core.errors import FunctionError
from lambda_magic.core.lifecycle import EnvState
from tests.helpers import lines_starting, report_fields

pytestmark = pytest.mark.timeout(60)


def test_handler_exception_shape_and_stack_trace(make_function) -> None:
    fn = make_function("""
        def helper(d):
            return d["missing"]
        def lambda_handler(event, context):
            return helper({})
    """)
    r = fn.invoke()
    assert list(r.payload) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert r.payload["errorMessage"] == "'missing'"
    assert r.payload["errorType"] == "KeyError"
    assert r.payload["requestId"] == r.request_id
    trace = r.payload["stackTrace"]
    assert len(trace) == 2 and not any("bootstrap.py" in t for t in trace)  # runtime frames gone
    assert trace[0].startswith('  File "') and trace[0].endswith(
        'lambda_function.py", line 5, in lambda_handler\n    return helper({})\n'
    )
    assert r.function_error == "Unhandled" and r.status == "error"
    assert "[ERROR] KeyError: 'missing'\nTraceback (most recent call last):" in r.logs
    assert (
        "Status" not in lines_starting(r, "REPORT")[0]
    )  # a function error is not a platform error
    with pytest.raises(FunctionError) as info:
        r.raise_for_error()
    assert info.value.error_type == "KeyError"
    assert info.value._render_traceback_()[-1] == "KeyError: 'missing'"
    assert fn.invoke().ok is False and not fn.history[-1].cold_start  # still warm


def test_an_uncaught_error_is_one_log_event_of_several_lines(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    raise RuntimeError('bad')\n")
    (event,) = [e for e in fn.invoke().log_events if e.message.startswith("[ERROR]")]
    lines = event.message.split("\n")  # one frame on the telemetry pipe, as on Lambda
    assert lines[:2] == ["[ERROR] RuntimeError: bad", "Traceback (most recent call last):"]
    assert lines[2].startswith("\u00a0\u00a0File ")  # indentation as no-break spaces
    assert "\r" not in event.message
    assert event.text.split("\n")[2].startswith("  File ")  # shown with plain spaces


@pytest.mark.parametrize(
    ("code", "handler", "error_type", "message"),
    [
        (
            "import not_a_module\n",
            None,
            "Runtime.ImportModuleError",
            "Unable to import module 'lambda_function': No module named 'not_a_module'",
        ),
        (
            "def lambda_handler(e, c)\n    pass\n",
            None,
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module 'lambda_function': expected ':' (lambda_function.py, line 1)",
        ),
        (
            "x = 1\n",
            None,
            "Runtime.HandlerNotFound",
            "Handler 'lambda_handler' missing on module 'lambda_function'",
        ),
        (
            "x = 1\n",
            "nodot",
            "Runtime.MalformedHandlerName",
            "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)",
        ),
        (
            "x = 1\n",
            "sys.handler",
            "Runtime.BuiltInModuleConflict",
            "Cannot use built-in module sys as a handler module",
        ),
        ("raise ValueError('bad config')\n", None, "ValueError", "bad config"),
    ],
)
def test_init_errors_follow_lambdas_flow(make_function, code, handler, error_type, message) -> None:
    fn = make_function(code, handler=handler)
    r = fn.invoke()
    assert r.payload["errorType"] == error_type and r.payload["errorMessage"] == message
    # The platform keeps an error-type header only in the form Runtime.Xxx (as RIE does).
    error_type = error_type if error_type.startswith("Runtime.") else "Runtime.Unknown"
    assert r.payload["requestId"] == ""
    assert r.cold_start and r.report.init_duration_ms is None
    reports = lines_starting(r, "INIT_REPORT")
    assert [x.split("\t")[1:] for x in reports] == [
        ["Phase: init", "Status: error", f"Error Type: {error_type}"],
        ["Phase: invoke", "Status: error", f"Error Type: {error_type}"],
    ]
    messages = [e.message for e in r.log_events]
    start = next(i for i, m in enumerate(messages) if m.startswith("START"))
    assert messages[start + 1] == f"Unknown application error occurred\n{error_type}"
    assert messages.index(reports[1]) < start  # INIT_REPORT (invoke phase) comes before START
    fields = report_fields(lines_starting(r, "REPORT")[0])
    assert (fields["Status"], fields["Error Type"]) == ("error", error_type)
    assert "Init Duration" not in fields
    assert fn.environments[0].state.state is EnvState.INIT_FAILED
    assert fn.invoke().payload["errorMessage"] == message  # retried inside every invoke


def test_syntax_error_stack_trace_and_check(make_function) -> None:
    fn = make_function("def lambda_handler(e, c)\n    pass\n")
    payload = fn.check_syntax()
    assert payload is not None and payload.error_type == "Runtime.UserCodeSyntaxError"
    r = fn.invoke()
    assert r.payload["stackTrace"] == payload.stack_trace
    assert r.payload["stackTrace"][0].endswith(
        'lambda_function.py" Line 1\n    def lambda_handler(e, c)\n'
    )
    assert make_function("def lambda_handler(e, c):\n    pass\n").check_syntax() is None


def test_marshal_error(make_function) -> None:
    r = make_function("def lambda_handler(e, c):\n    return {1, 2}\n").invoke()
    assert r.payload == {
        "errorMessage": "Unable to marshal response: Object of type set is not JSON serializable",
        "errorType": "Runtime.MarshalError",
        "requestId": r.request_id,
        "stackTrace": [],
    }


def test_async_handler_is_a_marshal_error(make_function) -> None:
    r = make_function("async def lambda_handler(e, c):\n    return 1\n").invoke()
    assert r.error_type == "Runtime.MarshalError"
    assert "Object of type coroutine is not JSON serializable" in r.payload["errorMessage"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("import sys\n    sys.exit(3)", "exit status 3"),
        ("import os\n    os._exit(7)", "exit status 7"),
        ("import ctypes\n    ctypes.string_at(0)", "signal: segmentation fault"),
        ("import os, signal\n    os.kill(os.getpid(), signal.SIGABRT)", "signal: aborted"),
    ],
)
def test_runtime_exits_are_exit_errors(make_function, body, reason) -> None:
    fn = make_function(f"def lambda_handler(e, c):\n    {body}\n")
    r = fn.invoke()
    assert r.payload == {
        "errorMessage": f"RequestId: {r.request_id} Error: Runtime exited with error: {reason}",
        "errorType": "Runtime.ExitError",
    }
    fields = report_fields(lines_starting(r, "REPORT")[0])
    assert (fields["Status"], fields["Error Type"]) == ("error", "Runtime.ExitError")
    assert fn.environments[0].state.state is EnvState.RESET
    again = fn.invoke()  # the environment is re-initialized inside the next invoke
    assert again.cold_start and again.report.init_duration_ms is None


def test_exit_during_init(make_function) -> None:
    r = make_function("import sys\nsys.exit(2)\n").invoke()
    assert r.payload["errorType"] == "Runtime.ExitError"
    assert (
        r.payload["errorMessage"]
        == f"RequestId: {r.request_id} Error: Runtime exited without providing a reason"
    )
    assert lines_starting(r, "INIT_REPORT")[0].endswith(
        "Phase: init\tStatus: error\tError Type: Runtime.ExitError"
    )


def test_response_over_6_mb(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return 'x' * (6 * 1024 * 1024 + 200)\n")
    r = fn.invoke()
    size = 6 * 1024 * 1024 + 202
    assert r.payload == {
        "errorMessage": f"Response payload size ({size} bytes) exceeded maximum allowed "
        "payload size (6291556 bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
    }
    assert fn.invoke().error_type == "Function.ResponseSizeTooLarge"  # and nothing hangs


def test_an_invoke_whose_init_failed_counts_as_a_cold_start(make_function) -> None:
    fn = make_function("import not_a_module\n")
    results = [fn.invoke(), fn.invoke()]
    assert [r.cold_start for r in results] == [True, True]
    assert fn.environments[0].cold_starts == 2


def test_a_file_of_the_machines_tmp_gets_a_hint(make_function, tmp_path) -> None:
    import uuid

    from lambda_magic import sandbox_info

    if not sandbox_info().namespaces:
        pytest.fail("the hint is for environments with a private /tmp (mount namespaces)")
    path = f"/tmp/lambda-magic-hint-{uuid.uuid4().hex}"
    with open(path, "w") as f:
        f.write("on the machine")
    try:
        fn = make_function(f"def lambda_handler(e, c):\n    return open({path!r}).read()\n")
        result = fn.invoke()
    finally:
        os.remove(path)
    assert result.error_type == "FileNotFoundError"
    assert result.notes == [
        f"{path} exists on this machine, but each execution environment has its own /tmp, as on "
        "Lambda: ship the file in the package (%%lambda_file), or write it from the handler"
    ]


def test_the_projects_own_folders_are_not_importable_inside_a_function(make_function) -> None:
    fn = make_function("""
        import importlib.util
        def lambda_handler(event, context):
            return {name: importlib.util.find_spec(name) is not None
                    for name in ("tests", "tools", "benchmarks", "json")}
    """)  # fmt: skip
    assert fn.invoke().payload == {
        "tests": False,
        "tools": False,
        "benchmarks": False,
        "json": True,
    }
