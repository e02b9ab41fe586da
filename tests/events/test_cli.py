"""``python -m lambda_magic.events`` run as a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_magic import events
from lambda_magic.events._cli import main
from lambda_magic.events._types import BOOL_WORDS

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # output must not depend on the locale
    return subprocess.run(
        [sys.executable, "-m", "lambda_magic.events", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )


def test_prints_the_event_as_json() -> None:
    done = run("s3:put", "--bucket", "photos", "--key", "cat 1.jpg", "--seed", "4")
    assert done.returncode == 0, done.stderr
    event = json.loads(done.stdout)
    assert event == events.generate("s3:put", bucket="photos", key="cat 1.jpg", seed=4)
    assert done.stdout.startswith('{\n  "Records"')


def test_sam_spelling_hyphenated_options_lists_and_flags() -> None:
    done = run(
        "sqs",
        "receive-message",
        "--body",
        "a",
        "--body=ü",
        "--fifo",
        "--queue-name",
        "q",
        "--message-attributes",
        '{"n": 1}',
        "--indent",
        "0",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1  # one line: ready for a JSON-lines file
    records = json.loads(done.stdout)["Records"]
    assert [r["body"] for r in records] == ["a", "ü"]
    assert records[0]["eventSourceARN"].endswith(":q.fifo")
    assert records[0]["messageAttributes"]["n"]["dataType"] == "Number"


def test_bool_option_takes_an_explicit_value() -> None:
    done = run("sqs:receive-message", "--fifo", "false", "--seed", "1")
    assert "MessageGroupId" not in json.loads(done.stdout)["Records"][0]["attributes"]
    short = run("sqs:receive-message", "--fifo", "n", "--seed", "1")
    assert short.returncode == 0, short.stderr
    assert short.stdout == done.stdout


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), out=out, err=err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize("word", sorted(BOOL_WORDS | {"Y", "No"}))
def test_every_bool_word_is_a_value_with_or_without_equals(word: str) -> None:
    spaced = _cli("sqs:receive-message", "--fifo", word, "--seed", "1")
    joined = _cli("sqs:receive-message", f"--fifo={word}", "--seed", "1")
    assert spaced == joined
    assert spaced[0] == 0, spaced[2]
    fifo = "MessageGroupId" in json.loads(spaced[1])["Records"][0]["attributes"]
    assert fifo == (word.lower() in {"1", "true", "yes", "on", "y", "t"})


def test_list_and_describe() -> None:
    listing = run("--list")
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-2]] == events.names()
    assert lines[-1] == f"{len(events.names())} templates; describe one with --describe NAME"
    assert run("--list", "sqs").stdout.splitlines()[0].startswith("sqs:receive-message  ")
    described = run("--describe", "s3:put")
    assert described.returncode == 0
    assert described.stdout.startswith(str(events.describe("s3:put")))
    assert run("s3:put", "--help").stdout.startswith("s3:put: ")
    assert "usage: python -m lambda_magic.events NAME" in run("--help").stdout


def test_unknown_template_exits_2_with_a_suggestion() -> None:
    done = run("s3:puut")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(
        "error: unknown event template 's3:puut' (did you mean 's3:put'?)"
    )
    assert "Traceback" not in done.stderr


def test_bad_parameters_exit_2_without_traceback() -> None:
    cases = {
        ("s3:put", "--bukket", "x"): "error: unknown parameter 'bukket' for s3:put (did you mean"
        " 'bucket'?)",
        ("s3:put", "--size", "big"): "error: parameter 'size' of s3:put must be an int, got 'big'",
        ("s3:put", "--bucket"): "error: option --bucket needs a value",
        ("s3:put", "stray"): "error: unexpected argument 'stray'",
        ("s3:put", "--seed", "x"): "error: --seed must be an int, got 'x'",
        ("--list", "nosuch"): "error: unknown service 'nosuch'",
        (): "error: missing template name",
    }
    for args, message in cases.items():
        done = run(*args)
        assert done.returncode == 2, args
        assert done.stderr.startswith(message), (args, done.stderr)
        assert "Traceback" not in done.stderr
