"""The encodings AWS services really use in events (URL-encoded keys, base64, MD5, queries)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

__all__ = [
    "b64",
    "body_fields",
    "header_pairs",
    "json_text",
    "md5_hex",
    "partition_of",
    "query_pairs",
    "s3_key",
    "to_bytes",
]

Pairs = list[tuple[str, str]]


def to_bytes(data: str | bytes | bytearray) -> bytes:
    """UTF-8 bytes of a str, or the bytes themselves."""
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def b64(data: str | bytes | bytearray) -> str:
    """Standard base64 (with padding) of the UTF-8 bytes of ``data``."""
    return base64.b64encode(to_bytes(data)).decode("ascii")


def md5_hex(text: str) -> str:
    """Hex MD5 of the UTF-8 bytes, as in SQS ``md5OfBody``."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # it is what SQS sends


def s3_key(key: str) -> str:
    """An S3 key as S3 event notifications carry it: URL-encoded, spaces as ``+``."""
    return quote_plus(key, safe="/")


def json_text(value: Any) -> str:
    """Compact JSON, as services serialise nested documents into strings."""
    return json.dumps(value, separators=(",", ":"))


def partition_of(region: str) -> str:
    """The ARN partition of a Region (``aws``, ``aws-cn`` or ``aws-us-gov``)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def query_pairs(query: Mapping[str, str | list[str]] | str) -> Pairs:
    """Ordered ``(name, value)`` pairs of a query given as a dict or as a raw query string."""
    if isinstance(query, str):
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    pairs: Pairs = []
    for name, value in query.items():
        for item in [value] if isinstance(value, str) else value:
            pairs.append((name, item))
    return pairs


def raw_query(pairs: Pairs) -> str:
    """The query string a client sends for ``pairs`` (percent-encoding, ``%20`` for spaces)."""
    return urlencode(pairs, quote_via=quote)


def header_pairs(*layers: Mapping[str, str | list[str]]) -> Pairs:
    """Merge header dicts (later layers replace earlier ones, case-insensitively) into pairs."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for layer in layers:
        for name, value in layer.items():
            merged[name.lower()] = (name, [value] if isinstance(value, str) else list(value))
    return [(name, v) for name, values in merged.values() for v in values]


def single_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Name to last value (REST API ``headers``/``queryStringParameters``, ALB)."""
    return {name: value for name, value in pairs}


def multi_map(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Name to every value in order (``multiValueHeaders``/``multiValueQueryStringParameters``)."""
    result: dict[str, list[str]] = {}
    for name, value in pairs:
        result.setdefault(name, []).append(value)
    return result


def joined_map(pairs: Iterable[tuple[str, str]], lower: bool = False) -> dict[str, str]:
    """Name to comma-joined values (HTTP API v2, Function URLs); names lower-cased if asked."""
    return {
        name: ",".join(values)
        for name, values in multi_map((n.lower() if lower else n, v) for n, v in pairs).items()
    }


def body_fields(body: str | bytes | bytearray | None) -> tuple[str | None, bool]:
    """``(body, isBase64Encoded)``: bytes go base64-encoded, text as is."""
    if body is None:
        return None, False
    if isinstance(body, (bytes, bytearray)):
        return b64(body), True
    return body, False
