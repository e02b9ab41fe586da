"""docs/events.md lists every template: fails when the table is out of date."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_magic import events
from lambda_magic.events._doc import BEGIN, END, template_table, update

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "events.md"


@pytest.mark.parametrize("doc", [DOC, ROOT / "README.md"], ids=["docs/events.md", "README.md"])
def test_template_table_is_up_to_date(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert update(text) == text, f"run: python -m lambda_magic.events._doc {doc.relative_to(ROOT)}"


def test_table_has_one_row_per_template() -> None:
    rows = [line for line in template_table().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == events.names()
    s3 = next(row for row in rows if row.startswith("| `s3:put`"))
    assert events.describe("s3:put").description in s3 and "`bucket`" in s3


def test_update_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        update("# no table here\n")
    assert update(f"a\n{BEGIN}\nold\n{END}\nb\n") == f"a\n{BEGIN}\n{template_table()}{END}\nb\n"


def test_the_header_names_every_parameter_the_table_leaves_out() -> None:
    header, *lines = template_table().splitlines()
    rows = {row.split("`")[1]: row for row in lines if row.startswith("| `")}
    left_out = {
        p.name
        for name in events.names()
        for p in events.describe(name).parameters
        if f"`{p.name}`" not in rows[name].split(" | ")[2]
    }
    assert left_out == {"region", "account_id", "source_ip"}
    assert all(f"`{p}`" in header for p in left_out)
