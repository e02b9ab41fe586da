"""Framing between the host and the sandbox manager: length-prefixed JSON over a Unix socket,
with file descriptors passed alongside (``SCM_RIGHTS``). Standard library only."""

from __future__ import annotations

import array
import json
import socket
import struct
from typing import Any

_HEADER = struct.Struct("!I")
MAX_FDS = 8


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """Send one message (and ``fds``) in a single ``sendmsg`` call plus any remainder."""
    payload = json.dumps(message, separators=(",", ":")).encode()
    data = _HEADER.pack(len(payload)) + payload
    if fds:
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))]
        sent = sock.sendmsg([data], ancillary)
        data = data[sent:]
    if data:
        sock.sendall(data)


class Reader:
    """Reassembles messages from a stream socket, keeping received fds in arrival order."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.fds: list[int] = []

    def feed(self) -> bool:
        """Read what is available; False at end of stream."""
        fds = array.array("i")
        data, ancdata, _, _ = self.sock.recvmsg(1 << 16, socket.CMSG_SPACE(MAX_FDS * fds.itemsize))
        for level, kind, blob in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(blob) - len(blob) % fds.itemsize
                fds.frombytes(blob[:usable])
        self.fds.extend(fds)
        self.buffer += data
        return bool(data)

    def messages(self) -> list[dict[str, Any]]:
        """The complete messages received so far."""
        out = []
        while len(self.buffer) >= _HEADER.size:
            (length,) = _HEADER.unpack_from(self.buffer)
            if len(self.buffer) < _HEADER.size + length:
                break
            payload = self.buffer[_HEADER.size : _HEADER.size + length]
            self.buffer = self.buffer[_HEADER.size + length :]
            out.append(json.loads(payload))
        return out

    def take_fds(self, count: int) -> list[int]:
        """The next ``count`` received descriptors (a message says how many it carried)."""
        taken, self.fds = self.fds[:count], self.fds[count:]
        return taken
