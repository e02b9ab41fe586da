"""The README's examples of the server and of versions run as written (one script)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_server_and_versions_examples_run(tmp_path) -> None:
    text = README.read_text()
    blocks = []
    for title in ("## Lambda's API over HTTP", "## Versions and aliases"):
        after = text.split(title, 1)[1]
        blocks.append(re.search(r"```python\n(.*?)```", after, re.S).group(1))
    script = tmp_path / "example.py"
    script.write_text("\n".join(blocks))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == """200 b'{"name": "Ada"}'"""
