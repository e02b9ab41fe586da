"""One execution environment: a sandbox, the runtime process in it, and its Runtime API.

The environment serves its runtime on the hub thread (:mod:`lambda_magic.engine.runtime_side`
records what the runtime did and wakes waiters) and is driven by callers through
:mod:`lambda_magic.engine.invocation`, which implements Init, Invoke and the error paths. Every
state change and every fact it is decided on live in its
:class:`~lambda_magic.core.lifecycle.Lifecycle` (``env.state``), under one lock.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
import uuid
from collections.abc import Callable

from lambda_magic.core.cancel import Cancellation
from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.lifecycle import (
    ON_DEMAND,
    EnvState,
    Lifecycle,
    Outcome,
    RuntimeFacts,
    ShutdownPath,
    Trigger,
)
from lambda_magic.core.notifications import ApiExchanged, LogWritten, StateChanged
from lambda_magic.engine.runtime_side import Invocation, RuntimeSide
from lambda_magic.engine.services import Hooks, Revision, Services
from lambda_magic.platform import envvars, logs
from lambda_magic.platform.logs import FramePipe, LogEvent, LogRelay, OutputPipe
from lambda_magic.platform.runtime_api import models
from lambda_magic.platform.runtime_api.server import RuntimeApiEndpoint

__all__ = ["ON_DEMAND", "ExecutionEnvironment", "Invocation", "ShutdownPath"]


class ExecutionEnvironment:
    """A sandbox plus a runtime process, serving one invocation at a time."""

    def __init__(
        self, revision: Revision, index: int, init_type: str, services: Services, hooks: Hooks
    ) -> None:
        self.revision = revision  # its revision for life: a newer one gets new environments
        self.config: FunctionConfig = revision.config
        self.task_root = revision.task_root
        self.id = f"env-{index}"
        self.init_type = init_type
        self.services, self.hooks = services, hooks
        self.hub, self.clock = services.hub, services.clock
        self.state = Lifecycle()
        self.log_stream_name = logs.new_log_stream_name(self.config.version)
        self.platform = logs.PlatformLog(
            self.config,
            revision.runtime.version_label,
            getattr(revision.runtime, "version_digest", ""),
        )
        self.sandbox = services.new_sandbox(
            f"{revision.function_name}-{index}-{uuid.uuid4().hex[:8]}",
            self.config.memory_size,
            self.config.ephemeral_storage,
        )
        self.api = RuntimeSide(self)
        self.endpoint: RuntimeApiEndpoint | None = None
        self.last_used = self.clock()
        self.shutdown_path: ShutdownPath | None = None
        self.exit_peak_bytes = 0  # the last runtime's lifetime peak, known once it has exited
        self.max_memory_used_mb = 0
        self.tmp_used_bytes = 0
        self.current: Invocation | None = None
        self._output: OutputPipe | None = None
        self._frames: FramePipe | None = None
        self._collect: LogRelay | None = None
        self._log_poll = select.poll()  # the two pipes' read ends, once the runtime starts
        #: Ends the current invocation from another thread (an interrupted batch).
        self.cancel: Cancellation | None = None
        self.state.add_listener(self._on_transition)

    def _on_transition(self, old: EnvState, new: EnvState) -> None:
        if self.hooks.watched():  # notifications are built only when someone watches
            self.hooks.notify(StateChanged(self, old, new))

    # -- facts kept by the lifecycle -------------------------------------------------------------
    @property
    def runtime(self) -> RuntimeFacts:
        """The current runtime process as the platform saw it."""
        return self.state.runtime

    @property
    def busy(self) -> bool:
        """Reserved by a caller for an invocation (or Init)."""
        return self.state.busy

    @property
    def invocations(self) -> int:
        """Invocations this environment served."""
        return self.state.invocations

    @property
    def cold_starts(self) -> int:
        """Invocations that had to run Init here."""
        return self.state.cold_starts

    @property
    def exited(self) -> bool:
        """Whether no runtime process is running."""
        return self.state.runtime.exited

    @property
    def pid(self) -> int | None:
        """The runtime's process id while it runs."""
        return None if self.exited else self.sandbox.pid

    def __repr__(self) -> str:
        name = self.revision.function_name
        return f"<ExecutionEnvironment {name}/{self.id} {self.state.state.value}>"

    # -- logs ------------------------------------------------------------------------------------
    def emit(self, message: str | None) -> None:
        """Append a platform line (or nothing, for ``None``) to the log stream (the caller's
        thread: no one is woken for it)."""
        if message is not None:
            self._record(message, None, False)

    def _record(self, message: str, timestamp: float | None = None, wake: bool = True) -> None:
        """Record what the runtime wrote (the hub thread; the waiting caller relays it)."""
        event = LogEvent(timestamp or time.time(), self.log_stream_name, message)
        self.hooks.log(event)
        relay = self._collect  # the relay takes events from any thread
        if relay is not None:
            relay.add(event)
        if wake:
            with self.state.lock:
                self.state.notify_all()
        if self.hooks.watched():
            self.hooks.notify(LogWritten(event))

    def collect(self, relay: LogRelay | None) -> None:
        """Send new log events to ``relay`` (the waiting caller's), or stop with None."""
        self._collect = relay

    def begin_invocation(self, relay: LogRelay) -> None:
        """An invocation is about to be delivered: collect its logs, and do not freeze."""
        self._collect = relay
        with self.state.lock:
            self.state.delivery_pending = True

    def end_invocation(self) -> None:
        """The invocation is over (however it ended): count it, stop collecting its logs."""
        with self.state.lock:
            self.state.delivery_pending = False
            self.state.invocations += 1
        self._collect = None

    def drain_logs(self) -> None:
        """Read everything the runtime has written so far (hub thread)."""
        output, frames = self._output, self._frames
        if output is None or frames is None:
            return
        # One poll asks both pipes at once: most of the time neither has anything, and two
        # failed reads would cost twice the system calls.
        if self._log_poll.poll(0) or output.partial:
            frames.drain()
            output.drain()

    # -- the runtime process ---------------------------------------------------------------------
    def environ(self) -> dict[str, str]:
        """The runtime's environment variables: Lambda's own, then the function's."""
        return envvars.build(
            self.config,
            self.sandbox.paths_inside(self.task_root),
            self.init_type,
            self.log_stream_name,
            self.endpoint.address if self.endpoint else "",
            self.revision.runtime.execution_env,
            self.services.variables(),
        )

    def task_root_inside(self) -> str:
        """``LAMBDA_TASK_ROOT`` as the runtime sees it (``/var/task`` in a mount namespace)."""
        return self.sandbox.paths_inside(self.task_root)[0]

    def start_runtime(self) -> None:
        """Start a runtime process in the sandbox (creating the sandbox the first time)."""
        if self.sandbox.lost:  # the machinery died (and the sandbox's processes with it)
            self.sandbox = self.services.new_sandbox(
                self.sandbox.sid, self.config.memory_size, self.config.ephemeral_storage
            )
        if not self.sandbox.created:
            self.sandbox.create(self.revision.work_dir)
        if self.endpoint is None:
            self.endpoint = RuntimeApiEndpoint(self.hub, self.api)
            self.endpoint.observer = self._observe_api
        pipes = [os.pipe(), os.pipe()]  # standard output and error; telemetry (log frames)
        for read_fd, _ in pipes:
            os.set_blocking(read_fd, False)
        with self.state:
            self.state.runtime = RuntimeFacts(exited=False)
            self.exit_peak_bytes = 0
            self.current = None
        self._output = OutputPipe(self.hub, pipes[0][0], self._record)
        self._frames = FramePipe(self.hub, pipes[1][0], self._record)
        self._log_poll = select.poll()
        for read_fd, _ in pipes:
            self._log_poll.register(read_fd, select.POLLIN)
        argv = self.revision.runtime.command(self.config, self.task_root, self.task_root_inside())
        try:
            pid = self.sandbox.spawn(
                argv, self.task_root, self.environ(), self.config.handler, [w for _, w in pipes]
            )
        except BaseException:
            with self.state:
                self.state.runtime.exited = True
            self._output.close()
            self._frames.close()
            raise
        finally:
            for _, write_fd in pipes:
                os.close(write_fd)
        self.sandbox.watch_exit(pid, self._on_exit)

    def _observe_api(
        self, sender: str, start_line: str, headers: dict[str, str], body: bytes
    ) -> None:
        if self.hooks.watched():  # the message is built only when someone watches
            message = models.ApiMessage(sender, start_line, dict(headers), body)
            self.hooks.notify(ApiExchanged(self, message))

    def _on_exit(self, status: int, peak_kib: int) -> None:
        self.hub.call_soon(self._record_exit, status, peak_kib)

    def _record_exit(self, status: int, peak_kib: int) -> None:
        self.drain_logs()
        self.sandbox.exited()
        with self.state:
            facts = self.state.runtime
            facts.exited, facts.exit_status, facts.waiting = True, status, None
            self.exit_peak_bytes = peak_kib * 1024
            # A runtime that dies while idle (killed from outside): the next invoke re-inits.
            self.state.fire(Trigger.LOST)
            self.state.notify_all()

    def kill_runtime(self, sig: int = signal.SIGKILL, wait: float = 5.0) -> bool:
        """Signal the runtime (and everything in its sandbox); True if it exited in ``wait`` s."""
        if self.exited:
            return True
        self.sandbox.signal(sig)
        return self.wait_exit(wait)

    def wait_exit(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the runtime to exit; True if it has."""
        deadline = self.clock() + timeout
        with self.state:
            while not self.exited and self.clock() < deadline:
                self.state.wait(deadline - self.clock())
            return self.exited

    def wait(
        self, done: Callable[[], bool], deadline: float, relay: LogRelay, memory_limit: int | None
    ) -> Outcome:
        """Wait until ``done()`` (checked under the lifecycle's lock), the runtime exits, the
        deadline passes, or (with ``memory_limit``) the memory peak goes over it, checked every
        10 ms. Log events that arrive meanwhile are relayed on the caller's thread. A cancelled
        :attr:`cancel` raises :class:`~lambda_magic.core.cancel.Interrupted`.
        """
        cancel = self.cancel
        while True:
            with self.state.lock:
                outcome = self._settled(done)
                remaining = deadline - self.clock()
                if outcome is None and remaining > 0 and not (cancel and cancel.cancelled):
                    self.state.wait(min(remaining, 0.01) if memory_limit else remaining)
                    outcome = self._settled(done)
            relay.flush()
            if outcome is not None:
                return outcome
            if cancel is not None:
                cancel.check()
            if memory_limit and self.sandbox.peak_bytes() > memory_limit:
                return Outcome.OUT_OF_MEMORY
            if self.clock() >= deadline:
                return Outcome.TIMEOUT

    def _settled(self, done: Callable[[], bool]) -> Outcome | None:
        if done():
            return Outcome.DONE
        return Outcome.EXITED if self.exited else None

    # -- shutdown --------------------------------------------------------------------------------
    def shutdown(self) -> ShutdownPath:
        """Shutdown phase: SIGTERM, a grace period, then SIGKILL; release the sandbox."""
        if not self.state.fire(Trigger.SHUTDOWN):  # another thread is shutting it down
            self.state.wait_for({EnvState.SHUT_DOWN}, 10)
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
            self.state.fire(Trigger.FINISHED)
        return path
