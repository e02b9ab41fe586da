"""Amazon EventBridge events (generic, S3 via EventBridge, schedules) and CloudWatch events."""

from __future__ import annotations

import json
from typing import Any

from lambda_magic.events._encoding import partition_of, s3_key
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, one_of, template
from lambda_magic.events.templates._cwlogs import gzip_b64, logs_document

__all__ = ["eventbridge_event"]

_DOCS = {
    "source": "event source, e.g. com.example.orders",
    "detail_type": "detail-type of the event",
    "detail": "event detail (any JSON object)",
    "resources": "ARNs of the resources the event is about",
    "rule": "EventBridge rule name",
    "reason": "S3 API call that caused the event",
    "requester": "account or service principal that made the request; empty for the account",
    "log_group": "log group of the subscription",
    "log_stream": "log stream of the subscription",
    "messages": "log messages; a list gives one log event each",
    "alarm_name": "alarm name",
    "state": "new alarm state: ALARM, OK or INSUFFICIENT_DATA",
    "previous_state": "previous alarm state",
    "reason_text": "human-readable reason of the state change",
    "namespace": "metric namespace",
    "metric_name": "metric name",
    "dimensions": "metric dimensions",
    "alarm_rule": "composite alarm rule",
    "children": "names of the child alarms that triggered the composite alarm",
    "params": "widget parameters set on the dashboard",
    "describe": "ask for the widget's documentation instead of its content",
    "dashboard": "dashboard name",
}
_STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")


def eventbridge_event(
    g: Gen,
    *,
    source: str,
    detail_type: str,
    detail: dict[str, Any],
    resources: list[str],
    region: str,
    account_id: str,
) -> Event:
    """An EventBridge event envelope."""
    return {
        "version": "0",
        "id": g.uuid(),
        "detail-type": detail_type,
        "source": source,
        "account": account_id,
        "time": g.iso(g.time()),
        "region": region,
        "resources": resources,
        "detail": detail,
    }


