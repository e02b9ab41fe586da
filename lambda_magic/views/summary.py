"""Plain-text and header views of a function for the panel (what nbconvert and nbval see)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lambda_magic.views.html import MUTED, esc, figures
from lambda_magic.views.state import EnvSnapshot

if TYPE_CHECKING:
    from lambda_magic.api.batch import BatchSummary
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.engine.result import InvocationResult
    from lambda_magic.views.pool import PoolFigures


def config_line(fn: LambdaFunction) -> str:
    """``hello (revision 1): lambda_function.lambda_handler, 256 MB, 3 s timeout, freeze on``."""
    cfg = fn.config
    return (
        f"{cfg.name} (revision {fn.revision}): {cfg.handler}, {cfg.memory_size} MB, "
        f"{cfg.timeout} s timeout, /tmp {cfg.ephemeral_storage} MB, "
        f"freeze {'on' if cfg.freeze else 'off'}"
    )


def alias_text(alias: object) -> str:
    """``live -> 1`` or ``live -> 1 (90%), 2 (10%)``."""
    name, version = getattr(alias, "name", ""), getattr(alias, "version", "")
    routing: dict[str, float] = dict(getattr(alias, "routing", {}) or {})
    if not routing:
        return f"{name} -> {version}"
    parts = [f"{version} ({(1 - sum(routing.values())) * 100:.0f}%)"]
    parts += [f"{v} ({w * 100:.0f}%)" for v, w in routing.items()]
    return f"{name} -> {', '.join(parts)}"


def versions_line(fn: LambdaFunction) -> str | None:
    """``versions 1, 2; aliases live -> 2`` (None when nothing was published)."""
    versions = getattr(fn, "versions", None)
    if versions is None or not (len(versions) or versions.aliases):
        return None
    text = f"versions {', '.join(versions) or 'none'}"
    if versions.aliases:
        text += "; aliases " + ", ".join(alias_text(a) for a in versions.aliases.values())
    if versions.provisioned:
        text += "; provisioned " + ", ".join(f"{q}: {n}" for q, n in versions.provisioned.items())
    return text


def header_html(fn: LambdaFunction, endpoint: str | None = None) -> str:
    """The panel's title line (with versions and aliases, and the Lambda API serving it)."""
    cfg = fn.config
    rest = config_line(fn).split(": ", 1)[1]
    extra = [t for t in (versions_line(fn), endpoint and f"Lambda API {endpoint}") if t]
    more = "".join(f"<br>{esc(t)}" for t in extra)
    return (
        f'<div class="lm-header" style="font-size:14px;margin-bottom:4px">'
        f'<b>\u03bb {esc(cfg.name)}</b> <span style="color:{MUTED};font-size:12px">'
        f"revision {fn.revision} \u00b7 {esc(rest.replace(', ', ' · '))}{more}</span></div>"
    )


def result_line(result: InvocationResult) -> str:
    """``success, warm start; Duration 0.18 ms, Billed Duration 1 ms, Max Memory Used 13 MB of 256 MB``."""
    what = result.status if result.ok else f"{result.status} {result.error_type}"
    start = "cold start" if result.cold_start else "warm start"
    return f"{what}, {start}; " + ", ".join(figures(result.report, tmp=False))


#: Up to this many environments are listed by name in the text summary; more are counted.
LISTED_ENVIRONMENTS = 6


def environments_line(snaps: Sequence[EnvSnapshot]) -> str:
    """``env-1 Frozen, env-2 Frozen (provisioned)``, or ``12 (10 Frozen, 2 Idle)`` for many."""
    if len(snaps) <= LISTED_ENVIRONMENTS:
        return ", ".join(
            f"{s.id} {s.state.value}" + (" (provisioned)" if s.provisioned else "") for s in snaps
        )
    counts = Counter(s.state.value for s in snaps)
    return f"{len(snaps)} (" + ", ".join(f"{n} {label}" for label, n in counts.items()) + ")"


def summary_text(
    fn: LambdaFunction,
    snaps: Sequence[EnvSnapshot],
    results: Sequence[InvocationResult],
    action: str = "",
    pool: PoolFigures | None = None,
    batch: BatchSummary | None = None,
    endpoint: str | None = None,
) -> str:
    """A short, stable plain-text summary of the panel.

    Volatile figures carry their units (``0.18 ms``, ``13 MB``) so that a sanitize pattern
    can mask them; request ids, process ids and wall-clock times are left out, and the pool's
    in-flight and queued counts appear only while they are not zero.
    """
    lines = [f"Lambda panel: {config_line(fn)}"]
    versions = versions_line(fn)
    if versions:
        lines.append(f"Versions: {versions}")
    if endpoint:
        lines.append(f"Lambda API: {endpoint}")
    if snaps:
        lines.append("Environments: " + environments_line(snaps))
    else:
        lines.append("Environments: none yet (the first invoke is a cold start)")
    if pool is not None:
        lines.append(f"Pool: {pool.text()}")
    if action:
        lines.append(f"Running: {action}")
    if results:
        cold = sum(1 for r in results if r.cold_start)
        lines.append(f"Last invocation: {result_line(results[-1])}")
        lines.append(f"Invocations: {len(results)} ({cold} cold start{'s' if cold != 1 else ''})")
    else:
        lines.append("Invocations: none yet")
    if batch is not None:
        lines.append(f"Last batch: {batch.text()}")
    return "\n".join(lines)
