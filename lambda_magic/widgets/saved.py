"""Saved test events of one function, as in the Lambda console: save, pick, delete."""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import TYPE_CHECKING, Any

import ipywidgets as w  # type: ignore[import-untyped]
import traitlets as t

from lambda_magic import events
from lambda_magic.views.html import message_html
from lambda_magic.widgets.util import close_tree

if TYPE_CHECKING:
    from lambda_magic.widgets.editor import Validation


class SavedEventsBox(w.VBox):  # type: ignore[misc]
    """Pick, save and delete a function's saved test events.

    Parameters
    ----------
    function_name
        The function the events belong to (None: the box stays empty and inactive).
    directory
        Base directory of :class:`lambda_magic.events.SavedEvents`.
    get_event
        Returns the editor's current :class:`~lambda_magic.widgets.editor.Validation`.
    on_event
        Called with a picked event, to load it into the editor.

    Notes
    -----
    Picking a name loads the event at once (the console's "Test event" dropdown). Save stores
    the editor's event under the name in the text field, overwriting an event of that name.
    """

    message = t.Unicode("")

    def __init__(
        self,
        function_name: str | None,
        directory: str | PathLike[str] | None,
        get_event: Callable[[], Validation],
        on_event: Callable[[Any], None],
    ) -> None:
        self._store: events.SavedEvents | None = None
        self._quiet = False  # set while the box itself changes the dropdown
        self._get_event = get_event
        self._on_event = on_event
        self._picker = w.Dropdown(
            options=[],
            value=None,
            description="Saved event",
            style={"description_width": "80px"},
            layout=w.Layout(width="300px"),
        )
        self._name = w.Text(
            placeholder="name: letters, digits, . - _", layout=w.Layout(width="200px")
        )
        self._save = w.Button(
            description="Save",
            icon="save",
            layout=w.Layout(width="80px"),
            tooltip="Save the editor's event under this name",
        )
        self._delete = w.Button(
            description="Delete",
            icon="trash",
            disabled=True,
            layout=w.Layout(width="80px"),
            tooltip="Delete the picked saved event",
        )
        self._notice = w.HTML()
        super().__init__(
            children=[
                w.HBox([self._picker, self._delete]),
                w.HBox([self._name, self._save]),
                self._notice,
            ]
        )
        if function_name is not None:
            try:
                self._store = events.SavedEvents(function_name, directory)
            except events.SavedEventError as e:
                self._say(str(e), "error")
        self._refresh()
        self._picker.observe(self._on_picker_value, names="value")
        self._save.on_click(self._on_save_click)
        self._delete.on_click(self._on_delete_click)

    @property
    def names(self) -> list[str]:
        """The saved event names, sorted."""
        return list(self._picker.options)

    def pick(self, name: str | None) -> None:
        """Pick (and load) a saved event, as the dropdown does."""
        self._picker.value = name

    def save(self, name: str) -> bool:
        """Save the editor's event as ``name``; False (with a message) when it cannot."""
        self._name.value = name
        return self._save_current()

    def delete(self) -> bool:
        """Delete the picked event; False (with a message) when it cannot."""
        name = self._picker.value
        if self._store is None or name is None:
            self._say("Pick a saved event to delete", "error")
            return False
        try:
            self._store.delete(name)
        except (events.SavedEventError, OSError) as e:
            self._say(str(e), "error")
            return False
        self._refresh()
        self._say(f"Deleted {name}", "ok")
        return True

    def _say(self, text: str, level: str) -> None:
        self.message = text
        self._notice.value = message_html(text, level)

    def _refresh(self, select: str | None = None) -> None:
        try:
            names = self._store.names() if self._store is not None else []
        except OSError as e:
            names = []
            self._say(f"Cannot read saved events: {e}", "error")
        self._quiet = True
        try:
            self._picker.options = names
            self._picker.value = select if select in names else None
        finally:
            self._quiet = False
        self._delete.disabled = self._picker.value is None
        self._save.disabled = self._store is None

    def _save_current(self) -> bool:
        name = self._name.value.strip()
        check = self._get_event()
        if self._store is None:
            return False
        if not check.ok:
            self._say(f"Fix the event before saving it: {check.error}", "error")
            return False
        try:
            self._store.save(name, check.event)
        except (events.SavedEventError, OSError) as e:
            self._say(str(e), "error")
            return False
        self._refresh(select=name)
        self._say(f"Saved {name}", "ok")
        return True

    def _on_picker_value(self, change: dict[str, Any]) -> None:
        name = change["new"]
        self._delete.disabled = name is None
        if name is None or self._store is None or self._quiet:
            return
        try:
            event = self._store.load(name)
        except (events.SavedEventError, OSError) as e:
            self._say(str(e), "error")
            return
        self._name.value = name
        self._on_event(event)
        self._say(f"Loaded {name}", "ok")

    def _on_save_click(self, _button: w.Button) -> None:
        self._save_current()

    def _on_delete_click(self, _button: w.Button) -> None:
        self.delete()

    def close(self) -> None:
        """Close the box and its widgets."""
        close_tree(self)
