"""Scaling as Lambda does: one environment per in-flight invocation, throttles, provisioned
environments, and asynchronous invocation with retries and destinations."""

from __future__ import annotations

import threading
import time

import pytest

from lambda_magic.core.errors import InvalidRequestError, TooManyRequestsError
from lambda_magic.engine.pool import set_concurrency_limit
from tests.helpers import env_tmp

pytestmark = pytest.mark.timeout(120)

STATEFUL = """
import os, time
CALLS = 0
def lambda_handler(event, context):
    global CALLS
    CALLS += 1
    if event.get("mark"):
        open("/tmp/mark", "w").write(event["mark"])
    time.sleep(event.get("sleep", 0))
    return {"pid": os.getpid(), "calls": CALLS, "tmp": sorted(os.listdir("/tmp")),
            "stream": context.log_stream_name,
            "init_type": os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]}
"""


def test_concurrent_invocations_get_their_own_environments(make_function) -> None:
    fn = make_function(STATEFUL)
    first = fn.invoke_many([{"sleep": 0.3, "mark": str(i)} for i in range(4)], concurrency=4)
    assert len({r.payload["pid"] for r in first}) == 4  # four environments...
    assert all(
        r.cold_start and r.payload["calls"] == 1 for r in first
    )  # ...each with its own globals
    assert [r.payload["tmp"] for r in first] == [env_tmp("mark")] * 4
    assert len({r.environment_id for r in first}) == len({r.payload["stream"] for r in first}) == 4
    assert {r.log_stream_name for r in first} == {r.payload["stream"] for r in first}
    again = fn.invoke_many([{"sleep": 0.2}] * 4, concurrency=4)  # reused once they finished
    assert not any(r.cold_start for r in again)
    assert {r.payload["pid"] for r in again} == {r.payload["pid"] for r in first}
    assert sorted(r.payload["calls"] for r in again) == [2, 2, 2, 2]
    assert len(fn.environments) == 4


def test_sequential_invocations_reuse_one_environment(make_function) -> None:
    fn = make_function(STATEFUL)
    pids = {fn.invoke().payload["pid"] for _ in range(5)}
    assert len(pids) == 1 and len(fn.environments) == 1


def test_invoke_many_keeps_order_and_reports_progress(make_function, capsys) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return e * 2\n")
    seen = []
    results = fn.invoke_many(
        range(20), concurrency=5, progress=lambda done, total: seen.append((done, total))
    )
    assert [r.payload for r in results] == [i * 2 for i in range(20)]
    assert seen[0] == (0, 20) and seen[-1] == (20, 20)
    fn.invoke_many(range(3), progress=True)
    assert capsys.readouterr().err.endswith("[##############################] 3/3\n")
    with pytest.raises(ValueError, match="concurrency must be a whole number of at least 1"):
        fn.invoke_many([1], concurrency=0)


def test_reserved_concurrency_throttles(make_function) -> None:
    fn = make_function(STATEFUL, reserved_concurrency=2)
    results = fn.invoke_many([{"sleep": 0.5}] * 4, concurrency=4)
    throttled = [r for r in results if r.status == "throttled"]
    assert len(throttled) == 2 and len(fn.environments) == 2
    assert throttled[0].payload == {
        "errorMessage": "Rate Exceeded.",
        "errorType": "TooManyRequestsException",
        "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
    }
    assert fn.pool.throttles == 2
    zero = make_function(STATEFUL, reserved_concurrency=0)
    with pytest.raises(TooManyRequestsError) as info:
        zero.invoke()
    assert info.value.reason == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert zero.environments == []


def test_the_machine_wide_limit(make_function, machine_limit) -> None:
    fn = make_function(STATEFUL)
    machine_limit(2)
    results = fn.invoke_many([{"sleep": 0.5}] * 3, concurrency=3)
    reasons = [r.payload.get("Reason") for r in results if r.status == "throttled"]
    assert reasons == ["ConcurrentInvocationLimitExceeded"]
    with pytest.raises(ValueError):
        set_concurrency_limit(0)


def test_provisioned_concurrency(make_function) -> None:
    fn = make_function(STATEFUL, provisioned_concurrency=2)
    assert len(fn.environments) == 2  # initialized ahead of time
    assert all(
        e.init_type == "provisioned-concurrency" and e.state.state.is_warm for e in fn.environments
    )
    results = fn.invoke_many([{"sleep": 0.3}] * 3, concurrency=3)
    provisioned = [r for r in results if r.payload["init_type"] == "provisioned-concurrency"]
    spilled = [r for r in results if r.payload["init_type"] == "on-demand"]
    assert len(provisioned) == 2 and len(spilled) == 1
    for r in provisioned:
        assert not r.cold_start and r.report.init_duration_ms is None
        assert not any(e.message.startswith("INIT_START") for e in r.log_events)
    assert spilled[0].cold_start and spilled[0].report.init_duration_ms is not None
    fn.reset()  # provisioned environments come back at once
    assert [e.init_type for e in fn.environments] == ["provisioned-concurrency"] * 2


