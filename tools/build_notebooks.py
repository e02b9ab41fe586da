"""Build the tutorial notebooks from their sources in tools/notebooks/*.py and run them.

Each source is plain Python with cells separated by ``# %%`` (code) and ``# %% [markdown]``
lines, the "percent" format editors understand. Running them with a real kernel stores the
outputs readers see on GitHub and that ``pytest --nbval`` compares against.

    python tools/build_notebooks.py            # every notebook
    python tools/build_notebooks.py 01         # the ones whose name starts with 01
"""

from __future__ import annotations

import re
import sys
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
            nb.cells.append(cell)
    return nb


def build(source: Path) -> Path:
    """Execute one notebook in notebooks/ (its working directory) and save it."""
    nb = parse(source.read_text())
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(TARGET)}}).execute()  # fmt: skip
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            raise SystemExit(f"{source.name}: a cell failed:\n{cell.source}\n{errors[0].evalue}")
    target = TARGET / (source.stem + ".ipynb")
    nbformat.write(nb, target)
    return target


def main(argv: list[str]) -> None:
    prefix = argv[1] if len(argv) > 1 else ""
    for source in sorted(SOURCES.glob(f"{prefix}*.py")):
        print("built", build(source).relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv)
