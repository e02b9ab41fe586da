"""``LambdaPanel``: one function's control panel (event editor, lifecycle, pool, result, timeline).

Threads: button handlers run on the kernel's main thread and start each action (Invoke,
Invoke ×N, Init, Reset, Shutdown, Freeze) on a worker thread, so the kernel stays responsive
and logs stream while the handler runs. ``invoke_many`` reports progress from its own
threads; the panel only records it and asks for a repaint. Lifecycle events arrive on whatever thread they happen on
(often lambda_magic's I/O thread); the listener only records them and asks a
:class:`~lambda_magic.widgets.util.Throttle` to repaint, at most ten times a second.
Views are updated by setting traits (``Output.append_stdout`` for logs), never ``with out:``.

What each action does on its worker thread is in :mod:`lambda_magic.widgets.panel_actions`,
what a repaint does in :mod:`lambda_magic.widgets.panel_paint`.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import deque
from collections.abc import Callable
from os import PathLike
from typing import TYPE_CHECKING, Any

import ipywidgets as w  # type: ignore[import-untyped]
import traitlets as t

from lambda_magic.api import endpoint
from lambda_magic.core.errors import InvalidRequestError, LambdaMagicError, TooManyRequestsError
from lambda_magic.core.lifecycle import EnvState
from lambda_magic.views.batch import BatchSummary
from lambda_magic.views.html import STYLE, message_html
from lambda_magic.views.pool import PoolFigures
from lambda_magic.views.summary import header_html, summary_text
from lambda_magic.widgets import panel_actions, panel_paint
from lambda_magic.widgets.batch import clamp_n
from lambda_magic.widgets.controls import LifecycleControls
from lambda_magic.widgets.editor import EventEditor
from lambda_magic.widgets.history import HistoryView
from lambda_magic.widgets.panel_paint import BUSY_TICK_S as BUSY_TICK_S
from lambda_magic.widgets.panel_parts import PanelParts
from lambda_magic.widgets.pool import PoolView, pool_figures
from lambda_magic.widgets.result import LOG_LIMIT, ResultView
from lambda_magic.widgets.state import StateView
from lambda_magic.widgets.timeline import TimelineView
from lambda_magic.widgets.tracker import EnvTracker
from lambda_magic.widgets.util import Throttle, close_tree

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction
    from lambda_magic.engine.environment import ExecutionEnvironment
    from lambda_magic.engine.result import InvocationResult
    from lambda_magic.platform.logs import LogEvent

#: The function events the panel repaints for; any other kind ("api", "log", ...) is ignored
#: at once, since some come for every Runtime API request.
WATCHED = frozenset(
    {"environment", "expired", "state", "result", "queued", "reset", "revision", "invoke"}
)
#: Throttled results of the panel's batches kept for the history table (``fn.history`` holds
#: only invocations that ran).
THROTTLED_KEPT = 200
#: Panels not closed yet (see :func:`lambda_magic.widgets.close_panels`).
OPEN_PANELS: weakref.WeakSet[LambdaPanel] = weakref.WeakSet()


def _section(title: str) -> w.HTML:
    return w.HTML(f'<div class="lm-section">{title}</div>')


class LambdaPanel(PanelParts, w.VBox):  # type: ignore[misc]
    """The control panel of one :class:`~lambda_magic.LambdaFunction`.

    Parameters
    ----------
    function
        The function to drive and watch.
    event
        The editor's initial event (JSON text or a value); default the console's
        ``{"key1": "value1", ...}``.
    events_dir
        Base directory of saved test events (default ``./.lambda_events``).
    interval
        Minimum seconds between two repaints of the views.

    Notes
    -----
    Observable traits (plain Python traits, not synced to the browser): ``state`` (the
    :class:`~lambda_magic.EnvState` of the latest transition, None before any environment),
    ``phase`` (``Init``/``Invoke``/``Shutdown``/``""``), ``environment_id``, ``env_states``
    (id to state label), ``last_result`` (the newest
    :class:`~lambda_magic.InvocationResult`), ``busy`` and ``action`` (what the panel is
    doing), ``message`` (its last notice), ``freeze`` and ``revision``; for concurrency,
    ``pool`` (:class:`~lambda_magic.widgets.pool.PoolFigures`, refreshed on every repaint),
    ``batch_progress`` (``(done, total)`` of the running Invoke ×N) and ``last_batch`` (its
    :class:`~lambda_magic.widgets.batch.BatchSummary`). They change on the thread where the
    event happened. ``close()`` unsubscribes from the function.
    """

    state = t.UseEnum(EnvState, default_value=None, allow_none=True)
    phase = t.Unicode("")
    environment_id = t.Unicode("")
    env_states = t.Dict()
    last_result = t.Any(None, allow_none=True)
    busy = t.Bool(False)
    action = t.Unicode("")
    message = t.Unicode("")
    freeze = t.Bool(True)
    revision = t.Int(0)
    pool = t.Instance(PoolFigures, args=())
    batch_progress = t.Tuple(t.Int(), t.Int(), default_value=(0, 0))
    last_batch = t.Instance(BatchSummary, allow_none=True)

    def __init__(
        self,
        function: LambdaFunction,
        *,
        event: Any = None,
        events_dir: str | PathLike[str] | None = None,
        interval: float = 0.1,
    ) -> None:
        self._fn = function
        self._lock = threading.RLock()
        self._controls_lock = threading.Lock()
        self._tracker = EnvTracker(function)
        self._closed = False
        self._worker: threading.Thread | None = None
        self._log_buffer: list[str] = []
        self._log_buffered = 0
        self._throttled: deque[InvocationResult] = deque(maxlen=THROTTLED_KEPT)
        self._pending: Callable[[], None] | None = None
        self._throttle = Throttle(functools.partial(panel_paint.paint, self), interval)
        self._build(event, events_dir)
        self.add_class("lm-panel")
        last = self.last_result = function.last_result
        if last is not None:
            self._pending = lambda: self._result.show_result(last, False)
        self._unsubscribe = function.subscribe(self._on_function_event)
        OPEN_PANELS.add(self)
        self._editor.observe(self._sync_controls, names="valid")
        self.observe(self._sync_controls, names="busy")
        self._throttle.request()
        self._throttle.flush()

    def _build(self, event: Any, events_dir: str | PathLike[str] | None) -> None:
        fn = self._fn
        self._header = w.HTML(header_html(fn, endpoint.url()))
        self._controls = LifecycleControls(
            on_invoke=self.invoke,
            on_invoke_many=self.invoke_many,
            on_init=self.init,
            on_reset=self.reset,
            on_shutdown=self.shutdown,
            on_freeze=self.set_freeze,
            freeze=fn.config.freeze,
            on_notice=self._say,
        )
        self._notice = w.HTML()
        self._notice.add_class("lm-message")
        self._progress_bar = w.IntProgress(
            value=0,
            min=0,
            max=1,
            bar_style="info",
            style={"description_width": "initial"},
            layout=w.Layout(width="190px", display="none"),
        )
        self._progress_bar.add_class("lm-progress")
        self._pool_view = PoolView()
        self._editor = EventEditor(event, function_name=fn.name, events_dir=events_dir)
        self._state_view = StateView()
        self._result = ResultView()
        self._history = HistoryView()
        self._timeline = TimelineView()
        left = w.VBox([_section("Event"), self._editor], layout=w.Layout(flex="3 1 420px"))
        right = w.VBox(
            [_section("Environments"), self._pool_view, self._state_view],
            layout=w.Layout(flex="2 1 300px", margin="0 0 0 12px"),
        )
        super().__init__(
            children=[
                w.HTML(STYLE),
                self._header,
                w.HBox(
                    [self._controls, self._progress_bar, self._notice],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", width="100%")),
                _section("Result"),
                self._result,
                _section("History"),
                self._history,
                _section("Timeline"),
                self._timeline,
            ]
        )

    # -- actions (what the buttons do) -------------------------------------------------------------
    def invoke(self, event: Any = None) -> bool:
        """Invoke with the editor's event (or put ``event`` in the editor first) on a worker
        thread; False when the panel is busy or the event is invalid (with a message)."""
        if event is not None:
            self._editor.set_event(event)
        if not self._editor.valid:
            self._say(f"Invoke needs a valid event: {self._editor.error}", "error")
            return False
        return self._start("invoke", panel_actions.invoke_work, self._editor.value)

    def invoke_many(self, n: int | None = None, event: Any = None) -> bool:
        """Invoke N times at once with the editor's exact text (``fn.invoke_many(payloads=[text]
        * N, concurrency=N)``) on a worker thread; ``n`` sets the N field first (clamped to 1..100
        with a notice), ``event`` the editor. False when the panel is busy or the event is
        invalid (with a message). Each result goes to the history; the batch's figures are
        in ``last_batch`` and the result view."""
        if n is not None:
            self._controls.set_n(int(n))
        if event is not None:
            self._editor.set_event(event)
        if not self._editor.valid:
            self._say(f"Invoke \u00d7N needs a valid event: {self._editor.error}", "error")
            return False
        count = self._controls.n
        note = clamp_n(int(n))[1] if n is not None else ""
        started = self._start("batch", panel_actions.batch_work, self._editor.value, count)
        if started and note:
            self._say(note, "warn")
        return started

    def init(self) -> bool:
        """Start one environment and run Init without invoking (Lambda's pre-warming)."""
        return self._start("init", panel_actions.init_work)

    def reset(self) -> bool:
        """Shut every environment down: the next invoke is a cold start."""
        return self._start("reset", panel_actions.reset_work)

    def shutdown(self) -> bool:
        """Shut every environment down and remove the function's files."""
        return self._start("shutdown", panel_actions.shutdown_work)

    def set_freeze(self, value: bool) -> bool:
        """Turn freezing between invokes on or off (a new revision: the next invoke is cold)."""
        started = self._start("freeze", panel_actions.freeze_work, bool(value))
        if not started:
            self._controls.set_freeze(self._fn.config.freeze)
        return started

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Wait until the running action ends and the views show it; False on timeout.

        The environments need no extra time to settle: an invoke or Init returns once its
        runtime has asked for the next event, and by then the environment is Idle (Frozen
        when freeze is on); provisioned environments are initialized before the function
        (or its Reset) returns. Invocations still running on other threads are shown running.
        """
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
            if worker.is_alive():
                return False
        self._throttle.flush()
        return not self.busy

    def _start(self, action: str, work: Callable[..., None], *args: Any) -> bool:
        """Run ``work(self, *args)`` (see :mod:`~lambda_magic.widgets.panel_actions`) on a
        worker thread; False when the panel is closed or busy (with a message)."""
        with self._lock:
            if self._closed:
                return False
            if self.busy:
                self._say(f"Wait: {self.action} is still running", "warn")
                return False
            self.busy, self.action = True, action
            self._worker = threading.Thread(
                target=self._run,
                args=(action, work, args),
                name=f"lambda-panel-{action}",
                daemon=True,
            )
        self._say("")
        self._worker.start()
        return True

    def _run(self, action: str, work: Callable[..., None], args: tuple[Any, ...]) -> None:
        try:
            work(self, *args)
        except TooManyRequestsError as e:
            self._fail(panel_actions.throttled_text(self, e))
        except InvalidRequestError as e:
            self._fail(f"{e.error_type}: {e.message}")
        except LambdaMagicError as e:
            self._fail(f"{action.capitalize()} failed: {e}")
        except Exception as e:  # noqa: BLE001 - the kernel survives anything: say it, never raise
            self._fail(f"{action.capitalize()} failed: {type(e).__name__}: {e}")
        finally:
            with self._lock:
                self.busy, self.action = False, ""
            self._throttle.request()

    @property
    def _own_run(self) -> bool:
        """The running action shows its own outcome in the result view (Invoke, Invoke ×N,
        Init), so results of other invocations must not replace it."""
        return self.busy and self.action in ("invoke", "batch", "init")

    def _fail(self, text: str) -> None:
        self._say(text, "error")
        if self._own_run:
            with self._lock:
                self._pending = lambda: self._result.show_error(text)

    def _say(self, text: str, level: str = "info") -> None:
        self.message = text
        self._notice.value = message_html(text, level)

    # -- events from the function (any thread) -----------------------------------------------------
    def _on_function_event(self, kind: str, value: Any) -> None:
        if kind not in WATCHED or self._closed:  # "api", "log" (own runs' logs come via on_log)
            return
        if kind in ("environment", "expired"):
            self._tracker.track(value)
        elif kind == "state":
            self._tracker.track(value[0])
            self._set_state(value[0], value[2])
        elif kind == "result":
            self.last_result = value
            with self._lock:
                if not self._own_run:
                    self._pending = lambda: self._result.show_result(value, False)
        self._throttle.request()

    def _on_log(self, event: LogEvent) -> None:
        text = event.text + "\n"
        with self._lock:  # between repaints; the view shows at most LOG_LIMIT characters anyway
            if self._log_buffered < LOG_LIMIT:
                self._log_buffer.append(text)
                self._log_buffered += len(text)
        self._throttle.request()

    def _set_state(self, env: ExecutionEnvironment, new: EnvState) -> None:
        with self._lock:  # the state reported, then the state now (reports may come late)
            for state in dict.fromkeys((new, env.state.state)):
                states = self._tracker.states()
                with self.hold_trait_notifications():
                    self.state, self.phase, self.environment_id = state, state.phase, env.id
                    self.env_states = states

    def _sync_controls(self, change: dict[str, Any]) -> None:
        panel_paint.sync_controls(self)

    # -- text views and closing --------------------------------------------------------------------
    def summary(self) -> str:
        """A short, stable plain-text summary (the panel's ``text/plain`` form)."""
        every = self._tracker.snapshots()
        snaps = self._tracker.visible(every)
        return summary_text(
            self._fn,
            snaps,
            self._tracker.results(),
            self.action,
            pool_figures(self._fn, every),
            self.last_batch,
            endpoint.url(),
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = self.summary()
        return data

    def __repr__(self) -> str:
        state = self.state.value if self.state is not None else "no environment"
        return f"<LambdaPanel {self._fn.name}: {state}, {len(self._fn.history)} invocation(s)>"

    def close(self) -> None:
        """Unsubscribe from the function, stop repainting and close every widget."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        OPEN_PANELS.discard(self)
        self._unsubscribe()
        self._throttle.close()
        close_tree(self)
