"""The server's error shapes and event-stream frames against botocore's own model and parsers,
and the template reader against PyYAML."""

from __future__ import annotations

import gzip
import json
import textwrap
from pathlib import Path

import botocore
import pytest
import yaml
from botocore.eventstream import EventStreamBuffer
from botocore.model import ServiceModel
from botocore.parsers import RestJSONParser

from lambda_magic.server import eventstream, sam
from lambda_magic.server.errors import CAPITAL_MESSAGE, STATUS, ApiError, from_exception
from lambda_magic.server.http import error_response

MODEL_PATH = Path(botocore.__file__).parent / "data" / "lambda" / "2015-03-31" / "service-2.json.gz"
MODEL = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
PROTOCOL_ERRORS = {"MissingAuthenticationTokenException", "IncompleteSignatureException",
                   "InvalidSignatureException", "AccessDeniedException",
                   "UnknownOperationException"}  # fmt: skip


def test_every_error_has_the_models_status_and_message_member() -> None:
    shapes = MODEL["shapes"]
    for code, status in STATUS.items():
        if code in PROTOCOL_ERRORS:
            continue
        shape = shapes[code]
        assert shape["error"]["httpStatusCode"] == status, code
        key = "Message" if code in CAPITAL_MESSAGE else "message"
        assert key in shape["members"], code
    assert {"Message", "message"} & set(shapes["ServiceException"]["members"]) == {"Message"}


def test_botocore_parses_a_service_exception() -> None:
    operation = ServiceModel(MODEL).operation_model("Invoke")
    response = error_response(from_exception(RuntimeError("the sandbox manager died")))
    parsed = RestJSONParser().parse(
        {
            "status_code": response.status,
            "headers": {k.lower(): v for k, v in response.headers.items()},
            "body": response.body,
        },
        operation.output_shape,
    )
    assert parsed["Error"]["Code"] == "ServiceException"
    assert parsed["Error"]["Message"] == "RuntimeError: the sandbox manager died"
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == 500
    throttle = error_response(ApiError("TooManyRequestsException", "Rate Exceeded.",
                                       extra={"Reason": "ConcurrentInvocationLimitExceeded"}))  # fmt: skip
    parsed = RestJSONParser().parse(
        {
            "status_code": 429,
            "headers": {k.lower(): v for k, v in throttle.headers.items()},
            "body": throttle.body,
        },
        operation.output_shape,
    )
    assert parsed["Error"]["Code"] == "TooManyRequestsException"
    assert json.loads(throttle.body)["Reason"] == "ConcurrentInvocationLimitExceeded"


def test_frames_decode_with_botocores_event_stream_reader() -> None:
    data = eventstream.payload_chunk(b"x" * 70000) + eventstream.invoke_complete("E", "d", "bG9n")
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    first, last = list(buffer)
    assert first.headers[":event-type"] == "PayloadChunk" and first.payload == b"x" * 70000
    assert last.headers[":event-type"] == "InvokeComplete"
    assert json.loads(last.payload) == {"ErrorCode": "E", "ErrorDetails": "d", "LogResult": "bG9n"}


class _Tags(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    value = (loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
             else loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
             else loader.construct_mapping(node))  # fmt: skip
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


_Tags.add_multi_constructor("!", _tag)

TEMPLATES = [
    """
    AWSTemplateFormatVersion: '2010-09-09'
    Description: >
      sam-app

      Sample SAM Template
    Globals:
      Function:
        Timeout: 3   # seconds
        Environment: {Variables: {A: "x#y", B: 'it''s'}}
    Resources:
      Hello:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: hello_world/
          Handler: app.lambda_handler
          Runtime: python3.12
          Architectures: [x86_64]
          Events:
            Api:
              Type: Api
              Properties: {Path: /hello, Method: get}
          Policies:
            - Statement:
                - Effect: Allow
                  Action: ["s3:GetObject"]
                  Resource: !Sub "arn:aws:s3:::${B}/*"
            - AWSLambdaBasicExecutionRole
      Inline:
        Type: AWS::Serverless::Function
        Properties:
          InlineCode: |
            def handler(event, context):

                return 1
          Role: !GetAtt [Role, Arn]
          Tags:
            team: ~
            enabled: true
            n: 1.5
    """,
]


@pytest.mark.parametrize("text", TEMPLATES)
def test_the_template_reader_reads_what_pyyaml_reads(text: str) -> None:
    text = textwrap.dedent(text)
    assert sam.load(text) == yaml.load(text, _Tags)


def test_the_template_reader_names_what_it_cannot_read() -> None:
    with pytest.raises(sam.TemplateError, match="line 2"):
        sam.load("A: 1\n   B: 2\n")
