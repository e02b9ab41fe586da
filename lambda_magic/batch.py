"""Many invocations at once: ``LambdaFunction.invoke_many`` and its progress bar."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any

from lambda_magic.errors import ErrorPayload, TooManyRequestsError
from lambda_magic.result import InvocationResult, Report

if TYPE_CHECKING:
    from lambda_magic.function import LambdaFunction

Progress = Callable[[int, int], None]


def throttled(fn: LambdaFunction, error: TooManyRequestsError) -> InvocationResult:
    """A throttled invocation as a result: nothing ran, so there is no environment or log."""
    payload = ErrorPayload(error.message, error.error_type, extra={"Reason": error.reason})
    report = Report(0.0, fn.config.memory_size, 0, status="throttled", error_type=error.error_type,
                    tmp_size_mb=fn.config.ephemeral_storage)  # fmt: skip
    return InvocationResult(function_name=fn.name, request_id=str(uuid.uuid4()), raw=b"",
                            content_type="", report=report, error=payload, started_at=time.time())  # fmt: skip


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


def run_batch(fn: LambdaFunction, events: list[tuple[str, Any]], concurrency: int,
              progress: Progress | bool | None) -> list[InvocationResult]:  # fmt: skip
    """Invoke ``fn`` once per ``("event", value)`` or ``("payload", raw JSON)``, ``concurrency``
    at a time; results in order."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a whole number of at least 1, got {concurrency!r}")
    report: Progress | None = TextProgress(fn.name) if progress is True else (progress or None)
    results: list[InvocationResult | None] = [None] * len(events)
    done = 0

    def one(i: int) -> None:
        kind, value = events[i]
        try:
            results[i] = fn.invoke(**{kind: value})
        except TooManyRequestsError as e:
            results[i] = throttled(fn, e)

    with ThreadPoolExecutor(max_workers=min(concurrency, max(1, len(events))),
                            thread_name_prefix=f"invoke-{fn.name}") as pool:  # fmt: skip
        futures = [pool.submit(one, i) for i in range(len(events))]
        if report:
            report(0, len(events))
        for future in as_completed(futures):
            future.result()
            done += 1
            if report:
                report(done, len(events))
    return [r for r in results if r is not None]
