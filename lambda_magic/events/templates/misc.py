"""Other services: AppSync, Batch, Connect, Rekognition, SageMaker, Step Functions, Transfer."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import partition_of
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, template
from lambda_magic.events.templates.eventbridge import eventbridge_event
from lambda_magic.events.templates.s3 import s3_put

_DOCS = {
    "field_name": "GraphQL field being resolved",
    "parent_type": "GraphQL parent type: Query, Mutation, Subscription or an object type",
    "arguments": "GraphQL field arguments",
    "selection": "selected fields (selectionSetList)",
    "source": "parent object for a nested field; None at the top level",
    "job_name": "Batch job name",
    "job_queue": "Batch job queue name",
    "job_definition": "Batch job definition name",
    "parameters": "job parameters",
    "job_id": "Batch job id; empty for a fresh one",
    "status": "job status",
    "contact_id": "contact id; empty for a fresh one",
    "phone_number": "customer phone number",
    "attributes": "contact attributes",
    "flow_parameters": "parameters set on the Invoke AWS Lambda function block",
    "labeling_job_name": "Ground Truth labeling job name",
    "source_ref": "S3 URI of the object to label",
    "label_attribute_name": "label attribute name",
    "s3_output_path": "S3 output path of the labeling job",
    "execution_role": "IAM role name of the labeling job",
    "error": "error name",
    "cause": "error cause",
    "protocol": "SFTP, FTP or FTPS",
    "password": "password (empty for SSH key authentication)",
    "server_id": "Transfer Family server id",
}


@template(
    "appsync:resolver", "AWS AppSync direct Lambda resolver (Cognito user pool auth)", **_DOCS
)
def appsync_resolver(
    g: Gen,
    *,
    field_name: str = "getPost",
    parent_type: str = "Query",
    arguments: dict[str, Any] = {"id": "1"},
    selection: list[str] = ["id", "title", "content"],
    source: dict[str, Any] | None = None,
    username: str = "johndoe",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    graphql = "{\n" + "".join(f"  {name}\n" for name in selection) + "}"
    host = f"{g.lower(26)}.appsync-api.{region}.amazonaws.com"
    return {
        "arguments": arguments,
        "identity": _cognito_identity(g, username, source_ip, region),
        "source": source,
        "request": {
            "headers": {
                "x-forwarded-for": source_ip,
                "accept-encoding": "gzip",
                "content-type": "application/json",
                "host": host,
            },
            "domainName": None,
        },
        "prev": None,
        "info": {
            "selectionSetList": selection,
            "selectionSetGraphQL": graphql,
            "parentTypeName": parent_type,
            "fieldName": field_name,
            "variables": {},
        },
        "stash": {},
    }


def _cognito_identity(g: Gen, username: str, source_ip: str, region: str) -> dict[str, Any]:
    sub, pool = g.uuid(), f"{region}_{g.alnum(9)}"
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool}"
    claims = {
        "sub": sub,
        "iss": issuer,
        "cognito:username": username,
        "token_use": "id",
        "auth_time": g.epoch_s(g.time()),
    }
    return {
        "claims": claims,
        "defaultAuthStrategy": "ALLOW",
        "groups": None,
        "issuer": issuer,
        "sourceIp": [source_ip],
        "sub": sub,
        "username": username,
    }


def _batch_arn(region: str, account_id: str, kind: str, name: str) -> str:
    return f"arn:{partition_of(region)}:batch:{region}:{account_id}:{kind}/{name}"


@template("batch:submit-job", "AWS Batch SubmitJob input handed to a function", **_DOCS)
def batch_submit(
    g: Gen,
    *,
    job_name: str = "example-job",
    job_queue: str = "example-queue",
    job_definition: str = "example-definition:1",
    parameters: dict[str, str] = {"inputfile": "s3://example-bucket/input.txt"},
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    return {
        "jobName": job_name,
        "jobQueue": _batch_arn(region, account_id, "job-queue", job_queue),
        "jobDefinition": _batch_arn(region, account_id, "job-definition", job_definition),
        "parameters": parameters,
    }


@template("batch:get-job", "AWS Batch job id handed to a function that polls the job", **_DOCS)
def batch_get(g: Gen, *, job_id: str = "") -> Event:
    return {"jobId": job_id or g.uuid()}


@template("batch:job-state-change", "AWS Batch Job State Change event through EventBridge", **_DOCS)
def batch_state_change(
    g: Gen,
    *,
    job_name: str = "example-job",
    status: str = "SUCCEEDED",
    job_queue: str = "example-queue",
    job_definition: str = "example-definition:1",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    job_id = g.uuid()
    arn = _batch_arn(region, account_id, "job", job_id)
    detail = {
        "jobArn": arn,
        "jobName": job_name,
        "jobId": job_id,
        "status": status,
        "jobQueue": _batch_arn(region, account_id, "job-queue", job_queue),
        "jobDefinition": _batch_arn(region, account_id, "job-definition", job_definition),
        "createdAt": g.epoch_ms(g.time(-120_000)),
        "parameters": {},
        "dependsOn": [],
        "attempts": [],
        "statusReason": "Essential container in task exited",
    }
    return eventbridge_event(
        g,
        source="aws.batch",
        detail_type="Batch Job State Change",
        detail=detail,
        resources=[arn],
        region=region,
        account_id=account_id,
    )


@template("connect:contact-flow-event", "Amazon Connect flow invoking a function", **_DOCS)
def connect_flow(
    g: Gen,
    *,
    contact_id: str = "",
    phone_number: str = "+12065550100",
    attributes: dict[str, str] = {},
    flow_parameters: dict[str, str] = {"sentAttributeKey": "sentAttributeValue"},
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    contact = contact_id or g.uuid()
    instance = f"arn:{partition_of(region)}:connect:{region}:{account_id}:instance/{g.uuid()}"
    stream = (
        f"arn:{partition_of(region)}:kinesisvideo:{region}:{account_id}:stream/"
        f"connect-contact-{g.uuid()}/{g.epoch_ms(g.time())}"
    )
    return {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "Attributes": attributes,
                "Channel": "VOICE",
                "ContactId": contact,
                "CustomerEndpoint": {"Address": phone_number, "Type": "TELEPHONE_NUMBER"},
                "InitialContactId": contact,
                "InitiationMethod": "INBOUND",
                "InstanceARN": instance,
                "PreviousContactId": contact,
                "Queue": {"ARN": f"{instance}/queue/{g.uuid()}", "Name": "BasicQueue"},
                "SystemEndpoint": {"Address": "+12065550199", "Type": "TELEPHONE_NUMBER"},
                "MediaStreams": {
                    "Customer": {
                        "Audio": {
                            "StartFragmentNumber": g.digits(47),
                            "StartTimestamp": str(g.epoch_ms(g.time())),
                            "StreamARN": stream,
                        }
                    }
                },
            },
            "Parameters": flow_parameters,
        },
    }


@template(
    "rekognition:s3-request",
    "Amazon S3 upload of an image for a function that calls Amazon Rekognition",
    **_DOCS,
)
def rekognition_s3(
    g: Gen,
    *,
    bucket: str = "example-bucket",
    key: str = "images/photo.jpg",
    size: int = 204800,
    region: str = "us-east-1",
) -> Event:
    return s3_put(g, bucket=bucket, key=key, size=size, region=region)


def _labeling_arn(region: str, account_id: str, job: str) -> str:
    return f"arn:{partition_of(region)}:sagemaker:{region}:{account_id}:labeling-job/{job}"


@template(
    "sagemaker:ground-truth-pre-human",
    "Amazon SageMaker Ground Truth pre-annotation (pre-human task) request",
    **_DOCS,
)
def ground_truth_pre(
    g: Gen,
    *,
    labeling_job_name: str = "example-job",
    source_ref: str = "s3://sagemakerexample/object_to_annotate.jpg",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    return {
        "version": "2018-10-16",
        "labelingJobArn": _labeling_arn(region, account_id, labeling_job_name),
        "dataObject": {"source-ref": source_ref},
    }


@template(
    "sagemaker:ground-truth-annotation-consolidation",
    "Amazon SageMaker Ground Truth annotation consolidation request",
    **_DOCS,
)
def ground_truth_consolidation(
    g: Gen,
    *,
    labeling_job_name: str = "example-job",
    label_attribute_name: str = "example-attribute",
    s3_output_path: str = "s3://sagemakerexample/output",
    execution_role: str = "sagemaker-role",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    when = g.time()
    iteration = f"iteration-1/0/{when.strftime('%Y-%m-%d_%H:%M:%S')}"
    base = f"{s3_output_path.rstrip('/')}/{labeling_job_name}/annotations"
    return {
        "version": "2018-10-16",
        "labelingJobArn": _labeling_arn(region, account_id, labeling_job_name),
        "labelCategories": ["cat", "dog"],
        "labelAttributeName": label_attribute_name,
        "roleArn": f"arn:{partition_of(region)}:iam::{account_id}:role/{execution_role}",
        "payload": {
            "s3Uri": f"{base}/consolidated-annotation/consolidation-request/{iteration}.json"
        },
        "outputConfig": f"{base}/consolidated-annotation/output",
    }


@template("stepfunctions:error", "AWS Step Functions error output caught by a Catch", **_DOCS)
def stepfunctions_error(
    g: Gen,
    *,
    error: str = "States.TaskFailed",
    cause: str = "The task failed: an example cause",
) -> Event:
    return {"Error": error, "Cause": cause}


@template(
    "transfer-family:authorizer",
    "AWS Transfer Family custom identity provider (authorizer) request",
    **_DOCS,
)
def transfer_authorizer(
    g: Gen,
    *,
    username: str = "johndoe",
    password: str = "Passw0rd!",
    protocol: str = "SFTP",
    server_id: str = "",
    source_ip: str = "192.0.2.10",
) -> Event:
    if protocol not in ("SFTP", "FTP", "FTPS"):
        raise BadValue("protocol", f"must be SFTP, FTP or FTPS, got {protocol!r}")
    # An empty password means the client authenticates with an SSH key.
    return {
        "username": username,
        "password": password,
        "protocol": protocol,
        "serverId": server_id or f"s-{g.hex(17)}",
        "sourceIp": source_ip,
    }
