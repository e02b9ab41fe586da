"""What a function tells its observers, as typed events.

Every notification is a small frozen dataclass; :class:`Observers` delivers them. The compact
form ``(kind, value)`` that ``LambdaFunction.subscribe`` gives listeners is each class's
:attr:`~Notification.kind` and :attr:`~Notification.value`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from lambda_magic.api.async_invoke import AsyncInvocation
    from lambda_magic.core.errors import TooManyRequestsError
    from lambda_magic.core.lifecycle import EnvState, ShutdownPath
    from lambda_magic.engine.environment import ExecutionEnvironment
    from lambda_magic.engine.result import InvocationResult
    from lambda_magic.platform.logs import LogEvent
    from lambda_magic.platform.runtime_api.models import ApiMessage

log = logging.getLogger("lambda_magic")


class Notification:
    """Base of every notification."""

    kind: ClassVar[str]

    @property
    def value(self) -> Any:
        """The notification's content in the compact ``(kind, value)`` form."""
        raise NotImplementedError


@dataclass(frozen=True)
class EnvironmentCreated(Notification):
    """A new execution environment exists (a cold start or a provisioned one is coming)."""

    kind: ClassVar[str] = "environment"
    environment: ExecutionEnvironment

    @property
    def value(self) -> Any:
        return self.environment


@dataclass(frozen=True)
class StateChanged(Notification):
    """An environment moved from ``old`` to ``new``."""

    kind: ClassVar[str] = "state"
    environment: ExecutionEnvironment
    old: EnvState
    new: EnvState

    @property
    def value(self) -> Any:
        return (self.environment, self.old, self.new)


@dataclass(frozen=True)
class LogWritten(Notification):
    """A log event reached the function's log group."""

    kind: ClassVar[str] = "log"
    event: LogEvent

    @property
    def value(self) -> Any:
        return self.event


@dataclass(frozen=True)
class EventDelivered(Notification):
    """An event was handed to an environment's runtime."""

    kind: ClassVar[str] = "invoke"
    environment: ExecutionEnvironment
    request_id: str

    @property
    def value(self) -> Any:
        return (self.environment, self.request_id)


@dataclass(frozen=True)
class ResultRecorded(Notification):
    """An invocation ended; its result is in the function's history."""

    kind: ClassVar[str] = "result"
    result: InvocationResult

    @property
    def value(self) -> Any:
        return self.result


@dataclass(frozen=True)
class RevisionPublished(Notification):
    """New code or configuration: a new revision."""

    kind: ClassVar[str] = "revision"
    revision: int

    @property
    def value(self) -> Any:
        return self.revision


@dataclass(frozen=True)
class EnvironmentsReset(Notification):
    """The function's environments were shut down (reset or shutdown)."""

    kind: ClassVar[str] = "reset"
    paths: list[ShutdownPath]

    @property
    def value(self) -> Any:
        return self.paths


@dataclass(frozen=True)
class EnvironmentExpired(Notification):
    """An idle environment was shut down after ``idle_timeout``."""

    kind: ClassVar[str] = "expired"
    environment: ExecutionEnvironment

    @property
    def value(self) -> Any:
        return self.environment


@dataclass(frozen=True)
class AsyncQueued(Notification):
    """An asynchronous invocation was accepted into the queue."""

    kind: ClassVar[str] = "queued"
    invocation: AsyncInvocation

    @property
    def value(self) -> Any:
        return self.invocation


@dataclass(frozen=True)
class Throttled(Notification):
    """An invocation was refused with ``TooManyRequestsException``."""

    kind: ClassVar[str] = "throttle"
    error: TooManyRequestsError

    @property
    def value(self) -> Any:
        return self.error


@dataclass(frozen=True)
class ApiExchanged(Notification):
    """One message of an environment's Runtime API (a request or a response)."""

    kind: ClassVar[str] = "api"
    environment: ExecutionEnvironment
    message: ApiMessage

    @property
    def value(self) -> Any:
        return (self.environment, self.message)


Observer = Callable[[Notification], None]


class Observers:
    """The observers of one function. A failing observer never breaks an invocation, and is
    never silent either: its exception is logged (``lambda_magic`` logger), as ipywidgets logs
    a failing callback."""

    def __init__(self) -> None:
        self._observers: list[Observer] = []
        self._lock = threading.Lock()
        #: How many observe now: a C-level call (truthy when any does), cheap on the hot path.
        self.count: Callable[[], int] = self._observers.__len__

    def add(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(notification)`` from now on; returns a function that stops it."""
        with self._lock:
            self._observers.append(observer)

        def remove() -> None:
            with self._lock:
                if observer in self._observers:
                    self._observers.remove(observer)

        return remove

    def __bool__(self) -> bool:
        return bool(self._observers)

    def __len__(self) -> int:
        return len(self._observers)

    def __call__(self, notification: Notification) -> None:
        """Deliver ``notification`` to every observer, on the calling thread."""
        for observer in list(self._observers):
            try:
                observer(notification)
            except Exception:
                log.exception(
                    "observer %r failed on a %r notification", observer, notification.kind
                )
