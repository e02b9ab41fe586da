"""An IPython shell with lambda_magic loaded, whose run_cell re-raises (as JupySQL's tests do)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output


class Shell:
    """Runs cells and returns what they printed and displayed."""

    def __init__(self, shell: InteractiveShell) -> None:
        self.shell = shell

    def run(self, cell: str) -> Any:
        """Run ``cell``; re-raise its error; return the captured output."""
        with capture_output() as cap:
            result = self.shell.run_cell(cell, store_history=True)
        cap.result = result.result
        cap.error = result.error_in_exec or result.error_before_exec
        return cap

    def ok(self, cell: str) -> Any:
        """Run ``cell``, which must succeed."""
        cap = self.run(cell)
        if cap.error is not None:
            raise cap.error
        return cap

    def usage_error(self, cell: str) -> str:
        """Run ``cell``, which must end in a short UsageError; return its message."""
        from IPython.core.error import UsageError

        cap = self.run(cell)
        assert isinstance(cap.error, UsageError), f"expected a UsageError, got {cap.error!r}"
        assert "Traceback" not in cap.stdout + cap.stderr
        return str(cap.error)

    @property
    def magics(self) -> Any:
        from lambda_magic.magics import _instance

        return _instance(self.shell)


@pytest.fixture
def ip(tmp_path, monkeypatch) -> Iterator[Shell]:
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.chdir(tmp_path)
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "lambda_magic")
    yield Shell(shell)
    shell.run_line_magic("unload_ext", "lambda_magic")
    InteractiveShell.clear_instance()
