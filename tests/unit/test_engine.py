"""The engine on a fake machine (no processes: runtimes are threads speaking the real Runtime
API): the lifecycle, error paths, scaling and notifications, in a few seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lambda_magic import LambdaFunction
from lambda_magic.core.cancel import Cancellation
from lambda_magic.core.errors import TooManyRequestsError
from lambda_magic.core.lifecycle import EnvState
from lambda_magic.core.notifications import (
    EnvironmentCreated,
    EventDelivered,
    ResultRecorded,
    StateChanged,
)
from tests.unit.fake_sandbox import Exited, FakeMachine

pytestmark = pytest.mark.timeout(30)
Make = Callable[..., LambdaFunction]


@pytest.fixture
def machine() -> FakeMachine:
    return FakeMachine()


@pytest.fixture
def make(machine: FakeMachine) -> Iterator[Make]:
    made: list[LambdaFunction] = []

    def make(handler: Callable[[Any, dict[str, str]], Any], name: str = "unit",
             **config: Any) -> LambdaFunction:  # fmt: skip
        machine.handlers[name] = handler
        fn = LambdaFunction(name, "", services=machine.services(), **config)
        made.append(fn)
        return fn

    yield make
    for fn in made:
        fn.shutdown()


def test_a_cold_start_then_a_warm_one_in_the_same_frozen_environment(make, machine) -> None:
    fn = make(lambda event, _: {"got": event})
    cold, warm = fn.invoke({"n": 1}), fn.invoke({"n": 2})
    assert (cold.payload, warm.payload) == ({"got": {"n": 1}}, {"got": {"n": 2}})
    assert cold.cold_start and not warm.cold_start
    assert cold.report.init_duration_ms is not None and warm.report.init_duration_ms is None
    assert cold.environment_id == warm.environment_id == "env-1"
    assert [m.split(" ")[0] for m in cold.logs.splitlines()] == ["INIT_START", "START", "END",
                                                                 "REPORT"]  # fmt: skip
    (env,) = fn.environments
    assert env.state.state is EnvState.FROZEN and env.invocations == 2 and env.cold_starts == 1
    assert machine.sandboxes[0].frozen == 2


def test_a_function_error_keeps_the_environment_warm(make) -> None:
    def handler(event: Any, _: Any) -> Any:
        raise ValueError("bad input")

    fn = make(handler)
    failed = fn.invoke({})
    assert failed.payload["errorType"] == "ValueError" and not fn.invoke({}).cold_start


def test_a_timeout_resets_and_the_next_invoke_re_runs_init_inside_itself(make, machine) -> None:
    fn = make(lambda event, _: time.sleep(event["sleep"]) or "slept", timeout=1)
    fn.invoke({"sleep": 0})
    timed_out = fn.invoke({"sleep": 5})
    assert timed_out.error_type == "Sandbox.Timedout" and timed_out.report.duration_ms == 1000.0
    assert fn.environments[0].state.state is EnvState.RESET
    assert machine.sandboxes[0].signals[-1] == 9  # SIGKILL
    again = fn.invoke({"sleep": 0})
    assert again.payload == "slept" and again.cold_start and again.report.init_duration_ms is None


def test_a_runtime_that_exits_in_an_invoke(make) -> None:
    def handler(event: Any, _: Any) -> Any:
        raise Exited(3)

    fn = make(handler)
    r = fn.invoke({})
    detail = f"RequestId: {r.request_id} Error: Runtime exited with error: exit status 3"
    assert r.payload == {"errorMessage": detail, "errorType": "Runtime.ExitError"}
    assert f"{detail}\nRuntime.ExitError" in r.logs
    assert fn.environments[0].state.state is EnvState.RESET


def test_a_runtime_that_exits_during_init(make, machine) -> None:
    def boom() -> None:
        raise Exited(1)

    machine.init["bad-init"] = boom
    fn = make(lambda e, _: 1, name="bad-init")
    r = fn.invoke({})
    assert r.error_type == "Runtime.ExitError" and r.cold_start
    assert "Runtime exited without providing a reason" in r.payload["errorMessage"]
    assert [line.split("\t")[1] for line in r.log_lines("INIT_REPORT")] == ["Phase: init",
                                                                            "Phase: invoke"]  # fmt: skip
    assert fn.environments[0].state.state is EnvState.INIT_FAILED


def test_reserved_concurrency_throttles_the_second_invoke_in_flight(make) -> None:
    started, release = threading.Event(), threading.Event()

    def handler(event: Any, _: Any) -> Any:
        started.set()
        release.wait(10)
        return "done"

    fn = make(handler, reserved_concurrency=1)
    first: list[Any] = []
    worker = threading.Thread(target=lambda: first.append(fn.invoke({})))
    worker.start()
    assert started.wait(10)
    with pytest.raises(TooManyRequestsError) as throttled:
        fn.invoke({})
    assert throttled.value.reason == "ReservedFunctionConcurrentInvocationLimitExceeded"
    release.set()
    worker.join(10)
    assert first[0].payload == "done" and fn.pool.throttles == 1


def test_scale_out_then_reset_shuts_every_environment_down(make, machine) -> None:
    barrier = threading.Barrier(3)
    fn = make(lambda event, _: (barrier.wait(10) if event <= 3 else 0, event)[1])
    results = fn.invoke_many([1, 2, 3], concurrency=3)
    assert sorted(r.payload for r in results) == [1, 2, 3]
    assert len({r.environment_id for r in results}) == 3
    fn.reset()
    assert fn.environments == [] and all(s.destroyed for s in machine.sandboxes)
    again = fn.invoke(4)
    assert again.payload == 4 and again.cold_start


def test_a_cancelled_batch_ends_its_invocations_in_flight(make) -> None:
    started = threading.Semaphore(0)

    def handler(event: Any, _: Any) -> Any:
        started.release()
        time.sleep(20)

    fn = make(handler, timeout=30)
    cancel = Cancellation()

    def cancel_when_running() -> None:
        for _ in range(2):
            started.acquire(timeout=10)
        cancel.cancel()

    threading.Thread(target=cancel_when_running).start()
    begun = time.monotonic()
    with pytest.raises(KeyboardInterrupt) as interrupted:
        fn.invoke_many([{}] * 4, concurrency=2, cancel=cancel)
    assert time.monotonic() - begun < 5
    assert interrupted.value.summary == "interrupted: 0 finished, 2 interrupted, 2 not started"
    assert [e.state.state for e in fn.environments] == [EnvState.RESET] * 2


def test_provisioned_environments_are_initialized_ahead(make) -> None:
    fn = make(lambda e, _: e, provisioned_concurrency=2)
    assert [e.state.state for e in fn.environments] == [EnvState.FROZEN] * 2
    first = fn.invoke({})
    assert not first.cold_start and first.report.init_duration_ms is None


def test_observers_get_typed_notifications_in_order(make) -> None:
    fn = make(lambda e, _: e)
    seen: list[Any] = []
    fn.observe(seen.append)
    r = fn.invoke({"a": 1})
    kinds = [type(n) for n in seen]
    assert kinds[0] is EnvironmentCreated and kinds[-1] is ResultRecorded
    states = [n.new for n in seen if isinstance(n, StateChanged)]
    # not frozen between Init and the first event: it is delivered at once
    assert states == [EnvState.INITIALIZING, EnvState.IDLE, EnvState.INVOKING, EnvState.IDLE,
                      EnvState.FROZEN]  # fmt: skip
    delivered = [n for n in seen if isinstance(n, EventDelivered)]
    assert [d.request_id for d in delivered] == [r.request_id]
    assert seen[-1].value is r and seen[-1].kind == "result"
