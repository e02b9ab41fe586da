"""Amazon Lex (V1) code hook events and Amazon Lex V2 code hook events."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import Event, one_of, register

_DOCS = {
    "slots": "slot values (slot name to value; None for a slot not filled yet)",
    "invocation_source": "DialogCodeHook or FulfillmentCodeHook",
    "input_transcript": "what the user said or typed",
    "user_id": "user id of the conversation; empty for a fresh one",
    "session_attributes": "session attributes",
    "intent_state": "intent state (Lex V2): InProgress, ReadyForFulfillment, Fulfilled...",
}
_SOURCES = ("DialogCodeHook", "FulfillmentCodeHook")

_V1: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "book-car": (
        "BookTrip",
        "BookCar",
        "Book a car in Chicago",
        {
            "PickUpCity": "Chicago",
            "PickUpDate": "2030-11-08",
            "ReturnDate": "2030-11-10",
            "DriverAge": "32",
            "CarType": "economy",
        },
    ),
    "book-hotel": (
        "BookTrip",
        "BookHotel",
        "Book a hotel in New York",
        {"Location": "New York", "CheckInDate": "2030-11-08", "Nights": "4", "RoomType": "queen"},
    ),
    "make-appointment": (
        "MakeAppointment",
        "MakeAppointment",
        "Book a root canal on Tuesday",
        {"AppointmentType": "root canal", "Date": "2030-11-08", "Time": None},
    ),
    "order-flowers": (
        "OrderFlowers",
        "OrderFlowers",
        "I would like to order roses",
        {"FlowerType": "roses", "PickupDate": "2030-11-08", "PickupTime": None},
    ),
}


def _register_v1(
    kind: str, bot: str, intent: str, transcript: str, default_slots: dict[str, Any]
) -> None:
    def build(
        g: Gen,
        *,
        slots: dict[str, Any] = default_slots,
        invocation_source: str = "DialogCodeHook",
        input_transcript: str = transcript,
        session_attributes: dict[str, str] = {},
        user_id: str = "",
    ) -> Event:
        return {
            "messageVersion": "1.0",
            "invocationSource": one_of("invocation_source", invocation_source, _SOURCES),
            "userId": user_id or g.lower(20),
            "sessionAttributes": session_attributes,
            "requestAttributes": None,
            "bot": {"name": bot, "alias": "$LATEST", "version": "$LATEST"},
            "outputDialogMode": "Text",
            "currentIntent": {
                "name": intent,
                "slots": slots,
                "slotDetails": {
                    k: {"resolutions": [] if v is None else [{"value": v}], "originalValue": v}
                    for k, v in slots.items()
                },
                "confirmationStatus": "None",
                "nluIntentConfidenceScore": 0.92,
            },
            "alternativeIntents": [],
            "inputTranscript": input_transcript,
            "recentIntentSummaryView": None,
            "sentimentResponse": None,
        }

    register(f"lex:{kind}", f"Amazon Lex V1 {bot} bot, {intent} intent code hook", build, **_DOCS)


for _kind, (_bot, _intent, _text, _slots) in _V1.items():
    _register_v1(_kind, _bot, _intent, _text, _slots)


_V2: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "banking-bot": (
        "BankingBot",
        "CheckBalance",
        "What is my checking balance",
        {"accountType": "checking", "dateOfBirth": None},
    ),
    "book-car": (
        "BookTrip",
        "BookCar",
        "Book a car in Chicago",
        {
            "PickUpCity": "Chicago",
            "PickUpDate": "2030-11-08",
            "ReturnDate": "2030-11-10",
            "DriverAge": "32",
            "CarType": None,
        },
    ),
    "book-hotel": (
        "BookTrip",
        "BookHotel",
        "Book a hotel in New York",
        {"Location": "New York", "CheckInDate": "2030-11-08", "Nights": "4", "RoomType": None},
    ),
}


def _v2_slots(slots: dict[str, Any]) -> dict[str, Any]:
    return {
        name: None
        if value is None
        else {
            "shape": "Scalar",
            "value": {"originalValue": value, "interpretedValue": value, "resolvedValues": [value]},
        }
        for name, value in slots.items()
    }


def _register_v2(
    kind: str, bot: str, intent: str, transcript: str, default_slots: dict[str, Any]
) -> None:
    def build(
        g: Gen,
        *,
        slots: dict[str, Any] = default_slots,
        invocation_source: str = "DialogCodeHook",
        input_transcript: str = transcript,
        intent_state: str = "InProgress",
        session_attributes: dict[str, str] = {},
        locale: str = "en_US",
        user_id: str = "",
    ) -> Event:
        intent_doc = {
            "name": intent,
            "slots": _v2_slots(slots),
            "state": intent_state,
            "confirmationState": "None",
        }
        return _v2_event(
            g,
            bot,
            locale,
            intent_doc,
            source=one_of("invocation_source", invocation_source, _SOURCES),
            transcript=input_transcript,
            user_id=user_id,
            session_attributes=session_attributes,
        )

    register(
        f"lex-v2:{kind}", f"Amazon Lex V2 {bot} bot, {intent} intent code hook", build, **_DOCS
    )


def _v2_event(
    g: Gen,
    bot: str,
    locale: str,
    intent_doc: dict[str, Any],
    *,
    source: str,
    transcript: str,
    user_id: str,
    session_attributes: dict[str, str],
) -> Event:
    bot_id, request_id = g.upper(10), g.uuid()
    fallback = {
        "name": "FallbackIntent",
        "slots": {},
        "state": "InProgress",
        "confirmationState": "None",
    }
    return {
        "messageVersion": "1.0",
        "invocationSource": source,
        "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8",
        "sessionId": user_id or g.digits(15),
        "inputTranscript": transcript,
        "bot": {
            "id": bot_id,
            "name": bot,
            "aliasId": "TSTALIASID",
            "aliasName": "TestBotAlias",
            "localeId": locale,
            "version": "DRAFT",
        },
        "interpretations": [
            {"intent": intent_doc, "nluConfidence": 0.92},
            {"intent": fallback},
        ],
        "requestAttributes": {},
        "sessionState": {
            "sessionAttributes": session_attributes,
            "activeContexts": [],
            "intent": intent_doc,
            "originatingRequestId": request_id,
        },
        "transcriptions": [{"transcription": transcript, "transcriptionConfidence": 1.0}],
    }


for _kind, (_bot, _intent, _text, _slots) in _V2.items():
    _register_v2(_kind, _bot, _intent, _text, _slots)
