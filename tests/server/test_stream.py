"""InvokeWithResponseStream through boto3: the event stream botocore decodes (PayloadChunk
events and one InvokeComplete, CRCs checked), a mid-stream error, the Tail log."""

from __future__ import annotations

import base64
import json
import sys

from tests.core.test_runtime_api import STREAMER


def events(answer) -> list[dict]:
    return list(answer["EventStream"])


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
    assert ok == [{"PayloadChunk": {"Payload": b"first second"}}, {"InvokeComplete": {}}]
    failed = lam.invoke_with_response_stream(
        FunctionName="streams", Payload=b'{"fail": true}', LogType="Tail"
    )
    chunk, complete = events(failed)
    assert chunk == {"PayloadChunk": {"Payload": b"first second"}}  # what came before the error
    done = complete["InvokeComplete"]
    assert done["ErrorCode"] == "Error"
    assert json.loads(done["ErrorDetails"])["errorMessage"] == "the stream broke"
    assert "START RequestId:" in base64.b64decode(done["LogResult"]).decode()


def test_a_function_error_ends_the_stream_with_its_type(lam, function) -> None:
    function("boom", "def lambda_handler(event, context):\n    raise ValueError('no')\n")
    (complete,) = events(lam.invoke_with_response_stream(FunctionName="boom"))
    assert complete["InvokeComplete"]["ErrorCode"] == "ValueError"
    assert json.loads(complete["InvokeComplete"]["ErrorDetails"])["errorType"] == "ValueError"
