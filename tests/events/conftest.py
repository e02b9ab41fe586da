"""Shared fixtures of the sample events tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def python() -> str:
    """The interpreter that runs the tests (the project's venv)."""
    return sys.executable
