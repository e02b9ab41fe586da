"""Lambda's invocation types, as one table: ``RequestResponse``, ``Event`` and ``DryRun``.

Each type is a function ``(function, request) -> answer``; :func:`handler_of` finds it by name
(the ``InvocationType`` of Lambda's Invoke API). A new invocation type is a function and a line
in :data:`INVOCATION_TYPES`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lambda_magic.api import chain
from lambda_magic.api.hints import private_tmp_note
from lambda_magic.core import ids
from lambda_magic.core.cancel import Cancellation as Cancellation
from lambda_magic.core.errors import InvalidRequestError
from lambda_magic.core.notifications import AsyncQueued
from lambda_magic.engine.invocation import InvocationRequest, invoke
from lambda_magic.platform.logs import LogCallback
from lambda_magic.platform.package import encode_client_context, encode_event
from lambda_magic.platform.runtime_api.models import MAX_ASYNC_PAYLOAD_BYTES

if TYPE_CHECKING:
    from lambda_magic.api.async_invoke import AsyncInvocation
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.api.versions import Target
    from lambda_magic.engine.result import InvocationResult


@dataclass(frozen=True)
class Request:
    """What a caller asks of an invocation."""

    event: Any = None
    payload: bytes | str | None = None
    client_context: Mapping[str, Any] | None = None
    identity: Mapping[str, Any] | None = None
    on_log: LogCallback | None = None
    request_id: str | None = None
    cancel: Cancellation | None = None
    #: A published version or an alias (None: ``$LATEST``, unqualified).
    qualifier: str | None = None
    #: The caller's trace header (``X-Amzn-Trace-Id``): the invocation continues its trace.
    trace_id: str | None = None
    #: Called (on the I/O thread) with each part of a streamed response as it arrives.
    on_chunk: Callable[[bytes], None] | None = None


@dataclass(frozen=True)
class Prepared:
    """A synchronous invocation checked and resolved, not yet run (see :func:`prepare`)."""

    request: Request
    invocation: InvocationRequest
    target: Target
    segment: str


def prepare(fn: LambdaFunction, req: Request) -> Prepared:
    """Check the request and resolve what it runs; a bad event or an unknown version or alias
    raises here, before anything runs."""
    target = fn.versions.resolve(req.qualifier)
    trace, segment = chain.new_trace(req.trace_id)
    invocation = InvocationRequest(
        body=encode_event(req.event, req.payload),
        request_id=req.request_id or ids.request_id(),
        client_context=(
            encode_client_context(req.client_context) if req.client_context is not None else None
        ),
        identity=json.dumps(dict(req.identity)) if req.identity is not None else None,
        on_chunk=req.on_chunk,
        function_arn=target.invoked_arn,
        trace_id=trace,
    )
    return Prepared(req, invocation, target, segment)


def run(fn: LambdaFunction, prepared: Prepared) -> InvocationResult:
    """Run a prepared invocation and wait for its result (recorded in the function's history)."""
    req, request = prepared.request, prepared.invocation
    env = fn.pool.acquire(revision=prepared.target.revision)
    chain.enter(prepared.segment, fn.name, request.request_id)
    try:
        result = invoke(env, request, req.on_log, req.cancel)
    except KeyboardInterrupt as e:  # Ctrl-C: the interrupted invocation's result is kept
        interrupted = getattr(e, "interrupted_result", None)
        if interrupted is not None:
            fn.record(interrupted)
        raise
    finally:
        chain.leave(prepared.segment)
        fn.pool.release(env)
    if result.error is not None and env.sandbox.namespaces:
        note = private_tmp_note(result)
        if note:
            result.notes.append(note)
    result.caller = chain.caller_of(req.trace_id)
    fn.record(result)
    return result


def request_response(fn: LambdaFunction, req: Request) -> InvocationResult:
    """Synchronous: run it and wait for the result (recorded in the function's history)."""
    return run(fn, prepare(fn, req))


def event(fn: LambdaFunction, req: Request) -> AsyncInvocation:
    """Asynchronous: queue the event (accepted at once), then Lambda's retries and
    destinations."""
    body = encode_event(req.event, req.payload, MAX_ASYNC_PAYLOAD_BYTES, "InvokeAsync")
    fn.versions.resolve(req.qualifier)  # an unknown version or alias is refused now
    item = fn.async_queue().submit(json.loads(body), body, req.qualifier, req.trace_id)
    fn.notify(AsyncQueued(item))
    return item


def dry_run(fn: LambdaFunction, req: Request) -> int:
    """Validate the request without running anything: 204."""
    encode_event(req.event, req.payload)
    fn.versions.resolve(req.qualifier)
    return 204


Handler = Callable[["LambdaFunction", Request], Any]
INVOCATION_TYPES: dict[str, Handler] = {
    "RequestResponse": request_response,
    "Event": event,
    "DryRun": dry_run,
}


def handler_of(invocation_type: str) -> Handler:
    """The invocation type named ``invocation_type``; Lambda's error names the allowed ones."""
    try:
        return INVOCATION_TYPES[invocation_type]
    except KeyError:
        *first, last = INVOCATION_TYPES
        allowed = f"{', '.join(first)} or {last}"
        raise InvalidRequestError(
            "InvalidParameterValueException",
            f"invocation_type must be {allowed}; got {invocation_type!r}",
        ) from None
