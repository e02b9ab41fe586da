"""Function configuration, validated the way Lambda's API validates it.

A bad value raises :class:`~lambda_magic.core.errors.ConfigError` naming the field and the allowed
values, before anything starts.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from lambda_magic.core.errors import ConfigError

DEFAULT_HANDLER = "lambda_function.lambda_handler"
#: The runtime a function gets when it names none: the Python running here.
DEFAULT_RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
#: The runtime identifiers lambda_magic accepts (each served by a plug-in in runtimes/).
RUNTIMES = (
    "python3.10", "python3.11", "python3.12", "python3.13",
    "nodejs20.x", "nodejs22.x", "nodejs24.x",
    "java17", "java21",
    "provided.al2023",
)  # fmt: skip
LATEST = "$LATEST"
LOG_FORMATS = ("Text", "JSON")
APPLICATION_LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
SYSTEM_LOG_LEVELS = ("DEBUG", "INFO", "WARN")
ENV_TOTAL_LIMIT = 4096

#: Variables Lambda sets itself; a function configuration may not set them.
RESERVED_ENV_KEYS = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)

_NAME_RE = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_ENV_KEY_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9_]+")
_REGION_RE = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
_ACCOUNT_RE = re.compile(r"\d{12}")


def _int_in_range(field_name: str, value: Any, low: int, high: int, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ConfigError(
                f"{field_name} must be a whole number of {unit} from {low} to {high}, got {value!r}"
            )
    if not low <= value <= high:
        raise ConfigError(f"{field_name} must be from {low} to {high} {unit}, got {value}")
    return int(value)


def _check_choice(field_name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{field_name} must be one of {', '.join(choices)}; got {value!r}")


def validate_function_name(name: Any) -> str:
    """Return ``name`` if Lambda accepts it as a function name, else raise ConfigError."""
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ConfigError(
            f"function name {name!r} is invalid: use 1 to 64 letters, digits, hyphens (-) "
            "or underscores (_)"
        )
    return name


def validate_environment(env: Any) -> dict[str, str]:
    """Check the function's own variables against Lambda's key rules, reserved keys and 4 KB."""
    if env is None:
        return {}
    if not isinstance(env, dict):
        raise ConfigError(f"environment must be a dict of str to str, got {type(env).__name__}")
    reserved = sorted(k for k in env if k in RESERVED_ENV_KEYS)
    if reserved:
        raise ConfigError(
            "environment sets reserved keys that Lambda does not let a function modify: "
            + ", ".join(reserved)
        )
    for key, value in env.items():
        if not isinstance(key, str) or not _ENV_KEY_RE.fullmatch(key):
            raise ConfigError(
                f"environment key {key!r} is invalid: it must start with a letter, have at least "
                "2 characters, and use only letters, digits and underscores"
            )
        if not isinstance(value, str):
            raise ConfigError(
                f"environment value of {key} must be a str, got {type(value).__name__}"
            )
    size = sum(len(k.encode()) + len(v.encode()) for k, v in env.items())
    if size > ENV_TOTAL_LIMIT:
        raise ConfigError(
            f"environment variables total {size} bytes; Lambda allows at most 4 KB "
            f"({ENV_TOTAL_LIMIT} bytes) of keys and values"
        )
    return dict(env)


@dataclass(frozen=True)
class FunctionConfig:
    """A function's configuration, as Lambda's ``CreateFunction`` API takes it.

    Every field is validated on construction and on :meth:`replace`. Fields after
    ``log_level`` are lambda_magic's own (they have no Lambda equivalent).

    Examples
    --------
    >>> FunctionConfig("hello", memory_size=256, timeout=5).timeout
    5
    """

    name: str
    handler: str = DEFAULT_HANDLER
    runtime: str = DEFAULT_RUNTIME
    memory_size: int = 128
    timeout: int = 3
    ephemeral_storage: int = 512
    environment: dict[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    account_id: str = "123456789012"
    version: str = LATEST
    log_format: str = "Text"
    log_level: str | None = None
    system_log_level: str | None = None
    log_group: str | None = None
    freeze: bool = True
    #: Seconds an environment may stay idle before it is shut down; ``None`` keeps it forever.
    idle_timeout: float | None = None
    #: Milliseconds the runtime gets between SIGTERM and SIGKILL at shutdown.
    shutdown_grace_ms: int = 300
    #: A custom runtime command (``{handler}`` is replaced); ``None`` runs the built-in runtime.
    runtime_command: tuple[str, ...] | None = None
    #: The most invocations in flight at once (None: only the machine-wide limit); 0 throttles all.
    reserved_concurrency: int | None = None
    #: Environments initialized ahead of time (``AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency``).
    provisioned_concurrency: int = 0

    def __post_init__(self) -> None:
        validate_function_name(self.name)
        _check_choice("runtime", self.runtime, RUNTIMES)
        if not isinstance(self.handler, str) or not re.fullmatch(r"[^\s]{1,128}", self.handler):
            raise ConfigError(
                f"handler {self.handler!r} is invalid: 1 to 128 characters with no spaces, "
                "such as lambda_function.lambda_handler"
            )
        object.__setattr__(
            self, "memory_size", _int_in_range("memory_size", self.memory_size, 128, 10240, "MB")
        )
        object.__setattr__(
            self, "timeout", _int_in_range("timeout", self.timeout, 1, 900, "seconds")
        )
        storage = _int_in_range("ephemeral_storage", self.ephemeral_storage, 512, 10240, "MB")
        object.__setattr__(self, "ephemeral_storage", storage)
        object.__setattr__(self, "environment", validate_environment(self.environment))
        self._validate_identity()
        self._validate_logging()
        self._validate_host_options()

    def _validate_identity(self) -> None:
        if not isinstance(self.region, str) or not _REGION_RE.fullmatch(self.region):
            raise ConfigError(f"region must look like us-east-1 or eu-west-2; got {self.region!r}")
        if not isinstance(self.account_id, str) or not _ACCOUNT_RE.fullmatch(self.account_id):
            raise ConfigError(f"account_id must be 12 digits; got {self.account_id!r}")
        if self.version != LATEST and not (
            isinstance(self.version, str) and self.version.isdigit()
        ):
            raise ConfigError(f"version must be $LATEST or a number; got {self.version!r}")

    def _validate_logging(self) -> None:
        _check_choice("log_format", self.log_format, LOG_FORMATS)
        if self.log_level is not None:
            _check_choice("log_level", self.log_level, APPLICATION_LOG_LEVELS)
        if self.system_log_level is not None:
            _check_choice("system_log_level", self.system_log_level, SYSTEM_LOG_LEVELS)
        if self.log_format != "JSON" and (self.log_level or self.system_log_level):
            raise ConfigError(
                "log_level and system_log_level can only be set when log_format is JSON "
                "(as in Lambda's LoggingConfig)"
            )
        if self.log_group is not None and not re.fullmatch(r"[\w#\-./]{1,512}", self.log_group):
            raise ConfigError(f"log_group {self.log_group!r} is not a valid log group name")

    def _validate_host_options(self) -> None:
        if not isinstance(self.freeze, bool):
            raise ConfigError(f"freeze must be True or False; got {self.freeze!r}")
        if self.idle_timeout is not None and (
            isinstance(self.idle_timeout, bool)
            or not isinstance(self.idle_timeout, (int, float))
            or self.idle_timeout <= 0
        ):
            raise ConfigError(
                f"idle_timeout must be a positive number of seconds or None; got {self.idle_timeout!r}"
            )
        grace = _int_in_range("shutdown_grace_ms", self.shutdown_grace_ms, 0, 2000, "ms")
        object.__setattr__(self, "shutdown_grace_ms", grace)
        if self.reserved_concurrency is not None:
            reserved = _int_in_range(
                "reserved_concurrency", self.reserved_concurrency, 0, 1000, "invocations"
            )
            object.__setattr__(self, "reserved_concurrency", reserved)
        provisioned = _int_in_range(
            "provisioned_concurrency", self.provisioned_concurrency, 0, 1000, "environments"
        )
        object.__setattr__(self, "provisioned_concurrency", provisioned)
        if self.reserved_concurrency is not None and provisioned > self.reserved_concurrency:
            raise ConfigError(
                f"provisioned_concurrency ({provisioned}) cannot exceed reserved_concurrency "
                f"({self.reserved_concurrency})"
            )
        if self.runtime_command is not None:
            cmd = self.runtime_command
            if isinstance(cmd, str) or not cmd or not all(isinstance(a, str) for a in cmd):
                raise ConfigError("runtime_command must be a non-empty list of strings")
            object.__setattr__(self, "runtime_command", tuple(cmd))

    def replace(self, **changes: Any) -> FunctionConfig:
        """A copy with ``changes`` applied and validated."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ConfigError(
                f"unknown configuration field(s): {', '.join(sorted(unknown))}; allowed: "
                + ", ".join(f.name for f in dataclasses.fields(self))
            )
        return dataclasses.replace(self, **changes)

    # Derived values -------------------------------------------------------------------------
    @property
    def function_arn(self) -> str:
        """``arn:aws:lambda:<region>:<account>:function:<name>``."""
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.name}"

    @property
    def log_group_name(self) -> str:
        """The CloudWatch log group, ``/aws/lambda/<name>`` unless configured."""
        return self.log_group or f"/aws/lambda/{self.name}"
