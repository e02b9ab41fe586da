"""Every handler form of Lambda's Java runtime: the two interfaces, and public methods found by
reflection with (event), (event, Context), (Context), (), and the stream signatures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lambda_magic import LambdaFunction
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
