"""The README's examples run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_example_without_ipython_runs_as_a_script(tmp_path) -> None:
    text = README.read_text()
    after = text.split("The same without IPython, as a script:", 1)[1]
    code = re.search(r"```python\n(.*?)```", after, re.S).group(1)
    script = tmp_path / "example.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    first_line = done.stdout.splitlines()[0]
    assert first_line.startswith("{'hello': 'a', 'stage': 'dev', 'booted': ")
    assert "None True" in first_line  # no error, a cold start
    assert "START RequestId:" in done.stdout and "REPORT RequestId:" in done.stdout
