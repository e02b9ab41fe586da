"""What the panel's actions do on their worker thread (Invoke, Invoke ×N, Init, Reset, Shutdown,
Freeze), as functions of the :class:`~lambda_magic.widgets.panel.LambdaPanel` they run for.

The panel runs each on a worker thread as ``work(panel, *args)``; an error it raises becomes
the panel's notice. A result to show is left in the panel's ``_pending`` for the next repaint,
never shown from the worker thread itself.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

from lambda_magic.api.batch import BatchInterrupted
from lambda_magic.core.cancel import Cancellation, in_background
from lambda_magic.core.errors import TooManyRequestsError
from lambda_magic.engine.pool import MACHINE
from lambda_magic.views.batch import BatchSummary
from lambda_magic.views.cards import shutdown_ways

if TYPE_CHECKING:
    from lambda_magic.widgets.panel import LambdaPanel


def invoke_work(panel: LambdaPanel, payload: str) -> None:
    """**Invoke**: one synchronous invoke with exactly ``payload``; its logs stream live."""
    panel._result.begin("Invoking")
    with in_background(Cancellation()) as cancel:  # a kernel interrupt ends it
        result = panel._fn.invoke(payload=payload, on_log=panel._on_log, cancel=cancel)
    with panel._lock:
        panel._pending = lambda: panel._result.show_result(result, True)


def throttled_text(panel: LambdaPanel, error: TooManyRequestsError) -> str:
    """Why an invoke was throttled, in words (``str(error)`` names Lambda's reason)."""
    reserved = panel._fn.config.reserved_concurrency
    if error.reason.startswith("Reserved") and reserved is not None:
        why = (
            f"the function's reserved concurrency is {reserved}, and all of it is in use"
            if reserved
            else "the function's reserved concurrency is 0: every invoke is throttled"
        )
    else:
        why = f"the machine-wide concurrency limit ({MACHINE.limit}) is reached"
    return f"Throttled, nothing ran: {why}. {error}"


def batch_work(panel: LambdaPanel, payload: str, n: int) -> None:
    """**Invoke ×N**: ``n`` invocations of ``payload`` at once, then the batch's summary."""
    panel._result.begin(f"Invoking \u00d7{n}")
    with panel._lock:
        panel.batch_progress = (0, n)
    started = time.monotonic()
    try:
        with in_background(Cancellation()) as cancel:
            results = panel._fn.invoke_many(
                payloads=[payload] * n,
                concurrency=n,
                cancel=cancel,
                progress=functools.partial(on_progress, panel),
            )
    except BatchInterrupted as e:
        results = [r for r in e.results if r is not None]
        panel._say(f"Invoke \u00d7{n} {e.summary} (a kernel interrupt)", "warn")
        with panel._lock:
            panel._pending = lambda: panel._result.show_batch(
                BatchSummary.of(results, n, time.monotonic() - started), None
            )
        return
    summary = BatchSummary.of(results, n, time.monotonic() - started)
    throttled = [r for r in results if r.status == "throttled"]
    with panel._lock:
        panel._throttled.extend(throttled)
        last = panel.last_result if any(r is panel.last_result for r in results) else None
        shown = last if last is not None else (results[-1] if results else None)
        panel._pending = lambda: panel._result.show_batch(summary, shown)
    panel.last_batch = summary
    panel._say(f"Invoke \u00d7{n}: {summary.text()}", "ok" if summary.all_ok else "warn")


def on_progress(panel: LambdaPanel, done: int, total: int) -> None:
    """``invoke_many``'s progress (any thread): recorded, painted with the next repaint."""
    with panel._lock:  # reports from several threads may arrive out of order
        shown_done, shown_total = panel.batch_progress
        if total != shown_total or done >= shown_done:
            panel.batch_progress = (done, total)
    panel._throttle.request()


def init_work(panel: LambdaPanel) -> None:
    """**Init**: start one environment and run Init without invoking."""
    panel._result.begin("Init")
    outcome = panel._fn.init(on_log=panel._on_log)
    with panel._lock:
        panel._pending = lambda: panel._result.show_init(outcome)


def reset_work(panel: LambdaPanel) -> None:
    """**Reset**: shut every environment down."""
    paths = panel._fn.reset()
    if not paths:
        panel._say("Nothing to reset: no environment was running", "info")
        return
    panel._say(
        f"Reset: {len(paths)} environment(s) shut down ({shutdown_ways(paths)}); "
        "the next invoke is a cold start",
        "ok",
    )


def shutdown_work(panel: LambdaPanel) -> None:
    """**Shutdown**: shut every environment down and remove the function's files."""
    paths = panel._fn.shutdown()
    panel._say(
        f"Shut down {len(paths)} environment(s) and removed the function's files; "
        "the next invoke starts afresh",
        "ok",
    )


def freeze_work(panel: LambdaPanel, value: bool) -> None:
    """**Freeze**: turn freezing between invokes on or off (a new revision)."""
    word = "on" if value else "off"
    if not panel._fn.update_config(freeze=value):
        panel._say(f"Freeze is already {word}", "info")
        return
    panel._say(
        f"Freeze {word}: revision {panel._fn.revision}; environments were shut down, "
        "the next invoke is a cold start",
        "ok",
    )
