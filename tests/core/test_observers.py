"""What observers (the panel, other code) see, and idle expiry."""

from __future__ import annotations

import time

from lambda_magic.core.lifecycle import EnvState
from lambda_magic.engine.environment import ShutdownPath
from tests.helpers import wait_for


def test_subscribers_see_the_whole_lifecycle(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    print('inside')\n    return 1\n")
    seen: list[tuple[str, object]] = []
    unsubscribe = fn.subscribe(lambda kind, value: seen.append((kind, value)))
    r = fn.invoke()
    fn.reset()
    kinds = [k for k, _ in seen]
    assert kinds[0] == "environment"
    env = seen[0][1]
    states = [v[2] for k, v in seen if k == "state"]
    assert states == [
        EnvState.INITIALIZING,
        EnvState.IDLE,
        EnvState.INVOKING,
        EnvState.IDLE,
        EnvState.FROZEN,
        EnvState.SHUTTING_DOWN,
        EnvState.SHUT_DOWN,
    ]
    assert ("invoke", (env, r.request_id)) in seen
    assert any(k == "log" and v.message == "inside" for k, v in seen)
    assert ("result", r) in seen and ("reset", [ShutdownPath.GRACEFUL]) in seen
    unsubscribe()
    fn.invoke()
    assert len([k for k, _ in seen if k == "result"]) == 1


def test_a_failing_subscriber_does_not_break_invocations(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return 2\n")
    fn.subscribe(lambda kind, value: 1 / 0)
    assert fn.invoke().payload == 2


def test_idle_environments_expire_after_the_keep_alive(make_function) -> None:
    fn = make_function(
        "import os\ndef lambda_handler(e, c):\n    return os.getpid()\n", idle_timeout=0.5
    )
    expired = []
    fn.subscribe(lambda kind, value: kind == "expired" and expired.append(value))
    first = fn.invoke().payload
    assert fn.invoke().payload == first  # still warm within the keep-alive
    wait_for(lambda: not fn.environments, 5, "the idle environment to expire")
    assert fn.environments == [] and len(expired) == 1
    assert expired[0].shutdown_path is ShutdownPath.GRACEFUL
    again = fn.invoke()
    assert again.cold_start and again.payload != first


def test_no_expiry_without_a_keep_alive(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return 1\n")
    fn.invoke()
    assert fn.expire_idle(now=time.monotonic() + 10**6) == []
    assert fn.environments[0].state.state is EnvState.FROZEN
