"""Every template validates against the matching Powertools parser model and data class.

TABLE maps each template to its Powertools parser model (None when Powertools only has an event
data class), non-default parameters, and a check that reads the event back through the
Powertools data class. NO_MODEL lists the templates Powertools has neither for; they get
structural checks in test_no_model.py. A new template must join one of the two, or
test_every_template_is_covered fails.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aws_lambda_powertools.utilities import data_classes as dc
from aws_lambda_powertools.utilities.data_classes import active_mq_event as amq
from aws_lambda_powertools.utilities.data_classes import api_gateway_authorizer_event as auth
from aws_lambda_powertools.utilities.data_classes import cognito_user_pool_event as cup
from aws_lambda_powertools.utilities.data_classes import rabbit_mq_event as rmq
from aws_lambda_powertools.utilities.data_classes import s3_object_event as s3o
from aws_lambda_powertools.utilities.parser import models as m
from pydantic import BaseModel

from lambda_magic import events

Check = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    model: type[BaseModel] | None
    params: dict[str, Any]
    check: Check
    nested: Callable[[dict[str, Any]], None] | None = None  # validates wrapped documents


# ----------------------------------------------------------------------------- checks
def c_rest(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.APIGatewayProxyEvent(ev)
    assert e.http_method == p["method"] and e.path == p["path"]
    assert e.decoded_body == p["body"].decode()
    assert e.is_base64_encoded is True
    assert e.get_query_string_value("tag") == "b"  # single-value map keeps the last value
    assert e.get_multi_value_query_string_values("tag") == ["a", "b"]
    assert e.headers.get("X-Custom") == "2"
    assert e.multi_value_headers["X-Custom"] == ["1", "2"]
    assert e.path_parameters == {"id": "42"}
    assert e.request_context.stage == p["stage"]


def c_http_api(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.APIGatewayProxyEventV2(ev)
    assert e.request_context.http.method == p["method"]
    assert e.raw_path == "/dev" + p["path"] and e.path == p["path"]  # path drops the stage
    assert e.raw_query_string == "tag=a&tag=b&q=x%20y"
    assert e.query_string_parameters == {"tag": "a,b", "q": "x y"}
    assert e.cookies == ["session=abc", "theme=dark"]
    assert "cookie" not in ev["headers"] and e.headers.get("x-custom") == "1,2"
    assert e.decoded_body == p["body"] and e.is_base64_encoded is False
    assert e.path_parameters == {"id": "42"}


def c_token_auth(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = auth.APIGatewayAuthorizerTokenEvent(ev)
    assert e.authorization_token == p["token"]
    arn = e.parsed_arn
    assert (arn.region, arn.aws_account_id, arn.http_method, arn.resource) == (
        "eu-west-1",
        "111122223333",
        "DELETE",
        "items/7",
    )


def c_request_auth(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = auth.APIGatewayAuthorizerRequestEvent(ev)
    assert e.headers.get("Authorization") == p["token"]
    assert e.query_string_parameters == {"a": "1"}
    assert e.parsed_arn.http_method == "POST" and e.parsed_arn.resource == "orders"


def c_http_auth(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = auth.APIGatewayAuthorizerEventV2(ev)
    assert e.identity_source == [p["token"]]
    assert e.headers.get("authorization") == p["token"]
    assert e.parsed_arn.http_method == "PUT" and e.route_key == p["route_key"]


def c_ws(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.APIGatewayWebSocketEvent(ev)
    assert e.request_context.connection_id == p["connection_id"]
    if "body" in p:
        assert e.decoded_body == p["body"].decode() and e.is_base64_encoded
    if "query" in p:
        assert e.query_string_parameters == {"token": "t"}


def c_alb(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.ALBEvent(ev)
    assert e.http_method == p["method"] and e.path == p["path"]
    # ALB keeps the client's encoding of query values and the last of repeated ones.
    assert e.query_string_parameters == {"tag": "b", "q": "x%20y"}
    assert e.headers.get("x-custom") == "2" and "X-Custom" not in ev["headers"]
    assert e.decoded_body == p["body"] and e.is_base64_encoded is False


def c_url(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.LambdaFunctionUrlEvent(ev)
    assert e.request_context.http.method == p["method"] and e.raw_path == p["path"]
    assert e.query_string_parameters == {"a": "1,2"} and e.raw_query_string == "a=1&a=2"
    assert e.decoded_body == "\x00\x01binary" and e.is_base64_encoded
    assert e.request_context.authorizer.iam.user_arn == p["iam_caller"]
    assert e.cookies == ["k=v"]


def c_lattice(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.VPCLatticeEvent(ev)
    assert e.method == "PUT" and e.path == p["path"]
    assert e.query_string_parameters == {"a": "1"} and e.raw_path == p["path"] + "?a=1"
    assert e.json_body == {"k": 1} and e.headers.get("x-custom") == "v"


def c_lattice2(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.VPCLatticeEventV2(ev)
    assert e.method == "PUT" and e.path == p["path"]
    assert ev["headers"]["x-custom"] == ["1", "2"]  # v2 carries multi-value maps
    assert ev["queryStringParameters"] == {"a": ["1", "2"]}
    assert e.decoded_body == "\x00bin" and e.is_base64_encoded
    assert e.request_context.region == p["region"]


def c_s3(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.S3Event(ev)
    assert e.bucket_name == p["bucket"] and e.object_key == p["key"]
    record = next(iter(e.records))
    assert record.event_name == p.get("event_name", "ObjectCreated:Put")
    assert record.s3.get_object.version_id == p.get("version_id")


def c_s3_batch(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.S3BatchOperationEvent(ev)
    assert e.invocation_schema_version == "2.0"
    assert [t.s3_key for t in e.tasks] == p["keys"]
    assert all(t.s3_bucket == p["bucket"] for t in e.tasks)
    assert e.job.user_arguments == p["user_arguments"]


def c_object_lambda(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = s3o.S3ObjectLambdaEvent(ev)
    assert e.configuration.payload == p["payload"]
    assert e.user_identity.account_id == p["account_id"]
    assert e.user_request.url.endswith("/reports/q%201.csv")


def c_sqs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.SQSEvent(ev)
    records = list(e.records)
    assert [r.body for r in records] == p["body"]
    assert records[0].attributes.message_group_id == p["group_id"]
    assert records[0].message_attributes["priority"].string_value == "5"
    assert records[0].queue_url.endswith("/orders.fifo")


def c_sns(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.SNSEvent(ev)
    assert [r.sns.message for r in e.records] == p["message"]
    assert e.sns_message == p["message"][0] and e.record.sns.subject is None
    assert e.record.sns.message_attributes["kind"].value == "test"


def c_sns_sqs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    messages = [json.loads(r.body)["Message"] for r in dc.SQSEvent(ev).records]
    assert messages == p["message"]


def c_s3_sqs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    keys = [dc.S3Event(json.loads(r.body)).object_key for r in dc.SQSEvent(ev).records]
    assert keys == p["keys"]


def c_s3_sns_sqs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    sns = [json.loads(r.body) for r in dc.SQSEvent(ev).records]
    keys = [dc.S3Event(json.loads(n["Message"])).object_key for n in sns]
    assert keys == p["keys"]


def c_ses(ev: dict[str, Any], p: dict[str, Any]) -> None:
    mail = dc.SESEvent(ev).record.ses.mail
    assert mail.common_headers.subject == p["subject"]
    assert mail.destination == p["recipients"] and mail.source == p["sender"]
    assert dc.SESEvent(ev).record.ses.receipt.spam_verdict.status == "FAIL"


def c_kinesis(ev: dict[str, Any], p: dict[str, Any]) -> None:
    records = list(dc.KinesisStreamEvent(ev).records)
    assert [r.kinesis.data_as_bytes() for r in records] == [b"one", b"\xff\x00"]
    assert records[0].kinesis.data_as_text() == "one"
    assert records[0].kinesis.partition_key == p["partition_key"]
    seqs = [int(r.kinesis.sequence_number) for r in records]
    assert seqs == sorted(seqs) and len(set(seqs)) == 2


def c_firehose(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.KinesisFirehoseEvent(ev)
    assert [r.data_as_text for r in e.records] == [
        d if isinstance(d, str) else d.decode() for d in p["data"]
    ]
    assert e.delivery_stream_arn.endswith("/" + p["delivery_stream"])


def c_firehose_stream(ev: dict[str, Any], p: dict[str, Any]) -> None:
    c_firehose(ev, p)
    e = dc.KinesisFirehoseEvent(ev)
    assert e.source_kinesis_stream_arn.endswith(":stream/" + p["stream"])
    assert next(iter(e.records)).metadata.partition_key == p["partition_key"]


def c_firehose_cwlogs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    record = next(iter(dc.KinesisFirehoseEvent(ev).records))
    doc = json.loads(gzip.decompress(record.data_as_bytes))
    assert [le["message"] for le in doc["logEvents"]] == p["messages"]
    assert doc["logGroup"] == p["log_group"]


def c_ddb(ev: dict[str, Any], p: dict[str, Any]) -> None:
    records = list(dc.DynamoDBStreamEvent(ev).records)
    name = ev["Records"][0]["eventName"]
    if name == "MODIFY":
        assert [r.dynamodb.new_image for r in records] == p["new"]
        assert [r.dynamodb.old_image for r in records] == p["old"]
    elif name == "INSERT":
        assert [r.dynamodb.new_image for r in records] == p["items"]
        assert all(r.dynamodb.old_image == {} for r in records)
    else:
        assert [r.dynamodb.old_image for r in records] == [p["items"]]  # Decimal == float
    assert records[0].dynamodb.keys == {"pk": "a"}
    assert records[0].event_source_arn.split("/")[1] == p["table"]


def c_ddb_update(ev: dict[str, Any], p: dict[str, Any]) -> None:
    records = list(dc.DynamoDBStreamEvent(ev).records)
    assert [r.event_name.name for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert records[1].dynamodb.new_image == p["new"]
    assert records[1].dynamodb.old_image == p["old"]


def c_kafka(ev: dict[str, Any], p: dict[str, Any]) -> None:
    records = list(dc.KafkaEvent(ev).records)
    assert [r.decoded_value for r in records] == [b"v1", b"\x00v2"]
    assert records[0].decoded_key == b"k" and records[0].decoded_headers == {"h": b"x"}
    assert {r.topic for r in records} == {p["topic"]} and records[0].partition == 3
    assert records[1].offset == records[0].offset + 1


def c_activemq(ev: dict[str, Any], p: dict[str, Any]) -> None:
    messages = list(amq.ActiveMQEvent(ev).messages)
    assert [msg.decoded_data for msg in messages] == p["data"]
    assert messages[0].destination_physicalname == p["queue"]
    assert messages[0].properties == p["properties"]


def c_rabbitmq(ev: dict[str, Any], p: dict[str, Any]) -> None:
    queues = rmq.RabbitMQEvent(ev).rmq_messages_by_queue
    ((name, messages),) = queues.items()
    assert name == f"{p['queue']}::{p['virtual_host']}"
    assert [msg.decoded_data for msg in messages] == p["data"]
    assert bytes(messages[0].basic_properties.headers["h"]["bytes"]) == b"v"


def c_eventbridge(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.EventBridgeEvent(ev)
    assert (e.source, e.detail_type, e.detail, e.resources) == (
        p["source"],
        p["detail_type"],
        p["detail"],
        p["resources"],
    )
    assert e.region == p["region"] and e.account == p["account_id"]


def c_s3_eventbridge(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.S3EventBridgeNotificationEvent(ev)
    assert e.detail.bucket.name == p["bucket"] and e.detail.object.key == p["key"]
    assert e.detail.requester == p["requester"]


def c_batch_state(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.EventBridgeEvent(ev)
    assert e.detail["status"] == p["status"] and e.detail["jobName"] == p["job_name"]
    assert e.detail_type == "Batch Job State Change" and e.resources == [e.detail["jobArn"]]


def c_scheduled(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.EventBridgeEvent(ev)
    assert e.detail_type == "Scheduled Event" and e.resources[0].endswith("rule/" + p["rule"])


def c_cwlogs(ev: dict[str, Any], p: dict[str, Any]) -> None:
    data = dc.CloudWatchLogsEvent(ev).parse_logs_data()
    assert [le.message for le in data.log_events] == p["messages"]
    assert data.log_group == p["log_group"] and data.owner == p["account_id"]


def c_alarm(ev: dict[str, Any], p: dict[str, Any]) -> None:
    data = dc.CloudWatchAlarmEvent(ev).alarm_data
    assert data.alarm_name == p["alarm_name"] and data.state.value == p["state"]
    assert data.previous_state.value == p["previous_state"]
    assert isinstance(data.state.reason_data_decoded, dict)
    if "metric_name" in p:
        metric = data.configuration.metrics[0].metric_stat.metric
        assert metric["name"] == p["metric_name"] and metric["dimensions"] == p["dimensions"]
    else:
        assert data.configuration.alarm_rule == p["alarm_rule"]
        triggering = data.state.reason_data_decoded["triggeringAlarms"]
        assert [t["arn"].rsplit(":", 1)[1] for t in triggering] == p["children"]


def c_widget(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.CloudWatchDashboardCustomWidgetEvent(ev)
    assert e.describe is True and e.widget_context.params == p["params"]
    assert e.widget_context.dashboard_name == p["dashboard"]
    assert e.widget_context.time_range.start < e.widget_context.time_range.end


def c_cfn(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.CloudFormationCustomResourceEvent(ev)
    assert e.resource_properties["Size"] == p["properties"]["Size"]
    assert e.service_token.endswith(":function:" + p["function_name"])
    assert e.logical_resource_id == p["logical_id"]
    if "old_properties" in p:
        assert e.old_resource_properties == p["old_properties"]
    if "physical_id" in p:
        assert e.physical_resource_id == p["physical_id"]


def c_codepipeline(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.CodePipelineJobEvent(ev)
    assert e.user_parameters == p["user_parameters"] and e.input_bucket_name == p["input_bucket"]
    assert e.data.input_artifacts[0].location.s3_location.key == p["input_key"]
    assert e.data.output_artifacts[0].location.s3_location.bucket_name == p["output_bucket"]


def c_codedeploy(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.CodeDeployLifecycleHookEvent(ev)
    assert e.deployment_id.startswith("d-") and base64.b64decode(
        e.lifecycle_event_hook_execution_id
    )


def c_secrets(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.SecretsManagerEvent(ev)
    assert e.step == p["step"] and ":secret:" + p["secret_name"] + "-" in e.secret_id


def c_config(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.AWSConfigRuleEvent(ev)
    assert e.config_rule_name == p["rule"] and e.rule_parameters == p["rule_parameters"]
    invoking: Any = e.invoking_event
    raw = json.loads(e.raw_invoking_event)
    if "configurationItem" in raw:
        assert invoking.configuration_item.resource_id == p["resource_id"]
    elif "configurationItemSummary" in raw:
        assert invoking.configuration_item_summary.resource_id == p["resource_id"]
    else:
        assert invoking.message_type == "ScheduledNotification"
        assert invoking.accountid == ev["accountId"]


def c_connect(ev: dict[str, Any], p: dict[str, Any]) -> None:
    data = dc.ConnectContactFlowEvent(ev).contact_data
    assert data.contact_id == p["contact_id"]
    assert data.customer_endpoint.address == p["phone_number"]
    assert data.media_streams.customer.audio.stream_arn
    assert dc.ConnectContactFlowEvent(ev).parameters == p["flow_parameters"]


def c_appsync(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.AppSyncResolverEvent(ev)
    assert e.field_name == p["field_name"] and e.type_name == p["parent_type"]
    assert e.arguments == p["arguments"] and e.source == p["source"]
    assert e.info.selection_set_list == p["selection"]
    assert e.identity.username == p["username"]


def c_bedrock_api(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.BedrockAgentEvent(ev)
    assert e.api_path == p["api_path"] and e.http_method == "POST"
    assert {x.name: (x.type, x.value) for x in e.parameters} == {
        "claimId": ("integer", "7"),
        "urgent": ("boolean", "true"),
    }
    props = e.request_body.content["application/json"].properties
    assert {x.name: x.value for x in props} == {"note": "hi"}


def c_bedrock_fn(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.BedrockAgentFunctionEvent(ev)
    assert e.function == p["function"] and e.action_group == p["action_group"]
    assert [(x.name, x.type, x.value) for x in e.parameters] == [("days", "number", "1.5")]


def c_transfer(ev: dict[str, Any], p: dict[str, Any]) -> None:
    e = dc.TransferFamilyAuthorizer(ev)
    assert e.username == p["username"] and e.protocol == "FTPS" and e.password == ""
    assert e.server_id == p["server_id"]


def _cognito(cls: type[Any], extra: Callable[[Any, dict[str, Any]], None] | None = None) -> Check:
    def check(ev: dict[str, Any], p: dict[str, Any]) -> None:
        e = cls(ev)
        assert e.user_name == p["username"] and e.user_pool_id == p["user_pool_id"]
        assert e.caller_context.client_id == p["client_id"] and e.region == p["region"]
        if "user_attributes" in p:
            assert p["user_attributes"].items() <= e.request.user_attributes.items()
        if extra is not None:
            extra(e, p)

    return check


def _presignup(e: Any, p: dict[str, Any]) -> None:
    assert e.request.client_metadata == p["client_metadata"]
    assert e.response.auto_confirm_user is False


def _pretoken(e: Any, p: dict[str, Any]) -> None:
    assert e.request.group_configuration.groups_to_override == p["groups"]
    if "scopes" in p:
        assert e.request.scopes == p["scopes"]


def _challenge(e: Any, p: dict[str, Any]) -> None:
    assert [s.challenge_name for s in e.request.session] == p["session"]


def _verify(e: Any, p: dict[str, Any]) -> None:
    assert e.request.challenge_answer == p["challenge_answer"]
    assert e.request.private_challenge_parameters == {"answer": p["expected_answer"]}


def _migration(e: Any, p: dict[str, Any]) -> None:
    assert e.request.password == p["password"]


def _message(e: Any, p: dict[str, Any]) -> None:
    assert e.request.code_parameter == p["code"] and e.trigger_source == p["trigger_source"]


def _sender(e: Any, p: dict[str, Any]) -> None:
    assert base64.b64decode(e.request.code) and e.request.type.endswith("SenderRequestV1")


def v_sns_in_sqs(event: dict[str, Any]) -> None:
    """SNS to SQS: each SQS body is an SNS notification (the SnsSqsEnvelope's view)."""
    for record in event["Records"]:
        m.SnsNotificationModel.model_validate_json(record["body"])


def v_s3_sns_in_sqs(event: dict[str, Any]) -> None:
    """S3 to SNS to SQS: each body is an SNS notification whose Message is an S3 event."""
    for record in event["Records"]:
        sns = m.SnsNotificationModel.model_validate_json(record["body"])
        assert isinstance(sns.Message, str)
        m.S3Model.model_validate_json(sns.Message)


COG = {
    "username": "ada",
    "user_pool_id": "eu-west-1_AbCdEf123",
    "client_id": "client123",
    "region": "eu-west-1",
}
ATTRS = {"email": "ada@example.com", "custom:team": "math"}
BODY = '{"hello": "world"}'

TABLE: dict[str, Case] = {
    "apigateway:aws-proxy": Case(
        m.APIGatewayProxyEventModel,
        {
            "method": "PUT",
            "path": "/items/42",
            "resource": "/items/{id}",
            "body": b"\x00bin",
            "query": "tag=a&tag=b",
            "headers": {"X-Custom": ["1", "2"]},
            "stage": "dev",
            "claims": {"sub": "u1"},
        },
        c_rest,
    ),
    "apigateway:http-api-proxy": Case(
        m.APIGatewayProxyEventV2Model,
        {
            "method": "PATCH",
            "path": "/items/42",
            "route_key": "PATCH /items/{id}",
            "body": BODY,
            "query": {"tag": ["a", "b"], "q": "x y"},
            "stage": "dev",
            "cookies": ["session=abc"],
            "headers": {"Cookie": "theme=dark", "X-Custom": ["1", "2"]},
            "jwt_claims": {"sub": "u1", "scope": "read write"},
        },
        c_http_api,
    ),
    "apigateway:authorizer": Case(
        m.ApiGatewayAuthorizerToken,
        {
            "token": "Bearer xyz",
            "method": "DELETE",
            "path": "/items/7",
            "region": "eu-west-1",
            "account_id": "111122223333",
        },
        c_token_auth,
    ),
    "apigateway:request-authorizer": Case(
        m.ApiGatewayAuthorizerRequest,
        {
            "token": "Bearer abc",
            "method": "POST",
            "path": "/orders",
            "resource": "/orders",
            "query": {"a": "1"},
        },
        c_request_auth,
    ),
    "apigateway:http-api-authorizer": Case(
        m.ApiGatewayAuthorizerRequestV2,
        {"token": "Bearer abc", "method": "PUT", "path": "/x", "route_key": "PUT /x"},
        c_http_auth,
    ),
    "apigateway:websocket-connect": Case(
        m.APIGatewayWebSocketConnectEventModel,
        {"connection_id": "abc=", "query": {"token": "t"}, "stage": "dev"},
        c_ws,
    ),
    "apigateway:websocket-message": Case(
        m.APIGatewayWebSocketMessageEventModel,
        {"connection_id": "abc=", "body": b"\x01\x02", "route_key": "$default"},
        c_ws,
    ),
    "apigateway:websocket-disconnect": Case(
        m.APIGatewayWebSocketDisconnectEventModel,
        {"connection_id": "abc=", "status_code": 1006, "reason": "abnormal"},
        c_ws,
    ),
    "alb:request": Case(
        m.AlbModel,
        {
            "method": "DELETE",
            "path": "/a/b",
            "body": "",
            "query": {"tag": ["a", "b"], "q": "x y"},
            "headers": {"X-Custom": ["1", "2"]},
        },
        c_alb,
    ),
    "function-url:request": Case(
        m.LambdaFunctionUrlModel,
        {
            "method": "GET",
            "path": "/p",
            "query": "a=1&a=2",
            "body": b"\x00\x01binary",
            "cookies": ["k=v"],
            "iam_caller": "arn:aws:iam::123456789012:user/ada",
        },
        c_url,
    ),
    "vpc-lattice:request": Case(
        m.VpcLatticeModel,
        {
            "method": "PUT",
            "path": "/p",
            "query": {"a": "1"},
            "body": '{"k": 1}',
            "headers": {"X-Custom": "v"},
        },
        c_lattice,
    ),
    # Powertools' Python VpcLatticeV2Model still types v2 headers/query as str values; VPC Lattice
    # sends lists (event format 2.0), see test_vpc_lattice_v2_model_is_stale below.
    "vpc-lattice:request-v2": Case(
        None,
        {
            "method": "PUT",
            "path": "/p",
            "query": "a=1&a=2",
            "body": b"\x00bin",
            "headers": {"X-Custom": ["1", "2"]},
            "region": "eu-west-1",
        },
        c_lattice2,
    ),
    "s3:put": Case(
        m.S3Model,
        {
            "bucket": "photos",
            "key": "cat 1+2/ü.jpg",
            "size": 5,
            "version_id": "v1",
            "event_name": "ObjectCreated:Copy",
        },
        c_s3,
    ),
    "s3:delete": Case(
        m.S3Model,
        {
            "bucket": "photos",
            "key": "dir/a b.jpg",
            "event_name": "ObjectRemoved:DeleteMarkerCreated",
        },
        c_s3,
    ),
    "rekognition:s3-request": Case(m.S3Model, {"bucket": "pics", "key": "faces/me 1.png"}, c_s3),
    "s3:batch-invocation": Case(
        m.S3BatchOperationModel,
        {
            "bucket": "b",
            "keys": ["a b.txt", "c/d.txt"],
            "schema_version": "2.0",
            "user_arguments": {"k": "v"},
        },
        c_s3_batch,
    ),
    "s3:object-lambda": Case(
        m.S3ObjectLambdaEvent,
        {"key": "reports/q 1.csv", "payload": '{"redact": true}', "account_id": "111122223333"},
        c_object_lambda,
    ),
    "sqs:receive-message": Case(
        m.SqsModel,
        {
            "body": ["a", "b", "ü"],
            "queue_name": "orders",
            "fifo": True,
            "group_id": "g7",
            "message_attributes": {"priority": 5, "kind": "x"},
        },
        c_sqs,
    ),
    "sns:notification": Case(
        m.SnsModel,
        {"message": ["m1", "m2"], "subject": None, "message_attributes": {"kind": "test"}},
        c_sns,
    ),
    "sqs:sns-notification": Case(
        m.SqsModel, {"message": ["m1", "m2"], "topic": "t"}, c_sns_sqs, v_sns_in_sqs
    ),
    "sqs:s3-notification": Case(m.S3SqsEventNotificationModel, {"keys": ["a b", "c"]}, c_s3_sqs),
    "sqs:s3-sns-notification": Case(
        m.SqsModel, {"keys": ["a b.txt", "ü"]}, c_s3_sns_sqs, v_s3_sns_in_sqs
    ),
    "ses:email-receiving": Case(
        m.SesModel,
        {
            "sender": "ada@example.com",
            "recipients": ["a@example.com", "b@example.com"],
            "subject": "Hi",
            "spam": "FAIL",
        },
        c_ses,
    ),
    "kinesis:get-records": Case(
        m.KinesisDataStreamModel, {"data": ["one", b"\xff\x00"], "partition_key": "pk-9"}, c_kinesis
    ),
    "kinesis:kinesis-firehose": Case(
        m.KinesisFirehoseModel, {"data": ["one", b"two"], "delivery_stream": "ds"}, c_firehose
    ),
    "kinesis:streams-as-source": Case(
        m.KinesisFirehoseModel,
        {"data": ["one", "two"], "delivery_stream": "ds", "stream": "src", "partition_key": "p"},
        c_firehose_stream,
    ),
    "kinesis:apachelog": Case(
        m.KinesisFirehoseModel,
        {"data": ['1.2.3.4 - - "GET / HTTP/1.1" 200 1'], "delivery_stream": "ds"},
        c_firehose,
    ),
    "kinesis:syslog": Case(
        m.KinesisFirehoseModel,
        {"data": ["<13>Jan  1 host app: hi"], "delivery_stream": "ds"},
        c_firehose,
    ),
    "kinesis:cloudwatch-logs-processor": Case(
        m.KinesisFirehoseModel, {"messages": ["x", "y"], "log_group": "/g"}, c_firehose_cwlogs
    ),
    "dynamodb:insert": Case(
        m.DynamoDBStreamModel,
        {
            "items": [{"pk": "a", "n": 1}, {"pk": "b", "nested": {"l": [1, "x", None, True]}}],
            "key_names": ["pk"],
            "table": "T",
        },
        c_ddb,
    ),
    "dynamodb:modify": Case(
        m.DynamoDBStreamModel,
        {
            "new": [{"pk": "a", "v": 2}],
            "old": [{"pk": "a", "v": 1}],
            "key_names": ["pk"],
            "table": "T",
        },
        c_ddb,
    ),
    "dynamodb:remove": Case(
        m.DynamoDBStreamModel,
        {"items": {"pk": "a", "f": 1.5}, "key_names": ["pk"], "table": "T"},
        c_ddb,
    ),
    "dynamodb:update": Case(
        m.DynamoDBStreamModel,
        {"new": {"Id": 7, "v": "new"}, "old": {"Id": 7, "v": "old"}, "table": "T"},
        c_ddb_update,
    ),
    "kafka:msk": Case(
        m.KafkaMskEventModel,
        {
            "value": ["v1", b"\x00v2"],
            "key": "k",
            "topic": "orders",
            "partition": 3,
            "headers": {"h": "x"},
        },
        c_kafka,
    ),
    "kafka:self-managed": Case(
        m.KafkaSelfManagedEventModel,
        {
            "value": ["v1", b"\x00v2"],
            "key": "k",
            "topic": "orders",
            "partition": 3,
            "headers": {"h": "x"},
        },
        c_kafka,
    ),
    "mq:activemq": Case(
        None, {"data": ["a", "b"], "queue": "q1", "properties": {"p": "1"}}, c_activemq
    ),
    "mq:rabbitmq": Case(
        None,
        {"data": ["a", "b"], "queue": "q1", "virtual_host": "vh", "headers": {"h": "v"}},
        c_rabbitmq,
    ),
    "eventbridge:event": Case(
        m.EventBridgeModel,
        {
            "source": "my.app",
            "detail_type": "Thing Happened",
            "detail": {"a": [1, 2]},
            "resources": ["arn:aws:s3:::b"],
            "region": "eu-west-1",
            "account_id": "111122223333",
        },
        c_eventbridge,
    ),
    "eventbridge:s3-object-created": Case(
        m.S3EventNotificationEventBridgeModel,
        {"bucket": "b", "key": "a b/c.txt", "requester": "s3.amazonaws.com"},
        c_s3_eventbridge,
    ),
    "eventbridge:s3-object-deleted": Case(
        m.S3EventNotificationEventBridgeModel,
        {"bucket": "b", "key": "x y.txt", "requester": "111122223333"},
        c_s3_eventbridge,
    ),
    "batch:job-state-change": Case(
        m.EventBridgeModel, {"job_name": "j", "status": "FAILED"}, c_batch_state
    ),
    "cloudwatch:scheduled-event": Case(m.EventBridgeModel, {"rule": "nightly"}, c_scheduled),
    "cloudwatch:logs": Case(
        m.CloudWatchLogsModel,
        {
            "messages": ["one", "two", "three"],
            "log_group": "/aws/lambda/x",
            "account_id": "111122223333",
        },
        c_cwlogs,
    ),
    "cloudwatch:alarm-metric": Case(
        None,
        {
            "alarm_name": "cpu",
            "state": "OK",
            "previous_state": "ALARM",
            "metric_name": "Errors",
            "dimensions": {"FunctionName": "f"},
        },
        c_alarm,
    ),
    "cloudwatch:alarm-composite": Case(
        None,
        {
            "alarm_name": "main",
            "state": "ALARM",
            "previous_state": "INSUFFICIENT_DATA",
            "children": ["a", "b"],
            "alarm_rule": "ALARM(a) AND ALARM(b)",
        },
        c_alarm,
    ),
    "cloudwatch:dashboard-custom-widget": Case(
        None, {"params": {"x": 1}, "describe": True, "dashboard": "d"}, c_widget
    ),
    "cloudformation:create-request": Case(
        m.CloudFormationCustomResourceCreateModel,
        {"properties": {"Size": "10"}, "function_name": "fn", "logical_id": "Res"},
        c_cfn,
    ),
    "cloudformation:update-request": Case(
        m.CloudFormationCustomResourceUpdateModel,
        {
            "properties": {"Size": "20"},
            "old_properties": {"Size": "10"},
            "physical_id": "p-1",
            "function_name": "fn",
            "logical_id": "Res",
        },
        c_cfn,
    ),
    "cloudformation:delete-request": Case(
        m.CloudFormationCustomResourceDeleteModel,
        {
            "properties": {"Size": "20"},
            "physical_id": "p-1",
            "function_name": "fn",
            "logical_id": "Res",
        },
        c_cfn,
    ),
    "codepipeline:job": Case(
        None,
        {
            "input_bucket": "in",
            "input_key": "a b.zip",
            "output_bucket": "out",
            "user_parameters": '{"x": 1}',
        },
        c_codepipeline,
    ),
    "codedeploy:lifecycle-hook": Case(None, {}, c_codedeploy),
    "secretsmanager:rotation": Case(None, {"secret_name": "db", "step": "testSecret"}, c_secrets),
    "config:item-change-notification": Case(
        None, {"rule": "r", "rule_parameters": {"a": "b"}, "resource_id": "i-1"}, c_config
    ),
    "config:oversized-item-change-notification": Case(
        None, {"rule": "r", "rule_parameters": {"a": "b"}, "resource_id": "i-1"}, c_config
    ),
    "config:periodic-rule": Case(None, {"rule": "r", "rule_parameters": {}}, c_config),
    "connect:contact-flow-event": Case(
        None,
        {"contact_id": "c-1", "phone_number": "+15550100", "flow_parameters": {"k": "v"}},
        c_connect,
    ),
    "appsync:resolver": Case(
        m.AppSyncResolverEventModel,
        {
            "field_name": "author",
            "parent_type": "Post",
            "arguments": {"n": 1},
            "selection": ["id", "name"],
            "source": {"authorId": "9"},
            "username": "ada",
        },
        c_appsync,
    ),
    "bedrock-agent:api": Case(
        m.BedrockAgentEventModel,
        {
            "api_path": "/claims/{claimId}",
            "method": "post",
            "parameters": {"claimId": 7, "urgent": True},
            "request_body": {"note": "hi"},
        },
        c_bedrock_api,
    ),
    "bedrock-agent:function": Case(
        m.BedrockAgentFunctionEventModel,
        {"function": "forecast", "action_group": "g", "parameters": {"days": 1.5}},
        c_bedrock_fn,
    ),
    "transfer-family:authorizer": Case(
        m.TransferFamilyAuthorizer,
        {"username": "u", "password": "", "protocol": "FTPS", "server_id": "s-1"},
        c_transfer,
    ),
    "cognito-user-pool:pre-sign-up": Case(
        m.CognitoPreSignupTriggerModel,
        {**COG, "user_attributes": ATTRS, "client_metadata": {"k": "v"}},
        _cognito(cup.PreSignUpTriggerEvent, _presignup),
    ),
    "cognito-user-pool:post-confirmation": Case(
        m.CognitoPostConfirmationTriggerModel,
        {**COG, "user_attributes": ATTRS},
        _cognito(cup.PostConfirmationTriggerEvent),
    ),
    "cognito-user-pool:pre-authentication": Case(
        m.CognitoPreAuthenticationTriggerModel,
        {**COG, "user_attributes": ATTRS},
        _cognito(cup.PreAuthenticationTriggerEvent),
    ),
    "cognito-user-pool:post-authentication": Case(
        m.CognitoPostAuthenticationTriggerModel,
        {**COG, "user_attributes": ATTRS, "new_device_used": True},
        _cognito(cup.PostAuthenticationTriggerEvent),
    ),
    "cognito-user-pool:pre-token-generation": Case(
        m.CognitoPreTokenGenerationTriggerModelV1,
        {**COG, "groups": ["a", "b"], "trigger_source": "TokenGeneration_RefreshTokens"},
        _cognito(cup.PreTokenGenerationTriggerEvent, _pretoken),
    ),
    # Cognito sends request.scopes as a list of strings; Powertools' V2 parser model types it as a
    # dict, see test_pre_token_v2_model_is_stale below. The data class reads it as a list.
    "cognito-user-pool:pre-token-generation-v2": Case(
        None,
        {**COG, "groups": ["a"], "scopes": ["openid", "orders/read"]},
        _cognito(cup.PreTokenGenerationV2TriggerEvent, _pretoken),
    ),
    "cognito-user-pool:custom-message": Case(
        m.CognitoCustomMessageTriggerModel,
        {**COG, "code": "123456", "trigger_source": "CustomMessage_ForgotPassword"},
        _cognito(cup.CustomMessageTriggerEvent, _message),
    ),
    "cognito-user-pool:define-auth-challenge": Case(
        m.CognitoDefineAuthChallengeTriggerModel,
        {**COG, "session": ["SRP_A", "PASSWORD_VERIFIER", "SMS_MFA"]},
        _cognito(cup.DefineAuthChallengeTriggerEvent, _challenge),
    ),
    "cognito-user-pool:create-auth-challenge": Case(
        m.CognitoCreateAuthChallengeTriggerModel,
        {**COG, "session": ["SRP_A"]},
        _cognito(cup.CreateAuthChallengeTriggerEvent, _challenge),
    ),
    "cognito-user-pool:verify-auth-challenge": Case(
        m.CognitoVerifyAuthChallengeTriggerModel,
        {**COG, "challenge_answer": "7", "expected_answer": "8"},
        _cognito(cup.VerifyAuthChallengeResponseTriggerEvent, _verify),
    ),
    "cognito-user-pool:user-migration": Case(
        m.CognitoMigrateUserTriggerModel,
        {**COG, "password": "s3cret!"},
        _cognito(cup.UserMigrationTriggerEvent, _migration),
    ),
    "cognito-user-pool:custom-sms-sender": Case(
        m.CognitoCustomSMSSenderTriggerModel,
        {**COG, "user_attributes": {"phone_number": "+15550100"}},
        _cognito(cup.CustomSMSSenderTriggerEvent, _sender),
    ),
    "cognito-user-pool:custom-email-sender": Case(
        m.CognitoCustomEmailSenderTriggerModel,
        {**COG, "user_attributes": ATTRS},
        _cognito(cup.CustomEmailSenderTriggerEvent, _sender),
    ),
}

# Powertools has neither a parser model nor a data class for these (checked in test_no_model.py).
NO_MODEL = {
    *(
        f"alexa-skills-kit:{k}"
        for k in (
            "end-session",
            "intent-answer",
            "intent-getnewfact",
            "intent-mycoloris",
            "intent-recipe",
            "start-session",
        )
    ),
    *(
        f"alexa-smart-home:smart-home-{k}"
        for k in ("control-turn-off-request", "control-turn-on-request", "discovery-request")
    ),
    *(
        f"cloudfront:{k}"
        for k in (
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
        )
    ),
    *(
        f"kinesis:{k}"
        for k in ("analytics", "analytics-compressed", "analytics-dynamodb", "analytics-kpl")
    ),
    *(f"lex:{k}" for k in ("book-car", "book-hotel", "make-appointment", "order-flowers")),
    *(f"lex-v2:{k}" for k in ("banking-bot", "book-car", "book-hotel")),
    "batch:get-job",
    "batch:submit-job",
    "codecommit:repository",
    "cognito:sync-trigger",
    "sagemaker:ground-truth-pre-human",
    "sagemaker:ground-truth-annotation-consolidation",
    "stepfunctions:error",
    "workmail:email",
}


def test_every_template_is_covered() -> None:
    names = set(events.names())
    assert not set(TABLE) & NO_MODEL
    assert names - set(TABLE) - NO_MODEL == set(), "add new templates to TABLE or NO_MODEL"
    assert (set(TABLE) | NO_MODEL) - names == set(), "stale entries"


def _validate(case: Case, event: dict[str, Any]) -> None:
    assert case.model is not None
    case.model.model_validate(event)
    if case.nested is not None:
        case.nested(event)


MODELLED = sorted(name for name, case in TABLE.items() if case.model is not None)


@pytest.mark.parametrize("name", MODELLED)
def test_defaults_validate_against_model(name: str) -> None:
    _validate(TABLE[name], events.generate(name))


@pytest.mark.parametrize("name", MODELLED)
def test_parameters_validate_against_model(name: str) -> None:
    _validate(TABLE[name], events.generate(name, **TABLE[name].params))


@pytest.mark.parametrize("name", sorted(TABLE))
def test_data_class_reads_parameters_back(name: str) -> None:
    case = TABLE[name]
    event = json.loads(json.dumps(events.generate(name, **case.params)))
    case.check(event, case.params)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_parameters_are_all_known(name: str) -> None:
    assert set(TABLE[name].params) <= set(events.parameter_names(name))


def test_vpc_lattice_v2_model_is_stale() -> None:
    """Documents why vpc-lattice:request-v2 is checked through the data class only."""
    event = events.generate("vpc-lattice:request-v2")
    assert all(isinstance(v, list) for v in event["headers"].values())
    with pytest.raises(ValueError, match="headers"):
        m.VpcLatticeV2Model.model_validate(event)
    flat = {
        **event,
        "headers": {k: ",".join(v) for k, v in event["headers"].items()},
        "queryStringParameters": {
            k: ",".join(v) for k, v in event["queryStringParameters"].items()
        },
    }
    m.VpcLatticeV2Model.model_validate(flat)  # everything else matches the model


def test_pre_token_v2_model_is_stale() -> None:
    """Documents why the V2 pre token generation trigger is checked through the data class."""
    event = events.generate("cognito-user-pool:pre-token-generation-v2")
    assert isinstance(event["request"]["scopes"], list)
    with pytest.raises(ValueError, match="scopes"):
        m.CognitoPreTokenGenerationTriggerModelV2AndV3.model_validate(event)
    event["request"]["scopes"] = None
    m.CognitoPreTokenGenerationTriggerModelV2AndV3.model_validate(event)
