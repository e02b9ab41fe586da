"""The figures of one batch of invocations (``invoke_many``, **Invoke ×N**) and their row in the
panel: outcomes, how many environments served it, cold starts, durations."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic.views.html import ERROR, MUTED, OK, THROTTLED_COLOR, fmt_ms, stat

if TYPE_CHECKING:
    from lambda_magic.engine.result import InvocationResult


def batch_html(summary: BatchSummary) -> str:
    """The batch as a row of figures (``data-*`` attributes carry the counts)."""
    why = f" ({', '.join(summary.reasons)})" if summary.reasons else ""
    figures = [
        stat("succeeded", summary.succeeded, "succeeded", "returned a response", OK),
        stat(
            "failed",
            summary.failed,
            "failed",
            "function errors and timeouts",
            ERROR if summary.failed else MUTED,
        ),
        stat(
            "throttled",
            summary.throttled,
            "throttled",
            f"refused with TooManyRequestsException, nothing ran{why}",
            THROTTLED_COLOR if summary.throttled else MUTED,
        ),
        stat(
            "environments",
            summary.environments,
            "environments",
            "distinct execution environments that served the batch",
        ),
        stat("cold-starts", summary.cold_starts, "cold starts", "invocations that ran Init first"),
        stat("p50", fmt_ms(summary.p50_ms), "Duration p50", "median REPORT Duration"),
        stat("max", fmt_ms(summary.max_ms), "Duration max", "longest REPORT Duration"),
        stat("wall", f"{summary.seconds:.2f} s", "in all", "wall-clock time of the whole batch"),
    ]
    color = OK if summary.all_ok else (THROTTLED_COLOR if summary.throttled else ERROR)
    title = (
        f'<div style="font-size:13px;margin-bottom:3px"><b style="color:{color}">'
        f'Invoke \u00d7{summary.invocations}</b> <span style="color:{MUTED};'
        f'font-size:11.5px">{summary.invocations} invocations at once (concurrency '
        f"{summary.concurrency}); the last result is below</span></div>"
    )
    return (
        f'<div class="lm-batch" data-invocations="{summary.invocations}" '
        f'data-succeeded="{summary.succeeded}" data-failed="{summary.failed}" '
        f'data-throttled="{summary.throttled}" data-environments="{summary.environments}" '
        f'data-cold-starts="{summary.cold_starts}" style="margin-bottom:4px">{title}'
        f"{''.join(figures)}</div>"
    )


@dataclass(frozen=True)
class BatchSummary:
    """The figures of one batch of invocations (as ``invoke_many`` returns them).

    ``failed`` counts function errors and timeouts; ``throttled`` counts invocations refused
    with ``TooManyRequestsException`` (nothing ran) and ``reasons`` the distinct reasons given.
    ``environments`` is how many distinct environments served the batch. Durations are the
    REPORT's ``Duration`` of the invocations that ran (None when none ran); ``seconds`` is the
    batch's wall-clock time.
    """

    invocations: int
    concurrency: int
    succeeded: int
    failed: int
    throttled: int
    environments: int
    cold_starts: int
    p50_ms: float | None
    max_ms: float | None
    seconds: float
    reasons: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, results: Sequence[InvocationResult], concurrency: int, seconds: float
    ) -> BatchSummary:
        """Summarise ``results``, run ``concurrency`` at a time in ``seconds``."""
        ran = [r for r in results if r.status != "throttled"]
        durations = [r.report.duration_ms for r in ran]
        reasons = (r.throttle_reason for r in results)
        return cls(
            invocations=len(results),
            concurrency=concurrency,
            succeeded=sum(1 for r in ran if r.ok),
            failed=sum(1 for r in ran if not r.ok),
            throttled=len(results) - len(ran),
            environments=len({r.environment_id for r in ran if r.environment_id}),
            cold_starts=sum(1 for r in ran if r.cold_start),
            p50_ms=statistics.median(durations) if durations else None,
            max_ms=max(durations) if durations else None,
            seconds=seconds,
            reasons=tuple(dict.fromkeys(r for r in reasons if r)),
        )

    @property
    def all_ok(self) -> bool:
        """Every invocation succeeded."""
        return self.succeeded == self.invocations

    def figures_text(self) -> str:
        """``4 environments, 4 cold starts; Duration p50 201.03 ms, max 201.84 ms`` (no
        duration figures when nothing ran)."""
        envs, cold = self.environments, self.cold_starts
        out = f"{envs} environment{'s' if envs != 1 else ''}, {cold} cold start{'s' if cold != 1 else ''}"
        if self.p50_ms is not None and self.max_ms is not None:
            out += f"; Duration p50 {self.p50_ms:.2f} ms, max {self.max_ms:.2f} ms"
        return out

    def text(self) -> str:
        """One line, with no wall-clock figure (timings carry ``ms`` for sanitize files):
        ``4 invocations (concurrency 4): 4 succeeded, 0 failed, 0 throttled; 4 environments,
        4 cold starts; Duration p50 201.03 ms, max 201.84 ms``."""
        n = self.invocations
        return (
            f"{n} invocation{'s' if n != 1 else ''} (concurrency {self.concurrency}): "
            f"{self.succeeded} succeeded, {self.failed} failed, {self.throttled} throttled; "
            f"{self.figures_text()}"
        )
