"""The layering the project promises: a core free of IPython and ipywidgets, and a runtime that
uses only the standard library (it runs inside every environment and must start fast)."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "lambda_magic", "lambda_magic.config", "lambda_magic.errors", "lambda_magic.lifecycle",
    "lambda_magic.function", "lambda_magic.pool", "lambda_magic.environment",
    "lambda_magic.invocation", "lambda_magic.async_invoke", "lambda_magic.batch",
    "lambda_magic.logs", "lambda_magic.result", "lambda_magic.resources", "lambda_magic.package",
    "lambda_magic.envvars", "lambda_magic.hub", "lambda_magic.display",
    "lambda_magic.runtime_api.server", "lambda_magic.sandbox.client", "lambda_magic.sandbox.manager",
    "lambda_magic.events",
]  # fmt: skip


def _modules_after(imports: list[str]) -> list[str]:
    """The modules that importing ``imports`` loads in a fresh interpreter (beyond its start)."""
    code = (
        "import importlib, json, sys\nbefore = set(sys.modules)\n"
        f"for m in {imports!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_the_core_imports_neither_ipython_nor_ipywidgets() -> None:
    loaded = _modules_after(CORE)
    assert not [
        m for m in loaded if m.split(".")[0] in ("IPython", "ipywidgets", "ipykernel", "traitlets")
    ]


def test_the_runtime_uses_only_the_standard_library() -> None:
    loaded = _modules_after(["lambda_magic.runtime.bootstrap", "lambda_magic.sandbox.manager"])
    ours = {"lambda_magic", "lambda_magic.runtime", "lambda_magic.sandbox"}
    foreign = [m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names
               and not any(m == p or m.startswith(p + ".") for p in ours)
               and m not in ("__main__", "__mp_main__")]  # fmt: skip
    assert foreign == []
    allowed = {"lambda_magic", "lambda_magic.runtime", "lambda_magic.runtime.bootstrap",
               "lambda_magic.runtime.client", "lambda_magic.runtime.context", "lambda_magic.runtime.logsink",
               "lambda_magic.runtime.shm", "lambda_magic.sandbox.mounts",
               "lambda_magic.sandbox", "lambda_magic.sandbox.manager", "lambda_magic.sandbox.child",
               "lambda_magic.sandbox.isolation", "lambda_magic.sandbox.protocol"}  # fmt: skip
    assert {m for m in loaded if m.startswith("lambda_magic")} <= allowed
