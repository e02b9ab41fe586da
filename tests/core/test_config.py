"""Function configuration is validated like Lambda's API, and nothing starts on bad input."""

from __future__ import annotations

import pytest

from lambda_magic import LambdaFunction
from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ConfigError
from lambda_magic.platform.sandbox import client


def test_defaults_are_lambdas() -> None:
    cfg = FunctionConfig("hello")
    assert (cfg.handler, cfg.memory_size, cfg.timeout, cfg.ephemeral_storage) == (
        "lambda_function.lambda_handler",
        128,
        3,
        512,
    )
    assert (cfg.region, cfg.version, cfg.log_format) == ("us-east-1", "$LATEST", "Text")
    assert cfg.function_arn == "arn:aws:lambda:us-east-1:123456789012:function:hello"
    assert cfg.log_group_name == "/aws/lambda/hello"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("memory_size", 127, "memory_size must be from 128 to 10240 MB, got 127"),
        ("memory_size", 10241, "memory_size must be from 128 to 10240 MB, got 10241"),
        ("memory_size", "256", "memory_size must be a whole number of MB from 128 to 10240"),
        ("timeout", 0, "timeout must be from 1 to 900 seconds, got 0"),
        ("timeout", 901, "timeout must be from 1 to 900 seconds, got 901"),
        ("timeout", 2.5, "timeout must be a whole number of seconds from 1 to 900"),
        ("ephemeral_storage", 511, "ephemeral_storage must be from 512 to 10240 MB, got 511"),
        ("ephemeral_storage", 10241, "ephemeral_storage must be from 512 to 10240 MB"),
        ("region", "mars", "region must look like us-east-1"),
        ("log_format", "XML", "log_format must be one of Text, JSON; got 'XML'"),
        ("handler", "has space.fn", "handler 'has space.fn' is invalid"),
        ("version", "latest", "version must be $LATEST or a number"),
        ("shutdown_grace_ms", 5000, "shutdown_grace_ms must be from 0 to 2000 ms"),
        ("idle_timeout", -1, "idle_timeout must be a positive number of seconds or None"),
        ("freeze", "yes", "freeze must be True or False"),
    ],
)
def test_bad_values_name_the_field_and_the_allowed_range(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        FunctionConfig("f", **{field: value})
    assert message in str(info.value)


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "a/b", "naïve"])
def test_function_names_follow_lambdas_rule(name: str) -> None:
    with pytest.raises(ConfigError, match="use 1 to 64 letters, digits, hyphens"):
        FunctionConfig(name)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"A": "x"}, "at least 2 characters"),
        ({"1AB": "x"}, "must start with a letter"),
        ({"A-B": "x"}, "use only letters, digits and underscores"),
        (
            {"AWS_REGION": "eu-west-1"},
            "reserved keys that Lambda does not let a function modify: AWS_REGION",
        ),
        ({"_HANDLER": "x", "LAMBDA_TASK_ROOT": "/x"}, "LAMBDA_TASK_ROOT, _HANDLER"),
        ({"AB": 1}, "environment value of AB must be a str, got int"),
        ({"BIG": "x" * 4094}, "Lambda allows at most 4 KB (4096 bytes)"),
    ],
)
def test_environment_rules(env: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        FunctionConfig("f", environment=env)
    assert message in str(info.value)


def test_environment_at_exactly_4_kb_is_accepted() -> None:
    assert FunctionConfig("f", environment={"BIG": "x" * 4093}).environment["BIG"]


def test_log_levels_need_json_format() -> None:
    with pytest.raises(ConfigError, match="only be set when log_format is JSON"):
        FunctionConfig("f", log_level="DEBUG")
    assert FunctionConfig("f", log_format="JSON", log_level="DEBUG").log_level == "DEBUG"
    with pytest.raises(
        ConfigError, match="log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL"
    ):
        FunctionConfig("f", log_format="JSON", log_level="LOUD")


def test_replace_validates_and_rejects_unknown_fields() -> None:
    cfg = FunctionConfig("f")
    assert cfg.replace(timeout=10).timeout == 10
    with pytest.raises(ConfigError, match="timeout must be from 1 to 900"):
        cfg.replace(timeout=1000)
    with pytest.raises(ConfigError, match="unknown configuration field\\(s\\): memory"):
        cfg.replace(memory=256)


def test_a_bad_function_starts_nothing() -> None:
    before = client._manager
    with pytest.raises(ConfigError):
        LambdaFunction("ok", "def lambda_handler(e, c): pass", memory_size=64)
    assert client._manager is before  # no sandbox manager was started for it
