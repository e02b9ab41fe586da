"""Where a warm invoke's CPU goes, counted exactly: ``profile_invoke.py --how cprofile``.

cProfile with each thread's own CPU clock (``time.thread_time``), so that waiting, being
preempted and sleeping cost nothing and every microsecond counted was spent on a CPU (in
Python code or in the C functions and system calls it made), on each of three threads:

* the caller's thread (the loop of ``fn.invoke``);
* lambda_magic's I/O thread (the hub), whose profiler is switched on and off from inside
  the hub's loop (``get_hub().run_sync``);
* the runtime's thread, inside the environment: the function's handler switches a profiler on
  for its own thread when an event asks it to (the runtime's loop then runs under it), and
  another event switches it off and returns the statistics as the response.

The profiler's own work (two clock readings per call) slows every call down, so read the
shares and the ordering, not the absolute times; ``run.py`` measures those.
"""

from __future__ import annotations

import cProfile
import os
import time
from collections.abc import Mapping
from typing import Any

from bench_invoke import check_warm
from workers import make_event

from lambda_magic import LambdaFunction
from lambda_magic.platform.hub import get_hub

PROFILED_HANDLER = """import cProfile, time
_profile = None

def lambda_handler(event, context):
    global _profile
    command = event.get("profile") if isinstance(event, dict) else None
    if command == "start":
        _profile = cProfile.Profile(time.thread_time)
        _profile.enable()
        return "started"
    if command == "stop":
        _profile.disable()
        _profile.create_stats()
        return [[f, line, name, calls, own, inclusive]
                for (f, line, name), (_, calls, own, inclusive, _) in _profile.stats.items()]
    return event
"""
Entry = tuple[str, int, str, int, float, float]  # file, line, function, calls, self s, incl. s


def _entries(profile: cProfile.Profile) -> list[Entry]:
    profile.create_stats()
    stats: Mapping[tuple[str, int, str], tuple[Any, ...]] = profile.stats  # type: ignore[attr-defined, unused-ignore]
    return [(f, line, name, int(s[1]), float(s[2]), float(s[3]))
            for (f, line, name), s in stats.items()]  # fmt: skip


def profile_threads(invokes: int, freeze: bool) -> dict[str, list[Entry]]:
    """Profile ``invokes`` warm invokes; each thread's entries."""
    event = make_event()
    fn = LambdaFunction("profile-cpu", PROFILED_HANDLER, memory_size=128, timeout=3, freeze=freeze)
    try:
        for _ in range(300):
            fn.invoke(event)
        check_warm(fn, event)
        caller = cProfile.Profile(time.thread_time)
        hub = cProfile.Profile(time.thread_time)
        if fn.invoke({"profile": "start"}).payload != "started":
            raise RuntimeError("the runtime's profiler did not start")
        get_hub().run_sync(hub.enable)
        caller.enable()
        for _ in range(invokes):
            fn.invoke(event)
        caller.disable()
        get_hub().run_sync(hub.disable)
        stopped = fn.invoke({"profile": "stop"})
        if not stopped.ok:
            raise RuntimeError(f"the runtime's profiler did not stop: {stopped!r}")
        runtime: list[Entry] = [
            (f, line, name, calls, own, incl) for f, line, name, calls, own, incl in stopped.payload
        ]
        return {"caller thread": _entries(caller), "I/O thread (lambda-magic-hub)": _entries(hub),
                "runtime": runtime}  # fmt: skip
    finally:
        fn.shutdown()


def short_path(path: str) -> str:
    """A source file's name from its package (``lambda_magic/...``, a site-packages name, the
    standard library's module) rather than from the root."""
    if "lambda_magic/" in path:
        return path[path.index("lambda_magic/") :]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            rest = path[path.index(marker) + len(marker) :]
            return rest.split("/", 1)[1] if marker == "/lib/python3" else rest
    return os.path.basename(path) if path.startswith("/") else path


def _label(entry: Entry) -> str:
    f, line, name = entry[0], entry[1], entry[2]
    return name if f == "~" else f"{name} ({short_path(f)}:{line})"


def summarize(threads: dict[str, list[Entry]], invokes: int, top: int) -> list[str]:
    """Markdown lines: each thread's CPU per invoke and its dominant functions."""
    lines = []
    for thread, entries in threads.items():
        total = sum(e[4] for e in entries)
        per = 1e6 / max(invokes, 1)
        calls = sum(e[3] for e in entries) / max(invokes, 1)
        lines += [f"**{thread}**: {total * per:.0f} us of CPU per invoke (profiled), "
                  f"{calls:.0f} calls per invoke", "",
                  "| self | us/invoke | function | calls/invoke |", "|---:|---:|---|---:|"]  # fmt: skip
        for e in sorted(entries, key=lambda e: -e[4])[:top]:
            lines.append(f"| {e[4] / total:.0%} | {e[4] * per:.0f} | `{_label(e)}` | "
                         f"{e[3] / max(invokes, 1):.1f} |")  # fmt: skip
        inclusive = [e for e in sorted(entries, key=lambda e: -e[5]) if e[5] < total * 0.95]
        lines += ["", "| inclusive | us/invoke | function |", "|---:|---:|---|"]
        for e in inclusive[:top]:
            lines.append(f"| {e[5] / total:.0%} | {e[5] * per:.0f} | `{_label(e)}` |")
        lines.append("")
    return lines
