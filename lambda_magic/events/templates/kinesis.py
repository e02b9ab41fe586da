"""Amazon Kinesis Data Streams, Data Firehose and Data Analytics events."""

from __future__ import annotations

import hashlib
from typing import Any

from lambda_magic.events._encoding import b64, partition_of, to_bytes
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, template
from lambda_magic.events.templates._cwlogs import gzip_b64, logs_document

_DOCS = {
    "data": "record payload (text or bytes, sent base64-encoded); a list gives one record each",
    "partition_key": "partition key of the records",
    "stream": "Kinesis data stream name",
    "delivery_stream": "Firehose delivery stream name",
    "application": "Kinesis Data Analytics application name",
    "log_group": "log group of the subscription",
    "log_stream": "log stream of the subscription",
    "messages": "log messages; a list gives one log event each",
}

Data = str | bytes | list[str | bytes]


def _items(data: Data) -> list[str | bytes]:
    return [data] if isinstance(data, (str, bytes, bytearray)) else list(data)


def _arn(service: str, region: str, account_id: str, resource: str) -> str:
    return f"arn:{partition_of(region)}:{service}:{region}:{account_id}:{resource}"


def _sequences(g: Gen, count: int) -> list[str]:
    start = int(g.digits(56))
    return [str(start + i * 7_000_000_000) for i in range(count)]


@template("kinesis:get-records", "Amazon Kinesis Data Streams records (a batch)", **_DOCS)
def kinesis_records(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "Hello, this is a test 123.",
    partition_key: str = "partitionKey-03",
    stream: str = "example-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    items = _items(data)
    shard = f"shardId-{g.rng.randrange(12):012d}"
    records = []
    for index, (item, seq) in enumerate(zip(items, _sequences(g, len(items)))):
        arrival = g.epoch_ms(g.time(index * 10)) / 1000
        records.append(
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": partition_key,
                    "sequenceNumber": seq,
                    "data": b64(item),
                    "approximateArrivalTimestamp": arrival,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"{shard}:{seq}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": f"arn:{partition_of(region)}:iam::{account_id}:role/lambda-role",
                "awsRegion": region,
                "eventSourceARN": _arn("kinesis", region, account_id, f"stream/{stream}"),
            }
        )
    return {"Records": records}


def _firehose(
    g: Gen, payloads: list[bytes], delivery_stream: str, region: str, account_id: str
) -> Event:
    records = [
        {
            "recordId": seq,
            "approximateArrivalTimestamp": g.epoch_ms(g.time(i * 10)),
            "data": b64(payload),
        }
        for i, (payload, seq) in enumerate(zip(payloads, _sequences(g, len(payloads))))
    ]
    return {
        "invocationId": g.uuid(),
        "deliveryStreamArn": _arn(
            "firehose", region, account_id, f"deliverystream/{delivery_stream}"
        ),
        "region": region,
        "records": records,
    }


