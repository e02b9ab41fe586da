"""The Init phase of one environment: start a runtime and wait until it asks for an event.

On-demand Init has 10 s (:data:`INIT_LIMIT_S`); provisioned Init the larger of 130 s and the
timeout. A failed or timed-out Init logs ``INIT_REPORT … Phase: init``; the next invoke retries
it inside itself (Lambda's suppressed init, see :mod:`lambda_magic.engine.invocation`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lambda_magic.core.errors import ErrorPayload, ErrorType
from lambda_magic.core.lifecycle import PROVISIONED, Outcome, Trigger
from lambda_magic.engine.environment import ExecutionEnvironment
from lambda_magic.platform import resources
from lambda_magic.platform.logs import LogCallback, LogRelay

#: Lambda's limit on an on-demand Init (a module attribute, so that tests may shorten it).
INIT_LIMIT_S = 10.0
#: Provisioned Init may take the larger of this and the function's timeout.
PROVISIONED_INIT_LIMIT_S = 130.0


@dataclass
class InitOutcome:
    """How one Init ended."""

    ok: bool
    duration_ms: float
    status: str = "success"  # or "error", "timeout"
    error: ErrorPayload | None = None  # what the runtime posted to /init/error
    error_type: str | None = None
    #: The platform's own reason, when it could not start the runtime (no bootstrap).
    detail: str | None = None


def _ready_or_failed(env: ExecutionEnvironment) -> bool:
    facts = env.state.runtime
    return facts.waiting is not None or facts.init_error is not None


def run_init(
    env: ExecutionEnvironment, phase: str, deadline: float, relay: LogRelay
) -> InitOutcome:
    """Start a runtime and wait until it asks for an event (or fails); ``phase`` is ``init``
    (a cold start: INIT_START and, on failure, INIT_REPORT) or ``invoke`` (a retried Init)."""
    start = env.clock()
    env.state.fire(Trigger.START_INIT)
    if phase == "init":
        env.emit(env.platform.init_start(env.init_type, env.log_stream_name))
    problem = env.revision.runtime.entrypoint_problem(env.task_root, env.task_root_inside())
    if problem is None:
        try:
            env.start_runtime()
        except BaseException:
            env.state.fire(Trigger.INIT_FAILED)
            raise
        limit = env.config.memory_size * resources.MIB
        outcome = env.wait(lambda: _ready_or_failed(env), deadline, relay, limit)
    duration = (env.clock() - start) * 1000
    init_error = env.state.runtime.init_error
    if problem is None and outcome is Outcome.DONE and init_error is None:
        return InitOutcome(True, duration)
    result = InitOutcome(False, duration, status="error")
    if problem is not None:  # nothing to start: Lambda's InvalidEntrypoint
        result.error_type, result.detail = ErrorType.INVALID_ENTRYPOINT, problem
    elif outcome is Outcome.DONE:
        result.error, result.error_type = init_error
        if not env.wait_exit(1.0):  # the runtime exits after reporting; give it a moment
            env.kill_runtime()
    elif outcome is Outcome.EXITED:
        result.error_type = ErrorType.EXIT
    elif outcome is Outcome.OUT_OF_MEMORY:
        env.kill_runtime()
        result.error_type = ErrorType.OUT_OF_MEMORY
    else:
        env.kill_runtime()
        result.status = "timeout"
    env.state.fire(Trigger.INIT_FAILED)
    if phase == "init":
        env.emit(
            env.platform.init_report(
                duration, "init", result.status, result.error_type, env.init_type
            )
        )
    return result


def prewarm(env: ExecutionEnvironment, on_log: LogCallback | None = None) -> InitOutcome:
    """Init an environment ahead of any invocation (Lambda's pre-warming, or provisioned)."""
    relay = LogRelay(on_log)
    env.collect(relay)
    provisioned = env.init_type == PROVISIONED
    limit = (
        max(PROVISIONED_INIT_LIMIT_S, float(env.config.timeout)) if provisioned else INIT_LIMIT_S
    )
    try:
        outcome = run_init(env, "init", env.clock() + limit, relay)
    finally:
        env.collect(None)
        relay.flush()
    if outcome.ok and not provisioned:
        with env.state:
            env.state.pending_init_ms = outcome.duration_ms
    return outcome
