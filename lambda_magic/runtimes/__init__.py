"""Lambda runtimes: one module each behind :class:`~lambda_magic.runtimes.base.Runtime`.

:func:`get` finds the plug-in of a runtime id; adding a language is adding a module here and a
line in :data:`FAMILIES`.
"""

from __future__ import annotations

from lambda_magic.core.errors import ConfigError
from lambda_magic.runtimes import python
from lambda_magic.runtimes.base import Runtime

#: The runtime ids each plug-in serves.
FAMILIES: dict[str, tuple[str, ...]] = {"python": python.IDS}


def get(runtime_id: str) -> Runtime:
    """The runtime plug-in of ``runtime_id``; a ConfigError names the ids it knows."""
    if runtime_id in python.IDS:
        return python.PythonRuntime(runtime_id)
    known = ", ".join(i for ids in FAMILIES.values() for i in ids)
    raise ConfigError(f"runtime must be one of {known}; got {runtime_id!r}")
