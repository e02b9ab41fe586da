"""IPython integration: ``%load_ext lambda_magic`` registers the magics.

Functions defined by cells live as long as the kernel: they are shut down when the extension
is unloaded, and the environments of a kernel that exits or restarts go with it (see
:mod:`lambda_magic.sandbox`).
"""

from __future__ import annotations

from typing import Any

from lambda_magic.magics.magics import LambdaMagics
from lambda_magic.magics.tools import LambdaToolMagics

__all__ = ["LambdaMagics", "LambdaToolMagics", "load_ipython_extension", "unload_ipython_extension"]


def _instance(ipython: Any) -> LambdaMagics | None:
    for configurable in ipython.configurables:
        if isinstance(configurable, LambdaMagics):
            return configurable
    return None


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics once per shell (``%config LambdaMagics.*`` then works)."""
    if _instance(ipython) is not None:
        return
    magics = LambdaMagics(ipython, parent=ipython)
    ipython.register_magics(magics)
    ipython.register_magics(LambdaToolMagics(ipython, magics))
    ipython.configurables.append(magics)


def unload_ipython_extension(ipython: Any) -> None:
    """Shut every function's environments down and remove the magics."""
    magics = _instance(ipython)
    if magics is None:
        return
    try:
        from lambda_magic.widgets import close_panels
    except ImportError:
        pass
    else:
        for fn in magics.functions.values():
            close_panels(fn)
    for fn in list(magics.functions.values()):
        fn.shutdown()
    magics.functions.clear()
    table = ipython.magics_manager.magics
    for kind in ("line", "cell"):
        for name in {**LambdaMagics.magics[kind], **LambdaToolMagics.magics[kind]}:
            table[kind].pop(name, None)
    ipython.configurables.remove(magics)
