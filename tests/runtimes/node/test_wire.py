"""What the Node.js runtime puts on the wire, read by a Runtime API of the test's own: streamed
chunks leave as the handler writes them, a mid-stream error travels as HTTP trailers, and log
records go as telemetry frames to _LAMBDA_TELEMETRY_LOG_FD. AWS's client (the oracle) is run
against the same listener and must send the same."""

from __future__ import annotations

import base64
import json
import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtimes.node.conftest import runtime_command
from tests.runtimes.node.wire import StubApi, read_frames, start_runtime

pytestmark = pytest.mark.timeout(60)

SLOW_STREAM = """
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.write("first ");
  await new Promise((resolve) => setTimeout(resolve, 600));
  stream.write("second");
  if (event.fail) throw new TypeError("broke mid-stream");
  stream.end();
});
"""


@pytest.fixture
def stub() -> Iterator[Any]:
    """``stub(events, handler_source)``: a listener, a task root, then the runtime's requests."""
    started: list[Any] = []

    def run(tmp: Path, events: list[Any], source: str, command: list[str],
            env: dict[str, str] | None = None, fds: tuple[int, ...] = ()) -> Any:  # fmt: skip
        (tmp / "index.mjs").write_text(textwrap.dedent(source))
        api = StubApi(events)
        argv, variables = _split_env(command)
        proc = start_runtime(argv, api, tmp, "index.handler", {**variables, **(env or {})}, fds)
        started.append((api, proc))
        return api, proc

    yield run
    for api, proc in started:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        api.close()


def _split_env(command: list[str]) -> tuple[list[str], dict[str, str]]:
    """``env K=V ... argv`` as (argv, {K: V}), with the handler in place of ``{handler}``."""
    i, variables = (1 if command[0] == "env" else 0), {}
    while "=" in command[i]:
        name, value = command[i].split("=", 1)
        variables[name] = value
        i += 1
    return [a.replace("{handler}", "index.handler") for a in command[i:]], variables


def _command(client: str) -> list[str]:
    return runtime_command("nodejs24.x", client)


@pytest.mark.parametrize("runtime", ["nodejs22.x", "nodejs24.x"])
@pytest.mark.parametrize("client", ["builtin", "oracle"])
def test_streamed_chunks_leave_before_the_handler_ends(
    stub: Any, tmp_path: Path, client: str, runtime: str
) -> None:
    api, _ = stub(tmp_path, [{}], SLOW_STREAM, runtime_command(runtime, client))
    response = api.wait_for(3)[1]  # /next, the streamed /response, the next /next
    assert response.line.startswith("POST /2018-06-01/runtime/invocation/")
    assert response.line.split()[1].endswith("/response")
    assert response.headers["lambda-runtime-function-response-mode"] == "streaming"
    assert response.headers["transfer-encoding"] == "chunked"
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.body == b"first second"
    first_at = response.chunks[0][0]
    assert response.chunks[0][1] == b"first "
    assert response.done_at - first_at > 0.4  # the first chunk came while the handler slept
    assert response.trailers == {}


@pytest.mark.parametrize("runtime", ["nodejs22.x", "nodejs24.x"])
@pytest.mark.parametrize("client", ["builtin", "oracle"])
def test_an_error_mid_stream_is_sent_as_trailers(
    stub: Any, tmp_path: Path, client: str, runtime: str
) -> None:
    api, _ = stub(tmp_path, [{"fail": True}], SLOW_STREAM, runtime_command(runtime, client))
    response = api.wait_for(2)[1]
    assert response.body == b"first second"
    assert response.headers["trailer"] == (
        "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"
    )
    assert response.trailers["lambda-runtime-function-error-type"] == "TypeError"
    error = json.loads(base64.b64decode(response.trailers["lambda-runtime-function-error-body"]))
    assert list(error) == ["errorType", "errorMessage", "trace"]
    assert (error["errorType"], error["errorMessage"]) == ("TypeError", "broke mid-stream")
    assert error["trace"][0] == "TypeError: broke mid-stream"


@pytest.mark.parametrize("client", ["builtin", "oracle"])
def test_http_response_stream_writes_its_prelude(stub: Any, tmp_path: Path, client: str) -> None:
    source = """
    export const handler = awslambda.streamifyResponse(async (event, stream) => {
      stream = awslambda.HttpResponseStream.from(stream, { statusCode: 404, headers: { a: "b" } });
      stream.write("not here");
      stream.end();
    });"""
    api, _ = stub(tmp_path, [{}], source, _command(client))
    response = api.wait_for(2)[1]
    ctype = "application/vnd.awslambda.http-integration-response"
    assert response.headers["content-type"] == ctype
    assert response.body == b'{"statusCode":404,"headers":{"a":"b"}}' + b"\0" * 8 + b"not here"


