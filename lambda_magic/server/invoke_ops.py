"""``Invoke`` and ``InvokeWithResponseStream``, answered as Lambda answers them.

* ``RequestResponse``: 200 and the function's response (or its error JSON, with
  ``X-Amz-Function-Error: Unhandled``), ``X-Amz-Executed-Version``, and with
  ``X-Amz-Log-Type: Tail`` the base64 of the last 4 KB of the invocation's log in
  ``X-Amz-Log-Result``. ``Event``: 202, queued with the function's retries and destinations.
  ``DryRun``: 204.
* ``X-Amz-Client-Context``: base64 of a JSON object, at most 3,583 bytes, seen by the handler
  as ``context.client_context``. ``X-Amzn-Trace-Id`` (which botocore sends from inside a
  handler) is continued: the callee's result and the call log name the invocation that called.
* ``InvokeWithResponseStream``: the body is an event stream of ``PayloadChunk`` events, each
  sent as the function writes it, and one ``InvokeComplete`` (``ErrorCode``/``ErrorDetails``
  when the function failed, ``LogResult`` with Tail).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from lambda_magic.server import eventstream, names
from lambda_magic.server.errors import ApiError, invalid
from lambda_magic.server.http import Response
from lambda_magic.server.routes import Context

#: The size of ``X-Amz-Log-Result``'s log: its last 4 KB.
TAIL_BYTES = 4096
#: The largest ``X-Amz-Client-Context`` Lambda takes (base64 characters).
CLIENT_CONTEXT_LIMIT = 3583
INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")


def tail_log(result: Any) -> str:
    """``LogResult``: base64 of the last 4 KB of the invocation's log."""
    text = "".join(
        e.message if e.message.endswith("\n") else e.message + "\n" for e in result.log_events
    )
    return base64.b64encode(text.encode()[-TAIL_BYTES:]).decode()


def client_context(header: str | None) -> dict[str, Any] | None:
    """The decoded ``X-Amz-Client-Context``, refused as Lambda refuses it."""
    if header is None:
        return None
    if len(header) > CLIENT_CONTEXT_LIMIT:
        raise invalid(
            f"Client context must be at most {CLIENT_CONTEXT_LIMIT} bytes once base64-encoded; "
            f"this one is {len(header)} bytes"
        )
    try:
        value = json.loads(base64.b64decode(header, validate=True))
    except (binascii.Error, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ApiError(
            "InvalidRequestContentException",
            "Client context must be a valid Base64-encoded JSON object.",
        )
    return value


def _options(ctx: Context, allowed: tuple[str, ...]) -> tuple[names.Named, str, bool]:
    headers = ctx.request.headers
    ctx.call.function = ctx.params["FunctionName"]
    named = names.resolve(ctx.params["FunctionName"], ctx.query("Qualifier"))
    ctx.call.function, ctx.call.qualifier = named.function.name, named.qualifier
    kind = headers.get("x-amz-invocation-type", "RequestResponse")
    if kind not in allowed:
        raise invalid(f"X-Amz-Invocation-Type must be {', '.join(allowed)}; got {kind!r}")
    log_type = headers.get("x-amz-log-type", "None")
    if log_type not in ("None", "Tail"):
        raise invalid(f"X-Amz-Log-Type must be None or Tail; got {log_type!r}")
    return named, kind, log_type == "Tail"


def _invoke(ctx: Context, named: names.Named, kind: str) -> Any:
    body = ctx.request.body
    trace = ctx.request.headers.get("x-amzn-trace-id")
    return named.function.invoke(
        payload=body if body else None,
        invocation_type=kind,
        client_context=client_context(ctx.request.headers.get("x-amz-client-context")),
        qualifier=named.qualifier,
        trace_id=trace,
        cancel=ctx.cancel if kind == "RequestResponse" else None,
    )


def invoke(ctx: Context) -> Response:
    """``POST /2015-03-31/functions/{FunctionName}/invocations``."""
    named, kind, tail = _options(ctx, INVOCATION_TYPES)
    answer = _invoke(ctx, named, kind)
    if kind == "DryRun":
        return Response(204)
    if kind == "Event":
        ctx.call.request_id = answer.request_id
        ctx.call.caller = answer.caller
        return Response(202, headers={"x-amzn-RequestId": answer.request_id})
    result = answer
    _record(ctx, result)
    headers = {
        "X-Amz-Executed-Version": result.executed_version,
        "x-amzn-RequestId": result.request_id,
    }
    if result.error is not None:
        headers["X-Amz-Function-Error"] = "Unhandled"
        body = result.error.to_json().encode()
    else:
        body = result.raw
    if tail:
        headers["X-Amz-Log-Result"] = tail_log(result)
    return Response(200, body, headers)


def _record(ctx: Context, result: Any) -> None:
    call = ctx.call
    call.request_id, call.executed_version, call.caller = (
        result.request_id,
        result.executed_version,
        result.caller,
    )


def invoke_with_response_stream(ctx: Context) -> Response:
    """``POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations``: each part
    of a streamed response goes to the caller as a ``PayloadChunk`` as the function writes it."""
    named, kind, tail = _options(ctx, ("RequestResponse", "DryRun"))
    if kind == "DryRun":
        _invoke(ctx, named, kind)
        return Response(204)
    body = ctx.request.body
    stream = named.function.invoke_stream(
        payload=body if body else None,
        client_context=client_context(ctx.request.headers.get("x-amz-client-context")),
        qualifier=named.qualifier,
        trace_id=ctx.request.headers.get("x-amzn-trace-id"),
        cancel=ctx.cancel,
    )
    chunks = iter(stream)
    first = next(chunks, None)  # a throttle or another error before the function ran: raised
    ctx.call.request_id = stream.request_id

    def write_stream(write: Any) -> None:
        sink = eventstream.ChunkSink(write)
        if first is not None:
            sink.chunk(first)
        for chunk in chunks:
            sink.chunk(chunk)
        result = stream.result
        assert result is not None
        _record(ctx, result)
        log_result = tail_log(result) if tail else None
        if result.error is None:
            sink.complete(log_result=log_result)
        else:
            sink.complete(result.error.error_type, result.error.to_json(), log_result)

    headers = {
        "X-Amz-Executed-Version": stream.executed_version,
        "x-amzn-RequestId": stream.request_id,
        "Content-Type": eventstream.CONTENT_TYPE,
    }
    return Response(200, headers=headers, stream=write_stream)
