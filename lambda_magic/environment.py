"""One execution environment: a sandbox, the runtime process in it, and its Runtime API.

The environment serves its runtime on the hub thread (the :class:`RuntimeApiHandler` methods
below record what the runtime did and wake waiters) and is driven by callers through
:mod:`lambda_magic.invocation`, which implements Init, Invoke and the error paths. Every
state change goes through :class:`~lambda_magic.lifecycle.StateMachine`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic import envvars, logs
from lambda_magic.cancel import Cancellation
from lambda_magic.config import FunctionConfig
from lambda_magic.errors import ErrorPayload, ErrorType
from lambda_magic.hub import get_hub
from lambda_magic.lifecycle import EnvState, StateMachine
from lambda_magic.logs import FramePipe, LogEvent, LogRelay, OutputPipe
from lambda_magic.runtime_api import models
from lambda_magic.runtime_api.server import ApiRequest, Connection, RuntimeApiEndpoint
from lambda_magic.sandbox.client import get_manager
from lambda_magic.sandbox.handle import SandboxHandle

if TYPE_CHECKING:
    from lambda_magic.function import LambdaFunction

#: ``AWS_LAMBDA_INITIALIZATION_TYPE`` values.
ON_DEMAND, PROVISIONED = "on-demand", "provisioned-concurrency"


class ShutdownPath(enum.Enum):
    """How an environment's runtime ended at Shutdown."""

    GRACEFUL = "graceful"  # exited within the grace period after SIGTERM
    KILLED = "killed"  # still running after the grace period: SIGKILL
    NOT_RUNNING = "not running"  # no runtime was alive (never started, crashed, reset)


@dataclass
class Invocation:
    """One invocation in flight in an environment (filled in on the hub thread)."""

    request_id: str
    body: bytes
    headers: dict[str, str]
    delivered_at: float = 0.0
    answered_at: float = 0.0
    response: bytes | None = None
    content_type: str = "application/json"
    error: ErrorPayload | None = None
    answered: bool = False
    peak_bytes: int = 0  # measured when the answer arrives, while the runtime waits for the 202
    charged_peak: int = 0  # the memory cgroup's view of it (short-lived processes included)
    tmp_used: int = 0


