"""What the engine needs from the world, handed to it by the one place that wires things up.

An environment is given a :class:`Revision` (what it runs, for life), :class:`Services` (the I/O
hub, a sandbox backend, a clock) and :class:`Hooks` (where its log events and notifications
go). Nothing in the engine reaches for a module-level singleton or back into the
``LambdaFunction`` that owns it, so the engine runs as well against a fake sandbox (the unit
tests) as against the real sandbox manager, and serves any front door (the notebook API, an
HTTP server).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lambda_magic.core.config import FunctionConfig
    from lambda_magic.core.notifications import Observer
    from lambda_magic.platform.hub import Hub
    from lambda_magic.platform.logs import LogEvent
    from lambda_magic.runtimes.base import Runtime


class Sandbox(Protocol):
    """One environment's sandbox as the engine drives it (the platform's
    :class:`~lambda_magic.platform.sandbox.handle.SandboxHandle`, or a fake)."""

    sid: str
    pid: int | None
    created: bool

    @property
    def lost(self) -> bool:
        """Whether the machinery behind it died (its processes are gone)."""

    @property
    def namespaces(self) -> bool:
        """Whether environments get Lambda's view of the file system (a mount namespace)."""

    def paths_inside(self, task_root: str) -> tuple[str, str]:
        """``LAMBDA_TASK_ROOT`` and ``LAMBDA_RUNTIME_DIR`` as the runtime sees them."""

    def create(self, work_dir: str) -> None:
        """Create the sandbox (its limits, its /tmp)."""

    def spawn(
        self,
        argv: list[str] | None,
        task_root: str,
        environ: dict[str, str],
        handler: str,
        fds: list[int],
    ) -> int:
        """Start a runtime (``argv``, or the built-in Python runtime); its pid."""

    def watch_exit(self, pid: int, callback: Callable[[int, int], None]) -> None:
        """Call ``callback(wait_status, peak_kib)`` when runtime ``pid`` exits."""

    def exited(self) -> None:
        """The runtime is gone: forget its descriptors."""

    def signal(self, sig: int) -> None:
        """Signal the runtime and every process of the sandbox."""

    def freeze(self) -> None:
        """Suspend every process of the sandbox."""

    def thaw(self) -> bool:
        """Resume them; whether they were frozen."""

    def reset_peak(self) -> None:
        """Start measuring a new memory peak."""

    def peak_bytes(self) -> int:
        """Peak resident memory since the last reset (enforced against ``memory_size``)."""

    def charged_peak_bytes(self) -> int:
        """The peak as the kernel charged it (short-lived processes too; reported only)."""

    def tmp_used(self) -> int:
        """Bytes used in the sandbox's /tmp."""

    def destroy(self) -> None:
        """Kill everything in the sandbox and release it."""


#: ``new_sandbox(sid, memory_mb, tmp_mb)``.
SandboxFactory = Callable[[str, int, int], Sandbox]


@dataclass(frozen=True)
class Services:
    """The engine's view of the machine."""

    hub: Hub
    new_sandbox: SandboxFactory
    clock: Callable[[], float] = time.monotonic
    #: Variables the machine adds to every new environment (such as ``AWS_ENDPOINT_URL_LAMBDA``
    #: while a Lambda API server runs), read when a runtime starts.
    variables: Callable[[], Mapping[str, str]] = dict


@dataclass(frozen=True)
class Revision:
    """What an environment runs, for its whole life (a new revision gets new environments)."""

    function_name: str
    config: FunctionConfig
    number: int
    task_root: str  # the code package on this machine
    work_dir: str  # the function's own directory (fallback /tmp directories live there)
    runtime: Runtime


@dataclass(frozen=True)
class Hooks:
    """Where an environment's log events and notifications go (its function's)."""

    log: Callable[[LogEvent], None]
    notify: Observer
    #: Whether anything observes, truthy or not (costly notifications are built only then).
    watched: Callable[[], object] = field(default=lambda: True)


def machine_services() -> Services:
    """This machine's hub and sandbox manager (started on first use)."""
    from lambda_magic.platform.hub import get_hub
    from lambda_magic.platform.sandbox.client import get_manager
    from lambda_magic.platform.sandbox.handle import SandboxHandle

    def new_sandbox(sid: str, memory_mb: int, tmp_mb: int) -> Any:
        return SandboxHandle(get_manager, sid, memory_mb, tmp_mb)

    return Services(get_hub(), new_sandbox)
