"""Sample events for every AWS service that invokes Lambda functions.

Generate realistic, parameterised events, save test events per function (like the Lambda
console) and replay events from JSON-lines files::

    from lambda_magic import events
    events.names()                         # every template, e.g. "s3:put"
    events.describe("s3:put")              # parameters, defaults and description
    events.generate("s3:put", bucket="photos", key="cat 1.jpg")
    events.generate("sqs:receive-message", body=["a", "b"], seed=1)   # reproducible

From a shell: ``python -m lambda_magic.events s3:put --bucket photos --key cat.jpg``.
"""

from __future__ import annotations

from lambda_magic.events._catalog import (
    coerce_params,
    describe,
    generate,
    names,
    parameter_names,
    services,
)
from lambda_magic.events._errors import EventTemplateError, SavedEventError
from lambda_magic.events._registry import ParameterInfo, TemplateInfo
from lambda_magic.events._replay import read_jsonl, replay
from lambda_magic.events._saved import SavedEvents

__all__ = [
    "EventTemplateError",
    "ParameterInfo",
    "SavedEventError",
    "SavedEvents",
    "TemplateInfo",
    "coerce_params",
    "describe",
    "generate",
    "names",
    "parameter_names",
    "read_jsonl",
    "replay",
    "services",
]
