"""One Runtime API endpoint per execution environment, served by the hub's I/O thread.

Each environment gets its own listening socket on ``127.0.0.1`` (its
``AWS_LAMBDA_RUNTIME_API``), as each Lambda sandbox has its own ``127.0.0.1:9001``. Requests
are parsed here (HTTP/1.1, keep-alive, ``Content-Length`` or chunked bodies) and routed to the
environment through the :class:`RuntimeApiHandler` protocol; replies are written back on the
same connection. ``TCP_NODELAY`` is set on every connection (see ``runtime/client.py``).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from lambda_magic.platform.hub import Hub
from lambda_magic.platform.runtime_api import models

_REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            413: "Request Entity Too Large", 500: "Internal Server Error"}  # fmt: skip
_MAX_HEADER_BYTES = 64 * 1024


@dataclass
class ApiRequest:
    """One parsed request."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    trailers: dict[str, str] = field(default_factory=dict)  # of a chunked body; lower-cased


class RuntimeApiHandler(Protocol):
    """What an environment implements to serve its runtime; called on the hub thread."""

    def on_next(self, conn: Connection) -> None:
        """``GET /runtime/invocation/next``: keep ``conn`` until an event is delivered."""

    def on_result(self, conn: Connection, request_id: str, kind: str, request: ApiRequest) -> None:
        """``POST /runtime/invocation/{id}/response`` or ``/error`` (``kind``)."""

    def on_init_error(self, conn: Connection, request: ApiRequest) -> None:
        """``POST /runtime/init/error``."""

    def on_stream(self, request_id: str, data: bytes) -> None:
        """More of a streamed (chunked) ``/response`` body arrived, before the whole of it."""


