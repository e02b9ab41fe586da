"""Every handler form of Lambda's Java runtime: the two interfaces, and public methods found by
reflection with (event), (event, Context), (Context), (), and the stream signatures."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from lambda_magic import LambdaFunction
from lambda_magic.runtimes import javac
from tests.runtimes.java.conftest import app_lines

Make = Callable[..., LambdaFunction]


@pytest.mark.parametrize(
    ("handler", "event", "expected"),
    [
        ("forms.MapHandler", {"n": 1, "x": 1.5, "big": 12345678901},
         {"received": {"n": 1, "x": 1.5, "big": 12345678901}, "types": "Integer/Double"}),
        ("forms.Copy", "abc", "cba"),  # RequestStreamHandler: the bytes, reversed
        ("forms.VoidHandler", "hi", None),  # RequestHandler<String, Void>
        ("forms.Forms::withContext", {"a": 1}, {"a": 1, "function": "<name>"}),
        ("forms.Forms::upper", "abc", "ABC"),
        ("forms.Forms::twice", 21, 42),  # a static method, primitive in and out
        ("forms.Forms::nothing", {"k": "v"}, None),  # void returns null
        ("forms.Forms::onlyContext", {}, "<name>"),
        ("forms.Forms::noArguments", {"ignored": True}, "no arguments"),
        ("forms.Forms::streams", {"z": [1]}, {"wrapped": {"z": [1]}}),
        ("forms.Forms::outputOnly", {}, [1, 2]),
        ("forms.Forms::doubled", [1, 2, 3], [2, 4, 6]),
    ],
)  # fmt: skip
def test_handler_forms(java_function: Make, handler: str, event: Any, expected: Any) -> None:
    fn = java_function(handler)
    result = fn.invoke(event)
    assert result.error is None, result.logs
    assert result.payload == (fn.name if expected == "<name>" else _named(expected, fn.name))


def _named(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return {k: (name if v == "<name>" else v) for k, v in value.items()}
    return value


def test_a_void_method_still_runs_and_logs(java_function: Make) -> None:
    result = java_function("forms.Forms::nothing").invoke({"k": "v"})
    assert result.raw == b"null"
    assert app_lines(result.logs) == ["nothing returned for {k=v}"]


def test_the_overload_with_a_context_wins(java_function: Make) -> None:
    # Lambda's order: longer signatures first, a trailing Context counting double.
    assert java_function("forms.Forms::overloaded").invoke("x").payload == "with context"


def test_a_warm_environment_keeps_the_handler_instance(java_function: Make) -> None:
    fn = java_function("forms.Counter::next")
    results = [fn.invoke({}) for _ in range(3)]
    assert [r.payload for r in results] == [1, 2, 3]
    assert [r.cold_start for r in results] == [True, False, False]


def _jar(files: dict[str, bytes], prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as jar:
        for name, data in files.items():
            if name.startswith(prefix):
                jar.writestr(name, data)
    return buffer.getvalue()


def test_handler_classes_in_a_jar_under_lib(
    java_runtime: javac.JavaRuntime, java_classes: dict[str, bytes]
) -> None:
    files = {"lib/forms.jar": _jar(java_classes, "forms/")}  # nothing at the task root
    fn = LambdaFunction("java_jar", code="", files=files, handler="forms.Forms::upper",
                        runtime_command=java_runtime.command(256), memory_size=256)  # fmt: skip
    try:
        assert fn.invoke("from a jar").payload == "FROM A JAR"
    finally:
        fn.shutdown()


def test_a_custom_serializer_declared_by_the_function(
    java_runtime: javac.JavaRuntime, java_classes: dict[str, bytes]
) -> None:
    service = "META-INF/services/com.amazonaws.services.lambda.runtime.CustomPojoSerializer"
    files = {**java_classes, service: b"custom.Shouting\n"}
    fn = LambdaFunction("java_serializer", code="", files=files, handler="custom.EchoText::handle",
                        runtime_command=java_runtime.command(256), memory_size=256)  # fmt: skip
    try:
        assert fn.invoke({"a": 1}).payload == "FROM JAVA.LANG.STRING: {'A': 1}"
    finally:
        fn.shutdown()
