"""The Runtime Interface Emulator's own end-to-end cases, re-expressed against this server:
RIE POSTs to ``/2015-03-31/functions/function/invocations``; here boto3 does, on Lambda's
numbers (account 123456789012, default timeout 3 s rather than RIE's 012345678912 and 300 s)."""

from __future__ import annotations

import json

import pytest

HANDLERS = """
import os, time

def check_env_var_handler(event, context):
    return os.environ.get("MY_ENV_VAR")

def success_handler(event, context):
    return "My lambda ran succesfully"

def check_lambda_arn(event, context):
    return context.invoked_function_arn

def sleep_handler(event, context):
    time.sleep(event.get("seconds", 2))
    return "I was sleeping"

def exception_handler(event, context):
    raise Exception("Raising an exception")

def check_remaining_time_handler(event, context):
    return context.get_remaining_time_in_millis()

def custom_client_context_handler(event, context):
    return context.client_context.custom

def assert_function_name(event, context):
    return context.function_name
"""


def call(lam, name: str, payload: object = None, **options) -> tuple[dict, object]:
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}), **options)
    return answer, json.loads(answer["Payload"].read())


@pytest.fixture
def rie(function):
    def make(handler: str, name: str = "function", **config):
        return function(name, HANDLERS, handler=f"lambda_function.{handler}", **config)

    return make


def test_env_var_with_equal_sign(lam, rie) -> None:
    rie("check_env_var_handler", environment={"MY_ENV_VAR": "A=B"})
    assert call(lam, "function")[1] == "A=B"


def test_two_invokes(lam, rie) -> None:
    rie("success_handler")
    assert call(lam, "function")[1] == "My lambda ran succesfully"
    assert call(lam, "function")[1] == "My lambda ran succesfully"


def test_lambda_function_arn_exists(lam, rie) -> None:
    rie("check_lambda_arn")
    assert call(lam, "function")[1] == "arn:aws:lambda:us-east-1:123456789012:function:function"


def test_lambda_function_arn_exists_with_defining_custom_name(lam, rie) -> None:
    rie("check_lambda_arn", name="MyCoolName")
    assert call(lam, "MyCoolName")[1].endswith(":function:MyCoolName")


def test_timeout_invoke(lam, rie) -> None:
    rie("sleep_handler", timeout=1)
    answer, body = call(lam, "function", {"seconds": 2})
    assert answer["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    assert body["errorMessage"].endswith("Task timed out after 1.00 seconds")


def test_exception_returned(lam, rie) -> None:
    rie("exception_handler")
    answer, body = call(lam, "function")
    assert answer["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Exception" and body["errorMessage"] == "Raising an exception"
    assert list(body) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert body["requestId"] == answer["ResponseMetadata"]["RequestId"]


@pytest.mark.parametrize("timeout", [3, 10, None])
def test_remaining_time(lam, rie, timeout) -> None:
    rie("check_remaining_time_handler", **({"timeout": timeout} if timeout else {}))
    limit = (timeout or 3) * 1000
    remaining = call(lam, "function")[1]
    assert limit - 500 < remaining <= limit


def test_function_name_is_overridden(lam, rie) -> None:
    rie("assert_function_name", name="MyCoolName")
    assert call(lam, "MyCoolName")[1] == "MyCoolName"


def test_custom_client_context(lam, rie) -> None:
    import base64

    rie("custom_client_context_handler")
    context = base64.b64encode(json.dumps({"custom": {"foo": "bar", "baz": 123}}).encode())
    assert call(lam, "function", ClientContext=context.decode())[1] == {"foo": "bar", "baz": 123}
