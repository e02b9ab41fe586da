"""A Runtime API of the tests' own that records the wire: each request's line, headers, body
chunks with their arrival times, and trailers. It serves queued events to ``GET /next`` and
answers every POST with 202, so a runtime started by the test (``start_runtime``) can be watched
byte by byte: streamed chunks as they leave, error trailers, telemetry log frames."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Request:
    """One request the runtime sent."""

    line: str
    headers: dict[str, str]
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)
    done_at: float = 0.0

    @property
    def body(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buf = sock, b""

    def line(self) -> bytes | None:
        while b"\r\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed in a body")
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def fields(self) -> dict[str, str] | None:
        out: dict[str, str] = {}
        while True:
            line = self.line()
            if line is None:
                return None
            if not line:
                return out
            name, _, value = line.decode("utf-8").partition(":")
            key = name.strip().lower()
            out[key] = f"{out[key]}, {value.strip()}" if key in out else value.strip()


class StubApi:
    """A Runtime API on 127.0.0.1 serving ``events`` (one per ``GET /next``)."""

    def __init__(self, events: list[Any], deadline_s: float = 30.0) -> None:
        self.events = list(events)
        self.deadline_s = deadline_s
        self.requests: list[Request] = []
        self.lock = threading.Condition()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._exchange(conn)
        except (OSError, ValueError):  # the runtime was killed, or sent what this cannot read
            pass
        finally:
            conn.close()

    def _exchange(self, conn: socket.socket) -> None:
        reader = _Reader(conn)
        while True:
            line = reader.line()
            headers = reader.fields() if line else None
            if headers is None or line is None:
                return
            req = Request(line.decode(), headers)
            self._read_body(reader, req)
            with self.lock:
                self.requests.append(req)
                self.lock.notify_all()
            if not self._answer(conn, req):
                return

    def _read_body(self, reader: _Reader, req: Request) -> None:
        if req.headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((reader.line() or b"0").split(b";")[0], 16)
                if size == 0:
                    req.trailers = reader.fields() or {}
                    break
                req.chunks.append((time.monotonic(), reader.exactly(size)))
                reader.line()
        elif int(req.headers.get("content-length", "0")):
            body = reader.exactly(int(req.headers["content-length"]))
            req.chunks.append((time.monotonic(), body))
        req.done_at = time.monotonic()

    def _answer(self, conn: socket.socket, req: Request) -> bool:
        if req.line.startswith("GET") and req.line.split()[1].endswith("/invocation/next"):
            with self.lock:
                if not self.events:
                    return False  # no more events: the runtime's connection closes
                event = self.events.pop(0)
            body = json.dumps(event).encode()
            deadline = int((time.time() + self.deadline_s) * 1000)
            head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Lambda-Runtime-Aws-Request-Id: {uuid.uuid4()}\r\n"
                    f"Lambda-Runtime-Deadline-Ms: {deadline}\r\n"
                    "Lambda-Runtime-Invoked-Function-Arn: "
                    "arn:aws:lambda:us-east-1:123456789012:function:f\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
            conn.sendall(head.encode() + body)
            return True
        accepted = b'{"status":"OK"}'
        head = f"HTTP/1.1 202 Accepted\r\nContent-Length: {len(accepted)}\r\n\r\n"
        conn.sendall(head.encode() + accepted)
        return True

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Request]:
        """Wait until ``count`` requests have arrived; return them all."""
        with self.lock:
            if not self.lock.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"only {len(self.requests)} requests: {self.requests}")
            return list(self.requests)

    def close(self) -> None:
        self.server.close()


def start_runtime(command: list[str], api: StubApi, task_root: Path, handler: str,
                  extra_env: dict[str, str] | None = None,
                  pass_fds: tuple[int, ...] = ()) -> subprocess.Popen[bytes]:  # fmt: skip
    """Start a Node.js runtime against ``api`` with Lambda's variables."""
    env = {
        "PATH": os.environ.get("PATH", ""), "AWS_LAMBDA_RUNTIME_API": api.address,
        "_HANDLER": handler, "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/f",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
        **(extra_env or {}),
    }  # fmt: skip
    return subprocess.Popen(command, cwd=task_root, env=env, pass_fds=pass_fds,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip


def read_frames(data: bytes) -> list[tuple[int, int, str]]:
    """Telemetry frames: (type, timestamp in microseconds, message)."""
    frames, offset = [], 0
    while offset + 16 <= len(data):
        kind, length, stamp = struct.unpack_from(">IIQ", data, offset)
        frames.append((kind, stamp, data[offset + 16 : offset + 16 + length].decode()))
        offset += 16 + length
    assert offset == len(data), "a partial frame"
    return frames
