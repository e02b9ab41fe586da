"""API Gateway REST and HTTP API events: Lambda proxy integrations and Lambda authorizers."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import (
    joined_map,
    multi_map,
    partition_of,
    raw_query,
    single_map,
)
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
    "resource": "API Gateway resource path template, e.g. /{proxy+} or /items/{id}",
    "api_id": "API id (first label of the execute-api host name)",
    "stage_variables": "stage variables",
    "claims": "authorizer claims (as a Cognito user pool authorizer passes them); empty for none",
    "route_key": "route key, e.g. 'GET /items/{id}' or $default",
    "cookies": "cookies sent by the client ('name=value'); Cookie headers are added to them",
    "jwt_claims": "JWT authorizer claims; empty for no authorizer",
    "token": "the caller's token (Authorization header or identity source)",
}


def _host(api_id: str, region: str) -> str:
    return f"{api_id}.execute-api.{region}.amazonaws.com"


def _path_parameters(resource: str, path: str) -> dict[str, str]:
    """Fill ``{name}``/``{name+}`` placeholders of ``resource`` from the request ``path``."""
    pattern, actual = resource.strip("/").split("/"), path.strip("/").split("/")
    found: dict[str, str] = {}
    for index, part in enumerate(pattern):
        if part.startswith("{") and part.endswith("+}"):
            found[part[1:-2]] = "/".join(actual[index:])
            return found
        if index >= len(actual):
            return {}
        if part.startswith("{") and part.endswith("}"):
            found[part[1:-1]] = actual[index]
        elif part != actual[index]:
            return {}
    return found if len(pattern) == len(actual) else {}


def _rest_context(
    g: Gen, req: HttpRequest, resource: str, stage: str, api_id: str, region: str, account_id: str
) -> dict[str, Any]:
    when = g.time()
    identity = dict.fromkeys(
        (
            "cognitoIdentityPoolId",
            "accountId",
            "cognitoIdentityId",
            "caller",
            "principalOrgId",
            "accessKey",
            "cognitoAuthenticationType",
            "cognitoAuthenticationProvider",
            "userArn",
            "user",
            "apiKey",
            "apiKeyId",
        ),
    )
    identity.update(sourceIp=req.source_ip, userAgent=req.user_agent)
    return {
        "resourceId": g.lower(6),
        "resourcePath": resource,
        "httpMethod": req.method,
        "extendedRequestId": g.alnum(15) + "=",
        "requestTime": g.apigw(when),
        "path": f"/{stage}{req.path}",
        "accountId": account_id,
        "protocol": "HTTP/1.1",
        "stage": stage,
        "domainPrefix": api_id,
        "requestTimeEpoch": g.epoch_ms(when),
        "requestId": g.uuid(),
        "identity": identity,
        "domainName": _host(api_id, region),
        "apiId": api_id,
    }


def _rest_event(
    g: Gen,
    req: HttpRequest,
    resource: str,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    stage: str,
    api_id: str,
    region: str,
    account_id: str,
) -> Event:
    params = path_parameters or _path_parameters(resource, req.path)
    return {
        "resource": resource,
        "path": req.path,
        "httpMethod": req.method,
        "headers": single_map(req.headers),
        "multiValueHeaders": multi_map(req.headers),
        "queryStringParameters": single_map(req.query) or None,
        "multiValueQueryStringParameters": multi_map(req.query) or None,
        "pathParameters": params or None,
        "stageVariables": stage_variables or None,
        "requestContext": _rest_context(g, req, resource, stage, api_id, region, account_id),
        "body": req.body,
        "isBase64Encoded": req.is_base64,
    }


@template(
    "apigateway:aws-proxy",
    "API Gateway REST API Lambda proxy integration request (payload format 1.0)",
    **_DOCS,
)
def aws_proxy(
    g: Gen,
    *,
    method: str = "POST",
    path: str = "/path/to/resource",
    resource: str = "/{proxy+}",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {"foo": "bar"},
    path_parameters: dict[str, str] = {},
    stage_variables: dict[str, str] = {},
    claims: dict[str, Any] = {},
    stage: str = "prod",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_host(api_id, region),
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    event = _rest_event(
        g, req, resource, path_parameters, stage_variables, stage, api_id, region, account_id
    )
    if claims:
        event["requestContext"]["authorizer"] = {"claims": claims}
    return event


def _method_arn(
    region: str, account_id: str, api_id: str, stage: str, method: str, path: str
) -> str:
    return (
        f"arn:{partition_of(region)}:execute-api:{region}:{account_id}:{api_id}/{stage}/"
        f"{method.upper()}/{path.lstrip('/')}"
    )


@template("apigateway:authorizer", "API Gateway REST API TOKEN Lambda authorizer request", **_DOCS)
def token_authorizer(
    g: Gen,
    *,
    token: str = "allow",
    method: str = "GET",
    path: str = "/request",
    stage: str = "prod",
    api_id: str = "1234567890",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    return {
        "type": "TOKEN",
        "authorizationToken": token,
        "methodArn": _method_arn(region, account_id, api_id, stage, method, path),
    }


@template(
    "apigateway:request-authorizer",
    "API Gateway REST API REQUEST Lambda authorizer request",
    **_DOCS,
)
def request_authorizer(
    g: Gen,
    *,
    token: str = "allow",
    method: str = "GET",
    path: str = "/request",
    resource: str = "/request",
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {"QueryString1": "queryValue1"},
    stage_variables: dict[str, str] = {},
    stage: str = "prod",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_host(api_id, region),
        headers={"Authorization": token, **headers},
        query=query,
        body=None,
        source_ip=source_ip,
    )
    event = _rest_event(g, req, resource, {}, stage_variables, stage, api_id, region, account_id)
    del event["body"], event["isBase64Encoded"]
    arn = _method_arn(region, account_id, api_id, stage, req.method, req.path)
    return {"type": "REQUEST", "methodArn": arn, **event}


def _v2_event(
    g: Gen,
    req: HttpRequest,
    route_key: str,
    cookies: list[str],
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    stage: str,
    api_id: str,
    region: str,
    account_id: str,
) -> Event:
    when = g.time()
    raw_path = req.path if stage == "$default" else f"/{stage}{req.path}"
    route = route_key.partition(" ")[2] or route_key
    params = path_parameters or _path_parameters(route, req.path)
    event: Event = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query(req.query),
        "cookies": cookie_jar(req, cookies),
        "headers": v2_headers(req),
        "queryStringParameters": joined_map(req.query),
        "pathParameters": params,
        "stageVariables": stage_variables,
        "requestContext": {
            "accountId": account_id,
            "apiId": api_id,
            "domainName": _host(api_id, region),
            "domainPrefix": api_id,
            "http": {
                "method": req.method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": req.source_ip,
                "userAgent": req.user_agent,
            },
            "requestId": g.alnum(15) + "=",
            "routeKey": route_key,
            "stage": stage,
            "time": g.apigw(when),
            "timeEpoch": g.epoch_ms(when),
        },
        "body": req.body,
        "isBase64Encoded": req.is_base64,
    }
    # HTTP APIs leave out what is empty.
    for key in ("cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"):
        if not event[key] and event[key] != "":
            del event[key]
    return event


@template(
    "apigateway:http-api-proxy",
    "API Gateway HTTP API Lambda proxy integration request (payload format 2.0)",
    **_DOCS,
)
def http_api_proxy(
    g: Gen,
    *,
    method: str = "POST",
    path: str = "/path/to/resource",
    route_key: str = "$default",
    body: str | bytes | None = SAMPLE_BODY,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {
        "parameter1": ["value1", "value2"],
        "parameter2": "value",
    },
    cookies: list[str] = [],
    path_parameters: dict[str, str] = {},
    stage_variables: dict[str, str] = {},
    jwt_claims: dict[str, Any] = {},
    stage: str = "$default",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_host(api_id, region),
        headers=headers,
        query=query,
        body=body,
        source_ip=source_ip,
    )
    event = _v2_event(
        g,
        req,
        route_key,
        cookies,
        path_parameters,
        stage_variables,
        stage,
        api_id,
        region,
        account_id,
    )
    if jwt_claims:
        scopes = str(jwt_claims.get("scope", "")).split()
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": jwt_claims, "scopes": scopes or None}
        }
    return event


@template(
    "apigateway:http-api-authorizer",
    "API Gateway HTTP API REQUEST Lambda authorizer request (payload format 2.0)",
    **_DOCS,
)
def http_api_authorizer(
    g: Gen,
    *,
    token: str = "allow",
    method: str = "GET",
    path: str = "/request",
    route_key: str = "GET /request",
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {},
    stage: str = "$default",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    req = http_request(
        g,
        method=method,
        path=path,
        host=_host(api_id, region),
        headers={"Authorization": token, **headers},
        query=query,
        body=None,
        source_ip=source_ip,
    )
    event = _v2_event(g, req, route_key, [], {}, {}, stage, api_id, region, account_id)
    del event["isBase64Encoded"]
    return {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": _method_arn(region, account_id, api_id, stage, req.method, req.path),
        "identitySource": [token],
        **event,
    }
