"""Exceptions raised by the sample events library."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["EventTemplateError", "SavedEventError", "did_you_mean"]


class EventTemplateError(ValueError):
    """An unknown template, an unknown parameter or a parameter of the wrong type."""


class SavedEventError(ValueError):
    """A bad saved-event name, a missing saved event or an unreadable event file."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint for a message, `` (did you mean 'a' or 'b'?)``, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
