"""Amazon Cognito events: user pool sign-up, sign-in and token triggers, and Cognito Sync."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, one_of, template
from lambda_magic.events.templates._cognito import DOCS, EMAIL_USER, existing, trigger


@template("cognito-user-pool:pre-sign-up", "Amazon Cognito user pool pre sign-up trigger", **DOCS)
def pre_sign_up(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    trigger_source: str = "PreSignUp_SignUp",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = one_of(
        "trigger_source",
        trigger_source,
        ("PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"),
    )
    request = {
        "userAttributes": user_attributes,
        "validationData": None,
        "clientMetadata": client_metadata,
    }
    response = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=response,
    )


@template(
    "cognito-user-pool:post-confirmation",
    "Amazon Cognito user pool post confirmation trigger",
    **DOCS,
)
def post_confirmation(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    client_metadata: dict[str, Any] = {},
    trigger_source: str = "PostConfirmation_ConfirmSignUp",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = one_of(
        "trigger_source",
        trigger_source,
        ("PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"),
    )
    request = {"userAttributes": existing(g, user_attributes), "clientMetadata": client_metadata}
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={},
    )


@template(
    "cognito-user-pool:pre-authentication",
    "Amazon Cognito user pool pre authentication trigger",
    **DOCS,
)
def pre_authentication(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {
        "userAttributes": existing(g, user_attributes),
        "validationData": None,
        "userNotFound": False,
    }
    return trigger(
        g,
        source="PreAuthentication_Authentication",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={},
    )


@template(
    "cognito-user-pool:post-authentication",
    "Amazon Cognito user pool post authentication trigger",
    **DOCS,
)
def post_authentication(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    new_device_used: bool = False,
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    request = {
        "userAttributes": existing(g, user_attributes),
        "newDeviceUsed": new_device_used,
        "clientMetadata": client_metadata,
    }
    return trigger(
        g,
        source="PostAuthentication_Authentication",
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={},
    )


_TOKEN_SOURCES = (
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
)


@template(
    "cognito-user-pool:pre-token-generation",
    "Amazon Cognito user pool pre token generation trigger (event version 1)",
    **DOCS,
)
def pre_token_v1(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    groups: list[str] = ["admins"],
    trigger_source: str = "TokenGeneration_Authentication",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = one_of("trigger_source", trigger_source, _TOKEN_SOURCES)
    request = {
        "userAttributes": existing(g, user_attributes),
        "groupConfiguration": {
            "groupsToOverride": groups,
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
    }
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={"claimsOverrideDetails": None},
    )


@template(
    "cognito-user-pool:pre-token-generation-v2",
    "Amazon Cognito user pool pre token generation trigger (event version 2, with scopes)",
    **DOCS,
)
def pre_token_v2(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    groups: list[str] = ["admins"],
    scopes: list[str] = ["openid", "email", "aws.cognito.signin.user.admin"],
    trigger_source: str = "TokenGeneration_Authentication",
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = one_of("trigger_source", trigger_source, _TOKEN_SOURCES)
    request = {
        "userAttributes": existing(g, user_attributes),
        "groupConfiguration": {
            "groupsToOverride": groups,
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
        "scopes": scopes,
    }
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response={"claimsAndScopeOverrideDetails": None},
        version="2",
    )


_MESSAGE_SOURCES = (
    "CustomMessage_SignUp",
    "CustomMessage_AdminCreateUser",
    "CustomMessage_ResendCode",
    "CustomMessage_ForgotPassword",
    "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute",
    "CustomMessage_Authentication",
)


@template(
    "cognito-user-pool:custom-message", "Amazon Cognito user pool custom message trigger", **DOCS
)
def custom_message(
    g: Gen,
    *,
    username: str = "johndoe",
    user_attributes: dict[str, Any] = EMAIL_USER,
    trigger_source: str = "CustomMessage_SignUp",
    code: str = "{####}",
    client_metadata: dict[str, Any] = {},
    user_pool_id: str = "",
    client_id: str = "",
    region: str = "us-east-1",
) -> Event:
    source = one_of("trigger_source", trigger_source, _MESSAGE_SOURCES)
    admin = source == "CustomMessage_AdminCreateUser"
    request = {
        "userAttributes": existing(g, user_attributes),
        "codeParameter": code,
        "linkParameter": "{##Click Here##}",
        "usernameParameter": "{username}" if admin else None,
        "clientMetadata": client_metadata,
    }
    response = {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=response,
    )


@template(
    "cognito-user-pool:user-migration", "Amazon Cognito user pool migrate user trigger", **DOCS
)
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
    source = one_of(
        "trigger_source",
        trigger_source,
        ("UserMigration_Authentication", "UserMigration_ForgotPassword"),
    )
    request = {
        "password": password if source.endswith("Authentication") else "",
        "validationData": None,
        "clientMetadata": client_metadata,
    }
    response = dict.fromkeys(
        (
            "userAttributes",
            "finalUserStatus",
            "messageAction",
            "desiredDeliveryMediums",
            "forceAliasCreation",
            "enableSMSMFA",
        )
    )
    return trigger(
        g,
        source=source,
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        request=request,
        response=response,
    )


@template("cognito:sync-trigger", "Amazon Cognito Sync trigger (dataset synchronisation)", **DOCS)
def synctrigger(
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
        "datasetRecords": {
            key: {"oldValue": f"old {key}", "newValue": value, "op": "replace"}
            for key, value in records.items()
        },
    }
