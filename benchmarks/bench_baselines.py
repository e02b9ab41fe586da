"""Baselines that put lambda_magic's figures in context.

* the floor of any cross-process invoke: a 1 KB length-prefixed message echoed by a second
  Python process over a pipe, and over loopback TCP with ``TCP_NODELAY``;
* python-lambda-local running the same no-op handler (a new process per call);
* the wall time of starting an interpreter: ``python -c pass`` and ``python -S -c pass``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from stats import NS_PER_MS, time_calls
from workers import HEADER, read_exact, recv_exact

HERE = os.path.dirname(os.path.abspath(__file__))
WORKERS = os.path.join(HERE, "workers.py")
MESSAGE_BYTES = 1024


def _worker(mode: str, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, WORKERS, mode, *args], **popen)  # type: ignore[call-overload, no-any-return]


def _time_round_trips(round_trip: Callable[[], None], count: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        round_trip()
    return time_calls(round_trip, count)


def pipe_round_trips(count: int, warmup: int = 500) -> list[float]:
    """Round trips (ms) of a 1 KB framed message through a child process over two pipes."""
    child = _worker("pipe-echo", stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    assert child.stdin is not None and child.stdout is not None
    out_fd, in_fd = child.stdin.fileno(), child.stdout.fileno()
    frame = HEADER.pack(MESSAGE_BYTES) + b"x" * MESSAGE_BYTES

    def round_trip() -> None:
        os.write(out_fd, frame)
        if len(read_exact(in_fd, len(frame))) != len(frame):
            raise RuntimeError("the pipe echo child went away")

    try:
        return _time_round_trips(round_trip, count, warmup)
    finally:
        os.write(out_fd, HEADER.pack(0))
        child.stdin.close()
        child.wait(10)
        child.stdout.close()


def tcp_round_trips(count: int, warmup: int = 500) -> list[float]:
    """Round trips (ms) of a 1 KB framed message through a child over loopback TCP."""
    child = _worker("tcp-echo", stdout=subprocess.PIPE)
    assert child.stdout is not None
    port = int(child.stdout.readline())
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    frame = HEADER.pack(MESSAGE_BYTES) + b"x" * MESSAGE_BYTES

    def round_trip() -> None:
        sock.sendall(frame)
        if len(recv_exact(sock, len(frame))) != len(frame):
            raise RuntimeError("the TCP echo child went away")

    try:
        return _time_round_trips(round_trip, count, warmup)
    finally:
        sock.sendall(HEADER.pack(0))
        sock.close()
        child.wait(10)
        child.stdout.close()


def lambda_local_calls(count: int, warmup: int = 20) -> list[float]:
    """Per-call wall time (ms) of python-lambda-local, measured in a clean child process
    (its import configures root logging to stdout; the child's stdout goes to /dev/null)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "samples.json")
        child = _worker("lambda-local", str(count), str(warmup), out, stdout=subprocess.DEVNULL)
        if child.wait(600) != 0:
            raise RuntimeError(f"the python-lambda-local worker failed ({child.returncode})")
        with open(out) as f:
            samples: list[float] = json.load(f)
    return samples


def manager_starts(count: int) -> list[dict[str, float]]:
    """``import lambda_magic`` and first ``get_manager()`` times, each in a fresh process."""
    found: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            out = os.path.join(tmp, f"manager-{i}.json")
            if _worker("manager-start", out).wait(60) != 0:
                raise RuntimeError("the manager-start worker failed")
            with open(out) as f:
                found.append(json.load(f))
    return found


def interpreter_start_ms(*flags: str) -> float:
    """Wall time (ms) of ``subprocess.run([sys.executable, *flags, "-c", "pass"])``."""
    start = time.perf_counter_ns()
    subprocess.run([sys.executable, *flags, "-c", "pass"], check=True)
    return (time.perf_counter_ns() - start) / NS_PER_MS
