"""Application logging inside an environment, in Lambda's Text and JSON formats.

Mirrors AWS's runtime interface client: stdout and stderr flush on every write, a root
``logging`` handler formats records as ``[LEVEL]\\t<ISO>Z\\t<requestId>\\t<msg>`` (or as one JSON
object per record), and an uncaught error is logged as one event whose lines are joined with
``\\r`` and indented with no-break spaces.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import time
import traceback
from typing import Any

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TEXT_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function "
    "change, or can be applied automatically. To determine if the runtime has been updated, "
    "check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily "
    "rolling back to the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)
_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
    "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated",
    "thread", "threadName", "processName", "process", "aws_request_id", "tenant_id",
    "_frame_type",
}  # fmt: skip

#: The request id and tenant of the invocation in progress ("" during Init).
current: dict[str, Any] = {"request_id": None, "tenant_id": None}


def is_json_format() -> bool:
    """Whether ``AWS_LAMBDA_LOG_FORMAT`` asks for JSON."""
    return (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"


def setup_stdio() -> None:
    """Make stdout and stderr write straight through to their file descriptors."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        raw = io.FileIO(fd, "w", closefd=False)
        stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
        setattr(sys, name, stream)


class StandardLogSink:
    """Writes log events to stdout (there is no telemetry file descriptor here)."""

    def log(self, msg: str, frame_type: Any = None) -> None:
        """Write one formatted record."""
        sys.stdout.write(msg)

    def log_error(self, message_lines: list[str]) -> None:
        """Write an error as one event: lines joined with ``\\r``."""
        sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(message_lines) + "\n")


class LambdaLoggerHandler(logging.Handler):
    """The root handler Lambda installs."""

    def __init__(self, log_sink: StandardLogSink) -> None:
        super().__init__()
        self.log_sink = log_sink

    def emit(self, record: logging.LogRecord) -> None:
        self.log_sink.log(self.format(record))


class LambdaLoggerFilter(logging.Filter):
    """Adds ``aws_request_id`` (and ``tenant_id``) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = current["request_id"] or ""
        record.tenant_id = current["tenant_id"]
        return True


def _format_log_level(record: logging.LogRecord) -> int:
    return min(50, max(0, record.levelno)) // 10 * 10


class JsonFormatter(logging.Formatter):
    """One JSON object per record, as with ``LogFormat=JSON``."""

    def __init__(self) -> None:
        super().__init__(datefmt=DATETIME_FORMAT)
        self._encode = json.JSONEncoder(ensure_ascii=False, default=str).encode

    def format(self, record: logging.LogRecord) -> str:
        record.levelno = _format_log_level(record)
        record.levelname = logging.getLevelName(record.levelno)
        exc = record.exc_info
        result: dict[str, Any] = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": (
                record.msg
                if isinstance(record.msg, dict) and not record.args
                else record.getMessage()
            ),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc and exc[0] else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            result["tenantId"] = getattr(record, "tenant_id", None)
        result.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _RESERVED_FIELDS and key not in result
        )
        return self._encode({k: v for k, v in result.items() if v is not None}) + "\n"


def setup_logging(log_sink: StandardLogSink) -> None:
    """Install Lambda's root handler, format and level (``AWS_LAMBDA_LOG_FORMAT``/``_LEVEL``)."""
    logging.Formatter.converter = time.gmtime
    logger = logging.getLogger()
    handler = LambdaLoggerHandler(log_sink)
    if is_json_format():
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT, "%Y-%m-%dT%H:%M:%S"))
    raw_level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    level = {None: "", "TRACE": "DEBUG"}.get(raw_level, raw_level or "").upper()
    if level in logging._nameToLevel:
        logger.setLevel(level)
    handler.addFilter(LambdaLoggerFilter())
    logger.addHandler(handler)


def _replace_indentation(line: str) -> str:
    stripped = line.lstrip(" ")
    return ERROR_LOG_IDENT * (len(line) - len(stripped)) + stripped


def log_error(error_result: dict[str, Any], log_sink: StandardLogSink, to_json: Any) -> None:
    """Log an uncaught error the way the runtime does (one event, Text or JSON)."""
    if is_json_format():
        stamp = time.strftime(DATETIME_FORMAT, time.gmtime(time.time()))
        log_sink.log_error([to_json({"timestamp": stamp, "level": "ERROR", **error_result})])
        return
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                lines.extend(_replace_indentation(x) for x in element.splitlines())
    log_sink.log_error(lines)
