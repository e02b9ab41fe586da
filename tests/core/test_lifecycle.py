"""The lifecycle state machine: one table of allowed transitions, everything else refused."""

from __future__ import annotations

import itertools
import threading

import pytest

from lambda_magic.lifecycle import TRANSITIONS, EnvState, IllegalTransition, StateMachine

PAIRS = list(itertools.product(EnvState, EnvState))


@pytest.mark.parametrize(
    ("current", "target"), PAIRS, ids=[f"{a.name}->{b.name}" for a, b in PAIRS]
)
def test_every_transition_follows_the_table(current: EnvState, target: EnvState) -> None:
    machine = StateMachine(current)
    if target in TRANSITIONS[current]:
        machine.transition(target)
        assert machine.state is target
    else:
        with pytest.raises(IllegalTransition) as info:
            machine.transition(target)
        assert machine.state is current
        assert str(info.value) == f"illegal lifecycle transition {current.value} -> {target.value}"


def test_lambda_phases_and_a_full_lifecycle() -> None:
    seen: list[tuple[EnvState, EnvState]] = []
    machine = StateMachine()
    machine.add_listener(lambda old, new: seen.append((old, new)))
    path = [
        EnvState.INITIALIZING,
        EnvState.IDLE,
        EnvState.FROZEN,
        EnvState.INVOKING,
        EnvState.RESET,
        EnvState.INITIALIZING,
        EnvState.IDLE,
        EnvState.SHUTTING_DOWN,
        EnvState.SHUT_DOWN,
    ]
    for state in path:
        machine.transition(state)
    assert [new for _, new in seen] == path
    assert [
        s.phase for s in (EnvState.INITIALIZING, EnvState.INVOKING, EnvState.SHUTTING_DOWN)
    ] == ["Init", "Invoke", "Shutdown"]
    assert not TRANSITIONS[EnvState.SHUT_DOWN]


def test_only_from_skips_without_raising() -> None:
    machine = StateMachine(EnvState.SHUTTING_DOWN)
    assert machine.transition(EnvState.RESET, only_from=(EnvState.IDLE,)) is False
    assert machine.state is EnvState.SHUTTING_DOWN


def test_a_broken_listener_does_not_break_the_lifecycle() -> None:
    machine = StateMachine()
    machine.add_listener(lambda old, new: 1 / 0)
    machine.transition(EnvState.INITIALIZING)
    assert machine.state is EnvState.INITIALIZING


def test_wait_for_wakes_on_transition_and_history_is_bounded() -> None:
    machine = StateMachine(EnvState.IDLE)
    threading.Timer(0.05, machine.transition, (EnvState.INVOKING,)).start()
    assert machine.wait_for([EnvState.INVOKING], 5) is EnvState.INVOKING
    for _ in range(300):
        machine.transition(EnvState.IDLE)
        machine.transition(EnvState.INVOKING)
    assert len(machine.history) == 256
