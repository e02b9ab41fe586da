"""``events.SavedEvents``: saved test events per function, and the shareable format."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from lambda_magic import events
from lambda_magic.events import SavedEventError, SavedEvents


def test_save_list_load_delete(tmp_path: Path) -> None:
    saved = SavedEvents("my-function", directory=tmp_path)
    assert saved.names() == [] and "a" not in saved
    order = events.generate("sqs:receive-message", body="ü", seed=1)
    path = saved.save("big-order", order)
    assert path == tmp_path / "my-function" / "big-order.json"
    saved.save("v1.0_test", {"n": 1})
    assert saved.names() == ["big-order", "v1.0_test"] and "big-order" in saved
    assert saved.load("big-order") == order
    assert json.loads(path.read_text(encoding="utf-8")) == order
    saved.delete("big-order")
    assert saved.names() == ["v1.0_test"] and not path.exists()


def test_events_survive_a_new_instance(tmp_path: Path) -> None:
    SavedEvents("fn", directory=tmp_path).save("e", [1, "two", None])
    assert SavedEvents("fn", directory=tmp_path).load("e") == [1, "two", None]
    assert SavedEvents("other", directory=tmp_path).names() == []


def test_default_directory_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LAMBDA_MAGIC_EVENTS_DIR", raising=False)
    assert SavedEvents("fn").directory == tmp_path / ".lambda_events" / "fn"
    monkeypatch.setenv("LAMBDA_MAGIC_EVENTS_DIR", str(tmp_path / "env"))
    assert SavedEvents("fn").directory == tmp_path / "env" / "fn"
    assert SavedEvents("fn", directory="explicit").directory == tmp_path / "explicit" / "fn"
    saved = SavedEvents("fn")
    monkeypatch.chdir(tmp_path / "..")  # resolved when created, not when used
    saved.save("e", {})
    assert (tmp_path / "env" / "fn" / "e.json").is_file()


def test_overwrite_false_refuses_to_replace(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {"v": 1})
    with pytest.raises(SavedEventError) as info:
        saved.save("e", {"v": 2}, overwrite=False)
    assert str(info.value) == "event 'e' of fn already exists (overwrite=False)"
    saved.save("e", {"v": 3})
    assert saved.load("e") == {"v": 3}


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {"v": 1})
    renames: list[tuple[Any, Any]] = []
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        renames.append((src, dst))
        assert json.loads(Path(src).read_text(encoding="utf-8")) == {"v": 2}  # complete
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk on fire"):
        saved.save("e", {"v": 2})
    monkeypatch.setattr(os, "replace", real_replace)
    ((src, dst),) = renames
    assert Path(dst) == saved.path("e") and Path(src).parent == saved.directory
    assert saved.load("e") == {"v": 1}  # the old event is intact
    assert sorted(p.name for p in saved.directory.iterdir()) == ["e.json"]  # no temp left


def test_unserialisable_event_is_refused_before_writing(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {"v": 1})
    with pytest.raises(SavedEventError, match="event is not JSON-serialisable"):
        saved.save("e", {"v": object()})
    with pytest.raises(SavedEventError, match="event is not JSON-serialisable"):
        saved.save("e", {"v": float("nan")})
    assert saved.load("e") == {"v": 1}


@pytest.mark.parametrize("name", ["", "has space", "a/b", ".", "..", "x" * 26, "ü", "a:b", None])
def test_bad_event_names(tmp_path: Path, name: Any) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    message = (
        f"invalid event name {name!r}: use 1 to 25 letters, numbers, dots, hyphens and "
        "underscores (the Lambda console's rule)"
    )
    for call in (
        lambda: saved.save(name, {}),
        lambda: saved.load(name),
        lambda: saved.delete(name),
    ):
        with pytest.raises(SavedEventError) as info:
            call()
        assert str(info.value) == message
    assert name not in saved  # a question, not an error
    assert not (tmp_path / "fn").exists()


def test_longest_valid_event_name(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("A-b_c.9" + "x" * 18, {})
    assert saved.names() == ["A-b_c.9" + "x" * 18]


@pytest.mark.parametrize(
    "name",
    ["", "my function", "f" * 65, "a/b", "a.b", "arn:aws:lambda:us-east-1:123456789012:function:f"],
)
def test_bad_function_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(SavedEventError) as info:
        SavedEvents(name, directory=tmp_path)
    assert str(info.value) == (
        f"invalid function name {name!r}: use 1 to 64 letters, numbers, "
        "hyphens and underscores (Lambda's rule)"
    )


def test_missing_events_name_the_closest(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    with pytest.raises(SavedEventError) as info:
        saved.load("order")
    assert str(info.value) == "no saved event 'order' for fn (saved: none)"
    saved.save("orders", {})
    saved.save("refund", {})
    with pytest.raises(SavedEventError) as info:
        saved.delete("order")
    assert str(info.value) == (
        "no saved event 'order' for fn (did you mean 'orders'?) (saved: orders, refund)"
    )


def test_names_ignore_other_files(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {})
    for other in ("notes.txt", ".e.123.tmp", "bad name.json"):
        (saved.directory / other).write_text("{}")
    (saved.directory / "dir.json").mkdir()
    assert saved.names() == ["e"]


def test_names_list_only_what_load_can_read(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {})
    for file in ("..json", "...json", ".json", "a..json"):  # names ".", "..", "" and "a."
        (saved.directory / file).write_text("{}")
    assert saved.names() == ["a.", "e"]
    assert [saved.load(name) for name in saved.names()] == [{}, {}]
    assert "." not in saved and ".." not in saved and "" not in saved and "a." in saved


def test_corrupt_file_names_the_file(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", {})
    saved.path("e").write_text("{oops", encoding="utf-8")
    with pytest.raises(SavedEventError, match=r"e\.json: not valid JSON"):
        saved.load("e")


# --------------------------------------------------------------------------- shareable
NESTED = {
    "key1": "value1",
    "count": 3,
    "ratio": 0.5,
    "ok": True,
    "nothing": None,
    "when": "2024-05-01T12:00:00.000Z",
    "tags": ["a", "b"],
    "requestContext": {"http": {"method": "GET"}},
    "items": [{"id": 1}],
}


def test_export_has_the_console_shape(tmp_path: Path) -> None:
    saved = SavedEvents("my-function", directory=tmp_path)
    saved.save("zeta", {"key1": "other"})
    saved.save("alpha", NESTED)
    doc = saved.export_shareable()
    assert list(doc) == ["openapi", "info", "paths", "components"]
    assert doc["openapi"] == "3.0.0" and doc["paths"] == {}
    assert doc["info"] == {"version": "1.0.0", "title": "Event"}
    assert doc["components"]["examples"] == {
        "alpha": {"value": NESTED},
        "zeta": {"value": {"key1": "other"}},
    }
    schemas = doc["components"]["schemas"]
    assert next(iter(schemas)) == "Event"
    event = schemas["Event"]
    assert event["type"] == "object" and event["required"] == list(NESTED)
    props = event["properties"]
    assert props["key1"] == {"type": "string"}
    assert props["count"] == {"type": "number", "format": "int64"}
    assert props["ratio"] == {"type": "number", "format": "double"}
    assert props["ok"] == {"type": "boolean"} and props["nothing"] == {}
    assert props["when"] == {"type": "string", "format": "date-time"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["requestContext"] == {"$ref": "#/components/schemas/RequestContext"}
    assert schemas["RequestContext"]["properties"]["http"] == {"$ref": "#/components/schemas/Http"}
    assert schemas["Http"] == {
        "type": "object",
        "required": ["method"],
        "properties": {"method": {"type": "string"}},
    }
    assert props["items"] == {"type": "array", "items": {"$ref": "#/components/schemas/Items"}}
    assert saved.schema_name == "_my-function-schema"
    assert saved.registry_name == "lambda-testevent-schemas"


def test_export_import_round_trip_into_another_directory(tmp_path: Path) -> None:
    source = SavedEvents("fn", directory=tmp_path / "a")
    for name in ("s3-put", "api.v2", "list_event"):
        source.save(
            name,
            events.generate(
                name.replace("-", ":", 1) if name == "s3-put" else "apigateway:http-api-proxy",
                seed=len(name),
            ),
        )
    source.save("list_event", ["not", "an", "object"])
    doc = source.export_shareable()
    target = SavedEvents("fn", directory=tmp_path / "b")
    assert target.import_shareable(json.loads(json.dumps(doc))) == source.names()
    assert target.names() == source.names()
    for name in source.names():
        assert target.load(name) == source.load(name)
        assert target.path(name).read_bytes() == source.path(name).read_bytes()
    again = SavedEvents("fn", directory=tmp_path / "c")
    assert again.import_shareable(json.dumps(doc)) == source.names()  # the registry's text


def test_console_document_imports(tmp_path: Path) -> None:
    console = {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "Event"},
        "paths": {},
        "components": {
            "schemas": {"Event": {"type": "object"}},
            "examples": {
                "hello-world": {"value": {"key1": "value1"}},
                "test": {"value": {"key1": "value2"}},
            },
        },
    }
    saved = SavedEvents("fn", directory=tmp_path)
    assert saved.import_shareable(console) == ["hello-world", "test"]
    assert saved.load("test") == {"key1": "value2"}


def test_non_object_event_schema(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("e", [{"a": 1}])
    schemas = saved.export_shareable()["components"]["schemas"]
    assert schemas["Event"] == {"type": "array", "items": {"$ref": "#/components/schemas/Event_1"}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"openapi": "3.0.0"}, "not a shareable test event document: it has no 'components'"),
        ([], "not a shareable test event document: it has no 'components'"),
        ("{nope", "shareable document is not valid JSON"),
        (
            {"components": {"examples": []}},
            "not a shareable test event document: 'examples' is not an object",
        ),
        ({"components": {"examples": {"e": {"val": 1}}}}, "shareable example 'e' has no 'value'"),
        (
            {"components": {"examples": {"ok": {"value": 1}, "bad name": {"value": 2}}}},
            "invalid event name 'bad name'",
        ),
    ],
)
def test_bad_documents_import_nothing(tmp_path: Path, document: Any, message: str) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    with pytest.raises(SavedEventError) as info:
        saved.import_shareable(document)
    assert str(info.value).startswith(message)
    assert saved.names() == []


def test_import_without_overwrite(tmp_path: Path) -> None:
    saved = SavedEvents("fn", directory=tmp_path)
    saved.save("a", {"old": True})
    document = {"components": {"examples": {"a": {"value": {}}, "b": {"value": {}}}}}
    with pytest.raises(SavedEventError) as info:
        saved.import_shareable(document, overwrite=False)
    assert str(info.value) == "events ['a'] of fn already exist (overwrite=False)"
    assert saved.names() == ["a"] and saved.load("a") == {"old": True}
    assert saved.import_shareable(document) == ["a", "b"]
    assert saved.load("a") == {}


def test_export_without_events(tmp_path: Path) -> None:
    with pytest.raises(SavedEventError, match="fn has no saved events to export"):
        SavedEvents("fn", directory=tmp_path).export_shareable()
