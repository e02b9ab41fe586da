"""HTTP requests from ALB, Lambda Function URLs and VPC Lattice."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from lambda_magic.events._encoding import joined_map, multi_map, partition_of, raw_query, single_map
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, template
from lambda_magic.events.templates._http import (
    SAMPLE_BODY,
    HttpRequest,
    cookie_jar,
    http_request,
    v2_headers,
)

_DOCS = {
    "multi_value": "target group has multi-value headers enabled (multiValueHeaders/...Parameters)",
    "target_group": "target group name",
    "url_id": "the function URL id (first label of the lambda-url host name)",
    "cookies": "cookies sent by the client ('name=value'); Cookie headers are added to them",
    "iam_caller": "IAM caller ARN for AWS_IAM auth; empty for NONE auth",
    "service": "VPC Lattice service name",
}


@template("alb:request", "Application Load Balancer request to a Lambda target group", **_DOCS)
def alb_request(
    g: Gen,
    *,
    method: str = "POST",
    path: str = "/path/to/resource",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {"query": "1234ABCD"},
    multi_value: bool = False,
    target_group: str = "lambda-target",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    host = f"lambda-alb-{g.digits(9)}.{region}.elb.amazonaws.com"
    req = http_request(
        g,
        method=method,
        path=path,
        host=host,
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    # ALB passes query values as the client encoded them and lower-cases header names.
    query_list = [(quote(n), quote(v)) for n, v in req.query]
    header_list = [(n.lower(), v) for n, v in req.headers]
    arn = (
        f"arn:{partition_of(region)}:elasticloadbalancing:{region}:{account_id}:"
        f"targetgroup/{target_group}/{g.hex(16)}"
    )
    event: Event = {
        "requestContext": {"elb": {"targetGroupArn": arn}},
        "httpMethod": req.method,
        "path": req.path,
    }
    if multi_value:
        event["multiValueQueryStringParameters"] = multi_map(query_list)
        event["multiValueHeaders"] = multi_map(header_list)
    else:
        event["queryStringParameters"] = single_map(query_list)
        event["headers"] = single_map(header_list)
    event["body"] = req.body if req.body is not None else ""
    event["isBase64Encoded"] = req.is_base64
    return event


@template("function-url:request", "Lambda function URL request (payload format 2.0)", **_DOCS)
def function_url(
    g: Gen,
    *,
    method: str = "POST",
    path: str = "/my/path",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {
        "parameter1": ["value1", "value2"],
        "parameter2": "value",
    },
    cookies: list[str] = [],
    iam_caller: str = "",
    url_id: str = "",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    url_id = url_id or g.lower(32)
    host = f"{url_id}.lambda-url.{region}.on.aws"
    req = http_request(
        g,
        method=method,
        path=path,
        host=host,
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    event: Event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": req.path,
        "rawQueryString": raw_query(req.query),
        "cookies": cookie_jar(req, cookies),
        "headers": v2_headers(req),
        "queryStringParameters": joined_map(req.query),
        "requestContext": _url_context(g, req, url_id, host, iam_caller, account_id),
        "body": req.body,
        "isBase64Encoded": req.is_base64,
    }
    for key in ("cookies", "queryStringParameters", "body"):
        if event[key] is None or event[key] == [] or event[key] == {}:
            del event[key]
    return event


def _url_context(
    g: Gen, req: HttpRequest, url_id: str, host: str, iam_caller: str, account_id: str
) -> dict[str, Any]:
    when = g.time()
    context: dict[str, Any] = {
        "accountId": "anonymous",
        "apiId": url_id,
        "domainName": host,
        "domainPrefix": url_id,
        "http": {
            "method": req.method,
            "path": req.path,
            "protocol": "HTTP/1.1",
            "sourceIp": req.source_ip,
            "userAgent": req.user_agent,
        },
        "requestId": g.uuid(),
        "routeKey": "$default",
        "stage": "$default",
        "time": g.apigw(when),
        "timeEpoch": g.epoch_ms(when),
    }
    if iam_caller:  # AWS_IAM auth: the caller's identity
        context["accountId"] = account_id
        context["authorizer"] = {
            "iam": {
                "accessKey": "AKIA" + g.upper(16),
                "accountId": account_id,
                "callerId": g.upper(21),
                "cognitoIdentity": None,
                "principalOrgId": None,
                "userArn": iam_caller,
                "userId": g.upper(21),
            }
        }
    return context


def _lattice_host(service: str, g: Gen, region: str) -> str:
    return f"{service}-{g.hex(17)}.{g.hex(7)}.vpc-lattice-svcs.{region}.on.aws"


@template(
    "vpc-lattice:request", "VPC Lattice request to a Lambda target (event format 1.0)", **_DOCS
)
def vpc_lattice_v1(
    g: Gen,
    *,
    method: str = "GET",
    path: str = "/path/to/resource",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {"order-id": "1"},
    service: str = "my-lambda-service",
    source_ip: str = "10.0.0.10",
    region: str = "us-east-1",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_lattice_host(service, g, region),
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    raw = raw_query(req.query)
    return {
        "raw_path": req.path + (f"?{raw}" if raw else ""),
        "method": req.method,
        "headers": joined_map([(n, v) for n, v in req.headers if n != "X-Amzn-Trace-Id"], True),
        "query_string_parameters": joined_map(req.query),
        "body": req.body if req.body is not None else "",
        "is_base64_encoded": req.is_base64,
    }


@template(
    "vpc-lattice:request-v2",
    "VPC Lattice request to a Lambda target (event format 2.0, multi-value maps)",
    **_DOCS,
)
def vpc_lattice_v2(
    g: Gen,
    *,
    method: str = "GET",
    path: str = "/path/to/resource",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {"order-id": "1"},
    service: str = "my-lambda-service",
    source_ip: str = "10.0.0.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_lattice_host(service, g, region),
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    arn = f"arn:{partition_of(region)}:vpc-lattice:{region}:{account_id}"
    event: Event = {
        "version": "2.0",
        "path": req.path,
        "method": req.method,
        "headers": multi_map((n.lower(), v) for n, v in req.headers if n != "X-Amzn-Trace-Id"),
        "queryStringParameters": multi_map(req.query),
        "body": req.body,
        "isBase64Encoded": req.is_base64,
        "requestContext": {
            "serviceNetworkArn": f"{arn}:servicenetwork/sn-{g.hex(17)}",
            "serviceArn": f"{arn}:service/svc-{g.hex(17)}",
            "targetGroupArn": f"{arn}:targetgroup/tg-{g.hex(17)}",
            "identity": {
                "sourceVpcArn": f"arn:{partition_of(region)}:ec2:{region}:{account_id}"
                f":vpc/vpc-{g.hex(17)}"
            },
            "region": region,
            "timeEpoch": str(g.epoch_ms(g.time()) * 1000),
        },
    }
    if event["body"] is None:
        del event["body"]
    if not event["queryStringParameters"]:
        del event["queryStringParameters"]
    return event
