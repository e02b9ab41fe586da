"""A Lambda API server for each test module, boto3 clients pointed at it (retries off, so that
a throttle is seen as it is), and functions that are shut down afterwards."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

import lambda_magic
from lambda_magic import LambdaFunction

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "not-checked"}


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    handle = lambda_magic.serve(port=0)
    yield handle
    handle.stop()
    left = [t.name for t in threading.enumerate() if t.name.startswith("lambda-api")]
    assert left == []


def client_for(url: str, **config: Any) -> Any:
    """A boto3 Lambda client of ``url``, retries off."""
    options = {"retries": {"total_max_attempts": 1}, "read_timeout": 60, **config}
    return boto3.client(
        "lambda", endpoint_url=url, region_name=REGION, config=Config(**options), **CREDENTIALS
    )


@pytest.fixture
def lam(server: Any) -> Iterator[Any]:
    client = client_for(server.url)
    yield client
    client.close()


@pytest.fixture
def function(make_function: Callable[..., Any]) -> Callable[..., LambdaFunction]:
    """The root ``make_function`` with the name first, as Lambda's API names functions."""

    def make(name: str, code: str, **config: Any) -> LambdaFunction:
        fn: LambdaFunction = make_function(code, name, **config)
        return fn

    return make
