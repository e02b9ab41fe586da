"""E-mail events: Amazon SES email receiving and Amazon WorkMail message flow rules."""

from __future__ import annotations

from typing import Any

from lambda_magic.events._encoding import partition_of
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import BadValue, Event, one_of, template

_DOCS = {
    "sender": "sender address",
    "recipients": "recipient addresses",
    "subject": "message subject",
    "spam": "spam verdict: PASS, FAIL, GRAY or PROCESSING_FAILED",
    "mail_from": "envelope MAIL FROM address",
    "flow_direction": "INBOUND or OUTBOUND",
}
_VERDICTS = ("PASS", "FAIL", "GRAY", "PROCESSING_FAILED")


@template("ses:email-receiving", "Amazon SES email receiving rule Lambda action", **_DOCS)
def ses_receiving(
    g: Gen,
    *,
    sender: str = "janedoe@example.com",
    recipients: list[str] = ["johndoe@example.com"],
    subject: str = "Test Subject",
    spam: str = "PASS",
    function_name: str = "ses-receiver",
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> Event:
    one_of("spam", spam, _VERDICTS)
    when = g.time()
    message_id = g.lower(40)
    mime_id = f"<{g.hex(24)}@example.com>"
    common = {
        "returnPath": sender,
        "from": [sender],
        "date": g.rfc2822(when),
        "to": recipients,
        "messageId": mime_id,
        "subject": subject,
    }
    arn = f"arn:{partition_of(region)}:lambda:{region}:{account_id}:function:{function_name}"
    mail = {
        "timestamp": g.iso_ms(when),
        "source": sender,
        "messageId": message_id,
        "destination": recipients,
        "headersTruncated": False,
        "headers": _mail_headers(common, message_id, region),
        "commonHeaders": common,
    }
    ses = {"mail": mail, "receipt": _receipt(g, recipients, spam, arn)}
    return {"Records": [{"eventSource": "aws:ses", "eventVersion": "1.0", "ses": ses}]}


def _receipt(g: Gen, recipients: list[str], spam: str, function_arn: str) -> dict[str, Any]:
    return {
        "timestamp": g.iso_ms(g.time(450)),
        "processingTimeMillis": 450,
        "recipients": recipients,
        "spamVerdict": {"status": spam},
        "virusVerdict": {"status": "PASS"},
        "spfVerdict": {"status": "PASS"},
        "dkimVerdict": {"status": "PASS"},
        "dmarcVerdict": {"status": "PASS"},
        "dmarcPolicy": "reject",
        "action": {"type": "Lambda", "functionArn": function_arn, "invocationType": "Event"},
    }


def _mail_headers(common: dict[str, Any], message_id: str, region: str) -> list[dict[str, str]]:
    sender = common["from"][0]
    return [
        {"name": "Return-Path", "value": f"<{sender}>"},
        {
            "name": "Received",
            "value": f"from mailer.example.com by inbound-smtp.{region}"
            f".amazonaws.com with SMTP id {message_id}",
        },
        {"name": "From", "value": sender},
        {"name": "Date", "value": common["date"]},
        {"name": "To", "value": ", ".join(common["to"])},
        {"name": "Message-ID", "value": common["messageId"]},
        {"name": "Subject", "value": common["subject"]},
        {"name": "MIME-Version", "value": "1.0"},
        {"name": "Content-Type", "value": "text/plain; charset=UTF-8"},
    ]


@template(
    "workmail:email", "Amazon WorkMail message flow rule (synchronous or asynchronous)", **_DOCS
)
def workmail(
    g: Gen,
    *,
    mail_from: str = "from@example.com",
    sender: str = "sender@example.com",
    recipients: list[str] = ["recipient1@example.com", "recipient2@example.com"],
    subject: str = "Hello From Amazon WorkMail!",
    flow_direction: str = "INBOUND",
) -> Event:
    if flow_direction not in ("INBOUND", "OUTBOUND"):
        raise BadValue("flow_direction", f"must be INBOUND or OUTBOUND, got {flow_direction!r}")
    return {
        "summaryVersion": "2018-10-10",
        "envelope": {
            "mailFrom": {"address": mail_from},
            "recipients": [{"address": r} for r in recipients],
        },
        "sender": {"address": sender},
        "subject": subject,
        "messageId": g.uuid(),
        "invocationId": g.hex(32),
        "flowDirection": flow_direction,
        "truncated": False,
    }
