"""The benchmarks' arithmetic: each target of the performance issue against its goal, and the
committed results.json's summary is what its raw samples give (nothing here times anything)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> dict[str, ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return {name: importlib.import_module(name) for name in ("targets", "report")}
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_goals_compare_at_most_and_at_least(bench) -> None:
    goal = bench["targets"].Goal
    assert goal(2.5, "x").met(2.5) and not goal(2.5, "x").met(2.51)
    at_least = goal(3000, "/s", at_most=False)
    assert at_least.met(3000) and not at_least.met(2999)
    assert str(goal(2.5, "x")) == "≤ 2.5x"
    assert str(goal(3000, "/s", at_most=False)) == "≥ 3,000/s"
    assert str(goal(400, "MiB")) == "≤ 400 MiB"


def test_the_warm_target_is_the_ratio_of_the_medians(bench) -> None:
    warm = {"samples_ms": {"freeze_on": [0.3, 0.2, 9.0], "tcp": [0.1, 0.1, 5.0]}}
    target = bench["targets"].warm_target(warm)
    assert target.value == pytest.approx(3.0) and target.ratio == pytest.approx(3.0)
    assert not target.met  # 3x > 2.5x
    warm["samples_ms"]["tcp"] = [0.11, 0.12, 0.13]
    assert bench["targets"].warm_target(warm).met  # 0.3 / 0.12 = 2.5x


def test_the_kernel_target_subtracts_the_invoke_in_the_kernel(bench) -> None:
    kernel = {"samples_ms": {"magic_cell": [9.0, 10.0, 11.0], "invoke_in_kernel": [1.0, 1.5, 2.0],
                             "pass_cell": [4.0, 5.0, 6.0]}}  # fmt: skip
    target = bench["targets"].kernel_target(kernel)
    assert target.value == pytest.approx(8.5)
    assert target.ratio == pytest.approx(8.5 / 5.0)
    assert not target.met


def test_the_committed_results_summary_matches_its_raw_samples(bench) -> None:
    document = json.loads((BENCHMARKS / "results.json").read_text())
    raw = document["raw"]
    found = bench["targets"].targets(raw)
    stored = document["summary"]["targets"]
    assert [t.figure for t in found] == [t["figure"] for t in stored]
    assert len(found) == 8
    for mine, theirs in zip(found, stored):  # results.json keeps its samples rounded
        assert mine.value == pytest.approx(theirs["value"], rel=1e-2), mine.figure
        assert str(mine.goal) == theirs["goal"]
    rows = bench["report"].rows(raw)
    assert [r.figure for r in rows] == [r["figure"] for r in document["summary"]["rows"]]
