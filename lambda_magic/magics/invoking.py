"""What ``%lambda_invoke`` does once its line is parsed: find the event, invoke, explain."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Mapping
from typing import Any

from IPython.core.error import UsageError

from lambda_magic import events as events_lib
from lambda_magic.api.batch import BatchInterrupted
from lambda_magic.api.function import LambdaFunction
from lambda_magic.core.errors import (
    InvalidRequestError,
    InvocationInterrupted,
    TooManyRequestsError,
)
from lambda_magic.engine.result import InvocationResult
from lambda_magic.magics import inputs
from lambda_magic.platform.logs import LogEvent
from lambda_magic.views.cards import BatchView

INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")


def resolve_event(args: Any, inline: str, cell: str | None, ns: Mapping[str, Any]) -> Any:
    """The event from exactly one source: inline, cell body, file, template or saved event."""
    sources = [
        s
        for s in (inline.strip(), (cell or "").strip(), args.event_file, args.template, args.saved)
        if s
    ]
    if len(sources) > 1:
        raise UsageError(
            "give one event: inline, the cell body, --event-file, --template or --saved"
        )
    if inline.strip():
        return inputs.parse_event(inline, ns)
    if cell and cell.strip():
        return inputs.parse_event(cell, ns, "the cell's event")
    if args.event_file:
        return _event_file(args.event_file)
    if args.template:
        return template_event(args.template, inputs.parse_pairs(args.param, "--param"), args.seed)
    if args.saved:
        try:
            return events_lib.SavedEvents(args.name).load(args.saved)
        except events_lib.SavedEventError as e:
            raise UsageError(str(e)) from None
    return {}


def _event_file(path: str) -> Any:
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise UsageError(f"cannot read the event file {path!r}: {e.strerror}") from None
    return inputs.parse_json(text, f"the event file {path!r}")


def template_event(name: str, raw: dict[str, Any], seed: int | None) -> Any:
    """Generate an event from the library, with usage errors for bad names or parameters."""
    try:
        return events_lib.generate(name, seed=seed, **events_lib.coerce_params(name, raw))
    except events_lib.EventTemplateError as e:
        raise UsageError(str(e)) from None


def print_log(event: LogEvent) -> None:
    """Show a log event in the cell as it happens."""
    out = sys.stdout
    out.write(event.text + "\n")
    # A kernel's stream sends what was written within its flush interval (0.2 s) on its own, and
    # before any display; a flush here would wait for its I/O thread, ~0.8 ms a line.
    if not hasattr(out, "flush_interval"):
        out.flush()


def invoke_once(
    fn: LambdaFunction,
    event: Any,
    context: Any,
    identity: Any,
    stream: bool,
    ns: Mapping[str, Any],
    qualifier: str | None = None,
) -> InvocationResult:
    """A synchronous invocation, with usage errors for refused requests."""
    before = fn.last_result
    try:
        result: InvocationResult = fn.invoke(
            event,
            client_context=context,
            identity=identity,
            on_log=print_log if stream else None,
            qualifier=qualifier,
        )
    except (InvalidRequestError, TooManyRequestsError) as e:
        raise UsageError(str(e)) from None
    except KeyboardInterrupt:
        # The interrupted invocation's result, if it was recorded before Ctrl-C arrived:
        # not an older one (nor another thread's).
        last = fn.last_result
        ours = last if last is not before and last is not None and last.interrupted else None
        raise InvocationInterrupted(fn.name, ours.request_id if ours else "?") from None
    explain(result, ns)
    return result


def invoke_other(
    fn: LambdaFunction, event: Any, invocation_type: str, qualifier: str | None = None
) -> Any:
    """An ``Event`` (asynchronous) or ``DryRun`` invocation."""
    try:
        outcome = fn.invoke(event, invocation_type=invocation_type, qualifier=qualifier)
    except InvalidRequestError as e:
        raise UsageError(str(e)) from None
    if invocation_type == "DryRun":
        print(f"DryRun: the request to {fn.name} is valid (status {outcome}); nothing ran.")
        return None
    return outcome


def invoke_batch(fn: LambdaFunction, event: Any, repeat: int, concurrency: int) -> BatchView:
    """``repeat`` invocations, ``concurrency`` at a time, with a progress bar."""
    if repeat < 1 or concurrency < 1:
        raise UsageError("--repeat and --concurrency must be whole numbers of at least 1")
    started = time.monotonic()
    try:
        results = fn.invoke_many(
            [event] * repeat, concurrency=concurrency, progress=progress_bar(fn.name, repeat)
        )
    except InvalidRequestError as e:
        raise UsageError(str(e)) from None
    except BatchInterrupted as e:
        detail = (
            f"Interrupted: the batch of {repeat} invocations of {fn.name} stopped "
            f"({e.summary.split(': ', 1)[1]}); the interrupted ones' environments were "
            "reset"
        )
        raise InvocationInterrupted(fn.name, "?", detail) from None
    return BatchView(results, concurrency, time.monotonic() - started)


def progress_bar(label: str, total: int) -> Any:
    """A notebook progress bar (ipywidgets) or, without widgets, a text bar on stderr."""
    if total < 20:
        return None
    try:
        import ipywidgets as widgets  # type: ignore[import-untyped]
        from IPython.display import display
    except ImportError:
        return True
    bar = widgets.IntProgress(min=0, max=total, description=label)
    text = widgets.Label(f"0/{total}")
    display(widgets.HBox([bar, text]))

    def update(done: int, total: int) -> None:
        bar.value, text.value = done, f"{done}/{total}"

    return update


def explain(result: InvocationResult, ns: Mapping[str, Any]) -> None:
    """Say plainly when a handler missed a notebook variable (functions cannot see them)."""
    if result.error is None or result.error_type != "NameError":
        return
    match = re.search(r"name '(\w+)' is not defined", result.error.error_message)
    if match and match.group(1) in ns:
        result.notes.append(
            f"{match.group(1)!r} exists in this notebook, but a Lambda function cannot see "
            "notebook variables (as a deployed function cannot): define it in the handler's "
            "cell, pass it in the event, or set it with --env."
        )
