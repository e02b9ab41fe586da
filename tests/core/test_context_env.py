"""The context object and environment variables, attribute by attribute, as Lambda gives them."""

from __future__ import annotations

import os
import re
import sys
import time

from lambda_magic import sandbox_info

CONTEXT = """
import os, time
def lambda_handler(event, context):
    first = context.get_remaining_time_in_millis()
    time.sleep(0.2)
    later = context.get_remaining_time_in_millis()
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "memory_type": type(context.memory_limit_in_mb).__name__,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "identity": [type(context.identity).__name__, context.identity.cognito_identity_id,
                     context.identity.cognito_identity_pool_id],
        "client_context": context.client_context,
        "tenant_id": context.tenant_id,
        "remaining": [first, later],
        "repr": repr(context),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
    }
"""


def test_context_attributes(make_function) -> None:
    fn = make_function(CONTEXT, name="ctx", memory_size=256, timeout=5, region="eu-west-1")
    r = fn.invoke()
    p = r.payload
    assert p["aws_request_id"] == r.request_id
    assert p["function_name"] == "ctx"
    assert p["function_version"] == "$LATEST"
    assert p["invoked_function_arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:ctx"
    assert (p["memory_limit_in_mb"], p["memory_type"]) == ("256", "str")
    assert p["log_group_name"] == "/aws/lambda/ctx"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", p["log_stream_name"])
    assert p["log_stream_name"] == r.log_stream_name
    assert p["identity"] == ["CognitoIdentity", None, None]
    assert p["client_context"] is None and p["tenant_id"] is None
    first, later = p["remaining"]
    assert 4800 < first <= 5000 and 150 < first - later < 400  # counts down live
    assert p["repr"].startswith(
        f"LambdaContext([aws_request_id={r.request_id},log_group_name=/aws/lambda/ctx,"
    )


def test_remaining_time_reaches_zero_at_the_deadline(make_function) -> None:
    fn = make_function(
        """
        import time
        def lambda_handler(event, context):
            while context.get_remaining_time_in_millis() > 0:
                pass
            print("remaining", context.get_remaining_time_in_millis())
            time.sleep(5)
    """,
        timeout=1,
    )
    r = fn.invoke()
    assert r.error_type == "Sandbox.Timedout"
    assert "remaining 0" in r.logs


def test_reserved_environment_variables(make_function) -> None:
    fn = make_function(
        CONTEXT,
        name="envs",
        memory_size=512,
        region="ap-south-1",
        environment={"STAGE": "dev", "TABLE_NAME": "orders"},
    )
    r = fn.invoke()
    env = r.payload["env"]
    py = f"python{sys.version_info.major}.{sys.version_info.minor}"
    expected = {
        "_HANDLER": "lambda_function.lambda_handler",
        "AWS_REGION": "ap-south-1",
        "AWS_DEFAULT_REGION": "ap-south-1",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{py}",
        "AWS_LAMBDA_FUNCTION_NAME": "envs",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/envs",
        "AWS_LAMBDA_LOG_STREAM_NAME": r.log_stream_name,
        # Lambda's path where the sandbox has a mount namespace, the host's elsewhere
        "LAMBDA_TASK_ROOT": "/var/task" if sandbox_info().namespaces else fn.code_dir(),
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "STAGE": "dev",
        "TABLE_NAME": "orders",
    }
    assert {k: env.get(k) for k in expected} == expected
    assert r.payload["cwd"] == env["LAMBDA_TASK_ROOT"]  # the working directory is the task root
    assert re.fullmatch(r"127\.0\.0\.1:\d+", env["AWS_LAMBDA_RUNTIME_API"])
    assert re.fullmatch(
        r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", env["_X_AMZN_TRACE_ID"]
    )
    assert "AWS_LAMBDA_FUNCTION_TIMEOUT" not in env  # SAM sets it; Lambda does not
    assert fn.invoke().payload["env"]["_X_AMZN_TRACE_ID"] != env["_X_AMZN_TRACE_ID"]  # per invoke


def test_caller_variables_pass_through_only_for_aws_access(make_function, monkeypatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "sandbox")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4566")
    monkeypatch.setenv("MY_NOTEBOOK_SECRET", "do-not-leak")
    env = make_function(CONTEXT).invoke().payload["env"]
    assert env["AWS_PROFILE"] == "sandbox" and env["AWS_ACCESS_KEY_ID"] == "AKIAEXAMPLE"
    assert env["AWS_ENDPOINT_URL_S3"] == "http://127.0.0.1:4566"
    assert "MY_NOTEBOOK_SECRET" not in env
    assert env["PATH"].split(os.pathsep)[0] == os.path.dirname(sys.executable)


def test_nothing_leaks_into_the_callers_process(make_function) -> None:
    before = dict(os.environ)
    make_function(CONTEXT, environment={"STAGE": "prod"}).invoke()
    assert dict(os.environ) == before
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ and "STAGE" not in os.environ


def test_tz_is_utc_inside(make_function) -> None:
    zone, tz = time.strftime("%Z"), os.environ.get("TZ")
    fn = make_function("import time\ndef lambda_handler(e, c):\n    return time.strftime('%Z')\n")
    assert fn.invoke().payload == "UTC"
    assert (time.strftime("%Z"), os.environ.get("TZ")) == (zone, tz)  # the caller's zone is kept
