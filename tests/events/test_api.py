"""The public API: names, describe, generate, seeds and error messages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from lambda_magic import events

SAM_TEMPLATES = {
    "alexa-skills-kit": [
        "end-session",
        "intent-answer",
        "intent-getnewfact",
        "intent-mycoloris",
        "intent-recipe",
        "start-session",
    ],
    "alexa-smart-home": [
        "smart-home-control-turn-off-request",
        "smart-home-control-turn-on-request",
        "smart-home-discovery-request",
    ],
    "alb": ["request"],
    "apigateway": ["authorizer", "request-authorizer", "aws-proxy", "http-api-proxy"],
    "appsync": ["resolver"],
    "batch": ["get-job", "submit-job"],
    "cloudformation": ["create-request"],
    "codecommit": ["repository"],
    "codepipeline": ["job"],
    "cloudfront": [
        "ab-test",
        "access-request-in-response",
        "http-redirect",
        "modify-querystring",
        "modify-response-header",
        "multiple-remote-calls-aggregate-response",
        "normalize-querystring-to-improve-cache-hit",
        "redirect-on-viewer-country",
        "redirect-unauthenticated-users",
        "response-generation",
        "serve-object-on-viewer-device",
        "simple-remote-call",
    ],
    "cloudwatch": ["logs", "scheduled-event"],
    "cognito": ["sync-trigger"],
    "config": ["item-change-notification", "oversized-item-change-notification", "periodic-rule"],
    "connect": ["contact-flow-event"],
    "dynamodb": ["update"],
    "kinesis": [
        "get-records",
        "kinesis-firehose",
        "analytics",
        "analytics-compressed",
        "analytics-dynamodb",
        "analytics-kpl",
        "apachelog",
        "cloudwatch-logs-processor",
        "streams-as-source",
        "syslog",
    ],
    "lex": ["book-car", "book-hotel", "make-appointment", "order-flowers"],
    "lex-v2": ["banking-bot", "book-car", "book-hotel"],
    "rekognition": ["s3-request"],
    "s3": ["put", "delete", "batch-invocation"],
    "sagemaker": ["ground-truth-pre-human", "ground-truth-annotation-consolidation"],
    "ses": ["email-receiving"],
    "sns": ["notification"],
    "sqs": ["receive-message"],
    "stepfunctions": ["error"],
    "workmail": ["email"],
}
EXTRAS = [
    "function-url:request",
    "apigateway:websocket-connect",
    "apigateway:websocket-message",
    "apigateway:websocket-disconnect",
    "eventbridge:event",
    "eventbridge:s3-object-created",
    "eventbridge:s3-object-deleted",
    "kafka:msk",
    "kafka:self-managed",
    "mq:activemq",
    "mq:rabbitmq",
    "vpc-lattice:request",
    "vpc-lattice:request-v2",
    "secretsmanager:rotation",
    "cloudwatch:alarm-metric",
    "cloudwatch:alarm-composite",
    "dynamodb:insert",
    "dynamodb:modify",
    "dynamodb:remove",
    "s3:object-lambda",
    "bedrock-agent:api",
    "bedrock-agent:function",
    "cloudformation:update-request",
    "cloudformation:delete-request",
    "codedeploy:lifecycle-hook",
    "sqs:sns-notification",
    "sqs:s3-sns-notification",
    "sqs:s3-notification",
    *(
        f"cognito-user-pool:{t}"
        for t in (
            "pre-sign-up",
            "post-confirmation",
            "pre-authentication",
            "post-authentication",
            "pre-token-generation",
            "pre-token-generation-v2",
            "custom-message",
            "define-auth-challenge",
            "create-auth-challenge",
            "verify-auth-challenge",
            "user-migration",
            "custom-sms-sender",
            "custom-email-sender",
        )
    ),
]


def test_every_sam_template_exists_under_its_sam_name() -> None:
    expected = {f"{s}:{t}" for s, types in SAM_TEMPLATES.items() for t in types}
    assert len(expected) == 68 and len(SAM_TEMPLATES) == 26
    assert expected <= set(events.names())


def test_templates_sam_lacks_exist() -> None:
    assert set(EXTRAS) <= set(events.names())


def test_names_are_sorted_unique_and_filter_by_service() -> None:
    names = events.names()
    assert names == sorted(set(names))
    assert events.names("sqs") == [n for n in names if n.startswith("sqs:")]
    assert events.services() == sorted({n.split(":")[0] for n in names})


@pytest.mark.parametrize("name", events.names())
def test_defaults_are_json_and_reproducible(name: str) -> None:
    first = events.generate(name, seed=11)
    assert json.loads(json.dumps(first)) == first
    assert json.dumps(events.generate(name, seed=11)) == json.dumps(first)


@pytest.mark.parametrize("name", events.names())
def test_describe_matches_parameters(name: str) -> None:
    info = events.describe(name)
    assert info.name == name and info.description
    params = events.parameter_names(name)
    # Each becomes a CLI option (--account-id for account_id): distinct, lower-case identifiers
    # that do not shadow the CLI's own --seed and --indent.
    assert len(set(params)) == len(params) and not {"seed", "indent"} & set(params)
    assert all(p.isidentifier() and p == p.lower() for p in params)
    for p in info.parameters:
        assert p.description and p.type
        events.generate(name, **{p.name: p.default})  # every default is a valid value


def test_seed_changes_everything_that_is_fresh() -> None:
    a = events.generate("sqs:receive-message", seed=1)
    b = events.generate("sqs:receive-message", seed=2)
    ra, rb = a["Records"][0], b["Records"][0]
    assert ra["messageId"] != rb["messageId"]
    assert ra["attributes"]["SentTimestamp"] != rb["attributes"]["SentTimestamp"]
    assert ra["body"] == rb["body"]


def test_no_seed_gives_fresh_ids_and_current_time() -> None:
    import time

    before = int(time.time() * 1000)
    first = events.generate("sqs:receive-message")["Records"][0]
    second = events.generate("sqs:receive-message")["Records"][0]
    after = int(time.time() * 1000)
    assert first["messageId"] != second["messageId"]
    assert first["receiptHandle"] != second["receiptHandle"]
    assert before - 1 <= int(first["attributes"]["SentTimestamp"]) <= after + 1


def test_seeded_time_is_derived_from_the_seed() -> None:
    times = {events.generate("eventbridge:event", seed=s)["time"] for s in range(5)}
    assert len(times) == 5
    assert all(t.startswith(("2024-", "2025-01-0")) for t in times)


def test_generate_does_not_alias_caller_data() -> None:
    detail: dict[str, Any] = {"a": [1]}
    event = events.generate("eventbridge:event", detail=detail)
    event["detail"]["a"].append(2)
    assert detail == {"a": [1]}
    assert (
        events.generate("eventbridge:event")["detail"]
        == events.describe("eventbridge:event").parameters[2].default
    )


def test_describe_renders_text_and_html() -> None:
    info = events.describe("s3:put")
    text = str(info)
    assert text.startswith("s3:put: ") and "--bucket" in text and "'example-bucket'" in text
    assert repr(info).startswith("TemplateInfo('s3:put', parameters=[bucket, key")
    html = info._repr_html_()
    assert "<table>" in html and "<code>bucket</code>" in html
    assert "<script>" not in events.describe("eventbridge:event")._repr_html_()


def test_template_name_spellings() -> None:
    assert events.generate("S3:PUT", seed=1) == events.generate("s3 put", seed=1)


# ------------------------------------------------------------------------ error messages
def _error(call: Any) -> str:
    with pytest.raises(events.EventTemplateError) as info:
        call()
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_unknown_template_names_closest_and_same_service() -> None:
    assert _error(lambda: events.generate("s3:puut")) == (
        "unknown event template 's3:puut' (did you mean 's3:put'?); templates of s3: "
        "s3:batch-invocation, s3:delete, s3:object-lambda, s3:put"
    )


def test_unknown_service_lists_services() -> None:
    message = _error(lambda: events.generate("sqss:receive-message"))
    assert message.startswith(
        "unknown event template 'sqss:receive-message' (did you mean 'sqs:receive-message'"
    )
    assert "; services: alb, alexa-skills-kit" in message
    assert _error(lambda: events.names("sqss")).startswith(
        "unknown service 'sqss' (did you mean 'sqs'"
    )


def test_unknown_parameter_names_closest_and_valid_ones() -> None:
    assert _error(lambda: events.generate("s3:put", buckett="x")) == (
        "unknown parameter 'buckett' for s3:put (did you mean 'bucket'?); valid parameters: "
        "bucket, key, size, event_name, version_id, source_ip, region"
    )


def test_wrong_type_says_which_and_why() -> None:
    assert _error(lambda: events.generate("sqs:receive-message", body=3)) == (
        "parameter 'body' of sqs:receive-message must be a str or a list of str, got int"
    )
    assert _error(lambda: events.generate("s3:put", size=True)) == (
        "parameter 'size' of s3:put must be an int, got bool"
    )
    assert _error(lambda: events.generate("eventbridge:event", detail={"a": object()})) == (
        "parameter 'detail' of eventbridge:event must be a JSON-serialisable dict, got dict"
    )


def test_wrong_value_says_which_and_why() -> None:
    assert _error(lambda: events.generate("apigateway:aws-proxy", method="FETCH")) == (
        "parameter 'method' of apigateway:aws-proxy must be one of DELETE, GET, HEAD, OPTIONS, "
        "PATCH, POST, PUT, got 'FETCH'"
    )
    assert _error(lambda: events.generate("s3:put", event_name="ObjectRemoved:Delete")) == (
        "parameter 'event_name' of s3:put must start with 'ObjectCreated:', got "
        "'ObjectRemoved:Delete'"
    )
    assert _error(lambda: events.generate("secretsmanager:rotation", step="x")).startswith(
        "parameter 'step' of secretsmanager:rotation must be one of createSecret"
    )


def test_bad_seed() -> None:
    assert _error(lambda: events.generate("s3:put", seed="1")) == (
        "seed must be an int or None, got str"
    )


# ------------------------------------------------------------------------ coerce_params
def test_coerce_params_types() -> None:
    params = events.coerce_params(
        "sqs:receive-message",
        {"body": ["a", "b"], "receive-count": "3", "fifo": "yes", "message_attributes": '{"n": 1}'},
    )
    assert params == {
        "body": ["a", "b"],
        "receive_count": 3,
        "fifo": True,
        "message_attributes": {"n": 1},
    }
    assert events.coerce_params("sqs:receive-message", {"body": '["x", "y"]'}) == {
        "body": ["x", "y"]
    }
    assert events.coerce_params("sqs:receive-message", {"body": "[not json"}) == {
        "body": "[not json"
    }
    headers = events.coerce_params("apigateway:aws-proxy", {"headers": ["A=1", "A=2", "B=x=y"]})
    assert headers == {"headers": {"A": ["1", "2"], "B": "x=y"}}
    assert events.coerce_params("apigateway:aws-proxy", {"query": "a=1&b=2"}) == {
        "query": "a=1&b=2"
    }
    assert events.coerce_params("dynamodb:insert", {"items": ['{"Id": 1}', '{"Id": 2}']}) == {
        "items": [{"Id": 1}, {"Id": 2}]
    }
    assert events.coerce_params("appsync:resolver", {"source": "null"}) == {"source": None}
    assert events.coerce_params("cloudwatch:alarm-composite", {"children": "a"}) == {
        "children": ["a"]
    }


def test_coerced_params_generate() -> None:
    raw = {"body": ["a", "b"], "fifo": "true", "receive_count": "2"}
    event = events.generate(
        "sqs:receive-message", **events.coerce_params("sqs:receive-message", raw)
    )
    assert [r["body"] for r in event["Records"]] == ["a", "b"]
    assert event["Records"][0]["attributes"]["ApproximateReceiveCount"] == "2"


def test_coerce_params_errors() -> None:
    assert _error(lambda: events.coerce_params("s3:put", {"size": "big"})) == (
        "parameter 'size' of s3:put must be an int, got 'big'"
    )
    assert _error(lambda: events.coerce_params("s3:put", {"bucket": ["a", "b"]})) == (
        "parameter 'bucket' of s3:put was given 2 times, expected once"
    )
    assert _error(lambda: events.coerce_params("sqs:receive-message", {"fifo": "maybe"})) == (
        "parameter 'fifo' of sqs:receive-message must be true or false, got 'maybe'"
    )
    assert _error(lambda: events.coerce_params("eventbridge:event", {"detail": "[1]"})) == (
        "parameter 'detail' of eventbridge:event must be a JSON object, got '[1]'"
    )
    assert _error(lambda: events.coerce_params("apigateway:aws-proxy", {"headers": "oops"})) == (
        "parameter 'headers' of apigateway:aws-proxy must be a JSON object or KEY=VALUE pairs, "
        "got 'oops'"
    )
    assert re.match(
        r"unknown parameter 'bukket' for s3:put \(did you mean 'bucket'\?\)",
        _error(lambda: events.coerce_params("s3:put", {"--bukket": "x"})),
    )
