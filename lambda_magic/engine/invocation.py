"""Init and Invoke of one environment, with every error path Lambda has.

* A normal cold start logs ``INIT_START``, runs Init under the 10 s limit and reports
  ``Init Duration`` on the invoke's REPORT.
* A failed or timed-out Init logs ``INIT_REPORT … Phase: init`` and is retried inside the
  invoke (Lambda's suppressed init: no Init Duration; its time is in Duration and counts
  against the function's timeout), as is Init after a reset (timeout, crash, out of memory).
* Past the timeout the runtime is killed (``Sandbox.Timedout``; REPORT ``Status: timeout``
  with Duration equal to the timeout); a runtime that exits gives ``Runtime.ExitError``; a
  memory peak over ``memory_size`` gives ``Runtime.OutOfMemory``. Each resets the environment.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from lambda_magic.core.bounded import dropped_note
from lambda_magic.core.cancel import Cancellation, Interrupted
from lambda_magic.core.errors import ErrorPayload, ErrorType, exit_reason
from lambda_magic.core.ids import hex_id
from lambda_magic.core.lifecycle import EnvState, Outcome, Trigger
from lambda_magic.engine import init
from lambda_magic.engine.environment import ExecutionEnvironment
from lambda_magic.engine.init import InitOutcome, run_init
from lambda_magic.engine.result import InvocationResult, Report
from lambda_magic.engine.runtime_side import Invocation
from lambda_magic.platform import resources
from lambda_magic.platform.logs import LogCallback, LogRelay
from lambda_magic.platform.runtime_api import models

#: The runtime is stopped this long after its deadline, so that code watching
#: ``get_remaining_time_in_millis()`` sees it reach 0 before the end (as on Lambda).
DEADLINE_GRACE_S = 0.005


@dataclass
class InvocationRequest:
    """What the caller asked for: the event and the optional invoke context."""

    body: bytes
    client_context: str | None = None
    identity: str | None = None
    tenant_id: str | None = None
    request_id: str = ""
    #: Called (on the I/O thread) with each part of a streamed response as it arrives.
    on_chunk: Callable[[bytes], None] | None = None
    #: The ARN the caller invoked (qualified with a version or alias); the function's by default.
    function_arn: str | None = None
    #: The trace header the runtime gets (``Root=…;Parent=…;Sampled=…``); a new one by default.
    trace_id: str | None = None

    def headers(self, env: ExecutionEnvironment, deadline_ms: int) -> dict[str, str]:
        """The ``/next`` response headers for this invocation."""
        trace = self.trace_id
        if trace is None:
            now = int(time.time())
            trace = f"Root=1-{now:08x}-{hex_id(24)};Parent={hex_id(16)};Sampled=0"
        headers = {
            models.HEADER_REQUEST_ID: self.request_id,
            models.HEADER_DEADLINE_MS: str(deadline_ms),
            models.HEADER_FUNCTION_ARN: self.function_arn or env.config.function_arn,
            models.HEADER_TRACE_ID: trace,
            "Content-Type": "application/json",
        }
        if self.client_context is not None:
            headers[models.HEADER_CLIENT_CONTEXT] = self.client_context
        if self.identity is not None:
            headers[models.HEADER_COGNITO_IDENTITY] = self.identity
        if self.tenant_id is not None:
            headers[models.HEADER_TENANT_ID] = self.tenant_id
        return headers


class _Invoke:
    """The invocation of one request in one environment."""

    def __init__(
        self,
        env: ExecutionEnvironment,
        request: InvocationRequest,
        on_log: LogCallback | None,
        cancel: Cancellation | None,
    ) -> None:
        self.env = env
        self.cancel = cancel
        self.cfg = env.config
        self.request = request
        self.rid = request.request_id
        self.relay = LogRelay(on_log)
        self.limit = self.cfg.memory_size * resources.MIB
        self.cold = False
        self.init_ms: float | None = None
        self.started_wall = time.time()
        self.start = env.clock()
        self.deadline = self.start + self.cfg.timeout
        self.peak = 0
        self.charged = 0  # the memory cgroup's peak: reported, not enforced (see resources)
        self.start_logged = False

    def run(self) -> InvocationResult:
        """Run the invocation. Ctrl-C in the caller's thread ends it as interrupted and is
        raised again with the result attached (``interrupted_result``); a cancel from another
        thread returns that result."""
        env = self.env
        env.begin_invocation(self.relay)
        env.cancel = self.cancel
        if self.cancel is not None:
            self.cancel.watch(env.state)
        try:
            return self._run()
        except KeyboardInterrupt as e:
            result = self._interrupted()
            if isinstance(e, Interrupted):  # cancelled from the batch's thread: a result
                return result
            e.interrupted_result = result  # type: ignore[attr-defined]
            raise
        finally:
            if self.cancel is not None:
                self.cancel.unwatch(env.state)
            env.cancel = None
            env.end_invocation()
            self.relay.flush()
            env.last_used = env.clock()

    def _asking(self) -> bool:
        """Whether the runtime waits in ``/next``."""
        return self.env.state.runtime.waiting is not None

    def _run(self) -> InvocationResult:
        env = self.env
        if env.state.state is EnvState.NEW:
            self.cold = True
            outcome = run_init(env, "init", env.clock() + init.INIT_LIMIT_S, self.relay)
            if outcome.ok:
                self.init_ms = outcome.duration_ms
        pending = None
        if env.state.pending_init_ms is not None:  # set by a pre-warm before the pool had it
            with env.state:
                pending, env.state.pending_init_ms = env.state.pending_init_ms, None
        if pending is not None:  # pre-warmed: this invoke reports that Init
            self.cold, self.init_ms = True, pending
        self.start = env.clock()
        self.started_wall = time.time()
        self.deadline = self.start + self.cfg.timeout + DEADLINE_GRACE_S
        if env.state.state is EnvState.INVOKING:  # the last invocation's runtime is finishing
            finished = env.wait(self._asking, self.deadline, self.relay, None)
            if finished is Outcome.TIMEOUT:
                return self._failed(
                    Outcome.TIMEOUT, Invocation(self.rid, b"", {}, delivered_at=self.start)
                )
            if finished is Outcome.EXITED:
                env.state.fire(Trigger.STOP)
        if env.state.state in (EnvState.RESET, EnvState.INIT_FAILED):
            self.cold = True
            outcome = run_init(env, "invoke", self.deadline, self.relay)
            if not outcome.ok:
                return self._init_failed(outcome)
        return self._invoke()

    def _invoke(self) -> InvocationResult:
        env = self.env
        self._log_start()
        if not self.cold:
            env.sandbox.reset_peak()
        deadline_ms = int((self.started_wall + self.cfg.timeout) * 1000)
        inv = Invocation(self.rid, self.request.body, self.request.headers(env, deadline_ms))
        inv.on_chunk = self.request.on_chunk
        env.api.deliver(inv)
        outcome = env.wait(lambda: inv.answered, self.deadline, self.relay, self.limit)
        done = outcome is Outcome.DONE
        self.peak = max(self.peak, inv.peak_bytes if done else env.sandbox.peak_bytes())
        self.charged = inv.charged_peak
        env.tmp_used_bytes = inv.tmp_used
        if done and self.peak > self.limit:
            outcome = Outcome.OUT_OF_MEMORY
        if outcome is not Outcome.DONE:
            return self._failed(outcome, inv)
        # The invoke phase ends when the runtime asks for the next event (the built-in runtime
        # pipelines that request behind its answer, so this costs no extra round trip).
        if env.wait(self._asking, self.deadline, self.relay, None) is Outcome.TIMEOUT:
            self._reset()
        duration = (inv.answered_at - self._measured_from(inv)) * 1000
        error = inv.error
        platform_refused = (ErrorType.RESPONSE_TOO_LARGE, ErrorType.INVALID_RESPONSE_MODE)
        etype = error.error_type if error and error.error_type in platform_refused else None
        status = "error" if error else "success"
        return self._finish(inv.response or b"", inv.content_type, error, duration, status, etype)

    def _log_start(self) -> None:
        """``START`` once, before anything else of the invoke (every path logs it, so that
        tools pairing START with END and REPORT never miss one)."""
        if not self.start_logged:
            self.start_logged = True
            self.env.emit(self.env.platform.start(self.rid))

    def _failed(self, outcome: Outcome, inv: Invocation) -> InvocationResult:
        env = self.env
        self._log_start()
        now = env.clock()
        status_before = env.state.runtime.exit_status
        self._reset()
        start = self._measured_from(inv)
        if outcome is Outcome.TIMEOUT:
            env.emit(env.platform.timed_out(self.rid, self.cfg.timeout))
            detail = f"Task timed out after {self.cfg.timeout:.2f} seconds"
            error = ErrorPayload.platform(self.rid, ErrorType.TIMEOUT, detail)
            return self._finish(b"", "", error, self.cfg.timeout * 1000.0, "timeout", None)
        if outcome is Outcome.OUT_OF_MEMORY:
            self.peak = max(self.peak, self.limit)
        etype = ErrorType.OUT_OF_MEMORY if outcome is Outcome.OUT_OF_MEMORY else ErrorType.EXIT
        error = self._exit_error(etype, status_before)
        env.emit(env.platform.runtime_error(error.error_message, etype))
        return self._finish(b"", "", error, (now - start) * 1000, "error", etype)

    def _measured_from(self, inv: Invocation) -> float:
        """Where Duration starts: at delivery, or at the invoke's start after a suppressed
        Init (whose time counts in Duration)."""
        return self.start if self.cold and self.init_ms is None else inv.delivered_at

    def _exit_error(self, etype: str, status: int | None) -> ErrorPayload:
        """The payload of a runtime that ended without answering (out of memory: killed)."""
        reason = exit_reason(signal.SIGKILL if etype == ErrorType.OUT_OF_MEMORY else status)
        return ErrorPayload.platform(self.rid, etype, reason)

    def _init_failed(self, outcome: InitOutcome) -> InvocationResult:
        """The Init retried inside this invoke failed too: its INIT_REPORT (phase invoke), START,
        then why, as Lambda logs them."""
        env = self.env
        timed_out = outcome.status == "timeout"
        etype = None if timed_out else (outcome.error_type or ErrorType.UNKNOWN)
        env.emit(
            env.platform.init_report(
                outcome.duration_ms, "invoke", outcome.status, etype, env.init_type
            )
        )
        self._log_start()
        if timed_out:
            return self._failed(
                Outcome.TIMEOUT, Invocation(self.rid, b"", {}, delivered_at=self.start)
            )
        assert etype is not None
        if outcome.error is not None:  # the runtime reported why (/init/error)
            error = outcome.error
            env.emit(env.platform.unknown_error(etype))
        else:
            detail = outcome.detail or exit_reason(
                signal.SIGKILL if etype == ErrorType.OUT_OF_MEMORY else None
            )
            error = ErrorPayload.platform(self.rid, etype, detail)
            env.emit(env.platform.runtime_error(error.error_message, etype))
        return self._finish(b"", "", error, outcome.duration_ms, "error", etype)

    def _reset(self) -> None:
        """Stop the runtime; the sandbox and its /tmp stay for the next (suppressed) Init."""
        env = self.env
        if env.pid is not None:
            self.peak = max(self.peak, env.sandbox.peak_bytes())
            self.env.tmp_used_bytes = env.sandbox.tmp_used()
        env.kill_runtime()
        env.state.fire(Trigger.STOP)

    def _interrupted(self) -> InvocationResult:
        env = self.env
        self._reset()
        self._log_start()
        error = ErrorPayload.platform(
            self.rid, ErrorType.EXIT, exit_reason(env.state.runtime.exit_status)
        )
        env.emit(env.platform.runtime_error(error.error_message, ErrorType.EXIT))
        duration = (env.clock() - self.start) * 1000
        result = self._finish(b"", "", error, duration, "error", ErrorType.EXIT)
        result.interrupted = True
        return result

    def _finish(
        self,
        raw: bytes,
        content_type: str,
        error: ErrorPayload | None,
        duration: float,
        status: str,
        error_type: str | None,
    ) -> InvocationResult:
        env = self.env
        if self.cold:  # an invocation that had to Init, whether Init worked or not
            with env.state:
                env.state.cold_starts += 1
        if env.exited:
            self.peak = max(self.peak, env.exit_peak_bytes)
        used_mb = min(resources.to_mb(max(self.peak, self.charged)), self.cfg.memory_size)
        env.max_memory_used_mb = used_mb
        report = Report(
            duration_ms=duration,
            memory_size_mb=self.cfg.memory_size,
            max_memory_used_mb=used_mb,
            init_duration_ms=self.init_ms,
            status=status,
            error_type=error_type,
            tmp_used_bytes=env.tmp_used_bytes,
            tmp_size_mb=self.cfg.ephemeral_storage,
        )
        env.emit(env.platform.end(self.rid))
        env.emit(env.platform.report(self.rid, report))
        result = InvocationResult(
            function_name=self.cfg.name,
            request_id=self.rid,
            raw=raw,
            content_type=content_type,
            report=report,
            error=error,
            cold_start=self.cold,
            init_type=env.init_type,
            environment_id=env.id,
            log_stream_name=env.log_stream_name,
            log_events=self.relay.events,
            started_at=self.started_wall,
            executed_version=self.cfg.version,
        )
        relay = self.relay
        if relay.dropped:
            result.notes.append(
                dropped_note(relay.dropped, relay.dropped_bytes, "log event", relay.limit_bytes)
                + " of this invocation (LAMBDA_MAGIC_INVOCATION_LOG_BYTES); "
                "the function's log store has the newest ones too"
            )
        return result


def invoke(
    env: ExecutionEnvironment,
    request: InvocationRequest,
    on_log: LogCallback | None = None,
    cancel: Cancellation | None = None,
) -> InvocationResult:
    """Run one invocation in ``env`` (which the caller has reserved); a cancelled ``cancel``
    ends it as interrupted."""
    return _Invoke(env, request, on_log, cancel).run()
