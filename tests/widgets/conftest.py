"""Fixtures for the panel's Python-level tests: a recording comm and real functions.

The widgets run without a browser. ``comm`` records what each widget would send to the front
end, so tests can check that updates made on background threads really leave the kernel, and
can play the front end's part (an edit, a click) through the widget's own message handler.
Functions are real :class:`~lambda_magic.LambdaFunction` objects with real environments.
"""

from __future__ import annotations

import textwrap
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import ipywidgets.comm
import pytest

from lambda_magic import LambdaFunction
from lambda_magic.widgets import LambdaPanel

HELLO = """
import time
BOOT = time.time()

def lambda_handler(event, context):
    print("got", event)
    return {"hi": event.get("name")}
"""


class RecordingComm:
    """Stands in for the kernel's comm: keeps every message a widget sends."""

    kernel = "recording"
    all: ClassVar[list[RecordingComm]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.comm_id = kwargs.get("comm_id") or uuid.uuid4().hex
        self.target_name = kwargs.get("target_name")
        self.opened_with = kwargs.get("data")
        self.messages: list[dict[str, Any]] = []
        self.closed = False
        self._lock = threading.Lock()
        RecordingComm.all.append(self)

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        with self._lock:
            self.messages.append({"data": data, "thread": threading.current_thread().name})

    def on_msg(self, callback: Callable[..., Any]) -> None:
        self.callback = callback

    def on_close(self, callback: Callable[..., Any]) -> None:
        pass

    def open(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        self.closed = True

    def updates(self, key: str) -> list[Any]:
        """The values of ``key`` sent by ``update`` messages, oldest first."""
        with self._lock:
            found = list(self.messages)
        return [
            m["data"]["state"][key]
            for m in found
            if m["data"] and m["data"].get("method") == "update" and key in m["data"]["state"]
        ]


@pytest.fixture(autouse=True)
def no_widget_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test when a widget callback raised: ipywidgets only logs such exceptions ("in
    widget method" for an observer of an edit, "in callback" for a button's on_click)."""
    yield
    signs = ("Exception in widget method", "Exception in callback")
    broken = [r.getMessage() for r in caplog.records if any(s in r.getMessage() for s in signs)]
    assert not broken, broken


@pytest.fixture(autouse=True)
def recording_comm(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[RecordingComm]]:
    """Every widget created in a test gets a :class:`RecordingComm`."""
    RecordingComm.all = []
    monkeypatch.setattr(ipywidgets.comm, "create_comm", lambda **kw: RecordingComm(**kw))
    yield RecordingComm


def front_end_edit(widget: Any, **state: Any) -> None:
    """Deliver a state update as the browser sends it (the user typed or picked something)."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def front_end_click(button: Any) -> None:
    """Deliver a click as the browser sends it."""
    button._handle_msg(
        {"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []}
    )


@pytest.fixture
def make_panel(tmp_path: Any) -> Iterator[Callable[..., LambdaPanel]]:
    """Build a real function and its panel; panels are closed and functions shut down after."""
    made: list[tuple[LambdaPanel, LambdaFunction]] = []

    def make(code: str = HELLO, name: str = "hello", **config: Any) -> LambdaPanel:
        options = {k: config.pop(k) for k in ("event", "interval") if k in config}
        fn = LambdaFunction(name, textwrap.dedent(code), **config)
        panel = LambdaPanel(fn, events_dir=tmp_path / "events", **options)
        made.append((panel, fn))
        return panel

    yield make
    for panel, fn in made:
        panel.close()
        fn.shutdown()
