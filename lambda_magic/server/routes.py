"""Routing: every request is checked (``Host``, then the signature), matched to one of
Lambda's operations by method and path (the routes of botocore's model), answered, and
recorded in the call log. An error anywhere is answered in Lambda's shape."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lambda_magic.server import calls, security
from lambda_magic.server.errors import ApiError, from_exception
from lambda_magic.server.http import App, Request, Response, error_response

if TYPE_CHECKING:
    from lambda_magic.api.invocation_types import Cancellation

MIB = 1024 * 1024
#: Invoke's limit: 6 MB.
INVOKE_BODY_LIMIT = 6 * MIB
#: CreateFunction and UpdateFunctionCode: a 50 MB zip, base64-encoded, in JSON.
CODE_BODY_LIMIT = 70 * MIB
OTHER_BODY_LIMIT = 1 * MIB


@dataclass
class Context:
    """One request being answered: its parameters, the server's state, and its record."""

    request: Request
    params: dict[str, str]
    call: calls.Call
    cancel: Cancellation
    request_id: str

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (an empty body is ``{}``)."""
        if not self.request.body:
            return {}
        try:
            data = json.loads(self.request.body)
        except ValueError as e:
            raise ApiError(
                "InvalidRequestContentException", f"Could not parse request body into json: {e}"
            ) from None
        if not isinstance(data, dict):
            raise ApiError("InvalidRequestContentException", "the request body must be an object")
        return data

    def query(self, name: str) -> str | None:
        """A query parameter, or None."""
        return self.request.query.get(name)


Operation = Callable[[Context], Response]


@dataclass(frozen=True)
class Route:
    """One operation: its method, path pattern (``{Name}`` is one path segment), body limit."""

    method: str
    pattern: re.Pattern[str]
    name: str
    run: Operation
    body_limit: int = OTHER_BODY_LIMIT


def route(
    method: str, path: str, name: str, run: Operation, limit: int = OTHER_BODY_LIMIT
) -> Route:
    """A route from a model path such as ``/2015-03-31/functions/{FunctionName}/invocations``."""
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path.rstrip("/")))
    return Route(method, re.compile(f"^{regex}/?$"), name, run, limit)


def json_response(status: int, data: Any) -> Response:
    """A JSON answer."""
    return Response(status, json.dumps(data).encode())


class LambdaApi(App):
    """Lambda's API over the routes given (see :mod:`lambda_magic.server.operations`)."""

    def __init__(
        self,
        routes: list[Route],
        hosts: security.HostCheck,
        log: calls.CallLog,
        cancel: Cancellation,
    ) -> None:
        self.routes, self.hosts, self.log, self.cancel = routes, hosts, log, cancel

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for r in self.routes:
            match = r.pattern.match(path)
            if match is not None and r.method == method:
                return r, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
        return None

    def body_limit(self, method: str, path: str) -> tuple[int, str]:
        found = self._match(method, path)
        if found is None:
            return OTHER_BODY_LIMIT, "unknown"
        name = found[0].name
        return found[0].body_limit, "InvokeFunction" if name == "Invoke" else name

    def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        call = calls.Call(request.method)
        try:
            self.hosts.check(request.headers.get("host"))
            security.check_signature(request.headers)
            found = self._match(request.method, request.path)
            if found is None:
                raise ApiError(
                    "UnknownOperationException",
                    f"No operation of Lambda's API is {request.method} {request.path}",
                )
            target, params = found
            call.operation = target.name
            response = target.run(Context(request, params, call, self.cancel, request_id))
        except Exception as e:  # noqa: BLE001 - every failure is answered in Lambda's shape
            error = from_exception(e)
            call.error = error.code
            response = error_response(error)
        response.headers.setdefault("x-amzn-RequestId", call.request_id or request_id)
        call.status = response.status
        call.duration_ms = (time.perf_counter() - started) * 1000
        self.log.add(call)
        return response
