"""The Java runtime's class-data sharing archive: a training run that records what a cold start
loads, so that later JVMs map those classes instead of loading and verifying them.

The training run is the bootstrap itself (its ``Warmup`` entry point) with a few handlers of
every kind from ``java/train``; the last one is served a handful of events by a small stand-in
for the Runtime API here, which then refuses ``/next`` so that the JVM exits and writes the
archive (``-XX:ArchiveClassesAtExit``, a dynamic archive on top of the JDK's own).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from collections.abc import Sequence
from typing import Any, BinaryIO

TRAINING_HANDLERS = (
    "warmup.PojoHandler", "warmup.StreamHandler", "warmup.Methods::upper",
    "warmup.Methods::nothing", "warmup.Methods::count", "warmup.Missing",
    "warmup.MapHandler::handleRequest",
)  # fmt: skip
TRAINING_EVENTS = ({"a": 1, "b": [1, 2.5, "x", None, True]}, {"fail": True}, {"c": {"d": "e"}})
TRAINING_TIMEOUT_S = 120.0


class StandIn:
    """A Runtime API for one runtime: ``events`` in turn, then 500 on ``/next`` (so that the
    runtime exits); ``posts`` collects the path and body of every answer."""

    def __init__(self, events: Sequence[Any] = TRAINING_EVENTS) -> None:
        self.events = list(events)
        self.posts: list[tuple[str, bytes]] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, name="java-archive-api", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = conn.makefile("rb")
            served = 0
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                method, path, posted = request
                if method == "GET" and served < len(self.events):
                    body = json.dumps(self.events[served]).encode()
                    served += 1
                    head = (
                        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: warmup-%d\r\n"
                        "Lambda-Runtime-Deadline-Ms: 99999999999999\r\n"
                        "Lambda-Runtime-Invoked-Function-Arn: "
                        "arn:aws:lambda:us-east-1:000000000000:function:warmup\r\n"
                        "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\n"
                        "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                    ) % (served, len(body))
                    conn.sendall(head.encode() + body)
                elif method == "GET":
                    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
                else:
                    self.posts.append((path, posted))
                    conn.sendall(
                        b'HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{"status":"OK"}'
                    )

    def close(self) -> None:
        self.listener.close()
        self.thread.join(5)


def _read_request(reader: BinaryIO) -> tuple[str, str, bytes] | None:
    """Method, path and body of the next request on ``reader``."""
    readline = reader.readline
    start = readline()
    if not start:
        return None
    length = 0
    while True:
        line = readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = reader.read(length) if length else b""
    method, path = start.decode("latin-1").split()[:2]
    return method, path, body


def build_archive(java_command: list[str], jar: str, task_root: str, archive: str) -> str | None:
    """Run the training with ``java_command`` (the runtime's JVM options) and write the archive
    to ``archive``; returns None on success, else why no archive could be made."""
    partial = "%s.%d.tmp" % (archive, os.getpid())
    stand_in = StandIn()
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_LAMBDA_RUNTIME_API": stand_in.address,
        "AWS_LAMBDA_FUNCTION_NAME": "warmup",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/warmup",
        "AWS_LAMBDA_LOG_STREAM_NAME": "warmup",
        "LAMBDA_TASK_ROOT": task_root,
    }
    argv = [
        *java_command,
        "-XX:ArchiveClassesAtExit=" + partial,
        "-cp",
        jar,
        "lambdamagic.runtime.Warmup",
        *TRAINING_HANDLERS,
    ]
    try:
        done = subprocess.run(
            argv,
            cwd=task_root,
            env=env,
            capture_output=True,
            timeout=TRAINING_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"the training run failed: {e}"
    finally:
        stand_in.close()
    if len(stand_in.posts) < len(TRAINING_EVENTS) or not os.path.exists(partial):
        if os.path.exists(partial):
            os.unlink(partial)
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        return "the training run wrote no archive: " + " | ".join(tail)
    os.replace(partial, archive)
    return None
