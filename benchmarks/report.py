"""Turn raw benchmark results into context rows and Markdown (the targets are in targets.py)."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any

from stats import percentile
from targets import Target, p50


@dataclass
class Row:
    """One line of the context table (times in ms unless ``unit`` says otherwise)."""

    figure: str
    p50: float | None
    p99: float | None = None
    n: int | None = None
    unit: str = "ms"
    note: str = ""


def _dist(figure: str, samples: list[float], note: str = "", unit: str = "ms") -> Row:
    return Row(figure, percentile(samples, 50), percentile(samples, 99), len(samples), unit, note)


def _median_of(items: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(item[key]) for item in items))


def _round_diffs(round_p50: dict[str, list[float]]) -> str:
    diffs = [a - b for a, b in zip(round_p50["freeze_on"], round_p50["freeze_off"])]
    return "per round: " + ", ".join(f"{d * 1000:+.0f} us" for d in diffs)


def invoke_rows(raw: dict[str, Any]) -> list[Row]:
    """Warm invokes, the freeze/thaw cost, CPU, and the cross-process baselines."""
    warm = raw["warm"]
    s, cpu = warm["samples_ms"], warm["cpu_us"]
    local = raw["lambda_local_ms"]
    return [
        _dist("Warm invoke, freeze on (default)", s["freeze_on"], "1 KB event, no-op handler"),
        _dist("Warm invoke, freeze off", s["freeze_off"]),
        Row("Freeze/thaw cost (p50 on - p50 off)", p50(s["freeze_on"]) - p50(s["freeze_off"]),
            note=_round_diffs(warm["round_p50_ms"])),
        *[Row(f"  CPU per warm invoke, {mode.replace('_', ' ')}",
              (cpu[mode]["caller"] + cpu[mode]["other"]) / 1000,
              note=f"caller {cpu[mode]['caller']:.0f} us + runtime {cpu[mode]['other']:.0f} us")
          for mode in ("freeze_on", "freeze_off")],
        _dist("Raw loopback TCP echo round trip", s["tcp"], "1 KB framed, TCP_NODELAY"),
        Row("  CPU per TCP echo round trip", (cpu["tcp"]["caller"] + cpu["tcp"]["other"]) / 1000,
            note=f"caller {cpu['tcp']['caller']:.0f} us + echo {cpu['tcp']['other']:.0f} us"),
        _dist("Raw pipe echo round trip", s["pipe"], "1 KB framed, 2 Python processes"),
        _dist("python-lambda-local call", local,
              f"new process per call; {p50(local) / p50(s['freeze_on']):.1f}x the warm p50"),
    ]  # fmt: skip


def cold_rows(raw: dict[str, Any]) -> list[Row]:
    """Cold starts, what lambda_magic reports as Init Duration, and interpreter starts."""
    cold = raw["cold"]
    wall, init, req = cold["wall_ms"], cold["init_duration_ms"], cold["manager_request_ms"]
    idle = f"after {cold['idle_s'] * 1000:.0f} ms idle"
    python = p50(wall["python_c_pass"])
    rows = [
        _dist("Cold start: new LambdaFunction + invoke, back to back", wall["fresh_back_to_back"],
              f"no idle gap; {p50(wall['fresh_back_to_back']) / python:.2f}x python -c pass"),
        _dist("Cold start: reset + invoke", wall["reset_idle"],
              f"{idle} (a spare is ready); {p50(wall['reset_idle']) / python:.2f}x python -c pass"),
        _dist("  Init Duration reported (back to back)", init["fresh_back_to_back"]),
        _dist("  Init Duration reported (reset, idle)", init["reset_idle"]),
        _dist("  manager 'spawn' request (back to back)", req["fresh_back_to_back"].get("spawn", []),
              "runtime process (a new fork) until it is ready"),
        _dist("  manager 'spawn' request (reset, idle)", req["reset_idle"].get("spawn", []),
              "the spare, handed its settings"),
        _dist("  manager 'create' request (back to back)", req["fresh_back_to_back"].get("create", []),
              "sandbox cgroups"),
        _dist("python -c pass", wall["python_c_pass"], "back to back, a clean virtualenv"),
        _dist("  python -c pass, the project's virtualenv", wall["python_c_pass_venv"],
              "back to back; lambda_magic's editable install hook runs in every start"),
        _dist("  python -S -c pass", wall["python_S_c_pass"], "back to back"),
    ]  # fmt: skip
    starts = raw["manager_start"]
    rows.append(Row("Sandbox manager one-time start", _median_of(starts, "start_ms"), None,
                    len(starts), note="first get_manager(), fresh process, median"))  # fmt: skip
    rows.append(Row("import lambda_magic.platform.sandbox.client", _median_of(starts, "import_ms"),
                    None, len(starts), note="fresh process, median"))  # fmt: skip
    return rows


def memory_rows(raw: dict[str, Any]) -> list[Row]:
    """Idle environments, many at once, the manager and the caller (MiB)."""
    mem = raw["memory"]
    envs, many = mem["idle_environment"], mem["many"]
    alive, total, bare = many["alive"], many["environments"], many["bare_interpreters"]
    rows = [Row(f"Idle (frozen) environment {k.upper()}", _median_of(envs, k), None, len(envs), "MiB",
                "median of one at a time" if k == "rss" else "")
            for k in ("rss", "uss", "pss")]  # fmt: skip
    rows += [
        Row(f"{many['requested']} environments alive at once: total {k.upper()}", total[k],
            unit="MiB", note=f"{alive} alive, {total['processes']:.0f} processes; "
            f"{total[k] / max(alive, 1):.2f} MiB each")
        for k in ("uss", "pss", "rss")
    ]  # fmt: skip
    rows += [
        Row(f"  {many['requested']} bare `python -S` interpreters: total USS", bare["uss"],
            unit="MiB", note=f"{bare['uss'] / many['requested']:.2f} MiB each (baseline)"),
        Row(f"  time to start the {many['requested']} environments", many["start_wall_s"],
            unit="s", note=f"invoke_many of as many sleeps, all at once ({many['batches']} batch(es))"),
        Row("Sandbox manager RSS / USS", mem["manager"]["rss"], unit="MiB",
            note=f"USS {mem['manager']['uss']:.1f} MiB; with {alive} environments alive: "
            f"USS {many['manager']['uss']:.1f} MiB"),
        Row("Caller (this benchmark process) RSS", mem["host"]["rss"], unit="MiB", note="for context"),
    ]  # fmt: skip
    return rows


def scaling_rows(raw: dict[str, Any]) -> list[Row]:
    """invoke_many throughput and the 100 ms wave, each beside its floor."""
    rate, wave = raw["scaling"]["throughput"], raw["scaling"]["wave"]
    c = rate["concurrency"]
    return [
        _dist("invoke_many, no-op handler", rate["per_second"],
              f"{rate['count']} invocations, concurrency {c}", "inv/s"),
        _dist(f"  loopback TCP echo, {c} threads x {c} echo processes", rate["echo_per_second"],
              f"{rate['count']} round trips", "rt/s"),
        _dist(f"{wave['count']} x {wave['sleep_s'] * 1000:.0f} ms handler at concurrency "
              f"{wave['concurrency']} (warm)", wave["wall_s"],
              f"wall time of the batch; {wave['environments']} environments", "s"),
        _dist(f"  {wave['count']} sleeps through {wave['concurrency']} threads",
              wave["threads_wall_s"], f"ideal {wave['ideal_s']:.2f} s", "s"),
    ]  # fmt: skip


def kernel_rows(raw: dict[str, Any]) -> list[Row]:
    """The notebook's share of an invocation."""
    k = raw["kernel"]
    s = k["samples_ms"]
    return [
        _dist("`%lambda_invoke` cell round trip", s["magic_cell"], "1 KB event, panel and logs on"),
        _dist("  fn.invoke inside the kernel", s["invoke_in_kernel"]),
        _dist("  `pass` cell round trip", s["pass_cell"], "the kernel's own floor"),
        Row("  what the magic adds beyond both (p50s)",
            p50(s["magic_cell"]) - p50(s["invoke_in_kernel"]) - p50(s["pass_cell"]),
            note="cell - invoke - pass cell"),
        Row("  kernel start", k["kernel_start_s"], unit="s", note="jupyter_client, until ready"),
    ]  # fmt: skip


