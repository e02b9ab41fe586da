"""The Lambda console's shareable test event format (EventBridge schema registry documents).

The console keeps a function's shareable test events in the EventBridge schema registry
``lambda-testevent-schemas``, in a schema named ``_<function-name>-schema`` of type OpenApi3.
Its content is an OpenAPI 3 document: ``components.schemas`` describes the event (discovered
from the first event, as EventBridge's schema discovery does) and ``components.examples`` holds
the events, each as ``{"<event-name>": {"value": <event>}}``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["REGISTRY_NAME", "discover_schemas", "schema_name", "shareable_document"]

REGISTRY_NAME = "lambda-testevent-schemas"
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")


def schema_name(function_name: str) -> str:
    """The registry schema that holds a function's shareable events."""
    return f"_{function_name}-schema"


def _component_name(key: str, taken: dict[str, Any]) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", key) if w]
    name = "".join(w[0].upper() + w[1:] for w in words) or "Item"
    if name[0].isdigit():
        name = "Schema" + name
    candidate, suffix = name, 1
    while candidate in taken:
        candidate, suffix = f"{name}_{suffix}", suffix + 1
    return candidate


def _schema(value: Any, name: str, schemas: dict[str, Any], root: bool = False) -> dict[str, Any]:
    if isinstance(value, dict):
        component = "Event" if root else _component_name(name, schemas)
        schemas[component] = {}  # reserve the name first: parents are listed before children
        schemas[component] = {
            "type": "object",
            "required": list(value),
            "properties": {k: _schema(v, k, schemas) for k, v in value.items()},
        }
        return {"$ref": f"#/components/schemas/{component}"}
    if isinstance(value, list):
        return {"type": "array", "items": _schema(value[0], name, schemas) if value else {}}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "number", "format": "int64"}
    if isinstance(value, float):
        return {"type": "number", "format": "double"}
    if isinstance(value, str):
        return (
            {"type": "string", "format": "date-time"}
            if _DATE_TIME.match(value)
            else {"type": "string"}
        )
    return {}  # null: any type


def discover_schemas(event: Any) -> dict[str, Any]:
    """``components.schemas`` for an event, the root named ``Event`` (as the console names it)."""
    schemas: dict[str, Any] = {}
    if isinstance(event, dict):
        _schema(event, "Event", schemas, root=True)
    else:  # an event that is not a JSON object: Event is its inline schema
        schemas["Event"] = {}
        schemas["Event"] = _schema(event, "Event", schemas)
    return schemas


def shareable_document(examples: dict[str, Any]) -> dict[str, Any]:
    """The registry schema content holding ``examples`` (event name to event), in order."""
    first = next(iter(examples.values()))
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "Event"},
        "paths": {},
        "components": {
            "schemas": discover_schemas(first),
            "examples": {name: {"value": event} for name, event in examples.items()},
        },
    }
