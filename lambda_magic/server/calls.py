"""The server's record of the calls it answered: what, on which function, how it ended, and
for an invocation that another function made, which invocation made it (the chain)."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

KEPT = 1000


@dataclass
class Call:
    """One answered request."""

    operation: str
    started: float = field(default_factory=time.time)
    function: str | None = None
    qualifier: str | None = None
    status: int = 0
    duration_ms: float = 0.0
    request_id: str | None = None  # the invocation's
    executed_version: str | None = None
    caller: tuple[str, str] | None = None  # the invocation that made this one
    error: str | None = None

    def line(self) -> str:
        """``10:02:03.456  Invoke b:live (RequestId: …, Version: 2) <- a (RequestId: …)  200``."""
        stamp = time.strftime("%H:%M:%S", time.localtime(self.started))
        stamp += f".{int(self.started * 1000) % 1000:03d}"
        what = self.operation
        if self.function:
            what += f" {self.function}" + (f":{self.qualifier}" if self.qualifier else "")
        details = []
        if self.request_id:
            details.append(f"RequestId: {self.request_id}")
        if self.executed_version:
            details.append(f"Version: {self.executed_version}")
        if details:
            what += f" ({', '.join(details)})"
        if self.caller:
            what += f" <- {self.caller[0]} (RequestId: {self.caller[1]})"
        tail = f"{self.status} {self.error}" if self.error else str(self.status)
        return f"{stamp}  {what}  {tail}  {self.duration_ms:.2f} ms"


class CallLog:
    """The newest :data:`KEPT` calls."""

    def __init__(self) -> None:
        self._calls: deque[Call] = deque(maxlen=KEPT)
        self._lock = threading.Lock()
        self.count = 0

    def add(self, call: Call) -> None:
        """Record one call."""
        with self._lock:
            self._calls.append(call)
            self.count += 1

    def recent(self, n: int | None = None) -> list[Call]:
        """The newest ``n`` calls (all kept by default), oldest first."""
        with self._lock:
            calls = list(self._calls)
        return calls[-n:] if n else calls

    def text(self, n: int | None = None) -> str:
        """The calls, one line each."""
        return "\n".join(c.line() for c in self.recent(n))
