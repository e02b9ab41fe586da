"""The safety rules: loopback unless told, the Host check, the signature check, no CORS, and
malformed or hostile requests answered in Lambda's shape without hurting anyone else; a
stopped server leaves no thread or socket behind."""

from __future__ import annotations

import http.client
import json
import socket
import time

import psutil

SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/lambda/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "a" * 64,
    "X-Amz-Date": "20261130T120000Z",
}


def raw(server, method: str, path: str, headers: dict | None = None, body: bytes = b"",
        host: str | None = None) -> tuple[int, dict, dict]:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{server.port}")
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            json.loads(data or b"{}"),
        )
    finally:
        conn.close()


def test_it_listens_on_loopback(server) -> None:
    assert server.host == "127.0.0.1" and server.url == f"http://127.0.0.1:{server.port}"
    listening = [c for c in psutil.Process().net_connections("inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == server.port]  # fmt: skip
    assert [c.laddr.ip for c in listening] == ["127.0.0.1"]


def test_requests_without_a_signature_are_refused(server) -> None:
    status, headers, body = raw(server, "GET", "/2015-03-31/functions/")
    assert status == 403 and headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
    assert body["Type"] == "User" and "Signature Version 4" in body["message"]
    bad = [
        {**SIGNED, "Authorization": "Bearer token"},
        {**SIGNED, "Authorization": SIGNED["Authorization"].replace("/lambda/", "/s3/")},
        {
            **SIGNED,
            "Authorization": SIGNED["Authorization"].replace("host;x-amz-date", "x-amz-date"),
        },
        {**SIGNED, "Authorization": SIGNED["Authorization"].replace("a" * 64, "xyz")},
        {"Authorization": SIGNED["Authorization"]},  # the signed x-amz-date is missing
        {**SIGNED, "X-Amz-Date": "20200101T000000Z"},  # not the credential's day
    ]
    for headers in bad:
        status, found, _ = raw(server, "GET", "/2015-03-31/functions/", headers)
        assert status == 403 and found["x-amzn-errortype"] == "IncompleteSignatureException"
    status, _, body = raw(server, "GET", "/2015-03-31/functions/", SIGNED)
    assert status == 200 and "Functions" in body


def test_a_foreign_host_is_refused_dns_rebinding(server) -> None:
    for host in ("evil.example:%d" % server.port, f"127.0.0.1:{server.port + 1}",
                 f"lambda.attacker.test:{server.port}", "127.0.0.1"):  # fmt: skip
        status, headers, body = raw(server, "GET", "/2015-03-31/functions/", SIGNED, host=host)
        assert status == 403 and headers["x-amzn-errortype"] == "AccessDeniedException"
        assert "DNS rebinding" in body["message"]
    for host in (f"localhost:{server.port}", f"[::1]:{server.port}"):
        assert raw(server, "GET", "/2015-03-31/functions/", SIGNED, host=host)[0] == 200


def test_cors_preflights_get_no_cors_headers(server) -> None:
    preflight = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,x-amz-date"}  # fmt: skip
    status, headers, _ = raw(server, "OPTIONS", "/2015-03-31/functions/f/invocations", preflight)
    assert status == 403
    assert not [h for h in headers if h.startswith("access-control-")]
    status, headers, _ = raw(server, "GET", "/2015-03-31/functions/",
                             {**SIGNED, "Origin": "http://evil.example"})  # fmt: skip
    assert status == 200 and not [h for h in headers if h.startswith("access-control-")]


def test_malformed_requests_get_lambdas_errors_and_others_are_served(server, lam) -> None:
    status, headers, body = raw(server, "GET", "/2015-03-31/nothing-here", SIGNED)
    assert (status, headers["x-amzn-errortype"]) == (404, "UnknownOperationException")
    status, headers, _ = raw(server, "POST", "/2015-03-31/functions", SIGNED, b"{not json")
    assert (status, headers["x-amzn-errortype"]) == (400, "InvalidRequestContentException")
    status, headers, _ = raw(server, "POST", "/2015-03-31/functions", SIGNED, b"[]")
    assert status == 400
    status, headers, _ = raw(server, "PUT", "/2017-10-31/functions/x/concurrency",
                             SIGNED, b"1" * (2 * 1024 * 1024))  # fmt: skip
    assert (status, headers["x-amzn-errortype"]) == (413, "RequestTooLargeException")
    assert lam.list_functions()["ResponseMetadata"]["HTTPStatusCode"] == 200


def _send(server, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_bad_heads_huge_bodies_and_slow_clients(server, lam) -> None:
    host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
    answer = _send(server, b"GARBAGE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400") and b"InvalidRequestContentException" in answer
    answer = _send(server, b"GET /x HTTP/1.1\r\n" + host + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 4") and b"x-amzn-ErrorType" in answer
    answer = _send(server, b"GET / HTTP/1.1\r\n" + host + b"".join(
        b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n")  # fmt: skip
    assert answer.startswith(b"HTTP/1.1 4")
    head = b"POST /2015-03-31/functions/f/invocations HTTP/1.1\r\n" + host
    answer = _send(server, head + b"Content-Length: 1000000000\r\n\r\n")  # never sent
    assert answer.startswith(b"HTTP/1.1 413") and b"Connection: close" in answer
    answer = _send(server, head + b"Content-Length: twelve\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    answer = _send(server, head + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    slow = socket.create_connection(("127.0.0.1", server.port))  # a head that never ends
    slow.sendall(b"GET /2015-03-31/functions/ HTTP/1.1\r\n")
    started = time.monotonic()
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]  # others go on
    assert isinstance(names, list) and time.monotonic() - started < 2
    slow.close()
