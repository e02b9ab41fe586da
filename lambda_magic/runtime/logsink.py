"""Application logging inside an environment, in Lambda's Text and JSON formats.

Mirrors AWS's runtime interface client. Where the platform gives the runtime a telemetry file
descriptor (``_LAMBDA_TELEMETRY_LOG_FD``), every log record is written to it as one frame
(``[type u32][length u32][timestamp µs u64][message]``, big-endian), so that a record of several
lines stays one log event; ``print`` output goes there too, one frame per line (as the platform
splits standard output into lines), which keeps it in order with the records. Without that
descriptor stdout and stderr flush on every write and an uncaught error's lines are joined with
``\r``. A root ``logging`` handler formats records as ``[LEVEL]\t<ISO>Z\t<requestId>\t<msg>``
(or as one JSON object per record); an uncaught error is logged as one event with its stack
lines indented with no-break spaces.
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

TELEMETRY_FD_VARIABLE = "_LAMBDA_TELEMETRY_LOG_FD"

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"
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


def iso_ms(when: float) -> str:
    """``2023-10-27T19:17:45.586Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)) + ".%03dZ" % (when * 1000 % 1000)


def is_json_format() -> bool:
    """Whether ``AWS_LAMBDA_LOG_FORMAT`` asks for JSON."""
    return (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"


def frame_type(level: int, json_format: bool) -> bytes:
    """The frame type of a record at ``level`` (0: not a leveled record): AWS's values,
    0xA55A0003 for text and 0xA55A0002 for JSON, plus four per level from DEBUG up."""
    code = 3 if level <= 0 else 4 * (min(50, level) // 10) + 7
    return (0xA55A0000 | (code - (1 if json_format else 0))).to_bytes(4, "big")


class StandardLogSink:
    """Writes log events to stdout (no telemetry descriptor)."""

    def log(self, msg: str, frame_type: bytes | None = None) -> None:
        """Write one formatted record."""
        sys.stdout.write(msg)

    def log_error(self, message_lines: list[str]) -> None:
        """Write an error as one event: lines joined with ``\r``."""
        sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(message_lines) + "\n")


class FramedLogSink(StandardLogSink):
    """Writes each log event as one frame to the telemetry descriptor."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def log(self, msg: str, frame_type: bytes | None = None) -> None:
        """Write one record (or one line of standard output) as a frame."""
        data = msg.encode("utf-8", "replace")
        header = (frame_type or frame_type_default()) + len(data).to_bytes(4, "big")
        stamp = (time.time_ns() // 1000).to_bytes(8, "big")
        os.write(self.fd, header + stamp + data)

    def log_error(self, message_lines: list[str]) -> None:
        """Write an error as one frame: lines joined with new lines."""
        self.log("\n".join(message_lines), frame_type(logging.ERROR, is_json_format()))


def frame_type_default() -> bytes:
    """The frame type of a line of standard output."""
    return frame_type(0, False)


def create_log_sink() -> StandardLogSink:
    """The framed sink when the platform gave a telemetry descriptor (the variable is removed
    from the environment, as the runtime client does), else stdout."""
    fd = os.environ.pop(TELEMETRY_FD_VARIABLE, None)
    if fd is not None and fd.isdigit():
        return FramedLogSink(int(fd))
    return StandardLogSink()


class _LineFrames(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` over a framed sink: one frame per complete line."""

    def __init__(self, sink: FramedLogSink, fd: int, name: str) -> None:
        super().__init__()
        self._sink, self._fd, self._name = sink, fd, name
        self._partial = ""
        self.buffer = _BytesToText(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def name(self) -> str:
        return self._name

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        text = self._partial + s
        if "\n" in text:
            *lines, text = text.split("\n")
            for line in lines:
                self._sink.log(line + "\n")
        self._partial = text
        return len(s)

    def flush(self) -> None:
        """Send a partial last line (the end of an invocation, or of the process)."""
        if self._partial:
            line, self._partial = self._partial, ""
            self._sink.log(line + "\n")


class _BytesToText:
    """``sys.stdout.buffer`` for code that writes bytes."""

    def __init__(self, text: _LineFrames) -> None:
        self._text = text

    def write(self, data: bytes) -> int:
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()

    def fileno(self) -> int:
        return self._text.fileno()


def setup_stdio(sink: StandardLogSink) -> None:
    """Standard output and error: frames of lines over a framed sink, otherwise streams that
    write straight through to their file descriptors."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        if isinstance(sink, FramedLogSink):
            stream: io.TextIOBase = _LineFrames(sink, fd, f"<{name}>")
        else:
            raw = io.FileIO(fd, "w", closefd=False)
            stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
        setattr(sys, name, stream)


class LambdaLoggerHandler(logging.Handler):
    """The root handler Lambda installs."""

    def __init__(self, log_sink: StandardLogSink) -> None:
        super().__init__()
        self.log_sink = log_sink

    def emit(self, record: logging.LogRecord) -> None:
        message = self.format(record)
        self.log_sink.log(message, frame_type(record.levelno, is_json_format()))


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
        super().__init__()
        self._encode = json.JSONEncoder(ensure_ascii=False, default=str).encode

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """``2023-10-27T19:17:45.586Z``: milliseconds, as AWS's documentation shows."""
        return iso_ms(record.created)

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
        stamp = iso_ms(time.time())
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
