"""Amazon S3 events: event notifications, Batch Operations and S3 Object Lambda."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import partition_of, s3_key
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, template

__all__ = ["s3_record"]

_DOCS = {
    "event_name": "notification event name, e.g. ObjectCreated:Put or ObjectCreated:Copy",
    "version_id": "object version id; empty for an unversioned bucket",
    "keys": "object key, or a list of keys for one task each",
    "schema_version": "invocation schema version, 1.0 or 2.0",
    "user_arguments": "job user arguments (schema 2.0 only)",
    "payload": "configuration payload set on the Object Lambda access point",
    "access_point": "Object Lambda access point name",
}


def s3_record(
    g: Gen,
    *,
    bucket: str,
    key: str,
    size: int | None,
    event_name: str,
    region: str,
    source_ip: str,
    version_id: str = "",
) -> dict[str, Any]:
    """One S3 event notification record (also the payload S3 sends to SNS and SQS)."""
    obj: dict[str, Any] = {"key": s3_key(key)}
    if size is not None:
        obj.update(size=size, eTag=g.hex(32))
    if version_id:
        obj["versionId"] = version_id
    obj["sequencer"] = g.hex(18).upper()
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": g.iso_ms(g.time()),
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:" + g.upper(21)},
        "requestParameters": {"sourceIPAddress": source_ip},
        "responseElements": {"x-amz-request-id": g.upper(16), "x-amz-id-2": g.alnum(76)},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "testConfigRule",
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": g.upper(14)},
                "arn": f"arn:{partition_of(region)}:s3:::{bucket}",
            },
            "object": obj,
        },
    }


@template("s3:put", "Amazon S3 event notification for a new object (ObjectCreated:*)", **_DOCS)
def s3_put(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    key: str = "test/key",
    size: int = 1024,
    event_name: str = "ObjectCreated:Put",
    version_id: str = "",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    if not event_name.startswith("ObjectCreated:"):
        raise BadValue("event_name", f"must start with 'ObjectCreated:', got {event_name!r}")
    record = s3_record(
        g,
        bucket=bucket,
        key=key,
        size=size,
        event_name=event_name,
        region=region,
        source_ip=source_ip,
        version_id=version_id,
    )
    return {"Records": [record]}


@template(
    "s3:delete", "Amazon S3 event notification for a deleted object (ObjectRemoved:*)", **_DOCS
)
def s3_delete(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    key: str = "test/key",
    event_name: str = "ObjectRemoved:Delete",
    version_id: str = "",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    if not event_name.startswith("ObjectRemoved:"):
        raise BadValue("event_name", f"must start with 'ObjectRemoved:', got {event_name!r}")
    record = s3_record(
        g,
        bucket=bucket,
        key=key,
        size=None,
        event_name=event_name,
        region=region,
        source_ip=source_ip,
        version_id=version_id,
    )
    return {"Records": [record]}


@template("s3:batch-invocation", "Amazon S3 Batch Operations job invoking a function", **_DOCS)
def s3_batch(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    keys: str | list[str] = "test/key",
    schema_version: str = "1.0",
    user_arguments: dict[str, Any] = {},
    region: str = "us-east-1",
) -> Event:
    if schema_version not in ("1.0", "2.0"):
        raise BadValue("schema_version", f"must be '1.0' or '2.0', got {schema_version!r}")
    tasks = []
    for key in [keys] if isinstance(keys, str) else keys:
        task: dict[str, Any] = {"taskId": g.alnum(24), "s3Key": s3_key(key), "s3VersionId": None}
        if schema_version == "1.0":
            task["s3BucketArn"] = f"arn:{partition_of(region)}:s3:::{bucket}"
        else:
            task["s3Bucket"] = bucket
        tasks.append(task)
    job: dict[str, Any] = {"id": g.uuid()}
    if schema_version == "2.0":
        job["userArguments"] = user_arguments
    return {
        "invocationSchemaVersion": schema_version,
        "invocationId": g.alnum(40),
        "job": job,
        "tasks": tasks,
    }


@template("s3:object-lambda", "Amazon S3 Object Lambda GetObject request", **_DOCS)
def s3_object_lambda(
    g: Gen,
    *,
    key: str = "example.txt",
    access_point: str = "example-object-lambda-ap",
    payload: str = "{}",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    part = partition_of(region)
    path = "/" + s3_key(key).replace("+", "%20")
    supporting = f"example-ap-{account_id}"
    host = f"{access_point}-{account_id}.s3-object-lambda.{region}.amazonaws.com"
    return {
        "xAmzRequestId": g.uuid(),
        "getObjectContext": {
            "inputS3Url": f"https://{supporting}.s3-accesspoint.{region}.amazonaws.com{path}"
            f"?X-Amz-Security-Token={g.alnum(40)}&X-Amz-Signature={g.hex(64)}",
            "outputRoute": f"io-{region.replace('-', '')[:5]}-{g.digits(3)}",
            "outputToken": g.alnum(64),
        },
        "configuration": {
            "accessPointArn": f"arn:{part}:s3-object-lambda:{region}:{account_id}:accesspoint/"
            f"{access_point}",
            "supportingAccessPointArn": f"arn:{part}:s3:{region}:{account_id}:accesspoint/"
            "example-ap",
            "payload": payload,
        },
        "userRequest": {
            "url": f"https://{host}{path}",
            "headers": {
                "Host": host,
                "Accept-Encoding": "identity",
                "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
            },
        },
        "userIdentity": {
            "type": "IAMUser",
            "principalId": g.upper(21),
            "arn": f"arn:{part}:iam::{account_id}:user/Alice",
            "accountId": account_id,
            "accessKeyId": "AKIA" + g.upper(16),
        },
        "protocolVersion": "1.00",
    }
