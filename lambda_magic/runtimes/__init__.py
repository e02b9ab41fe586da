"""Lambda runtimes: one module each behind :class:`~lambda_magic.runtimes.base.Runtime`.

:func:`get` finds the plug-in of a runtime id; adding a language is adding a module here and a
line in :data:`FAMILIES`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from lambda_magic.core.config import RUNTIMES
from lambda_magic.core.errors import ConfigError
from lambda_magic.runtimes import jvm, nodejs, provided, python
from lambda_magic.runtimes.base import Runtime

#: The runtime ids each plug-in serves, and the plug-in.
FAMILIES: dict[str, tuple[tuple[str, ...], Callable[[str], Runtime]]] = {
    "python": (python.IDS, python.PythonRuntime),
    "nodejs": (nodejs.IDS, nodejs.NodeRuntime),
    "java": (jvm.IDS, jvm.JavaRuntime),
    "provided": (provided.IDS, provided.ProvidedRuntime),
}


def get(runtime_id: str) -> Runtime:
    """The runtime plug-in of ``runtime_id``; a ConfigError names the ids it knows."""
    for ids, plugin in FAMILIES.values():
        if runtime_id in ids:
            return plugin(runtime_id)
    raise ConfigError(f"runtime must be one of {', '.join(RUNTIMES)}; got {runtime_id!r}")


def tools() -> list[tuple[str, str, str]]:
    """What this machine has for each runtime family: ``(family, tool, what was found or what
    to install)``, for ``%lambda_status``."""
    import sys

    from lambda_magic.runtimes import javac

    found = nodejs.node_version()
    rows = [("python", "python", f"{sys.executable} (Python {sys.version.split()[0]})")]
    rows.append(
        (
            "nodejs",
            "node",
            f"{found[0]} (Node.js {found[1]})" if found else f"missing: {nodejs.INSTALL_HINT}",
        )
    )
    npm = shutil.which("npm")
    rows.append(("nodejs", "npm", npm or "missing: package.json dependencies cannot be installed"))
    try:
        jdk = javac.find_jdk()
        rows.append(("java", "javac", f"{jdk.javac} (JDK {jdk.version})"))
    except javac.JavaError as e:
        rows.append(("java", "javac", str(e)))
    rows.append(("provided", "bootstrap", "the function's own (runs on this machine's OS)"))
    return rows
