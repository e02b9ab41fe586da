"""Amazon Bedrock Agents action group invocations (OpenAPI schema and function details)."""

from __future__ import annotations

import json
from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, template

_DOCS = {
    "input_text": "what the user asked the agent",
    "action_group": "action group name",
    "api_path": "API path of the operation in the OpenAPI schema",
    "method": "HTTP method of the operation",
    "parameters": "path/query/function parameters (name to value)",
    "request_body": "JSON request body properties; empty for none",
    "function": "function name in the action group",
    "agent_name": "agent name",
    "session_attributes": "session attributes",
}


def _typed(values: dict[str, Any]) -> list[dict[str, str]]:
    result = []
    for name, value in values.items():
        if isinstance(value, bool):
            kind, text = "boolean", str(value).lower()
        elif isinstance(value, int):
            kind, text = "integer", str(value)
        elif isinstance(value, float):
            kind, text = "number", str(value)
        elif isinstance(value, list):
            kind, text = "array", json.dumps(value)
        elif isinstance(value, str):
            kind, text = "string", value
        else:
            raise BadValue("parameters", f"values must be scalars or lists, got {name!r}")
        result.append({"name": name, "type": kind, "value": text})
    return result


def _agent_event(
    g: Gen,
    *,
    agent_name: str,
    input_text: str,
    action_group: str,
    session_attributes: dict[str, str],
) -> Event:
    return {
        "messageVersion": "1.0",
        "agent": {"name": agent_name, "id": g.upper(10), "alias": g.upper(10), "version": "DRAFT"},
        "inputText": input_text,
        "sessionId": g.digits(15),
        "actionGroup": action_group,
        "sessionAttributes": session_attributes,
        "promptSessionAttributes": {},
    }


@template(
    "bedrock-agent:api",
    "Amazon Bedrock Agents action group call defined by an OpenAPI schema",
    **_DOCS,
)
def agent_api(
    g: Gen,
    *,
    input_text: str = "What is the status of claim 12345?",
    action_group: str = "ClaimManagementActionGroup",
    api_path: str = "/claims/{claimId}",
    method: str = "GET",
    parameters: dict[str, Any] = {"claimId": "12345"},
    request_body: dict[str, Any] = {},
    agent_name: str = "ClaimsAgent",
    session_attributes: dict[str, str] = {},
) -> Event:
    event = _agent_event(
        g,
        agent_name=agent_name,
        input_text=input_text,
        action_group=action_group,
        session_attributes=session_attributes,
    )
    event.update(apiPath=api_path, httpMethod=method.upper(), parameters=_typed(parameters))
    if request_body:
        event["requestBody"] = {
            "content": {"application/json": {"properties": _typed(request_body)}}
        }
    return event


@template(
    "bedrock-agent:function",
    "Amazon Bedrock Agents action group call defined by function details",
    **_DOCS,
)
def agent_function(
    g: Gen,
    *,
    input_text: str = "What is the weather in Seattle?",
    action_group: str = "WeatherActionGroup",
    function: str = "get_weather",
    parameters: dict[str, Any] = {"city": "Seattle"},
    agent_name: str = "WeatherAgent",
    session_attributes: dict[str, str] = {},
) -> Event:
    event = _agent_event(
        g,
        agent_name=agent_name,
        input_text=input_text,
        action_group=action_group,
        session_attributes=session_attributes,
    )
    event.update(function=function, parameters=_typed(parameters))
    return event