@template(
    "kinesis:kinesis-firehose",
    "Amazon Data Firehose data-transformation request (records to transform)",
    **_DOCS,
)
def firehose(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "Hello, this is a test 123.",
    delivery_stream: str = "example-delivery-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    return _firehose(g, [to_bytes(d) for d in _items(data)], delivery_stream, region, account_id)


@template(
    "kinesis:streams-as-source",
    "Amazon Data Firehose transformation request with a Kinesis data stream as source",
    **_DOCS,
)
def firehose_from_stream(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "Hello, this is a test 123.",
    partition_key: str = "partitionKey-03",
    stream: str = "example-stream",
    delivery_stream: str = "example-delivery-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    event = _firehose(g, [to_bytes(d) for d in _items(data)], delivery_stream, region, account_id)
    shard = f"shardId-{g.rng.randrange(12):012d}"
    for record in event["records"]:
        record["kinesisRecordMetadata"] = {
            "shardId": shard,
            "partitionKey": partition_key,
            "approximateArrivalTimestamp": record["approximateArrivalTimestamp"],
            "sequenceNumber": record["recordId"],
            "subsequenceNumber": 0,
        }
    event["sourceKinesisStreamArn"] = _arn("kinesis", region, account_id, f"stream/{stream}")
    return {"invocationId": event.pop("invocationId"), **event}


_APACHE = (
    '192.0.2.10 - - [{when}] "GET /index.html HTTP/1.1" 200 6291 "-" '
    '"Mozilla/5.0 (X11; Linux x86_64)"'
)


@template(
    "kinesis:apachelog", "Amazon Data Firehose transformation request of Apache log lines", **_DOCS
)
def firehose_apache(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "",
    delivery_stream: str = "example-delivery-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    stamp = g.apigw(g.time())  # Apache's common log format writes times the same way
    lines = _items(data) if data else [_APACHE.format(when=stamp)]
    return _firehose(g, [to_bytes(d) for d in lines], delivery_stream, region, account_id)


@template("kinesis:syslog", "Amazon Data Firehose transformation request of syslog lines", **_DOCS)
def firehose_syslog(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "",
    delivery_stream: str = "example-delivery-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    when = g.time()
    stamp = f"{when.strftime('%b')} {when.day:>2} {when.strftime('%H:%M:%S')}"
    lines = (
        _items(data)
        if data
        else [
            f"<34>1 {g.iso_ms(g.time())} mymachine.example.com su - ID47 - 'su root' failed",
            f"{stamp} mymachine sshd[2712]: Accepted publickey for ec2-user",
        ]
    )
    return _firehose(g, [to_bytes(d) for d in lines], delivery_stream, region, account_id)


@template(
    "kinesis:cloudwatch-logs-processor",
    "Amazon Data Firehose transformation request of CloudWatch Logs subscription data",
    **_DOCS,
)
def firehose_cwlogs(
    g: Gen,
    *,
    messages: str | list[str] = "[ERROR] First test message",
    log_group: str = "/aws/lambda/example",
    log_stream: str = "2024/01/01/[$LATEST]0123456789abcdef",
    delivery_stream: str = "example-delivery-stream",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    texts = [messages] if isinstance(messages, str) else list(messages)
    doc = logs_document(g, texts, log_group=log_group, log_stream=log_stream, account_id=account_id)
    event = _firehose(g, [doc], delivery_stream, region, account_id)
    event["records"][0]["data"] = gzip_b64(doc)
    return event


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def kpl_aggregate(partition_key: str, items: list[bytes]) -> bytes:
    """A KPL aggregated record: magic, protobuf ``AggregatedRecord``, MD5 of the protobuf."""
    message = _field(1, partition_key.encode("utf-8"))
    for item in items:
        record = _varint(1 << 3) + _varint(0) + _field(3, item)
        message += _field(3, record)
    return b"\xf3\x89\x9a\xc2" + message + hashlib.md5(message).digest()


def _analytics(
    g: Gen,
    payloads: list[str],
    *,
    application: str,
    stream: str,
    region: str,
    account_id: str,
    partition_key: str = "partitionKey-01",
) -> Event:
    shard = f"shardId-{g.rng.randrange(12):012d}"
    records: list[dict[str, Any]] = []
    for index, (payload, seq) in enumerate(zip(payloads, _sequences(g, len(payloads)))):
        records.append(
            {
                "recordId": seq,
                "kinesisStreamRecordMetadata": {
                    "shardId": shard,
                    "partitionKey": partition_key,
                    "approximateArrivalTimestamp": g.epoch_ms(g.time(index * 10)),
                    "sequenceNumber": seq,
                },
                "data": payload,
            }
        )
    return {
        "invocationId": g.uuid(),
        "applicationArn": _arn(
            "kinesisanalytics", region, account_id, f"application/{application}"
        ),
        "streamArn": _arn("kinesis", region, account_id, f"stream/{stream}"),
        "records": records,
    }


def _analytics_template(name: str, description: str, default: str, encode: Any) -> None:
    def build(
        g: Gen,
        *,
        data: str | bytes | list[str | bytes] = default,
        application: str = "example-application",
        stream: str = "example-stream",
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> Event:
        payloads = encode([to_bytes(d) for d in _items(data)])
        return _analytics(
            g,
            payloads,
            application=application,
            stream=stream,
            region=region,
            account_id=account_id,
        )

    template(name, description, **_DOCS)(build)


_analytics_template(
    "kinesis:analytics",
    "Amazon Kinesis Data Analytics record preprocessing request",
    "This is a test from Kinesis Analytics",
    lambda items: [b64(i) for i in items],
)
_analytics_template(
    "kinesis:analytics-compressed",
    "Amazon Kinesis Data Analytics preprocessing request with gzip-compressed data",
    "This is a test from Kinesis Analytics",
    lambda items: [gzip_b64(i) for i in items],
)
_analytics_template(
    "kinesis:analytics-dynamodb",
    "Amazon Kinesis Data Analytics preprocessing request of DynamoDB-style rows",
    '{"ROWTIME_TIMESTAMP":"2024-01-01 01:09:50.000","VEHICLEID":"5","VEHICLECOUNT":18}',
    lambda items: [b64(i) for i in items],
)
_analytics_template(
    "kinesis:analytics-kpl",
    "Amazon Kinesis Data Analytics preprocessing request of KPL-aggregated records",
    "This is a test from the Kinesis Producer Library",
    lambda items: [b64(kpl_aggregate("partitionKey-01", items))],
)
