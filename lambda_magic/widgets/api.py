"""Entry points: ``panel(fn)`` shows a function's panel, ``close_panels`` closes panels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambda_magic.widgets.panel import OPEN_PANELS, LambdaPanel

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction


def panel(function: LambdaFunction, **options: Any) -> LambdaPanel:
    """The control panel of ``function``: display it in a notebook cell.

    Parameters
    ----------
    function
        A :class:`~lambda_magic.LambdaFunction`.
    **options
        ``event`` (the editor's first event), ``events_dir`` (saved test events) and
        ``interval`` (seconds between repaints); see :class:`LambdaPanel`.

    Returns
    -------
    LambdaPanel
        An ipywidgets ``VBox``; its ``text/plain`` form is a short summary, which is what
        nbconvert, nbval and terminals show.

    Examples
    --------
    >>> import lambda_magic
    >>> fn = lambda_magic.LambdaFunction("hello", code="def lambda_handler(e, c):\\n    return e\\n")
    >>> lambda_magic.panel(fn)  # doctest: +SKIP
    """
    from lambda_magic.api.function import LambdaFunction

    if not isinstance(function, LambdaFunction):
        raise TypeError(f"panel() takes a LambdaFunction, not {type(function).__name__}")
    return LambdaPanel(function, **options)


def close_panels(function: LambdaFunction | None = None) -> int:
    """Close the open panels of ``function`` (of every function with None); return how many.

    A panel follows its function until it is closed, even after its cell output is cleared;
    call this before showing a fresh panel in place of an old one (a re-run cell), or when
    the extension unloads.
    """
    doomed = [p for p in list(OPEN_PANELS) if function is None or p.function is function]
    for open_panel in doomed:
        open_panel.close()
    return len(doomed)
