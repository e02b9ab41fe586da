"""Lambda's own HTTP API for the functions of this process: boto3, the AWS CLI, SAM-style
tools and other functions invoke them as they invoke Lambda.

::

    import lambda_magic
    with lambda_magic.serve(port=0) as server:        # port 0: a free port
        client = boto3.client("lambda", endpoint_url=server.url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
        client.invoke(FunctionName="hello", Payload=b'{"name": "Ada"}')

It listens on loopback unless a host is given (then it warns), answers only requests with this
server's ``Host`` and a Signature V4 ``Authorization`` (:mod:`lambda_magic.server.security`),
and while it runs every new environment gets ``AWS_ENDPOINT_URL_LAMBDA`` pointing at it, so
functions call functions. ``stop()`` (or leaving the ``with`` block, or the process exiting)
closes every socket and ends every thread it started.
"""

from __future__ import annotations

import atexit
import threading
import warnings
from collections.abc import Iterable
from typing import Any

from lambda_magic.api import endpoint
from lambda_magic.api.invocation_types import Cancellation
from lambda_magic.server import calls, security
from lambda_magic.server.http import HttpServer
from lambda_magic.server.operations import ROUTES
from lambda_magic.server.routes import LambdaApi

__all__ = ["ServerHandle", "current", "serve"]

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 3001  # as sam local start-lambda
_lock = threading.Lock()
_running: ServerHandle | None = None


class ServerHandle:
    """A running Lambda API server: ``url``, ``port``, ``calls`` (the call log), ``stop()``;
    a context manager that stops it on exit."""

    def __init__(self, host: str, port: int, hosts: Iterable[str] = ()) -> None:
        self.cancel = Cancellation()
        self.calls = calls.CallLog()
        check = security.HostCheck.serving(host, port, hosts)
        self._app = LambdaApi(ROUTES, check, self.calls, self.cancel)
        self._http = HttpServer(host, port, self._app)
        self.host = host
        self.port = int(self._http.server_address[1])
        self._app.hosts = security.HostCheck.serving(host, self.port, hosts)
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = LOOPBACK
        self.url = f"http://{shown}:{self.port}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.2},
            name="lambda-api-server", daemon=True,
        )  # fmt: skip
        self._thread.start()
        self.stopped = False
        #: The functions whose warm environments were reset when it started (their variables
        #: now point at this server).
        self.reset = endpoint.announce(self.url)

    def stop(self) -> None:
        """Stop serving: in-flight invocations end as interrupted, every connection closes, and
        every thread started for it ends. Idempotent."""
        global _running
        with _lock:
            if self.stopped:
                return
            self.stopped = True
            if _running is self:
                _running = None
        endpoint.announce(None)
        self.cancel.cancel()
        self._http.stop(self._thread)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def status(self) -> str:
        """One line: where it serves and what it answered."""
        if self.stopped:
            return f"Lambda API at {self.url}: stopped after {self.calls.count} calls"
        return (
            f"Lambda API at {self.url}: {self.calls.count} calls answered, "
            f"{self._http.connection_count()} connections open"
        )

    def __repr__(self) -> str:
        return f"<ServerHandle {self.status()}>"


def serve(
    host: str = LOOPBACK, port: int = DEFAULT_PORT, *, hosts: Iterable[str] = ()
) -> ServerHandle:
    """Serve Lambda's API for this process's functions; returns the running server's handle.

    ``host`` is loopback unless given (another host warns: anyone who can reach it can run
    your functions); ``port`` 0 picks a free port; ``hosts`` are more names the ``Host`` header
    may carry (e.g. a name in ``/etc/hosts``). One server runs per process: a second call stops
    the first.
    """
    global _running
    if host not in (LOOPBACK, "localhost", "::1"):
        warnings.warn(
            f"lambda_magic serves Lambda's API on {host}: anyone who can reach this machine "
            "there can invoke and change your functions (requests still need a Signature V4 "
            "header and a matching Host)",
            UserWarning,
            stacklevel=2,
        )
    with _lock:
        previous = _running
    if previous is not None:
        previous.stop()
    handle = ServerHandle(host, port, hosts)
    with _lock:
        _running = handle
    return handle


def current() -> ServerHandle | None:
    """The server running in this process, or None."""
    return _running


def _stop_at_exit() -> None:
    running = _running
    if running is not None:
        running.stop()


atexit.register(_stop_at_exit)
