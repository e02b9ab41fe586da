"""Reading what a user types into a magic: events, ``K=V`` pairs, option lines.

Every problem becomes a short :class:`~IPython.core.error.UsageError` that names the problem
and the allowed values, so a typo never shows a traceback.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from IPython.core.error import UsageError

_TOKEN = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|\S+)(.*)$""", re.S)


def split_first(text: str) -> tuple[str, str]:
    """The first (possibly quoted) token of ``text`` and the rest."""
    match = _TOKEN.match(text)
    if not match:
        return "", ""
    token, rest = match.groups()
    if token[0] in "\"'":
        token = shlex.split(token)[0]
    return token, rest.strip()


def split_options(line: str, takes_value: set[str]) -> tuple[list[str], str]:
    """Split ``[options] [rest]``: leading ``-x``/``--x [value]`` tokens, then everything else
    verbatim (an event in JSON may contain spaces, quotes and dashes)."""
    options, rest = [], line.strip()
    while rest.startswith("-") and not re.match(r"^-\d", rest):
        token, rest = split_first(rest)
        options.append(token)
        if token in takes_value and "=" not in token:
            value, rest = split_first(rest)
            if not value:
                raise UsageError(f"option {token} needs a value")
            options.append(value)
    return options, rest


def json_error(exc: json.JSONDecodeError, what: str) -> UsageError:
    """'bad JSON in the event at line L, column C: <reason>'."""
    hint = " (JSON strings use double quotes)" if "'" in exc.doc and '"' not in exc.doc else ""
    return UsageError(
        f"bad JSON in {what} at line {exc.lineno}, column {exc.colno}: {exc.msg}{hint}"
    )


def parse_json(text: str, what: str) -> Any:
    """Parse JSON or raise a UsageError with line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_error(exc, what) from None


def parse_event(text: str, namespace: Mapping[str, Any], what: str = "the event") -> Any:
    """An event written inline: ``$var``, JSON, a Python literal, or ``{expression}``.

    JSON is tried first, so ``{"a": 1}`` is JSON; ``{payload}`` evaluates ``payload`` in the
    notebook; ``$payload`` reads the variable.
    """
    text = text.strip()
    if re.fullmatch(r"\$[A-Za-z_][\w.]*", text):
        return _lookup(text[1:], namespace)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        error = exc
    if text.startswith("{") and text.endswith("}"):
        try:
            code = compile(text[1:-1].strip(), "<event>", "eval")
        except SyntaxError:
            raise json_error(error, what) from None
        try:
            return eval(code, dict(namespace))  # noqa: S307 - the user's own notebook expression
        except Exception as exc:
            raise UsageError(f"the expression {text} failed: {type(exc).__name__}: {exc}") from None
    raise json_error(error, what)


def _lookup(dotted: str, namespace: Mapping[str, Any]) -> Any:
    head, *attrs = dotted.split(".")
    if head not in namespace:
        raise UsageError(f"no notebook variable named {head!r}")
    value = namespace[head]
    for attr in attrs:
        value = getattr(value, attr)
    return value


def parse_pairs(pairs: Iterable[str] | None, what: str) -> dict[str, str]:
    """``["A=1", "B=two"]`` to a dict; a pair without ``=`` is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} must be written KEY=VALUE, got {pair!r}")
        out[key] = value
    return out


def unknown_name(kind: str, name: str, known: Iterable[str]) -> UsageError:
    """'no function named X; did you mean Y? Defined: a, b'."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    listing = f" Defined: {', '.join(known)}." if known else " None is defined yet."
    return UsageError(f"no {kind} named {name!r}{hint}{listing}")


def shlex_split(line: str) -> list[str]:
    """Split a command line as a shell does; an unclosed quote is a usage error."""
    try:
        return shlex.split(line)
    except ValueError as e:
        raise UsageError(f"cannot read the options: {e}") from None
