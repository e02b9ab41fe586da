"""Helpers shared by the tests."""

from __future__ import annotations

from collections.abc import Callable


def report_fields(line: str) -> dict[str, str]:
    """Parse a REPORT line into {field: value}, checking its tab-separated shape."""
    assert line.startswith("REPORT RequestId: "), line
    assert line.endswith("\t"), "REPORT lines end with a tab"
    head, *fields = line.rstrip("\t").split("\t")
    out = {"RequestId": head.split(": ", 1)[1]}
    for field in fields:
        name, _, value = field.partition(": ")
        out[name] = value
    return out


def lines_starting(result: object, prefix: str) -> list[str]:
    """The log events of a result that start with ``prefix``."""
    return [e.message for e in result.log_events if e.message.startswith(prefix)]  # type: ignore[attr-defined]


def env_tmp(*names: str) -> list[str]:
    """What ``sorted(os.listdir("/tmp"))`` shows inside an environment holding ``names``: also
    the directories of a Python that lives under /tmp, which are mounted into it."""
    from lambda_magic import sandbox_info

    return sorted([*names, *(path.rsplit("/", 1)[1] for path in sandbox_info().tmp_mounts)])


def wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    """Wait until every process of ``pids`` has exited (or is a zombie); those still alive."""
    import time

    import psutil

    def alive(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Poll ``predicate`` until it is true; fail the test after ``timeout`` seconds."""
    import time

    import pytest

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what or predicate}")
        time.sleep(0.01)