LOGGING = """
console.log("at init");
export const handler = async () => {
  console.info("two\\nlines");
  console.warn("careful");
  console.error(new Error("shown"));
  return String(process.env._LAMBDA_TELEMETRY_LOG_FD);
};
"""
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t(-|undefined|[0-9a-f-]{36})\t"
                       r"(INFO|WARN|ERROR)\t")  # fmt: skip


@pytest.mark.parametrize("runtime", ["nodejs22.x", "nodejs24.x"])
@pytest.mark.parametrize("client", ["builtin", "oracle"])
def test_log_records_are_framed_on_the_telemetry_fd(stub: Any, tmp_path: Path, client: str,
                                                    runtime: str) -> None:  # fmt: skip
    read_fd, write_fd = os.pipe()
    api, proc = stub(tmp_path, [{}], LOGGING, runtime_command(runtime, client),
                     {"_LAMBDA_TELEMETRY_LOG_FD": str(write_fd)}, (write_fd,))  # fmt: skip
    os.close(write_fd)
    response = api.wait_for(3)[1]
    assert response.body == b'"undefined"'  # the variable was taken out of the environment
    proc.kill()
    proc.wait()
    with os.fdopen(read_fd, "rb") as pipe:
        frames = read_frames(pipe.read())
    assert [(hex(kind), TEXT_LINE.match(msg)[2]) for kind, _, msg in frames] == [  # type: ignore[index]
        ("0xa55a000f", "INFO"), ("0xa55a000f", "INFO"), ("0xa55a0013", "WARN"),
        ("0xa55a0017", "ERROR")]  # fmt: skip
    assert frames[1][2].endswith("\ttwo\nlines\n")  # one record, new lines kept, no \r
    assert all(msg.endswith("\n") for _, _, msg in frames)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    assert "at init" not in stdout and "careful" not in stdout  # nothing went to stdout


@pytest.mark.parametrize("client", ["builtin", "oracle"])
def test_json_records_use_the_json_frame_types(stub: Any, tmp_path: Path, client: str) -> None:
    read_fd, write_fd = os.pipe()
    env = {"_LAMBDA_TELEMETRY_LOG_FD": str(write_fd), "AWS_LAMBDA_LOG_FORMAT": "JSON",
           "AWS_LAMBDA_LOG_LEVEL": "WARN"}  # fmt: skip
    api, proc = stub(tmp_path, [{}], LOGGING, _command(client), env, (write_fd,))
    os.close(write_fd)
    api.wait_for(3)
    proc.kill()
    proc.wait()
    with os.fdopen(read_fd, "rb") as pipe:
        frames = read_frames(pipe.read())
    assert [hex(kind) for kind, _, _ in frames] == ["0xa55a0012", "0xa55a0016"]
    records = [json.loads(msg) for _, _, msg in frames]
    assert [(r["level"], r.get("message")) for r in records][0] == ("WARN", "careful")
    assert records[1]["message"]["errorMessage"] == "shown"
    for _, stamp, msg in frames:
        assert abs(stamp / 1e6 - _epoch(json.loads(msg)["timestamp"])) < 0.002


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


THROWS = """
export const handler = async () => { throw new SyntaxError("no \\u00e9 here"); };
"""


@pytest.mark.parametrize("runtime", ["nodejs22.x", "nodejs24.x"])
def test_the_error_post_is_the_same_as_aws_s(stub: Any, tmp_path: Path, runtime: str) -> None:
    posts = []
    for client in ("oracle", "builtin"):
        root = tmp_path / client
        root.mkdir()
        api, _ = stub(root, [{}], THROWS, runtime_command(runtime, client))
        error = api.wait_for(2)[1]
        assert error.line.split()[1].endswith("/error")
        cause = json.loads(error.headers["lambda-runtime-function-xray-error-cause"])
        assert cause["working_directory"] == str(root)
        cause["working_directory"] = "<ROOT>"
        stack = cause["exceptions"][0]["stack"]  # the handler's frame, then the runtime's
        assert stack[0]["label"].endswith("handler")
        assert (stack[0]["path"], stack[0]["line"]) == ("file", None)  # "file:///..." split on ":"
        cause["exceptions"][0]["stack"] = stack[:1]
        stack[0]["label"] = "<HANDLER>"
        cause["paths"] = cause["paths"][:1]
        body = json.loads(error.body)
        posts.append((error.headers["content-type"], body["errorType"], body["errorMessage"],
                      body["trace"][0], list(body), cause))  # fmt: skip
    assert posts[0] == posts[1]
    assert posts[1][1:4] == ("SyntaxError", "no \u00e9 here", "SyntaxError: no \u00e9 here")
