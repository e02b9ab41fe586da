"""The context object handed to handlers, attribute for attribute as Lambda's Python runtime builds it.

``memory_limit_in_mb`` is a ``str`` (taken straight from the environment variable),
``identity`` is always an object, ``client_context`` is ``None`` unless the invoke carried one,
and ``get_remaining_time_in_millis()`` counts down live from the deadline.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

W3C_ALLOWED_FIELDS = ("traceparent", "tracestate", "baggage")
_CONTEXT_VARIABLES = (
    "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
)  # fmt: skip
# CPython keeps os.environ's encoded keys and values in ``_data`` (every read and write of
# os.environ goes through it): reading it costs two C calls per variable where os.environ.get
# costs four Python ones, on every invoke. Elsewhere os.environ is read as usual.
_RAW_ENVIRON = getattr(os.environ, "_data", None) if os.name == "posix" else None
_RAW_KEYS = tuple(os.fsencode(name) for name in _CONTEXT_VARIABLES)
_FS_ENCODING = sys.getfilesystemencoding()


def _context_variables() -> list[str | None]:
    """The values of :data:`_CONTEXT_VARIABLES` now (a handler may have changed them)."""
    raw = _RAW_ENVIRON
    if raw is None:
        return [os.environ.get(name) for name in _CONTEXT_VARIABLES]
    return [
        None if (value := raw.get(key)) is None else value.decode(_FS_ENCODING, "surrogateescape")
        for key in _RAW_KEYS
    ]


class LambdaContext:
    """``context`` as a Lambda handler receives it."""

    def __init__(
        self,
        invoke_id: str,
        client_context: dict[str, Any] | None,
        cognito_identity: dict[str, Any] | None,
        epoch_deadline_time_in_ms: int,
        invoked_function_arn: str | None = None,
        tenant_id: str | None = None,
    ) -> None:
        self.aws_request_id = invoke_id
        (
            self.log_group_name,
            self.log_stream_name,
            self.function_name,
            self.memory_limit_in_mb,
            self.function_version,
        ) = _context_variables()
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self._w3c_fields = _extract_and_strip_w3c(client_context)
        self.client_context = _make_obj(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _make_obj(Client, self.client_context.client)
        self.identity = _make_obj(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation times out (never below 0)."""
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def w3c(self) -> dict[str, str]:
        """The W3C trace context the invoke carried in its client context."""
        return dict(self._w3c_fields)

    def log(self, msg: Any) -> None:
        """Write ``msg`` to the function's log, as ``context.log`` does on Lambda."""
        for handler in logging.getLogger().handlers:
            if hasattr(handler, "log_sink"):
                handler.log_sink.log(str(msg))
                return
        sys.stdout.write(str(msg))

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(["
            f"aws_request_id={self.aws_request_id},"
            f"log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},"
            f"function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},"
            f"function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},"
            f"client_context={self.client_context},"
            f"identity={self.identity},"
            f"tenant_id={self.tenant_id}"
            "])"
        )


class CognitoIdentity:
    """``context.identity``: the Amazon Cognito identity that authorized the request."""

    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]
    cognito_identity_id: str | None
    cognito_identity_pool_id: str | None

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(["
            f"cognito_identity_id={self.cognito_identity_id},"
            f"cognito_identity_pool_id={self.cognito_identity_pool_id}"
            "])"
        )


class Client:
    """``context.client_context.client``: the calling mobile app."""

    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]
    installation_id: str | None
    app_title: str | None
    app_version_name: str | None
    app_version_code: str | None
    app_package_name: str | None

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(["
            f"installation_id={self.installation_id},"
            f"app_title={self.app_title},"
            f"app_version_name={self.app_version_name},"
            f"app_version_code={self.app_version_code},"
            f"app_package_name={self.app_package_name}"
            "])"
        )


class ClientContext:
    """``context.client_context``: sent by the caller (``custom``, ``env``, ``client``)."""

    __slots__ = ["custom", "env", "client"]
    custom: Any
    env: Any
    client: Any

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}([custom={self.custom},env={self.env},client={self.client}])"
        )


def _make_obj(cls: Any, data: Any) -> Any:
    if data is None:
        return None
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, data.get(name, None))
    return obj


def _extract_and_strip_w3c(client_context: Any) -> dict[str, str]:
    if not isinstance(client_context, dict) or "w3c" not in client_context:
        return {}
    raw = client_context.pop("w3c")
    if not isinstance(raw, dict):
        return {}
    return {k: raw[k] for k in W3C_ALLOWED_FIELDS if isinstance(raw.get(k), str)}
