"""Amazon SQS and Amazon SNS events, including SNS-to-SQS and S3-to-SQS fan-out."""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Any

from lambda_magic.events._encoding import b64, md5_hex, partition_of
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, template
from lambda_magic.events.templates.s3 import s3_put

_DOCS = {
    "body": "message body; a list gives one record per body",
    "message": "message text; a list gives one record per message",
    "queue_name": "queue name (.fifo is appended for a FIFO queue)",
    "fifo": "FIFO queue: adds MessageGroupId, MessageDeduplicationId and SequenceNumber",
    "group_id": "FIFO message group id",
    "message_attributes": "message attributes (str values are String, numbers are Number)",
    "receive_count": "ApproximateReceiveCount (above 1 for a retried message)",
    "subject": "notification subject; None for none",
    "topic": "SNS topic name",
    "raw_delivery": "raw message delivery: the SQS body is the bare message, not the SNS JSON",
}


def _attributes(attributes: dict[str, Any]) -> list[tuple[str, str, str]]:
    result = []
    for name, value in attributes.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            kind = type(value).__name__
            raise BadValue(
                "message_attributes", f"values must be str or numbers, got {kind} for {name!r}"
            )
        result.append((name, "String" if isinstance(value, str) else "Number", str(value)))
    return result


def sqs_attributes_md5(attributes: list[tuple[str, str, str]]) -> str:
    """MD5 of message attributes, computed the way SQS does (sorted, length-prefixed)."""
    digest = hashlib.md5()  # SQS's own checksum
    for name, data_type, value in sorted(attributes):
        for part in (name, data_type):
            raw = part.encode("utf-8")
            digest.update(struct.pack(">I", len(raw)) + raw)
        raw = value.encode("utf-8")
        digest.update(b"\x01" + struct.pack(">I", len(raw)) + raw)
    return digest.hexdigest()


def _sqs_record(
    g: Gen,
    body: str,
    index: int,
    queue_arn: str,
    region: str,
    attributes: list[tuple[str, str, str]],
    fifo: bool,
    group_id: str,
    receive_count: int,
) -> dict[str, Any]:
    sent = g.time(index * 7)
    attrs: dict[str, str] = {
        "ApproximateReceiveCount": str(receive_count),
        "SentTimestamp": str(g.epoch_ms(sent)),
        "SenderId": "AIDA" + g.upper(17),
        "ApproximateFirstReceiveTimestamp": str(g.epoch_ms(sent) + 11),
    }
    if fifo:
        attrs.update(
            SequenceNumber=g.digits(20), MessageGroupId=group_id, MessageDeduplicationId=g.hex(64)
        )
    record: dict[str, Any] = {
        "messageId": g.uuid(),
        "receiptHandle": "AQEB" + g.alnum(120),
        "body": body,
        "attributes": attrs,
        "messageAttributes": {
            name: {
                "stringValue": value,
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": kind,
            }
            for name, kind, value in attributes
        },
        "md5OfBody": md5_hex(body),
    }
    if attributes:
        record["md5OfMessageAttributes"] = sqs_attributes_md5(attributes)
    record.update(eventSource="aws:sqs", eventSourceARN=queue_arn, awsRegion=region)
    return record


def sqs_event(
    g: Gen,
    bodies: list[str],
    *,
    queue_name: str,
    region: str,
    account_id: str,
    attributes: dict[str, Any] | None = None,
    fifo: bool = False,
    group_id: str = "group1",
    receive_count: int = 1,
) -> Event:
    """An SQS event with one record per body."""
    if fifo and not queue_name.endswith(".fifo"):
        queue_name += ".fifo"
    arn = f"arn:{partition_of(region)}:sqs:{region}:{account_id}:{queue_name}"
    attrs = _attributes(attributes or {})
    return {
        "Records": [
            _sqs_record(g, body, i, arn, region, attrs, fifo, group_id, receive_count)
            for i, body in enumerate(bodies)
        ]
    }


