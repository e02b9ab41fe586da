"""Lambda's errors as its REST-JSON protocol sends them, so that boto3 raises the right class.

An error is a status code, the header ``x-amzn-ErrorType: <Name>`` and a JSON body
``{"Type": "User"|"Service", "message": ...}`` (``Message`` for the shapes whose model member is
spelled so), plus the shape's other members (``Reason`` of ``TooManyRequestsException``).
"""

from __future__ import annotations

import json
from typing import Any

from lambda_magic.api.errors import InvalidRequestError, TooManyRequestsError

#: Status codes of the errors this server sends (from botocore's model of Lambda), and of the
#: protocol errors every AWS REST service sends (authentication, unknown operation).
STATUS = {
    "InvalidParameterValueException": 400,
    "InvalidRequestContentException": 400,
    "MissingAuthenticationTokenException": 403,
    "IncompleteSignatureException": 403,
    "InvalidSignatureException": 403,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ProvisionedConcurrencyConfigNotFoundException": 404,
    "UnknownOperationException": 404,
    "ResourceConflictException": 409,
    "PreconditionFailedException": 412,
    "RequestTooLargeException": 413,
    "UnsupportedMediaTypeException": 415,
    "TooManyRequestsException": 429,
    "ServiceException": 500,
}
#: Shapes whose message member is ``Message`` in the model (the others say ``message``).
CAPITAL_MESSAGE = frozenset({"ResourceNotFoundException", "ServiceException"})


class ApiError(Exception):
    """An error answered to the caller in Lambda's shape."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message
        self.status = STATUS.get(code, 400)
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> bytes:
        """The JSON body: ``Type``, the message, then the shape's other members."""
        key = "Message" if self.code in CAPITAL_MESSAGE else "message"
        data: dict[str, Any] = {"Type": "Service" if self.status >= 500 else "User"}
        data[key] = self.message
        data.update(self.extra)
        return json.dumps(data).encode()

    def response_headers(self) -> dict[str, str]:
        """``x-amzn-ErrorType`` and the error's own headers."""
        return {"x-amzn-ErrorType": self.code, **self.headers}


def from_exception(error: Exception) -> ApiError:
    """The answer to an error the API layer raised (4xx), or ``ServiceException``."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, TooManyRequestsError):
        return ApiError(
            "TooManyRequestsException",
            error.message,
            extra={"Reason": error.reason},
            headers={"Retry-After": "1"},
        )
    if isinstance(error, InvalidRequestError):
        return ApiError(error.error_type, error.message)
    if isinstance(error, ValueError):  # ConfigError and friends: a bad parameter value
        return ApiError("InvalidParameterValueException", str(error))
    return ApiError("ServiceException", f"{type(error).__name__}: {error}")


def invalid(message: str) -> ApiError:
    """``InvalidParameterValueException``."""
    return ApiError("InvalidParameterValueException", message)
