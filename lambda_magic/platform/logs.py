"""Log streams and the platform's log lines, exactly as CloudWatch shows them.

Text format: ``INIT_START``, ``START``, ``END``, ``REPORT`` (tab-separated fields, trailing
tab), ``INIT_REPORT``. JSON format (``log_format="JSON"``): ``platform.initStart``,
``platform.start``, ``platform.report``, ``platform.initReport`` records.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from lambda_magic.core.bounded import MIB, Bounded, budget, dropped_note
from lambda_magic.core.config import FunctionConfig

if TYPE_CHECKING:
    from lambda_magic.platform.hub import Hub

DEFAULT_HISTORY = 10_000
#: A function's log store, and the logs one invocation's result keeps (bytes; see bounded).
LOG_BYTES = budget("LAMBDA_MAGIC_LOG_BYTES", 32 * MIB)
INVOCATION_LOG_BYTES = budget("LAMBDA_MAGIC_INVOCATION_LOG_BYTES", 1 * MIB)
#: What a kept event costs beyond its text (the object, its float and its str's header).
EVENT_OVERHEAD = 160


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One CloudWatch log event: when, which stream, what."""

    timestamp: float
    stream: str
    message: str

    @property
    def text(self) -> str:
        """The message as lines to show: without its final new line, with ``\\r`` (how a
        runtime without a telemetry pipe keeps a record's lines in one event) as a new line, and
        the no-break spaces that indent a stack trace as spaces."""
        return self.message.rstrip("\r\n").replace("\r", "\n").replace("\u00a0", " ")

    @property
    def nbytes(self) -> int:
        """What keeping this event costs the caller, roughly (its text and its objects)."""
        return len(self.message) + EVENT_OVERHEAD

    def iso(self) -> str:
        """The timestamp as ``2024-01-01T12:00:00.123000+00:00`` (``aws logs tail`` style)."""
        return datetime.fromtimestamp(self.timestamp, timezone.utc).isoformat(
            timespec="microseconds"
        )


def new_log_stream_name(version: str) -> str:
    """A new environment's stream: ``YYYY/MM/DD/[$LATEST]<32 hex>``."""
    day = time.strftime("%Y/%m/%d", time.gmtime())
    return f"{day}/[{version}]{uuid.uuid4().hex}"


