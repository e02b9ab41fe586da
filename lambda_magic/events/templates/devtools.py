"""Developer-tool and governance events: CloudFormation, Code*, Config, Secrets Manager."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from lambda_magic.events._encoding import b64, partition_of
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, one_of, register, template

_DOCS = {
    "stack": "stack name",
    "logical_id": "logical id of the custom resource in the template",
    "resource_type": "custom resource type, Custom::Something",
    "properties": "ResourceProperties from the template (ServiceToken is added)",
    "old_properties": "OldResourceProperties (the properties before the update)",
    "physical_id": "physical resource id returned when the resource was created",
    "repository": "CodeCommit repository name",
    "branch": "branch that was pushed",
    "trigger": "CodeCommit trigger name",
    "custom_data": "custom data configured on the trigger",
    "input_bucket": "bucket of the input artifact",
    "input_key": "key of the input artifact",
    "output_bucket": "bucket of the output artifact",
    "output_key": "key of the output artifact",
    "user_parameters": "UserParameters of the pipeline action",
    "secret_name": "secret name",
    "step": "rotation step: createSecret, setSecret, testSecret or finishSecret",
    "resource_type_config": "AWS Config resource type of the changed resource",
    "resource_id": "id of the changed resource",
    "rule_parameters": "the Config rule's input parameters",
    "rule": "Config rule name",
}
_STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")


def _custom_resource(
    g: Gen,
    request_type: str,
    *,
    stack: str,
    logical_id: str,
    resource_type: str,
    properties: dict[str, Any],
    function_name: str,
    region: str,
    account_id: str,
) -> Event:
    part = partition_of(region)
    stack_id = f"arn:{part}:cloudformation:{region}:{account_id}:stack/{stack}/{g.uuid()}"
    token = f"arn:{part}:lambda:{region}:{account_id}:function:{function_name}"
    url = (
        f"https://cloudformation-custom-resource-response-{region.replace('-', '')}"
        f".s3.{region}.amazonaws.com/{quote(stack_id, safe='')}%7C{logical_id}%7C{g.uuid()}"
        f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature={g.hex(64)}"
    )
    return {
        "RequestType": request_type,
        "ServiceToken": token,
        "ResponseURL": url,
        "StackId": stack_id,
        "RequestId": g.uuid(),
        "LogicalResourceId": logical_id,
        "ResourceType": resource_type,
        "ResourceProperties": {"ServiceToken": token, **properties},
    }


def _register_cfn(request_type: str) -> None:
    def build(
        g: Gen,
        *,
        properties: dict[str, Any] = {"StackName": "MyStack", "List": ["1", "2", "3"]},
        old_properties: dict[str, Any] = {"StackName": "MyStack", "List": ["1"]},
        physical_id: str = "",
        stack: str = "MyStack",
        logical_id: str = "MyTestResource",
        resource_type: str = "Custom::TestResource",
        function_name: str = "custom-resource-handler",
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> Event:
        if not resource_type.startswith("Custom::") and resource_type != (
            "AWS::CloudFormation::CustomResource"
        ):
            raise BadValue("resource_type", f"must start with 'Custom::', got {resource_type!r}")
        event = _custom_resource(
            g,
            request_type,
            stack=stack,
            logical_id=logical_id,
            resource_type=resource_type,
            properties=properties,
            function_name=function_name,
            region=region,
            account_id=account_id,
        )
        if request_type != "Create":
            event["PhysicalResourceId"] = physical_id or f"{stack}-{logical_id}-{g.upper(12)}"
        if request_type == "Update":
            event["OldResourceProperties"] = old_properties
        return event

    hide = {"Create": ("old_properties", "physical_id"), "Delete": ("old_properties",)}
    register(
        f"cloudformation:{request_type.lower()}-request",
        f"AWS CloudFormation custom resource {request_type} request",
        build,
        hide=hide.get(request_type, ()),
        **_DOCS,
    )


for _type in ("Create", "Update", "Delete"):
    _register_cfn(_type)


@template("codecommit:repository", "AWS CodeCommit repository trigger (a push)", **_DOCS)
def codecommit(
    g: Gen,
    *,
    repository: str = "my-repo",
    branch: str = "main",
    trigger: str = "my-trigger",
    custom_data: str = "this is custom data",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    part = partition_of(region)
    when = g.time()
    return {
        "Records": [
            {
                "awsRegion": region,
                "codecommit": {
                    "references": [{"commit": g.hex(40), "ref": f"refs/heads/{branch}"}]
                },
                "customData": custom_data,
                "eventId": g.uuid(),
                "eventName": "ReferenceChanges",
                "eventPartNumber": 1,
                "eventSource": "aws:codecommit",
                "eventSourceARN": f"arn:{part}:codecommit:{region}:{account_id}:{repository}",
                "eventTime": g.iso_offset(when),
                "eventTotalParts": 1,
                "eventTriggerConfigId": g.uuid(),
                "eventTriggerName": trigger,
                "eventVersion": "1.0",
                "userIdentityARN": f"arn:{part}:iam::{account_id}:user/developer",
            }
        ]
    }


def _artifact(name: str, bucket: str, key: str) -> dict[str, Any]:
    return {
        "name": name,
        "revision": None,
        "location": {"type": "S3", "s3Location": {"bucketName": bucket, "objectKey": key}},
    }


@template("codepipeline:job", "AWS CodePipeline job for a Lambda invoke action", **_DOCS)
def codepipeline_job(
    g: Gen,
    *,
    input_bucket: str = "example-bucket",
    input_key: str = "test/key",
    output_bucket: str = "example-bucket2",
    output_key: str = "test/key2",
    user_parameters: str = "",
    function_name: str = "MyLambdaFunctionForAWSCodePipeline",
    account_id: str = "123456789012",
) -> Event:
    configuration: dict[str, Any] = {"FunctionName": function_name}
    if user_parameters:
        configuration["UserParameters"] = user_parameters
    return {
        "CodePipeline.job": {
            "id": g.uuid(),
            "accountId": account_id,
            "data": {
                "actionConfiguration": {"configuration": configuration},
                "inputArtifacts": [_artifact("ArtifactName", input_bucket, input_key)],
                "outputArtifacts": [_artifact("ArtifactName2", output_bucket, output_key)],
                "artifactCredentials": {
                    "accessKeyId": "ASIA" + g.upper(16),
                    "secretAccessKey": g.alnum(40),
                    "sessionToken": g.alnum(120),
                    "expirationTime": g.epoch_ms(g.time(3_600_000)),
                },
            },
        }
    }


@template(
    "codedeploy:lifecycle-hook",
    "AWS CodeDeploy lifecycle event hook (e.g. BeforeAllowTraffic) for a Lambda deployment",
    **_DOCS,
)
def codedeploy_hook(g: Gen) -> Event:
    token = b64(bytes(g.rng.getrandbits(8) for _ in range(96)))  # an opaque execution token
    return {"DeploymentId": f"d-{g.upper(9)}", "LifecycleEventHookExecutionId": token}


@template("secretsmanager:rotation", "AWS Secrets Manager rotation function step", **_DOCS)
def secrets_rotation(
    g: Gen,
    *,
    secret_name: str = "MySecret",
    step: str = "createSecret",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    one_of("step", step, _STEPS)
    arn = (
        f"arn:{partition_of(region)}:secretsmanager:{region}:{account_id}:secret:"
        f"{secret_name}-{g.alnum(6)}"
    )
    return {
        "SecretId": arn,
        "ClientRequestToken": g.uuid(),
        "Step": step,
        "RotationToken": g.uuid(),
    }


def _config_event(
    g: Gen,
    invoking: dict[str, Any],
    *,
    rule: str,
    rule_parameters: dict[str, Any],
    region: str,
    account_id: str,
) -> Event:
    part = partition_of(region)
    rule_id = f"config-rule-{g.lower(6)}"
    return {
        "version": "1.0",
        "invokingEvent": json.dumps(invoking),
        "ruleParameters": json.dumps(rule_parameters),
        "resultToken": g.alnum(120),
        "eventLeftScope": False,
        "executionRoleArn": f"arn:{part}:iam::{account_id}:role/config-role",
        "configRuleArn": f"arn:{part}:config:{region}:{account_id}:config-rule/{rule_id}",
        "configRuleName": rule,
        "configRuleId": rule_id,
        "accountId": account_id,
        "evaluationMode": "DETECTIVE",
    }


def _resource(
    g: Gen, resource_type: str, resource_id: str, region: str, account_id: str
) -> dict[str, Any]:
    service = resource_type.split("::")[1].lower() if "::" in resource_type else "ec2"
    return {
        "configurationItemCaptureTime": g.iso_ms(g.time(-60_000)),
        "awsAccountId": account_id,
        "configurationItemStatus": "OK",
        "resourceType": resource_type,
        "resourceId": resource_id,
        "resourceName": None,
        "ARN": f"arn:{partition_of(region)}:{service}:{region}:{account_id}:{resource_id}",
        "awsRegion": region,
        "availabilityZone": f"{region}a",
        "configurationStateMd5Hash": g.hex(32),
        "resourceCreationTime": g.iso_ms(g.time(-86_400_000)),
        "configurationStateId": g.epoch_ms(g.time(-60_000)),
    }


def _register_config(kind: str, description: str, message_type: str) -> None:
    def build(
        g: Gen,
        *,
        rule: str = "example-config-rule",
        rule_parameters: dict[str, Any] = {"desiredInstanceType": "t3.micro"},
        resource_type_config: str = "AWS::EC2::Instance",
        resource_id: str = "i-0123456789abcdef0",
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> Event:
        item = _resource(g, resource_type_config, resource_id, region, account_id)
        invoking = _invoking(g, message_type, item, account_id)
        return _config_event(
            g,
            invoking,
            rule=rule,
            rule_parameters=rule_parameters,
            region=region,
            account_id=account_id,
        )

    scheduled = message_type == "ScheduledNotification"
    register(
        f"config:{kind}",
        f"AWS Config rule evaluation: {description}",
        build,
        hide=("resource_type_config", "resource_id") if scheduled else (),
        **_DOCS,
    )


def _invoking(g: Gen, message_type: str, item: dict[str, Any], account_id: str) -> dict[str, Any]:
    """The rule's invokingEvent document for each message type."""
    now = g.iso_ms(g.time())
    invoking: dict[str, Any] = {"notificationCreationTime": now, "messageType": message_type}
    if message_type == "ConfigurationItemChangeNotification":
        item.update(
            configurationItemVersion="1.3",
            configuration={"instanceType": "t3.micro"},
            tags={},
            relatedEvents=[],
            relationships=[],
            supplementaryConfiguration={},
        )
        invoking.update(configurationItemDiff=None, configurationItem=item, recordVersion="1.3")
    elif message_type == "OversizedConfigurationItemChangeNotification":
        item.update(changeType="UPDATE", configurationItemVersion="1.3")
        invoking.update(
            configurationItemSummary=item,
            recordVersion="1.0",
            s3DeliverySummary={
                "s3BucketLocation": f"config-bucket-{account_id}/AWSLogs/{account_id}/Config",
                "errorCode": None,
                "errorMessage": None,
            },
        )
    else:
        invoking.update(awsAccountId=account_id, recordVersion="1.0")
    return invoking


_register_config(
    "item-change-notification", "configuration item change", "ConfigurationItemChangeNotification"
)
_register_config(
    "oversized-item-change-notification",
    "oversized configuration item change (summary only)",
    "OversizedConfigurationItemChangeNotification",
)
_register_config("periodic-rule", "periodic (scheduled) evaluation", "ScheduledNotification")
