"""Baselines that put lambda_magic's figures in context, each measured beside its figure.

* the floor of any cross-process invoke: a 1 KB length-prefixed message echoed by a second
  Python process over a pipe, and over loopback TCP with ``TCP_NODELAY`` (:class:`Echo`);
  ``concurrent_echo_rate`` does 1,000 such round trips through 10 threads and 10 echo
  processes (the floor of ``invoke_many`` at concurrency 10);
* ``sleeping_threads_s``: 200 sleeps of 100 ms through a pool of 50 threads (the ideal batch);
* python-lambda-local running the same no-op handler (a new process per call);
* the wall time of starting an interpreter: ``python -c pass`` (in a clean virtual
  environment, see :func:`clean_python`; and in this one) and ``python -S -c pass``;
* ``bare_interpreters_mib``: what many idle interpreters hold (USS), started fresh.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from proc import total_memory_mib
from stats import NS_PER_MS, time_calls
from workers import HEADER, read_exact, recv_exact

HERE = os.path.dirname(os.path.abspath(__file__))
WORKERS = os.path.join(HERE, "workers.py")
MESSAGE_BYTES = 1024


def _worker(mode: str, *args: str, **popen: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, WORKERS, mode, *args], **popen)


class Echo:
    """A child process that echoes 1 KB framed messages back, over two pipes or loopback TCP."""

    def __init__(self, kind: str) -> None:
        if kind not in ("pipe", "tcp"):
            raise ValueError(f"echo kind must be 'pipe' or 'tcp', not {kind!r}")
        self.kind = kind
        self.frame = HEADER.pack(MESSAGE_BYTES) + b"x" * MESSAGE_BYTES
        self.sock: socket.socket | None = None
        if kind == "pipe":
            self.child = _worker("pipe-echo", stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)  # fmt: skip
            assert self.child.stdin is not None and self.child.stdout is not None
            self._out, self._in = self.child.stdin.fileno(), self.child.stdout.fileno()
        else:
            self.child = _worker("tcp-echo", stdout=subprocess.PIPE)
            assert self.child.stdout is not None
            port = int(self.child.stdout.readline())
            self.sock = socket.create_connection(("127.0.0.1", port))
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def pid(self) -> int:
        """The echoing process."""
        return self.child.pid

    def round_trip(self) -> None:
        """Send one frame and read it back."""
        if self.sock is not None:
            self.sock.sendall(self.frame)
            back = recv_exact(self.sock, len(self.frame))
        else:
            os.write(self._out, self.frame)
            back = read_exact(self._in, len(self.frame))
        if len(back) != len(self.frame):
            raise RuntimeError(f"the {self.kind} echo child went away")

    def close(self) -> None:
        """Tell the child to stop (a zero-length frame) and reap it."""
        if self.sock is not None:
            self.sock.sendall(HEADER.pack(0))
            self.sock.close()
        else:
            assert self.child.stdin is not None
            os.write(self._out, HEADER.pack(0))
            self.child.stdin.close()
        self.child.wait(10)
        if self.child.stdout is not None:
            self.child.stdout.close()


def concurrent_echo_rate(echoes: list[Echo], count: int) -> float:
    """Round trips per second: ``count`` in all, one thread per echo child, all at once."""
    share = -(-count // len(echoes))
    barrier = threading.Barrier(len(echoes) + 1)

    def run(echo: Echo) -> None:
        barrier.wait()
        for _ in range(share):
            echo.round_trip()

    threads = [threading.Thread(target=run, args=(e,)) for e in echoes]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return share * len(echoes) / (time.perf_counter() - started)


def sleeping_threads_s(count: int, concurrency: int, sleep_s: float) -> float:
    """Wall seconds of ``count`` sleeps of ``sleep_s`` through a pool of ``concurrency``
    threads (started beforehand): the ideal a batch of sleeping handlers can approach."""
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: None, range(concurrency)))  # the threads exist
        started = time.perf_counter()
        list(pool.map(lambda _: time.sleep(sleep_s), range(count)))
        return time.perf_counter() - started


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


def clean_python(where: str) -> str:
    """A Python in a new, empty virtual environment under ``where``, made from the interpreter
    this one's virtual environment was made from: ``python -c pass`` with nothing but the
    standard library's ``site`` (no ``.pth`` start-up hooks of installed packages)."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", where], check=True)
    return os.path.join(where, "bin", "python")


def interpreter_start_ms(*flags: str, python: str = sys.executable) -> float:
    """Wall time (ms) of ``subprocess.run([python, *flags, "-c", "pass"])``."""
    start = time.perf_counter_ns()
    subprocess.run([python, *flags, "-c", "pass"], check=True)
    return (time.perf_counter_ns() - start) / NS_PER_MS


def bare_interpreters_mib(count: int) -> dict[str, float]:
    """Total memory of ``count`` idle interpreters started with ``python -S`` (each blocks on
    its standard input): what as many processes cost without sharing a parent's pages."""
    code = "import sys; print(flush=True); sys.stdin.read()"
    children = [subprocess.Popen([sys.executable, "-S", "-c", code], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE) for _ in range(count)]  # fmt: skip
    try:
        for child in children:
            assert child.stdout is not None
            child.stdout.readline()  # started and idle
        return total_memory_mib(c.pid for c in children)
    finally:
        for child in children:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.close()
            child.wait(10)
            child.stdout.close()


def echo_round_trips(echo: Echo, count: int) -> list[float]:
    """``count`` timed round trips (ms) through ``echo``."""
    return time_calls(echo.round_trip, count)
