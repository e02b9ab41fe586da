"""The tutorials teach: each has objectives, predict-then-run prompts, exercises with executed
solutions and a link to "Lambda vs. here"; links resolve; the README lists every one
(tools/notebooks/README.md is the standard these check)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = ROOT / "tools" / "notebooks"
NAMES = sorted(p.stem for p in SOURCES.glob("[0-9][0-9]-*.py"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_every_source_is_built_and_every_notebook_has_a_source() -> None:
    assert NAMES, "no tutorial sources found"
    built = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert built == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_opening_cell_states_objectives_time_and_the_caveats(name: str) -> None:
    first = load(name).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    objectives = first.source.split("**You will learn to**", 1)
    assert len(objectives) == 2, "no learning objectives"
    assert len(re.findall(r"^- ", objectives[1], re.M)) >= 3, "fewer than three objectives"
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", first.source)
    if name != "01-quickstart":
        assert "(01-quickstart.ipynb#lambda-vs-here)" in first.source


@pytest.mark.parametrize("name", NAMES)
def test_at_least_two_predict_prompts_each_before_a_code_cell(name: str) -> None:
    cells = load(name).cells
    prompts = [
        i for i, c in enumerate(cells) if c.cell_type == "markdown" and "**Predict:**" in c.source
    ]
    assert len(prompts) >= 2
    for i in prompts:
        assert cells[i + 1].cell_type == "code", cells[i].source[:80]


def _sections(
    nb: nbformat.NotebookNode, level: str, word: str
) -> dict[int, list[nbformat.NotebookNode]]:
    """The cells under each ``### <word> N`` heading (up to the next heading of that level)."""
    found: dict[int, list[nbformat.NotebookNode]] = {}
    current: int | None = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = re.findall(rf"^{level} (\w+) (\d+)", cell.source, re.M)
            if heads or re.search(r"^#{1,3} ", cell.source, re.M):
                current = None
            for kind, number in heads:
                if kind == word:
                    current = int(number)
                    found[current] = []
        elif current is not None:
            found[current].append(cell)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_exercises_have_executed_collapsed_solutions(name: str) -> None:
    nb = load(name)
    text = markdown(nb)
    assert "\n## Exercises" in text and "\n## Solutions" in text
    assert text.index("\n## Exercises") < text.index("\n## Solutions")
    exercises = _sections(nb, "###", "Exercise")
    solutions = _sections(nb, "###", "Solution")
    assert len(exercises) >= 2 and sorted(solutions) == sorted(exercises)
    for number, cells in solutions.items():
        code = [c for c in cells if c.cell_type == "code"]
        assert code, f"solution {number} has no code"
        for cell in code:
            assert "solution" in cell.metadata.get("tags", [])
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
            assert cell.execution_count is not None, f"solution {number} was not run"
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            assert any(cell in cells for cells in solutions.values())


@pytest.mark.parametrize("name", NAMES)
def test_every_code_cell_ran_and_the_run_took_under_a_minute(name: str) -> None:
    code = [c for c in load(name).cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "rebuild: a cell has no output"
    stamps = [
        datetime.fromisoformat(c.metadata["execution"][key].replace("Z", "+00:00"))
        for c in code
        for key in ("iopub.execute_input", "shell.execute_reply")
    ]
    assert (max(stamps) - min(stamps)).total_seconds() < 60


def _anchors(name: str) -> set[str]:
    return set(re.findall(r'<a id="([\w-]+)"></a>', markdown(load(name))))


@pytest.mark.parametrize("name", NAMES)
def test_links_between_tutorials_resolve(name: str) -> None:
    text = markdown(load(name))
    links = re.findall(r"\]\(((?:\d\d-[\w-]+\.ipynb)?)(?:#([\w-]+))?\)", text)
    assert links
    for target, anchor in links:
        target_name = target.removesuffix(".ipynb") or name
        assert target_name in NAMES, f"{name} links to a missing notebook {target}"
        if anchor:
            assert anchor in _anchors(target_name), f"{name} links to {target}#{anchor}"


def test_the_lambda_vs_here_table_and_the_course_map() -> None:
    quickstart = markdown(load("01-quickstart"))
    table = quickstart.split('<a id="lambda-vs-here"></a>', 1)[1].split("\n## 6", 1)[0]
    for row in ("Init Duration", "Max Memory Used", "CPU", "File paths", "Shutdown"):
        assert f"| **{row}** |" in table
    scaling = markdown(load("06-scaling"))
    course_map = scaling.split('<a id="course-map"></a>', 1)[1].split("\n## ", 2)[1]
    linked = set(re.findall(r"\]\((\d\d-[\w-]+)\.ipynb#", course_map))
    assert linked == set(NAMES) - {"06-scaling"}  # every other tutorial has a place in it
    for later in ("durable functions", "extensions"):
        assert f"tutorial on {later}" in course_map


@pytest.mark.parametrize("name", ["01-quickstart", "03-lifecycle"])
def test_the_control_panel_is_shown_with_its_saved_state(name: str) -> None:
    nb = load(name)
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    views = [o.data[WIDGET_VIEW]["model_id"] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if WIDGET_VIEW in o.get("data", {})]  # fmt: skip
    panels = [v for v in views if state[v]["state"].get("_dom_classes") == ["lm-panel"]]
    assert panels, "no control panel"
    for panel in panels:  # the whole tree of the panel's widgets is saved
        pending = [panel]
        while pending:
            model_id = pending.pop()
            assert model_id in state, f"the state of a widget of the panel is missing: {model_id}"
            children = state[model_id]["state"].get("children", [])
            pending += [child.removeprefix("IPY_MODEL_") for child in children]


def test_the_readme_table_lists_every_tutorial_with_what_it_teaches_and_its_time() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Tutorials\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| [")]
    listed = [re.match(r"\| \[([\w-]+)\]\(notebooks/\1\.ipynb\)", row) for row in rows]
    assert [m.group(1) for m in listed if m] == NAMES
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and len(cells[1]) > 40, row
        assert re.fullmatch(r"about \d+ min \(runs in about \d+ s\)", cells[2]), row
