"""Parameter types: checking Python values and turning command-line strings into them.

A template declares each parameter's type as the annotation string of its builder's keyword
argument (for example ``"str | list[str]"``); this module knows every such string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["BOOL_WORDS", "KINDS", "Kind", "type_name"]

Check = Callable[[Any], bool]
Coerce = Callable[[str, list[str]], Any]


class CoerceError(ValueError):
    """A command-line string could not be turned into the parameter's type."""


@dataclass(frozen=True)
class Kind:
    """One parameter type: its phrase for messages, a checker and a command-line coercer."""

    phrase: str
    check: Check
    coerce: Coerce


def type_name(value: Any) -> str:
    """The short type name used in messages (``bool`` before ``int``)."""
    return type(value).__name__


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_blob(value: Any) -> bool:
    return isinstance(value, (str, bytes, bytearray))


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _is_obj(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value) and _is_json(value)


def _is_strs(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_multi_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and (isinstance(v, str) or _is_strs(v)) for k, v in value.items()
    )


# ------------------------------------------------------------------ command-line coercion
def _one(name: str, values: list[str]) -> str:
    if len(values) != 1:
        raise CoerceError(f"was given {len(values)} times, expected once")
    return values[0]


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _to_str(name: str, values: list[str]) -> Any:
    return _one(name, values)


def _to_int(name: str, values: list[str]) -> Any:
    text = _one(name, values)
    try:
        return int(text)
    except ValueError:
        raise CoerceError(f"must be an int, got {text!r}") from None


def _to_float(name: str, values: list[str]) -> Any:
    text = _one(name, values)
    try:
        return float(text)
    except ValueError:
        raise CoerceError(f"must be a number, got {text!r}") from None


_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}
# Every word a bool parameter accepts (case-insensitive); the CLI uses it to tell a bare flag
# (``--fifo``) from a flag given a value (``--fifo n``).
BOOL_WORDS = frozenset(_TRUE | _FALSE)


def _to_bool(name: str, values: list[str]) -> Any:
    text = _one(name, values).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CoerceError(f"must be true or false, got {text!r}")


def _to_str_or_list(name: str, values: list[str]) -> Any:
    if len(values) > 1:
        return list(values)
    parsed = _loads(values[0]) if values[0].lstrip().startswith("[") else None
    return parsed if isinstance(parsed, list) else values[0]


def _to_list(name: str, values: list[str]) -> Any:
    result = _to_str_or_list(name, values)
    return result if isinstance(result, list) else [result]


def _to_map(name: str, values: list[str], multi: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for text in values:
        parsed = _loads(text) if text.lstrip().startswith("{") else None
        if isinstance(parsed, dict):
            result.update(parsed)
            continue
        if "=" not in text:
            raise CoerceError(f"must be a JSON object or KEY=VALUE pairs, got {text!r}")
        key, _, value = text.partition("=")
        if multi and key in result:
            previous = result[key]
            result[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            result[key] = value
    return result


def _to_query(name: str, values: list[str]) -> Any:
    if len(values) == 1 and not values[0].lstrip().startswith("{") and "&" in values[0]:
        return values[0]
    return _to_map(name, values, multi=True)


def _to_obj(name: str, values: list[str]) -> Any:
    parsed = _loads(_one(name, values))
    if not isinstance(parsed, dict):
        raise CoerceError(f"must be a JSON object, got {values[0]!r}")
    return parsed


def _to_objs(name: str, values: list[str]) -> Any:
    items: list[Any] = []
    for text in values:
        parsed = _loads(text)
        if isinstance(parsed, dict):
            items.append(parsed)
        elif isinstance(parsed, list):
            items.extend(parsed)
        else:
            raise CoerceError(f"must be a JSON object or array, got {text!r}")
    single_object = len(values) == 1 and isinstance(_loads(values[0]), dict)
    return items[0] if single_object else items


def _to_optional_str(name: str, values: list[str]) -> Any:
    """A str, or None for ``null`` (as JSON writes it)."""
    text = _one(name, values)
    return None if text.strip() == "null" else text


def _to_json(name: str, values: list[str]) -> Any:
    text = _one(name, values)
    parsed = _loads(text)
    return text if parsed is None and text.strip() != "null" else parsed


KINDS: dict[str, Kind] = {
    "str": Kind("a str", _is_str, _to_str),
    "str | None": Kind("a str or None", lambda v: v is None or _is_str(v), _to_optional_str),
    "int": Kind("an int", _is_int, _to_int),
    "float": Kind("a number", _is_float, _to_float),
    "bool": Kind("a bool", _is_bool, _to_bool),
    "list[str]": Kind("a list of str", _is_strs, _to_list),
    "str | list[str]": Kind(
        "a str or a list of str", lambda v: _is_str(v) or _is_strs(v), _to_str_or_list
    ),
    "str | bytes | None": Kind(
        "a str, bytes or None", lambda v: v is None or _is_blob(v), _to_optional_str
    ),
    "str | bytes | list[str | bytes]": Kind(
        "a str, bytes or a list of str/bytes",
        lambda v: _is_blob(v) or (isinstance(v, (list, tuple)) and all(map(_is_blob, v))),
        _to_str_or_list,
    ),
    "dict[str, str]": Kind(
        "a dict of str to str", _is_str_map, lambda n, v: _to_map(n, v, multi=False)
    ),
    "dict[str, str | list[str]]": Kind(
        "a dict of str to str or list of str",
        _is_multi_map,
        lambda n, v: _to_map(n, v, multi=True),
    ),
    "dict[str, str | list[str]] | str": Kind(
        "a dict of str to str or list of str, or a query string",
        lambda v: _is_str(v) or _is_multi_map(v),
        _to_query,
    ),
    "dict[str, Any]": Kind("a JSON-serialisable dict", _is_obj, _to_obj),
    "dict[str, Any] | None": Kind(
        "a JSON-serialisable dict or None", lambda v: v is None or _is_obj(v), _to_json
    ),
    "dict[str, Any] | list[dict[str, Any]]": Kind(
        "a JSON-serialisable dict or a list of them",
        lambda v: _is_obj(v) or (isinstance(v, (list, tuple)) and all(map(_is_obj, v))),
        _to_objs,
    ),
    "Any": Kind("a JSON-serialisable value", _is_json, _to_json),
}
