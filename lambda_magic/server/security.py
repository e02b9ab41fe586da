"""What a request must show before it is served: the right ``Host`` and a Signature V4.

* **Host** (against DNS rebinding: a web page whose name now resolves to 127.0.0.1 still sends
  its own name): on loopback, ``localhost`` or a loopback address, with the server's port; when
  a host was given, also any IP address literal, that host's name and this machine's names.
* **Authorization**: an ``AWS4-HMAC-SHA256`` header whose ``Credential`` is
  ``<key>/<yyyymmdd>/<region>/lambda/aws4_request``, whose ``SignedHeaders`` include ``host``
  and ``x-amz-date`` (each of them present in the request), whose ``Signature`` is 64 hex
  digits, with an ``X-Amz-Date`` of the credential's day. A browser cannot send such a header
  across origins without a CORS preflight, and preflights are refused (no CORS header is ever
  sent). The signature itself cannot be verified: the server does not know the caller's secret
  key (any key works, as with ``sam local start-lambda``).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lambda_magic.server.errors import ApiError

ALGORITHM = "AWS4-HMAC-SHA256"
_PARAM_RE = re.compile(r"\s*([A-Za-z]+)=([^,\s]*)\s*(?:,|$)")
_KEY_RE = re.compile(r"[A-Za-z0-9]{1,128}")
_REGION_RE = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
_SIGNED_RE = re.compile(r"[a-z0-9-]+(;[a-z0-9-]+)*")
_DATE_RE = re.compile(r"(\d{8})T\d{6}Z")
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def _refuse(code: str, message: str) -> ApiError:
    return ApiError(code, message)


def _is_ip(host: str, loopback_only: bool) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or not loopback_only


@dataclass(frozen=True)
class HostCheck:
    """The names a request's ``Host`` may carry, with the server's port."""

    port: int
    loopback: bool
    names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def serving(cls, host: str, port: int, extra: Iterable[str] = ()) -> HostCheck:
        """The check for a server bound to ``host`` (loopback unless given otherwise)."""
        loopback = _is_ip(host, True) or host in LOOPBACK_NAMES
        names = {n.lower() for n in (*LOOPBACK_NAMES, *extra)}
        if not loopback:
            names |= {host.lower(), socket.gethostname().lower(), socket.getfqdn().lower()}
        return cls(port, loopback, frozenset(names))

    def allowed(self) -> list[str]:
        """How the server may be named (for messages)."""
        shown = sorted(self.names) + ["127.0.0.1", "[::1]" if self.loopback else "any IP address"]
        return [f"{n}:{self.port}" for n in shown]

    def check(self, value: str | None) -> None:
        """Raise unless ``value`` names this server."""
        if not value:
            raise _refuse("AccessDeniedException", "the request has no Host header")
        host, port = _split_host(value.strip())
        ok_port = port.isdigit() and int(port) == self.port
        ok_host = host.lower() in self.names or _is_ip(host, self.loopback)
        if not (ok_port and ok_host):
            raise _refuse(
                "AccessDeniedException",
                f"Host {value!r} is not an address of this server (DNS rebinding protection); "
                f"use one of {', '.join(self.allowed())}",
            )


def _split_host(value: str) -> tuple[str, str]:
    """``("[::1]", "3001")`` of ``[::1]:3001``; port 80 when none is given."""
    if value.startswith("["):
        end = value.find("]") + 1
        rest = value[end:]
        return value[:end], rest[1:] if rest.startswith(":") else "80"
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, port
    return value, "80"


def _params(rest: str) -> dict[str, str]:
    params: dict[str, str] = {}
    pos = 0
    while pos < len(rest):
        match = _PARAM_RE.match(rest, pos)
        if match is None or match.end() == pos:
            raise _refuse(
                "IncompleteSignatureException",
                f"Authorization header parameters must be Name=value pairs separated by "
                f"commas; could not read {rest[pos : pos + 40]!r}",
            )
        params[match.group(1)] = match.group(2)
        pos = match.end()
    return params


def check_signature(headers: Mapping[str, str]) -> str:
    """Raise unless the request carries a well-formed Signature V4; its access key id."""
    value = headers.get("authorization")
    if not value:
        raise _refuse(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token: sign requests with AWS Signature Version 4 "
            "(any AWS SDK or the AWS CLI does)",
        )
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _refuse(
            "IncompleteSignatureException",
            f"Unsupported Authorization algorithm {algorithm!r}: only {ALGORITHM} is accepted",
        )
    params = _params(rest)
    missing = [p for p in ("Credential", "SignedHeaders", "Signature") if not params.get(p)]
    if missing:
        raise _refuse(
            "IncompleteSignatureException",
            f"Authorization header requires {', '.join(missing)} (AWS4-HMAC-SHA256 "
            "Credential=..., SignedHeaders=..., Signature=...)",
        )
    scope = params["Credential"].split("/")
    if (
        len(scope) != 5
        or not _KEY_RE.fullmatch(scope[0])
        or not re.fullmatch(r"\d{8}", scope[1])
        or not _REGION_RE.fullmatch(scope[2])
        or scope[3] != "lambda"
        or scope[4] != "aws4_request"
    ):
        raise _refuse(
            "IncompleteSignatureException",
            f"Credential {params['Credential']!r} must be "
            "<access key id>/<yyyymmdd>/<region>/lambda/aws4_request",
        )
    _check_signed_headers(params["SignedHeaders"], headers, scope[1])
    if not re.fullmatch(r"[0-9a-f]{64}", params["Signature"]):
        raise _refuse(
            "IncompleteSignatureException", "Signature must be 64 lower-case hexadecimal digits"
        )
    return scope[0]


def _check_signed_headers(signed: str, headers: Mapping[str, str], day: str) -> None:
    if not _SIGNED_RE.fullmatch(signed):
        raise _refuse(
            "IncompleteSignatureException",
            f"SignedHeaders {signed!r} must be lower-case header names separated by ';'",
        )
    names = signed.split(";")
    if "host" not in names or not ({"x-amz-date", "date"} & set(names)):
        raise _refuse(
            "IncompleteSignatureException",
            "SignedHeaders must include host and x-amz-date",
        )
    absent = [n for n in names if n not in headers]
    if absent:
        raise _refuse(
            "IncompleteSignatureException",
            f"signed header(s) missing from the request: {', '.join(absent)}",
        )
    stamp = headers.get("x-amz-date")
    match = _DATE_RE.fullmatch(stamp or "") if stamp is not None else None
    if stamp is not None and (match is None or match.group(1) != day):
        raise _refuse(
            "IncompleteSignatureException",
            f"X-Amz-Date {stamp!r} must be yyyymmddThhmmssZ on the credential's day ({day})",
        )
