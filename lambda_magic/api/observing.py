"""How a function tells its observers what happens: typed notifications
(:mod:`lambda_magic.core.notifications`), or the compact ``(kind, value)`` form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lambda_magic.core.notifications import Notification, Observer, Observers

#: ``listener(kind, value)``; kinds: "environment" (a new ExecutionEnvironment), "state"
#: ((env, old, new)), "log" (LogEvent), "invoke" ((env, request_id)), "result"
#: (InvocationResult), "revision" (int), "reset" (list of ShutdownPath), "expired" (env),
#: "queued" (AsyncInvocation), "throttle" (TooManyRequestsError), "api" ((env, ApiMessage): every
#: Runtime API request and response). :meth:`LambdaFunction.observe` gives the same as typed
#: notifications (:mod:`lambda_magic.core.notifications`).
Listener = Callable[[str, Any], None]


class Observed:
    """The observer side of a :class:`~lambda_magic.api.function.LambdaFunction`."""

    _observers: Observers

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(kind, value)`` on every lifecycle event of this function (see
        :data:`Listener` for the kinds); returns a function that unsubscribes.

        Listeners run on the thread where the event happens (the caller's, or lambda_magic's
        I/O thread for runtime output and state changes): keep them short and thread-safe. An
        exception in a listener is logged (the ``lambda_magic`` logger), never raised.
        """
        return self._observers.add(lambda n: listener(n.kind, n.value))

    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(notification)`` with typed notifications (see
        :mod:`lambda_magic.core.notifications`); returns a function that stops it."""
        return self._observers.add(observer)

    def has_listeners(self) -> bool:
        """Whether anything observes (so that costly events are built only when watched)."""
        return bool(self._observers)

    def notify(self, notification: Notification) -> None:
        """Tell the observers (the asynchronous queue and batches report through here)."""
        self._observers(notification)
