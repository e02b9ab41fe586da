"""Functions that call functions: which invocation made which, through the trace header.

Every invocation gets a trace header (``Root=1-…;Parent=<segment>;Sampled=0``; the runtime sets
it as ``_X_AMZN_TRACE_ID``). botocore sends that variable back as ``X-Amzn-Trace-Id`` on every
request a handler makes, so a call that reaches lambda_magic's Lambda API names the invocation
it came from by its segment: the callee continues the caller's trace (same ``Root``, a new
``Parent``), as X-Ray shows a chain on Lambda, and its result records its caller.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from typing import Any

from lambda_magic.core.ids import hex_id

_PART_RE = re.compile(r"(Root|Parent|Sampled)=([^;\s]+)")
_ACTIVE: dict[str, tuple[str, str]] = {}
_LOCK = threading.Lock()


def _parts(header: str | None) -> dict[str, str]:
    return dict(_PART_RE.findall(header)) if header else {}


def new_trace(incoming: str | None = None) -> tuple[str, str]:
    """The trace header of a new invocation and its segment id: it continues ``incoming`` (the
    caller's ``X-Amzn-Trace-Id``) when that has a ``Root``."""
    digits = hex_id(40)  # one read of randomness: 24 digits of a new root, 16 of the segment
    segment = digits[24:]
    parts = _parts(incoming)
    root = parts.get("Root") or f"1-{int(time.time()):08x}-{digits[:24]}"
    return f"Root={root};Parent={segment};Sampled={parts.get('Sampled', '0')}", segment


def caller_of(incoming: str | None) -> tuple[str, str] | None:
    """``(function name, request id)`` of the invocation running now whose trace header sent
    this request, or None."""
    parent = _parts(incoming).get("Parent")
    if parent is None:
        return None
    with _LOCK:
        return _ACTIVE.get(parent)


def enter(segment: str, function: str, request_id: str) -> None:
    """From now until :func:`leave`, requests carrying ``segment`` come from this invocation."""
    with _LOCK:
        _ACTIVE[segment] = (function, request_id)


def leave(segment: str) -> None:
    """The invocation of ``segment`` is over."""
    with _LOCK:
        _ACTIVE.pop(segment, None)


def timeline_notes(results: Iterable[Any]) -> dict[str, list[tuple[float, str]]]:
    """Per environment, the invocations other functions made (for the timeline)."""
    notes: dict[str, list[tuple[float, str]]] = {}
    for r in results:
        if r.caller is not None:
            text = f"RequestId {r.request_id} invoked by {r.caller[0]} (RequestId: {r.caller[1]})"
            notes.setdefault(r.environment_id, []).append((r.started_at, text))
    return notes
