"""Without a widget front end (nbclient, nbconvert, nbval) the panel is a stable text summary."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CELLS = [
    (
        "import lambda_magic\n"
        "fn = lambda_magic.LambdaFunction('hello', code='def lambda_handler(event, context):\\n"
        "    print(event)\\n    return event\\n', memory_size=256)"
    ),
    "p = lambda_magic.panel(fn)\np",
    "p.invoke({'name': 'Ada'})\np.wait()\np",
    "p.invoke()\np.wait()\np",
    "p.reset()\np.wait()\np",
    "p.invoke_many(3)\np.wait()\np",
    "p.editor.value = '{\"broken\": '\nprint(p.invoke(), p.message)",
    "p.close()\nfn.shutdown()\nprint(len(fn._observers))",
]

EXPECTED_LAST = [
    (
        "Lambda panel: hello (revision 1): lambda_function.lambda_handler, 256 MB, 3 s timeout, "
        "/tmp 512 MB, freeze on"
    ),
    "Environments: env-1 Shut down",
    "Pool: 0 live environments; throttles 0",
    (
        "Last invocation: success, warm start; Duration <MS>, Billed Duration <MS>, "
        "Max Memory Used <MEM> of <MEM>"
    ),
    "Invocations: 2 (1 cold start)",
]


def _plain(cell: nbformat.NotebookNode) -> str:
    (output,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert WIDGET_VIEW in output.data  # a front end would draw the widget
    return str(output.data["text/plain"])


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notebook, run once by nbclient in a real kernel (its outputs become references)."""
    folder = tmp_path_factory.mktemp("headless")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    path = folder / "panel.ipynb"
    nbformat.write(nb, path)
    return path


def test_each_display_is_a_readable_summary(executed: Path) -> None:
    cells = nbformat.read(executed, as_version=4).cells
    first = _plain(cells[1]).splitlines()
    assert first[1:] == [
        "Environments: none yet (the first invoke is a cold start)",
        "Pool: 0 live environments; throttles 0",
        "Invocations: none yet",
    ]
    cold = _plain(cells[2])
    assert "Environments: env-1 Frozen" in cold and "success, cold start" in cold
    assert (
        re.search(r"Init Duration \d+\.\d\d ms", cold) and "Invocations: 1 (1 cold start)" in cold
    )
    assert "warm start" in _plain(cells[3]) and "Invocations: 2 (1 cold start)" in _plain(cells[3])
    masked = re.sub(r"\d+(\.\d+)? ?ms\b", "<MS>", _plain(cells[4]))
    masked = re.sub(r"(?<=Used )\d+ MB of \d+ MB", "<MEM> of <MEM>", masked)
    assert masked.splitlines() == EXPECTED_LAST
    batch = re.sub(r"\d+(\.\d+)? ?ms\b", "<MS>", _plain(cells[5])).splitlines()
    assert batch[1:3] == ["Environments: env-2 Frozen, env-3 Frozen, env-4 Frozen",
                          "Pool: 3 live environments; throttles 0"]  # fmt: skip
    assert batch[-2:] == [
        "Invocations: 5 (4 cold starts)",
        (
            "Last batch: 3 invocations (concurrency 3): 3 succeeded, 0 failed, 0 throttled; "
            "3 environments, 3 cold starts; Duration p50 <MS>, max <MS>"
        ),
    ]
    broken = cells[6].outputs[0].text
    assert broken.startswith(
        "False Invoke needs a valid event: Expecting value (line 1, column 12)"
    )
    assert cells[7].outputs[0].text == "0\n"  # closing the panel unsubscribed it


def test_nbval_accepts_a_rerun(executed: Path) -> None:
    """nbval compares text/plain: a second run must match once timings are masked."""
    ini = executed.parent / "pytest.ini"
    ini.write_text("[pytest]\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini),
         "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
         str(ROOT / "notebooks" / "sanitize.cfg"), str(executed)],
        capture_output=True, text=True, timeout=300, cwd=executed.parent, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{len(CELLS)} passed" in run.stdout
