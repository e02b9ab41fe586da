"""Template declarations: the registry rejects malformed ones; ids look like AWS ids."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from lambda_magic import events
from lambda_magic.events import _registry
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, register


@pytest.fixture()
def scratch() -> Iterator[list[str]]:
    """Names registered by a test, removed afterwards."""
    events.names()  # load the real templates first
    added: list[str] = []
    yield added
    for name in added:
        _registry._REGISTRY.pop(name, None)


def _ok(g: Gen, *, size: int = 1, label: str = "x") -> Event:
    return {"size": size, "label": label, "id": g.uuid()}


def test_a_registered_template_is_generated_described_and_hidden(scratch: list[str]) -> None:
    register("zz-test:ok", "a test template", _ok, hide=("label",), size="how big")
    scratch.append("zz-test:ok")
    assert "zz-test:ok" in events.names() and "zz-test" in events.services()
    info = events.describe("zz-test:ok")
    assert [(p.name, p.type, p.default, p.description) for p in info.parameters] == [
        ("size", "int", 1, "how big")
    ]
    assert events.generate("zz-test:ok", size=3)["label"] == "x"
    with pytest.raises(events.EventTemplateError, match="unknown parameter 'label'"):
        events.generate("zz-test:ok", label="y")


def _no_default(g: Gen, *, size: int) -> Event:
    return {}


def _positional(g: Gen, size: int = 1) -> Event:
    return {}


def _bad_type(g: Gen, *, size: complex = 1j) -> Event:
    return {}


def _bad_default(g: Gen, *, size: int = "1") -> Event:  # type: ignore[assignment]
    return {}


def _undocumented(g: Gen, *, zork: int = 1) -> Event:
    return {}


def _reserved(g: Gen, *, seed: int = 1) -> Event:
    return {}


@pytest.mark.parametrize(
    ("name", "builder", "message"),
    [
        ("no-colon", _ok, "template name 'no-colon' must look like 'service:type'"),
        ("Upper:case", _ok, "must look like 'service:type'"),
        ("s3:put", _ok, "template 's3:put' is registered twice"),
        ("zz:a", _no_default, "parameter 'size' must be keyword-only with a default"),
        ("zz:b", _positional, "parameter 'size' must be keyword-only with a default"),
        ("zz:c", _bad_type, "parameter 'size' has unsupported type 'complex'"),
        ("zz:d", _bad_default, "parameter 'size' default '1' is not an int"),
        ("zz:e", _undocumented, "parameter 'zork' has no description"),
        ("zz:f", _reserved, "parameter 'seed' clashes with a generator option"),
    ],
)
def test_malformed_declarations_are_refused(
    scratch: list[str], name: str, builder: Any, message: str
) -> None:
    with pytest.raises(TypeError, match=re.escape(message)):
        register(name, "bad", builder)
    assert name == "s3:put" or name not in _registry._REGISTRY


def test_ids_look_like_aws_ids() -> None:
    g = Gen(5)
    value = g.uuid()
    assert uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value
    assert re.fullmatch(r"[0-9a-f]{12}", g.hex(12))
    assert re.fullmatch(r"[1-9][0-9]{55}", g.digits(56))
    assert re.fullmatch(r"(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+", g.ip())


def test_pretty_printing_for_ipython() -> None:
    class Printer:
        text_seen = ""

        def text(self, value: str) -> None:
            self.text_seen += value

    printer = Printer()
    events.describe("sqs:receive-message")._repr_pretty_(printer, False)
    assert printer.text_seen == str(events.describe("sqs:receive-message"))
