"""Child-process sides of the baseline benchmarks: ``python workers.py MODE [ARGS]``.

Modes:

* ``pipe-echo``: echo length-prefixed messages from stdin to stdout (raw ``os.read`` /
  ``os.write`` on fds 0 and 1) until a zero length arrives.
* ``tcp-echo``: listen on 127.0.0.1, print the port, echo one connection (``TCP_NODELAY``)
  the same way.
* ``lambda-local COUNT WARMUP OUT``: time ``COUNT`` calls of python-lambda-local's ``call``
  (after ``WARMUP`` untimed ones) and write the samples (ms) as JSON to ``OUT``.
* ``manager-start OUT``: in this fresh process, time ``import lambda_magic`` and the first
  ``get_manager()`` (the sandbox manager's one-time start) and write them to ``OUT``.

Only the standard library is imported at module level, so the echo children start lean.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
import time
from typing import Any

HEADER = struct.Struct("!I")
EVENT_BYTES = 1024


def make_event() -> dict[str, str]:
    """The benchmark event: a JSON object of exactly ``EVENT_BYTES`` bytes once serialized."""
    event = {"k": ""}
    event["k"] = "x" * (EVENT_BYTES - len(json.dumps(event)))
    return event


def read_exact(fd: int, count: int) -> bytes:
    """Read exactly ``count`` bytes from ``fd`` (b"" at end of file)."""
    chunks: list[bytes] = []
    while count:
        chunk = os.read(fd, count)
        if not chunk:
            return b""
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def recv_exact(sock: socket.socket, count: int) -> bytes:
    """Receive exactly ``count`` bytes from ``sock`` (b"" at end of stream)."""
    chunks: list[bytes] = []
    while count:
        chunk = sock.recv(count)
        if not chunk:
            return b""
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def pipe_echo() -> None:
    """Echo framed messages from fd 0 to fd 1 until a zero-length frame or end of file."""
    while True:
        head = read_exact(0, HEADER.size)
        if not head:
            return
        (length,) = HEADER.unpack(head)
        if length == 0:
            return
        os.write(1, head + read_exact(0, length))


def tcp_echo() -> None:
    """Accept one loopback connection and echo framed messages on it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    os.write(1, f"{listener.getsockname()[1]}\n".encode())
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        head = recv_exact(conn, HEADER.size)
        if not head:
            return
        (length,) = HEADER.unpack(head)
        if length == 0:
            return
        conn.sendall(head + recv_exact(conn, length))


def echo_handler(event: Any, context: Any) -> Any:
    """The no-op handler that python-lambda-local runs (module level: picklable)."""
    return event


def lambda_local(count: int, warmup: int, out: str) -> None:
    """Time python-lambda-local's ``call`` on a 1 KB event, as its README shows it used."""
    from lambda_local.context import Context
    from lambda_local.main import call

    event = make_event()
    samples: list[float] = []
    for i in range(warmup + count):
        context = Context(3)
        start = time.perf_counter_ns()
        result, error = call(echo_handler, event, context)
        elapsed = (time.perf_counter_ns() - start) / 1e6
        if error is not None or result != event:
            raise SystemExit(f"python-lambda-local returned {result!r} ({error})")
        if i >= warmup:
            samples.append(elapsed)
    with open(out, "w") as f:
        json.dump(samples, f)


def manager_start(out: str) -> None:
    """Time the import of lambda_magic and the sandbox manager's start in a fresh process."""
    start = time.perf_counter_ns()
    from lambda_magic.platform.sandbox.client import get_manager

    imported = time.perf_counter_ns()
    manager = get_manager()
    started = time.perf_counter_ns()
    with open(out, "w") as f:
        json.dump({"import_ms": (imported - start) / 1e6, "start_ms": (started - imported) / 1e6,
                   "manager_pid": manager.process.pid}, f)  # fmt: skip


def main(argv: list[str]) -> None:
    """Dispatch on the mode (see the module docstring)."""
    mode, args = argv[1], argv[2:]
    if mode == "pipe-echo":
        pipe_echo()
    elif mode == "tcp-echo":
        tcp_echo()
    elif mode == "lambda-local":
        lambda_local(int(args[0]), int(args[1]), args[2])
    elif mode == "manager-start":
        manager_start(args[0])
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
