"""The Context a Java handler gets, getter by getter, and the options the JVM starts with."""

from __future__ import annotations

import re
from collections.abc import Callable

from lambda_magic import LambdaFunction
from tests.runtimes.java.conftest import app_lines

Make = Callable[..., LambdaFunction]


def test_every_getter(java_function: Make) -> None:
    fn = java_function("probe.Probe::handle", memory_size=384)
    result = fn.invoke({})
    got = result.payload
    assert got["awsRequestId"] == result.request_id
    assert got["logGroupName"] == f"/aws/lambda/{fn.name}"
    assert got["logStreamName"] == result.log_stream_name
    assert got["functionName"] == fn.name
    assert got["functionVersion"] == "$LATEST"
    assert re.fullmatch(
        rf"arn:aws:lambda:us-east-1:\d{{12}}:function:{fn.name}", got["invokedFunctionArn"]
    )
    assert got["memoryLimitInMB"] == 384  # an int, not a string
    assert re.fullmatch(
        r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", got["xrayTraceId"]
    )
    assert got["traceProperty"] == got["xrayTraceId"]  # com.amazonaws.xray.traceHeader
    assert got["tenantId"] is None
    assert got["loggerIsTheRuntimes"] is True
    assert "identityId" not in got and "appTitle" not in got  # null without a mobile caller


def test_identity_and_client_context(java_function: Make) -> None:
    client = {"client": {"installation_id": "inst-1", "app_title": "Notes"},
              "custom": {"plan": "pro"}, "env": {"platform": "Android"}}  # fmt: skip
    identity = {"cognitoIdentityId": "us-east-1:abc", "cognitoIdentityPoolId": "us-east-1:pool"}
    got = (
        java_function("probe.Probe::handle")
        .invoke({}, client_context=client, identity=identity)
        .payload
    )
    assert (got["identityId"], got["identityPoolId"]) == ("us-east-1:abc", "us-east-1:pool")
    assert (got["appTitle"], got["installationId"]) == ("Notes", "inst-1")
    assert (got["custom"], got["environment"]) == ({"plan": "pro"}, {"platform": "Android"})


def test_remaining_time_counts_down_from_the_timeout(java_function: Make) -> None:
    got = java_function("probe.Probe::handle", timeout=3).invoke({"sleepMs": 300}).payload
    assert 2500 < got["remainingFirst"] <= 3000
    assert 250 <= got["remainingFirst"] - got["remainingSecond"] < 1000


def test_java_tool_options_are_honoured(java_function: Make) -> None:
    env = {"JAVA_TOOL_OPTIONS": "-Dprobe.setting=on -Xmx200m"}
    fn = java_function("probe.Probe::handle", environment=env)
    result = fn.invoke({})
    assert result.payload["property"] == "on"
    # The JVM says so on standard error, as on Lambda; the heap it sets replaces the default.
    assert "Picked up JAVA_TOOL_OPTIONS: -Dprobe.setting=on -Xmx200m" in app_lines(result.logs)
    assert (
        java_function("mem.Hog::maxHeap", environment=env).invoke({}).payload <= 200 * 1024 * 1024
    )
