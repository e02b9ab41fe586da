"""Logs of Java functions: LambdaLogger records as Lambda's Java runtime writes them (text as
given, a level prefix when a level is given, JSON records in JSON format), and the telemetry
descriptor's frames when _LAMBDA_TELEMETRY_LOG_FD is set."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from lambda_magic import LambdaFunction
from lambda_magic.runtimes import javac
from lambda_magic.runtimes.java_archive import StandIn
from tests.runtimes.java.conftest import app_lines

Make = Callable[..., LambdaFunction]
TEXT = 0xA55A0003  # magic | timestamp present | text format, level UNDEFINED


def test_text_records(java_function: Make) -> None:
    result = java_function("logs.Logs::handle").invoke({})
    assert result.payload == "logged"
    lines = result.logs.splitlines()
    # The static initializer runs at Init, before START.
    assert lines.index("from the static initializer") < next(
        i for i, line in enumerate(lines) if line.startswith("START")
    )
    # Each log() call is one record (a frame on the telemetry pipe the host gives), so a
    # record without a new line stays apart from the next; System.out/err are lines of output.
    assert app_lines(result.logs)[1:] == [
        "first line", "second line", "no newline", " then more", "[INFO] at info",
        "[DEBUG] at debug", "bytes: été", "System.out line", "System.err line",
    ]  # fmt: skip


def test_the_log_level_filters_records_that_have_one(java_function: Make) -> None:
    fn = java_function("logs.Logs::handle", environment={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
    lines = app_lines(fn.invoke({}).logs)
    assert "[INFO] at info" in lines and "[DEBUG] at debug" not in lines


def test_json_records(java_function: Make) -> None:
    result = java_function("logs.Logs::handle", log_format="JSON", log_level="INFO").invoke({})
    records = [json.loads(x) for x in result.logs.splitlines() if x.startswith('{"timestamp"')]
    assert [list(r) for r in records[1:3]] == [
        ["timestamp", "message", "level", "AWSRequestId"]
    ] * 2
    assert [(r["message"], r["level"]) for r in records] == [
        ("from the static initializer\n", "UNDEFINED"), ("first line\nsecond line\n", "UNDEFINED"),
        ("no newline", "UNDEFINED"), (" then more\n", "UNDEFINED"), ("at info\n", "INFO"),
    ]  # fmt: skip
    assert "AWSRequestId" not in records[0]  # written at Init
    assert {r.get("AWSRequestId") for r in records[1:]} == {result.request_id}
    assert all(r["timestamp"].endswith("Z") and len(r["timestamp"]) == 24 for r in records)


def _frames(data: bytes) -> list[tuple[int, int, str]]:
    frames = []
    while data:
        kind, length, micros = struct.unpack(">IIQ", data[:16])
        frames.append((kind, micros, data[16 : 16 + length].decode()))
        data = data[16 + length :]
    return frames


def _run_with_telemetry(runtime: javac.JavaRuntime, classes: dict[str, bytes], task: Path,
                        handler: str) -> tuple[list[tuple[int, int, str]], str, StandIn]:  # fmt: skip
    for name, data in classes.items():
        (task / name).parent.mkdir(parents=True, exist_ok=True)
        (task / name).write_bytes(data)
    read_fd, write_fd = os.pipe()
    stand_in = StandIn([{"n": 1}])
    env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_RUNTIME_API": stand_in.address,
           "_HANDLER": handler, "_LAMBDA_TELEMETRY_LOG_FD": str(write_fd)}  # fmt: skip
    try:
        done = subprocess.run(runtime.command(256), cwd=task, env=env, pass_fds=[write_fd],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    finally:
        os.close(write_fd)
        stand_in.close()
    with os.fdopen(read_fd, "rb") as pipe:
        return _frames(pipe.read()), done.stdout, stand_in


def test_telemetry_frames(java_runtime: javac.JavaRuntime, java_classes: dict[str, bytes],
                          tmp_path: Path) -> None:  # fmt: skip
    start = int(time.time() * 1_000_000)
    frames, stdout, stand_in = _run_with_telemetry(
        java_runtime, java_classes, tmp_path, "logs.Logs::handle"
    )
    assert stand_in.posts[0][1] == b'"logged"'
    assert [(kind, text) for kind, _, text in frames] == [
        (TEXT, "from the static initializer\n"),
        (TEXT, "first line\nsecond line\n"),  # one record, however many lines
        (TEXT, "no newline"),
        (TEXT, " then more\n"),
        (0xA55A000F, "[INFO] at info\n"),  # INFO is level 3: 3 << 2 | 2 | 1
        (0xA55A000B, "[DEBUG] at debug\n"),
        (TEXT, "bytes: été\n"),
    ]
    stamps = [micros for _, micros, _ in frames]
    assert start <= stamps[0] and stamps == sorted(stamps) and stamps[-1] <= time.time() * 1_000_000
    # Standard output is not the logger's: it stays on standard output.
    assert stdout == "System.out line\n"


def test_an_error_record_is_one_frame(java_runtime: javac.JavaRuntime,
                                      java_classes: dict[str, bytes], tmp_path: Path) -> None:  # fmt: skip
    frames, _, stand_in = _run_with_telemetry(
        java_runtime, java_classes, tmp_path, "errors.Thrower::fail"
    )
    assert stand_in.posts[0][0].endswith("/error")
    [(kind, _, text)] = frames
    assert kind == TEXT
    assert text.startswith("could not read the count: java.lang.IllegalStateException\n"
                           "java.lang.IllegalStateException: could not read the count\n")  # fmt: skip
    assert "Caused by: java.lang.NumberFormatException" in text and text.endswith("\n\n")
