"""Build the tutorial notebooks from their sources in tools/notebooks/*.py and run them.

Each source is plain Python with cells separated by ``# %%`` (code) and ``# %% [markdown]``
lines, the "percent" format editors understand; ``# %% tags=a,b`` gives a code cell tags, and
the tag ``solution`` also collapses the cell's source in JupyterLab (an exercise's solution).
Running them with a real kernel stores the outputs readers see on GitHub and that
``pytest --nbval`` compares against, and the widgets' state, so that the control panel
renders on GitHub and nbviewer. tools/notebooks/README.md says what every tutorial contains.

    python tools/build_notebooks.py            # every notebook
    python tools/build_notebooks.py 01         # the ones whose name starts with 01
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "notebooks"
TARGET = ROOT / "notebooks"


def parse(text: str) -> nbformat.NotebookNode:
    """Turn a percent-format source into a notebook."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    chunks = re.split(r"^# %%(.*)$", text, flags=re.M)
    for header, body in zip(chunks[1::2], chunks[2::2]):
        body = body.strip("\n")
        if "[markdown]" in header:
            lines = [
                line[2:] if line.startswith("# ") else line.lstrip("#")
                for line in body.splitlines()
            ]
            nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
        else:
            cell = nbformat.v4.new_code_cell(body)
            tags = re.findall(r"tags=(\S+)", header)
            if tags:
                cell.metadata["tags"] = tags[0].split(",")
                if "solution" in cell.metadata["tags"]:
                    cell.metadata["jupyter"] = {"source_hidden": True}
            nb.cells.append(cell)
    return nb


#: Run after the last cell, then removed: waits for the control panels' last repaint (they
#: repaint at most every 0.1 s, on a timer thread) and prints the kernel's widget state.
SETTLE = """\
import json, time
import ipywidgets
time.sleep(0.5)
print(json.dumps(ipywidgets.Widget.get_manager_state(drop_defaults=True)["state"]))
"""


def save_widget_state(nb: nbformat.NotebookNode, settle: nbformat.NotebookNode) -> None:
    """Store every live widget's final state in the notebook's metadata.

    nbclient records the widget messages it sees while a cell runs; a panel repainted from a
    timer thread after its cell ended would be saved one picture late. So one more cell (the
    ``settle`` cell, already run) asked the kernel for the state of its widgets, which is the
    truth: it overwrites the recorded state (widgets already closed keep what was recorded).
    """
    text = "".join(o.get("text", "") for o in settle.outputs if o.output_type == "stream")
    state = json.loads(text)
    if state:
        saved = nb.metadata.setdefault("widgets", {}).setdefault(
            "application/vnd.jupyter.widget-state+json",
            {"version_major": 2, "version_minor": 0, "state": {}},
        )
        saved["state"].update(state)


def run_time(nb: nbformat.NotebookNode) -> float:
    """Seconds from the first cell's start to the last cell's end (nbclient's timestamps)."""
    stamps = [
        datetime.fromisoformat(cell.metadata["execution"][key].replace("Z", "+00:00"))
        for cell in nb.cells
        if cell.cell_type == "code"
        for key in ("iopub.execute_input", "shell.execute_reply")
    ]
    return (max(stamps) - min(stamps)).total_seconds()


def build(source: Path) -> tuple[Path, float]:
    """Execute one notebook in notebooks/ (its working directory) and save it; return where
    and how long its cells took to run."""
    nb = parse(source.read_text())
    settle = nbformat.v4.new_code_cell(SETTLE)
    nb.cells.append(settle)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   store_widget_state=True,
                   resources={"metadata": {"path": str(TARGET)}}).execute()  # fmt: skip
    nb.cells.pop()
    save_widget_state(nb, settle)
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            raise SystemExit(f"{source.name}: a cell failed:\n{cell.source}\n{errors[0].evalue}")
    target = TARGET / (source.stem + ".ipynb")
    nbformat.write(nb, target)
    return target, run_time(nb)


def main(argv: list[str]) -> None:
    prefix = argv[1] if len(argv) > 1 else ""
    for source in sorted(SOURCES.glob(f"{prefix}*.py")):
        target, took = build(source)
        print(f"built {target.relative_to(ROOT)}: its cells ran in {took:.1f} s")


if __name__ == "__main__":
    main(sys.argv)
