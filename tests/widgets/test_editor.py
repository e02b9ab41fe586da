"""The event editor: live validation, templates and saved test events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambda_magic import events
from lambda_magic.platform.runtime_api.models import MAX_SYNC_PAYLOAD_BYTES
from lambda_magic.widgets import EventEditor, validate_event
from lambda_magic.widgets.editor import DEFAULT_EVENT

from .conftest import front_end_click, front_end_edit


# -- validation ------------------------------------------------------------------------------------
def test_valid_json_reports_kind_and_size() -> None:
    check = validate_event('{"name": "Ada"}')
    assert check.ok and check.event == {"name": "Ada"}
    assert (check.kind, check.size) == ("object", 15)
    assert validate_event("[1, 2]").kind == "array"
    assert validate_event('"é"').size == 4  # UTF-8 bytes, as Lambda counts the payload


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{\n  "a": 1\n  "b": 2\n}', "Expecting ',' delimiter (line 3, column 3)", 3, 3),
        ('{"a": 1,}', "Expecting property name enclosed in double quotes (line 1, column 9)", 1, 9),
        ("{'a': 1}", "Expecting property name enclosed in double quotes (line 1, column 2)", 1, 2),
        ('{"a": [1, 2}', "Expecting ',' delimiter (line 1, column 12)", 1, 12),
        ('{"a": 1} x', "Extra data (line 1, column 10)", 1, 10),
        ('{\n "s": "NaN",\n "x": NaN}', "NaN and Infinity are not JSON (line 3, column 7)", 3, 7),
    ],
)
def test_invalid_json_names_line_and_column(
    text: str, message: str, line: int, column: int
) -> None:
    check = validate_event(text)
    assert not check.ok
    assert check.error == message
    assert (check.line, check.column) == (line, column)
    row, caret = check.excerpt.split("\n")
    assert row == text.split("\n")[line - 1]
    assert caret.index("^") == column - 1


def test_empty_and_oversized_events_are_refused() -> None:
    assert "empty" in validate_event("  \n").error
    big = json.dumps("x" * MAX_SYNC_PAYLOAD_BYTES)
    check = validate_event(big)
    assert not check.ok
    assert f"{len(big)} bytes" in check.error and "6 MB" in check.error


def test_editor_validates_each_edit_from_the_front_end(recording_comm: type) -> None:
    editor = EventEditor()
    assert json.loads(editor.value) == DEFAULT_EVENT and editor.valid
    text_area = editor._text
    front_end_edit(text_area, value='{"name": "Ada",\n "age": }')
    assert editor.value == '{"name": "Ada",\n "age": }'
    assert not editor.valid and editor.event is None
    assert editor.error == "Expecting value (line 2, column 9)"
    status = editor._status.value
    assert "line 2, column 9" in status and "^" in status
    front_end_edit(text_area, value='{"name": "Ada"}')
    assert editor.valid and editor.event == {"name": "Ada"} and editor.error == ""
    assert "Valid JSON object" in editor._status.value and "15 bytes" in editor._status.value
    # the status line reached the front end, the text area was not echoed back to it
    status_comm = next(c for c in recording_comm.all if c.comm_id == editor._status.comm.comm_id)
    assert any("15 bytes" in v for v in status_comm.updates("value"))


def test_setting_an_event_from_python_shows_indented_json() -> None:
    editor = EventEditor({"a": [1, 2]})
    assert editor._text.value == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    editor.set_event({"b": "ü"})
    assert editor._text.value == '{\n  "b": "ü"\n}' and editor.event == {"b": "ü"}
    editor.set_event("[1]")
    assert editor.event == [1]


# -- templates -------------------------------------------------------------------------------------
def test_template_fields_fill_the_editor() -> None:
    editor = EventEditor()
    picker = editor.templates
    front_end_edit(picker._picker, index=events.names().index("s3:put"))
    assert picker.template == "s3:put"
    assert list(picker._fields) == events.parameter_names("s3:put")
    assert picker._fields["bucket"].placeholder == "example-bucket"
    front_end_edit(picker._fields["bucket"], value="photos")
    front_end_edit(picker._fields["key"], value="cat 1.jpg")
    front_end_edit(picker._fields["size"], value="2048")
    front_end_click(picker._generate)
    record = editor.event["Records"][0]["s3"]
    assert record["bucket"]["name"] == "photos"
    assert record["object"]["key"] == "cat+1.jpg" and record["object"]["size"] == 2048
    assert editor.valid and picker.message == "Generated a s3:put event"
    assert editor._text.value.startswith('{\n  "Records": [')


def test_a_bad_template_parameter_is_a_message_not_an_exception() -> None:
    editor = EventEditor({"keep": True})
    picker = editor.templates
    picker.select("s3:put")
    picker.set_params(size="big")
    assert picker.generate() is False
    assert "size" in picker.message and "s3:put" in picker.message
    assert "size" in picker._notice.value
    assert editor.event == {"keep": True}  # the editor is untouched


def test_clearing_the_template_removes_its_fields() -> None:
    picker = EventEditor().templates
    picker.select("sqs:receive-message")
    assert picker._fields and not picker._generate.disabled
    picker.select(None)
    assert picker._fields == {} and picker._grid.children == () and picker._generate.disabled
    assert picker.generate() is False and picker.message == "Pick a template first"


def test_every_template_generates_with_its_defaults() -> None:
    editor = EventEditor()
    for name in events.names():
        editor.templates.select(name)
        assert editor.templates.generate(), (name, editor.templates.message)
        assert editor.valid, name


# -- saved test events -----------------------------------------------------------------------------
def test_save_pick_and_delete_saved_events(tmp_path: Path) -> None:
    editor = EventEditor({"name": "Ada"}, function_name="hello", events_dir=tmp_path)
    saved = editor.saved
    front_end_edit(saved._name, value="ada")
    front_end_click(saved._save)
    assert saved.message == "Saved ada" and saved.names == ["ada"]
    assert json.loads((tmp_path / "hello" / "ada.json").read_text()) == {"name": "Ada"}
    assert saved._picker.value == "ada" and not saved._delete.disabled
    editor.set_event({"name": "Bob"})
    assert saved.save("bob") and saved.names == ["ada", "bob"]
    front_end_edit(saved._picker, index=0)  # the user picks "ada"
    assert editor.event == {"name": "Ada"} and saved.message == "Loaded ada"
    assert saved._name.value == "ada"
    front_end_click(saved._delete)
    assert saved.message == "Deleted ada" and saved.names == ["bob"]
    assert not (tmp_path / "hello" / "ada.json").exists()
    assert saved._picker.value is None and saved._delete.disabled


def test_saved_events_on_disk_are_offered(tmp_path: Path) -> None:
    events.SavedEvents("hello", tmp_path).save("first", {"n": 1})
    editor = EventEditor(function_name="hello", events_dir=tmp_path)
    assert editor.saved.names == ["first"] and editor.saved._picker.value is None
    editor.saved.pick("first")
    assert editor.event == {"n": 1}


def test_bad_names_and_bad_events_are_not_saved(tmp_path: Path) -> None:
    editor = EventEditor({"a": 1}, function_name="hello", events_dir=tmp_path)
    saved = editor.saved
    assert saved.save("no spaces allowed") is False
    assert "invalid event name" in saved.message and saved.names == []
    assert saved.save("") is False and "invalid event name" in saved.message
    editor.value = '{"a": '
    assert saved.save("broken") is False
    assert saved.message.startswith("Fix the event before saving it: Expecting value (line 1")
    assert not (tmp_path / "hello").exists() or list((tmp_path / "hello").iterdir()) == []
    assert saved.delete() is False and saved.message == "Pick a saved event to delete"


def test_a_corrupt_saved_event_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "hello").mkdir()
    (tmp_path / "hello" / "bad.json").write_text("{nope")
    editor = EventEditor({"a": 1}, function_name="hello", events_dir=tmp_path)
    editor.saved.pick("bad")
    assert "not valid JSON" in editor.saved.message
    assert editor.event == {"a": 1}


def test_editor_without_a_function_has_no_saved_events() -> None:
    editor = EventEditor()
    assert editor.saved not in editor._more.children
    assert editor._more.titles == ("Templates",)
    editor.close()
    assert editor.comm is None and editor._text.comm is None and editor.saved.comm is None
