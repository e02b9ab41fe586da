"""Lifecycle controls: Invoke, Invoke ×N (with its N field), Init, Reset, Shutdown and Freeze."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w  # type: ignore[import-untyped]

from lambda_magic.widgets.batch import N_DEFAULT, N_MAX, N_MIN, clamp_n
from lambda_magic.widgets.util import close_tree

Action = Callable[[], Any]

_TIPS = {
    "Invoke": "Invoke the function with the editor's event (RequestResponse)",
    "Invoke ×N": "Invoke N times at once with the editor's event: Lambda scales out to N "
                 "environments (new ones start cold) and throttles past its concurrency limit",
    "N": f"How many invocations Invoke ×N runs at once ({N_MIN} to {N_MAX})",
    "Init": "Start an environment and run Init without invoking (as Lambda pre-warms)",
    "Reset": "Shut every environment down: the next invoke is a cold start",
    "Shutdown": "Shut every environment down and remove the function's files",
    "Freeze": "Freeze environments between invokes, as Lambda does (changing it starts a new "
              "revision: environments shut down)",
}  # fmt: skip


class LifecycleControls(w.HBox):  # type: ignore[misc]
    """The panel's buttons; the panel decides what they do and when they are enabled.

    Parameters
    ----------
    on_invoke, on_invoke_many, on_init, on_reset, on_shutdown
        Called (on the kernel's main thread) when the button is clicked.
    on_freeze
        Called with the toggle's new value when the user flips Freeze.
    freeze
        The toggle's initial value (the function's ``config.freeze``).
    on_notice
        Called as ``on_notice(text, level)`` to say something, e.g. that N was clamped.
    """

    def __init__(
        self,
        *,
        on_invoke: Action,
        on_invoke_many: Action,
        on_init: Action,
        on_reset: Action,
        on_shutdown: Action,
        on_freeze: Callable[[bool], Any],
        freeze: bool,
        on_notice: Callable[[str, str], Any] | None = None,
    ) -> None:
        self.invoke_button = self._button("Invoke", "play", "primary", on_invoke)
        self.invoke_many_button = self._button("Invoke ×N", "forward", "info", on_invoke_many)
        self.invoke_many_button.description = f"Invoke \u00d7{N_DEFAULT}"
        self.n_field = w.IntText(
            value=N_DEFAULT,
            description="N",
            tooltip=_TIPS["N"],
            style={"description_width": "14px"},
            layout=w.Layout(width="76px"),
        )
        self.n_field.add_class("lm-n")
        self._on_notice = on_notice
        self.n_field.observe(self._on_n_field_value, names="value")
        self.init_button = self._button("Init", "power-off", "", on_init)
        self.reset_button = self._button("Reset", "refresh", "warning", on_reset)
        self.shutdown_button = self._button("Shutdown", "stop", "danger", on_shutdown)
        self.freeze_toggle = w.ToggleButton(
            value=freeze,
            description="Freeze",
            icon="snowflake-o",
            tooltip=_TIPS["Freeze"],
            layout=w.Layout(width="auto", min_width="92px"),
        )
        self.freeze_toggle.add_class("lm-freeze")
        self._on_freeze = on_freeze
        self._quiet = False
        self.freeze_toggle.observe(self._on_freeze_toggle_value, names="value")
        super().__init__(
            children=[
                self.invoke_button,
                self.invoke_many_button,
                self.n_field,
                self.init_button,
                self.reset_button,
                self.shutdown_button,
                self.freeze_toggle,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )

    @staticmethod
    def _button(label: str, icon: str, style: str, action: Action) -> w.Button:
        button = w.Button(
            description=label,
            icon=icon,
            button_style=style,
            tooltip=_TIPS[label],
            layout=w.Layout(width="auto", min_width="92px"),
        )
        button.add_class("lm-invoke-many" if label == "Invoke ×N" else f"lm-{label.lower()}")
        button.on_click(lambda _b: action())
        return button

    @property
    def n(self) -> int:
        """How many invocations **Invoke ×N** runs (always within 1..100)."""
        return int(self.n_field.value)

    def set_n(self, value: int) -> int:
        """Put ``value`` in the N field (clamped to 1..100, with a notice); return what it holds."""
        if self.n_field.value == value:
            return self.n
        self.n_field.value = value
        return self.n

    def _on_n_field_value(self, change: dict[str, Any]) -> None:
        value, note = clamp_n(int(change["new"]))
        if value != change["new"]:
            self.n_field.value = value  # observed again, in range this time
            if note and self._on_notice is not None:
                self._on_notice(note, "warn")
            return
        self.invoke_many_button.description = f"Invoke \u00d7{value}"

    def set_freeze(self, value: bool) -> None:
        """Show ``value`` on the toggle without calling ``on_freeze``."""
        self._quiet = True
        try:
            self.freeze_toggle.value = value
        finally:
            self._quiet = False

    def update(self, *, busy: bool, can_invoke: bool, has_environments: bool) -> None:
        """Enable exactly the controls that can act now."""
        self.invoke_button.disabled = busy or not can_invoke
        self.invoke_many_button.disabled = busy or not can_invoke
        self.n_field.disabled = busy
        self.init_button.disabled = busy
        self.reset_button.disabled = busy or not has_environments
        self.shutdown_button.disabled = busy
        self.freeze_toggle.disabled = busy

    def _on_freeze_toggle_value(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._on_freeze(bool(change["new"]))

    def close(self) -> None:
        """Close the buttons."""
        close_tree(self)
