"""The HTTP side of the Lambda API server: connections, parsing, limits, and stopping cleanly.

One thread per connection (boto3 keeps up to 10 open per client), HTTP/1.1 with keep-alive,
``TCP_NODELAY``. What no request may do to the others or to the kernel:

* a request line or header over 64 KB, more than 100 headers, a ``Content-Length`` that is not
  a number or a chunked request body: a 400 in Lambda's error shape, then the connection closes;
* a body over the operation's limit (6 MB for Invoke, 70 MB for code uploads, 1 MB otherwise):
  413 ``RequestTooLargeException`` (a body over 80 MB is not even read: the connection closes);
* a slow client: 30 s for each read, 60 s for a whole body, 120 s idle between requests, at
  most :data:`MAX_CONNECTIONS` connections (more are closed at once);
* an error in an operation: 500 ``ServiceException``, the server goes on.

:meth:`HttpServer.stop` closes the listening socket and every connection, and waits for every
thread it started.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from typing import Any

from lambda_magic.server.errors import ApiError

MAX_CONNECTIONS = 256
READ_TIMEOUT_S = 30.0
BODY_DEADLINE_S = 60.0
IDLE_TIMEOUT_S = 120.0
#: Bodies above this are refused without being read (the connection is closed).
DRAIN_LIMIT = 80 * 1024 * 1024
_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content"}


@dataclass
class Request:
    """One parsed request (header names lower-cased; the first value of each query key)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Response:
    """One answer: a body, or a ``stream`` that writes a chunked body through ``write``."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[Callable[[bytes], None]], None] | None = None


def error_response(error: ApiError) -> Response:
    """Lambda's error shape."""
    return Response(error.status, error.body(), error.response_headers())


