"""Shared fixtures: functions that are always shut down, and small helpers for REPORT lines."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator

import pytest

# Keep IPython and Jupyter away from the user's own configuration.
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