def build_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """An HTTP/1.1 response with a ``Content-Length`` body."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    for name, value in all_headers.items():
        lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body


# Every connection is read on the hub thread, into this one buffer: a fresh 256 KiB ``recv``
# buffer would be an mmap, an mremap and a munmap for every read.
_RECV_BUFFER = bytearray(1 << 18)
_RECV_VIEW = memoryview(_RECV_BUFFER)


class Connection:
    """One TCP connection from a runtime."""

    def __init__(self, endpoint: RuntimeApiEndpoint, sock: socket.socket) -> None:
        self.endpoint = endpoint
        self.sock = sock
        self._inbuf = b""
        self._outbuf = b""
        self._streamed = 0  # body bytes of the request being read already handed on
        self._lock = threading.Lock()
        self.closed = False

    # -- reading (hub thread) --------------------------------------------------------------------
    def on_readable(self) -> None:
        """Read what arrived and dispatch every complete request."""
        try:
            n = self.sock.recv_into(_RECV_BUFFER)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            n = 0
        if not n:
            self.close()
            return
        self._inbuf += _RECV_VIEW[:n]
        while not self.closed:
            request = self._parse()
            if request is None:
                break
            self.endpoint.dispatch(self, request)

    def _parse(self) -> ApiRequest | None:
        end = self._inbuf.find(b"\r\n\r\n")
        if end < 0:
            if len(self._inbuf) > _MAX_HEADER_BYTES:
                self.reply(400, b"")
                self.close()
            return None
        lines = self._inbuf[:end].decode("latin-1").split("\r\n")
        try:
            method, path, _ = lines[0].split(" ", 2)
        except ValueError:
            self.reply(400, b"")
            self.close()
            return None
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        rest = self._inbuf[end + 4 :]
        trailers: dict[str, str] = {}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body, used, trailers, complete = _dechunk(rest)
            if len(body) > self._streamed:  # hand the new chunks on as they come
                self.endpoint.stream(method, path, body[self._streamed :])
                self._streamed = len(body)
            if not complete:
                return None
            self._streamed = 0
        else:
            length = int(headers.get("content-length") or 0)
            if len(rest) < length:
                return None
            body, used = rest[:length], length
        self._inbuf = rest[used:]
        return ApiRequest(method, path.split("?", 1)[0], headers, body, trailers)

    def request_waiting(self) -> bool:
        """Whether another complete request head is already read (a runtime that pipelines
        ``/next`` behind its answer): its handler will wake whoever waits, once, for both."""
        return b"\r\n\r\n" in self._inbuf

    # -- writing (any thread) --------------------------------------------------------------------
    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        """Send a response on this connection (observers hear of it first: once it is sent, the
        runtime's next request may be observed on the hub thread before this thread goes on)."""
        observer = self.endpoint.observer
        if observer is not None:
            observer("platform", f"{status} {_REASONS.get(status, '')}", headers or {}, body)
        self.send(build_response(status, body, headers))

    def send(self, data: bytes) -> None:
        """Write ``data`` now as far as the socket takes it; the hub writes the rest."""
        with self._lock:
            if self.closed:
                return
            if not self._outbuf:
                try:
                    sent = self.sock.send(data)
                except (BlockingIOError, InterruptedError):
                    sent = 0
                except OSError:
                    return
                data = data[sent:]
                if not data:
                    return
                self._outbuf = data
                self.endpoint.hub.set_writer(self.sock, self.on_readable, self._on_writable)
            else:
                self._outbuf += data

    def _on_writable(self) -> None:
        with self._lock:
            try:
                sent = self.sock.send(self._outbuf)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self._outbuf = b""
                sent = 0
            self._outbuf = self._outbuf[sent:]
            if not self._outbuf:
                self.endpoint.hub.set_writer(self.sock, self.on_readable, None)

    def close(self) -> None:
        """Close the connection (the runtime may open another)."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
        self.endpoint.forget(self)
        self.endpoint.hub.remove(self.sock, self.sock.close)


def _dechunk(data: bytes) -> tuple[bytes, int, dict[str, str], bool]:
    """Decode a chunked body: ``(body, bytes used, trailers, complete)``; until the final chunk
    and its trailers have arrived, the body of the complete chunks so far and ``False``."""
    parts: list[bytes] = []
    pos = 0
    while True:
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            return b"".join(parts), 0, {}, False
        size = int(data[pos:line_end].split(b";")[0].strip() or b"0", 16)
        start = line_end + 2
        if size == 0:
            trailer_end = data.find(b"\r\n\r\n", line_end)
            if trailer_end < 0:
                return b"".join(parts), 0, {}, False
            trailers = {}
            for line in data[start:trailer_end].decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.strip():
                    trailers[name.strip().lower()] = value.strip()
            return b"".join(parts), trailer_end + 4, trailers, True
        if len(data) < start + size + 2:
            return b"".join(parts), 0, {}, False
        parts.append(data[start : start + size])
        pos = start + size + 2


class RuntimeApiEndpoint:
    """The Runtime API of one environment: a listening socket and its connections."""

    def __init__(self, hub: Hub, handler: RuntimeApiHandler) -> None:
        self.hub = hub
        self.handler = handler
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.connections: set[Connection] = set()
        #: Called with the parts of every message (requests and responses), when set:
        #: ``observer(sender, start_line, headers, body)``, see :class:`models.ApiMessage`.
        self.observer: Callable[[str, str, dict[str, str], bytes], None] | None = None
        hub.add_reader(self.listener, self._accept)

    @property
    def address(self) -> str:
        """``127.0.0.1:<port>``: the value of ``AWS_LAMBDA_RUNTIME_API``."""
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:  # nothing more to accept (BlockingIOError), or the listener closed
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Connection(self, sock)
            self.connections.add(conn)
            self.hub.add_reader(sock, conn.on_readable)

    def forget(self, conn: Connection) -> None:
        """Drop a closed connection."""
        self.connections.discard(conn)

    def stream(self, method: str, path: str, data: bytes) -> None:
        """Hand on part of a streamed ``/response`` body as it arrives."""
        match = models.INVOCATION_PATH_RE.match(path.split("?", 1)[0])
        if method == "POST" and match and match.group(2) == "response":
            self.handler.on_stream(match.group(1), data)

    def dispatch(self, conn: Connection, request: ApiRequest) -> None:
        """Route one request to the environment."""
        method, path = request.method, request.path
        if self.observer is not None:
            self.observer("runtime", f"{method} {path}", request.headers, request.body)
        if method == "GET" and path == models.NEXT_PATH:
            self.handler.on_next(conn)
            return
        match = models.INVOCATION_PATH_RE.match(path)
        if method == "POST" and match:
            self.handler.on_result(conn, match.group(1), match.group(2), request)
        elif method == "POST" and path == models.INIT_ERROR_PATH:
            self.handler.on_init_error(conn, request)
        elif path in (models.RESTORE_NEXT_PATH, models.RESTORE_ERROR_PATH):
            detail = "SnapStart restore is not available for $LATEST"
            conn.reply(403, models.state_transition_body("Ready", "RestoreNext", detail))
        else:
            conn.reply(404, b"404 page not found\n", {"Content-Type": "text/plain"})

    def close(self) -> None:
        """Stop listening and close every connection."""
        self.hub.remove(self.listener, self.listener.close)
        for conn in list(self.connections):
            conn.close()