@template("eventbridge:event", "Amazon EventBridge event of any source and detail-type", **_DOCS)
def generic_event(
    g: Gen,
    *,
    source: str = "com.example.orders",
    detail_type: str = "Order Placed",
    detail: dict[str, Any] = {"orderId": "1234", "amount": 42.5},
    resources: list[str] = [],
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    return eventbridge_event(
        g,
        source=source,
        detail_type=detail_type,
        detail=detail,
        resources=resources,
        region=region,
        account_id=account_id,
    )


def _s3_detail(
    g: Gen, bucket: str, key: str, requester: str, source_ip: str, reason: str
) -> dict[str, Any]:
    return {
        "version": "0",
        "bucket": {"name": bucket},
        "object": {"key": s3_key(key), "etag": g.hex(32), "sequencer": g.hex(18).upper()},
        "request-id": g.upper(16),
        "requester": requester,
        "source-ip-address": source_ip,
        "reason": reason,
    }


@template(
    "eventbridge:s3-object-created",
    "Amazon S3 Object Created event delivered through EventBridge",
    **_DOCS,
)
def s3_object_created(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    key: str = "test/key",
    size: int = 1024,
    reason: str = "PutObject",
    requester: str = "",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    detail = _s3_detail(g, bucket, key, requester or account_id, source_ip, reason)
    detail["object"]["size"] = size
    return eventbridge_event(
        g,
        source="aws.s3",
        detail_type="Object Created",
        detail=detail,
        resources=[f"arn:{partition_of(region)}:s3:::{bucket}"],
        region=region,
        account_id=account_id,
    )


@template(
    "eventbridge:s3-object-deleted",
    "Amazon S3 Object Deleted event delivered through EventBridge",
    **_DOCS,
)
def s3_object_deleted(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    key: str = "test/key",
    reason: str = "DeleteObject",
    requester: str = "",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    detail = _s3_detail(g, bucket, key, requester or account_id, source_ip, reason)
    detail["deletion-type"] = "Permanently Deleted"
    return eventbridge_event(
        g,
        source="aws.s3",
        detail_type="Object Deleted",
        detail=detail,
        resources=[f"arn:{partition_of(region)}:s3:::{bucket}"],
        region=region,
        account_id=account_id,
    )


@template(
    "cloudwatch:scheduled-event",
    "Amazon EventBridge (CloudWatch Events) scheduled rule invocation",
    **_DOCS,
)
def scheduled_event(
    g: Gen,
    *,
    rule: str = "ExampleRule",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    arn = f"arn:{partition_of(region)}:events:{region}:{account_id}:rule/{rule}"
    return eventbridge_event(
        g,
        source="aws.events",
        detail_type="Scheduled Event",
        detail={},
        resources=[arn],
        region=region,
        account_id=account_id,
    )


@template(
    "cloudwatch:logs", "Amazon CloudWatch Logs subscription filter delivery (gzip+base64)", **_DOCS
)
def cloudwatch_logs(
    g: Gen,
    *,
    messages: str | list[str] = ["[ERROR] First test message", "[ERROR] Second test message"],
    log_group: str = "/aws/lambda/example",
    log_stream: str = "2024/01/01/[$LATEST]0123456789abcdef",
    account_id: str = "123456789012",
) -> Event:
    texts = [messages] if isinstance(messages, str) else list(messages)
    doc = logs_document(g, texts, log_group=log_group, log_stream=log_stream, account_id=account_id)
    return {"awslogs": {"data": gzip_b64(doc)}}


def _alarm(
    g: Gen,
    *,
    alarm_name: str,
    state: str,
    previous_state: str,
    reason: str,
    reason_data: dict[str, Any],
    configuration: dict[str, Any],
    region: str,
    account_id: str,
) -> Event:
    one_of("state", state, _STATES)
    one_of("previous_state", previous_state, _STATES)
    now, before = g.time(), g.time(-300_000)
    return {
        "source": "aws.cloudwatch",
        "alarmArn": f"arn:{partition_of(region)}:cloudwatch:{region}:{account_id}:alarm:"
        f"{alarm_name}",
        "accountId": account_id,
        "time": g.iso_offset(now),
        "region": region,
        "alarmData": {
            "alarmName": alarm_name,
            "state": {
                "value": state,
                "reason": reason,
                "reasonData": json.dumps(reason_data),
                "timestamp": g.iso_offset(now),
            },
            "previousState": {
                "value": previous_state,
                "reason": f"Alarm was in {previous_state} before this change",
                "timestamp": g.iso_offset(before),
            },
            "configuration": configuration,
        },
    }


@template("cloudwatch:alarm-metric", "Amazon CloudWatch metric alarm state change action", **_DOCS)
def alarm_metric(
    g: Gen,
    *,
    alarm_name: str = "lambda-demo-metric-alarm",
    state: str = "ALARM",
    previous_state: str = "OK",
    reason_text: str = "Threshold Crossed: 1 datapoint [90.0] was greater than the threshold.",
    namespace: str = "AWS/EC2",
    metric_name: str = "CPUUtilization",
    dimensions: dict[str, str] = {"InstanceId": "i-0123456789abcdef0"},
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    metric = {
        "id": g.uuid(),
        "metricStat": {
            "metric": {"namespace": namespace, "name": metric_name, "dimensions": dimensions},
            "period": 60,
            "stat": "Average",
            "unit": "Percent",
        },
        "returnData": True,
    }
    reason_data = {
        "version": "1.0",
        "queryDate": g.iso_offset(g.time()),
        "statistic": "Average",
        "period": 60,
        "recentDatapoints": [90.0],
        "threshold": 80.0,
        "evaluatedDatapoints": [
            {"timestamp": g.iso_offset(g.time(-60_000)), "sampleCount": 1.0, "value": 90.0}
        ],
    }
    config = {"description": f"Alarm on {namespace} {metric_name}", "metrics": [metric]}
    return _alarm(
        g,
        alarm_name=alarm_name,
        state=state,
        previous_state=previous_state,
        reason=reason_text,
        reason_data=reason_data,
        configuration=config,
        region=region,
        account_id=account_id,
    )


@template(
    "cloudwatch:alarm-composite", "Amazon CloudWatch composite alarm state change action", **_DOCS
)
def alarm_composite(
    g: Gen,
    *,
    alarm_name: str = "CompositeDemo.Main",
    state: str = "ALARM",
    previous_state: str = "OK",
    children: list[str] = ["CompositeDemo.FirstChild"],
    alarm_rule: str = "ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    prefix = f"arn:{partition_of(region)}:cloudwatch:{region}:{account_id}:alarm:"
    when = g.iso_offset(g.time(-1000))
    triggering = [
        {"arn": prefix + child, "state": {"value": state, "timestamp": when}} for child in children
    ]
    reason = "; ".join(f"{prefix}{child} transitioned to {state} at {when}" for child in children)
    config = {
        "alarmRule": alarm_rule,
        "actionsSuppressor": "CompositeDemo.ActionsSuppressor",
        "actionsSuppressorWaitPeriod": 120,
        "actionsSuppressorExtensionPeriod": 180,
    }
    return _alarm(
        g,
        alarm_name=alarm_name,
        state=state,
        previous_state=previous_state,
        reason=reason or "no child alarm",
        reason_data={"triggeringAlarms": triggering},
        configuration=config,
        region=region,
        account_id=account_id,
    )


@template(
    "cloudwatch:dashboard-custom-widget",
    "Amazon CloudWatch dashboard custom widget request",
    **_DOCS,
)
def custom_widget(
    g: Gen,
    *,
    params: dict[str, Any] = {"original": "param-to-widget"},
    describe: bool = False,
    dashboard: str = "Example-dashboard",
    account_id: str = "123456789012",
) -> Event:
    end = g.epoch_ms(g.time())
    start = end - 3 * 3600 * 1000
    context = {
        "dashboardName": dashboard,
        "widgetId": f"widget-{g.rng.randrange(1, 40)}",
        "domain": "https://console.aws.amazon.com",
        "accountId": account_id,
        "locale": "en",
        "timezone": {"label": "UTC", "offsetISO": "+00:00", "offsetInMinutes": 0},
        "period": 300,
        "isAutoPeriod": True,
        "timeRange": {
            "mode": "relative",
            "start": start,
            "end": end,
            "relativeStart": 3 * 3600 * 1000,
            "zoom": {"start": start, "end": end},
        },
        "theme": "light",
        "linkCharts": True,
        "title": "Custom widget",
        "forms": {"all": {}},
        "params": params,
        "width": 588,
        "height": 369,
    }
    return {"describe": describe, "widgetContext": context}
