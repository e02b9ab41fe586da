"""Amazon Cognito events: user pool Lambda triggers and the (legacy) Cognito Sync trigger."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import b64
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, template

_DOCS = {
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
_EMAIL_USER = {"email": "johndoe@example.com", "name": "John Doe"}


def _trigger(g: Gen, *, source: str, region: str, user_pool_id: str, username: str,
             client_id: str, request: dict[str, Any], response: dict[str, Any] | None,
             version: str = "1") -> Event:
    event: Event = {
        "version": version,
        "triggerSource": source,
        "region": region,
        "userPoolId": user_pool_id or f"{region}_{g.alnum(9)}",
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown",
                          "clientId": client_id or g.lower(26)},
        "request": request,
    }
    if response is not None:
        event["response"] = response
    return event


def _existing(g: Gen, attributes: dict[str, Any]) -> dict[str, Any]:
    """Attributes of a confirmed user: Cognito adds sub, status and verification flags."""
    extra: dict[str, Any] = {"sub": g.uuid(), "cognito:user_status": "CONFIRMED"}
    if "email" in attributes:
        extra["email_verified"] = "true"
    return {**extra, **attributes}


def _choose(param: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise BadValue(param, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value


@template("cognito-user-pool:pre-sign-up", "Amazon Cognito user pool pre sign-up trigger", **_DOCS)
def pre_sign_up(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    trigger_source: str = "PreSignUp_SignUp",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source, (
        "PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"))
    request = {"userAttributes": user_attributes, "validationData": None,
               "clientMetadata": client_metadata}
    response = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request, response=response)


@template("cognito-user-pool:post-confirmation",
          "Amazon Cognito user pool post confirmation trigger", **_DOCS)
def post_confirmation(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    trigger_source: str = "PostConfirmation_ConfirmSignUp",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source, (
        "PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"))
    request = {"userAttributes": _existing(g, user_attributes), "clientMetadata": client_metadata}
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request, response={})


@template("cognito-user-pool:pre-authentication",
          "Amazon Cognito user pool pre authentication trigger", **_DOCS)
def pre_authentication(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {"userAttributes": _existing(g, user_attributes), "validationData": None,
               "userNotFound": False}
    return _trigger(g, source="PreAuthentication_Authentication", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response={})


@template("cognito-user-pool:post-authentication",
          "Amazon Cognito user pool post authentication trigger", **_DOCS)
def post_authentication(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    new_device_used: bool = False,
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {"userAttributes": _existing(g, user_attributes), "newDeviceUsed": new_device_used,
               "clientMetadata": client_metadata}
    return _trigger(g, source="PostAuthentication_Authentication", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response={})


_TOKEN_SOURCES = ("TokenGeneration_HostedAuth", "TokenGeneration_Authentication",
                  "TokenGeneration_NewPasswordChallenge", "TokenGeneration_AuthenticateDevice",
                  "TokenGeneration_RefreshTokens")


@template("cognito-user-pool:pre-token-generation",
          "Amazon Cognito user pool pre token generation trigger (event version 1)", **_DOCS)
def pre_token_v1(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    groups: list[str] = ["admins"],
    trigger_source: str = "TokenGeneration_Authentication",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source, _TOKEN_SOURCES)
    request = {"userAttributes": _existing(g, user_attributes),
               "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [],
                                      "preferredRole": None}}
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request,
                    response={"claimsOverrideDetails": None})


@template("cognito-user-pool:pre-token-generation-v2",
          "Amazon Cognito user pool pre token generation trigger (event version 2, with scopes)",
          **_DOCS)
def pre_token_v2(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    groups: list[str] = ["admins"],
    scopes: list[str] = ["openid", "email", "aws.cognito.signin.user.admin"],
    trigger_source: str = "TokenGeneration_Authentication",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source, _TOKEN_SOURCES)
    request = {"userAttributes": _existing(g, user_attributes),
               "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [],
                                      "preferredRole": None},
               "scopes": scopes}
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request,
                    response={"claimsAndScopeOverrideDetails": None}, version="2")


_MESSAGE_SOURCES = ("CustomMessage_SignUp", "CustomMessage_AdminCreateUser",
                    "CustomMessage_ResendCode", "CustomMessage_ForgotPassword",
                    "CustomMessage_UpdateUserAttribute", "CustomMessage_VerifyUserAttribute",
                    "CustomMessage_Authentication")


@template("cognito-user-pool:custom-message", "Amazon Cognito user pool custom message trigger",
          **_DOCS)
def custom_message(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    trigger_source: str = "CustomMessage_SignUp",
    code: str = "{####}",
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source, _MESSAGE_SOURCES)
    admin = source == "CustomMessage_AdminCreateUser"
    request = {"userAttributes": _existing(g, user_attributes), "codeParameter": code,
               "linkParameter": "{##Click Here##}",
               "usernameParameter": "{username}" if admin else None,
               "clientMetadata": client_metadata}
    response = {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request, response=response)


def _session(session: list[str]) -> list[dict[str, Any]]:
    return [{"challengeName": name, "challengeResult": True, "challengeMetadata": None}
            for name in session]


@template("cognito-user-pool:define-auth-challenge",
          "Amazon Cognito user pool define auth challenge trigger (custom auth flow)", **_DOCS)
def define_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    session: list[str] = ["SRP_A", "PASSWORD_VERIFIER"],
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {"userAttributes": _existing(g, user_attributes), "session": _session(session),
               "userNotFound": False}
    response = {"challengeName": None, "issueTokens": None, "failAuthentication": None}
    return _trigger(g, source="DefineAuthChallenge_Authentication", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response=response)


@template("cognito-user-pool:create-auth-challenge",
          "Amazon Cognito user pool create auth challenge trigger (custom auth flow)", **_DOCS)
def create_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    challenge_name: str = "CUSTOM_CHALLENGE",
    session: list[str] = ["SRP_A", "PASSWORD_VERIFIER"],
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {"userAttributes": _existing(g, user_attributes), "challengeName": challenge_name,
               "session": _session(session), "userNotFound": False}
    response = {"publicChallengeParameters": None, "privateChallengeParameters": None,
                "challengeMetadata": None}
    return _trigger(g, source="CreateAuthChallenge_Authentication", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response=response)


@template("cognito-user-pool:verify-auth-challenge",
          "Amazon Cognito user pool verify auth challenge response trigger", **_DOCS)
def verify_auth_challenge(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    challenge_answer: str = "42",
    expected_answer: str = "42",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {"userAttributes": _existing(g, user_attributes),
               "privateChallengeParameters": {"answer": expected_answer},
               "challengeAnswer": challenge_answer, "userNotFound": False}
    return _trigger(g, source="VerifyAuthChallengeResponse_Authentication", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response={"answerCorrect": False})


@template("cognito-user-pool:user-migration", "Amazon Cognito user pool migrate user trigger",
          **_DOCS)
def user_migration(
    g: Gen,
    *,
    username: str = "johndoe",
    password: str = "Passw0rd!",
    trigger_source: str = "UserMigration_Authentication",
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = _choose("trigger_source", trigger_source,
                     ("UserMigration_Authentication", "UserMigration_ForgotPassword"))
    request = {"password": password if source.endswith("Authentication") else "",
               "validationData": None, "clientMetadata": client_metadata}
    response = dict.fromkeys(("userAttributes", "finalUserStatus", "messageAction",
                              "desiredDeliveryMediums", "forceAliasCreation", "enableSMSMFA"))
    return _trigger(g, source=source, region=region, user_pool_id=user_pool_id,
                    username=username, client_id=client_id, request=request, response=response)


def _sender(g: Gen, kind: str, *, username: str, user_attributes: dict[str, Any],
            client_metadata: dict[str, Any], user_pool_id: str, client_id: str,
            region: str) -> Event:
    # The code arrives encrypted with the pool's KMS key: opaque base64 ciphertext.
    ciphertext = b64(bytes(g.rng.getrandbits(8) for _ in range(96)))
    request = {"type": f"custom{kind}SenderRequestV1", "code": ciphertext,
               "clientMetadata": client_metadata, "userAttributes": _existing(g, user_attributes)}
    return _trigger(g, source=f"Custom{kind}Sender_SignUp", region=region,
                    user_pool_id=user_pool_id, username=username, client_id=client_id,
                    request=request, response=None)


@template("cognito-user-pool:custom-sms-sender",
          "Amazon Cognito user pool custom SMS sender trigger (KMS-encrypted code)", **_DOCS)
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
    return _sender(g, "SMS", username=username, user_attributes=user_attributes,
                   client_metadata=client_metadata, user_pool_id=user_pool_id,
                   client_id=client_id, region=region)


@template("cognito-user-pool:custom-email-sender",
          "Amazon Cognito user pool custom email sender trigger (KMS-encrypted code)", **_DOCS)
def custom_email_sender(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = _EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    return _sender(g, "Email", username=username, user_attributes=user_attributes,
                   client_metadata=client_metadata, user_pool_id=user_pool_id,
                   client_id=client_id, region=region)


@template("cognito:sync-trigger", "Amazon Cognito Sync trigger (dataset synchronisation)",
          **_DOCS)
def sync_trigger(
    g: Gen,
    *,
    dataset: str = "SampleDataset",
    records: dict[str, str] = {"SampleKey1": "newValue1", "SampleKey2": "newValue2"},
    region: str = "us-east-1",
) -> Event:
    if not records:
        raise BadValue("records", "must name at least one record")
    return {
        "version": 2,
        "eventType": "SyncTrigger",
        "region": region,
        "identityPoolId": f"{region}:{g.uuid()}",
        "identityId": f"{region}:{g.uuid()}",
        "datasetName": dataset,
        "datasetRecords": {key: {"oldValue": f"old {key}", "newValue": value, "op": "replace"}
                           for key, value in records.items()},
    }
