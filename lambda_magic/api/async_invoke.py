"""Asynchronous invocation (``InvocationType=Event``): a queue, retries and destinations.

As on Lambda: the event is accepted at once (202) and queued; a function error is retried
twice by default (about 1 minute after the first failure and 2 minutes after the second);
throttled attempts are requeued with exponential backoff (1 s up to 5 minutes) until the
event is older than ``MaximumEventAgeInSeconds``. The outcome goes to the on-success or
on-failure destination as Lambda's invocation record, and a failed event to the dead-letter
queue. Every interval is multiplied by ``time_factor`` (default 0.01: a minute becomes 0.6 s)
so that a notebook sees retries happen; set it to 1 for Lambda's real timing.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from lambda_magic.api import chain
from lambda_magic.core.errors import ConfigError
from lambda_magic.engine.result import InvocationResult
from lambda_magic.platform.logs import iso_ms

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction

Destination = Union[Callable[[Any], None], list[Any]]  # noqa: UP007  (a runtime alias: 3.10 has no | on these)
RETRY_INTERVALS_S = (60.0, 120.0)


@dataclass
class AsyncConfig:
    """``PutFunctionEventInvokeConfig`` plus a dead-letter queue, with notebook destinations."""

    maximum_retry_attempts: int = 2
    maximum_event_age: int = 21600
    on_success: Destination | None = None
    on_failure: Destination | None = None
    dead_letter: Destination | None = None
    time_factor: float = 0.01

    def __post_init__(self) -> None:
        if self.maximum_retry_attempts not in (0, 1, 2):
            raise ConfigError(
                f"maximum_retry_attempts must be 0, 1 or 2; got {self.maximum_retry_attempts!r}"
            )
        age = self.maximum_event_age
        if isinstance(age, bool) or not isinstance(age, int) or not 60 <= age <= 21600:
            raise ConfigError(f"maximum_event_age must be from 60 to 21600 seconds; got {age!r}")
        if not isinstance(self.time_factor, (int, float)) or not 0 < self.time_factor <= 1:
            raise ConfigError(
                f"time_factor must be above 0 and at most 1; got {self.time_factor!r}"
            )
        for name in ("on_success", "on_failure", "dead_letter"):
            value = getattr(self, name)
            if value is not None and not callable(value) and not isinstance(value, list):
                raise ConfigError(
                    f"{name} must be a callable or a list; got {type(value).__name__}"
                )


def deliver(destination: Destination | None, item: Any) -> None:
    """Send ``item`` to a destination (call it, or append to it)."""
    if destination is None:
        return
    if isinstance(destination, list):
        destination.append(item)
    else:
        try:
            destination(item)
        except Exception:  # a broken destination must not stop the queue
            pass


@dataclass
class AsyncInvocation:
    """One event invoked asynchronously: accepted at once (``status_code`` 202)."""

    function_name: str
    request_id: str
    event: Any
    body: bytes
    qualifier: str | None = None  # a version or an alias, as invoked
    trace_id: str | None = None  # the caller's trace header: attempts continue its trace
    caller: tuple[str, str] | None = None  # the invocation that queued it (function, request id)
    accepted_at: float = field(default_factory=time.time)
    attempts: list[InvocationResult] = field(default_factory=list)
    status: str = "queued"  # running, succeeded, failed, expired
    record: dict[str, Any] | None = None
    status_code: int = 202
    backoff_s: float = 1.0  # the next wait after a throttle (doubles, up to 5 minutes)
    last_error: Exception | None = None  # why the last attempt could not run (throttled...)
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    def wait(self, timeout: float | None = None) -> AsyncInvocation:
        """Wait until the event succeeded or was given up; returns self."""
        self._done.wait(timeout)
        return self

    @property
    def done(self) -> bool:
        """Whether the event's fate is decided."""
        return self._done.is_set()

    def __repr__(self) -> str:
        return (
            f"<AsyncInvocation {self.function_name} {self.request_id} {self.status}, "
            f"{len(self.attempts)} attempt(s)>"
        )


def invocation_record(fn: LambdaFunction, item: AsyncInvocation, condition: str) -> dict[str, Any]:
    """Lambda's invocation record for destinations."""
    last = item.attempts[-1] if item.attempts else None
    version = last.executed_version if last is not None else fn.config.version
    response: dict[str, Any] = {"statusCode": 200, "executedVersion": version}
    if last is not None and not last.ok:
        response["functionError"] = "Unhandled"
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": iso_ms(time.time()),
        "requestContext": {
            "requestId": item.request_id,
            "functionArn": f"{fn.config.function_arn}:{item.qualifier or version}",
            "condition": condition,
            "approximateInvokeCount": len(item.attempts),
        },
        "requestPayload": item.event,
        "responseContext": response,
    }
    if last is not None:
        record["responsePayload"] = last.payload if not isinstance(last.payload, bytes) else None
    return record