@template("sqs:receive-message", "Amazon SQS messages delivered to a function (a batch)", **_DOCS)
def sqs_receive(
    g: Gen,
    *,
    body: str | list[str] = "Hello from SQS!",
    queue_name: str = "MyQueue",
    message_attributes: dict[str, Any] = {},
    fifo: bool = False,
    group_id: str = "group1",
    receive_count: int = 1,
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    bodies = [body] if isinstance(body, str) else list(body)
    return sqs_event(
        g,
        bodies,
        queue_name=queue_name,
        region=region,
        account_id=account_id,
        attributes=message_attributes,
        fifo=fifo,
        group_id=group_id,
        receive_count=receive_count,
    )


def sns_message(
    g: Gen,
    message: str,
    *,
    topic_arn: str,
    subject: str | None,
    region: str,
    attributes: dict[str, Any],
    for_sqs: bool = False,
) -> dict[str, Any]:
    """The SNS notification document (the ``Sns`` of a record, or an SQS body)."""
    url = "URL" if for_sqs else "Url"
    subscription = f"{topic_arn}:{g.uuid()}"
    doc: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": g.uuid(),
        "TopicArn": topic_arn,
        "Subject": subject,
        "Message": message,
        "Timestamp": g.iso_ms(g.time()),
        "SignatureVersion": "1",
        "Signature": b64(bytes(g.rng.getrandbits(8) for _ in range(256))),
        f"SigningCert{url}": f"https://sns.{region}.amazonaws.com/"
        f"SimpleNotificationService-{g.hex(32)}.pem",
        f"Unsubscribe{url}": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe"
        f"&SubscriptionArn={subscription}",
        "MessageAttributes": {
            name: {"Type": kind, "Value": value} for name, kind, value in _attributes(attributes)
        },
    }
    if for_sqs:  # the SQS copy leaves out what is empty
        doc = {k: v for k, v in doc.items() if v is not None and v != {}}
    return doc


def _topic_arn(topic: str, region: str, account_id: str) -> str:
    return f"arn:{partition_of(region)}:sns:{region}:{account_id}:{topic}"


@template("sns:notification", "Amazon SNS notification delivered to a function", **_DOCS)
def sns_notification(
    g: Gen,
    *,
    message: str | list[str] = "example message",
    subject: str | None = "example subject",
    topic: str = "ExampleTopic",
    message_attributes: dict[str, Any] = {},
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn = _topic_arn(topic, region, account_id)
    records = []
    for text in [message] if isinstance(message, str) else message:
        sns = sns_message(
            g, text, topic_arn=arn, subject=subject, region=region, attributes=message_attributes
        )
        records.append(
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{arn}:{g.uuid()}",
                "EventSource": "aws:sns",
                "Sns": sns,
            }
        )
    return {"Records": records}


@template("sqs:sns-notification", "Amazon SNS notifications fanned out to an SQS queue", **_DOCS)
def sqs_from_sns(
    g: Gen,
    *,
    message: str | list[str] = "example message",
    subject: str | None = "example subject",
    topic: str = "ExampleTopic",
    queue_name: str = "MyQueue",
    raw_delivery: bool = False,
    message_attributes: dict[str, Any] = {},
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn = _topic_arn(topic, region, account_id)
    bodies = []
    for text in [message] if isinstance(message, str) else message:
        if raw_delivery:
            bodies.append(text)
            continue
        doc = sns_message(
            g,
            text,
            topic_arn=arn,
            subject=subject,
            region=region,
            attributes=message_attributes,
            for_sqs=True,
        )
        bodies.append(json.dumps(doc, indent=2))
    attributes = message_attributes if raw_delivery else {}
    return sqs_event(
        g,
        bodies,
        queue_name=queue_name,
        region=region,
        account_id=account_id,
        attributes=attributes,
    )


def _s3_notification(g: Gen, key: str, bucket: str, size: int, region: str) -> str:
    return json.dumps(s3_put(g, bucket=bucket, key=key, size=size, region=region))


@template(
    "sqs:s3-notification",
    "Amazon S3 ObjectCreated notifications sent to an SQS queue (one message per key)",
    keys="object key, or a list of keys for one message each",
    **_DOCS,
)
def sqs_from_s3(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    keys: str | list[str] = "test/key",
    size: int = 1024,
    queue_name: str = "MyQueue",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    bodies = [
        _s3_notification(g, key, bucket, size, region)
        for key in ([keys] if isinstance(keys, str) else keys)
    ]
    return sqs_event(g, bodies, queue_name=queue_name, region=region, account_id=account_id)


@template(
    "sqs:s3-sns-notification",
    "Amazon S3 notifications through an SNS topic to an SQS queue (S3 -> SNS -> SQS)",
    keys="object key, or a list of keys for one message each",
    **_DOCS,
)
def sqs_from_s3_via_sns(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    keys: str | list[str] = "test/key",
    size: int = 1024,
    topic: str = "ExampleTopic",
    queue_name: str = "MyQueue",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn = _topic_arn(topic, region, account_id)
    bodies = []
    for key in [keys] if isinstance(keys, str) else keys:
        doc = sns_message(
            g,
            _s3_notification(g, key, bucket, size, region),
            topic_arn=arn,
            subject="Amazon S3 Notification",
            region=region,
            attributes={},
            for_sqs=True,
        )
        bodies.append(json.dumps(doc, indent=2))
    return sqs_event(g, bodies, queue_name=queue_name, region=region, account_id=account_id)