def test_async_invocation_retries_and_destinations(make_function) -> None:
    fn = make_function("""
        def lambda_handler(event, context):
            if event.get("fail"):
                raise ValueError("nope")
            return {"ok": event}
    """)
    successes, failures, dead = [], [], []
    fn.configure_async(
        on_success=successes, on_failure=failures, dead_letter=dead, time_factor=0.005
    )
    started = time.monotonic()
    good = fn.invoke({"n": 1}, invocation_type="Event")
    bad = fn.invoke_async({"fail": True})
    assert good.status_code == 202 and time.monotonic() - started < 0.5  # accepted at once
    good.wait(10)
    bad.wait(10)
    assert good.status == "succeeded" and bad.status == "failed"
    record = successes[0]
    assert list(record) == [
        "version",
        "timestamp",
        "requestContext",
        "requestPayload",
        "responseContext",
        "responsePayload",
    ]
    assert record["requestContext"] == {
        "requestId": good.request_id,
        "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST",
        "condition": "Success",
        "approximateInvokeCount": 1,
    }
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert record["responsePayload"] == {"ok": {"n": 1}}
    failed = failures[0]
    assert failed["requestContext"]["condition"] == "RetriesExhausted"
    assert failed["requestContext"]["approximateInvokeCount"] == 3  # first try and two retries
    assert failed["responseContext"]["functionError"] == "Unhandled"
    assert failed["responsePayload"]["errorType"] == "ValueError"
    assert dead == [{"fail": True}]
    assert {r.request_id for r in bad.attempts} == {bad.request_id}  # retries keep the request id
    gaps = [b.started_at - a.started_at for a, b in zip(bad.attempts, bad.attempts[1:])]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6  # about 1 and 2 minutes, scaled by 0.005


def test_async_retry_limit_event_age_and_zero_concurrency(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    raise RuntimeError('always')\n")
    failures: list = []
    fn.configure_async(maximum_retry_attempts=0, on_failure=failures, time_factor=0.005)
    once = fn.invoke_async({}).wait(10)
    assert len(once.attempts) == 1 and failures[0]["requestContext"]["approximateInvokeCount"] == 1
    blocked = make_function(
        "import time\ndef lambda_handler(e, c):\n    time.sleep(e)\n",
        reserved_concurrency=1,
        timeout=10,
    )
    expired: list = []
    blocked.configure_async(maximum_event_age=60, on_failure=expired, time_factor=0.01)
    holder = threading.Thread(target=blocked.invoke, args=(1.5,))
    holder.start()
    time.sleep(0.2)
    late = blocked.invoke_async(0).wait(10)  # throttled until older than 60 s x 0.01
    holder.join()
    assert (
        late.status == "expired" and expired[0]["requestContext"]["condition"] == "EventAgeExceeded"
    )
    assert late.attempts == [] and late.last_error is not None
    none = make_function("def lambda_handler(e, c):\n    return 1\n", reserved_concurrency=0)
    dead: list = []
    none.configure_async(dead_letter=dead)
    assert none.invoke_async({"lost": 1}).wait(5).status == "failed" and dead == [{"lost": 1}]


def test_dry_run_and_async_payload_limit(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return 1\n")
    assert fn.invoke({"a": 1}, invocation_type="DryRun") == 204 and fn.environments == []
    with pytest.raises(InvalidRequestError, match="for the InvokeAsync operation"):
        fn.invoke_async("x" * (1024 * 1024))
    with pytest.raises(
        InvalidRequestError, match="invocation_type must be RequestResponse, Event or DryRun"
    ):
        fn.invoke({}, invocation_type="Later")
    with pytest.raises(Exception, match="maximum_retry_attempts must be 0, 1 or 2"):
        fn.configure_async(maximum_retry_attempts=3)


def test_raw_payloads_and_throttle_events(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return e\n", reserved_concurrency=0)
    heard = []
    fn.subscribe(lambda kind, value: heard.append(value.reason) if kind == "throttle" else None)
    with pytest.raises(TooManyRequestsError):
        fn.invoke()
    assert heard == ["ReservedFunctionConcurrentInvocationLimitExceeded"]
    free = make_function("def lambda_handler(e, c):\n    return e\n")
    results = free.invoke_many(payloads=["null", '{"a": 1}', b"[1, 2]"], concurrency=2)
    assert [r.payload for r in results] == [None, {"a": 1}, [1, 2]]
