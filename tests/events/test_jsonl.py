"""``events.read_jsonl``: events from JSON-lines files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambda_magic import events


def test_reads_every_json_document_in_order(tmp_path: Path) -> None:
    batch = [events.generate("sqs:receive-message", body=str(i), seed=i) for i in range(3)]
    path = tmp_path / "events.jsonl"
    lines = [json.dumps(e) for e in batch]
    path.write_text(
        "\ufeff" + lines[0] + "\n\n  \n" + "\n".join(lines[1:]) + "\n" + '"text"\n' + "[1, 2]\n",
        encoding="utf-8",
    )
    assert list(events.read_jsonl(path)) == [*batch, "text", [1, 2]]
    assert next(iter(events.read_jsonl(str(path)))) == batch[0]


def test_is_lazy_until_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ok": 1}\n{"ok": 2}\n{"broken": \n{"ok": 4}\n', encoding="utf-8")
    reader = events.read_jsonl(path)
    assert next(reader) == {"ok": 1} and next(reader) == {"ok": 2}
    with pytest.raises(events.SavedEventError) as info:
        next(reader)
    assert str(info.value) == (f"{path}, line 3: not valid JSON (Expecting value at column 12)")


def test_bad_encoding_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"a": 1}\n"\xe9"\n')
    with pytest.raises(events.SavedEventError, match=r"line 2: not UTF-8 text"):
        list(events.read_jsonl(path))
    with pytest.raises(events.SavedEventError, match=r"cannot read events file .*missing"):
        list(events.read_jsonl(tmp_path / "missing.jsonl"))


def test_cli_output_appends_to_a_jsonl_file(tmp_path: Path) -> None:
    import io

    from lambda_magic.events._cli import main

    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for seed in (1, 2):
            assert (
                main(
                    ["sns:notification", "--seed", str(seed), "--indent", "0"],
                    out=out,
                    err=io.StringIO(),
                )
                == 0
            )
    assert list(events.read_jsonl(path)) == [
        events.generate("sns:notification", seed=s) for s in (1, 2)
    ]
