"""Saved test events per function, kept as JSON files next to the notebook.

Like the Lambda console's test events, but in ``./.lambda_events/<function>/<event>.json``
(or under ``$LAMBDA_MAGIC_EVENTS_DIR``, or a ``directory=``), so they survive kernel restarts
and can be committed.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, TypeGuard

from lambda_magic.events._errors import SavedEventError, did_you_mean
from lambda_magic.events._shareable import REGISTRY_NAME, schema_name, shareable_document

__all__ = ["DEFAULT_DIRECTORY", "ENV_VAR", "SavedEvents"]

ENV_VAR = "LAMBDA_MAGIC_EVENTS_DIR"
DEFAULT_DIRECTORY = ".lambda_events"
# The Lambda console: "Maximum of 25 characters consisting of letters, numbers, dots, hyphens
# and underscores." Function names: 1 to 64 letters, numbers, hyphens and underscores.
_EVENT_NAME = re.compile(r"[A-Za-z0-9._-]{1,25}")
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _valid_event_name(name: object) -> TypeGuard[str]:
    """The console's rule, less "." and ".." (they name directories, not files)."""
    return isinstance(name, str) and bool(_EVENT_NAME.fullmatch(name)) and name not in (".", "..")


def _check_event_name(name: Any) -> str:
    if not _valid_event_name(name):
        raise SavedEventError(
            f"invalid event name {name!r}: use 1 to 25 letters, numbers, dots, hyphens and "
            "underscores (the Lambda console's rule)"
        )
    return name


def _check_function_name(name: Any) -> str:
    if not isinstance(name, str) or not _FUNCTION_NAME.fullmatch(name):
        raise SavedEventError(
            f"invalid function name {name!r}: use 1 to 64 letters, numbers, hyphens and "
            "underscores (Lambda's rule)"
        )
    return name


def _dumps(event: Any) -> str:
    try:
        return json.dumps(event, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise SavedEventError(f"event is not JSON-serialisable: {exc}") from None


class SavedEvents:
    """The saved test events of one function.

    Parameters
    ----------
    function_name
        The function's name (Lambda's naming rule applies).
    directory
        Base directory; events go to ``<directory>/<function_name>/<event>.json``. Defaults to
        ``$LAMBDA_MAGIC_EVENTS_DIR`` or else ``./.lambda_events`` (resolved now, against the
        current working directory).
    """

    registry_name = REGISTRY_NAME

    def __init__(self, function_name: str, directory: str | os.PathLike[str] | None = None):
        self.function_name = _check_function_name(function_name)
        base = directory if directory is not None else os.environ.get(ENV_VAR) or DEFAULT_DIRECTORY
        self.directory = Path(base).expanduser().resolve() / function_name

    def __repr__(self) -> str:
        return f"SavedEvents({self.function_name!r}, directory={str(self.directory.parent)!r})"

    def __contains__(self, name: object) -> bool:
        return _valid_event_name(name) and self.path(name).is_file()

    @property
    def schema_name(self) -> str:
        """Registry schema name of the function's shareable events: ``_<function>-schema``."""
        return schema_name(self.function_name)

    def path(self, name: str) -> Path:
        """The file that holds (or would hold) the event ``name``."""
        return self.directory / f"{_check_event_name(name)}.json"

    def names(self) -> list[str]:
        """The saved event names, sorted."""
        if not self.directory.is_dir():
            return []
        found = (p.name.removesuffix(".json") for p in self.directory.glob("*.json") if p.is_file())
        return sorted(name for name in found if _valid_event_name(name))

    def save(self, name: str, event: Any, overwrite: bool = True) -> Path:
        """Save ``event`` as ``name`` (atomically: a temporary file renamed into place)."""
        target = self.path(name)
        text = _dumps(event)
        if not overwrite and target.exists():
            raise SavedEventError(
                f"event {name!r} of {self.function_name} already exists (overwrite=False)"
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target

    def _missing(self, name: str) -> SavedEventError:
        saved = self.names()
        hint = did_you_mean(name, saved)
        listing = ", ".join(saved) if saved else "none"
        return SavedEventError(
            f"no saved event {name!r} for {self.function_name}{hint} (saved: {listing})"
        )

    def load(self, name: str) -> Any:
        """The saved event ``name``."""
        target = self.path(name)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self._missing(name) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SavedEventError(
                f"{target}: not valid JSON ({exc.msg}, line {exc.lineno})"
            ) from None

    def delete(self, name: str) -> None:
        """Delete the saved event ``name``."""
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            raise self._missing(name) from None

    def export_shareable(self) -> dict[str, Any]:
        """The saved events as the Lambda console's shareable document (OpenAPI 3).

        Put it in the EventBridge schema registry :attr:`registry_name` as schema
        :attr:`schema_name` of type ``OpenApi3`` to share the events in the console.
        """
        names = self.names()
        if not names:
            raise SavedEventError(f"{self.function_name} has no saved events to export")
        return shareable_document({name: self.load(name) for name in names})

    def import_shareable(self, document: dict[str, Any] | str, overwrite: bool = True) -> list[str]:
        """Save every event of a shareable document (a dict, or its JSON text); return names."""
        examples = _examples(document)
        for name in examples:
            _check_event_name(name)
        if not overwrite:
            clash = sorted(set(examples) & set(self.names()))
            if clash:
                raise SavedEventError(
                    f"events {clash} of {self.function_name} already exist (overwrite=False)"
                )
        for name, event in examples.items():
            self.save(name, event)
        return sorted(examples)


def _examples(document: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise SavedEventError(f"shareable document is not valid JSON ({exc.msg})") from None
    components = document.get("components") if isinstance(document, dict) else None
    if not isinstance(components, dict):
        raise SavedEventError("not a shareable test event document: it has no 'components'")
    examples = components.get("examples", {})
    if not isinstance(examples, dict):
        raise SavedEventError("not a shareable test event document: 'examples' is not an object")
    result: dict[str, Any] = {}
    for name, example in examples.items():
        if not isinstance(example, dict) or "value" not in example:
            raise SavedEventError(f"shareable example {name!r} has no 'value'")
        result[name] = example["value"]
    return result
