"""Amazon CloudFront Lambda@Edge events, one per classic Lambda@Edge use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, one_of, register
from lambda_magic.events.templates._http import METHODS

_DOCS = {
    "uri": "request URI (path)",
    "querystring": "raw query string, without '?'",
    "headers": "extra viewer request headers",
    "client_ip": "viewer IP address",
    "status": "origin response status code (response events only)",
}


@dataclass(frozen=True)
class _Case:
    name: str
    description: str
    event_type: str
    uri: str = "/test"
    querystring: str = ""
    headers: dict[str, str] = field(default_factory=dict)


_CASES = (
    _Case(
        "ab-test",
        "A/B test: choose a variant from a cookie (viewer request)",
        "viewer-request",
        "/experiment-pixel.jpg",
        headers={"Cookie": "X-Experiment-Name=B"},
    ),
    _Case(
        "access-request-in-response",
        "copy a request header into the response (origin response)",
        "origin-response",
    ),
    _Case("http-redirect", "generate an HTTP redirect (viewer request)", "viewer-request"),
    _Case(
        "modify-querystring",
        "add or change query parameters (viewer request)",
        "viewer-request",
        querystring="auth=test&foo=bar",
    ),
    _Case(
        "modify-response-header",
        "change a header of the origin response (origin response)",
        "origin-response",
    ),
    _Case(
        "multiple-remote-calls-aggregate-response",
        "aggregate several remote calls into one response (origin request)",
        "origin-request",
        "/forecast/Seattle:NewYork:Chicago:SanFrancisco",
    ),
    _Case(
        "normalize-querystring-to-improve-cache-hit",
        "normalise the query string for cache hits (viewer request)",
        "viewer-request",
        querystring="size=LARGE&color=RED",
    ),
    _Case(
        "redirect-on-viewer-country",
        "redirect by the CloudFront-Viewer-Country header (origin request)",
        "origin-request",
        headers={"CloudFront-Viewer-Country": "DE"},
    ),
    _Case(
        "redirect-unauthenticated-users",
        "redirect users without a session cookie to sign in (viewer request)",
        "viewer-request",
    ),
    _Case(
        "response-generation",
        "generate a response without the origin (viewer request)",
        "viewer-request",
    ),
    _Case(
        "serve-object-on-viewer-device",
        "serve content by CloudFront-Is-*-Viewer device headers (origin request)",
        "origin-request",
        headers={
            "CloudFront-Is-Desktop-Viewer": "false",
            "CloudFront-Is-Mobile-Viewer": "true",
            "CloudFront-Is-SmartTV-Viewer": "false",
            "CloudFront-Is-Tablet-Viewer": "false",
        },
    ),
    _Case(
        "simple-remote-call",
        "call a remote service from the edge (origin request)",
        "origin-request",
    ),
)


def _cf_headers(pairs: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    result: dict[str, list[dict[str, str]]] = {}
    for name, value in pairs.items():
        result.setdefault(name.lower(), []).append({"key": name, "value": value})
    return result


def _record(
    g: Gen,
    case: _Case,
    *,
    uri: str,
    method: str,
    querystring: str,
    headers: dict[str, str],
    client_ip: str,
    status: int,
) -> dict[str, Any]:
    verb = one_of("method", method, METHODS, upper=True)
    domain = f"d{g.lower(13)}.cloudfront.net"
    request: dict[str, Any] = {
        "clientIp": client_ip,
        "headers": _cf_headers(
            {"Host": domain, "User-Agent": "curl/8.4.0", "Accept": "*/*", **case.headers, **headers}
        ),
        "method": verb,
        "querystring": querystring.lstrip("?"),
        "uri": uri,
    }
    if case.event_type.startswith("origin"):
        request["origin"] = _origin()
    config = {
        "distributionDomainName": domain,
        "distributionId": "E" + g.upper(13),
        "eventType": case.event_type,
        "requestId": g.alnum(54) + "==",
    }
    cf: dict[str, Any] = {"config": config, "request": request}
    if case.event_type.endswith("response"):
        cf["response"] = _response(g, status)
    return {"cf": cf}


def _origin() -> dict[str, Any]:
    return {
        "custom": {
            "customHeaders": {},
            "domainName": "example.org",
            "keepaliveTimeout": 5,
            "path": "",
            "port": 443,
            "protocol": "https",
            "readTimeout": 30,
            "sslProtocols": ["TLSv1.2"],
        }
    }


def _response(g: Gen, status: int) -> dict[str, Any]:
    headers = {
        "Content-Type": "text/html; charset=UTF-8",
        "Last-Modified": g.rfc2822(g.time()),
        "Server": "ECS (ord/5CC6)",
        "Cache-Control": "max-age=300",
    }
    return {
        "headers": _cf_headers(headers),
        "status": str(status),
        "statusDescription": "OK" if status == 200 else "",
    }


def _register(case: _Case) -> None:
    def build(
        g: Gen,
        *,
        uri: str = case.uri,
        method: str = "GET",
        querystring: str = case.querystring,
        headers: dict[str, str] = {},
        client_ip: str = "203.0.113.178",
        status: int = 200,
    ) -> Event:
        return {
            "Records": [
                _record(
                    g,
                    case,
                    uri=uri,
                    method=method,
                    querystring=querystring,
                    headers=headers,
                    client_ip=client_ip,
                    status=status,
                )
            ]
        }

    register(
        f"cloudfront:{case.name}",
        f"Amazon CloudFront Lambda@Edge: {case.description}",
        build,
        **_DOCS,
    )


for _case in _CASES:
    _register(_case)
