"""The environment's side of its Runtime API: what the runtime's requests mean for it.

:class:`RuntimeSide` implements the platform's
:class:`~lambda_magic.platform.runtime_api.server.RuntimeApiHandler` for one environment. Its
methods run on the hub thread: they record what the runtime did in the environment's lifecycle
(under its lock), answer the runtime, and wake the caller waiting for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic.core.errors import ErrorPayload, ErrorType
from lambda_magic.core.lifecycle import EnvState, Trigger
from lambda_magic.core.notifications import EventDelivered
from lambda_magic.platform.runtime_api import models
from lambda_magic.platform.runtime_api.server import ApiRequest, Connection

if TYPE_CHECKING:
    from lambda_magic.engine.environment import ExecutionEnvironment


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
    #: Called on the hub thread with each part of a streamed response as it arrives.
    on_chunk: Callable[[bytes], None] | None = None


class RuntimeSide:
    """Serves one environment's runtime (see the module docstring)."""

    def __init__(self, env: ExecutionEnvironment) -> None:
        self.env = env

    def on_next(self, conn: Connection) -> None:
        """The runtime asks for an event: Init is over, or the invocation's phase ends."""
        env = self.env
        env.drain_logs()  # what the runtime printed before asking belongs to this phase
        with env.state:
            state, facts, current = env.state.state, env.state.runtime, env.current
            if state is EnvState.INVOKING and current is not None and not current.answered:
                detail = "Invoke is not complete"
                conn.reply(403, models.state_transition_body("Running", "Ready", detail))
                return
            if facts.waiting is not None and state.is_warm:
                conn.reply(403, models.state_transition_body("Ready", "Ready", "already waiting"))
                return
            facts.waiting = conn
            # Idle (and frozen) before anyone waiting for this request wakes up: when invoke()
            # returns, the environment is already in its resting state.
            if env.state.fire(Trigger.READY):
                self.freeze_if_idle()
            env.state.notify_all()

    def freeze_if_idle(self) -> None:
        """Freeze an idle environment (Lambda freezes it once the runtime asks for more)."""
        env = self.env
        with env.state:
            lifecycle = env.state
            if (
                not env.config.freeze
                or lifecycle.delivery_pending
                or lifecycle.runtime.waiting is None
            ):
                return
            if lifecycle.fire(Trigger.FREEZE):
                env.sandbox.freeze()

    def on_result(self, conn: Connection, request_id: str, kind: str, request: ApiRequest) -> None:
        """The runtime posts the invocation's response or error."""
        env = self.env
        with env.state.lock:
            inv = env.current
            if inv is None or inv.request_id != request_id:
                conn.reply(400, models.INVALID_REQUEST_ID_BODY)
                return
            if inv.answered:
                detail = "Invoke already answered"
                conn.reply(
                    403, models.state_transition_body("Running", "RuntimeResponseSent", detail)
                )
                return
            accepted = self._record_answer(conn, inv, kind, request)
            inv.answered_at = env.clock()
            inv.peak_bytes = env.sandbox.peak_bytes()
            inv.charged_peak = env.sandbox.charged_peak_bytes()
            inv.tmp_used = env.sandbox.tmp_used()
            if accepted:
                conn.reply(202, models.ACCEPTED_BODY)
        if conn.request_waiting():  # /next, read with it, drains the logs and wakes the caller
            with env.state.lock:
                inv.answered = True
            return
        env.drain_logs()
        with env.state.lock:
            inv.answered = True
            env.state.notify_all()

    @staticmethod
    def _record_answer(conn: Connection, inv: Invocation, kind: str, request: ApiRequest) -> bool:
        """Put the runtime's answer in ``inv``; False when it was refused (already answered)."""
        mode = request.headers.get(models.HEADER_RESPONSE_MODE.lower())
        streamed_error = (
            models.stream_error(request.trailers)
            if kind == "response" and request.trailers
            else None
        )
        if mode is not None and mode != models.STREAMING:
            conn.reply(400, models.INVALID_RESPONSE_MODE_BODY)
            inv.error = ErrorPayload(
                f"Invalid response mode header value: {mode!r}", ErrorType.INVALID_RESPONSE_MODE
            )
            return False
        if streamed_error is not None:  # the stream failed midway: an error, not a payload
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
            return False
        elif kind == "response":
            inv.response = request.body
            inv.content_type = request.headers.get("content-type", "application/json")
        else:
            inv.error = ErrorPayload.from_json(request.body)
        return True

    def on_stream(self, request_id: str, data: bytes) -> None:
        """Part of the current invocation's streamed response arrived: hand it to the caller's
        stream, if the caller reads one."""
        inv = self.env.current
        if inv is not None and inv.request_id == request_id and not inv.answered:
            if inv.on_chunk is not None:
                inv.on_chunk(data)

    def on_init_error(self, conn: Connection, request: ApiRequest) -> None:
        """The runtime reports that Init failed."""
        env = self.env
        with env.state:
            facts = env.state.runtime
            if env.state.state is not EnvState.INITIALIZING or facts.init_error is not None:
                conn.reply(
                    403, models.state_transition_body("Ready", "InitError", "not initializing")
                )
                return
            error_type = models.normalize_error_type(
                request.headers.get(models.HEADER_ERROR_TYPE.lower())
            )
            facts.init_error = (ErrorPayload.from_json(request.body), error_type)
            conn.reply(202, models.ACCEPTED_BODY)
        env.drain_logs()
        with env.state:
            env.state.notify_all()

    def deliver(self, inv: Invocation) -> None:
        """Hand the event to the runtime waiting in ``/next`` (thawing the environment)."""
        env = self.env
        with env.state:
            facts = env.state.runtime
            conn, facts.waiting = facts.waiting, None
            env.current = inv
            env.state.delivery_pending = False
            was_frozen = env.state.state is EnvState.FROZEN
            env.state.fire(Trigger.DELIVER)
        if was_frozen:
            env.sandbox.thaw()
        assert conn is not None
        inv.delivered_at = env.clock()
        conn.reply(200, inv.body, inv.headers)
        if env.hooks.watched():
            env.hooks.notify(EventDelivered(env, inv.request_id))
