"""Invoke through boto3, as Lambda answers it: the invocation types, the headers, the Tail
log, the client context, function errors, and every error that prevents an invocation."""

from __future__ import annotations

import base64
import json
import time

import pytest

ECHO = """
import json
def lambda_handler(event, context):
    print("event", json.dumps(event))
    cc = context.client_context
    return {"event": event, "custom": cc.custom if cc else None,
            "version": context.function_version, "arn": context.invoked_function_arn}
"""


def test_request_response_answers_the_payload_and_lambdas_headers(lam, function) -> None:
    function("echo", ECHO)
    answer = lam.invoke(FunctionName="echo", Payload=b'{"name": "Ada"}')
    assert answer["StatusCode"] == 200
    assert answer["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in answer and "LogResult" not in answer
    body = json.loads(answer["Payload"].read())
    assert body["event"] == {"name": "Ada"} and body["version"] == "$LATEST"
    assert body["arn"] == "arn:aws:lambda:us-east-1:123456789012:function:echo"
    headers = answer["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "application/json"
    empty = lam.invoke(FunctionName="echo")  # no payload: the event is {}
    assert json.loads(empty["Payload"].read())["event"] == {}


def test_tail_is_the_last_4_kb_of_that_invocations_log(lam, function) -> None:
    fn = function(
        "chatty",
        """
        def lambda_handler(event, context):
            for i in range(event["lines"]):
                print(f"line {i:04d} " + "x" * 90)
            return "done"
    """,
    )
    short = lam.invoke(FunctionName="chatty", Payload=b'{"lines": 2}', LogType="Tail")
    log = base64.b64decode(short["LogResult"]).decode()
    rid = short["ResponseMetadata"]["RequestId"]
    assert log.splitlines()[0].startswith("INIT_START Runtime Version: python:")
    assert f"START RequestId: {rid} Version: $LATEST" in log
    assert "line 0001 " in log and log.splitlines()[-1].startswith(f"REPORT RequestId: {rid}")
    long = lam.invoke(FunctionName="chatty", Payload=b'{"lines": 100}', LogType="Tail")
    tail = base64.b64decode(long["LogResult"])
    assert len(tail) == 4096
    assert b"INIT_START" not in tail and b"line 0099" in tail and b"line 0001" not in tail
    assert tail.decode().splitlines()[-1].startswith("REPORT RequestId: ")
    assert fn.last_result.request_id == long["ResponseMetadata"]["RequestId"]


def test_client_context_reaches_the_handler(lam, function) -> None:
    function("echo", ECHO)
    context = {"custom": {"tenant": "t-1"}, "env": {"locale": "en"}, "client": {}}
    encoded = base64.b64encode(json.dumps(context).encode()).decode()
    answer = lam.invoke(FunctionName="echo", ClientContext=encoded)
    assert json.loads(answer["Payload"].read())["custom"] == {"tenant": "t-1"}


def test_a_function_error_is_unhandled_with_the_error_json(lam, function) -> None:
    function(
        "fails",
        """
        def lambda_handler(event, context):
            raise KeyError("missing")
    """,
    )
    answer = lam.invoke(FunctionName="fails", LogType="Tail")
    assert answer["StatusCode"] == 200 and answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert list(error) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert error["errorType"] == "KeyError" and error["errorMessage"] == "'missing'"
    assert "[ERROR] KeyError" in base64.b64decode(answer["LogResult"]).decode()
    timeout = lam.invoke(FunctionName="fails", Payload=b"{}")  # still served
    assert timeout["FunctionError"] == "Unhandled"


def test_event_is_queued_with_retries_and_a_lambda_destination(lam, function) -> None:
    flaky = function(
        "flaky",
        """
        def lambda_handler(event, context):
            raise RuntimeError("always")
    """,
    )
    sink = function(
        "sink",
        """
        def lambda_handler(event, context):
            return event["requestContext"]["condition"]
    """,
    )
    lam.put_function_event_invoke_config(
        FunctionName="flaky", MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": sink.config.function_arn}},
    )  # fmt: skip
    answer = lam.invoke(FunctionName="flaky", InvocationType="Event", Payload=b'{"n": 1}')
    assert answer["StatusCode"] == 202 and answer["Payload"].read() == b""
    request_id = answer["ResponseMetadata"]["RequestId"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not sink.history:
        time.sleep(0.05)
    assert [r.request_id for r in flaky.history] == [request_id, request_id]  # 1 retry
    assert sink.history[0].payload == "RetriesExhausted"
    dry = lam.invoke(FunctionName="flaky", InvocationType="DryRun")
    assert dry["StatusCode"] == 204 and len(flaky.history) == 2


def test_errors_that_prevent_an_invocation(lam, function) -> None:
    function("echo", ECHO)
    errors = lam.exceptions
    cases = [
        (dict(FunctionName="nothing"), errors.ResourceNotFoundException,
         "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nothing"),
        (dict(FunctionName="arn:aws:lambda:eu-west-1:123456789012:function:echo"),
         errors.ResourceNotFoundException, "Function not found"),
        (dict(FunctionName="echo", Qualifier="7"), errors.ResourceNotFoundException,
         "function:echo:7"),
        (dict(FunctionName="echo:live", Qualifier="other"), errors.InvalidParameterValueException,
         "derived qualifier"),
        (dict(FunctionName="echo", Payload=b"{not json"), errors.InvalidRequestContentException,
         "Could not parse request body into json"),
        (dict(FunctionName="echo", ClientContext="not base64!"),
         errors.InvalidRequestContentException, "Base64-encoded JSON object"),
        (dict(FunctionName="echo", ClientContext="e30=" * 1000),
         errors.InvalidParameterValueException, "3583 bytes"),
        (dict(FunctionName="echo", Payload=b'"' + b"x" * (6 * 1024 * 1024) + b'"'),
         errors.RequestTooLargeException, "6291456"),
        (dict(FunctionName="echo", InvocationType="Event", Payload=b'"' + b"x" * 1048576 + b'"'),
         errors.RequestTooLargeException, "1048576"),
    ]  # fmt: skip
    for params, exception, words in cases:
        with pytest.raises(exception) as caught:
            lam.invoke(**params)
        assert words in str(caught.value), (params.keys(), caught.value)
        assert caught.value.response["Type"] == "User"
    assert lam.invoke(FunctionName="echo")["StatusCode"] == 200  # and it goes on serving


def test_a_throttle_is_429_with_its_reason(lam, function) -> None:
    function("closed", ECHO, reserved_concurrency=0)
    with pytest.raises(lam.exceptions.TooManyRequestsException) as caught:
        lam.invoke(FunctionName="closed")
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert response["message"] == "Rate Exceeded."


def test_a_partial_arn_and_a_full_arn_name_the_function(lam, function) -> None:
    fn = function("echo", ECHO)
    for name in ("123456789012:function:echo", fn.config.function_arn, "echo:$LATEST"):
        answer = lam.invoke(FunctionName=name)
        assert answer["StatusCode"] == 200 and answer["ExecutedVersion"] == "$LATEST"
    qualified = json.loads(lam.invoke(FunctionName="echo:$LATEST")["Payload"].read())
    assert qualified["arn"].endswith("function:echo:$LATEST")
