"""Functions that call functions: a handler's own boto3 (no endpoint, no credentials given)
reaches the notebook's other functions through AWS_ENDPOINT_URL_LAMBDA, synchronously and as an
Event; the callee's result and the server's call log name the invocation that called."""

from __future__ import annotations

import json
import time

from lambda_magic.views.results import result_text

CALLER = """
import json, os
import boto3
client = boto3.client("lambda")  # Init: no endpoint, region or credentials given
def lambda_handler(event, context):
    answer = client.invoke(FunctionName="callee", InvocationType=event["type"],
                           Payload=json.dumps({"from": context.aws_request_id}))
    body = answer["Payload"].read()
    return {"status": answer["StatusCode"], "body": json.loads(body) if body else None,
            "endpoint": os.environ["AWS_ENDPOINT_URL_LAMBDA"]}
"""
CALLEE = """
import os
def lambda_handler(event, context):
    print("called from", event["from"])
    return {"callee": context.aws_request_id, "trace": os.environ.get("_X_AMZN_TRACE_ID")}
"""


def test_a_function_invokes_another_synchronously(server, function) -> None:
    caller = function("caller", CALLER, memory_size=256, timeout=20)
    callee = function("callee", CALLEE)
    result = caller.invoke({"type": "RequestResponse"})
    assert result.ok, result.payload
    assert result.payload["status"] == 200 and result.payload["endpoint"] == server.url
    inner = callee.last_result
    assert result.payload["body"]["callee"] == inner.request_id
    assert inner.caller == ("caller", result.request_id)  # the chain
    root = inner.payload["trace"].split(";")[0]
    assert root.startswith("Root=1-")
    lines = [c.line() for c in server.calls.recent() if c.request_id == inner.request_id]
    assert lines and f"Invoke callee (RequestId: {inner.request_id}" in lines[0]
    assert f"<- caller (RequestId: {result.request_id})" in lines[0]
    shown = f"invoked by caller (RequestId: {result.request_id})"
    assert f"RequestId {inner.request_id} {shown}" in repr(callee.timeline())  # the timeline
    assert shown in callee.timeline()._repr_svg_()  # the hover text of its Invoke span
    assert f"Invoked by caller (RequestId: {result.request_id})" in result_text(inner)


def test_a_function_invokes_another_as_an_event(server, function) -> None:
    caller = function("caller", CALLER, memory_size=256, timeout=20)
    callee = function("callee", CALLEE)
    result = caller.invoke({"type": "Event"})
    assert result.ok and result.payload["status"] == 202 and result.payload["body"] is None
    deadline = time.monotonic() + 20
    while not callee.history and time.monotonic() < deadline:
        time.sleep(0.05)
    (inner,) = callee.history
    assert inner.caller == ("caller", result.request_id)
    assert json.loads(json.dumps(inner.payload))["callee"] == inner.request_id
    assert f"called from {result.request_id}" in inner.logs
