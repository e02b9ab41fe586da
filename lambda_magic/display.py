"""Text and HTML views of lambda_magic's values (no IPython import: plain strings)."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lambda_magic.result import InvocationResult


def _pretty(value: Any) -> str:
    if isinstance(value, bytes):
        return repr(value)
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def result_text(result: InvocationResult) -> str:
    """A readable plain-text view (what nbconvert and nbval see)."""
    rep = result.report
    start = "cold start" if result.cold_start else "warm start"
    head = "Succeeded" if result.ok else f"Failed: {result.error_type}"
    lines = [f"{head} ({start}) {result.function_name} {result.request_id}"]
    if result.ok:
        lines.append("Response:")
        lines.append(_pretty(result.payload))
    else:
        lines.append(_pretty(result.payload))
    figures = f"Duration {rep.duration_ms:.2f} ms | Billed {rep.billed_duration_ms} ms"
    if rep.init_duration_ms is not None:
        figures += f" | Init {rep.init_duration_ms:.2f} ms"
    figures += f" | Memory {rep.max_memory_used_mb}/{rep.memory_size_mb} MB"
    lines.append(figures)
    return "\n".join(lines)


def result_html(result: InvocationResult) -> str:
    """A compact HTML card of an invocation."""
    return "<pre>" + html.escape(result_text(result)) + "</pre>"
