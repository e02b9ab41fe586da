"""Shared pieces of the HTTP-style events (API Gateway, ALB, Function URLs, VPC Lattice)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from lambda_magic.events._encoding import (
    body_fields,
    header_pairs,
    joined_map,
    query_pairs,
    to_bytes,
)
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import one_of

__all__ = ["METHODS", "SAMPLE_BODY", "HttpRequest", "cookie_jar", "http_request", "trace_id",
           "v2_headers"]  # fmt: skip

METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
#: The templates' default body; a GET or HEAD request made from a template leaves it out.
SAMPLE_BODY = '{"test":"body"}'

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"


@dataclass(frozen=True)
class HttpRequest:
    """A normalised HTTP request: method, path, header and query pairs, encoded body."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    query: list[tuple[str, str]]
    body: str | None
    is_base64: bool
    source_ip: str
    user_agent: str


def trace_id(g: Gen) -> str:
    """An X-Ray trace id header value (``Root=1-<epoch hex>-<24 hex>``)."""
    return f"Root=1-{g.epoch_s(g.time()):08x}-{g.hex(24)}"


def cookie_jar(req: HttpRequest, cookies: list[str]) -> list[str]:
    """Cookies for ``cookies`` fields: the given ones, then those of Cookie headers."""
    jar = [*cookies]
    for name, value in req.headers:
        if name.lower() == "cookie":
            jar.extend(c.strip() for c in value.split(";") if c.strip())
    return jar


def v2_headers(req: HttpRequest) -> dict[str, str]:
    """Payload 2.0 headers: lower-case names, repeated values comma-joined, no Cookie."""
    return joined_map([(n, v) for n, v in req.headers if n.lower() != "cookie"], lower=True)


def _content_type(body: str | bytes | bytearray) -> str:
    if isinstance(body, (bytes, bytearray)):
        return "application/octet-stream"
    try:
        json.loads(body)
    except ValueError:
        return "text/plain"
    return "application/json"


def http_request(
    g: Gen,
    *,
    method: str,
    path: str,
    host: str,
    headers: Mapping[str, str | list[str]],
    query: Mapping[str, str | list[str]] | str,
    body: str | bytes | None,
    source_ip: str,
) -> HttpRequest:
    """Validate the method, complete the path and merge realistic default headers."""
    verb = one_of("method", method, METHODS, upper=True)
    if verb in ("GET", "HEAD") and body == SAMPLE_BODY:  # no body, no Content-Length
        body = None
    defaults: dict[str, str] = {
        "Accept": "*/*",
        "Host": host,
        "User-Agent": USER_AGENT,
        "X-Amzn-Trace-Id": trace_id(g),
        "X-Forwarded-For": source_ip,
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if body is not None:
        defaults["Content-Length"] = str(len(to_bytes(body)))
        if body:
            defaults["Content-Type"] = _content_type(body)
    pairs = header_pairs(defaults, headers)
    agent = next((v for n, v in pairs if n.lower() == "user-agent"), USER_AGENT)
    encoded, is_b64 = body_fields(body)
    return HttpRequest(
        method=verb,
        path=path if path.startswith("/") else "/" + path,
        headers=pairs,
        query=query_pairs(query),
        body=encoded,
        is_base64=is_b64,
        source_ip=source_ip,
        user_agent=agent,
    )
