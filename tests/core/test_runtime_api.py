"""The Runtime API as a runtime nobody here wrote sees it: AWS's awslambdaric, and a bare
http.client runtime probing the protocol's answers."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.helpers import lines_starting, report_fields

pytestmark = pytest.mark.timeout(60)

RIC = [sys.executable, "-m", "awslambdaric", "{handler}"]
HANDLER = """
import os
COUNT = 0
def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print("ric got", event)
    if event.get("fail"):
        raise ValueError("boom")
    return {"count": COUNT, "req": context.aws_request_id, "memory": context.memory_limit_in_mb,
            "left": context.get_remaining_time_in_millis(), "arn": context.invoked_function_arn,
            "stream": context.log_stream_name, "trace": os.environ.get("_X_AMZN_TRACE_ID")}
"""


def test_awslambdaric_serves_invocations(make_function) -> None:
    fn = make_function(HANDLER, name="ric", runtime_command=RIC, memory_size=192, timeout=5)
    first = fn.invoke({"n": 1})
    second = fn.invoke({"n": 2})
    assert first.ok and second.ok, first.payload
    assert (first.payload["count"], second.payload["count"]) == (1, 2)  # warm state across invokes
    assert first.payload["req"] == first.request_id and first.payload["memory"] == "192"
    assert 4000 < first.payload["left"] <= 5000
    assert first.payload["arn"].endswith(":function:ric")
    assert first.payload["stream"] == first.log_stream_name
    assert first.payload["trace"].startswith("Root=1-")
    assert "ric got {'n': 1}" in first.logs
    assert first.cold_start and not second.cold_start
    assert "Init Duration" in report_fields(lines_starting(first, "REPORT")[0])


def test_awslambdaric_errors_match_the_built_in_runtime(make_function) -> None:
    ric = make_function(HANDLER, runtime_command=RIC).invoke({"fail": True})
    ours = make_function(HANDLER).invoke({"fail": True})
    for r in (ric, ours):
        assert list(r.payload) == ["errorMessage", "errorType", "requestId", "stackTrace"]
        assert (r.payload["errorType"], r.payload["errorMessage"]) == ("ValueError", "boom")
        assert r.payload["stackTrace"][0].endswith('raise ValueError("boom")\n')

    def error_events(r):
        root = r.payload["stackTrace"][0].split('"')[1].rsplit("/", 1)[0]
        return [
            e.message.replace(root, "ROOT") for e in r.log_events if e.message.startswith("[ERROR]")
        ]

    assert error_events(ric) == error_events(ours)


def test_awslambdaric_init_error(make_function) -> None:
    r = make_function("import missing_dependency\n", runtime_command=RIC).invoke()
    assert r.payload == {
        "errorMessage": "Unable to import module 'lambda_function': No module named "
        "'missing_dependency'",
        "errorType": "Runtime.ImportModuleError",
        "requestId": "",
        "stackTrace": [],
    }
    assert [x.split("\t")[1] for x in lines_starting(r, "INIT_REPORT")] == [
        "Phase: init",
        "Phase: invoke",
    ]


PROBE = textwrap.dedent('''
    """A bare runtime on http.client that records how the Runtime API answers."""
    import http.client, json, os, sys
    conn = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"])
    def call(method, path, body=None, headers=None):
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    base = "/2018-06-01/runtime"
    while True:
        status, headers, event = call("GET", base + "/invocation/next")
        rid = headers["Lambda-Runtime-Aws-Request-Id"]
        answers = {
            "next_status": status,
            "headers": sorted(k for k in headers if k.startswith("Lambda-Runtime")),
            "content_type": headers["Content-Type"],
            "deadline_is_int": headers["Lambda-Runtime-Deadline-Ms"].isdigit(),
            "event": json.loads(event),
            "unknown_id": call("POST", base + "/invocation/nope/response", b"1")[::2],
            "unknown_path": call("GET", base + "/nothing")[0],
        }
        answers["unknown_id"] = [answers["unknown_id"][0], json.loads(answers["unknown_id"][1])]
        status, _, body = call("POST", base + f"/invocation/{rid}/response", json.dumps(answers).encode(),
                               {"Content-Type": "application/json"})
        again = call("POST", base + f"/invocation/{rid}/response", b"2")
        sys.stdout.write(f"first {status} {body.decode()} second {again[0]} {json.loads(again[2])['errorType']}\\n")
        sys.stdout.flush()
''')


def test_protocol_answers_to_a_bare_runtime(make_function) -> None:
    # Shipped in the package, as a custom runtime's bootstrap is (the caller's /tmp is not
    # visible inside an environment).
    fn = make_function("", files={"probe.py": PROBE}, runtime_command=[sys.executable, "probe.py"])
    r = fn.invoke({"hello": "runtime"}, client_context={"custom": {"k": "v"}})
    answers = r.payload
    assert answers["next_status"] == 200 and answers["event"] == {"hello": "runtime"}
    assert answers["headers"] == [
        "Lambda-Runtime-Aws-Request-Id",
        "Lambda-Runtime-Client-Context",
        "Lambda-Runtime-Deadline-Ms",
        "Lambda-Runtime-Invoked-Function-Arn",
        "Lambda-Runtime-Trace-Id",
    ]
    assert answers["content_type"] == "application/json" and answers["deadline_is_int"]
    assert answers["unknown_id"] == [
        400,
        {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"},
    ]
    assert answers["unknown_path"] == 404
    assert 'first 202 {"status":"OK"} second 403 InvalidStateTransition' in r.logs


STREAMER = textwrap.dedent('''
    """A bare runtime that streams its response in chunks, as Node.js's streamifyResponse does,
    and reports an error in the trailers when the event asks it to."""
    import base64, json, os, socket
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    sock = socket.create_connection((host, int(port)))
    def read_response():
        data = b""
        while b"\\r\\n\\r\\n" not in data:
            data += sock.recv(65536)
        head, _, rest = data.partition(b"\\r\\n\\r\\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\\r\\n")[1:])
        length = int(headers.get("Content-Length", 0))
        while len(rest) < length:
            rest += sock.recv(65536)
        return head.split(b" ")[1], headers, rest[:length]
    base = "/2018-06-01/runtime"
    while True:
        sock.sendall(f"GET {base}/invocation/next HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n".encode())
        _, headers, body = read_response()
        rid, event = headers["Lambda-Runtime-Aws-Request-Id"], json.loads(body)
        mode = event.get("mode", "streaming")
        parts = [f"POST {base}/invocation/{rid}/response HTTP/1.1\\r\\nHost: x\\r\\n"
                 f"Lambda-Runtime-Function-Response-Mode: {mode}\\r\\n"
                 "Transfer-Encoding: chunked\\r\\nTrailer: Lambda-Runtime-Function-Error-Type, "
                 "Lambda-Runtime-Function-Error-Body\\r\\n\\r\\n"]
        for chunk in (b"first ", b"second"):
            parts.append(f"{len(chunk):x}\\r\\n{chunk.decode()}\\r\\n")
        parts.append("0\\r\\n")
        if event.get("fail"):
            error = {"errorType": "Error", "errorMessage": "the stream broke", "trace": []}
            encoded = base64.b64encode(json.dumps(error).encode()).decode()
            parts.append("Lambda-Runtime-Function-Error-Type: Error\\r\\n"
                         f"Lambda-Runtime-Function-Error-Body: {encoded}\\r\\n")
        parts.append("\\r\\n")
        sock.sendall("".join(parts).encode())
        status, _, answer = read_response()
        print("posted", status.decode(), answer.decode(), flush=True)
''')


def test_a_streamed_response_and_an_error_in_its_trailers(make_function) -> None:
    fn = make_function("", files={"streamer.py": STREAMER},
                       runtime_command=[sys.executable, "streamer.py"])  # fmt: skip
    ok = fn.invoke({})
    assert ok.ok and ok.raw == b"first second"
    failed = fn.invoke({"fail": True})
    assert not failed.ok
    assert failed.error.error_type == "Error" and failed.error.error_message == "the stream broke"
    assert failed.raw == b"first second"  # what reached the caller before the error
    assert 'posted 202 {"status":"OK"}' in failed.logs
    bad_mode = fn.invoke({"mode": "buffered"})
    assert bad_mode.error_type == "Runtime.InvalidResponseModeHeader"
    assert "posted 400" in bad_mode.logs and "InvalidFunctionResponseMode" in bad_mode.logs
    assert fn.invoke({}).ok  # the environment goes on serving
