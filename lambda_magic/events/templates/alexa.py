"""Alexa Skills Kit requests and Alexa Smart Home (payload version 3) directives."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, register

_DOCS = {
    "application_id": "skill id; empty for a fresh amzn1.ask.skill id",
    "user_id": "Alexa user id; empty for a fresh one",
    "session_id": "session id; empty for a fresh one",
    "request_id": "request id; empty for a fresh one",
    "slots": "intent slot values (slot name to spoken value)",
    "endpoint_id": "smart home endpoint (device) id",
    "token": "OAuth bearer token of the linked account",
}


def _skill_request(
    g: Gen,
    request: dict[str, Any],
    *,
    new: bool,
    application_id: str,
    user_id: str,
    session_id: str,
    locale: str,
) -> Event:
    application = {"applicationId": application_id or f"amzn1.ask.skill.{g.uuid()}"}
    user = {"userId": user_id or f"amzn1.ask.account.{g.upper(64)}"}
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": session_id or f"amzn1.echo-api.session.{g.uuid()}",
            "application": application,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {
                    "deviceId": f"amzn1.ask.device.{g.upper(64)}",
                    "supportedInterfaces": {},
                },
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": g.alnum(64),
            }
        },
        "request": {**request, "locale": locale},
    }


def _intent(name: str, slots: dict[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "confirmationStatus": "NONE",
        "slots": {
            slot: {"name": slot, "value": value, "confirmationStatus": "NONE"}
            for slot, value in slots.items()
        },
    }


def _register_skill(
    kind: str,
    description: str,
    body: dict[str, Any],
    intent: str = "",
    default_slots: dict[str, str] | None = None,
) -> None:
    slots_default = default_slots or {}

    def build(
        g: Gen,
        *,
        slots: dict[str, str] = slots_default,
        application_id: str = "",
        user_id: str = "",
        session_id: str = "",
        request_id: str = "",
        locale: str = "en-US",
    ) -> Event:
        request: dict[str, Any] = {
            "type": body["type"],
            "requestId": request_id or f"amzn1.echo-api.request.{g.uuid()}",
            "timestamp": g.iso(g.time()),
            **{k: v for k, v in body.items() if k != "type"},
        }
        if intent:
            request.update(intent=_intent(intent, slots), dialogState="STARTED")
        return _skill_request(
            g,
            request,
            new=body["type"] == "LaunchRequest",
            application_id=application_id,
            user_id=user_id,
            session_id=session_id,
            locale=locale,
        )

    register(
        f"alexa-skills-kit:{kind}",
        f"Alexa Skills Kit: {description}",
        build,
        hide=() if intent else ("slots",),
        **_DOCS,
    )


_register_skill("start-session", "LaunchRequest opening a new session", {"type": "LaunchRequest"})
_register_skill(
    "end-session",
    "SessionEndedRequest closing the session",
    {"type": "SessionEndedRequest", "reason": "USER_INITIATED"},
)
_register_skill(
    "intent-answer",
    "IntentRequest for AnswerIntent",
    {"type": "IntentRequest"},
    "AnswerIntent",
    {"Answer": "42"},
)
_register_skill(
    "intent-getnewfact",
    "IntentRequest for GetNewFactIntent",
    {"type": "IntentRequest"},
    "GetNewFactIntent",
)
_register_skill(
    "intent-mycoloris",
    "IntentRequest for MyColorIsIntent",
    {"type": "IntentRequest"},
    "MyColorIsIntent",
    {"Color": "blue"},
)
_register_skill(
    "intent-recipe",
    "IntentRequest for RecipeIntent",
    {"type": "IntentRequest"},
    "RecipeIntent",
    {"Item": "snowball"},
)


def _register_home(kind: str, description: str, namespace: str, name: str) -> None:
    def build(
        g: Gen,
        *,
        endpoint_id: str = "endpoint-001",
        token: str = "access-token-from-skill",
    ) -> Event:
        header = {
            "namespace": namespace,
            "name": name,
            "payloadVersion": "3",
            "messageId": g.uuid(),
        }
        scope = {"type": "BearerToken", "token": token}
        if namespace == "Alexa.Discovery":
            return {"directive": {"header": header, "payload": {"scope": scope}}}
        header["correlationToken"] = g.alnum(96) + "=="
        endpoint = {"scope": scope, "endpointId": endpoint_id, "cookie": {}}
        return {"directive": {"header": header, "endpoint": endpoint, "payload": {}}}

    hide = ("endpoint_id",) if namespace == "Alexa.Discovery" else ()
    register(
        f"alexa-smart-home:{kind}",
        f"Alexa Smart Home (v3): {description}",
        build,
        hide=hide,
        **_DOCS,
    )


_register_home(
    "smart-home-control-turn-off-request",
    "Alexa.PowerController TurnOff directive",
    "Alexa.PowerController",
    "TurnOff",
)
_register_home(
    "smart-home-control-turn-on-request",
    "Alexa.PowerController TurnOn directive",
    "Alexa.PowerController",
    "TurnOn",
)
_register_home(
    "smart-home-discovery-request",
    "Alexa.Discovery Discover directive",
    "Alexa.Discovery",
    "Discover",
)
