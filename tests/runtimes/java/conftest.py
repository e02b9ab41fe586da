"""Fixtures of the Java runtime's tests: the built-in runtime built with the machine's JDK (a
missing JDK fails these tests), the test functions' classes, and functions that run them."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lambda_magic import LambdaFunction
from lambda_magic.runtimes import javac
from tests.runtimes.java import sources

_names = itertools.count()


@pytest.fixture(scope="session")
def java_runtime() -> javac.JavaRuntime:
    """The built-in Java runtime (raises JdkNotFoundError, failing the test, without a JDK)."""
    return javac.java_runtime()


@pytest.fixture(scope="session")
def java_classes(java_runtime: javac.JavaRuntime) -> dict[str, bytes]:
    """The compiled classes of every test function, as deployment package files."""
    code = [getattr(sources, name) for name in dir(sources) if name.isupper()]
    compiled = javac.compile_function({javac.source_path(c): c for c in code})
    return javac.class_files(compiled)


@pytest.fixture
def java_function(
    java_runtime: javac.JavaRuntime, java_classes: dict[str, bytes]
) -> Iterator[Callable[..., LambdaFunction]]:
    """Make Java functions (the test classes, the built-in runtime); all shut down afterwards."""
    made: list[LambdaFunction] = []

    def make(
        handler: str, memory_size: int = 256, timeout: float = 3, **config: Any
    ) -> LambdaFunction:
        config.setdefault("runtime", "java17")
        fn = LambdaFunction(f"java{next(_names)}", code="", files=java_classes, handler=handler,
                            memory_size=memory_size, timeout=timeout, **config)  # fmt: skip
        made.append(fn)
        return fn

    yield make
    for fn in made:
        fn.shutdown()


def app_lines(logs: str) -> list[str]:
    """The log lines the function wrote (not the platform's START/END/REPORT/INIT lines)."""
    platform = ("INIT_START", "START RequestId", "END RequestId", "REPORT RequestId", "INIT_REPORT")
    return [line for line in logs.splitlines() if not line.startswith(platform)]
