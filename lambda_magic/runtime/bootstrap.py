"""Init and the invoke loop of the built-in runtime, as AWS's Python runtime runs them.

Init imports the handler's module; a failure is logged, POSTed to ``/runtime/init/error`` with
its error type, and the process exits with status 1. Then the loop asks ``/invocation/next``
for an event, calls the handler with its context, and POSTs the result or the error.
"""

from __future__ import annotations

import decimal
import importlib
import json
import logging
import math
import os
import sys
from typing import Any

from lambda_magic.runtime import logsink, shm
from lambda_magic.runtime.client import RuntimeApiClient
from lambda_magic.runtime.context import LambdaContext

_ENSURE_ASCII_UNTIL = {"AWS_Lambda_python3.%d" % minor for minor in range(7, 12)}


class FaultException(Exception):
    """A runtime fault with Lambda's error type (``Runtime.*``)."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type: str, msg: str, trace: list[str] | None = None) -> None:
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


# -- marshalling ---------------------------------------------------------------------------------
class _Encoder(json.JSONEncoder):
    """The runtime's encoder: NaN allowed, Decimal as a number, bytes inside values as UTF-8."""

    def default(self, o: Any) -> Any:
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            return int(o) if o == o.to_integral_value() else float(o)
        if isinstance(o, (bytes, bytearray)):
            return bytes(o).decode("utf-8")
        return super().default(o)


_ENCODERS: list[json.JSONEncoder] = []


def _encoder() -> json.JSONEncoder:
    # One encoder for the process: AWS_EXECUTION_ENV is fixed at start.
    if not _ENCODERS:
        ascii_only = os.environ.get("AWS_EXECUTION_ENV") in _ENSURE_ASCII_UNTIL
        _ENCODERS.append(_Encoder(allow_nan=True, ensure_ascii=ascii_only))
    return _ENCODERS[0]


def to_json(obj: Any) -> str:
    """Encode ``obj`` as the runtime encodes responses and error objects."""
    return _encoder().encode(obj)


def unmarshal_request(body: bytes, content_type: str | None) -> Any:
    """Decode the event: JSON for ``application/json``, the raw bytes otherwise."""
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(
            FaultException.UNMARSHAL_ERROR, f"Unable to unmarshal input: {e}", None
        ) from None


def marshal_response(response: Any) -> tuple[bytes, str]:
    """Encode the handler's return value: raw for ``bytes``, JSON otherwise."""
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(
            FaultException.MARSHAL_ERROR, f"Unable to marshal response: {e}", None
        ) from None


# -- errors --------------------------------------------------------------------------------------
def make_error(
    message: str | None,
    error_type: str | None,
    stack: list[str] | None,
    invoke_id: str | None = None,
) -> dict[str, Any]:
    """The error object, with its four keys in Lambda's order."""
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack if stack else [],
    }


def _user_frames(tb: Any) -> list[tuple[str, int, str, str]]:
    import traceback

    frames = [(f.filename, f.lineno or 0, f.name, f.line or "") for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            return frames[i:]
    return frames


def build_fault_result(
    exc: BaseException, invoke_id: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The error object and X-Ray cause of an exception, runtime frames dropped."""
    import traceback

    frames = _user_frames(exc.__traceback__)
    error = make_error(
        str(exc),
        type(exc).__name__,
        traceback.format_list(frames),
        invoke_id,
    )
    cause = {
        "working_directory": os.getcwd(),
        "exceptions": [
            {
                "message": str(exc),
                "type": type(exc).__name__,
                "stack": [{"label": f[2], "path": f[0], "line": f[1]} for f in frames],
            }
        ],
        "paths": list({f[0] for f in frames}),
    }
    return error, cause


# -- init ----------------------------------------------------------------------------------------
def get_handler(handler: str) -> Any:
    """Import the handler's module and return the handler (Lambda's Init)."""
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME, f"Bad handler '{handler}': {e}"
        ) from None
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                f"Cannot use built-in module {modname} as a handler module",
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR, f"Unable to import module '{modname}': {e}"
        ) from None
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            f"Syntax error in module '{modname}': {e}",
            trace,
        ) from None
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, f"Handler '{fname}' missing on module '{modname}'"
        ) from None


def _parse_json_header(value: str, name: str) -> Any:
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, f"Unable to parse {name} JSON: {e}"
        ) from None


# -- invoke --------------------------------------------------------------------------------------
def handle_event(
    client: RuntimeApiClient,
    handler: Any,
    body: bytes,
    headers: dict[str, str],
    log_sink: logsink.StandardLogSink,
) -> None:
    """Run one invocation and POST its result or error."""
    invoke_id = headers.get("lambda-runtime-aws-request-id", "")
    try:
        client_context = headers.get("lambda-runtime-client-context")
        identity = headers.get("lambda-runtime-cognito-identity")
        context = LambdaContext(
            invoke_id,
            _parse_json_header(client_context, "Client Context") if client_context else None,
            _parse_json_header(identity, "Cognito Identity") if identity else None,
            int(headers.get("lambda-runtime-deadline-ms", "0")),
            headers.get("lambda-runtime-invoked-function-arn"),
            headers.get("lambda-runtime-aws-tenant-id"),
        )
        event = unmarshal_request(body, headers.get("content-type"))
        result, content_type = marshal_response(handler(event, context))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, invoke_id)
        cause = {
            "working_directory": os.getcwd(),
            "exceptions": [{"message": e.msg, "type": "LambdaValidationError", "stack": []}],
            "paths": [],
        }
    except Exception as e:
        error, cause = build_fault_result(e, invoke_id)
    else:
        _flush_output()
        client.post_response(invoke_id, result, content_type)
        return
    _flush_output()
    logsink.log_error(error, log_sink, to_json)
    client.post_error(invoke_id, to_json(error), to_json(cause))


def _flush_output() -> None:
    """What the handler printed without a final new line belongs to this invocation."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a handler may have replaced or closed them
            pass


def _set_trace_id(trace_id: str | None) -> None:
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def run(handler_name: str, client: RuntimeApiClient) -> None:
    """Init, then serve invocations until the process is stopped."""
    log_sink = logsink.create_log_sink()
    logsink.setup_stdio(log_sink)
    shm.install()
    error: dict[str, Any] | None = None
    try:
        logsink.setup_logging(log_sink)
        handler = get_handler(handler_name)
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
    except Exception as e:
        error = build_fault_result(e)[0]
    if error is not None:
        logging.warning(logsink.UNHANDLED_WARNING)
        _flush_output()
        logsink.log_error(error, log_sink, to_json)
        client.post_init_error(to_json(error), error["errorType"])
        sys.exit(1)
    while True:
        body, headers = client.next_invocation()
        logsink.current["request_id"] = headers.get("lambda-runtime-aws-request-id")
        logsink.current["tenant_id"] = headers.get("lambda-runtime-aws-tenant-id")
        _set_trace_id(headers.get("lambda-runtime-trace-id"))
        handle_event(client, handler, body, headers, log_sink)


def main(argv: list[str] | None = None) -> None:
    """Entry point: the handler comes from ``argv[1]`` or ``_HANDLER``."""
    argv = sys.argv if argv is None else argv
    handler_name = argv[1] if len(argv) > 1 else os.environ.get("_HANDLER", "")
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
    task_root = os.environ.get("LAMBDA_TASK_ROOT")
    if task_root and task_root not in sys.path:
        sys.path.insert(0, task_root)
    run(handler_name, RuntimeApiClient(address))
