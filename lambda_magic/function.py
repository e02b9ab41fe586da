"""``LambdaFunction``: a function's code and configuration, its environments and its logs.

Plain Python, no IPython needed::

    fn = LambdaFunction("hello", code=src, memory_size=256, timeout=3)
    r = fn.invoke({"name": "Ada"})      # cold start: Init + Invoke
    r.payload, r.report.duration_ms
    fn.update_code(new_src)             # new revision: environments shut down, next invoke cold
    fn.reset()                          # shut every environment down
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lambda_magic import package
from lambda_magic.async_invoke import AsyncConfig, AsyncInvocation, AsyncQueue
from lambda_magic.bounded import MIB, Bounded, budget
from lambda_magic.cancel import Cancellation
from lambda_magic.config import DEFAULT_HANDLER, FunctionConfig
from lambda_magic.environment import PROVISIONED, ExecutionEnvironment, ShutdownPath
from lambda_magic.errors import ErrorPayload, ErrorType, InvalidRequestError
from lambda_magic.hints import private_tmp_note
from lambda_magic.invocation import InitOutcome, InvocationRequest, invoke, prewarm
from lambda_magic.logs import LogCallback, LogStore
from lambda_magic.package import (
    MODULE_FILE,
    check_path,
    encode_client_context,
    encode_event,
    infer_handler,
)
from lambda_magic.pool import EnvironmentPool, start_idle_reaper
from lambda_magic.result import InvocationResult
from lambda_magic.runtime_api.models import MAX_ASYNC_PAYLOAD_BYTES

HISTORY_LIMIT = 1000
HISTORY_BYTES = budget("LAMBDA_MAGIC_HISTORY_BYTES", 32 * MIB)

#: ``listener(kind, value)``; kinds: "environment" (a new ExecutionEnvironment), "state"
#: ((env, old, new)), "log" (LogEvent), "invoke" ((env, request_id)), "result"
#: (InvocationResult), "revision" (int), "reset" (list of ShutdownPath), "expired" (env),
#: "queued" (AsyncInvocation), "throttle" (TooManyRequestsError), "api" ((env, ApiMessage): every
#: Runtime API request and response).
Listener = Callable[[str, Any], None]


class LambdaFunction:
    """A Lambda function whose environments are subprocesses of this process.

    Parameters
    ----------
    name
        The function name (1-64 letters, digits, hyphens, underscores).
    code
        The source of the ``lambda_function`` module.
    files
        More files of the deployment package, ``{"helpers.py": "..."}``.
    **config
        :class:`~lambda_magic.config.FunctionConfig` fields: ``handler``, ``memory_size``,
        ``timeout``, ``ephemeral_storage``, ``environment``, ``region``, ``freeze``,
        ``log_format``, ``log_level``, ...; the handler defaults to
        ``lambda_function.lambda_handler`` (or ``lambda_function.handler`` when that is the
        only one the code defines).

    Examples
    --------
    >>> fn = LambdaFunction("echo", code="def lambda_handler(event, context):\\n    return event\\n")
    >>> fn.invoke({"a": 1}).payload
    {'a': 1}
    """

    def __init__(self, name: str, code: str = "", *, files: Mapping[str, str | bytes] | None = None,
                 **config: Any) -> None:  # fmt: skip
        if "handler" not in config or config["handler"] is None:
            config["handler"] = infer_handler(code)
        self.config = FunctionConfig(name=name, **config)
        self._files = {MODULE_FILE: code.encode(), **self._encode_files(files)}
        self.revision = 1
        self.logs = LogStore()
        self.pool = EnvironmentPool(self)
        self.async_config = AsyncConfig()
        self._async: AsyncQueue | None = None
        self._async_lock = threading.Lock()
        #: The newest results, at most 1,000 and LAMBDA_MAGIC_HISTORY_BYTES (32 MiB) of them.
        self.history: Bounded[InvocationResult] = Bounded(lambda r: r.nbytes, HISTORY_BYTES,
                                                          HISTORY_LIMIT)  # fmt: skip
        self._code_dirs: dict[int, str] = {}
        self._work_dir: str | None = None
        self._files_lock = threading.RLock()
        self._listeners: list[Listener] = []
        _LIVE.add(self)
        if self.config.idle_timeout is not None:
            start_idle_reaper()
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
        """The source of ``lambda_function.py``."""
        return self._files[MODULE_FILE].decode()

    def work_dir(self) -> str:
        """This function's private directory (code packages, fallback /tmp directories)."""
        with self._files_lock:
            if self._work_dir is None:
                self._work_dir = os.path.join(
                    package.base_dir(), f"{self.name}-{uuid.uuid4().hex[:8]}"
                )
                os.makedirs(self._work_dir, exist_ok=True)
            return self._work_dir

    def code_dir(self) -> str:
        """``LAMBDA_TASK_ROOT`` of the current revision: the package, read-only as on Lambda."""
        work = self.work_dir()
        with self._files_lock:  # concurrent cold starts of a new revision write it once
            revision = self.revision
            path = self._code_dirs.get(revision)
            if path is None:
                path = os.path.join(work, f"task-r{revision}")
                os.makedirs(path)
                for rel, content in self._files.items():
                    target = os.path.join(path, rel)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as f:
                        f.write(content)
                    os.chmod(target, 0o444)
                self._code_dirs[revision] = path
            return path

    def current_revision(self) -> tuple[FunctionConfig, int, str]:
        """The configuration, revision number and task root of the current revision, read
        together (a new environment keeps them for its whole life)."""
        with self._files_lock:
            return self.config, self.revision, self.code_dir()

    def check_syntax(self) -> ErrorPayload | None:
        """Lambda's ``Runtime.UserCodeSyntaxError`` for the handler module, or None."""
        from lambda_magic.sandbox.client import sandbox_info
        from lambda_magic.sandbox.mounts import TASK_ROOT

        root = TASK_ROOT if sandbox_info().namespaces else self.code_dir()  # as the runtime sees it
        path = os.path.join(root, MODULE_FILE)
        try:
            compile(self.code, path, "exec", dont_inherit=True)
        except SyntaxError as e:
            trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
            return ErrorPayload(f"Syntax error in module 'lambda_function': {e}",
                                ErrorType.SYNTAX, "", trace)  # fmt: skip
        return None

    def update_code(self, code: str | None = None, *, files: Mapping[str, str | bytes] | None = None,
                    **config: Any) -> bool:  # fmt: skip
        """Publish new code and/or configuration: a new revision whose environments start
        cold. Returns False (and keeps warm environments) when nothing changed."""
        new_files = dict(self._files)
        if code is not None:
            new_files[MODULE_FILE] = code.encode()
            if "handler" not in config and self.config.handler in (
                DEFAULT_HANDLER,
                "lambda_function.handler",
            ):
                config["handler"] = infer_handler(code)
        new_files.update(self._encode_files(files))
        new_config = self.config.replace(**config) if config else self.config
        if new_files == self._files and new_config == self.config:
            return False
        with self._files_lock:  # environments read the three together (current_revision)
            self._files, self.config = new_files, new_config
            self.revision += 1
        if new_config.idle_timeout is not None:
            start_idle_reaper()
        self.pool.retire_idle()
        self._notify("revision", self.revision)
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
        from lambda_magic.display import TimelinePicture

        return TimelinePicture(list(self.pool.retired) + list(self.pool.environments))

    def expire_idle(self, now: float | None = None) -> list[ExecutionEnvironment]:
        """Shut down the on-demand environments idle for longer than ``idle_timeout`` (Lambda
        recycles idle environments; lambda_magic does it only when ``idle_timeout`` is set)."""
        timeout = self.config.idle_timeout
        if timeout is None:
            return []
        due = self.pool.expire_idle(timeout, time.monotonic() if now is None else now)
        for env in due:
            self._notify("expired", env)
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
        are ready (in parallel); their first invoke has no Init."""
        missing = self.config.provisioned_concurrency - len(self.pool.provisioned())
        envs = [self.pool.acquire(PROVISIONED, new=True) for _ in range(max(0, missing))]
        outcomes: list[InitOutcome] = []
        threads = [threading.Thread(target=lambda e=e: outcomes.append(prewarm(e))) for e in envs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for env in envs:
            self.pool.release(env)
        return outcomes

    def invoke(self, event: Any = None, *, payload: bytes | str | None = None,
               client_context: Mapping[str, Any] | None = None,
               identity: Mapping[str, Any] | None = None,
               on_log: LogCallback | None = None, invocation_type: str = "RequestResponse",
               request_id: str | None = None, cancel: Cancellation | None = None) -> Any:  # fmt: skip
        """Invoke and return the result.

        ``RequestResponse`` (the default) waits and returns an
        :class:`~lambda_magic.result.InvocationResult`; a function error is in the result, not
        raised (``result.raise_for_error()`` raises it); a cancelled ``cancel`` ends it as
        interrupted (a batch's Ctrl-C). ``Event`` queues the event and returns
        an :class:`~lambda_magic.async_invoke.AsyncInvocation` at once (see
        :meth:`invoke_async`); ``DryRun`` only validates and returns 204.

        An event that is not JSON or is too large raises
        :class:`~lambda_magic.errors.InvalidRequestError`, a throttled invocation
        :class:`~lambda_magic.errors.TooManyRequestsError`; nothing runs. ``on_log`` gets each
        log event as it is written, on the calling thread.
        """
        if invocation_type == "Event":
            return self.invoke_async(event, payload=payload)
        if invocation_type == "DryRun":
            return self.dry_run(event, payload=payload)
        if invocation_type != "RequestResponse":
            raise InvalidRequestError("InvalidParameterValueException",
                                      f"invocation_type must be RequestResponse, Event or DryRun; got {invocation_type!r}")  # fmt: skip
        request = InvocationRequest(
            body=encode_event(event, payload), request_id=request_id or str(uuid.uuid4()),
            client_context=encode_client_context(client_context) if client_context is not None else None,
            identity=json.dumps(dict(identity)) if identity is not None else None,
        )  # fmt: skip
        env = self.pool.acquire()
        try:
            result = invoke(env, request, on_log, cancel)
        finally:
            self.pool.release(env)
        if result.error is not None and env.sandbox.manager.info.namespaces:
            note = private_tmp_note(result)
            if note:
                result.notes.append(note)
        self.record(result)
        return result

    def invoke_async(
        self, event: Any = None, *, payload: bytes | str | None = None
    ) -> AsyncInvocation:
        """Queue an asynchronous invocation (``InvocationType=Event``): accepted at once, then
        invoked with Lambda's retries and destinations (see :attr:`async_config`)."""
        body = encode_event(event, payload, MAX_ASYNC_PAYLOAD_BYTES, "InvokeAsync")
        with self._async_lock:
            if self._async is None:
                self._async = AsyncQueue(self)
            queue = self._async
        item = queue.submit(json.loads(body), body)
        self._notify("queued", item)
        return item

    def async_pending(self) -> int:
        """Asynchronous events waiting in the queue."""
        return self._async.pending() if self._async is not None else 0

    def configure_async(self, **changes: Any) -> AsyncConfig:
        """Set the asynchronous invocation configuration: ``maximum_retry_attempts`` (0-2),
        ``maximum_event_age`` (60-21600 s), ``on_success`` / ``on_failure`` destinations and
        ``dead_letter`` (callables or lists), ``time_factor``."""
        self.async_config = dataclasses.replace(self.async_config, **changes)
        return self.async_config

    def dry_run(self, event: Any = None, *, payload: bytes | str | None = None) -> int:
        """Validate an invocation without running it (``InvocationType=DryRun``): 204."""
        encode_event(event, payload)
        return 204

    def invoke_many(self, events: Iterable[Any] = (), concurrency: int = 10,
                    progress: Callable[[int, int], None] | bool | None = None, *,
                    payloads: Iterable[bytes | str] | None = None,
                    cancel: Cancellation | None = None) -> list[InvocationResult]:  # fmt: skip
        """Invoke once per event, ``concurrency`` at a time (each in its own environment, as
        Lambda scales out); results come back in the order of ``events``.

        ``payloads`` gives raw JSON documents instead of events. A throttled invocation is a
        result whose ``error_type`` is ``TooManyRequestsException``. ``progress`` is called as
        ``progress(done, total)``; ``True`` draws a bar on stderr. Ctrl-C (or ``cancel``,
        cancelled from another thread) ends the invocations in flight as interrupted, starts no
        more, and raises :class:`~lambda_magic.batch.BatchInterrupted` with what finished.
        """
        from lambda_magic.batch import run_batch

        items = (
            [("payload", p) for p in payloads]
            if payloads is not None
            else [("event", e) for e in events]
        )
        return run_batch(self, items, concurrency, progress, cancel)

    def record(self, result: InvocationResult) -> None:
        """Keep ``result`` in the history and tell listeners."""
        self.history.append(result)
        self._notify("result", result)

    @property
    def last_result(self) -> InvocationResult | None:
        """The newest invocation result."""
        return self.history[-1] if self.history else None

    def reset(self) -> list[ShutdownPath]:
        """Shut every environment down (Shutdown phase): the next invoke is a cold start.
        Provisioned environments are initialized again at once."""
        paths = self.pool.reset()
        self._notify("reset", paths)
        if self.config.provisioned_concurrency:
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
        self._notify("reset", paths)
        if self._work_dir is not None:
            package.remove_tree(self._work_dir)
            self._work_dir = None
            self._code_dirs.clear()
        return paths

    # -- observers -------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(kind, value)`` on every lifecycle event of this function (see
        :data:`Listener` for the kinds); returns a function that unsubscribes.

        Listeners run on the thread where the event happens (the caller's, or lambda_magic's
        I/O thread for runtime output and state changes): keep them short and thread-safe.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def has_listeners(self) -> bool:
        """Whether anything subscribed (so that costly events are built only when watched)."""
        return bool(self._listeners)

    def _notify(self, kind: str, value: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind, value)
            except Exception:  # an observer must never break an invocation
                pass

    def __repr__(self) -> str:
        cfg = self.config
        return (f"<LambdaFunction {cfg.name} revision {self.revision}: {cfg.handler}, "
                f"{cfg.memory_size} MB, {cfg.timeout} s, {len(self.environments)} environment(s)>")  # fmt: skip


# -- files on disk ---------------------------------------------------------------------------------
_LIVE: weakref.WeakSet[LambdaFunction] = weakref.WeakSet()


def live() -> list[LambdaFunction]:
    """The functions of this process that are still referenced."""
    return list(_LIVE)


def _shutdown_everything() -> None:
    for fn in list(_LIVE):
        try:
            fn.shutdown()  # not reset(): that would provision new environments
        except Exception:
            pass
    if package.BASE is not None:
        package.remove_tree(package.BASE)


atexit.register(_shutdown_everything)