class App:
    """What the HTTP side serves (see :mod:`lambda_magic.server.routes`)."""

    def body_limit(self, method: str, path: str) -> tuple[int, str]:
        """The largest body this request may have, and the operation's name for messages."""
        raise NotImplementedError

    def handle(self, request: Request) -> Response:
        """Answer one request."""
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lambda_magic"
    sys_version = ""
    timeout = READ_TIMEOUT_S
    disable_nagle_algorithm = True
    server: HttpServer
    fields: dict[str, str] = {}  # the request's headers, names lower-cased

    # -- the request -----------------------------------------------------------------------------
    def handle_one_request(self) -> None:
        self.connection.settimeout(IDLE_TIMEOUT_S)  # waiting for the next request
        try:
            first = self.rfile.peek(1)  # type: ignore[attr-defined]  # a BufferedReader
        except (TimeoutError, OSError):
            self.close_connection = True
            return
        if not first:
            self.close_connection = True
            return
        self.connection.settimeout(READ_TIMEOUT_S)
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError, OSError):
            self.close_connection = True

    def parse_request(self) -> bool:
        """The request line and headers (names lower-cased), with the base class's limits:
        lines of 64 KB, 100 headers."""
        self.command, self.close_connection = None, True  # type: ignore[assignment]
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.0", "HTTP/1.1"):
            self.send_error(400, f"Bad request line {self.requestline[:80]!r}")
            return False
        self.command, self.path, self.request_version = words
        headers: dict[str, str] = {}
        while True:
            raw = self.rfile.readline(65537)
            if len(raw) > 65536 or len(headers) >= 100:
                self.send_error(431, "a header line over 64 KB, or more than 100 headers")
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            name, sep, value = raw.decode("iso-8859-1").partition(":")
            if not sep or not name.strip():
                self.send_error(400, f"Bad header line {raw[:80]!r}")
                return False
            headers[name.strip().lower()] = value.strip()
        self.fields = headers
        connection = headers.get("connection", "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # every method reaches the app (which refuses most)
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        headers = self.fields
        path, _, raw_query = self.path.partition("?")
        query = {
            k: v[0] for k, v in urllib.parse.parse_qs(raw_query, keep_blank_values=True).items()
        }
        app = self.server.app
        try:
            body = self._read_body(headers, *app.body_limit(self.command, path))
        except ApiError as e:
            self._send(error_response(e))
            return
        if body is None:  # the client was too slow, or went away
            self.close_connection = True
            return
        try:
            response = app.handle(Request(self.command, path, query, headers, body))
        except Exception as e:  # noqa: BLE001 - an operation's failure is the caller's 500
            response = error_response(ApiError("ServiceException", f"{type(e).__name__}: {e}"))
        self._send(response)

    def _read_body(self, headers: dict[str, str], limit: int, operation: str) -> bytes | None:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self.close_connection = True
            raise ApiError(
                "InvalidRequestContentException", "a chunked request body is not supported: "
                "send Content-Length",
            )  # fmt: skip
        raw = headers.get("content-length", "0").strip() or "0"
        if not raw.isdigit():
            self.close_connection = True
            raise ApiError("InvalidRequestContentException", f"bad Content-Length {raw!r}")
        length = int(raw)
        if length > limit:
            if length > DRAIN_LIMIT or self._receive(length, keep=False) is None:
                self.close_connection = True
            raise ApiError(
                "RequestTooLargeException",
                f"Request must be smaller than {limit} bytes for the {operation} operation "
                f"(this one is {length} bytes)",
            )
        return self._receive(length, keep=True)

    def _receive(self, length: int, keep: bool) -> bytes | None:
        """Read ``length`` bytes within :data:`BODY_DEADLINE_S` (None if the client did not)."""
        deadline = time.monotonic() + BODY_DEADLINE_S
        parts, left = [], length
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.connection.settimeout(min(READ_TIMEOUT_S, remaining))
            try:
                data = self.rfile.read1(min(left, 1 << 20))
            except (TimeoutError, OSError):
                return None
            if not data:
                return None
            left -= len(data)
            if keep:
                parts.append(data)
        return b"".join(parts)

    # -- the response ----------------------------------------------------------------------------
    def _head(self, response: Response, length: int | None) -> bytes:
        reason = _REASONS.get(response.status) or self.responses.get(response.status, ("",))[0]
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        headers = {"Content-Type": "application/json", **response.headers}
        if length is None:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(length)
        if self.close_connection:
            headers["Connection"] = "close"
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")

    def _send(self, response: Response) -> None:
        try:
            if response.stream is None:
                self.wfile.write(self._head(response, len(response.body)) + response.body)
                return
            self.wfile.write(self._head(response, None))

            def write(data: bytes) -> None:
                if data:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

            response.stream(write)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found while parsing (a bad request line, too many headers): Lambda's shape."""
        self.close_connection = True
        detail = message or self.responses.get(code, ("",))[0]
        error = ApiError("InvalidRequestContentException", f"malformed HTTP request: {detail}")
        if code in (413, 414, 431):
            error = ApiError("RequestTooLargeException", f"request head too large: {detail}")
        self._send(error_response(error))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Nothing goes to stderr (the server records its calls itself)."""


class HttpServer(ThreadingMixIn, HTTPServer):
    """The listening socket and its connection threads."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, app: App) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.app = app
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._closing = False
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        """Bind without the base's reverse name lookup (slow on some machines)."""
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()
        self.server_name, self.server_port = (
            str(self.server_address[0]),
            int(self.server_address[1]),
        )

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            if self._closing or len(self._connections) >= MAX_CONNECTIONS:
                self.shutdown_request(request)
                return
            self._connections.add(request)
            thread = threading.Thread(
                target=self._serve_connection, args=(request, client_address), daemon=True,
                name="lambda-api-connection",
            )  # fmt: skip
            self._workers.add(thread)
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.discard(request)
                self._workers.discard(threading.current_thread())

    def connection_count(self) -> int:
        """Open connections now."""
        return len(self._connections)

    def stop(self, serve_thread: threading.Thread | None, timeout: float = 10.0) -> None:
        """Stop accepting, close every connection, and wait for every thread."""
        with self._lock:
            self._closing = True
        self.shutdown()  # serve_forever returns
        if serve_thread is not None:
            serve_thread.join(timeout)
        self.server_close()
        with self._lock:
            connections, threads = list(self._connections), list(self._workers)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
