"""The lifecycle state machine: one table of triggers, expected races tolerated, everything else
refused; listeners hear of transitions only after the lock is released."""

from __future__ import annotations

import itertools
import logging
import threading

import pytest

from lambda_magic.core.lifecycle import (
    RULES,
    TOLERATED,
    TRANSITIONS,
    EnvState,
    IllegalTransition,
    Lifecycle,
    Trigger,
)

PAIRS = list(itertools.product(EnvState, Trigger))


@pytest.mark.parametrize(
    ("current", "trigger"), PAIRS, ids=[f"{a.name}-{b.name}" for a, b in PAIRS]
)
def test_every_trigger_follows_the_table(current: EnvState, trigger: Trigger) -> None:
    machine = Lifecycle(current)
    target = RULES[trigger].get(current)
    if target is not None:
        assert machine.fire(trigger) is True
        assert machine.state is target and target in TRANSITIONS[current]
    elif current in TOLERATED.get(trigger, ()):
        assert machine.fire(trigger) is False  # an expected race changes nothing
        assert machine.state is current
    else:
        with pytest.raises(IllegalTransition) as info:
            machine.fire(trigger)
        assert machine.state is current
        assert str(info.value) == f"illegal lifecycle transition {current.value} -> {trigger.value}"


@pytest.mark.parametrize(
    ("current", "target"),
    list(itertools.product(EnvState, EnvState)),
    ids=[f"{a.name}->{b.name}" for a, b in itertools.product(EnvState, EnvState)],
)
def test_direct_transitions_follow_the_table_derived_from_the_rules(
    current: EnvState, target: EnvState
) -> None:
    machine = Lifecycle(current)
    if target in TRANSITIONS[current]:
        machine.transition(target)
        assert machine.state is target
    else:
        with pytest.raises(IllegalTransition):
            machine.transition(target)
        assert machine.state is current


def test_lambda_phases_and_a_full_lifecycle() -> None:
    seen: list[tuple[EnvState, EnvState]] = []
    machine = Lifecycle()
    machine.add_listener(lambda old, new: seen.append((old, new)))
    path = [Trigger.START_INIT, Trigger.READY, Trigger.FREEZE, Trigger.DELIVER, Trigger.STOP,
            Trigger.START_INIT, Trigger.READY, Trigger.SHUTDOWN, Trigger.FINISHED]  # fmt: skip
    for trigger in path:
        machine.fire(trigger)
    assert [new for _, new in seen] == [
        EnvState.INITIALIZING, EnvState.IDLE, EnvState.FROZEN, EnvState.INVOKING, EnvState.RESET,
        EnvState.INITIALIZING, EnvState.IDLE, EnvState.SHUTTING_DOWN, EnvState.SHUT_DOWN,
    ]  # fmt: skip
    assert [
        s.phase for s in (EnvState.INITIALIZING, EnvState.INVOKING, EnvState.SHUTTING_DOWN)
    ] == ["Init", "Invoke", "Shutdown"]
    assert not TRANSITIONS[EnvState.SHUT_DOWN]


def test_a_late_trigger_is_a_tolerated_race() -> None:
    machine = Lifecycle(EnvState.SHUTTING_DOWN)
    assert machine.fire(Trigger.LOST) is False  # the runtime exits while shutting down
    assert machine.state is EnvState.SHUTTING_DOWN


def test_listeners_run_after_the_lock_is_released() -> None:
    machine = Lifecycle()
    held: list[bool] = []

    def listener(old: EnvState, new: EnvState) -> None:
        probe = threading.Thread(target=lambda: held.append(not machine._cond.acquire(timeout=0.5)))
        probe.start()
        probe.join()

    machine.add_listener(listener)
    with machine:  # nested: the listener waits for the outermost exit
        machine.fire(Trigger.START_INIT)
        assert held == []
    assert held == [False]  # another thread could take the lock while the listener ran


def test_a_broken_listener_is_logged_and_does_not_break_the_lifecycle(caplog) -> None:
    machine = Lifecycle()
    machine.add_listener(lambda old, new: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="lambda_magic"):
        machine.fire(Trigger.START_INIT)
    assert machine.state is EnvState.INITIALIZING
    assert "ZeroDivisionError" in caplog.text and "New -> Initializing" in caplog.text


def test_wait_for_wakes_on_transition_and_history_is_bounded() -> None:
    machine = Lifecycle(EnvState.IDLE)
    threading.Timer(0.05, machine.fire, (Trigger.DELIVER,)).start()
    assert machine.wait_for({EnvState.INVOKING}, 5) is EnvState.INVOKING
    for _ in range(300):
        machine.fire(Trigger.READY)
        machine.fire(Trigger.DELIVER)
    assert len(machine.history) == 256
