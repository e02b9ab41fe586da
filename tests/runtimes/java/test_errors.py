"""Errors as Lambda's Java runtime reports them: the error document (message, fully qualified
type, stack frames without the runtime's own), the log record with the cause, and the failures
of loading the handler (at Init for a static initialiser or constructor, at each invocation for
a missing class or a handler that does not fit)."""

from __future__ import annotations

from collections.abc import Callable

from lambda_magic import LambdaFunction
from tests.runtimes.java.conftest import app_lines

Make = Callable[..., LambdaFunction]
REFLECTION = [
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
    "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
]  # fmt: skip


def test_an_exception_becomes_the_error_document(java_function: Make) -> None:
    result = java_function("errors.Thrower::fail").invoke({})
    assert result.error is not None
    doc = result.payload
    assert list(doc) == ["errorMessage", "errorType", "stackTrace"]
    assert doc["errorMessage"] == "could not read the count"
    assert doc["errorType"] == "java.lang.IllegalStateException"
    # The handler's frame, then the JDK's reflection that called it; the runtime's frames are gone.
    assert doc["stackTrace"][0] == "errors.Thrower.fail(Thrower.java:13)"
    assert doc["stackTrace"][1:4] == REFLECTION
    assert doc["stackTrace"][-1].startswith("java.base/java.lang.reflect.Method.invoke(")
    assert not [f for f in doc["stackTrace"] if "lambdamagic" in f]
    # No "cause" key in the document: the cause is in the log record.
    lines = app_lines(result.logs)
    assert lines[:3] == [
        "could not read the count: java.lang.IllegalStateException",
        "java.lang.IllegalStateException: could not read the count",
        "\tat errors.Thrower.fail(Thrower.java:13)",
    ]
    assert 'Caused by: java.lang.NumberFormatException: For input string: "not a number"' in lines
    assert "\tat errors.Thrower.fail(Thrower.java:11)" in lines
    assert not [line for line in lines if "lambdamagic" in line]


def test_an_interface_handler_has_no_reflection_frames(java_function: Make) -> None:
    doc = java_function("errors.Failing").invoke({"why": "bad input"}).payload
    # handleRequest, then the bridge method javac made for the generic interface.
    assert doc == {"errorMessage": "bad input", "errorType": "java.lang.IllegalArgumentException",
                   "stackTrace": ["errors.Failing.handleRequest(Failing.java:11)",
                                  "errors.Failing.handleRequest(Failing.java:8)"]}  # fmt: skip


def test_checked_and_messageless_exceptions(java_function: Make) -> None:
    checked = java_function("errors.Thrower::checked").invoke({}).payload
    assert (checked["errorType"], checked["errorMessage"]) == (
        "java.io.IOException",
        "disk on fire",
    )
    bare = java_function("errors.Thrower::noMessage").invoke({}).payload
    assert bare["errorMessage"] == bare["errorType"] == "java.lang.UnsupportedOperationException"


def test_an_event_of_the_wrong_shape(java_function: Make) -> None:
    result = java_function("errors.Thrower::number").invoke({"a": 1})
    assert result.payload == {"errorMessage": "An error occurred during JSON parsing",
                              "errorType": "java.lang.RuntimeException", "stackTrace": []}  # fmt: skip
    assert "Caused by: java.lang.IllegalArgumentException: Cannot deserialize value of type `int`" \
        " from Object value (token `JsonToken.START_OBJECT`)" in app_lines(result.logs)  # fmt: skip


def test_a_missing_class_is_reported_at_every_invocation_not_at_init(java_function: Make) -> None:
    fn = java_function("errors.Missing")
    first, second = fn.invoke({}), fn.invoke({})
    expected = {"errorMessage": "Class not found: errors.Missing",
                "errorType": "java.lang.ClassNotFoundException"}  # fmt: skip
    assert first.payload == second.payload == expected
    assert first.report.init_duration_ms is not None  # Init succeeded
    assert "INIT_REPORT" not in first.logs
    assert (first.cold_start, second.cold_start) == (True, False)  # the environment lives on
    lines = app_lines(second.logs)
    assert lines[:3] == ["Class not found: errors.Missing: java.lang.ClassNotFoundException",
                         "java.lang.ClassNotFoundException: errors.Missing",
                         "\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)"]  # fmt: skip


def test_a_failing_static_initializer_is_an_init_error(java_function: Make) -> None:
    result = java_function("errors.Broken$StaticInit").invoke({})
    assert result.payload == {"errorMessage": "Error loading class errors.Broken$StaticInit",
                              "errorType": "java.lang.ExceptionInInitializerError"}  # fmt: skip
    init_reports = [x for x in result.logs.splitlines() if x.startswith("INIT_REPORT")]
    assert [x.split("\t")[1:] for x in init_reports] == [
        ["Phase: init", "Status: error", "Error Type: Runtime.BadFunctionCode"],
        ["Phase: invoke", "Status: error", "Error Type: Runtime.BadFunctionCode"],
    ]
    lines = app_lines(result.logs)
    assert (
        lines[0]
        == "Error loading class errors.Broken$StaticInit: java.lang.ExceptionInInitializerError"
    )
    assert 'Caused by: java.lang.NumberFormatException: For input string: "x"' in lines
    assert "\tat errors.Broken$StaticInit.<clinit>(Broken.java:10)" in lines


def test_a_failing_constructor_is_an_init_error(java_function: Make) -> None:
    result = java_function("errors.Broken$BadConstructor").invoke({})
    assert result.payload == {"errorMessage": "no configuration",
                              "errorType": "java.lang.IllegalArgumentException"}  # fmt: skip
    assert "Phase: init\tStatus: error\tError Type: Runtime.BadFunctionCode" in result.logs


def test_handlers_that_do_not_fit(java_function: Make) -> None:
    expected = {
        "errors.Thrower::nope":
            "No public method named nope with appropriate method signature found on class errors.Thrower",
        "errors.Thrower::": "Invalid handler: `errors.Thrower::'",
        "errors.Broken$NotAHandler":
            "Class does not implement an appropriate handler interface: errors.Broken$NotAHandler",
        "errors.Broken$Generic": "Class errors.Broken$Generic does not implement RequestHandler with"
            " concrete type parameters: parameter T has no upper bound.",
    }  # fmt: skip
    for handler, message in expected.items():
        result = java_function(handler).invoke({})
        assert result.error is not None and result.error.error_message == message, handler
        assert app_lines(result.logs) == [message], handler
    no_default = java_function("errors.Broken$NoDefault").invoke({}).payload
    assert no_default == {"errorMessage": "Class errors.Broken$NoDefault has no public zero-argument"
                          " constructor", "errorType": "java.lang.Exception"}  # fmt: skip
