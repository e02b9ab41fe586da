"""Helpers shared by the Amazon Cognito user pool trigger templates."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event

__all__ = ["DOCS", "EMAIL_USER", "existing", "trigger"]

DOCS = {
    "user_pool_id": "user pool id; empty for '<region>_' plus a fresh suffix",
    "client_id": "app client id; empty for a fresh one",
    "trigger_source": "trigger source (the flow that fired the trigger)",
    "code": "verification code (custom message) or its placeholder",
    "password": "password the user signed in with",
    "groups": "groups of the user (groupsToOverride)",
    "scopes": "OAuth scopes of the access token",
    "challenge_name": "challenge to create",
    "challenge_answer": "answer given by the user",
    "expected_answer": "answer kept in the private challenge parameters",
    "session": "earlier challenges of the session: names, each passed",
    "new_device_used": "the user signed in from a new device",
    "dataset": "Cognito Sync dataset name",
    "records": "dataset records: key to new value",
}
EMAIL_USER = {"email": "johndoe@example.com", "name": "John Doe"}


def trigger(
    g: Gen,
    *,
    source: str,
    region: str,
    user_pool_id: str,
    username: str,
    client_id: str,
    request: dict[str, Any],
    response: dict[str, Any] | None,
    version: str = "1",
) -> Event:
    event: Event = {
        "version": version,
        "triggerSource": source,
        "region": region,
        "userPoolId": user_pool_id or f"{region}_{g.alnum(9)}",
        "userName": username,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": client_id or g.lower(26),
        },
        "request": request,
    }
    if response is not None:
        event["response"] = response
    return event


def existing(g: Gen, attributes: dict[str, Any]) -> dict[str, Any]:
    """Attributes of a confirmed user: Cognito adds sub, status and verification flags."""
    extra: dict[str, Any] = {"sub": g.uuid(), "cognito:user_status": "CONFIRMED"}
    if "email" in attributes:
        extra["email_verified"] = "true"
    return {**extra, **attributes}
