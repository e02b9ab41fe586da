"""Invocations in real environment subprocesses: warm state, cold starts, revisions."""

from __future__ import annotations

import json
import os

import pytest

from lambda_magic.core.errors import InvalidRequestError
from lambda_magic.core.lifecycle import EnvState
from lambda_magic.platform.sandbox.client import get_manager

COUNTER = """
import os, time
BOOTED = time.time()
COUNT = 0
def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print("hello", event["name"])
    return {"count": COUNT, "booted": BOOTED, "pid": os.getpid(), "req": context.aws_request_id}
"""


def test_init_once_invoke_many(make_function) -> None:
    fn = make_function(COUNTER, memory_size=256, timeout=3, environment={"STAGE": "dev"})
    r1 = fn.invoke({"name": "a"})
    r2 = fn.invoke({"name": "b"})
    assert r1.ok and r2.ok
    assert (r1.payload["count"], r2.payload["count"]) == (1, 2)
    assert r1.payload["booted"] == r2.payload["booted"]
    assert r1.payload["pid"] == r2.payload["pid"] != os.getpid()
    assert (r1.cold_start, r2.cold_start) == (True, False)
    assert r1.request_id == r1.payload["req"] != r2.request_id
    assert r1.report.init_duration_ms is not None and r1.report.init_duration_ms > 0
    assert r2.report.init_duration_ms is None
    assert "hello a" in r1.logs and "hello b" in r2.logs
    assert r1.error is None and r1.raise_for_error() is r1
    assert fn.environments[0].state.state is EnvState.FROZEN


def test_update_code_is_a_new_revision_and_a_cold_start(make_function) -> None:
    fn = make_function(COUNTER)
    first = fn.invoke({"name": "a"})
    assert fn.update_code(COUNTER.replace("hello", "hi")) is True
    assert fn.revision == 2
    second = fn.invoke({"name": "b"})
    assert second.cold_start and second.payload["count"] == 1
    assert second.payload["pid"] != first.payload["pid"]
    assert "hi b" in second.logs


def test_an_environment_runs_the_revision_it_was_created_for(make_function) -> None:
    # A new revision published between reserving an environment and starting its runtime:
    # that environment still runs its own revision's code with its own configuration.
    from lambda_magic.engine.invocation import InvocationRequest, invoke

    fn = make_function("def lambda_handler(e, c):\n    return 'rev1'\n")
    env = fn.pool.acquire()
    try:
        fn.update_code("def lambda_handler(e, c):\n    return 'rev2'\n", memory_size=256)
        result = invoke(env, InvocationRequest(b"{}", request_id="a-request"))
    finally:
        fn.pool.release(env)
    assert (result.payload, result.report.memory_size_mb) == ("rev1", 128)
    assert fn.invoke().payload == "rev2"


def test_unchanged_update_keeps_the_warm_environment(make_function) -> None:
    fn = make_function(COUNTER)
    fn.invoke({"name": "a"})
    assert fn.update_code(fn.code) is False
    assert fn.update_config(timeout=3) is False
    again = fn.invoke({"name": "b"})
    assert not again.cold_start and again.payload["count"] == 2
    assert fn.update_config(timeout=4) is True
    assert fn.invoke({"name": "c"}).cold_start


def test_reset_forces_a_cold_start_and_shutdown_ends_everything(make_function) -> None:
    fn = make_function(COUNTER)
    pid = fn.invoke({"name": "a"}).payload["pid"]
    fn.reset()
    assert fn.environments == []
    r = fn.invoke({"name": "b"})
    assert r.cold_start and r.payload["count"] == 1 and r.payload["pid"] != pid
    fn.shutdown()
    assert fn.environments == []
    assert not os.path.exists(f"/proc/{r.payload['pid']}")
    assert fn.invoke({"name": "c"}).cold_start  # a shut-down function can be invoked again


def test_a_module_that_defines_only_handler_works(make_function) -> None:
    fn = make_function("def handler(event, context):\n    return 'ok'\n")
    assert fn.config.handler == "lambda_function.handler"
    assert fn.invoke().payload == "ok"


def test_custom_handler_and_package_files(make_function) -> None:
    fn = make_function(
        "from helpers.text import shout\ndef go(event, context):\n    return shout(event)\n",
        handler="lambda_function.go",
        files={
            "helpers/__init__.py": "",
            "helpers/text.py": "def shout(s):\n    return s.upper()\n",
        },
    )
    assert fn.invoke("quiet").payload == "QUIET"


def test_bytes_are_returned_raw(make_function) -> None:
    fn = make_function("def lambda_handler(event, context):\n    return b'\\x00raw'\n")
    r = fn.invoke()
    assert (r.content_type, r.payload) == ("application/unknown", b"\x00raw")


def test_prints_never_corrupt_the_payload(make_function) -> None:
    fn = make_function("""
        def lambda_handler(event, context):
            print('{"not": "the payload"}')
            print("HTTP/1.1 200 OK\\r\\n\\r\\n")
            return {"real": True}
    """)
    assert fn.invoke().payload == {"real": True}


def test_client_context_and_identity_reach_the_context(make_function) -> None:
    fn = make_function("""
        def lambda_handler(event, context):
            cc = context.client_context
            return {"custom": cc.custom, "env": cc.env, "app": cc.client.app_title,
                    "id": context.identity.cognito_identity_id,
                    "pool": context.identity.cognito_identity_pool_id}
    """)
    r = fn.invoke(
        {},
        client_context={
            "custom": {"a": 1},
            "env": {"platform": "x"},
            "client": {"app_title": "demo"},
        },
        identity={"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"},
    )
    assert r.payload == {
        "custom": {"a": 1},
        "env": {"platform": "x"},
        "app": "demo",
        "id": "id-1",
        "pool": "pool-1",
    }


@pytest.mark.parametrize(
    ("kwargs", "error_type", "message"),
    [
        ({"event": {1, 2}}, "InvalidRequestContentException", "the event is not JSON-serializable"),
        (
            {"payload": b"{nope"},
            "InvalidRequestContentException",
            "Could not parse request body into json",
        ),
        (
            {"payload": '{"a": NaN}'},
            "InvalidRequestContentException",
            "Could not parse request body into json: Non-standard token 'NaN'",
        ),
        (
            {"event": {"a": float("inf")}},
            "InvalidRequestContentException",
            "the event is not JSON-serializable: Out of range float values",
        ),
        (
            {"event": "x" * (6 * 1024 * 1024)},
            "RequestTooLargeException",
            "Request must be smaller than 6291456 bytes",
        ),
    ],
)
def test_bad_events_are_refused_before_anything_runs(
    make_function, kwargs, error_type, message
) -> None:
    fn = make_function(COUNTER)
    with pytest.raises(InvalidRequestError) as info:
        fn.invoke(**kwargs)
    assert info.value.error_type == error_type and message in info.value.message
    assert fn.environments == [] and not fn.history


def test_raw_json_payload_and_default_event(make_function) -> None:
    fn = make_function("def lambda_handler(event, context):\n    return event\n")
    assert fn.invoke(payload='{"a": [1, 2]}').payload == {"a": [1, 2]}
    assert fn.invoke().payload == {}
    assert json.loads(fn.invoke(None).raw) == {}


def test_environments_are_forked_into_their_own_session(make_function) -> None:
    fn = make_function(
        "import os\ndef lambda_handler(e, c):\n    return [os.getpid(), os.getsid(0), os.getppid()]\n"
    )
    pid, sid, ppid = fn.invoke().payload
    assert sid == pid  # its own session and process group
    assert ppid == get_manager().process.pid