def rows(raw: dict[str, Any]) -> list[Row]:
    """Every context row."""
    return (invoke_rows(raw) + cold_rows(raw) + memory_rows(raw) + scaling_rows(raw)
            + kernel_rows(raw))  # fmt: skip


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("inv/s", "rt/s"):
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:.3f}"
    digits = 3 if unit == "ms" and abs(value) < 10 else 1
    return f"{value:.{digits}f}"


def markdown(
    context: list[Row], verdicts: list[Target], machine: dict[str, Any], stamp: str, load: str
) -> str:
    """The targets and the context rows as Markdown."""
    lines = [
        f"Measured {stamp} on {machine['cpu_model']}, {machine['logical_cores']} cores, "
        f"kernel {machine['kernel']}, Python {machine['python']}; {load}.",
        "",
        "| Figure | measured | baseline (same run) | ratio | target | status |",
        "|---|---|---|---:|---|---|",
    ]
    for t in verdicts:
        ratio = f"{t.ratio:.2f}x" if t.ratio is not None else ""
        status = "met" if t.met else "**missed**"
        lines.append(
            f"| {t.figure} | {t.measured} | {t.baseline} | {ratio} | {t.goal} | {status} |"
        )
    lines += ["", "| Context | p50 | p99 | n | unit | note |", "|---|---:|---:|---:|---|---|"]
    for r in context:
        lines.append(f"| {r.figure} | {_fmt(r.p50, r.unit)} | {_fmt(r.p99, r.unit)} | "
                     f"{r.n if r.n is not None else ''} | {r.unit} | {r.note} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def as_json(context: list[Row], verdicts: list[Target]) -> dict[str, Any]:
    """Targets and rows as plain data for results.json."""
    found = []
    for t in verdicts:
        item = asdict(t)
        item["goal"] = str(t.goal)
        found.append(item)
    return {"targets": found, "rows": [asdict(r) for r in context]}
