"""IPython integration: ``%load_ext lambda_magic`` registers the magics.

Functions defined by cells live as long as the kernel: they are shut down when the extension
is unloaded, and the environments of a kernel that exits or restarts go with it (see
:mod:`lambda_magic.platform.sandbox`).
"""

from __future__ import annotations

from typing import Any

from lambda_magic.magics.function_magics import LambdaMagics
from lambda_magic.magics.serving import LambdaServeMagics
from lambda_magic.magics.tools import LambdaToolMagics

__all__ = [
    "LambdaMagics",
    "LambdaServeMagics",
    "LambdaToolMagics",
    "load_ipython_extension",
    "unload_ipython_extension",
]


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
    ipython.register_magics(LambdaServeMagics(ipython, magics))
    ipython.configurables.append(magics)
    _hear_idle_interrupts(ipython)


def _on_idle_interrupt(signum: int, frame: Any) -> None:
    """SIGINT while the kernel is idle: ipykernel ignores it; lambda_magic ends the invocations
    that control panels run in the background (and otherwise ignores it too)."""
    from lambda_magic.core.cancel import cancel_background

    cancel_background()


def _hear_idle_interrupts(ipython: Any) -> None:
    """Handle a kernel interrupt that arrives between cells. ipykernel sets SIGINT to
    SIG_IGN while idle and, around each request, saves that in ``saved_sigint_handler`` and
    puts it back afterwards; replacing the saved SIG_IGN makes the kernel put ours back."""
    import signal

    kernel = getattr(ipython, "kernel", None)
    if kernel is not None and getattr(kernel, "saved_sigint_handler", None) is signal.SIG_IGN:
        kernel.saved_sigint_handler = _on_idle_interrupt


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
        every = {**LambdaMagics.magics[kind], **LambdaToolMagics.magics[kind],
                 **LambdaServeMagics.magics[kind]}  # fmt: skip
        for name in every:
            table[kind].pop(name, None)
    ipython.configurables.remove(magics)
