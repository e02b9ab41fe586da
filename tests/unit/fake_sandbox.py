"""A sandbox backend with no processes, for the engine's unit tests.

A "runtime" is a thread of this process that speaks the real Runtime API (over loopback, with
lambda_magic's own runtime client) and calls a Python function as its handler; killing it closes
its connection and reports the exit at once, as the sandbox manager would. Everything else the
engine asks of a sandbox (freezing, memory, /tmp) is recorded, not done.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import threading
from collections.abc import Callable
from typing import Any

from lambda_magic.engine.services import Services
from lambda_magic.platform.hub import get_hub
from lambda_magic.runtime.client import RuntimeApiClient, RuntimeApiClientError

#: ``handler(event, context) -> value``; raising gives an error; ``SystemExit`` ends the runtime.
Handler = Callable[[Any, dict[str, str]], Any]


class Exited(Exception):
    """Raised by a fake handler to make its runtime exit with ``status``."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class FakeMachine:
    """The backend: sandboxes by id, a handler per function name, what was asked of them."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.init: dict[str, Callable[[], None]] = {}
        self.sandboxes: list[FakeSandbox] = []
        self._pids = itertools.count(10_000)

    def services(self) -> Services:
        """The engine's services on this fake machine (the real hub, a fake clock is not
        needed: everything runs in milliseconds)."""
        return Services(get_hub(), self.new_sandbox)

    def new_sandbox(self, sid: str, memory_mb: int, tmp_mb: int) -> FakeSandbox:
        sandbox = FakeSandbox(self, sid)
        self.sandboxes.append(sandbox)
        return sandbox

    def next_pid(self) -> int:
        return next(self._pids)


class FakeSandbox:
    """One environment's sandbox on the fake machine."""

    lost = False
    namespaces = False

    def __init__(self, machine: FakeMachine, sid: str) -> None:
        self.machine, self.sid = machine, sid
        self.pid: int | None = None
        self.created = False
        self.destroyed = False
        self.frozen = 0
        self.signals: list[int] = []
        self._runtime: FakeRuntime | None = None
        self._on_exit: Callable[[int, int], None] | None = None
        self._early_exit: int | None = None
        self._lock = threading.Lock()

    def paths_inside(self, task_root: str) -> tuple[str, str]:
        return task_root, "/fake/runtime"

    def create(self, work_dir: str) -> None:
        self.created = True

    def spawn(self, argv: list[str] | None, task_root: str, environ: dict[str, str],
              handler: str, fds: list[int]) -> int:  # fmt: skip
        name = environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.pid = self.machine.next_pid()
        output = os.dup(fds[0])
        self._runtime = FakeRuntime(self, environ["AWS_LAMBDA_RUNTIME_API"], output,
                                    self.machine.handlers[name], self.machine.init.get(name))  # fmt: skip
        self._runtime.start()
        return self.pid

    def watch_exit(self, pid: int, callback: Callable[[int, int], None]) -> None:
        with self._lock:  # a runtime may have ended before anyone watched (as the manager keeps)
            early, self._early_exit = self._early_exit, None
            if early is None:
                self._on_exit = callback
        if early is not None:
            callback(early, 1024)

    def runtime_exited(self, runtime: FakeRuntime, status: int) -> None:
        """Called once when a runtime ends (by itself, or killed)."""
        with self._lock:
            if runtime is not self._runtime:
                return
            callback, self._on_exit = self._on_exit, None
            if callback is None:
                self._early_exit = status
        if callback is not None:
            callback(status, 1024)

    def exited(self) -> None:
        self._runtime = None

    def signal(self, sig: int) -> None:
        self.signals.append(sig)
        if self._runtime is not None:
            self._runtime.kill(sig)

    def freeze(self) -> None:
        self.frozen += 1

    def thaw(self) -> bool:
        return True

    def reset_peak(self) -> None:
        pass

    def peak_bytes(self) -> int:
        return 8 * 1024 * 1024

    def charged_peak_bytes(self) -> int:
        return 0

    def tmp_used(self) -> int:
        return 0

    def destroy(self) -> None:
        self.destroyed = True
        if self._runtime is not None:
            self._runtime.kill(signal.SIGKILL)


class FakeRuntime(threading.Thread):
    """A runtime as a thread: Init, then next -> handler -> response, until killed."""

    def __init__(self, sandbox: FakeSandbox, address: str, output: int, handler: Handler,
                 init: Callable[[], None] | None) -> None:  # fmt: skip
        super().__init__(name=f"fake-runtime-{sandbox.sid}", daemon=True)
        self.sandbox, self.output, self.handler, self.init = sandbox, output, handler, init
        self.client = RuntimeApiClient(address)
        self._done = threading.Lock()
        self._ended = False

    def log(self, line: str) -> None:
        """Write a line to standard output (the environment's log stream)."""
        with self._done:
            if not self._ended:
                os.write(self.output, (line + "\n").encode())

    def run(self) -> None:
        status = 0
        try:
            if self.init is not None:
                self.init()
            while True:
                body, headers = self.client.next_invocation()
                self._serve(json.loads(body), headers)
        except Exited as e:
            status = e.status << 8
        except (RuntimeApiClientError, OSError):
            pass
        finally:
            self.client.close()
            self._end(status)

    def _serve(self, event: Any, headers: dict[str, str]) -> None:
        rid = headers["lambda-runtime-aws-request-id"]
        try:
            value = self.handler(event, headers)
        except Exited:
            raise
        except Exception as e:  # noqa: BLE001 - the handler's error goes to /error
            error = {"errorMessage": str(e), "errorType": type(e).__name__,
                     "requestId": rid, "stackTrace": []}  # fmt: skip
            self.client.post_error(rid, json.dumps(error), "")
            return
        self.client.post_response(rid, json.dumps(value).encode(), "application/json")

    def kill(self, sig: int) -> None:
        """End at once: the connection is shut (waking a pending ``/next``) and the exit is
        reported with ``sig``."""
        sock = self.client._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._end(sig)

    def _end(self, status: int) -> None:
        with self._done:
            if self._ended:
                return
            self._ended = True
            os.close(self.output)
        self.sandbox.runtime_exited(self, status)
