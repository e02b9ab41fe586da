"""Logs exactly like CloudWatch's: platform lines, application records, Text and JSON formats."""

from __future__ import annotations

import json
import math
import re
import time

import pytest

from tests.helpers import lines_starting, report_fields

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

LOGGING = """
import logging
logger = logging.getLogger()
logging.warning("during init")
def lambda_handler(event, context):
    print("printed")
    logger.info("info is dropped at the default level")
    logger.warning("careful %s", event.get("who"))
    logging.getLogger("app.sub").error("sub logger")
    return "done"
"""


def test_cold_start_log_sequence_and_report_fields(make_function) -> None:
    fn = make_function(LOGGING, memory_size=256)
    r = fn.invoke({"who": "Ada"})
    messages = [e.message for e in r.log_events]
    assert re.fullmatch(
        r"INIT_START Runtime Version: python:\d+\.\d+\.v\d+\tRuntime Version ARN: "
        r"arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}",
        messages[0],
    )
    assert re.fullmatch(
        r"\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t\tduring init", messages[1]
    )
    assert messages[2] == f"START RequestId: {r.request_id} Version: $LATEST"
    assert messages[3] == "printed"
    assert re.fullmatch(rf"\[WARNING\]\t\S+Z\t{r.request_id}\tcareful Ada", messages[4])
    assert re.fullmatch(rf"\[ERROR\]\t\S+Z\t{r.request_id}\tsub logger", messages[5])
    assert messages[6] == f"END RequestId: {r.request_id}"
    assert "info is dropped" not in r.logs
    fields = report_fields(messages[7])
    assert list(fields) == [
        "RequestId",
        "Duration",
        "Billed Duration",
        "Memory Size",
        "Max Memory Used",
        "Init Duration",
    ]
    assert fields["RequestId"] == r.request_id
    assert re.fullmatch(r"\d+\.\d\d ms", fields["Duration"])
    assert fields["Memory Size"] == "256 MB"
    assert (
        re.fullmatch(r"\d+ MB", fields["Max Memory Used"])
        and 5 < int(fields["Max Memory Used"][:-3]) < 256
    )
    duration, init = float(fields["Duration"][:-3]), float(fields["Init Duration"][:-3])
    assert (
        fields["Billed Duration"]
        == f"{math.ceil(r.report.duration_ms + r.report.init_duration_ms)} ms"
    )
    assert (
        abs(duration - r.report.duration_ms) < 0.01 and abs(init - r.report.init_duration_ms) < 0.01
    )
    assert len(messages) == 8


def test_warm_report_has_no_init_duration(make_function) -> None:
    fn = make_function(LOGGING)
    fn.invoke()
    warm = fn.invoke()
    fields = report_fields(lines_starting(warm, "REPORT")[0])
    assert list(fields) == [
        "RequestId",
        "Duration",
        "Billed Duration",
        "Memory Size",
        "Max Memory Used",
    ]
    assert fields["Billed Duration"] == f"{math.ceil(warm.report.duration_ms)} ms"
    assert not lines_starting(warm, "INIT_START")


def test_max_memory_used_is_the_real_peak(make_function) -> None:
    fn = make_function(
        """
        def lambda_handler(event, context):
            block = bytearray(event["mb"] * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            return len(block)
    """,
        memory_size=512,
    )
    small = fn.invoke({"mb": 1}).report.max_memory_used_mb
    big = fn.invoke({"mb": 200}).report.max_memory_used_mb
    after = fn.invoke({"mb": 1}).report.max_memory_used_mb
    assert big >= small + 190
    assert after < big - 150  # each invocation's own peak, not the lifetime peak


def test_log_level_and_json_format(make_function) -> None:
    fn = make_function(LOGGING, name="jsonfn", log_format="JSON", log_level="INFO")
    r = fn.invoke({"who": "Grace"})
    records = []
    for e in r.log_events:
        try:
            records.append(json.loads(e.message))
        except ValueError:
            records.append(e.message)
    init_start = records[0]
    assert init_start["type"] == "platform.initStart"
    assert init_start["record"]["initializationType"] == "on-demand"
    assert init_start["record"]["functionName"] == "jsonfn"
    assert init_start["record"]["instanceMaxMemory"] == 128 * 1024 * 1024
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", init_start["time"])
    start = next(x for x in records if isinstance(x, dict) and x.get("type") == "platform.start")
    assert start["record"] == {
        "requestId": r.request_id,
        "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:jsonfn",
        "version": "$LATEST",
    }
    app = [x for x in records if isinstance(x, dict) and "level" in x]
    assert [(a["level"], a["message"]) for a in app] == [
        ("WARNING", "during init"),
        ("INFO", "info is dropped at the default level"),
        ("WARNING", "careful Grace"),
        ("ERROR", "sub logger"),
    ]
    assert app[2]["requestId"] == r.request_id and app[2]["logger"] == "root"
    assert app[3]["logger"] == "app.sub"
    # milliseconds, as AWS's documentation shows them ("2023-10-27T19:17:45.586Z")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", app[2]["timestamp"])
    platform = [e.message for e in r.log_events if e.message.startswith('{"time"')]
    assert len(platform) == 3 and all(", " not in m and '": ' not in m for m in platform)
    assert "printed" in records  # print output stays text
    report = records[-1]
    assert report["type"] == "platform.report" and report["record"]["status"] == "success"
    metrics = report["record"]["metrics"]
    assert set(metrics) == {
        "durationMs",
        "billedDurationMs",
        "memorySizeMB",
        "maxMemoryUsedMB",
        "initDurationMs",
    }
    assert metrics["billedDurationMs"] == math.ceil(
        metrics["durationMs"] + metrics["initDurationMs"]
    )
    assert not any(isinstance(x, str) and x.startswith("END") for x in records)