class ExecutionEnvironment:
    """A sandbox plus a runtime process, serving one invocation at a time."""

    def __init__(self, function: LambdaFunction, index: int, init_type: str = ON_DEMAND) -> None:
        self.function = function
        # Its revision for life: a newer one (update_code) gets new environments.
        self.config: FunctionConfig
        self.config, self.revision, self.task_root = function.current_revision()
        self.id = f"env-{index}"
        self.init_type = init_type
        self.state = StateMachine()
        self.log_stream_name = logs.new_log_stream_name(self.config.version)
        self.platform = logs.PlatformLog(self.config)
        self.hub = get_hub()
        self.sandbox = SandboxHandle(
            get_manager(), f"{function.name}-{index}-{uuid.uuid4().hex[:8]}",
            self.config.memory_size, self.config.ephemeral_storage,
        )  # fmt: skip
        self.endpoint: RuntimeApiEndpoint | None = None
        self.cv = threading.Condition()
        self.busy = False
        self.invocations = 0
        self.cold_starts = 0
        self.last_used = time.monotonic()
        self.shutdown_path: ShutdownPath | None = None
        self.exit_status: int | None = None
        self.exit_peak_bytes = 0  # the last runtime's lifetime peak, known once it has exited
        self.max_memory_used_mb = 0
        self.tmp_used_bytes = 0
        self.pending_init_duration: float | None = None
        # Facts about the current runtime, set on the hub thread under ``cv``:
        self.next_conn: Connection | None = None
        self.current: Invocation | None = None
        self.init_error: tuple[ErrorPayload, str] | None = None
        self.exited = True
        self.delivery_pending = False
        self._output: OutputPipe | None = None
        self._frames: FramePipe | None = None
        self._collect: LogRelay | None = None
        #: Ends the current invocation from another thread (an interrupted batch).
        self.cancel: Cancellation | None = None
        self.state.add_listener(lambda old, new: function._notify("state", (self, old, new)))

    # -- identity --------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """The runtime's process id while it runs."""
        return None if self.exited else self.sandbox.pid

    def __repr__(self) -> str:
        return f"<ExecutionEnvironment {self.function.name}/{self.id} {self.state.state.value}>"

    # -- logs ------------------------------------------------------------------------------------
    def emit(self, message: str | None) -> None:
        """Append a platform line (or nothing, for ``None``) to the log stream."""
        if message is not None:
            self._record(message)

    def _record(self, message: str, timestamp: float | None = None) -> None:
        event = LogEvent(timestamp or time.time(), self.log_stream_name, message)
        self.function.logs.append(event)
        with self.cv:
            if self._collect is not None:
                self._collect.add(event)
            self.cv.notify_all()
        self.function._notify("log", event)

    def collect(self, relay: LogRelay | None) -> None:
        """Send new log events to ``relay`` (the waiting caller's), or stop with None."""
        with self.cv:
            self._collect = relay

    def drain_logs(self) -> None:
        """Read everything the runtime has written so far (hub thread)."""
        if self._frames is not None:
            self._frames.drain()
        if self._output is not None:
            self._output.drain()

    # -- the runtime process ---------------------------------------------------------------------
    def environ(self) -> dict[str, str]:
        """The runtime's environment variables: Lambda's own, then the function's."""
        return envvars.build(self.config, self.sandbox.paths_inside(self.task_root), self.init_type,
                             self.log_stream_name, self.endpoint.address if self.endpoint else "")  # fmt: skip

    def start_runtime(self) -> None:
        """Start a runtime process in the sandbox (creating the sandbox the first time)."""
        if self.sandbox.manager.closed:  # the manager died (and its sandboxes with it)
            self.sandbox = SandboxHandle(get_manager(), self.sandbox.sid, self.config.memory_size,
                                         self.config.ephemeral_storage)  # fmt: skip
        if not self.sandbox.created:
            self.sandbox.create(self.function.work_dir())
        if self.endpoint is None:
            self.endpoint = RuntimeApiEndpoint(self.hub, self)
            self.endpoint.observer = self._observe_api
        pipes = [os.pipe(), os.pipe()]  # standard output and error; telemetry (log frames)
        for read_fd, _ in pipes:
            os.set_blocking(read_fd, False)
        with self.cv:
            self.exited = False
            self.exit_status = None
            self.exit_peak_bytes = 0
            self.init_error = None
            self.next_conn = None
            self.current = None
        self._output = OutputPipe(self.hub, pipes[0][0], self._record)
        self._frames = FramePipe(self.hub, pipes[1][0], self._record)
        argv = None
        if self.config.runtime_command:
            argv = [
                a.replace("{handler}", self.config.handler) for a in self.config.runtime_command
            ]
        try:
            pid = self.sandbox.spawn(argv, self.task_root, self.environ(),
                                     self.config.handler, [w for _, w in pipes])  # fmt: skip
        except BaseException:
            with self.cv:
                self.exited = True
            self._output.close()
            self._frames.close()
            raise
        finally:
            for _, write_fd in pipes:
                os.close(write_fd)
        self.sandbox.manager.watch_exit(pid, self._on_exit)

    def _observe_api(self, sender: str, start_line: str, headers: dict[str, str],
                     body: bytes) -> None:  # fmt: skip
        if self.function.has_listeners():  # the message is built only when someone watches
            message = models.ApiMessage(sender, start_line, dict(headers), body)
            self.function._notify("api", (self, message))

    def _on_exit(self, status: int, peak_kib: int) -> None:
        self.hub.call_soon(self._record_exit, status, peak_kib)

    def _record_exit(self, status: int, peak_kib: int) -> None:
        self.drain_logs()
        self.sandbox.exited()
        with self.cv:
            self.exited = True
            self.exit_status = status
            self.exit_peak_bytes = peak_kib * 1024
            self.next_conn = None
            self.cv.notify_all()
        # A runtime that dies while idle (killed from outside): the next invoke re-inits.
        self.state.transition(EnvState.RESET, only_from=(EnvState.IDLE, EnvState.FROZEN))

    def kill_runtime(self, sig: int = signal.SIGKILL, wait: float = 5.0) -> bool:
        """Signal the runtime (and everything in its sandbox); True if it exited in ``wait`` s."""
        if self.exited:
            return True
        self.sandbox.signal(sig)
        return self.wait_exit(wait)

    def wait_exit(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the runtime to exit; True if it has."""
        with self.cv:
            return self.cv.wait_for(lambda: self.exited, timeout)

    # -- RuntimeApiHandler (hub thread) ----------------------------------------------------------
    def on_next(self, conn: Connection) -> None:
        """The runtime asks for an event: Init is over, or the invocation's phase ends."""
        self.drain_logs()  # what the runtime printed before asking belongs to this phase
        state = self.state.state
        with self.cv:
            current = self.current
            if state is EnvState.INVOKING and current is not None and not current.answered:
                detail = "Invoke is not complete"
                conn.reply(403, models.state_transition_body("Running", "Ready", detail))
                return
            if self.next_conn is not None and state in (EnvState.IDLE, EnvState.FROZEN):
                conn.reply(403, models.state_transition_body("Ready", "Ready", "already waiting"))
                return
            self.next_conn = conn
            # Idle (and frozen) before anyone waiting for this request wakes up: when invoke()
            # returns, the environment is already in its resting state.
            if self.state.transition(
                EnvState.IDLE, only_from=(EnvState.INITIALIZING, EnvState.INVOKING)
            ):
                self.freeze_if_idle()
            self.cv.notify_all()

    def freeze_if_idle(self) -> None:
        """Freeze an idle environment (Lambda freezes it once the runtime asks for more)."""
        with self.cv:
            if not self.config.freeze or self.delivery_pending or self.next_conn is None:
                return
            if self.state.transition(EnvState.FROZEN, only_from=(EnvState.IDLE,)):
                self.sandbox.freeze()

    def on_result(self, conn: Connection, request_id: str, kind: str, request: ApiRequest) -> None:
        """The runtime posts the invocation's response or error."""
        with self.cv:
            inv = self.current
            if inv is None or inv.request_id != request_id:
                conn.reply(400, models.INVALID_REQUEST_ID_BODY)
                return
            if inv.answered:
                detail = "Invoke already answered"
                conn.reply(
                    403, models.state_transition_body("Running", "RuntimeResponseSent", detail)
                )
                return
            mode = request.headers.get(models.HEADER_RESPONSE_MODE.lower())
            streamed_error = models.stream_error(request.trailers) if kind == "response" else None
            if mode is not None and mode != models.STREAMING:
                conn.reply(400, models.INVALID_RESPONSE_MODE_BODY)
                inv.error = ErrorPayload(
                    f"Invalid response mode header value: {mode!r}", ErrorType.INVALID_RESPONSE_MODE
                )
            elif streamed_error is not None:  # the stream failed midway: an error, not a payload
                error_type, body = streamed_error
                inv.response = request.body
                inv.error = ErrorPayload.from_json(body)
                if not inv.error.error_type:
                    inv.error = dataclasses.replace(
                        inv.error, error_type=models.normalize_error_type(error_type)
                    )
            elif kind == "response" and len(request.body) > models.MAX_RESPONSE_BYTES:
                conn.reply(413, models.TOO_LARGE_BODY)
                inv.error = ErrorPayload(
                    f"Response payload size ({len(request.body)} bytes) exceeded maximum allowed "
                    f"payload size ({models.MAX_RESPONSE_BYTES} bytes).",
                    ErrorType.RESPONSE_TOO_LARGE,
                )
            elif kind == "response":
                inv.response = request.body
                inv.content_type = request.headers.get("content-type", "application/json")
            else:
                inv.error = ErrorPayload.from_json(request.body)
            inv.answered_at = time.monotonic()
            inv.peak_bytes = self.sandbox.peak_bytes()
            inv.charged_peak = self.sandbox.charged_peak_bytes()
            inv.tmp_used = self.sandbox.tmp_used()
            if inv.error is None or kind == "error" or streamed_error is not None:
                conn.reply(202, models.ACCEPTED_BODY)
        self.drain_logs()
        with self.cv:
            inv.answered = True
            self.cv.notify_all()

    def on_init_error(self, conn: Connection, request: ApiRequest) -> None:
        """The runtime reports that Init failed."""
        with self.cv:
            if self.state.state is not EnvState.INITIALIZING or self.init_error is not None:
                conn.reply(
                    403, models.state_transition_body("Ready", "InitError", "not initializing")
                )
                return
            error_type = models.normalize_error_type(
                request.headers.get(models.HEADER_ERROR_TYPE.lower())
            )
            self.init_error = (ErrorPayload.from_json(request.body), error_type)
            conn.reply(202, models.ACCEPTED_BODY)
        self.drain_logs()
        with self.cv:
            self.cv.notify_all()

    # -- delivering ------------------------------------------------------------------------------
    def deliver(self, inv: Invocation) -> None:
        """Hand the event to the runtime waiting in ``/next`` (thawing the environment)."""
        with self.cv:
            conn, self.next_conn = self.next_conn, None
            self.current = inv
            self.delivery_pending = False
            was_frozen = self.state.state is EnvState.FROZEN
            self.state.transition(EnvState.INVOKING)
        if was_frozen:
            self.sandbox.thaw()
        assert conn is not None
        inv.delivered_at = time.monotonic()
        conn.reply(200, inv.body, inv.headers)
        self.function._notify("invoke", (self, inv.request_id))

    def wait(self, done: Callable[[], bool], deadline: float, relay: LogRelay,
             memory_limit: int | None) -> str:  # fmt: skip
        """Wait until ``done()`` (under ``cv``); returns "done", "exited", "timeout" or "oom".

        Log events that arrive meanwhile are relayed on the caller's thread; the memory peak
        is checked every 10 ms. A cancelled :attr:`cancel` raises
        :class:`~lambda_magic.cancel.Interrupted`.
        """
        cancel = self.cancel
        while True:
            with self.cv:
                outcome = "done" if done() else ("exited" if self.exited else None)
                remaining = deadline - time.monotonic()
                if outcome is None and remaining > 0 and not (cancel and cancel.cancelled):
                    self.cv.wait(min(remaining, 0.01) if memory_limit else remaining)
                    outcome = "done" if done() else ("exited" if self.exited else None)
            relay.flush()
            if outcome is not None:
                return outcome
            if cancel is not None:
                cancel.check()
            if memory_limit and self.sandbox.peak_bytes() > memory_limit:
                return "oom"
            if time.monotonic() >= deadline:
                return "timeout"

    # -- shutdown --------------------------------------------------------------------------------
    def shutdown(self) -> ShutdownPath:
        """Shutdown phase: SIGTERM, a grace period, then SIGKILL; release the sandbox."""
        if not self.state.transition(EnvState.SHUTTING_DOWN, only_from=_SHUTDOWN_FROM):
            self.state.wait_for([EnvState.SHUT_DOWN], 10)
            return self.shutdown_path or ShutdownPath.NOT_RUNNING
        path = ShutdownPath.NOT_RUNNING
        try:
            if not self.exited:
                grace = self.config.shutdown_grace_ms / 1000
                if self.kill_runtime(signal.SIGTERM, wait=grace):
                    path = ShutdownPath.GRACEFUL
                else:
                    self.kill_runtime(signal.SIGKILL)
                    path = ShutdownPath.KILLED
            self.hub.run_sync(self.drain_logs, timeout=5)
            self.sandbox.destroy()
        finally:
            if self.endpoint is not None:
                self.endpoint.close()
            with contextlib.suppress(Exception):  # the loop closes what was handed to it above
                self.hub.run_sync(lambda: None, timeout=5)
            self.shutdown_path = path
            self.state.transition(EnvState.SHUT_DOWN)
        return path


_SHUTDOWN_FROM = tuple(s for s in EnvState if s not in (EnvState.SHUTTING_DOWN, EnvState.SHUT_DOWN))
