"""Template modules; importing this package registers every template."""

from __future__ import annotations

from lambda_magic.events.templates import (  # noqa: F401
    alexa,
    apigateway,
    bedrock,
    cloudfront,
    cognito,
    cognito_auth,
    devtools,
    dynamodb,
    email,
    eventbridge,
    http,
    kafka_mq,
    kinesis,
    lex,
    messaging,
    misc,
    s3,
    websocket,
)
