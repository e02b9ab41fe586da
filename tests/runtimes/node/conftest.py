"""Fixtures of the Node.js runtime tests: functions run by the built-in bootstrap or by AWS's own
client (the npm package aws-lambda-ric, the oracle), for a chosen Node.js runtime id.

A function's ``runtime`` is the Node.js id (the host sets ``AWS_EXECUTION_ENV``); the oracle runs
through ``runtime_command``. A test that needs node or the oracle fails when it is missing (install the oracle with
tests/runtimes/node/oracle/install.py).
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import lambda_magic
from tests.runtimes.node.oracle.install import installed

BOOTSTRAP = str(Path(lambda_magic.__file__).parent / "runtimes" / "node" / "bootstrap.mjs")
#: The client each runtime id behaves as (the 4.x client refuses callbacks).
ORACLE_PACKAGE = {"nodejs20.x": "aws-lambda-ric-3", "nodejs22.x": "aws-lambda-ric-3",
                  "nodejs24.x": "aws-lambda-ric-4"}  # fmt: skip


def node_binary() -> str:
    """The machine's node; the test fails without it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: bash .ci/run installs Node.js 22 into .venv/bin")
    return node


def oracle_modules() -> str:
    """The oracle's node_modules; the test fails when it is not installed."""
    modules = installed()
    if modules is None:
        pytest.fail("the aws-lambda-ric oracle is not installed: run "
                    "python tests/runtimes/node/oracle/install.py (.ci/run does)")  # fmt: skip
    return modules


def runtime_command(
    runtime: str, client: str = "builtin", extra_env: tuple[str, ...] = ()
) -> list[str]:
    """The command running ``client`` ("builtin" or "oracle") as ``runtime`` (its id in
    ``AWS_EXECUTION_ENV``, for a runtime started outside a function)."""
    env = ["env", f"AWS_EXECUTION_ENV=AWS_Lambda_{runtime}", *extra_env, node_binary()]
    if client == "builtin":
        return [*env, BOOTSTRAP]
    package = os.path.join(oracle_modules(), ORACLE_PACKAGE[runtime])
    if runtime == "nodejs24.x":
        return [*env, os.path.join(package, "index.mjs")]
    return [*env, os.path.join(package, "bin", "index.mjs"), "{handler}"]


@pytest.fixture
def node_function(make_function: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Build a Node.js function: ``node_function(files, handler="index.handler",
    runtime="nodejs22.x", client="builtin", **config)``; file bodies are dedented."""

    def make(files: dict[str, str], handler: str = "index.handler", runtime: str = "nodejs22.x",
             client: str = "builtin", extra_env: tuple[str, ...] = (), **config: Any) -> Any:  # fmt: skip
        sources = {name: textwrap.dedent(body) for name, body in files.items()}
        # The built-in bootstrap is what the runtime setting starts; the oracle is a command.
        command = None if client == "builtin" and not extra_env else runtime_command(
            runtime, client, extra_env)  # fmt: skip
        return make_function("", files=sources, handler=handler, runtime=runtime,
                             runtime_command=command, **config)  # fmt: skip

    yield make


def app_lines(result: Any) -> list[str]:
    """The function's own log records (platform lines and the npm bin's banner left out)."""
    platform = ("INIT_START", "START", "END", "REPORT", "INIT_REPORT", "Executing '", '{"time":')
    return [e.message for e in result.log_events if not e.message.startswith(platform)]
