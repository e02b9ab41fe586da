"""The template picker: a service event template, its parameters as fields, and Generate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w  # type: ignore[import-untyped]
import traitlets as t

from lambda_magic import events
from lambda_magic.views.html import esc, message_html
from lambda_magic.widgets.util import close_tree

_FIELD_STYLE = {"description_width": "120px"}


def _placeholder(default: Any) -> str:
    text = repr(default) if not isinstance(default, str) else default
    if default == "" or default is None:
        return "(empty)" if default == "" else "(none)"
    return text if len(text) <= 40 else text[:39] + "…"


class TemplatePicker(w.VBox):  # type: ignore[misc]
    """Pick one of the events library's templates, fill its parameters, generate an event.

    Parameters
    ----------
    on_event
        Called with the generated event (a dict) when Generate succeeds.

    Notes
    -----
    Empty fields keep the template's default. Values are typed as on the command line of
    ``python -m lambda_magic.events``: numbers and booleans are parsed, lists and objects are
    JSON (objects also ``KEY=VALUE,...``). A bad value shows a one-line message.
    """

    template = t.Unicode(None, allow_none=True)
    message = t.Unicode("")

    def __init__(self, on_event: Callable[[Any], None]) -> None:
        self._on_event = on_event
        self._picker = w.Dropdown(
            options=events.names(),
            value=None,
            description="Template",
            style={"description_width": "70px"},
            layout=w.Layout(width="340px"),
        )
        self._generate = w.Button(
            description="Generate",
            disabled=True,
            icon="magic",
            tooltip="Fill the editor with an event from this template",
            layout=w.Layout(width="110px"),
        )
        self._generate.add_class("lm-generate")
        self._about = w.HTML()
        self._fields: dict[str, w.Text] = {}
        self._grid = w.GridBox(
            layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%")
        )
        self._notice = w.HTML()
        super().__init__(
            children=[w.HBox([self._picker, self._generate]), self._about, self._grid, self._notice]
        )
        self._picker.observe(self._on_picker_value, names="value")
        self._generate.on_click(self._on_generate_click)

    def select(self, name: str | None) -> None:
        """Show template ``name`` and its parameter fields (None clears the choice)."""
        self._picker.value = name

    def set_params(self, **values: str) -> None:
        """Type ``values`` into the parameter fields (strings, as a user would)."""
        for name, value in values.items():
            if name not in self._fields:
                raise KeyError(f"{self.template} has no parameter {name!r}")
            self._fields[name].value = value

    def generate(self) -> bool:
        """Generate an event from the chosen template and fields; False (with a message) if not."""
        name = self.template
        if name is None:
            self._say("Pick a template first", "error")
            return False
        raw = {key: box.value for key, box in self._fields.items() if box.value.strip()}
        try:
            event = events.generate(name, **events.coerce_params(name, raw))
        except events.EventTemplateError as e:
            self._say(str(e), "error")
            return False
        except Exception as e:  # noqa: BLE001 - a template's bug must not reach the user as a traceback
            self._say(f"{name} could not be generated: {type(e).__name__}: {e}", "error")
            return False
        self._on_event(event)
        self._say(f"Generated a {name} event", "ok")
        return True

    def _say(self, text: str, level: str) -> None:
        self.message = text
        self._notice.value = message_html(text, level)

    def _on_picker_value(self, change: dict[str, Any]) -> None:
        name = change["new"]
        self.template = name
        for box in self._fields.values():
            box.close()
        self._fields = {}
        self._say("", "info")
        self._generate.disabled = name is None
        if name is None:
            self._about.value, self._grid.children = "", ()
            return
        info = events.describe(name)
        for p in info.parameters:
            self._fields[p.name] = w.Text(
                description=p.name,
                placeholder=_placeholder(p.default),
                tooltip=f"{p.type}: {p.description}",
                style=_FIELD_STYLE,
                layout=w.Layout(width="auto"),
            )
        self._grid.children = tuple(self._fields.values())
        count = len(info.parameters)
        hint = " Empty fields keep their defaults." if count else " (no parameters)"
        self._about.value = (
            f'<span style="font-size:12px">{esc(info.description)}.{esc(hint)}</span>'
        )

    def _on_generate_click(self, _button: w.Button) -> None:
        self.generate()

    def close(self) -> None:
        """Close the picker and its fields."""
        close_tree(self)
