"""Exceptions raised by the sample events library."""

from __future__ import annotations

__all__ = ["EventTemplateError", "SavedEventError"]


class EventTemplateError(ValueError):
    """An unknown template, an unknown parameter or a parameter of the wrong type."""


class SavedEventError(ValueError):
    """A bad saved-event name, a missing saved event or an unreadable event file."""
