"""What one **Invoke ×N** did, as a row of figures: outcomes, how many environments served it,
cold starts, durations (the figures are :class:`lambda_magic.api.batch.BatchSummary`)."""

from __future__ import annotations

from lambda_magic.api.batch import BatchSummary as BatchSummary
from lambda_magic.widgets.render import ERROR, MUTED, OK, THROTTLED_COLOR, fmt_ms, stat

#: The **Invoke ×N** field accepts 1 to 100.
N_MIN, N_MAX, N_DEFAULT = 1, 100, 5


def clamp_n(value: int) -> tuple[int, str]:
    """``value`` brought into 1..100, and the message saying so (empty when it was in range)."""
    if value < N_MIN:
        return N_MIN, f"N must be at least {N_MIN}: set to {N_MIN}"
    if value > N_MAX:
        return N_MAX, f"N can be at most {N_MAX}: set to {N_MAX}"
    return value, ""


def batch_html(summary: BatchSummary) -> str:
    """The batch as a row of figures (``data-*`` attributes carry the counts)."""
    why = f" ({', '.join(summary.reasons)})" if summary.reasons else ""
    figures = [
        stat("succeeded", summary.succeeded, "succeeded", "returned a response", OK),
        stat("failed", summary.failed, "failed", "function errors and timeouts",
             ERROR if summary.failed else MUTED),
        stat("throttled", summary.throttled, "throttled",
             f"refused with TooManyRequestsException, nothing ran{why}",
             THROTTLED_COLOR if summary.throttled else MUTED),
        stat("environments", summary.environments, "environments",
             "distinct execution environments that served the batch"),
        stat("cold-starts", summary.cold_starts, "cold starts", "invocations that ran Init first"),
        stat("p50", fmt_ms(summary.p50_ms), "Duration p50", "median REPORT Duration"),
        stat("max", fmt_ms(summary.max_ms), "Duration max", "longest REPORT Duration"),
        stat("wall", f"{summary.seconds:.2f} s", "in all", "wall-clock time of the whole batch"),
    ]  # fmt: skip
    color = OK if summary.all_ok else (THROTTLED_COLOR if summary.throttled else ERROR)
    title = (f'<div style="font-size:13px;margin-bottom:3px"><b style="color:{color}">'
             f"Invoke \u00d7{summary.invocations}</b> <span style=\"color:{MUTED};"
             f'font-size:11.5px">{summary.invocations} invocations at once (concurrency '
             f"{summary.concurrency}); the last result is below</span></div>")  # fmt: skip
    return (f'<div class="lm-batch" data-invocations="{summary.invocations}" '
            f'data-succeeded="{summary.succeeded}" data-failed="{summary.failed}" '
            f'data-throttled="{summary.throttled}" data-environments="{summary.environments}" '
            f'data-cold-starts="{summary.cold_starts}" style="margin-bottom:4px">{title}'
            f'{"".join(figures)}</div>')  # fmt: skip
