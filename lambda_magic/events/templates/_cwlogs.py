"""The CloudWatch Logs subscription payload (gzip + base64), shared by two templates."""

from __future__ import annotations

import gzip
import json

from lambda_magic.events._gen import Gen

__all__ = ["gzip_b64", "logs_document"]


def gzip_b64(raw: bytes) -> str:
    """gzip then base64, as CloudWatch Logs and Kinesis Analytics compress data."""
    import base64

    return base64.b64encode(gzip.compress(raw, mtime=0)).decode("ascii")


def logs_document(
    g: Gen,
    messages: list[str],
    *,
    log_group: str,
    log_stream: str,
    account_id: str,
    filter_name: str = "LambdaStream_cwlogsfunction",
) -> bytes:
    """The JSON document a CloudWatch Logs subscription filter delivers, as bytes."""
    events = [
        {"id": g.digits(56), "timestamp": g.epoch_ms(g.time(i)), "message": message}
        for i, message in enumerate(messages)
    ]
    doc = {
        "messageType": "DATA_MESSAGE",
        "owner": account_id,
        "logGroup": log_group,
        "logStream": log_stream,
        "subscriptionFilters": [filter_name],
        "logEvents": events,
    }
    return json.dumps(doc).encode("utf-8")
