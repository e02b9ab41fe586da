"""AWS event-stream framing (``application/vnd.amazon.eventstream``) of a streamed response.

A message is a prelude (total length, headers length: big-endian u32 each; the CRC32 of those
8 bytes), headers (name length u8, name, value type u8, then for a string: length u16 and
UTF-8 bytes), the payload, and the CRC32 of everything before it. ``InvokeWithResponseStream``
answers with ``PayloadChunk`` events (the payload is the raw bytes) and one final
``InvokeComplete`` event (a JSON payload: ``ErrorCode``, ``ErrorDetails``, ``LogResult``).
"""

from __future__ import annotations

import binascii
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass

CONTENT_TYPE = "application/vnd.amazon.eventstream"
_STRING = 7


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return (
        struct.pack("B", len(raw_name))
        + raw_name
        + struct.pack(">BH", _STRING, len(raw_value))
        + raw_value
    )


def message(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message."""
    raw_headers = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(raw_headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(raw_headers))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    body = prelude + raw_headers + payload
    return body + struct.pack(">I", binascii.crc32(body))


def event(event_type: str, payload: bytes, content_type: str) -> bytes:
    """An ``event`` message of ``event_type``."""
    headers = {":event-type": event_type, ":content-type": content_type, ":message-type": "event"}
    return message(headers, payload)


def payload_chunk(data: bytes) -> bytes:
    """A ``PayloadChunk`` event carrying ``data``."""
    return event("PayloadChunk", data, "application/octet-stream")


def invoke_complete(
    error_code: str | None = None, error_details: str | None = None, log_result: str | None = None
) -> bytes:
    """The final ``InvokeComplete`` event (error code and details when the function failed)."""
    fields = {"ErrorCode": error_code, "ErrorDetails": error_details, "LogResult": log_result}
    body = json.dumps({k: v for k, v in fields.items() if v is not None}).encode()
    return event("InvokeComplete", body, "application/json")


@dataclass
class ChunkSink:
    """Where a streamed response goes, event by event: ``write(bytes)`` sends framed bytes to
    the caller, a ``PayloadChunk`` per part of the response as the function writes it."""

    write: Callable[[bytes], None]

    def chunk(self, data: bytes) -> None:
        """Send ``data`` as a ``PayloadChunk`` (nothing for empty data)."""
        if data:
            self.write(payload_chunk(data))

    def complete(
        self,
        error_code: str | None = None,
        error_details: str | None = None,
        log_result: str | None = None,
    ) -> None:
        """End the stream with ``InvokeComplete``."""
        self.write(invoke_complete(error_code, error_details, log_result))
