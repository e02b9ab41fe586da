"""InvokeWithResponseStream through boto3: the event stream botocore decodes (PayloadChunk
events and one InvokeComplete, CRCs checked), a mid-stream error, the Tail log."""

from __future__ import annotations

import base64
import json
import sys
import time

from tests.core.test_runtime_api import STREAMER


def events(answer) -> list[dict]:
    return list(answer["EventStream"])


def _body(chunks: list[dict]) -> bytes:
    return b"".join(c["PayloadChunk"]["Payload"] for c in chunks)


def test_a_buffered_function_streams_its_body_in_one_chunk(lam, function) -> None:
    function("plain", "def lambda_handler(event, context):\n    return {'n': event['n']}\n")
    answer = lam.invoke_with_response_stream(FunctionName="plain", Payload=b'{"n": 3}')
    assert answer["StatusCode"] == 200 and answer["ExecutedVersion"] == "$LATEST"
    assert answer["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    assert events(answer) == [{"PayloadChunk": {"Payload": b'{"n": 3}'}}, {"InvokeComplete": {}}]


def test_a_streamed_response_and_its_mid_stream_error(lam, function) -> None:
    function("streams", "", files={"streamer.py": STREAMER},
             runtime_command=[sys.executable, "streamer.py"])  # fmt: skip
    ok = events(lam.invoke_with_response_stream(FunctionName="streams", Payload=b"{}"))
    assert _body(ok[:-1]) == b"first second" and ok[-1] == {"InvokeComplete": {}}
    failed = events(lam.invoke_with_response_stream(
        FunctionName="streams", Payload=b'{"fail": true}', LogType="Tail"
    ))  # fmt: skip
    assert _body(failed[:-1]) == b"first second"  # what came before the error
    done = failed[-1]["InvokeComplete"]
    assert done["ErrorCode"] == "Error"
    assert json.loads(done["ErrorDetails"])["errorMessage"] == "the stream broke"
    assert "START RequestId:" in base64.b64decode(done["LogResult"]).decode()


def test_a_function_error_ends_the_stream_with_its_type(lam, function) -> None:
    function("boom", "def lambda_handler(event, context):\n    raise ValueError('no')\n")
    (complete,) = events(lam.invoke_with_response_stream(FunctionName="boom"))
    assert complete["InvokeComplete"]["ErrorCode"] == "ValueError"
    assert json.loads(complete["InvokeComplete"]["ErrorDetails"])["errorType"] == "ValueError"


def test_chunks_reach_the_caller_while_the_function_still_runs(lam, function) -> None:
    function("countdown", """
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          for (let n = 3; n > 0; n--) {
            stream.write(`${n} `);
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          stream.end('go');
        });
        """, runtime="nodejs22.x")  # fmt: skip
    lam.invoke(FunctionName="countdown")  # Init out of the way
    started = time.monotonic()
    answer = lam.invoke_with_response_stream(FunctionName="countdown")
    arrivals = []
    for event in answer["EventStream"]:
        arrivals.append((time.monotonic() - started, event))
    chunks = [e for _, e in arrivals if "PayloadChunk" in e]
    assert _body(chunks) == b"3 2 1 go" and len(chunks) == 4
    assert arrivals[0][0] < 0.6  # the first chunk, long before the function's 0.9 s end
    assert arrivals[-1][0] > 0.8 and "InvokeComplete" in arrivals[-1][1]
