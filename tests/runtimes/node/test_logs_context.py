"""console.* records of the built-in Node.js runtime in Lambda's Text and JSON formats (one
record per call, multi-line kept together, level filtering), and its context object attribute
by attribute."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.runtimes.node.cases import CASES
from tests.runtimes.node.conftest import app_lines
from tests.runtimes.node.test_handlers import BOTH

pytestmark = pytest.mark.timeout(60)

TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


@BOTH
def test_text_records(node_function: Any, runtime: str) -> None:
    fn = node_function(CASES["logs"].files, runtime=runtime)
    first, second = fn.invoke({"n": 1}), fn.invoke({"n": 2})
    assert first.payload == {"ok": True, "n": 1}
    init_id = "undefined" if runtime == "nodejs22.x" else "-"  # no request yet at Init
    rid = re.escape(first.request_id)
    expected = [
        rf"{TIME}\t{init_id}\tINFO\tinit {{ x: 1 }}",
        rf"{TIME}\t{rid}\tINFO\thello\nworld {{ n: 1 }}",
        rf"{TIME}\t{rid}\tINFO\tinfo n=5",
        rf"{TIME}\t{rid}\tWARN\twarn",
        rf"{TIME}\t{rid}\tERROR\terror Error: logged\n    at .*",
        rf"{TIME}\t{rid}\tDEBUG\tdebug",
        rf"{TIME}\t{rid}\tTRACE\ttrace",
        rf"{TIME}\t{rid}\tFATAL\tfatal",
        rf"{TIME}\t{rid}\tINFO\tundefined",
    ]
    lines = app_lines(first)
    assert len(lines) == len(expected)
    for line, pattern in zip(lines, expected):
        assert re.fullmatch(pattern, line, re.S), line
    # a multi-line message is one record (a frame on the telemetry pipe): one log event
    second_lines = app_lines(second)
    assert len(second_lines) == len(expected) - 1  # warm: no Init
    assert all(f"\t{second.request_id}\t" in line for line in second_lines)
    event = next(e for e in first.log_events if "hello" in e.message)
    assert event.text.endswith("\thello\nworld { n: 1 }")  # shown as two lines, one event


@BOTH
def test_json_records_and_level_filtering(node_function: Any, runtime: str) -> None:
    default = node_function(CASES["logs"].files, runtime=runtime, log_format="JSON")
    levels = [json.loads(line)["level"] for line in app_lines(default.invoke({"n": 1}))]
    assert levels == ["INFO", "INFO", "INFO", "WARN", "ERROR", "FATAL", "INFO"]  # INFO and up
    everything = node_function(CASES["logs"].files, runtime=runtime, log_format="JSON",
                               log_level="TRACE")  # fmt: skip
    everything = everything.invoke({"n": 1})
    records = [json.loads(line) for line in app_lines(everything)]
    assert [r["level"] for r in records] == ["INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG",
                                             "TRACE", "FATAL", "INFO"]  # fmt: skip
    init, hello = records[0], records[1]
    assert list(hello) == ["timestamp", "level", "requestId", "message"]
    assert re.fullmatch(TIME, hello["timestamp"])
    assert (hello["requestId"], hello["message"]) == (
        everything.request_id,
        "hello\nworld { n: 1 }",
    )
    assert init["message"] == "init { x: 1 }"
    assert init.get("requestId") == (None if runtime == "nodejs22.x" else "-")
    error = records[4]
    assert error["message"].startswith("error Error: logged\n    at ")
    assert (error["errorType"], error["errorMessage"]) == ("Error", "logged")
    assert error["stackTrace"][0] == "Error: logged"
    assert "message" not in records[8]  # console.log() logs nothing as a JSON message
    warn = node_function(CASES["logs"].files, runtime=runtime, log_format="JSON", log_level="WARN")
    kept = [json.loads(line)["level"] for line in app_lines(warn.invoke({}))]
    assert kept == ["WARN", "ERROR", "FATAL"]


CONTEXT_ATTRIBUTES = """
export const handler = async (event, context) => {
  const out = {};
  for (const key of Object.keys(context)) {
    const value = context[key];
    out[key] = typeof value === "function" ? "function" : value === undefined ? "undefined" : value;
  }
  out.remaining = context.getRemainingTimeInMillis();
  out.trace = process.env._X_AMZN_TRACE_ID;
  return out;
};
"""


@BOTH
def test_context_attributes(node_function: Any, runtime: str) -> None:
    fn = node_function({"index.mjs": CONTEXT_ATTRIBUTES}, runtime=runtime, memory_size=256,
                       timeout=7)  # fmt: skip
    r = fn.invoke({}, client_context={"custom": {"k": "v"}, "env": {"a": "b"}},
                  identity={"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"})  # fmt: skip
    c = r.payload
    assert c["functionName"] == "fn"
    assert c["functionVersion"] == "$LATEST"
    assert c["invokedFunctionArn"] == f"arn:aws:lambda:us-east-1:123456789012:function:{fn.name}"
    assert c["memoryLimitInMB"] == "256"  # a string, as Lambda's
    assert c["awsRequestId"] == r.request_id
    assert c["logGroupName"] == "/aws/lambda/fn"
    assert c["logStreamName"] == r.log_stream_name
    assert c["clientContext"] == {"custom": {"k": "v"}, "env": {"a": "b"}}
    assert c["identity"] == {"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}
    assert c["tenantId"] == "undefined"
    assert c["getRemainingTimeInMillis"] == "function"
    assert 6000 < c["remaining"] <= 7000
    assert c["trace"].startswith("Root=1-")
    if runtime == "nodejs22.x":
        assert list(c)[:4] == ["callbackWaitsForEmptyEventLoop", "succeed", "fail", "done"]
        assert c["callbackWaitsForEmptyEventLoop"] is True
        assert "xRayTraceId" not in c
    else:
        assert "callbackWaitsForEmptyEventLoop" not in c and "succeed" not in c
        assert c["xRayTraceId"] == c["trace"]
    assert len(c) == (17 if runtime == "nodejs22.x" else 14)


@BOTH
def test_the_awslambda_global(node_function: Any, runtime: str) -> None:
    source = "export const handler = async () => Object.keys(globalThis.awslambda);"
    keys = node_function({"index.mjs": source}, runtime=runtime).invoke({}).payload
    extra = ["InvokeStore"] if runtime == "nodejs24.x" else []
    assert keys == ["streamifyResponse", "HttpResponseStream", *extra]