class AsyncQueue:
    """The queue of a function's asynchronous events, worked by a small thread pool."""

    def __init__(self, fn: LambdaFunction, workers: int = 4) -> None:
        self.fn = fn
        self._heap: list[tuple[float, int, AsyncInvocation]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"async-{fn.name}")
        self._closed = False
        self._dispatcher = threading.Thread(
            target=self._dispatch, name=f"async-queue-{fn.name}", daemon=True
        )
        self._dispatcher.start()

    def submit(
        self, event: Any, body: bytes, qualifier: str | None = None, trace_id: str | None = None
    ) -> AsyncInvocation:
        """Queue one event (for a version or alias: ``qualifier``); returns at once."""
        item = AsyncInvocation(self.fn.name, str(uuid.uuid4()), event, body, qualifier, trace_id)
        item.caller = chain.caller_of(trace_id)
        self._schedule(item, 0.0)
        return item

    def _schedule(self, item: AsyncInvocation, delay_s: float) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay_s, next(self._seq), item))
            self._cond.notify()

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._heap or self._heap[0][0] > time.monotonic()):
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(wait)
                if self._closed:
                    return
                _, _, item = heapq.heappop(self._heap)
            self._pool.submit(self._attempt, item)

    def _attempt(self, item: AsyncInvocation) -> None:
        config = self.fn.async_config
        age = time.time() - item.accepted_at
        if age > config.maximum_event_age * config.time_factor:
            return self._give_up(item, "EventAgeExceeded", "expired")
        if self.fn.config.reserved_concurrency == 0:  # throttled: no retries at all
            return self._give_up(item, "RetriesExhausted", "failed")
        item.status = "running"
        try:
            result = self.fn.invoke(
                payload=item.body,
                request_id=item.request_id,
                qualifier=item.qualifier,
                trace_id=item.trace_id,
            )
        except Exception as e:  # throttled, or a system error: requeued with backoff
            item.status, item.last_error = "queued", e
            self._schedule(item, item.backoff_s * config.time_factor)
            item.backoff_s = min(item.backoff_s * 2, 300.0)
            return None
        if result.caller is None:
            result.caller = item.caller
        item.attempts.append(result)
        if result.ok:
            item.status, item.record = "succeeded", invocation_record(self.fn, item, "Success")
            deliver(config.on_success, item.record)
            item._done.set()
        elif len(item.attempts) <= config.maximum_retry_attempts:
            item.status = "queued"
            self._schedule(item, RETRY_INTERVALS_S[len(item.attempts) - 1] * config.time_factor)
        else:
            self._give_up(item, "RetriesExhausted", "failed")
        return None

    def _give_up(self, item: AsyncInvocation, condition: str, status: str) -> None:
        config = self.fn.async_config
        item.status, item.record = status, invocation_record(self.fn, item, condition)
        deliver(config.on_failure, item.record)
        deliver(config.dead_letter, item.event)
        item._done.set()

    def pending(self) -> int:
        """Events waiting in the queue (not counting ones being invoked)."""
        with self._cond:
            return len(self._heap)

    def close(self) -> None:
        """Stop taking events from the queue (the ones in it are dropped)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._pool.shutdown(wait=True, cancel_futures=True)


class Asynchronous:
    """A function's asynchronous side: its queue (started on first use) and configuration."""

    async_config: AsyncConfig
    _async: AsyncQueue | None
    _async_lock: threading.Lock

    def async_queue(self) -> AsyncQueue:
        """The function's asynchronous queue (started on first use)."""
        with self._async_lock:
            if self._async is None:
                self._async = AsyncQueue(self)  # type: ignore[arg-type]  # a LambdaFunction
            return self._async

    def async_pending(self) -> int:
        """Asynchronous events waiting in the queue."""
        return self._async.pending() if self._async is not None else 0

    def configure_async(self, **changes: Any) -> AsyncConfig:
        """Set the asynchronous invocation configuration: ``maximum_retry_attempts`` (0-2),
        ``maximum_event_age`` (60-21600 s), ``on_success`` / ``on_failure`` destinations and
        ``dead_letter`` (callables or lists), ``time_factor``."""
        self.async_config = dataclasses.replace(self.async_config, **changes)
        return self.async_config
