"""API Gateway WebSocket API events: $connect, message routes and $disconnect."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import (
    body_fields,
    header_pairs,
    multi_map,
    query_pairs,
    single_map,
)
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, template
from lambda_magic.events.templates._http import USER_AGENT, trace_id

_DOCS = {
    "api_id": "WebSocket API id",
    "connection_id": "connection id; empty for a fresh one",
    "route_key": "route selected by the route selection expression, e.g. sendMessage",
    "body": "message sent by the client; bytes arrive base64-encoded",
    "status_code": "WebSocket close status code",
    "reason": "close reason",
}


def _context(
    g: Gen,
    route_key: str,
    event_type: str,
    connection_id: str,
    stage: str,
    api_id: str,
    region: str,
    source_ip: str,
) -> dict[str, Any]:
    when = g.time()
    connected = g.time(-g.rng.randrange(1_000, 60_000))
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": g.alnum(15) + "=",
        "requestTime": g.apigw(when),
        "messageDirection": "IN",
        "stage": stage,
        "connectedAt": g.epoch_ms(connected if event_type != "CONNECT" else when),
        "requestTimeEpoch": g.epoch_ms(when),
        "identity": {"userAgent": USER_AGENT, "sourceIp": source_ip},
        "requestId": g.alnum(15) + "=",
        "domainName": f"{api_id}.execute-api.{region}.amazonaws.com",
        "connectionId": connection_id or g.alnum(15) + "=",
        "apiId": api_id,
    }


def _handshake_headers(
    g: Gen, api_id: str, region: str, source_ip: str, headers: dict[str, str | list[str]]
) -> list[tuple[str, str]]:
    defaults = {
        "Host": f"{api_id}.execute-api.{region}.amazonaws.com",
        "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
        "Sec-WebSocket-Key": g.alnum(22) + "==",
        "Sec-WebSocket-Version": "13",
        "User-Agent": USER_AGENT,
        "X-Amzn-Trace-Id": trace_id(g),
        "X-Forwarded-For": source_ip,
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    return header_pairs(defaults, headers)


@template("apigateway:websocket-connect", "API Gateway WebSocket API $connect request", **_DOCS)
def websocket_connect(
    g: Gen,
    *,
    headers: dict[str, str | list[str]] = {},
    query: dict[str, str | list[str]] | str = {},
    connection_id: str = "",
    stage: str = "production",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    pairs = _handshake_headers(g, api_id, region, source_ip, headers)
    event: Event = {
        "headers": single_map(pairs),
        "multiValueHeaders": multi_map(pairs),
        "requestContext": _context(
            g, "$connect", "CONNECT", connection_id, stage, api_id, region, source_ip
        ),
        "isBase64Encoded": False,
    }
    query_list = query_pairs(query)
    if query_list:
        event["queryStringParameters"] = single_map(query_list)
        event["multiValueQueryStringParameters"] = multi_map(query_list)
    return event


@template(
    "apigateway:websocket-message",
    "API Gateway WebSocket API message on a custom or $default route",
    **_DOCS,
)
def websocket_message(
    g: Gen,
    *,
    body: str | bytes | None = '{"action":"sendMessage","data":"hello"}',
    route_key: str = "sendMessage",
    connection_id: str = "",
    stage: str = "production",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    context = _context(g, route_key, "MESSAGE", connection_id, stage, api_id, region, source_ip)
    context["messageId"] = g.alnum(15) + "="
    encoded, is_b64 = body_fields(body)
    return {"requestContext": context, "body": encoded, "isBase64Encoded": is_b64}


@template(
    "apigateway:websocket-disconnect", "API Gateway WebSocket API $disconnect request", **_DOCS
)
def websocket_disconnect(
    g: Gen,
    *,
    status_code: int = 1001,
    reason: str = "Going away",
    connection_id: str = "",
    stage: str = "production",
    api_id: str = "1234567890",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-1",
) -> Event:
    pairs = header_pairs(
        {
            "Host": f"{api_id}.execute-api.{region}.amazonaws.com",
            "x-api-key": "",
            "X-Forwarded-For": "",
            "x-restapi": "",
        }
    )
    context = _context(
        g, "$disconnect", "DISCONNECT", connection_id, stage, api_id, region, source_ip
    )
    context.update(disconnectStatusCode=status_code, disconnectReason=reason)
    return {
        "headers": single_map(pairs),
        "multiValueHeaders": multi_map(pairs),
        "requestContext": context,
        "isBase64Encoded": False,
    }
