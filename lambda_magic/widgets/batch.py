"""What one **Invoke ×N** did: outcomes, how many environments served it, cold starts, durations."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_magic.widgets.render import ERROR, MUTED, OK, THROTTLED_COLOR, fmt_ms, stat

if TYPE_CHECKING:
    from lambda_magic.result import InvocationResult

#: The **Invoke ×N** field accepts 1 to 100.
N_MIN, N_MAX, N_DEFAULT = 1, 100, 5


def clamp_n(value: int) -> tuple[int, str]:
    """``value`` brought into 1..100, and the message saying so (empty when it was in range)."""
    if value < N_MIN:
        return N_MIN, f"N must be at least {N_MIN}: set to {N_MIN}"
    if value > N_MAX:
        return N_MAX, f"N can be at most {N_MAX}: set to {N_MAX}"
    return value, ""


@dataclass(frozen=True)
class BatchSummary:
    """The figures of one batch of invocations (the panel's ``last_batch`` trait).

    ``failed`` counts function errors and timeouts; ``throttled`` counts invocations refused
    with ``TooManyRequestsException`` (nothing ran). ``environments`` is how many distinct
    environments served the batch. Durations are the REPORT's ``Duration`` of the invocations
    that ran (None when none ran); ``seconds`` is the batch's wall-clock time.
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
        """Summarise ``results`` (as ``invoke_many`` returns them)."""
        ran = [r for r in results if r.status != "throttled"]
        durations = [r.report.duration_ms for r in ran]
        reasons = []
        for r in results:
            payload = r.payload if r.status == "throttled" else None
            reason = payload.get("Reason") if isinstance(payload, dict) else None
            if isinstance(reason, str) and reason not in reasons:
                reasons.append(reason)
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
            reasons=tuple(reasons),
        )

    @property
    def all_ok(self) -> bool:
        """Every invocation succeeded."""
        return self.succeeded == self.invocations

    def text(self) -> str:
        """One line, with no wall-clock figure (timings carry ``ms`` for sanitize files):
        ``4 invocations (concurrency 4): 4 succeeded, 0 failed, 0 throttled; 4 environments,
        4 cold starts; Duration p50 201.03 ms, max 201.84 ms``."""
        n, envs, cold = self.invocations, self.environments, self.cold_starts
        out = (f"{n} invocation{'s' if n != 1 else ''} (concurrency {self.concurrency}): "
               f"{self.succeeded} succeeded, {self.failed} failed, {self.throttled} throttled; "
               f"{envs} environment{'s' if envs != 1 else ''}, "
               f"{cold} cold start{'s' if cold != 1 else ''}")  # fmt: skip
        if self.p50_ms is not None and self.max_ms is not None:
            out += f"; Duration p50 {fmt_ms(self.p50_ms)}, max {fmt_ms(self.max_ms)}"
        return out

    def html(self) -> str:
        """The batch as a row of figures (``data-*`` attributes carry the counts)."""
        why = f" ({', '.join(self.reasons)})" if self.reasons else ""
        figures = [
            stat("succeeded", self.succeeded, "succeeded", "returned a response", OK),
            stat("failed", self.failed, "failed", "function errors and timeouts",
                 ERROR if self.failed else MUTED),
            stat("throttled", self.throttled, "throttled",
                 f"refused with TooManyRequestsException, nothing ran{why}",
                 THROTTLED_COLOR if self.throttled else MUTED),
            stat("environments", self.environments, "environments",
                 "distinct execution environments that served the batch"),
            stat("cold-starts", self.cold_starts, "cold starts", "invocations that ran Init first"),
            stat("p50", fmt_ms(self.p50_ms), "Duration p50", "median REPORT Duration"),
            stat("max", fmt_ms(self.max_ms), "Duration max", "longest REPORT Duration"),
            stat("wall", f"{self.seconds:.2f} s", "in all", "wall-clock time of the whole batch"),
        ]  # fmt: skip
        color = OK if self.all_ok else (THROTTLED_COLOR if self.throttled else ERROR)
        title = (f'<div style="font-size:13px;margin-bottom:3px"><b style="color:{color}">'
                 f"Invoke \u00d7{self.invocations}</b> <span style=\"color:{MUTED};"
                 f'font-size:11.5px">{self.invocations} invocations at once (concurrency '
                 f"{self.concurrency}); the last result is below</span></div>")  # fmt: skip
        return (f'<div class="lm-batch" data-invocations="{self.invocations}" '
                f'data-succeeded="{self.succeeded}" data-failed="{self.failed}" '
                f'data-throttled="{self.throttled}" data-environments="{self.environments}" '
                f'data-cold-starts="{self.cold_starts}" style="margin-bottom:4px">{title}'
                f'{"".join(figures)}</div>')  # fmt: skip
