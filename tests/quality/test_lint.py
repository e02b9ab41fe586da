"""The code checks a change must pass: ruff (lint and format) and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(300)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_and_format() -> None:
    lint = _run(str(BIN / "ruff"), "check", "lambda_magic", "tests", "benchmarks", "tools")
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = _run(
        str(BIN / "ruff"), "format", "--check", "lambda_magic", "tests", "benchmarks", "tools"
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def test_mypy_strict() -> None:
    out = _run(str(BIN / "mypy"), "--strict", "lambda_magic")
    assert out.returncode == 0, out.stdout[-3000:]
