"""Templates Powertools has no model for: check their structure and that parameters land."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from lambda_magic import events

from .test_powertools import NO_MODEL

Check = Callable[[dict[str, Any]], None]


def _is(predicate: Callable[[dict[str, Any]], bool]) -> Check:
    def check(ev: dict[str, Any]) -> None:
        assert predicate(ev), ev

    return check


def _alexa(kind: str, slots: dict[str, str] | None = None) -> Check:
    def check(ev: dict[str, Any]) -> None:
        assert ev["version"] == "1.0" and ev["request"]["type"] == kind
        assert ev["session"]["application"]["applicationId"] == "amzn1.ask.skill.app"
        assert ev["context"]["System"]["user"]["userId"] == "amzn1.ask.account.u"
        assert ev["request"]["locale"] == "de-DE" and ev["request"]["requestId"] == "req-1"
        assert ev["session"]["new"] is (kind == "LaunchRequest")
        if slots is not None:
            got = {n: s["value"] for n, s in ev["request"]["intent"]["slots"].items()}
            assert got == slots

    return check


ALEXA_PARAMS = {
    "application_id": "amzn1.ask.skill.app",
    "user_id": "amzn1.ask.account.u",
    "request_id": "req-1",
    "locale": "de-DE",
}


def _home(name: str) -> Check:
    def check(ev: dict[str, Any]) -> None:
        header = ev["directive"]["header"]
        assert header["name"] == name and header["payloadVersion"] == "3"
        if name == "Discover":
            assert ev["directive"]["payload"]["scope"]["token"] == "tok"
        else:
            assert ev["directive"]["endpoint"]["endpointId"] == "lamp-1"
            assert ev["directive"]["endpoint"]["scope"]["token"] == "tok"

    return check


def _cloudfront(event_type: str) -> Check:
    def check(ev: dict[str, Any]) -> None:
        (record,) = ev["Records"]
        cf = record["cf"]
        assert cf["config"]["eventType"] == event_type
        request = cf["request"]
        assert request["uri"] == "/docs/a.html" and request["method"] == "POST"
        assert request["querystring"] == "x=1" and request["clientIp"] == "198.51.100.7"
        assert request["headers"]["x-test"] == [{"key": "X-Test", "value": "yes"}]
        assert ("origin" in request) == event_type.startswith("origin")
        if event_type.endswith("response"):
            assert cf["response"]["status"] == "404"

    return check


CF_PARAMS = {
    "uri": "/docs/a.html",
    "method": "post",
    "querystring": "?x=1",
    "headers": {"X-Test": "yes"},
    "client_ip": "198.51.100.7",
    "status": 404,
}
CF_TYPES = {
    "ab-test": "viewer-request",
    "access-request-in-response": "origin-response",
    "http-redirect": "viewer-request",
    "modify-querystring": "viewer-request",
    "modify-response-header": "origin-response",
    "multiple-remote-calls-aggregate-response": "origin-request",
    "normalize-querystring-to-improve-cache-hit": "viewer-request",
    "redirect-on-viewer-country": "origin-request",
    "redirect-unauthenticated-users": "viewer-request",
    "response-generation": "viewer-request",
    "serve-object-on-viewer-device": "origin-request",
    "simple-remote-call": "origin-request",
}


def _analytics(decode: Callable[[bytes], bytes] | None) -> Check:
    def check(ev: dict[str, Any]) -> None:
        assert ev["applicationArn"].endswith(":application/app")
        assert ev["streamArn"].endswith(":stream/src")
        if decode is not None:
            assert [decode(base64.b64decode(r["data"])) for r in ev["records"]] == [b"r1", b"r2"]
        for record in ev["records"]:
            assert record["kinesisStreamRecordMetadata"]["sequenceNumber"] == record["recordId"]

    return check


def _gunzip(raw: bytes) -> bytes:
    import gzip

    return gzip.decompress(raw)


def _lex(intent: str) -> Check:
    def check(ev: dict[str, Any]) -> None:
        assert ev["currentIntent"]["name"] == intent
        assert ev["currentIntent"]["slots"] == {"S": "v", "Empty": None}
        assert ev["invocationSource"] == "FulfillmentCodeHook" and ev["userId"] == "u1"
        assert ev["inputTranscript"] == "hi" and ev["sessionAttributes"] == {"k": "v"}

    return check


def _lex2(intent: str) -> Check:
    def check(ev: dict[str, Any]) -> None:
        state = ev["sessionState"]["intent"]
        assert state["name"] == intent and state["state"] == "ReadyForFulfillment"
        assert state["slots"]["S"]["value"]["interpretedValue"] == "v"
        assert state["slots"]["Empty"] is None
        assert ev["bot"]["localeId"] == "fr_FR" and ev["sessionId"] == "u1"
        assert ev["interpretations"][0]["intent"] == state

    return check


LEX_PARAMS = {
    "slots": {"S": "v", "Empty": None},
    "invocation_source": "FulfillmentCodeHook",
    "input_transcript": "hi",
    "session_attributes": {"k": "v"},
    "user_id": "u1",
}
LEX2_PARAMS = {
    "slots": {"S": "v", "Empty": None},
    "intent_state": "ReadyForFulfillment",
    "locale": "fr_FR",
    "user_id": "u1",
}

CASES: dict[str, tuple[dict[str, Any], Check]] = {
    "alexa-skills-kit:start-session": (ALEXA_PARAMS, _alexa("LaunchRequest")),
    "alexa-skills-kit:end-session": (ALEXA_PARAMS, _alexa("SessionEndedRequest")),
    "alexa-skills-kit:intent-getnewfact": (ALEXA_PARAMS, _alexa("IntentRequest", {})),
    "alexa-skills-kit:intent-answer": (
        {**ALEXA_PARAMS, "slots": {"Answer": "7"}},
        _alexa("IntentRequest", {"Answer": "7"}),
    ),
    "alexa-skills-kit:intent-mycoloris": (
        {**ALEXA_PARAMS, "slots": {"Color": "red"}},
        _alexa("IntentRequest", {"Color": "red"}),
    ),
    "alexa-skills-kit:intent-recipe": (
        {**ALEXA_PARAMS, "slots": {"Item": "cake"}},
        _alexa("IntentRequest", {"Item": "cake"}),
    ),
    "alexa-smart-home:smart-home-control-turn-off-request": (
        {"endpoint_id": "lamp-1", "token": "tok"},
        _home("TurnOff"),
    ),
    "alexa-smart-home:smart-home-control-turn-on-request": (
        {"endpoint_id": "lamp-1", "token": "tok"},
        _home("TurnOn"),
    ),
    "alexa-smart-home:smart-home-discovery-request": ({"token": "tok"}, _home("Discover")),
    **{f"cloudfront:{k}": (CF_PARAMS, _cloudfront(v)) for k, v in CF_TYPES.items()},
    "kinesis:analytics": (
        {"data": ["r1", "r2"], "application": "app", "stream": "src"},
        _analytics(lambda raw: raw),
    ),
    "kinesis:analytics-dynamodb": (
        {"data": ["r1", "r2"], "application": "app", "stream": "src"},
        _analytics(lambda raw: raw),
    ),
    "kinesis:analytics-compressed": (
        {"data": ["r1", "r2"], "application": "app", "stream": "src"},
        _analytics(_gunzip),
    ),
    "kinesis:analytics-kpl": (
        {"data": ["r1", "r2"], "application": "app", "stream": "src"},
        _analytics(None),
    ),
    **{
        f"lex:{k}": (LEX_PARAMS, _lex(i))
        for k, i in (
            ("book-car", "BookCar"),
            ("book-hotel", "BookHotel"),
            ("make-appointment", "MakeAppointment"),
            ("order-flowers", "OrderFlowers"),
        )
    },
    **{
        f"lex-v2:{k}": (LEX2_PARAMS, _lex2(i))
        for k, i in (
            ("banking-bot", "CheckBalance"),
            ("book-car", "BookCar"),
            ("book-hotel", "BookHotel"),
        )
    },
    "batch:get-job": ({"job_id": "j-1"}, _is(lambda ev: ev == {"jobId": "j-1"})),
    "batch:submit-job": (
        {"job_name": "n", "job_queue": "q", "parameters": {"a": "b"}},
        _is(
            lambda ev: (
                (ev["jobName"], ev["jobQueue"].rsplit("/")[1], ev["parameters"])
                == ("n", "q", {"a": "b"})
            )
        ),
    ),
    "codecommit:repository": (
        {"repository": "repo", "branch": "dev", "custom_data": "cd"},
        _is(
            lambda ev: (
                (
                    ev["Records"][0]["codecommit"]["references"][0]["ref"],
                    ev["Records"][0]["eventSourceARN"].rsplit(":")[-1],
                    ev["Records"][0]["customData"],
                )
                == ("refs/heads/dev", "repo", "cd")
            )
        ),
    ),
    "cognito:sync-trigger": (
        {"dataset": "d", "records": {"k": "v"}},
        _is(lambda ev: (ev["datasetName"], ev["datasetRecords"]["k"]["newValue"]) == ("d", "v")),
    ),
    "sagemaker:ground-truth-pre-human": (
        {"labeling_job_name": "job", "source_ref": "s3://b/o.jpg"},
        _is(
            lambda ev: (
                (ev["labelingJobArn"].endswith("/job"), ev["dataObject"])
                == (True, {"source-ref": "s3://b/o.jpg"})
            )
        ),
    ),
    "sagemaker:ground-truth-annotation-consolidation": (
        {
            "labeling_job_name": "job",
            "label_attribute_name": "lab",
            "s3_output_path": "s3://out/p/",
        },
        _is(
            lambda ev: (
                ev["labelAttributeName"] == "lab"
                and ev["payload"]["s3Uri"].startswith("s3://out/p/job/annotations/")
                and ev["payload"]["s3Uri"].endswith(".json")
            )
        ),
    ),
    "stepfunctions:error": (
        {"error": "E", "cause": "C"},
        _is(lambda ev: ev == {"Error": "E", "Cause": "C"}),
    ),
    "workmail:email": (
        {"mail_from": "a@x", "recipients": ["b@x"], "flow_direction": "OUTBOUND"},
        _is(
            lambda ev: (
                (
                    ev["envelope"]["mailFrom"]["address"],
                    ev["envelope"]["recipients"],
                    ev["flowDirection"],
                )
                == ("a@x", [{"address": "b@x"}], "OUTBOUND")
            )
        ),
    ),
}


def test_cases_cover_the_no_model_list() -> None:
    assert set(CASES) == NO_MODEL


@pytest.mark.parametrize("name", sorted(CASES))
def test_parameters_land_where_the_service_puts_them(name: str) -> None:
    params, check = CASES[name]
    event = json.loads(json.dumps(events.generate(name, **params)))
    check(event)


@pytest.mark.parametrize("name", sorted(CASES))
def test_defaults_have_the_same_shape(name: str) -> None:
    default = events.generate(name, seed=3)
    custom = events.generate(name, seed=3, **CASES[name][0])
    assert set(default) == set(custom)
