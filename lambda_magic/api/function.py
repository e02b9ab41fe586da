"""``LambdaFunction``: a function's code and configuration, its environments and its logs.

Plain Python, no IPython needed::

    fn = LambdaFunction("hello", code=src, memory_size=256, timeout=3)
    r = fn.invoke({"name": "Ada"})      # cold start: Init + Invoke
    r.payload, r.report.duration_ms
    fn.update_code(new_src)             # new revision: environments shut down, next invoke cold
    fn.reset()                          # shut every environment down

This is where the engine is wired up: a function gives its environments its current
:class:`~lambda_magic.engine.services.Revision`, the machine's
:class:`~lambda_magic.engine.services.Services` and :class:`~lambda_magic.engine.services.Hooks`
that feed its log store and its observers.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lambda_magic import runtimes
from lambda_magic.api import endpoint, invocation_types, live
from lambda_magic.api.async_invoke import AsyncConfig, Asynchronous, AsyncInvocation, AsyncQueue
from lambda_magic.api.observing import Observed
from lambda_magic.api.stream import ResponseStream
from lambda_magic.api.versions import Alias, Version, Versions, provision
from lambda_magic.core.bounded import MIB, Bounded, budget
from lambda_magic.core.cancel import Cancellation
from lambda_magic.core.config import RUNTIMES as RUNTIMES
from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ErrorPayload
from lambda_magic.core.lifecycle import ShutdownPath
from lambda_magic.core.notifications import (
    EnvironmentExpired,
    EnvironmentsReset,
    Observers,
    ResultRecorded,
    RevisionPublished,
)
from lambda_magic.engine.environment import ExecutionEnvironment
from lambda_magic.engine.init import InitOutcome, prewarm
from lambda_magic.engine.pool import EnvironmentPool
from lambda_magic.engine.result import InvocationResult
from lambda_magic.engine.services import Hooks, Revision, Services, machine_services
from lambda_magic.platform.logs import LogCallback, LogStore
from lambda_magic.platform.package import CodePackage, check_path
from lambda_magic.runtimes.base import Package, Runtime

HISTORY_LIMIT = 1000
HISTORY_BYTES = budget("LAMBDA_MAGIC_HISTORY_BYTES", 32 * MIB)


class LambdaFunction(Asynchronous, Observed):
    """A Lambda function whose environments are subprocesses of this process.

    Parameters
    ----------
    name
        The function name (1-64 letters, digits, hyphens, underscores).
    code
        The source of the runtime's main file (``lambda_function.py`` for Python).
    files
        More files of the deployment package, ``{"helpers.py": "..."}``.
    services
        The machine the engine runs on (this machine's hub and sandbox manager by default;
        tests give a fake sandbox).
    **config
        :class:`~lambda_magic.core.config.FunctionConfig` fields: ``runtime``, ``handler``,
        ``memory_size``, ``timeout``, ``ephemeral_storage``, ``environment``, ``region``,
        ``freeze``, ``log_format``, ``log_level``, ...; the handler defaults to
        ``lambda_function.lambda_handler`` (or ``lambda_function.handler`` when that is the
        only one the code defines).

    Examples
    --------
    >>> fn = LambdaFunction("echo", code="def lambda_handler(event, context):\\n    return event\\n")
    >>> fn.invoke({"a": 1}).payload
    {'a': 1}
    """

    def __init__(
        self,
        name: str,
        code: str = "",
        *,
        files: Mapping[str, str | bytes] | None = None,
        services: Services | None = None,
        **config: Any,
    ) -> None:
        runtime = runtimes.get(config.get("runtime") or FunctionConfig.runtime)
        runtime.require_tools()  # a missing node or JDK is said now, not at a cold start
        if config.get("handler") is None:
            config["handler"] = runtime.infer_handler(code)
        self.config = FunctionConfig(name=name, **config)
        self.runtime = runtime
        self._main = runtime.main_file(code)
        main = {self._main: code.encode()} if self._main is not None else {}
        self._files = {**main, **self._encode_files(files)}
        self._built = runtime.build(self._files)  # compiled / installed now: errors at once
        self.revision = 1
        self.package = CodePackage(name)
        self.logs = LogStore()
        self._observers = Observers()
        if services is None:
            services = dataclasses.replace(machine_services(), variables=endpoint.variables)
        self._services = services
        self._current: Revision | None = None
        self._files_lock = threading.RLock()
        #: Lambda's ``Description`` and ``LastModified`` of ``$LATEST``.
        self.description, self.last_modified = "", time.time()
        #: The execution role named through Lambda's API (notebook functions have none).
        self.role: str | None = None
        #: Published versions (``fn.versions["1"]``), aliases (``fn.versions.aliases``).
        self.versions = Versions(self)
        hooks = Hooks(self.logs.append, self._observers, self._observers.count)
        self.pool = EnvironmentPool(
            self.current_revision, self._services, hooks, self.versions.kept
        )
        self.async_config = AsyncConfig()
        self._async: AsyncQueue | None = None
        self._async_lock = threading.Lock()
        #: The newest results, at most 1,000 and LAMBDA_MAGIC_HISTORY_BYTES (32 MiB) of them.
        self.history: Bounded[InvocationResult] = Bounded(
            lambda r: r.nbytes, HISTORY_BYTES, HISTORY_LIMIT
        )
        live.register(self)
        if self.config.idle_timeout is not None:
            live.start_idle_reaper()
        if self.config.provisioned_concurrency:
            self.provision()

    # -- code and configuration ------------------------------------------------------------------
    @staticmethod
    def _encode_files(files: Mapping[str, str | bytes] | None) -> dict[str, bytes]:
        return {
            check_path(path): content.encode() if isinstance(content, str) else content
            for path, content in (files or {}).items()
        }

    @property
    def name(self) -> str:
        """The function name."""
        return self.config.name

    @property
    def code(self) -> str:
        """The source of the main file (``lambda_function.py`` for Python)."""
        return self._files[self._main].decode() if self._main in self._files else ""

    def work_dir(self) -> str:
        """This function's private directory (code packages, fallback /tmp directories)."""
        return self.package.work_dir()

    def code_dir(self) -> str:
        """``LAMBDA_TASK_ROOT`` of the current revision: the package, read-only as on Lambda."""
        with self._files_lock:
            return self.package.code_dir(self.revision, self._built.files, self._built.trees)

    def current_revision(self) -> Revision:
        """What new environments run: the configuration, code and runtime of the current
        revision, read together (an environment keeps them for its whole life)."""
        with self._files_lock:
            if self._current is None or self._current.number != self.revision:
                self._current = Revision(
                    self.name,
                    self.config,
                    self.revision,
                    self.code_dir(),
                    self.work_dir(),
                    self.runtime,
                )
            return self._current

    def snapshot(self) -> tuple[dict[str, bytes], FunctionConfig, Runtime, int, Package]:
        """The files, configuration, runtime, revision number and built package of
        ``$LATEST``, read together."""
        with self._files_lock:
            return dict(self._files), self.config, self.runtime, self.revision, self._built

    def check_syntax(self) -> ErrorPayload | None:
        """Lambda's ``Runtime.UserCodeSyntaxError`` for the main file, or None."""
        from lambda_magic.platform.sandbox.client import sandbox_info
        from lambda_magic.platform.sandbox.mounts import TASK_ROOT

        root = TASK_ROOT if sandbox_info().namespaces else self.code_dir()  # as the runtime sees it
        return self.runtime.check_syntax(self.code, f"{root}/{self._main}")

    def update_code(
        self,
        code: str | None = None,
        *,
        files: Mapping[str, str | bytes] | None = None,
        replace: bool = False,
        **config: Any,
    ) -> bool:
        """Publish new code and/or configuration: a new revision whose environments start
        cold (``replace=True``: ``files`` are the whole package, as a zip uploaded through
        Lambda's API). Returns False (and keeps warm environments) when nothing changed."""
        new_files = {} if replace else dict(self._files)
        runtime = runtimes.get(config.get("runtime") or self.config.runtime)
        main = runtime.main_file(self.code if code is None else code)
        if code is not None or main != self._main:
            new_files.pop(self._main, None)  # type: ignore[arg-type]
            if main is not None:
                new_files[main] = (self.code if code is None else code).encode()
            inferred = (self.runtime.default_handler, self.runtime.infer_handler(self.code))
            if "handler" not in config and self.config.handler in inferred:
                config["handler"] = runtime.infer_handler(self.code if code is None else code)
        new_files.update(self._encode_files(files))
        new_config = self.config.replace(**config) if config else self.config
        if new_files == self._files and new_config == self.config:
            return False
        if runtime.id != self.runtime.id:
            runtime.require_tools()
        built = runtime.build(new_files)  # a compile error changes nothing
        with self._files_lock:  # environments read them together (current_revision)
            self._files, self.config, self._main = new_files, new_config, main
            self.runtime, self._built = runtime, built
            self.revision += 1
            self.last_modified = time.time()
        if new_config.idle_timeout is not None:
            live.start_idle_reaper()
        self.pool.retire_idle()
        self._observers(RevisionPublished(self.revision))
        if self.config.provisioned_concurrency:
            self.provision()
        return True

    def update_config(self, **config: Any) -> bool:
        """Change configuration only (see :meth:`update_code`)."""
        return self.update_code(None, **config)

    # -- environments ----------------------------------------------------------------------------
    @property
    def environments(self) -> list[ExecutionEnvironment]:
        """The function's live environments."""
        return self.pool.environments

    def timeline(self) -> Any:
        """A picture of the environments' lifecycles so far (recent shut-down ones included):
        Init, Invoke, Frozen and Shutdown spans on one row per environment."""
        from lambda_magic.views.timeline import TimelinePicture

        notes: dict[str, list[tuple[float, str]]] = {}
        for r in self.history:  # invocations other functions made (the chain)
            if r.caller is not None:
                text = (
                    f"RequestId {r.request_id} invoked by {r.caller[0]} (RequestId: {r.caller[1]})"
                )
                notes.setdefault(r.environment_id, []).append((r.started_at, text))
        return TimelinePicture(list(self.pool.retired) + list(self.pool.environments), notes)

    def expire_idle(self, now: float | None = None) -> list[ExecutionEnvironment]:
        """Shut down the on-demand environments idle for longer than ``idle_timeout`` (Lambda
        recycles idle environments; lambda_magic does it only when ``idle_timeout`` is set)."""
        timeout = self.config.idle_timeout
        if timeout is None:
            return []
        due = self.pool.expire_idle(timeout, time.monotonic() if now is None else now)
        for env in due:
            self._observers(EnvironmentExpired(env))
        return due

    def init(self, on_log: LogCallback | None = None) -> InitOutcome:
        """Start one environment and run Init without invoking (as Lambda pre-warms)."""
        env = self.pool.acquire(new=True)
        try:
            return prewarm(env, on_log)
        finally:
            self.pool.release(env)

    def provision(self) -> list[InitOutcome]:
        """Initialize environments ahead of time until ``provisioned_concurrency`` of them
        are ready (in parallel), and those set on versions and aliases; their first invoke has
        no Init."""
        missing = self.config.provisioned_concurrency - len(self.pool.provisioned())
        return provision(self, [None] * max(0, missing)) + self.versions.reconcile()

    # -- versions and aliases --------------------------------------------------------------------
    def publish_version(self, description: str = "") -> Version:
        """Publish the code and configuration of ``$LATEST`` as a new, immutable version
        (``"1"``, ``"2"``, ...), with its own environments; see :mod:`lambda_magic.api.versions`."""
        return self.versions.publish(description)

    def create_alias(
        self,
        name: str,
        version: str,
        routing: Mapping[str, float] | None = None,
        description: str = "",
    ) -> Alias:
        """Name a version (``routing={"2": 0.1}`` sends 10% of the invocations to version 2);
        invoke it with ``fn.invoke(event, qualifier=name)``."""
        return self.versions.create_alias(name, version, routing, description)

    # -- invoking --------------------------------------------------------------------------------
    def invoke(
        self,
        event: Any = None,
        *,
        payload: bytes | str | None = None,
        client_context: Mapping[str, Any] | None = None,
        identity: Mapping[str, Any] | None = None,
        on_log: LogCallback | None = None,
        invocation_type: str = "RequestResponse",
        request_id: str | None = None,
        cancel: Cancellation | None = None,
        qualifier: str | None = None,
        trace_id: str | None = None,
    ) -> Any:
        """Invoke and return the result.

        ``RequestResponse`` (the default) waits and returns an
        :class:`~lambda_magic.engine.result.InvocationResult`; a function error is in the
        result, not raised (``result.raise_for_error()`` raises it); a cancelled ``cancel`` ends
        it as interrupted (a batch's Ctrl-C). ``Event`` queues the event and returns an
        :class:`~lambda_magic.api.async_invoke.AsyncInvocation` at once (see
        :meth:`invoke_async`); ``DryRun`` only validates and returns 204. The invocation types
        are the table :data:`~lambda_magic.api.invocation_types.INVOCATION_TYPES`.

        An event that is not JSON or is too large raises
        :class:`~lambda_magic.core.errors.InvalidRequestError`, a throttled invocation
        :class:`~lambda_magic.core.errors.TooManyRequestsError`; nothing runs. ``on_log`` gets
        each log event as it is written, on the calling thread. ``qualifier`` invokes a
        published version or an alias (``"3"``, ``"live"``; ``$LATEST`` by default);
        ``trace_id`` is the caller's ``X-Amzn-Trace-Id``, which the invocation continues.
        """
        request = invocation_types.Request(
            event,
            payload,
            client_context,
            identity,
            on_log,
            request_id,
            cancel,
            qualifier,
            trace_id,
        )
        return invocation_types.handler_of(invocation_type)(self, request)

    def invoke_stream(
        self,
        event: Any = None,
        *,
        payload: bytes | str | None = None,
        client_context: Mapping[str, Any] | None = None,
        on_log: LogCallback | None = None,
        qualifier: str | None = None,
        trace_id: str | None = None,
        cancel: Cancellation | None = None,
    ) -> ResponseStream:
        """Invoke and read the response as it is streamed: iterate the returned
        :class:`~lambda_magic.api.stream.ResponseStream` for each chunk as it arrives (the
        first before the handler ends); its ``result`` is the invocation's result once read.
        A bad event or an unknown qualifier raises here; ``on_log`` gets each log event on the
        invocation's own thread. The other arguments are :meth:`invoke`'s.

        >>> for chunk in fn.invoke_stream({"n": 3}):   # doctest: +SKIP
        ...     print(chunk)
        """
        request = invocation_types.Request(
            event, payload, client_context, None, on_log, None, cancel, qualifier, trace_id
        )
        prepared = invocation_types.prepare(self, request)
        return ResponseStream(lambda p: invocation_types.run(self, p), prepared)

    def invoke_async(
        self, event: Any = None, *, payload: bytes | str | None = None
    ) -> AsyncInvocation:
        """Queue an asynchronous invocation (``InvocationType=Event``): accepted at once, then
        invoked with Lambda's retries and destinations (see :attr:`async_config`)."""
        return invocation_types.event(self, invocation_types.Request(event, payload))

    def dry_run(self, event: Any = None, *, payload: bytes | str | None = None) -> int:
        """Validate an invocation without running it (``InvocationType=DryRun``): 204."""
        return int(invocation_types.dry_run(self, invocation_types.Request(event, payload)))

    def invoke_many(
        self,
        events: Iterable[Any] = (),
        concurrency: int = 10,
        progress: Callable[[int, int], None] | bool | None = None,
        *,
        payloads: Iterable[bytes | str] | None = None,
        cancel: Cancellation | None = None,
    ) -> list[InvocationResult]:
        """Invoke once per event, ``concurrency`` at a time (each in its own environment, as
        Lambda scales out); results come back in the order of ``events``.

        ``payloads`` gives raw JSON documents instead of events. A throttled invocation is a
        result whose ``error_type`` is ``TooManyRequestsException``. ``progress`` is called as
        ``progress(done, total)``; ``True`` draws a bar on stderr. Ctrl-C (or ``cancel``,
        cancelled from another thread) ends the invocations in flight as interrupted, starts no
        more, and raises :class:`~lambda_magic.api.batch.BatchInterrupted` with what finished.
        """
        from lambda_magic.api.batch import run_batch

        items = (
            [("payload", p) for p in payloads]
            if payloads is not None
            else [("event", e) for e in events]
        )
        return run_batch(self, items, concurrency, progress, cancel)

    def record(self, result: InvocationResult) -> None:
        """Keep ``result`` in the history and tell observers."""
        self.history.add(result, result.nbytes)
        if self._observers.count():  # the notification is built only when someone observes
            self._observers(ResultRecorded(result))

    @property
    def last_result(self) -> InvocationResult | None:
        """The newest invocation result."""
        return self.history[-1] if self.history else None

    # -- shutting down ---------------------------------------------------------------------------
    def reset(self) -> list[ShutdownPath]:
        """Shut every environment down (Shutdown phase): the next invoke is a cold start.
        Provisioned environments are initialized again at once."""
        paths = self.pool.reset()
        self._observers(EnvironmentsReset(paths))
        if self.config.provisioned_concurrency or self.versions.provisioned:
            self.provision()
        return paths

    def shutdown(self) -> list[ShutdownPath]:
        """Shut every environment down (provisioned ones too) and remove the function's files;
        invoking again later starts afresh."""
        with self._async_lock:
            queue, self._async = self._async, None
        if queue is not None:
            queue.close()
        paths = self.pool.reset()
        self._observers(EnvironmentsReset(paths))
        with self._files_lock:
            self.package.remove()
            self._current = None
        self.versions.forget_files()
        return paths

    def __repr__(self) -> str:
        cfg = self.config
        return (
            f"<LambdaFunction {cfg.name} revision {self.revision}: {cfg.handler}, "
            f"{cfg.memory_size} MB, {cfg.timeout} s, {len(self.environments)} environment(s)>"
        )
