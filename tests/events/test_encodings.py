"""Round trips of the encodings services use: URL-encoded keys, base64, MD5, queries, times."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import re
from urllib.parse import quote_plus, unquote_plus

import pytest

from lambda_magic import events

KEYS = ["cat 1.jpg", "a+b/c d.txt", "ü/ß?.png", "x=1&y=2;z", "plain/key", "100%/(1)"]


@pytest.mark.parametrize("key", KEYS)
def test_s3_notification_keys_are_url_encoded_with_plus(key: str) -> None:
    for name in ("s3:put", "s3:delete", "rekognition:s3-request"):
        encoded = events.generate(name, key=key)["Records"][0]["s3"]["object"]["key"]
        assert encoded == quote_plus(key, safe="/")
        assert unquote_plus(encoded) == key and " " not in encoded
    assert (
        events.generate("s3:put", key="cat 1.jpg")["Records"][0]["s3"]["object"]["key"]
        == "cat+1.jpg"
    )


@pytest.mark.parametrize("key", KEYS)
def test_other_s3_keys_are_encoded_too(key: str) -> None:
    created = events.generate("eventbridge:s3-object-created", key=key)
    assert unquote_plus(created["detail"]["object"]["key"]) == key
    batch = events.generate("s3:batch-invocation", keys=[key])
    assert unquote_plus(batch["tasks"][0]["s3Key"]) == key
    queued = events.generate("sqs:s3-notification", keys=key)["Records"][0]["body"]
    assert unquote_plus(json.loads(queued)["Records"][0]["s3"]["object"]["key"]) == key


DATA = ["text", "ünïcode ✓", b"\x00\xff\xfebinary", ""]


def _raw(item: str | bytes) -> bytes:
    return item.encode() if isinstance(item, str) else item


def test_stream_data_is_base64_of_the_bytes() -> None:
    kinesis = events.generate("kinesis:get-records", data=DATA)["Records"]
    assert [base64.b64decode(r["kinesis"]["data"]) for r in kinesis] == [_raw(d) for d in DATA]
    firehose = events.generate("kinesis:kinesis-firehose", data=DATA)["records"]
    assert [base64.b64decode(r["data"]) for r in firehose] == [_raw(d) for d in DATA]
    kafka = events.generate("kafka:msk", value=DATA, key="ké")["records"]["mytopic-0"]
    assert [base64.b64decode(r["value"]) for r in kafka] == [_raw(d) for d in DATA]
    assert base64.b64decode(kafka[0]["key"]) == "ké".encode()
    assert bytes(kafka[0]["headers"][0]["headerKey"]) == b"headerValue"
    mq = events.generate("mq:activemq", data=DATA)["messages"]
    assert [base64.b64decode(msg["data"]) for msg in mq] == [_raw(d) for d in DATA]


def test_kinesis_sequence_numbers_increase() -> None:
    records = events.generate("kinesis:get-records", data=["a", "b", "c"])["Records"]
    numbers = [int(r["kinesis"]["sequenceNumber"]) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert all(len(r["kinesis"]["sequenceNumber"]) == 56 for r in records)
    assert all(r["eventID"].endswith(":" + r["kinesis"]["sequenceNumber"]) for r in records)


@pytest.mark.parametrize("body", ["Hello from SQS!", "ünïcode ✓", "", '{"a": 1}'])
def test_sqs_md5_of_body_matches_hashlib(body: str) -> None:
    record = events.generate("sqs:receive-message", body=body)["Records"][0]
    assert record["body"] == body
    assert record["md5OfBody"] == hashlib.md5(body.encode("utf-8")).hexdigest()
    assert "md5OfMessageAttributes" not in record


def test_sqs_md5_of_message_attributes_matches_sqs() -> None:
    # A message with these attributes was received from SQS with this MD5 (LocalStack's
    # serializer tests record it); SQS hashes sorted, length-prefixed attributes.
    record = events.generate(
        "sqs:receive-message", message_attributes={"Hello": "There", "General": "Kenobi"}
    )
    assert record["Records"][0]["md5OfMessageAttributes"] == "fca026605781cb4126a1e9044df24232"


def test_rest_api_query_and_headers_split_into_single_and_multi_maps() -> None:
    event = events.generate(
        "apigateway:aws-proxy",
        query="a=1&a=2&b=x%20y&c=",
        headers={"X-Multi": ["1", "2"], "accept": "text/html"},
    )
    assert event["queryStringParameters"] == {"a": "2", "b": "x y", "c": ""}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": ["x y"], "c": [""]}
    assert event["headers"]["X-Multi"] == "2"
    assert event["multiValueHeaders"]["X-Multi"] == ["1", "2"]
    assert event["headers"]["accept"] == "text/html" and "Accept" not in event["headers"]
    empty = events.generate("apigateway:aws-proxy", query={})
    assert empty["queryStringParameters"] is None
    assert empty["multiValueQueryStringParameters"] is None


def test_rest_api_path_parameters_come_from_the_resource() -> None:
    proxy = events.generate("apigateway:aws-proxy", path="/a/b/c")
    assert proxy["pathParameters"] == {"proxy": "a/b/c"} and proxy["resource"] == "/{proxy+}"
    item = events.generate(
        "apigateway:aws-proxy", path="/users/7/orders/9", resource="/users/{user}/orders/{order}"
    )
    assert item["pathParameters"] == {"user": "7", "order": "9"}
    assert item["requestContext"]["path"] == "/prod/users/7/orders/9"
    assert (
        events.generate("apigateway:aws-proxy", path="/x", resource="/x")["pathParameters"] is None
    )


@pytest.mark.parametrize("name", ["apigateway:http-api-proxy", "function-url:request"])
def test_v2_query_headers_and_cookies(name: str) -> None:
    event = events.generate(
        name,
        query={"a": ["1", "2"], "b": "x y"},
        headers={"X-Multi": ["1", "2"], "Cookie": "s=1; t=2"},
        cookies=["u=3"],
    )
    assert event["rawQueryString"] == "a=1&a=2&b=x%20y"
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x y"}
    assert event["headers"]["x-multi"] == "1,2"
    assert all(k == k.lower() for k in event["headers"]) and "cookie" not in event["headers"]
    assert event["cookies"] == ["u=3", "s=1", "t=2"]
    bare = events.generate(name, query={}, body=None)
    assert bare["rawQueryString"] == "" and "queryStringParameters" not in bare
    assert "body" not in bare and "cookies" not in bare


@pytest.mark.parametrize(
    "name",
    [
        "apigateway:aws-proxy",
        "apigateway:http-api-proxy",
        "alb:request",
        "function-url:request",
        "vpc-lattice:request-v2",
        "apigateway:websocket-message",
    ],
)
def test_bytes_bodies_are_base64_and_text_bodies_are_not(name: str) -> None:
    binary = events.generate(name, body=b"\x89PNG\r\n")
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == b"\x89PNG\r\n"
    text = events.generate(name, body="héllo")
    assert text["isBase64Encoded"] is False and text["body"] == "héllo"


def test_http_content_headers_follow_the_body() -> None:
    headers = events.generate("apigateway:aws-proxy", body="héllo")["headers"]
    assert headers["Content-Length"] == "6" and headers["Content-Type"] == "text/plain"
    assert (
        events.generate("apigateway:aws-proxy", body='{"a":1}')["headers"]["Content-Type"]
        == "application/json"
    )
    assert (
        events.generate("apigateway:aws-proxy", body=b"\x00")["headers"]["Content-Type"]
        == "application/octet-stream"
    )
    assert "Content-Type" not in events.generate("apigateway:aws-proxy", body=None)["headers"]


def test_alb_multi_value_mode() -> None:
    event = events.generate(
        "alb:request", multi_value=True, query={"a": ["1", "x y"]}, headers={"X-M": ["1", "2"]}
    )
    assert "queryStringParameters" not in event and "headers" not in event
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "x%20y"]}
    assert event["multiValueHeaders"]["x-m"] == ["1", "2"]


def test_lattice_v1_raw_path_carries_the_query() -> None:
    event = events.generate("vpc-lattice:request", path="/p", query="a=1&b=2")
    assert event["raw_path"] == "/p?a=1&b=2"
    assert event["query_string_parameters"] == {"a": "1", "b": "2"}


def test_cloudwatch_logs_are_gzip_then_base64() -> None:
    event = events.generate("cloudwatch:logs", messages=["one", "twö"])
    doc = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    assert [e["message"] for e in doc["logEvents"]] == ["one", "twö"]
    assert doc["messageType"] == "DATA_MESSAGE"


def test_kinesis_analytics_compressed_data_is_gzip() -> None:
    record = events.generate("kinesis:analytics-compressed", data="row")["records"][0]
    assert gzip.decompress(base64.b64decode(record["data"])) == b"row"


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return value, pos


def _fields(data: bytes) -> list[tuple[int, bytes]]:
    pos, result = 0, []
    while pos < len(data):
        tag, pos = _varint(data, pos)
        if tag & 7 == 0:
            value, pos = _varint(data, pos)
            result.append((tag >> 3, str(value).encode()))
        else:
            size, pos = _varint(data, pos)
            result.append((tag >> 3, data[pos : pos + size]))
            pos += size
    return result


def test_kpl_aggregated_record_decodes() -> None:
    record = events.generate("kinesis:analytics-kpl", data=["first", b"second"])["records"][0]
    raw = base64.b64decode(record["data"])
    assert raw[:4] == b"\xf3\x89\x9a\xc2"
    message, digest = raw[4:-16], raw[-16:]
    assert hashlib.md5(message).digest() == digest
    fields = _fields(message)
    assert (1, b"partitionKey-01") in fields
    inner = [dict(_fields(value)) for number, value in fields if number == 3]
    assert [r[3] for r in inner] == [b"first", b"second"]


def test_dynamodb_images_are_marshalled() -> None:
    item = {"Id": 1, "f": 1.5, "s": "x", "b": True, "n": None, "l": [1, "a"], "m": {"k": "v"}}
    image = events.generate("dynamodb:insert", items=item)["Records"][0]["dynamodb"]["NewImage"]
    assert image == {
        "Id": {"N": "1"},
        "f": {"N": "1.5"},
        "s": {"S": "x"},
        "b": {"BOOL": True},
        "n": {"NULL": True},
        "l": {"L": [{"N": "1"}, {"S": "a"}]},
        "m": {"M": {"k": {"S": "v"}}},
    }


@pytest.mark.parametrize(
    ("view", "new", "old"),
    [
        ("NEW_AND_OLD_IMAGES", True, True),
        ("NEW_IMAGE", True, False),
        ("OLD_IMAGE", False, True),
        ("KEYS_ONLY", False, False),
    ],
)
def test_dynamodb_stream_view_types(view: str, new: bool, old: bool) -> None:
    body = events.generate("dynamodb:modify", stream_view_type=view)["Records"][0]["dynamodb"]
    assert ("NewImage" in body, "OldImage" in body) == (new, old)
    assert body["Keys"] == {"Id": {"N": "101"}} and body["StreamViewType"] == view


ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ISO_S = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
APIGW = re.compile(r"^\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000$")


def test_timestamps_use_each_services_format() -> None:
    s3 = events.generate("s3:put", seed=5)["Records"][0]
    assert ISO_MS.match(s3["eventTime"])
    sns = events.generate("sns:notification", seed=5)["Records"][0]["Sns"]
    assert ISO_MS.match(sns["Timestamp"])
    assert ISO_S.match(events.generate("eventbridge:event", seed=5)["time"])
    ddb = events.generate("dynamodb:insert", seed=5)["Records"][0]["dynamodb"]
    assert isinstance(ddb["ApproximateCreationDateTime"], int)
    kinesis = events.generate("kinesis:get-records", seed=5)["Records"][0]["kinesis"]
    assert isinstance(kinesis["approximateArrivalTimestamp"], float)
    sqs = events.generate("sqs:receive-message", seed=5)["Records"][0]["attributes"]
    assert re.fullmatch(r"\d{13}", sqs["SentTimestamp"])
    alarm = events.generate("cloudwatch:alarm-metric", seed=5)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", alarm["time"])


def test_api_gateway_request_time_matches_epoch() -> None:
    context = events.generate("apigateway:aws-proxy", seed=9)["requestContext"]
    assert APIGW.match(context["requestTime"])
    parsed = dt.datetime.strptime(context["requestTime"], "%d/%b/%Y:%H:%M:%S %z")
    assert int(parsed.timestamp()) == context["requestTimeEpoch"] // 1000
    v2 = events.generate("apigateway:http-api-proxy", seed=9)["requestContext"]
    assert APIGW.match(v2["time"]) and v2["timeEpoch"] == context["requestTimeEpoch"]


def test_s3_timestamps_agree_across_a_seeded_event() -> None:
    when = events.generate("s3:put", seed=5)["Records"][0]["eventTime"]
    base = events.generate("eventbridge:s3-object-created", seed=5)["time"]
    assert when[:19] == base[:19]
