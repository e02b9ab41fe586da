"""What the caller keeps (results, log events) is bounded in bytes, not only in count.

A chatty function must not take the kernel's memory: 1,000 invocations that each print 1 MB
would otherwise keep a gigabyte. :class:`Bounded` keeps the newest items within a byte budget
and a count, and says what it dropped (as CloudWatch's ``logsDropped`` does).

The budgets come from the environment when set: ``LAMBDA_MAGIC_LOG_BYTES`` (a function's log
store, default 32 MiB), ``LAMBDA_MAGIC_INVOCATION_LOG_BYTES`` (the logs one result keeps,
default 1 MiB) and ``LAMBDA_MAGIC_HISTORY_BYTES`` (the results a function keeps, default
32 MiB); each is also an attribute (``limit_bytes``) that can be changed at any time.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
MIB = 1024 * 1024


def budget(variable: str, default: int) -> int:
    """A byte budget from the environment variable ``variable`` (bytes), else ``default``."""
    raw = os.environ.get(variable, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


class Bounded(Generic[T]):
    """The newest items within ``limit_bytes`` (as ``size`` measures them) and ``limit`` items.

    Thread-safe. An item larger than the whole budget is still kept alone: the newest item is
    never dropped.
    """

    def __init__(self, size: Callable[[T], int], limit_bytes: int, limit: int) -> None:
        self._size = size
        self.limit_bytes = limit_bytes
        self.limit = limit
        self._items: deque[tuple[T, int]] = deque()
        self._bytes = 0
        self.dropped = 0
        self.dropped_bytes = 0
        self._lock = threading.Lock()

    def append(self, item: T) -> None:
        """Keep ``item``; drop the oldest while over the budget."""
        self.add(item, self._size(item))

    def add(self, item: T, nbytes: int) -> None:
        """Keep ``item``, whose size the caller knows (``nbytes``); drop the oldest while over
        the budget."""
        with self._lock:
            items = self._items
            items.append((item, nbytes))
            self._bytes += nbytes
            if self._bytes > self.limit_bytes or len(items) > self.limit:
                self._trim()

    def _trim(self) -> None:
        items = self._items
        while len(items) > 1 and (self._bytes > self.limit_bytes or len(items) > self.limit):
            _, gone = items.popleft()
            self._bytes -= gone
            self.dropped += 1
            self.dropped_bytes += gone

    @property
    def nbytes(self) -> int:
        """The bytes kept now."""
        return self._bytes

    def items(self) -> list[T]:
        """The kept items, oldest first."""
        with self._lock:
            return [item for item, _ in self._items]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())

    def __getitem__(self, index: int) -> T:
        with self._lock:
            return self._items[index][0]

    def clear(self) -> None:
        """Forget everything (the dropped counts stay)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0


def dropped_note(count: int, nbytes: int, what: str, limit_bytes: int) -> str:
    """``1,200 older log events (1.2 MB) were dropped to keep the log store within 32 MB``."""
    plural = "s" if count != 1 else ""
    return (
        f"{count:,} older {what}{plural} ({nbytes / 1e6:.1f} MB) were dropped to keep "
        f"within {limit_bytes / MIB:.0f} MiB"
    )