def iso_ms(when: float) -> str:
    """``2026-10-08T07:30:27.768Z``."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when))
    return f"{stamp}.{int(when * 1000) % 1000:03d}Z"


class LogStore:
    """A function's log history (its log group), bounded to the newest events: at most
    ``limit`` of them and ``limit_bytes`` of text (``LAMBDA_MAGIC_LOG_BYTES``, 32 MiB)."""

    def __init__(self, limit: int = DEFAULT_HISTORY, limit_bytes: int | None = None) -> None:
        self._events: Bounded[LogEvent] = Bounded(
            lambda e: e.nbytes, LOG_BYTES if limit_bytes is None else limit_bytes, limit
        )

    @property
    def limit_bytes(self) -> int:
        """The byte budget (settable)."""
        return self._events.limit_bytes

    @limit_bytes.setter
    def limit_bytes(self, value: int) -> None:
        self._events.limit_bytes = value

    @property
    def nbytes(self) -> int:
        """The bytes of the events kept now."""
        return self._events.nbytes

    @property
    def dropped(self) -> tuple[int, int]:
        """How many older events were dropped to stay within the budget, and their bytes."""
        return self._events.dropped, self._events.dropped_bytes

    def append(self, event: LogEvent) -> None:
        """Record one event."""
        self._events.add(event, len(event.message) + EVENT_OVERHEAD)  # its nbytes, inline

    def events(self, stream: str | None = None, tail: int | None = None) -> list[LogEvent]:
        """Events, oldest first, optionally of one stream and only the last ``tail``."""
        found = [e for e in self._events.items() if stream is None or e.stream == stream]
        return found[-tail:] if tail else found

    def dropped_note(self) -> str | None:
        """Where events were dropped: ``… 1,200 older log events (1.2 MB) were dropped …``."""
        count, nbytes = self.dropped
        if not count:
            return None
        return (
            dropped_note(count, nbytes, "log event", self.limit_bytes)
            + " (LAMBDA_MAGIC_LOG_BYTES, or fn.logs.limit_bytes)"
        )

    def format(self, tail: int | None = None, stream: str | None = None) -> str:
        """``aws logs tail`` style text: ``<timestamp> <stream> <message>`` per line, after a
        note of what was dropped, if anything was."""
        lines = []
        note = self.dropped_note()
        if note and not tail:
            lines.append(f"[logs dropped] {note}")
        for event in self.events(stream, tail):
            message = event.text.replace("\n", "\n    ")  # a record's own lines, indented
            lines.append(f"{event.iso()} {event.stream} {message}")
        return "\n".join(lines)


class PlatformLog:
    """Builds the platform's own log lines for one function, in its configured format
    (``version_label`` and ``version_digest`` are its runtime's, for INIT_START)."""

    def __init__(self, config: FunctionConfig, version_label: str, version_digest: str) -> None:
        self.config = config
        self.version_label, self.version_digest = version_label, version_digest
        self.json = config.log_format == "JSON"
        level = config.system_log_level or "INFO"
        self.info = level in ("DEBUG", "INFO")

    def _record(self, kind: str, record: dict[str, Any]) -> str | None:
        if not self.info:
            return None
        return json.dumps(
            {"time": iso_ms(time.time()), "type": f"platform.{kind}", "record": record},
            separators=(",", ":"),  # Lambda writes its own records compactly
        )

    def init_start(self, init_type: str, stream: str) -> str | None:
        """``INIT_START Runtime Version: …`` at the start of a cold start."""
        version = self.version_label
        arn = f"arn:aws:lambda:{self.config.region}::runtime:{self.version_digest}"
        if not self.json:
            return f"INIT_START Runtime Version: {version}\tRuntime Version ARN: {arn}"
        return self._record(
            "initStart",
            {
                "initializationType": init_type,
                "phase": "init",
                "runtimeVersion": version,
                "runtimeVersionArn": arn,
                "functionName": self.config.name,
                "functionVersion": self.config.version,
                "instanceId": stream,
                "instanceMaxMemory": self.config.memory_size * 1024 * 1024,
            },
        )

    def start(self, request_id: str) -> str | None:
        """``START RequestId: … Version: $LATEST``."""
        if not self.json:
            return f"START RequestId: {request_id} Version: {self.config.version}"
        arn = self.config.function_arn
        return self._record(
            "start", {"requestId": request_id, "functionArn": arn, "version": self.config.version}
        )

    def end(self, request_id: str) -> str | None:
        """``END RequestId: …`` (no JSON equivalent)."""
        return None if self.json else f"END RequestId: {request_id}"

    def report(self, request_id: str, report: Any) -> str | None:
        """``REPORT RequestId: …`` with its tab-separated fields, or ``platform.report``."""
        if not self.json:
            return f"REPORT RequestId: {request_id}\t" + "\t".join(report.fields()) + "\t"
        metrics: dict[str, Any] = {
            "durationMs": round(report.duration_ms, 3),
            "billedDurationMs": report.billed_duration_ms,
            "memorySizeMB": report.memory_size_mb,
            "maxMemoryUsedMB": report.max_memory_used_mb,
        }
        if report.init_duration_ms is not None:
            metrics["initDurationMs"] = round(report.init_duration_ms, 3)
        record: dict[str, Any] = {
            "requestId": request_id,
            "metrics": metrics,
            "status": report.status,
        }
        if report.error_type:
            record["errorType"] = report.error_type
        return self._record("report", record)

    def init_report(
        self, duration_ms: float, phase: str, status: str, error_type: str | None, init_type: str
    ) -> str | None:
        """``INIT_REPORT Init Duration: … Phase: init|invoke Status: error|timeout``."""
        if not self.json:
            line = (
                f"INIT_REPORT Init Duration: {duration_ms:.2f} ms\tPhase: {phase}\tStatus: {status}"
            )
            return line + (f"\tError Type: {error_type}" if error_type else "")
        record: dict[str, Any] = {
            "initializationType": init_type,
            "phase": phase,
            "status": status,
            "metrics": {"durationMs": round(duration_ms, 3)},
        }
        if error_type:
            record["errorType"] = error_type
        return self._record("initReport", record)

    def timed_out(self, request_id: str, seconds: int) -> str | None:
        """``<ISO> <id> Task timed out after 3.00 seconds``."""
        if self.json:
            return None
        return f"{iso_ms(time.time())} {request_id} Task timed out after {seconds:.2f} seconds"

    def unknown_error(self, error_type: str) -> str | None:
        """The two lines Lambda logs when a suppressed init fails inside an invoke and the
        runtime reported why (``/init/error``)."""
        return None if self.json else f"Unknown application error occurred\n{error_type}"

    def runtime_error(self, message: str, error_type: str) -> str | None:
        """The two lines Lambda logs when the runtime ends without answering:
        ``RequestId: … Error: Runtime exited with error: signal: killed`` and the error type."""
        return None if self.json else f"{message}\n{error_type}"


LogCallback = Callable[[LogEvent], None]
_READ = 1 << 16  # bytes asked of a pipe per read


class LogRelay:
    """An invocation's log events: collected on the hub thread, handed to ``on_log`` on the
    caller's thread (so that a notebook cell shows them as they are printed). The result keeps
    the newest :data:`INVOCATION_LOG_BYTES` of them; ``on_log`` sees every one."""

    def __init__(self, on_log: LogCallback | None) -> None:
        self.on_log = on_log
        #: The byte budget of the events kept, and what was dropped to stay within it.
        self.limit_bytes = INVOCATION_LOG_BYTES
        self.dropped = self.dropped_bytes = 0
        self._kept: deque[LogEvent] = deque()
        self._bytes = 0
        self._lock = threading.Lock()  # the hub thread and the caller's both add
        self._fresh: deque[LogEvent] = deque()  # appended on the hub thread, taken on the caller's

    def add(self, event: LogEvent) -> None:
        """Collect one event (the oldest kept ones go past the byte budget)."""
        with self._lock:
            self._kept.append(event)
            self._bytes += len(event.message) + EVENT_OVERHEAD
            while self._bytes > self.limit_bytes and len(self._kept) > 1:
                gone = len(self._kept.popleft().message) + EVENT_OVERHEAD
                self._bytes -= gone
                self.dropped += 1
                self.dropped_bytes += gone
        if self.on_log is not None:
            self._fresh.append(event)

    @property
    def events(self) -> list[LogEvent]:
        """The events the result keeps."""
        with self._lock:
            return list(self._kept)

    def flush(self) -> None:
        """Call ``on_log`` for the events that arrived since the last flush."""
        while self.on_log is not None and self._fresh:
            self.on_log(self._fresh.popleft())


class _Pipe:
    """The read end of a pipe from a runtime, read on the hub thread (when the selector says it
    is readable, and drained when the platform needs everything written so far); subclasses
    turn the bytes into log events."""

    def __init__(self, hub: Hub, fd: int) -> None:
        self.hub, self.fd = hub, fd
        self.closed = False
        hub.add_reader(fd, self.on_readable)

    def _consume(self, data: bytes) -> None:
        raise NotImplementedError

    def _at_end(self) -> None:
        """What is left when the writer is done or everything is drained (nothing by default)."""

    def _read(self) -> bytes | None:
        try:
            return os.read(self.fd, _READ)
        except BlockingIOError:
            return None
        except OSError:
            return b""

    def on_readable(self) -> None:
        """Read what arrived (the selector said the pipe is readable)."""
        if self.closed:
            return
        data = self._read()
        if data == b"":
            self.close()
        elif data:
            self._consume(data)

    def drain(self) -> None:
        """Read everything written so far (a read shorter than asked for emptied the pipe)."""
        while not self.closed:
            data = self._read()
            if data is None:
                break
            if not data:
                self.close()
                break
            self._consume(data)
            if len(data) < _READ:
                break
        self._at_end()

    def close(self) -> None:
        """Stop reading (end of stream, or the runtime is gone) and close the descriptor."""
        if self.closed:
            return
        self.closed = True
        self._at_end()
        fd = self.fd
        self.hub.remove(fd, lambda: os.close(fd))


class OutputPipe(_Pipe):
    """A runtime's stdout/stderr pipe: each complete line becomes a log event (as CloudWatch
    splits a stream into events); a last partial line too, once drained."""

    def __init__(self, hub: Hub, fd: int, record: Callable[[str], None]) -> None:
        self.record = record
        self.partial = b""
        super().__init__(hub, fd)

    def _consume(self, data: bytes) -> None:
        *lines, self.partial = (self.partial + data).split(b"\n")
        for line in lines:
            self.record(line.decode("utf-8", "replace"))

    def _at_end(self) -> None:
        if self.partial:
            self.record(self.partial.decode("utf-8", "replace"))
            self.partial = b""


_FRAME_HEADER = struct.Struct(">IIQ")  # type, length, timestamp in microseconds


class FramePipe(_Pipe):
    """A runtime's telemetry pipe (``_LAMBDA_TELEMETRY_LOG_FD``): each frame is one log event,
    however many lines its message has, stamped with the time the runtime wrote it (a partial
    frame waits for the rest; at the end it is dropped)."""

    def __init__(self, hub: Hub, fd: int, record: Callable[[str, float], None]) -> None:
        self.record = record
        self.pending = b""
        super().__init__(hub, fd)

    def _consume(self, data: bytes) -> None:
        buf = self.pending + data
        pos = 0
        while len(buf) - pos >= _FRAME_HEADER.size:
            _, length, stamp = _FRAME_HEADER.unpack_from(buf, pos)
            end = pos + _FRAME_HEADER.size + length
            if len(buf) < end:
                break
            message = buf[pos + _FRAME_HEADER.size : end].decode("utf-8", "replace")
            self.record(message[:-1] if message.endswith("\n") else message, stamp / 1e6)
            pos = end
        self.pending = buf[pos:]