def test_json_error_record(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    raise KeyError('k')\n", log_format="JSON")
    r = fn.invoke()
    error = json.loads(next(e.message for e in r.log_events if '"errorType"' in e.message))
    assert list(error)[:2] == ["timestamp", "level"] and error["level"] == "ERROR"
    assert (error["errorType"], error["errorMessage"], error["requestId"]) == (
        "KeyError",
        "'k'",
        r.request_id,
    )
    report = json.loads(r.log_events[-1].message)
    assert report["record"]["status"] == "error"


def test_output_streams_while_the_handler_runs(make_function) -> None:
    fn = make_function("""
        import time
        def lambda_handler(event, context):
            for i in range(3):
                print("tick", i, flush=True)
                time.sleep(0.3)
            return "ok"
    """)
    seen: list[tuple[float, str]] = []
    started = time.monotonic()
    r = fn.invoke(on_log=lambda event: seen.append((time.monotonic() - started, event.message)))
    ticks = [(t, m) for t, m in seen if m.startswith("tick")]
    assert [m for _, m in ticks] == ["tick 0", "tick 1", "tick 2"]
    assert (
        ticks[1][0] - ticks[0][0] > 0.2 and ticks[2][0] - ticks[1][0] > 0.2
    )  # as printed, not at the end
    assert [m for _, m in seen] == [e.message for e in r.log_events]


def test_the_function_keeps_its_log_history(make_function) -> None:
    fn = make_function(LOGGING)
    first, second = fn.invoke(), fn.invoke()
    events = fn.logs.events()
    assert {e.stream for e in events} == {first.log_stream_name}
    text = fn.logs.format()
    assert (
        f"START RequestId: {first.request_id}" in text
        and f"END RequestId: {second.request_id}" in text
    )
    tail = fn.logs.format(tail=2).splitlines()
    assert len(tail) == 2 and tail[-1].split(" ", 2)[1] == first.log_stream_name
    assert tail[-1].split(" ", 2)[2].startswith(f"REPORT RequestId: {second.request_id}")


@pytest.mark.parametrize("level", ["DEBUG", "ERROR"])
def test_application_log_level_filters_records(make_function, level) -> None:
    fn = make_function(
        """
        import logging
        def lambda_handler(e, c):
            logging.debug("d"); logging.error("e")
    """,
        log_format="JSON",
        log_level=level,
    )
    levels = [
        json.loads(e.message)["level"] for e in fn.invoke().log_events if '"level"' in e.message
    ]
    assert levels == (["DEBUG", "ERROR"] if level == "DEBUG" else ["ERROR"])


def test_json_logs_default_to_the_info_level(make_function) -> None:
    fn = make_function(LOGGING, log_format="JSON")  # no log_level: Lambda's default is INFO
    levels = [json.loads(e.message).get("level") for e in fn.invoke({}).log_events
              if e.message.startswith('{"timestamp"')]  # fmt: skip
    assert levels == ["WARNING", "INFO", "WARNING", "ERROR"]
    debug = make_function(LOGGING.replace("logger.info", "logger.debug"), name="dbg",
                          log_format="JSON", log_level="DEBUG")  # fmt: skip
    assert "DEBUG" in [json.loads(e.message).get("level") for e in debug.invoke({}).log_events
                       if e.message.startswith('{"timestamp"')]  # fmt: skip


def test_a_record_of_several_lines_is_one_event_and_print_output_is_one_per_line(
    make_function,
) -> None:
    fn = make_function("""
        import logging, sys
        def lambda_handler(event, context):
            print("first")
            logging.warning("a\\nb")
            print("c\\nd")
            print("no new line", end="")
            sys.stderr.write("to stderr\\n")
            return "done"
    """)  # fmt: skip
    r = fn.invoke({})
    messages = [e.message for e in r.log_events]
    start = messages.index(f"START RequestId: {r.request_id} Version: $LATEST")
    body = messages[start + 1 : messages.index(f"END RequestId: {r.request_id}")]
    assert body[0] == "first"
    assert re.fullmatch(rf"\[WARNING\]\t\S+\t{r.request_id}\ta\nb", body[1])  # one event
    # in the order they were written; a partial line goes out when the invocation ends
    assert body[2:] == ["c", "d", "to stderr", "no new line"]
    text = fn.logs.format()
    assert f"{r.request_id}\ta\n    b" in text  # %lambda_logs indents a record's own lines


def _between_start_and_end(r) -> list[str]:
    messages = [e.message for e in r.log_events]
    start = messages.index(f"START RequestId: {r.request_id} Version: $LATEST")
    end = messages.index(f"END RequestId: {r.request_id}")
    assert start < end and messages[end + 1].startswith(f"REPORT RequestId: {r.request_id}")
    return messages[start + 1 : end]


def test_the_lines_logged_when_the_runtime_dies_in_an_invoke(make_function) -> None:
    fn = make_function("""
        import os
        def lambda_handler(event, context):
            if event.get("exit"):
                os._exit(3)
            block = bytearray(300 * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
    """)  # fmt: skip
    exited = fn.invoke({"exit": True})
    detail = f"RequestId: {exited.request_id} Error: Runtime exited with error: exit status 3"
    assert _between_start_and_end(exited) == [f"{detail}\nRuntime.ExitError"]
    assert exited.payload == {"errorMessage": detail, "errorType": "Runtime.ExitError"}
    oom = fn.invoke({})
    killed = f"RequestId: {oom.request_id} Error: Runtime exited with error: signal: killed"
    assert _between_start_and_end(oom) == [f"{killed}\nRuntime.OutOfMemory"]


def test_the_lines_logged_when_the_runtime_exits_during_init(make_function) -> None:
    fn = make_function("import sys\nsys.exit(2)\ndef lambda_handler(e, c):\n    return 1\n")
    r = fn.invoke({})
    messages = [e.message for e in r.log_events]
    reports = [m for m in messages if m.startswith("INIT_REPORT")]
    assert [m.split("\t")[1:] for m in reports] == [
        ["Phase: init", "Status: error", "Error Type: Runtime.ExitError"],
        ["Phase: invoke", "Status: error", "Error Type: Runtime.ExitError"],
    ]
    detail = f"RequestId: {r.request_id} Error: Runtime exited without providing a reason"
    assert _between_start_and_end(r) == [f"{detail}\nRuntime.ExitError"]
    assert messages.index(reports[1]) < messages.index(
        f"START RequestId: {r.request_id} Version: $LATEST"
    )
    assert r.payload == {"errorMessage": detail, "errorType": "Runtime.ExitError"}
    assert "Unknown application error occurred" not in r.logs


def test_an_init_past_the_limit_whose_retry_times_out_too(make_function, monkeypatch) -> None:
    from lambda_magic.engine import init

    monkeypatch.setattr(init, "INIT_LIMIT_S", 1.0)  # Lambda's is 10 s
    fn = make_function("import time\ntime.sleep(3)\ndef lambda_handler(e, c):\n    return 1\n",
                       timeout=1)  # fmt: skip
    r = fn.invoke({})
    assert r.error_type == "Sandbox.Timedout"
    reports = [
        e.message.split("\t")[1:] for e in r.log_events if e.message.startswith("INIT_REPORT")
    ]
    assert reports == [["Phase: init", "Status: timeout"], ["Phase: invoke", "Status: timeout"]]
    body = _between_start_and_end(r)
    assert len(body) == 1 and body[0].endswith(f"{r.request_id} Task timed out after 1.00 seconds")
    assert report_fields(lines_starting(r, "REPORT")[0])["Status"] == "timeout"


@pytest.mark.timeout(180)
def test_what_the_caller_keeps_is_bounded_in_bytes(make_function) -> None:
    fn = make_function("""
        LINE = "x" * 1023
        def lambda_handler(event, context):
            for _ in range(1024):  # 1 MB of output
                print(LINE)
    """)  # fmt: skip
    results = fn.invoke_many([{}] * 200, concurrency=4)
    assert all(r.ok for r in results)
    kept = sum(e.nbytes for r in results for e in r.log_events)
    assert kept <= 32 * 1024 * 1024  # the batch's results share one budget...
    assert "log events were dropped to keep the batch's logs within 32 MiB" in results[0].notes[-1]
    assert results[-1].log_events  # ...and the newest keep theirs
    logs, history = fn.logs, fn.history
    assert logs.nbytes <= logs.limit_bytes == 32 * 1024 * 1024
    assert history.nbytes <= history.limit_bytes == 32 * 1024 * 1024
    assert len(history) < 200 and history[-1] is fn.last_result  # the newest are kept
    newest = fn.last_result
    assert sum(e.nbytes for e in newest.log_events) <= 1024 * 1024
    assert newest.log_events[-1].message.startswith("REPORT RequestId: ")  # the end is kept
    assert "older log events" in newest.notes[0] and "of this invocation" in newest.notes[0]
    dropped, nbytes = logs.dropped
    assert dropped > 100_000 and nbytes > 100 * 1024 * 1024
    assert logs.format().startswith(f"[logs dropped] {dropped:,} older log events")
