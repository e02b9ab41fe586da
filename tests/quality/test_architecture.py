"""The layering the project promises: a core free of IPython and ipywidgets, and a runtime that
uses only the standard library (it runs inside every environment and must start fast)."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "lambda_magic", "lambda_magic.core.config", "lambda_magic.core.errors", "lambda_magic.core.lifecycle",
    "lambda_magic.api.function", "lambda_magic.engine.pool", "lambda_magic.engine.environment",
    "lambda_magic.engine.invocation", "lambda_magic.api.async_invoke", "lambda_magic.api.batch",
    "lambda_magic.platform.logs", "lambda_magic.engine.result", "lambda_magic.platform.resources", "lambda_magic.platform.package",
    "lambda_magic.platform.envvars", "lambda_magic.platform.hub", "lambda_magic.views.cards", "lambda_magic.views.results", "lambda_magic.views.timeline",
    "lambda_magic.platform.runtime_api.server", "lambda_magic.platform.sandbox.client", "lambda_magic.platform.sandbox.manager",
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
    loaded = _modules_after(
        ["lambda_magic.runtime.bootstrap", "lambda_magic.platform.sandbox.manager"]
    )
    ours = {"lambda_magic", "lambda_magic.runtime", "lambda_magic.platform.sandbox"}
    foreign = [m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names
               and not any(m == p or m.startswith(p + ".") for p in ours)
               and m not in ("__main__", "__mp_main__")]  # fmt: skip
    assert foreign == []
    allowed = {"lambda_magic", "lambda_magic.runtime", "lambda_magic.runtime.bootstrap",
               "lambda_magic.runtime.client", "lambda_magic.runtime.context", "lambda_magic.runtime.logsink",
               "lambda_magic.runtime.shm", "lambda_magic.platform.sandbox.mounts",
               "lambda_magic.platform", "lambda_magic.platform.sandbox", "lambda_magic.platform.sandbox.manager", "lambda_magic.platform.sandbox.child",
               "lambda_magic.platform.sandbox.isolation", "lambda_magic.platform.sandbox.protocol"}  # fmt: skip
    assert {m for m in loaded if m.startswith("lambda_magic")} <= allowed
