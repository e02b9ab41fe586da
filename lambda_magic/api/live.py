"""Every function of this process: the live ones (while referenced), the newest of each name
(what Lambda's API serves), the thread that expires idle environments of those with an
``idle_timeout``, and the shutdown of all of them at exit."""

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
#: Per name, the functions that bore it, oldest first (the newest live one is "the" function).
_NAMED: dict[str, list[weakref.ref[LambdaFunction]]] = {}
#: Functions nobody else holds (created through Lambda's API): kept until deleted.
_KEPT: set[LambdaFunction] = set()
_lock = threading.Lock()


def register(fn: LambdaFunction) -> None:
    """Count ``fn`` among the live functions (while it is referenced); it is now the function
    of its name."""
    with _lock:
        _LIVE.add(fn)
        refs = [r for r in _NAMED.get(fn.name, []) if r() is not None and r() is not fn]
        _NAMED[fn.name] = [*refs, weakref.ref(fn)]


def live() -> list[LambdaFunction]:
    """The functions of this process that are still referenced."""
    return list(_LIVE)


def find(name: str) -> LambdaFunction | None:
    """The newest live function named ``name``, or None."""
    with _lock:
        for ref in reversed(_NAMED.get(name, [])):
            fn = ref()
            if fn is not None:
                return fn
    return None


def named() -> list[LambdaFunction]:
    """One function per name (the newest), sorted by name."""
    found = (find(name) for name in sorted(list(_NAMED)))
    return [fn for fn in found if fn is not None]


def keep(fn: LambdaFunction) -> None:
    """Hold ``fn`` until :func:`forget` (a function created through Lambda's API)."""
    with _lock:
        _KEPT.add(fn)


def forget(fn: LambdaFunction) -> None:
    """``fn`` no longer answers to its name (deleted through Lambda's API)."""
    with _lock:
        _KEPT.discard(fn)
        refs = [r for r in _NAMED.get(fn.name, []) if r() is not None and r() is not fn]
        if refs:
            _NAMED[fn.name] = refs
        else:
            _NAMED.pop(fn.name, None)


def kept() -> list[LambdaFunction]:
    """The functions created through Lambda's API that are not deleted."""
    with _lock:
        return sorted(_KEPT, key=lambda f: f.name)


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
