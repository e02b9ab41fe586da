"""The event editor: JSON text with live validation, templates and saved test events."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from os import PathLike
from typing import Any

import ipywidgets as w  # type: ignore[import-untyped]
import traitlets as t

from lambda_magic.platform.runtime_api.models import MAX_SYNC_PAYLOAD_BYTES
from lambda_magic.views.html import OK, esc, message_html, pre
from lambda_magic.widgets.saved import SavedEventsBox
from lambda_magic.widgets.templates import TemplatePicker
from lambda_magic.widgets.util import close_tree

#: The Lambda console's default test event ("hello-world").
DEFAULT_EVENT = {"key1": "value1", "key2": "value2", "key3": "value3"}

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_CONSTANT = re.compile(r"-?\b(?:NaN|Infinity)\b")
_KINDS = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


@dataclass(frozen=True)
class Validation:
    """What :func:`validate_event` found: the event, or why it cannot be sent."""

    ok: bool
    event: Any = None
    error: str = ""
    line: int = 0
    column: int = 0
    excerpt: str = ""
    size: int = 0

    @property
    def kind(self) -> str:
        """``object``, ``array``, ``string``, ``number``, ``boolean`` or ``null``."""
        return _KINDS.get(type(self.event), "number")


def _position(text: str, index: int) -> tuple[int, int, str]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    row = text[start : end if end >= 0 else len(text)]
    column = index - start + 1
    shown = row if len(row) <= 100 else row[max(0, column - 50) : column + 50]
    offset = column - 1 if len(row) <= 100 else min(column - 1, 50)
    return line, column, shown + "\n" + " " * offset + "^"


def _bad_constant(text: str) -> int | None:
    """Where ``NaN``/``Infinity`` appears outside strings (Python accepts them, JSON does not)."""
    masked = _STRING.sub(lambda m: "_" * len(m.group()), text)
    found = _CONSTANT.search(masked)
    return found.start() if found else None


def validate_event(text: str) -> Validation:
    """Check ``text`` as Lambda checks an invocation payload (strict JSON, at most 6 MB).

    Returns
    -------
    Validation
        ``ok`` with the decoded ``event``; or an ``error`` such as
        ``Expecting ',' delimiter (line 3, column 5)`` with the line and column.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if not text.strip():
        return Validation(False, error="The event is empty: enter a JSON value, for example {}")
    try:
        event = json.loads(text)
    except json.JSONDecodeError as e:
        line, column, excerpt = _position(text, e.pos)
        return Validation(
            False,
            error=f"{e.msg} (line {line}, column {column})",
            line=line,
            column=column,
            excerpt=excerpt,
            size=size,
        )
    except RecursionError:
        return Validation(False, error="The event is nested too deeply to parse", size=size)
    where = _bad_constant(text)
    if where is not None:
        line, column, excerpt = _position(text, where)
        return Validation(
            False,
            error=f"NaN and Infinity are not JSON (line {line}, column {column})",
            line=line,
            column=column,
            excerpt=excerpt,
            size=size,
        )
    if size > MAX_SYNC_PAYLOAD_BYTES:
        return Validation(
            False,
            error=f"The event is {size} bytes; Lambda accepts at most "
            f"{MAX_SYNC_PAYLOAD_BYTES} bytes (6 MB) for a synchronous invoke",
            size=size,
        )
    return Validation(True, event=event, size=size)


def status_html(check: Validation) -> str:
    """The line under the editor: a tick and the size, or the error with a caret excerpt."""
    if check.ok:
        return (
            f'<span style="color:{OK};font-size:12.5px">\u2713 Valid JSON '
            f"{esc(check.kind)} \u00b7 {check.size} bytes</span>"
        )
    out = message_html(f"\u2717 Invalid event: {check.error}", "error")
    return out + (pre(check.excerpt) if check.excerpt else "")


def dumps(event: Any) -> str:
    """How the editor shows an event: indented JSON, non-ASCII kept."""
    return json.dumps(event, indent=2, ensure_ascii=False)


class EventEditor(w.VBox):  # type: ignore[misc]
    """A JSON event editor with live validation, a template picker and saved test events.

    Parameters
    ----------
    value
        The initial event: JSON text, or any JSON-serialisable value (shown indented).
    function_name
        Saved test events belong to this function; without it the saved-events box is hidden.
    events_dir
        Where saved events live (``<dir>/<function>/<name>.json``); default
        ``$LAMBDA_MAGIC_EVENTS_DIR`` or ``./.lambda_events``.
    rows
        Height of the text area.

    Notes
    -----
    ``value`` (the text), ``valid``, ``error`` and ``event`` (the decoded event while valid)
    are traitlets: observe them to follow the editor.
    """

    value = t.Unicode("")
    valid = t.Bool(False)
    error = t.Unicode("")
    event = t.Any(None, allow_none=True)

    def __init__(
        self,
        value: Any = None,
        *,
        function_name: str | None = None,
        events_dir: str | PathLike[str] | None = None,
        rows: int = 12,
    ) -> None:
        text = value if isinstance(value, str) else dumps(DEFAULT_EVENT if value is None else value)
        self._text = w.Textarea(
            value=text, rows=rows, continuous_update=True, layout=w.Layout(width="100%")
        )
        self._text.add_class("lm-json")
        self._status = w.HTML()
        self._status.add_class("lm-json-status")
        self._templates = TemplatePicker(on_event=self.set_event)
        self._saved = SavedEventsBox(
            function_name, events_dir, get_event=self._current, on_event=self.set_event
        )
        sections = [self._templates]
        titles = ["Templates"]
        if function_name is not None:
            sections.append(self._saved)
            titles.append("Saved test events")
        self._more = w.Accordion(children=sections, titles=tuple(titles), selected_index=None)
        super().__init__(
            children=[self._text, self._status, self._more], layout=w.Layout(width="100%")
        )
        self._text.observe(self._on_text_value, names="value")
        self.value = text
        self._validate(text)

    @property
    def templates(self) -> TemplatePicker:
        """The template picker."""
        return self._templates

    @property
    def saved(self) -> SavedEventsBox:
        """The saved test events box."""
        return self._saved

    def set_event(self, event: Any) -> None:
        """Replace the text with ``event`` (a value, shown as indented JSON, or JSON text)."""
        self.value = event if isinstance(event, str) else dumps(event)

    @t.observe("value")
    def _on_self_value(self, change: dict[str, Any]) -> None:
        if self._text.value != change["new"]:
            self._text.value = change["new"]
        self._validate(change["new"])

    def _on_text_value(self, change: dict[str, Any]) -> None:
        self.value = change["new"]

    def _validate(self, text: str) -> None:
        check = validate_event(text)
        with self.hold_trait_notifications():
            self.event = check.event if check.ok else None
            self.error = check.error
            self.valid = check.ok
        self._status.value = status_html(check)

    def _current(self) -> Validation:
        return validate_event(self.value)

    def close(self) -> None:
        """Close the editor and every widget inside it (the saved-events box too)."""
        if self._saved not in self._more.children:
            self._saved.close()
        close_tree(self)
