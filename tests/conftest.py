"""Shared fixtures: functions that are always shut down, and a machine-wide concurrency limit
that comes back after the test (helpers are in tests/helpers.py)."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator

import pytest

# Kernels started by the tests would otherwise warn that frozen modules hide debugger breakpoints.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


@pytest.fixture
def make_function() -> Iterator[Callable[..., object]]:
    """Build LambdaFunctions from dedented source; every one is shut down afterwards."""
    from lambda_magic import LambdaFunction

    made: list[LambdaFunction] = []

    def make(code: str, name: str = "fn", **config: object) -> LambdaFunction:
        fn = LambdaFunction(name, textwrap.dedent(code), **config)
        made.append(fn)
        return fn

    yield make
    for fn in made:
        fn.shutdown()


@pytest.fixture
def machine_limit() -> Iterator[Callable[[int], None]]:
    """Set the machine-wide concurrency limit for one test; the old one comes back after."""
    from lambda_magic.engine.pool import MACHINE, set_concurrency_limit

    before = MACHINE.limit
    yield set_concurrency_limit
    set_concurrency_limit(before)
