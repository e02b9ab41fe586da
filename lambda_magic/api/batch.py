"""Many invocations at once: ``LambdaFunction.invoke_many``, its progress bar and the figures
of a batch."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from lambda_magic.core.bounded import MIB
from lambda_magic.core.cancel import Cancellation
from lambda_magic.core.errors import ErrorPayload, TooManyRequestsError
from lambda_magic.engine.result import InvocationResult, Report
from lambda_magic.views.batch import BatchSummary as BatchSummary

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction

Progress = Callable[[int, int], None]


def throttled(fn: LambdaFunction, error: TooManyRequestsError) -> InvocationResult:
    """A throttled invocation as a result: nothing ran, so there is no environment or log."""
    payload = ErrorPayload(error.message, error.error_type, extra={"Reason": error.reason})
    report = Report(
        0.0,
        fn.config.memory_size,
        0,
        status="throttled",
        error_type=error.error_type,
        tmp_size_mb=fn.config.ephemeral_storage,
    )
    return InvocationResult(
        function_name=fn.name,
        request_id=str(uuid.uuid4()),
        raw=b"",
        content_type="",
        report=report,
        error=payload,
        started_at=time.time(),
    )


class TextProgress:
    """A progress bar on stderr for terminals: ``[#####.....] 120/500``."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label, self.width = label, width
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / max(total, 1))
        end = "\n" if done >= total else ""
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}{end}"
        )
        sys.stderr.flush()


class BatchInterrupted(KeyboardInterrupt):
    """A batch was interrupted (Ctrl-C, a kernel interrupt): its in-flight invocations ended as
    interrupted and no queued one started. ``results`` holds what finished, in the order of the
    events, with ``None`` for the invocations that never started."""

    def __init__(self, results: list[InvocationResult | None]) -> None:
        super().__init__()
        self.results = results

    @property
    def summary(self) -> str:
        """``interrupted: 3 finished, 3 interrupted, 3 not started``."""
        done = [r for r in self.results if r is not None]
        cut = sum(1 for r in done if r.interrupted)
        return (
            f"interrupted: {len(done) - cut} finished, {cut} interrupted, "
            f"{len(self.results) - len(done)} not started"
        )


def run_batch(
    fn: LambdaFunction,
    events: list[tuple[str, Any]],
    concurrency: int,
    progress: Progress | bool | None,
    cancel: Cancellation | None = None,
) -> list[InvocationResult]:
    """Invoke ``fn`` once per ``("event", value)`` or ``("payload", raw JSON)``, ``concurrency``
    at a time; results in order.

    A ``KeyboardInterrupt`` in the calling thread (or ``cancel`` cancelled from another)
    ends the invocations in flight as interrupted, starts no queued one, and raises
    :class:`BatchInterrupted` once they have ended.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a whole number of at least 1, got {concurrency!r}")
    report: Progress | None = TextProgress(fn.name) if progress is True else (progress or None)
    results: list[InvocationResult | None] = [None] * len(events)
    cancel = cancel or Cancellation()
    logs = _LogBudget(fn.history.limit_bytes)

    def one(i: int) -> None:
        if cancel.cancelled:
            return
        kind, value = events[i]
        try:
            results[i] = fn.invoke(**{kind: value}, cancel=cancel)
        except TooManyRequestsError as e:
            results[i] = throttled(fn, e)
        logs.keep(results[i])

    pool = ThreadPoolExecutor(
        max_workers=min(concurrency, max(1, len(events))), thread_name_prefix=f"invoke-{fn.name}"
    )
    try:
        futures = [pool.submit(one, i) for i in range(len(events))]
        _wait_all(futures, len(events), report, cancel)
        if cancel.cancelled:  # from another thread, after the last one ended
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        cancel.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        raise BatchInterrupted(results) from None
    finally:
        pool.shutdown(wait=True)
    return [r for r in results if r is not None]


class _LogBudget:
    """A batch's results keep their logs within one byte budget (the function's history's):
    the oldest results lose theirs first (fn.logs keeps the newest lines)."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._kept: deque[tuple[InvocationResult, int]] = deque()
        self._bytes = 0
        self._lock = threading.Lock()

    def keep(self, result: InvocationResult | None) -> None:
        if result is None or not result.log_events:
            return
        nbytes = sum(e.nbytes for e in result.log_events)
        with self._lock:
            self._kept.append((result, nbytes))
            self._bytes += nbytes
            while self._bytes > self.limit_bytes and len(self._kept) > 1:
                old, gone = self._kept.popleft()
                self._bytes -= gone
                old.drop_logs(
                    f"to keep the batch's logs within {self.limit_bytes // MIB} MiB "
                    "(LAMBDA_MAGIC_HISTORY_BYTES)"
                )


class _Tally:
    """Counts finished invocations from the workers' threads; ``finished`` is set when the last
    one ends or one fails."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.failed: Future[None] | None = None
        self.finished = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, future: Future[None]) -> None:
        failed = not future.cancelled() and future.exception() is not None
        with self._lock:
            self.done += 1
            if failed and self.failed is None:
                self.failed = future
            if failed or self.done == self.total:
                self.finished.set()


def _wait_all(
    futures: list[Future[None]], total: int, report: Progress | None, cancel: Cancellation
) -> None:
    """Wait for every invocation, reporting progress (at most every 0.1 s, and at the end); a
    cancel from elsewhere interrupts. The waiting thread wakes when all are done, or every
    0.1 s: not once per invocation, which would cost a thread hand-off each."""
    if report:
        report(0, total)
    if not futures:
        return
    tally = _Tally(len(futures))
    for future in futures:
        future.add_done_callback(tally)
    reported = 0
    while True:
        finished = tally.finished.wait(0.1)
        if tally.failed is not None:
            tally.failed.result()  # raises the worker's exception here
        if report and tally.done != reported:
            reported = tally.done
            report(reported, total)
        if finished:
            return
        if cancel.cancelled:
            raise KeyboardInterrupt
