"""Amazon Cognito user pool custom authentication and custom sender triggers."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import b64
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, template
from lambda_magic.events.templates._cognito import DOCS, EMAIL_USER, existing, trigger


def _session(session: list[str]) -> list[dict[str, Any]]:
    return [
        {"challengeName": name, "challengeResult": True, "challengeMetadata": None}
        for name in session
    ]


@template(
    "cognito-user-pool:define-auth-challenge",
    "Amazon Cognito user pool define auth challenge trigger (custom auth flow)",
    **DOCS,
)
def define_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    session: list[str] = ["SRP_A", "PASSWORD_VERIFIER"],
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {
        "userAttributes": existing(g, user_attributes),
        "session": _session(session),
        "userNotFound": False,
    }
    response = {"challengeName": None, "issueTokens": None, "failAuthentication": None}
    return trigger(
        g,
        source="DefineAuthChallenge_Authentication",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=response,
    )


@template(
    "cognito-user-pool:create-auth-challenge",
    "Amazon Cognito user pool create auth challenge trigger (custom auth flow)",
    **DOCS,
)
def create_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    challenge_name: str = "CUSTOM_CHALLENGE",
    session: list[str] = ["SRP_A", "PASSWORD_VERIFIER"],
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {
        "userAttributes": existing(g, user_attributes),
        "challengeName": challenge_name,
        "session": _session(session),
        "userNotFound": False,
    }
    response = {
        "publicChallengeParameters": None,
        "privateChallengeParameters": None,
        "challengeMetadata": None,
    }
    return trigger(
        g,
        source="CreateAuthChallenge_Authentication",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=response,
    )


@template(
    "cognito-user-pool:verify-auth-challenge",
    "Amazon Cognito user pool verify auth challenge response trigger",
    **DOCS,
)
def verify_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    challenge_answer: str = "42",
    expected_answer: str = "42",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {
        "userAttributes": existing(g, user_attributes),
        "privateChallengeParameters": {"answer": expected_answer},
        "challengeAnswer": challenge_answer,
        "userNotFound": False,
    }
    return trigger(
        g,
        source="VerifyAuthChallengeResponse_Authentication",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={"answerCorrect": False},
    )


def _sender(
    g: Gen,
    kind: str,
    *,
    username: str,
    user_attributes: dict[str, Any],
    client_metadata: dict[str, Any],
    user_pool_id: str,
    client_id: str,
    region: str,
) -> Event:
    # The code arrives encrypted with the pool's KMS key: opaque base64 ciphertext.
    ciphertext = b64(bytes(g.rng.getrandbits(8) for _ in range(96)))
    request = {
        "type": f"custom{kind}SenderRequestV1",
        "code": ciphertext,
        "clientMetadata": client_metadata,
        "userAttributes": existing(g, user_attributes),
    }
    return trigger(
        g,
        source=f"Custom{kind}Sender_SignUp",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=None,
    )


@template(
    "cognito-user-pool:custom-sms-sender",
    "Amazon Cognito user pool custom SMS sender trigger (KMS-encrypted code)",
    **DOCS,
)
def custom_sms_sender(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = {"phone_number": "+12065550100"},
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    return _sender(
        g,
        "SMS",
        username=username,
        user_attributes=user_attributes,
        client_metadata=client_metadata,
        user_pool_id=user_pool_id,
        client_id=client_id,
        region=region,
    )


@template(
    "cognito-user-pool:custom-email-sender",
    "Amazon Cognito user pool custom email sender trigger (KMS-encrypted code)",
    **DOCS,
)
def custom_email_sender(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    return _sender(
        g,
        "Email",
        username=username,
        user_attributes=user_attributes,
        client_metadata=client_metadata,
        user_pool_id=user_pool_id,
        client_id=client_id,
        region=region,
    )
