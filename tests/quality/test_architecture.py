"""The layering the project promises (docs/architecture.md): imports flow one way, with no
cycle anywhere; below the widgets nothing needs IPython or ipywidgets, not even the rich views;
and the runtime inside every environment uses only the standard library."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.quality import imports

GUI = ("IPython", "ipywidgets", "ipykernel", "traitlets")


def _run(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; the modules loaded beyond its start (JSON)."""
    wrapped = (
        "import json, sys\nbefore = set(sys.modules)\n"
        + code
        + ("\nprint(json.dumps(sorted(set(sys.modules) - before)))")
    )
    out = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True,
                         check=True, timeout=120)  # fmt: skip
    return list(json.loads(out.stdout.splitlines()[-1]))


def test_imports_flow_one_way() -> None:
    found = imports.all_imports()
    assert len(found) > 300  # the walker sees the package (functions' imports included)
    assert imports.violations(found) == []


def test_a_wrong_import_would_be_seen() -> None:
    fake = [imports.Import("lambda_magic.engine.pool", "lambda_magic.widgets.panel", 3),
            imports.Import("lambda_magic.runtime.client", "lambda_magic.core.errors", 9),
            imports.Import("lambda_magic.api.function", "lambda_magic.engine.pool", 5)]  # fmt: skip
    assert imports.violations(fake) == [
        "lambda_magic.engine.pool:3 (engine) imports lambda_magic.widgets.panel (widgets)",
        "lambda_magic.runtime.client:9 imports lambda_magic.core.errors (off its island)",
    ]
    assert imports.cycles(fake + [imports.Import("lambda_magic.widgets.panel",
                                                 "lambda_magic.engine.pool", 1)]) == [
        ["lambda_magic.engine.pool", "lambda_magic.widgets.panel"]
    ]  # fmt: skip


def test_no_import_cycle_anywhere() -> None:
    assert imports.cycles(imports.all_imports()) == []


def test_every_module_belongs_to_a_layer() -> None:
    top = len(imports.LAYERS) - 1
    stray = [m for m in imports.modules() if imports.layer_of(m) == top
             and m not in ("lambda_magic", "lambda_magic.__main__")]  # fmt: skip
    assert stray == []


def test_below_the_widgets_nothing_imports_ipython_or_ipywidgets() -> None:
    below = [m for m in imports.modules() if imports.layer_of(m) < 5 and not m.endswith("__main__")]
    loaded = _run(f"import importlib\nfor m in {sorted(below)!r}: importlib.import_module(m)")
    assert [m for m in loaded if m.split(".")[0] in GUI] == []


def test_every_rich_view_needs_neither_ipython_nor_ipywidgets() -> None:
    loaded = _run(textwrap.dedent("""
        from lambda_magic import LambdaFunction
        from lambda_magic.views.cards import BatchView, FunctionCard, LogView, StatusView
        fn = LambdaFunction("reprs", code="def lambda_handler(e, c):\\n    print('hi')\\n    return e\\n")
        results = [fn.invoke({"a": 1}), fn.invoke({"a": 2})]
        views = [results[0], fn.timeline(), FunctionCard(fn, "made"), StatusView([fn]),
                 LogView(fn.logs.format(), "logs"), BatchView(results, 2, 0.1)]
        shown = [getattr(v, name)() for v in views for name in dir(v)
                 if name.startswith("_repr_") and name.endswith("_") and name != "_repr_pretty_"]
        assert len(shown) >= 6 and all(shown), shown
        fn.shutdown()
    """))  # fmt: skip
    assert [m for m in loaded if m.split(".")[0] in GUI] == []


def test_the_runtime_uses_only_the_standard_library() -> None:
    loaded = _run("import lambda_magic.runtime.bootstrap, lambda_magic.platform.sandbox.manager")
    ours = {"lambda_magic", "lambda_magic.runtime", "lambda_magic.platform.sandbox"}
    foreign = [m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names
               and not any(m == p or m.startswith(p + ".") for p in ours)
               and m not in ("__main__", "__mp_main__")]  # fmt: skip
    assert foreign == []
    allowed = {"lambda_magic", "lambda_magic.core", "lambda_magic.core.version",
               "lambda_magic.runtime", "lambda_magic.runtime.bootstrap",
               "lambda_magic.runtime.client", "lambda_magic.runtime.context",
               "lambda_magic.runtime.logsink", "lambda_magic.runtime.shm", "lambda_magic.platform",
               "lambda_magic.platform.sandbox", "lambda_magic.platform.sandbox.manager",
               "lambda_magic.platform.sandbox.child", "lambda_magic.platform.sandbox.isolation",
               "lambda_magic.platform.sandbox.libc", "lambda_magic.platform.sandbox.mounts", "lambda_magic.platform.sandbox.protocol"}  # fmt: skip
    assert {m for m in loaded if m.startswith("lambda_magic")} <= allowed


def test_the_lambda_api_server_uses_only_the_public_api() -> None:
    below = [i for i in imports.all_imports()
             if i.source.startswith("lambda_magic.server")
             and not i.target.startswith(("lambda_magic.server", "lambda_magic.api"))]  # fmt: skip
    assert below == []
