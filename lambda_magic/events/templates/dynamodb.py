"""Amazon DynamoDB Streams events: INSERT, MODIFY and REMOVE records."""

from __future__ import annotations

import json
from typing import Any

from lambda_magic.events._encoding import partition_of
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, one_of, template

__all__ = ["marshal"]

_DOCS = {
    "items": "item(s) as plain JSON (marshalled to DynamoDB JSON); a list gives one record each",
    "new": "new item(s) as plain JSON; a list gives one record each",
    "old": "old item(s) as plain JSON, paired with 'new'",
    "key_names": "attribute names that form the primary key",
    "stream_view_type": "NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE or KEYS_ONLY",
}
_VIEWS = ("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY")


def marshal(value: Any) -> dict[str, Any]:
    """A plain JSON value as a DynamoDB attribute value (``{"S": ...}``, ``{"N": ...}``...)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": repr(value) if isinstance(value, float) else str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list):
        return {"L": [marshal(v) for v in value]}
    return {"M": {k: marshal(v) for k, v in value.items()}}


def _image(item: dict[str, Any]) -> dict[str, Any]:
    return {k: marshal(v) for k, v in item.items()}


def _record(
    g: Gen,
    index: int,
    name: str,
    new: dict[str, Any] | None,
    old: dict[str, Any] | None,
    key_names: list[str],
    view: str,
    stream_arn: str,
    region: str,
) -> dict[str, Any]:
    source = new if new is not None else old or {}
    missing = [k for k in key_names if k not in source]
    if missing:
        raise BadValue("key_names", f"name attributes missing from the item: {missing}")
    body: dict[str, Any] = {
        "ApproximateCreationDateTime": g.epoch_s(g.time(index * 1000)),
        "Keys": {k: marshal(source[k]) for k in key_names},
    }
    if new is not None and view in ("NEW_AND_OLD_IMAGES", "NEW_IMAGE"):
        body["NewImage"] = _image(new)
    if old is not None and view in ("NEW_AND_OLD_IMAGES", "OLD_IMAGE"):
        body["OldImage"] = _image(old)
    size = len(json.dumps(body["Keys"])) + len(json.dumps(body.get("NewImage", {})))
    body.update(SequenceNumber=str(int(g.digits(21)) + index), SizeBytes=size, StreamViewType=view)
    return {
        "eventID": g.hex(32),
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": body,
        "eventSourceARN": stream_arn,
    }


def _stream_arn(g: Gen, table: str, region: str, account_id: str) -> str:
    label = g.time(-86_400_000).strftime("%Y-%m-%dT%H:%M:%S.") + f"{g.rng.randrange(1000):03d}"
    return f"arn:{partition_of(region)}:dynamodb:{region}:{account_id}:table/{table}/stream/{label}"


def _batch(
    g: Gen,
    changes: list[tuple[str, Any, Any]],
    key_names: list[str],
    view: str,
    table: str,
    region: str,
    account_id: str,
) -> Event:
    one_of("stream_view_type", view, _VIEWS)
    arn = _stream_arn(g, table, region, account_id)
    return {
        "Records": [
            _record(g, i, name, new, old, key_names, view, arn, region)
            for i, (name, new, old) in enumerate(changes)
        ]
    }


def _listed(value: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [value] if isinstance(value, dict) else list(value)


_ITEM = {"Id": 101, "Message": "New item!"}
_ITEM2 = {"Id": 101, "Message": "This item has changed"}


@template("dynamodb:insert", "Amazon DynamoDB Streams INSERT records (new items)", **_DOCS)
def ddb_insert(
    g: Gen,
    *,
    items: dict[str, Any] | list[dict[str, Any]] = _ITEM,
    key_names: list[str] = ["Id"],
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    table: str = "ExampleTableWithStream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    changes = [("INSERT", item, None) for item in _listed(items)]
    return _batch(g, changes, key_names, stream_view_type, table, region, account_id)


@template("dynamodb:modify", "Amazon DynamoDB Streams MODIFY records (updated items)", **_DOCS)
def ddb_modify(
    g: Gen,
    *,
    new: dict[str, Any] | list[dict[str, Any]] = _ITEM2,
    old: dict[str, Any] | list[dict[str, Any]] = _ITEM,
    key_names: list[str] = ["Id"],
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    table: str = "ExampleTableWithStream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    news, olds = _listed(new), _listed(old)
    if len(news) != len(olds):
        raise BadValue("old", f"must have as many items as 'new' ({len(news)}), got {len(olds)}")
    changes = [("MODIFY", n, o) for n, o in zip(news, olds)]
    return _batch(g, changes, key_names, stream_view_type, table, region, account_id)


@template("dynamodb:remove", "Amazon DynamoDB Streams REMOVE records (deleted items)", **_DOCS)
def ddb_remove(
    g: Gen,
    *,
    items: dict[str, Any] | list[dict[str, Any]] = _ITEM2,
    key_names: list[str] = ["Id"],
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    table: str = "ExampleTableWithStream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    changes = [("REMOVE", None, item) for item in _listed(items)]
    return _batch(g, changes, key_names, stream_view_type, table, region, account_id)


@template(
    "dynamodb:update",
    "Amazon DynamoDB Streams batch with an INSERT, a MODIFY and a REMOVE record",
    **_DOCS,
)
def ddb_update(
    g: Gen,
    *,
    new: dict[str, Any] = _ITEM2,
    old: dict[str, Any] = _ITEM,
    key_names: list[str] = ["Id"],
    stream_view_type: str = "NEW_AND_OLD_IMAGES",
    table: str = "ExampleTableWithStream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    changes = [("INSERT", old, None), ("MODIFY", new, old), ("REMOVE", None, new)]
    return _batch(g, changes, key_names, stream_view_type, table, region, account_id)
