"""A minimal HTTP/1.1 client for Lambda's Runtime API.

Why not ``http.client``: it imports ``email`` (slow to start) and parses headers with the email
parser (slow per request). The Runtime API needs only fixed-length bodies on one keep-alive
connection, so a few lines over a socket serve it, with ``TCP_NODELAY`` set (with Nagle's
algorithm a loopback request/response pair costs about 44 ms instead of 0.4 ms).
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # signal without its enums (~1 ms to build)
import select
import socket
import sys

API_PREFIX = "/2018-06-01/runtime"
NEXT_PATH = API_PREFIX + "/invocation/next"
INIT_ERROR_PATH = API_PREFIX + "/init/error"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
XRAY_ERROR_CAUSE_HEADER = "Lambda-Runtime-Function-XRay-Error-Cause"
_MAX_XRAY_CAUSE = 1024 * 1024
_READ_SIZE = 65536  # bytes asked of the socket per read


class RuntimeApiClientError(Exception):
    """A Runtime API request failed (connection lost or an unexpected status)."""


class RuntimeApiClient:
    """One keep-alive connection to ``AWS_LAMBDA_RUNTIME_API`` (``host:port``)."""

    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        self._address = (host or "127.0.0.1", int(port))
        self._host_header = address
        self._sock: socket.socket | None = None
        # What arrived and is not yet read: a bytearray, so that a large body read in many pieces
        # is appended in linear time (bytes would be copied whole at every piece).
        self._buf = bytearray()
        self._rbuf = bytearray(_READ_SIZE)
        self._rview = memoryview(self._rbuf)
        self._next_sent = False
        self._wakeup: socket.socket | None = None
        self._wakeup_claimed = False
        self._poller: tuple[socket.socket, select.poll] | None = None  # for the connection
        version = "%d.%d.%d" % sys.version_info[:3]
        self._agent = "lambda-magic-runtime/python-" + version

    # -- transport ---------------------------------------------------------------------------
    def _connect(self) -> socket.socket:
        # A plain connect to the address: create_connection's getaddrinfo would import the
        # idna codec on first use, 2 ms of every cold start.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.connect(self._address)
        except (OSError, ValueError):
            sock.close()
            sock = socket.create_connection(self._address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock, self._buf = sock, bytearray()
        return sock

    def _recv(self, sock: socket.socket, long_poll: bool = False) -> None:
        if long_poll and self._wakeup is not None:
            if self._poller is None or self._poller[0] is not sock:
                poller = select.poll()
                poller.register(sock, select.POLLIN)
                poller.register(self._wakeup, select.POLLIN)
                self._poller = (sock, poller)
            fileno, poller = sock.fileno(), self._poller[1]
            while all(fd != fileno for fd, _ in poller.poll()):
                # A signal arrived: the handler runs as soon as this thread runs bytecode.
                try:
                    self._wakeup.recv(4096)
                except OSError:
                    pass
        # Into one buffer kept for the client's life: a fresh 256 KiB ``recv`` buffer was an
        # mmap, an mremap and a munmap for every read. 64 KiB: its pages count in Max Memory Used.
        n = sock.recv_into(self._rbuf)
        if not n:
            raise RuntimeApiClientError("connection closed by the Runtime API")
        self._buf += self._rview[:n]

    def _read_response(
        self, sock: socket.socket, long_poll: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self._buf:
            self._recv(sock, long_poll)
        end = self._buf.index(b"\r\n\r\n")
        lines = self._buf[:end].decode("latin-1").split("\r\n")
        del self._buf[: end + 4]
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self._buf) < length:
            self._recv(sock)
        buf = self._buf
        if len(buf) == length:  # the usual case: this body is all that arrived
            body = bytes(buf)
            self._buf = bytearray()  # the capacity a large body grew goes with it
        else:
            with memoryview(buf) as view:
                body = bytes(view[:length])
            del buf[:length]
        return status, headers, body

    def _message(
        self, method: str, path: str, body: bytes, headers: dict[str, str] | None
    ) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self._host_header}",
            f"User-Agent: {self._agent}",
            f"Content-Length: {len(body)}",
        ]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        then_next: bool = False,
        long_poll: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request and return ``(status, lower-cased headers, body)``.

        With ``then_next``, the ``/invocation/next`` request is pipelined behind it in the same
        write (HTTP/1.1 pipelining): the environment is ready for its next event one round trip
        sooner. :meth:`next_invocation` then only reads its answer.
        """
        message = self._message(method, path, body, headers)
        if then_next:
            message += self._message("GET", NEXT_PATH, b"", None)
        for attempt in (0, 1):
            sock = self._sock or self._connect()
            try:
                sock.sendall(message)  # one write: head and body leave in the same segment
                answer = self._read_response(sock, long_poll)
                self._next_sent = then_next
                return answer
            except (OSError, RuntimeApiClientError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Drop the connection (a new one is made on the next request)."""
        self._next_sent = False
        self._poller = None
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock, self._buf = None, bytearray()

    # -- the Runtime API -----------------------------------------------------------------------
    def next_invocation(self) -> tuple[bytes, dict[str, str]]:
        """Long-poll ``/invocation/next`` (no timeout: the environment may be frozen here)."""
        if not self._wakeup_claimed:
            self._wakeup_claimed = True
            self._wakeup = _signal_wakeup()
        if self._next_sent and self._sock is not None:
            self._next_sent = False
            status, headers, body = self._read_response(self._sock, long_poll=True)
        else:
            status, headers, body = self.request("GET", NEXT_PATH, long_poll=True)
        if status != 200:
            raise RuntimeApiClientError(f"/next answered {status}: {body[:200]!r}")
        return body, headers

    def post_response(self, request_id: str, body: bytes, content_type: str) -> None:
        """POST the handler's result to ``/invocation/{id}/response``."""
        path = f"{API_PREFIX}/invocation/{request_id}/response"
        self._expect_202(path, body, {"Content-Type": content_type}, then_next=True)

    def post_error(self, request_id: str, error_json: str, xray_cause: str) -> None:
        """POST an invocation error to ``/invocation/{id}/error`` with its X-Ray cause."""
        headers = {"Content-Type": "application/json"}
        if xray_cause and len(xray_cause.encode()) < _MAX_XRAY_CAUSE:
            headers[XRAY_ERROR_CAUSE_HEADER] = xray_cause
        path = f"{API_PREFIX}/invocation/{request_id}/error"
        self._expect_202(path, error_json.encode("utf-8"), headers, then_next=True)

    def post_init_error(self, error_json: str, error_type: str) -> None:
        """POST an init failure to ``/init/error`` with ``Lambda-Runtime-Function-Error-Type``."""
        headers = {"Content-Type": "application/json", ERROR_TYPE_HEADER: error_type}
        self._expect_202(INIT_ERROR_PATH, error_json.encode("utf-8"), headers)

    def _expect_202(
        self, path: str, body: bytes, headers: dict[str, str], then_next: bool = False
    ) -> None:
        status, _, answer = self.request("POST", path, body, headers, then_next)
        if status == 413:  # the platform reports Function.ResponseSizeTooLarge; carry on
            return
        if status != 202:
            raise RuntimeApiClientError(f"{path} answered {status}: {answer[:200]!r}")


def _signal_wakeup() -> socket.socket | None:
    """A socket that turns readable whenever a signal with a Python handler arrives.

    Linux gives a process-directed signal (SIGTERM at Shutdown) to any thread that does not
    block it, and Python runs the handler in the main thread only once that thread runs bytecode
    again: a main thread asleep in ``recv`` would sleep through a SIGTERM that a background
    thread took. Waiting on this socket too wakes it. ``None`` where the program has set a
    wakeup fd of its own (it is left alone) or outside the main thread.
    """
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    theirs.setblocking(False)
    try:
        previous = _signal.set_wakeup_fd(theirs.fileno(), warn_on_full_buffer=False)
    except ValueError:  # not the main thread
        previous = None
    if previous == -1:
        _WAKEUP_WRITERS.append(theirs)  # kept open for the process's life
        return ours
    if previous is not None:
        _signal.set_wakeup_fd(previous)
    ours.close()
    theirs.close()
    return None


_WAKEUP_WRITERS: list[socket.socket] = []
