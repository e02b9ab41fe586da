"""JSON to the handler's declared types and back, as Lambda's Java runtime converts them:
beans and records, collections, numbers, enums, and the leniency of its serializer."""

from __future__ import annotations

from collections.abc import Callable

from lambda_magic import LambdaFunction

Make = Callable[..., LambdaFunction]


def test_bean_in_record_out(java_function: Make) -> None:
    order = {"orderId": "o-1", "items": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": "1", "x": 0}],
             "total": 19.95, "express": True, "size": "LARGE", "counts": {"a": "3"}, "note": "fragile",
             "unknown": {"ignored": True}}  # fmt: skip
    result = java_function("forms.Pojos").invoke(order)
    assert result.error is None, result.logs
    assert result.payload == {
        "orderId": "o-1", "lines": 2, "total": 19.95, "express": True, "size": "LARGE",
        "skus": ["Ax2", "Bx1"],  # "missing" is null: left out
        "order": {"orderId": "o-1", "items": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}],
                  "total": 19.95, "express": True, "size": "LARGE", "counts": {"a": 3}, "note": "fragile"},
    }  # fmt: skip
    assert b'"total":19.95,' in result.raw  # BigDecimal kept exactly; compact JSON


def test_bean_property_names_and_types(java_function: Make) -> None:
    bean = {"id": 12345678901, "URL": "https://x", "scores": [1, 2.5], "nickname": "z",
            "at": "2024-01-02T03:04:05Z", "secret": "no"}  # fmt: skip
    result = java_function("forms.Conversions::bean").invoke(bean)
    assert result.payload == {"id": 12345678901, "URL": "https://x", "scores": [1.0, 2.5],
                              "nickname": "z", "at": "2024-01-02T03:04:05Z"}  # fmt: skip


def test_untyped_values_are_maps_lists_strings_numbers_and_booleans(java_function: Make) -> None:
    event = {"i": 1, "l": 2**40, "huge": 2**70, "d": 1.5, "s": "x", "b": True, "n": None,
             "list": [1], "map": {"k": 1}}  # fmt: skip
    assert java_function("forms.Conversions::described").invoke(event).payload == {
        "i": "java.lang.Integer", "l": "java.lang.Long", "huge": "java.math.BigInteger",
        "d": "java.lang.Double", "s": "java.lang.String", "b": "java.lang.Boolean", "n": "null",
        "list": "java.util.ArrayList", "map": "java.util.LinkedHashMap",
    }  # fmt: skip


def test_how_values_are_written(java_function: Make) -> None:
    result = java_function("forms.Conversions::written").invoke({})
    assert result.payload == {
        "big": 1000, "bytes": "aGk=", "chars": "ok", "date": 1700000000123, "empty": None,
        "nan": "NaN", "set": [7], "text": "quote \" backslash \\ tab \t nul \x00 é 😀",
        "uuid": "123e4567-e89b-12d3-a456-426614174000",
    }  # fmt: skip
    assert b'"big":1E+3' in result.raw and b"nul \\u0000 \xc3\xa9 \xf0\x9f\x98\x80" in result.raw


def test_lenient_conversions(java_function: Make) -> None:
    fn = java_function("forms.Conversions::lenient")
    assert fn.invoke(["1", 2.9, 3]).payload == [1, 2, 3]  # strings and floats to int
    assert fn.invoke(5).payload == [5]  # a single value where an array is expected
