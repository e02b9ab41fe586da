"""Every function of this process: the live ones (while referenced), the thread that expires
idle environments of those with an ``idle_timeout``, and the shutdown of all of them at exit."""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from typing import TYPE_CHECKING

from lambda_magic.platform import package

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction

_LIVE: weakref.WeakSet[LambdaFunction] = weakref.WeakSet()


def register(fn: LambdaFunction) -> None:
    """Count ``fn`` among the live functions (while it is referenced)."""
    _LIVE.add(fn)


def live() -> list[LambdaFunction]:
    """The functions of this process that are still referenced."""
    return list(_LIVE)


_reaper: threading.Thread | None = None


def start_idle_reaper(period: float = 0.5) -> None:
    """Start (once) the thread that expires idle environments of functions with an
    ``idle_timeout``."""
    global _reaper
    if _reaper is not None and _reaper.is_alive():
        return

    def run() -> None:
        while True:
            time.sleep(period)
            for fn in live():
                try:
                    fn.expire_idle()
                except Exception:  # noqa: BLE001 - one function's trouble must not stop the rest
                    pass

    _reaper = threading.Thread(target=run, name="lambda-magic-idle-reaper", daemon=True)
    _reaper.start()


def _shutdown_everything() -> None:
    for fn in list(_LIVE):
        try:
            fn.shutdown()  # not reset(): that would provision new environments
        except Exception:  # noqa: BLE001 - exiting: shut down what can be
            pass
    if package.BASE is not None:
        package.remove_tree(package.BASE)


atexit.register(_shutdown_everything)
