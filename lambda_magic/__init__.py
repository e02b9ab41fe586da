"""lambda_magic: a faithful, local AWS Lambda inside Jupyter.

From plain Python::

    from lambda_magic import LambdaFunction
    fn = LambdaFunction("hello", code="def lambda_handler(event, context):\\n    return event\\n")
    fn.invoke({"name": "Ada"}).payload

In IPython or Jupyter::

    %load_ext lambda_magic

This module stays import-light: the sandbox manager (``python -m lambda_magic.platform.sandbox.manager``)
and a custom runtime started as ``python -m lambda_magic.runtime`` import this file first, so
names are resolved lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambda_magic.core.version import __version__ as __version__

_LAZY = {
    "LambdaFunction": ("lambda_magic.api.function", "LambdaFunction"),
    "FunctionConfig": ("lambda_magic.core.config", "FunctionConfig"),
    "InvocationResult": ("lambda_magic.engine.result", "InvocationResult"),
    "Report": ("lambda_magic.engine.result", "Report"),
    "ErrorPayload": ("lambda_magic.core.errors", "ErrorPayload"),
    "FunctionError": ("lambda_magic.core.errors", "FunctionError"),
    "ConfigError": ("lambda_magic.core.errors", "ConfigError"),
    "EnvState": ("lambda_magic.core.lifecycle", "EnvState"),
    "sandbox_info": ("lambda_magic.platform.sandbox.client", "sandbox_info"),
    "panel": ("lambda_magic.widgets", "panel"),
    "serve": ("lambda_magic.server", "serve"),
    "events": ("lambda_magic.events", None),
}

__all__ = sorted([*_LAZY, "load_ipython_extension", "unload_ipython_extension"])

if TYPE_CHECKING:  # pragma: no cover
    from lambda_magic import events as events
    from lambda_magic.api.function import LambdaFunction as LambdaFunction
    from lambda_magic.core.config import FunctionConfig as FunctionConfig
    from lambda_magic.core.errors import ConfigError as ConfigError
    from lambda_magic.core.errors import ErrorPayload as ErrorPayload
    from lambda_magic.core.errors import FunctionError as FunctionError
    from lambda_magic.core.lifecycle import EnvState as EnvState
    from lambda_magic.engine.result import InvocationResult as InvocationResult
    from lambda_magic.engine.result import Report as Report
    from lambda_magic.platform.sandbox.client import sandbox_info as sandbox_info
    from lambda_magic.server import serve as serve
    from lambda_magic.widgets import panel as panel  # type: ignore[no-redef]


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'lambda_magic' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%%lambda_handler`` family of magics (``%load_ext lambda_magic``)."""
    from lambda_magic.magics import load_ipython_extension as _load

    _load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Shut every execution environment down and remove the magics (``%unload_ext``)."""
    from lambda_magic.magics import unload_ipython_extension as _unload

    _unload(ipython)
