"""Wire names of the Runtime API: paths, headers, status bodies and limits."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

API_VERSION = "2018-06-01"
PREFIX = f"/{API_VERSION}/runtime"
NEXT_PATH = f"{PREFIX}/invocation/next"
INIT_ERROR_PATH = f"{PREFIX}/init/error"
RESTORE_NEXT_PATH = f"{PREFIX}/restore/next"
RESTORE_ERROR_PATH = f"{PREFIX}/restore/error"
INVOCATION_PATH_RE = re.compile(rf"^{re.escape(PREFIX)}/invocation/([^/]+)/(response|error)$")

HEADER_REQUEST_ID = "Lambda-Runtime-Aws-Request-Id"
HEADER_DEADLINE_MS = "Lambda-Runtime-Deadline-Ms"
HEADER_FUNCTION_ARN = "Lambda-Runtime-Invoked-Function-Arn"
HEADER_TRACE_ID = "Lambda-Runtime-Trace-Id"
HEADER_CLIENT_CONTEXT = "Lambda-Runtime-Client-Context"
HEADER_COGNITO_IDENTITY = "Lambda-Runtime-Cognito-Identity"
HEADER_TENANT_ID = "Lambda-Runtime-Aws-Tenant-Id"
HEADER_ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
HEADER_ERROR_BODY = "Lambda-Runtime-Function-Error-Body"  # a trailer of a streamed response
HEADER_RESPONSE_MODE = "Lambda-Runtime-Function-Response-Mode"
STREAMING = "streaming"

#: The largest response body a runtime may post: 6 MiB plus 100 bytes.
MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100
#: The largest synchronous invocation payload: 6 MB.
MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024
#: The largest asynchronous invocation payload: 1 MB (since October 2025; 256 KB before).
MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024

ACCEPTED_BODY = b'{"status":"OK"}'
INVALID_REQUEST_ID_BODY = b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}'
TOO_LARGE_BODY = (
    b'{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).",'
    b'"errorType":"RequestEntityTooLarge"}'
)
INVALID_RESPONSE_MODE_BODY = (
    b'{"errorMessage":"Invalid response mode header value. Expected \'streaming\'",'
    b'"errorType":"InvalidFunctionResponseMode"}'
)
_ERROR_TYPE_RE = re.compile(r"^(Runtime|Function)\.[A-Z][a-zA-Z]+$")


def normalize_error_type(value: str | None) -> str:
    """Lambda keeps an error-type header only in the form ``Runtime.Xxx``/``Function.Xxx``."""
    if value and _ERROR_TYPE_RE.match(value):
        return value
    if value and value.startswith("Function."):
        return "Function.Unknown"
    return "Runtime.Unknown"


def state_transition_body(current: str, target: str, detail: str) -> bytes:
    """The 403 body for a request the runtime's state does not allow."""
    import json

    message = f"State transition from {current} to {target} failed for runtime. Error: {detail}"
    return json.dumps({"errorMessage": message, "errorType": "InvalidStateTransition"}).encode()


@dataclass(frozen=True)
class ApiMessage:
    """One HTTP message of the Runtime API, as an observer sees it (for teaching and tracing)."""

    sender: str  # "runtime" (a request) or "platform" (a response)
    start_line: str  # "GET /2018-06-01/runtime/invocation/next" or "202 Accepted"
    headers: dict[str, str]
    body: bytes
    time: float = field(default_factory=time.time)

    def __str__(self) -> str:
        arrow = "runtime  -> platform" if self.sender == "runtime" else "platform -> runtime "
        lines = [f"{arrow}  {self.start_line}"]
        lines += [
            f"    {k}: {v}"
            for k, v in self.headers.items()
            if k.lower().startswith("lambda-runtime")
        ]
        if self.body:
            text = self.body[:300].decode("utf-8", "replace")
            lines.append(f"    {text}{'...' if len(self.body) > 300 else ''}")
        return "\n".join(lines)


def stream_error(trailers: dict[str, str]) -> tuple[str, bytes] | None:
    """The error a streamed response reported in its trailers: its type (normalized) and its
    JSON body (sent base64-encoded), or None when the stream ended well."""
    error_type = trailers.get(HEADER_ERROR_TYPE.lower())
    if error_type is None:
        return None
    import base64
    import binascii

    raw = trailers.get(HEADER_ERROR_BODY.lower(), "")
    try:
        body = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        body = raw.encode()
    return error_type, body
