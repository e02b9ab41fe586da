"""Events from JSON-lines files, and replaying them through a function."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from lambda_magic.events._errors import SavedEventError

__all__ = ["read_jsonl", "replay"]


class Invocable(Protocol):
    """Anything with an ``invoke(event, **kwargs)`` method, such as ``LambdaFunction``."""

    @property
    def invoke(self) -> Callable[..., Any]: ...


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Any]:
    """Yield the events of a JSON-lines file, one JSON document per line.

    Blank lines are skipped. Any JSON value is an event (Lambda accepts any JSON document).

    Parameters
    ----------
    path
        The file to read (UTF-8).

    Yields
    ------
    Any
        Each line's decoded JSON document, in file order.

    Raises
    ------
    SavedEventError
        When the file cannot be read, or a line is not valid JSON (the message names the line).
    """
    name = os.fspath(path)
    try:
        handle = open(path, "rb")  # closed by the with below; only open() errors are caught
    except OSError as exc:
        raise SavedEventError(f"cannot read events file {name!r}: {exc.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            yield from _decode_line(name, number, raw)


def _decode_line(name: str, number: int, raw: bytes) -> Iterator[Any]:
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        raise SavedEventError(f"{name}, line {number}: not UTF-8 text") from None
    if not line.strip():
        return
    try:
        yield json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        raise SavedEventError(
            f"{name}, line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
        ) from None


def replay(function: Invocable, path: str | os.PathLike[str], **invoke_kwargs: Any) -> list[Any]:
    """Invoke ``function`` with every event of a JSON-lines file, in order.

    The whole file is read first, so a bad line stops the replay before any invocation.

    Parameters
    ----------
    function
        A ``LambdaFunction`` (anything with ``invoke(event, **kwargs)``).
    path
        The JSON-lines file (see :func:`read_jsonl`).
    **invoke_kwargs
        Passed on to every ``function.invoke`` call.

    Returns
    -------
    list
        ``function.invoke``'s result for each event, in file order.
    """
    batch = list(read_jsonl(path))
    return [function.invoke(event, **invoke_kwargs) for event in batch]
