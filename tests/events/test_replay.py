"""Replaying a JSON-lines file of events into a real function."""

from __future__ import annotations

import json

from lambda_magic import events


def test_replay_invokes_once_per_line_in_order(make_function, tmp_path) -> None:
    fn = make_function(
        "def lambda_handler(event, context):\n    return event['Records'][0]['s3']['object']['key']\n"
    )
    path = tmp_path / "captured.jsonl"
    keys = ["a.png", "b b.png", "c.png"]
    path.write_text(
        "".join(json.dumps(events.generate("s3:put", key=k, seed=1)) + "\n" for k in keys) + "\n"
    )
    results = events.replay(fn, path)
    assert [r.payload for r in results] == ["a.png", "b+b.png", "c.png"]
    assert [r.cold_start for r in results] == [True, False, False]
    assert len(fn.history) == 3
