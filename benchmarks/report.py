"""Turn raw benchmark results into table rows, target verdicts and Markdown."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any

from stats import percentile


@dataclass
class Row:
    """One line of the results table (times in ms unless ``unit`` says otherwise)."""

    figure: str
    p50: float | None
    p99: float | None = None
    n: int | None = None
    unit: str = "ms"
    note: str = ""


@dataclass
class Target:
    """A goal from the issue, and whether this run met it."""

    name: str
    goal: str
    measured: str
    met: bool


def _dist(figure: str, samples: list[float], note: str = "") -> Row:
    return Row(figure, percentile(samples, 50), percentile(samples, 99), len(samples), note=note)


def _median_of(items: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(item[key]) for item in items))


def _round_diffs(round_p50: dict[str, list[float]]) -> str:
    diffs = [a - b for a, b in zip(round_p50["freeze_on"], round_p50["freeze_off"])]
    return "per round: " + ", ".join(f"{d * 1000:+.0f} us" for d in diffs)


def _cpu_rows(cpu: dict[str, dict[str, float]]) -> list[Row]:
    return [Row(f"  CPU per warm invoke, {mode.replace('_', ' ')}", use["host"] / 1000 + use["runtime"] / 1000,
                note=f"host {use['host']:.0f} us + runtime {use['runtime']:.0f} us")
            for mode, use in cpu.items()]  # fmt: skip


def invoke_rows(raw: dict[str, Any]) -> list[Row]:
    """Warm invokes, the freeze/thaw cost, and the cross-process baselines."""
    warm = raw["warm"]["samples_ms"]
    on, off = percentile(warm["freeze_on"], 50), percentile(warm["freeze_off"], 50)
    base = raw["baselines"]
    return [
        _dist("Warm invoke, freeze on (default)", warm["freeze_on"], "1 KB event, no-op handler"),
        _dist("Warm invoke, freeze off", warm["freeze_off"]),
        Row(
            "Freeze/thaw cost (p50 on - p50 off)",
            on - off,
            note=_round_diffs(raw["warm"]["round_p50_ms"]),
        ),
        *_cpu_rows(raw["warm"]["cpu_us_per_invoke"]),
        _dist("python-lambda-local call", base["lambda_local_ms"], "new process per call"),
        _dist("Raw pipe echo round trip", base["pipe_ms"], "1 KB framed, 2 Python processes"),
        _dist("Raw loopback TCP echo round trip", base["tcp_ms"], "TCP_NODELAY"),
    ]


def cold_rows(raw: dict[str, Any]) -> list[Row]:
    """Cold starts, what lambda_magic reports as Init Duration, and interpreter starts."""
    cold = raw["cold"]
    wall, init, req = cold["wall_ms"], cold["init_duration_ms"], cold["manager_request_ms"]
    idle = f"after {cold['idle_s'] * 1000:.0f} ms idle"
    rows = [
        _dist("Cold start: reset + invoke", wall["reset_idle"], idle),
        _dist("Cold start: reset + invoke, back to back", wall["reset_back_to_back"], "no idle gap"),
        _dist("Cold start: new LambdaFunction + invoke", wall["fresh_idle"], idle),
        _dist("  Init Duration reported (reset, idle)", init["reset_idle"]),
        _dist("  Init Duration reported (back to back)", init["reset_back_to_back"]),
        _dist("  manager 'spawn' request (reset, idle)", req["reset_idle"]["spawn"],
              "runtime process (spare or new fork) until it is ready"),
        _dist("  manager 'spawn' request (back to back)", req["reset_back_to_back"]["spawn"]),
        _dist("  manager 'create' request (reset, idle)", req["reset_idle"]["create"], "sandbox cgroups"),
        _dist("python -c pass", wall["python_c_pass"], idle),
        _dist("python -S -c pass", wall["python_S_c_pass"], idle),
    ]  # fmt: skip
    starts = raw["manager_start"]
    rows.append(Row("Sandbox manager one-time start", _median_of(starts, "start_ms"), None,
                    len(starts), note="first get_manager(), fresh process, median"))  # fmt: skip
    rows.append(Row("import lambda_magic.platform.sandbox.client", _median_of(starts, "import_ms"), None,
                    len(starts), note="fresh process, median"))  # fmt: skip
    return rows


def memory_rows(raw: dict[str, Any]) -> list[Row]:
    """Idle environment and manager memory (MiB)."""
    envs, manager, host = (
        raw["memory"]["idle_environment"],
        raw["memory"]["manager"],
        raw["memory"]["host"],
    )
    procs = max(e["processes"] for e in envs)
    rows = [Row(f"Idle (frozen) environment {k.upper()}", _median_of(envs, k), None, len(envs), "MiB",
                f"{procs} process(es), median" if k == "rss" else "")
            for k in ("rss", "uss", "pss")]  # fmt: skip
    rows += [Row(f"Sandbox manager {k.upper()}", manager[k], unit="MiB") for k in ("rss", "uss")]
    rows.append(
        Row("Host (this benchmark process) RSS", host["rss"], unit="MiB", note="for context")
    )
    return rows


def scaling_rows(raw: dict[str, Any]) -> list[Row]:
    """Environments alive at once, a 100 ms wave at concurrency 10, invoke_many throughput."""
    scale = raw["scaling"]
    alive, wave, rate = scale["alive"], scale["wave"], scale["throughput"]
    return [
        Row("Environments alive at once", alive["alive"], unit="envs",
            note=f"{alive['requested']} started together; {alive['rss_mib_total']:.0f} MiB RSS in all"),
        Row("20 x 100 ms handler at concurrency 10 (warm)", percentile(wave["wall_s"], 50),
            percentile(wave["wall_s"], 99), len(wave["wall_s"]), "s", "wall time of the batch"),
        Row("invoke_many, no-op handler", percentile(rate["per_second"], 50), None,
            len(rate["per_second"]), "inv/s", f"{rate['count']} invocations, concurrency {rate['concurrency']}"),
    ]  # fmt: skip


def targets(raw: dict[str, Any]) -> list[Target]:
    """The issue's targets, each met or missed in this run."""
    warm = raw["warm"]["samples_ms"]
    on = percentile(warm["freeze_on"], 50)
    off = percentile(warm["freeze_off"], 50)
    local = percentile(raw["baselines"]["lambda_local_ms"], 50)
    wall = raw["cold"]["wall_ms"]
    python = percentile(wall["python_c_pass"], 50)
    rss = _median_of(raw["memory"]["idle_environment"], "rss")
    found = [
        Target("Warm invoke p50 (freeze on)", "<= 0.5 ms", f"{on:.3f} ms", on <= 0.5),
        Target("Warm invoke p50 (freeze off)", "<= 0.5 ms", f"{off:.3f} ms", off <= 0.5),
        Target("Speed-up over python-lambda-local (p50)", ">= 10x", f"{local / on:.1f}x", local / on >= 10),
    ]  # fmt: skip
    for kind, label in (("reset_idle", "reset + invoke, idle"), ("reset_back_to_back", "back to back"),
                        ("fresh_idle", "new function, idle")):  # fmt: skip
        ratio = percentile(wall[kind], 50) / python
        found.append(Target(f"Cold start ({label}) / python -c pass", "<= 1.5x",
                            f"{ratio:.2f}x", ratio <= 1.5))  # fmt: skip
    found.append(Target("Idle environment RSS", "<= 20 MiB", f"{rss:.1f} MiB", rss <= 20))
    scale = raw["scaling"]
    alive, wave = scale["alive"]["alive"], percentile(scale["wave"]["wall_s"], 50)
    rate = percentile(scale["throughput"]["per_second"], 50)
    found += [
        Target("Environments alive at once", ">= 20", f"{alive}", alive >= 20),
        Target("20 x 100 ms at concurrency 10", "<= 0.35 s", f"{wave:.3f} s", wave <= 0.35),
        Target("invoke_many no-op throughput", ">= 1000/s", f"{rate:.0f}/s", rate >= 1000),
    ]  # fmt: skip
    return found


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    digits = 3 if unit == "ms" and abs(value) < 10 else 1
    return f"{value:.{digits}f}"


def markdown(rows: list[Row], verdicts: list[Target], machine: dict[str, Any], stamp: str) -> str:
    """The results table and the target verdicts as Markdown."""
    lines = [
        (
            f"Measured {stamp} on {machine['cpu_model']}, {machine['logical_cores']} cores, "
            f"kernel {machine['kernel']}, Python {machine['python']}."
        ),
        "",
        "| Figure | p50 | p99 | n | unit | note |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.figure} | {_fmt(r.p50, r.unit)} | {_fmt(r.p99, r.unit)} | "
                     f"{r.n if r.n is not None else ''} | {r.unit} | {r.note} |")  # fmt: skip
    lines += ["", "| Target | goal | measured | status |", "|---|---|---|---|"]
    for t in verdicts:
        lines.append(f"| {t.name} | {t.goal} | {t.measured} | {'met' if t.met else '**MISSED**'} |")
    return "\n".join(lines) + "\n"


def as_json(rows: list[Row], verdicts: list[Target]) -> dict[str, Any]:
    """Rows and verdicts as plain data for results.json."""
    return {"rows": [asdict(r) for r in rows], "targets": [asdict(t) for t in verdicts]}
