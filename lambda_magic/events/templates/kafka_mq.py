"""Apache Kafka (Amazon MSK and self-managed) and Amazon MQ (ActiveMQ, RabbitMQ) events."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import b64, partition_of, to_bytes
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, template

_DOCS = {
    "value": "record value (text or bytes, sent base64-encoded); a list gives one record each",
    "data": "message body (text or bytes, sent base64-encoded); a list gives one message each",
    "key": "record key; None for a record without key",
    "topic": "Kafka topic",
    "partition": "Kafka partition of the records",
    "headers": "record headers (values are sent as byte arrays)",
    "cluster": "cluster name",
    "bootstrap_servers": "comma-separated bootstrap servers; empty for the cluster's own",
    "broker": "Amazon MQ broker name",
    "queue": "queue the messages were read from",
    "properties": "message properties",
    "virtual_host": "RabbitMQ virtual host",
}

Data = str | bytes | list[str | bytes]


def _items(data: Data) -> list[str | bytes]:
    return [data] if isinstance(data, (str, bytes, bytearray)) else list(data)


def _kafka_records(
    g: Gen, values: Data, key: str | None, topic: str, partition: int, headers: dict[str, str]
) -> dict[str, Any]:
    offset = g.rng.randrange(1, 100_000)
    records = []
    for index, value in enumerate(_items(values)):
        record: dict[str, Any] = {
            "topic": topic,
            "partition": partition,
            "offset": offset + index,
            "timestamp": g.epoch_ms(g.time(index * 3)),
            "timestampType": "CREATE_TIME",
        }
        if key is not None:
            record["key"] = b64(key)
        record["value"] = b64(value)
        record["headers"] = [{name: list(to_bytes(v))} for name, v in headers.items()]
        records.append(record)
    return {f"{topic}-{partition}": records}


@template("kafka:msk", "Amazon MSK (managed Kafka) records delivered to a function", **_DOCS)
def kafka_msk(
    g: Gen,
    *,
    value: str | bytes | list[str | bytes] = '{"key":"value"}',
    key: str | None = "recordKey",
    topic: str = "mytopic",
    partition: int = 0,
    headers: dict[str, str] = {"headerKey": "headerValue"},
    cluster: str = "demo-cluster-1",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    suffix = f"{g.lower(6)}.c1.kafka.{region}.amazonaws.com"
    servers = ",".join(f"b-{i}.{cluster}.{suffix}:9092" for i in (2, 1))
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": f"arn:{partition_of(region)}:kafka:{region}:{account_id}:cluster/"
        f"{cluster}/{g.uuid()}-2",
        "bootstrapServers": servers,
        "records": _kafka_records(g, value, key, topic, partition, headers),
    }


@template(
    "kafka:self-managed", "Self-managed Apache Kafka records delivered to a function", **_DOCS
)
def kafka_self_managed(
    g: Gen,
    *,
    value: str | bytes | list[str | bytes] = '{"key":"value"}',
    key: str | None = "recordKey",
    topic: str = "mytopic",
    partition: int = 0,
    headers: dict[str, str] = {"headerKey": "headerValue"},
    bootstrap_servers: str = "b-2.kafka.example.com:9092,b-1.kafka.example.com:9092",
) -> Event:
    return {
        "eventSource": "SelfManagedKafka",
        "bootstrapServers": bootstrap_servers,
        "records": _kafka_records(g, value, key, topic, partition, headers),
    }


def _broker_arn(g: Gen, broker: str, region: str, account_id: str) -> tuple[str, str]:
    broker_id = f"b-{g.uuid()}"
    arn = f"arn:{partition_of(region)}:mq:{region}:{account_id}:broker:{broker}:{broker_id}"
    return arn, broker_id


@template("mq:activemq", "Amazon MQ for ActiveMQ messages delivered to a function", **_DOCS)
def activemq(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = "ABC:AAAA",
    queue: str = "testQueue",
    properties: dict[str, str] = {"testKey": "testValue"},
    broker: str = "ExampleMQBroker",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn, broker_id = _broker_arn(g, broker, region, account_id)
    host = f"{broker_id}-1.mq.{region}.amazonaws.com"
    messages = []
    for index, item in enumerate(_items(data)):
        sent = g.epoch_ms(g.time(index * 5))
        messages.append(
            {
                "messageID": f"ID:{host}-{g.digits(5)}-{g.digits(13)}-4:1:1:1:{index + 1}",
                "messageType": "jms/text-message" if isinstance(item, str) else "jms/bytes-message",
                "deliveryMode": 1,
                "replyTo": None,
                "type": None,
                "expiration": "60000",
                "priority": 1,
                "correlationId": "myJMSCoID",
                "redelivered": False,
                "destination": {"physicalName": queue},
                "data": b64(item),
                "timestamp": sent,
                "brokerInTime": sent,
                "brokerOutTime": sent + 2,
                "properties": dict(properties),
            }
        )
    return {"eventSource": "aws:mq", "eventSourceArn": arn, "messages": messages}


@template("mq:rabbitmq", "Amazon MQ for RabbitMQ messages delivered to a function", **_DOCS)
def rabbitmq(
    g: Gen,
    *,
    data: str | bytes | list[str | bytes] = '{"timeout":0,"data":"CZrmf0Gw8Ov4bqLQxD4E"}',
    queue: str = "pizzaQueue",
    virtual_host: str = "/",
    headers: dict[str, str] = {"header1": "value1"},
    broker: str = "pizzaBroker",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn, _ = _broker_arn(g, broker, region, account_id)
    messages = []
    for index, item in enumerate(_items(data)):
        when = g.time(index * 5)
        props = {
            "contentType": "text/plain" if isinstance(item, str) else "application/octet-stream",
            "contentEncoding": None,
            "headers": {name: {"bytes": list(to_bytes(v))} for name, v in headers.items()},
            "deliveryMode": 1,
            "priority": 34,
            "correlationId": None,
            "replyTo": None,
            "expiration": "60000",
            "messageId": None,
            "timestamp": when.strftime("%b ")
            + f"{when.day}, {when.year}, "
            + when.strftime("%I:%M:%S %p").lstrip("0"),
            "type": None,
            "userId": "AIDA" + g.upper(17),
            "appId": None,
            "clusterId": None,
            "bodySize": len(to_bytes(item)),
        }
        messages.append({"basicProperties": props, "redelivered": False, "data": b64(item)})
    return {
        "eventSource": "aws:rmq",
        "eventSourceArn": arn,
        "rmqMessagesByQueue": {f"{queue}::{virtual_host}": messages},
    }
