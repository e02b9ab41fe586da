"""Random identifiers as Lambda writes them, made cheaply (``uuid.uuid4()`` builds an object and
checks its fields: about 15 us, three times per invocation)."""

from __future__ import annotations

import os


def request_id() -> str:
    """A random version-4 UUID as text: ``8476a536-e9f4-41e8-9739-2dfe598c3fcd``."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def hex_id(digits: int) -> str:
    """``digits`` random hexadecimal digits."""
    return os.urandom((digits + 1) // 2).hex()[:digits]
