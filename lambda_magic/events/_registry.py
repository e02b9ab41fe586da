"""The template registry: one declaration per template drives generation, validation, help.

A template is a builder function registered with :func:`template`::

    @template("s3:put", "Amazon S3 notification for a new object", key="object key")
    def s3_put(g: Gen, *, bucket: str = "example-bucket", key: str = "test/key") -> Event:
        ...

Its keyword-only parameters (name, annotation string, default) are the template's parameters; the
descriptions come from the decorator, or from :data:`COMMON` for the usual ones (``region``...).
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lambda_magic.events._types import KINDS

__all__ = [
    "COMMON",
    "BadValue",
    "Event",
    "ParameterInfo",
    "TemplateInfo",
    "one_of",
    "template",
]

Event = dict[str, Any]
B = TypeVar("B", bound=Callable[..., Event])

COMMON: dict[str, str] = {
    "region": "AWS Region of the source",
    "account_id": "12-digit AWS account id of the source",
    "stage": "API stage name",
    "method": "HTTP method",
    "path": "request path",
    "headers": "request headers; a list value means a repeated header",
    "query": "query string parameters (a dict, a list value repeats a key) or a raw query string",
    "body": "request body; bytes are sent base64-encoded (isBase64Encoded)",
    "path_parameters": "path parameters",
    "source_ip": "client IP address",
    "bucket": "S3 bucket name",
    "key": "S3 object key (plain; the event carries it URL-encoded)",
    "size": "object size in bytes",
    "table": "DynamoDB table name",
    "stream": "stream name",
    "topic": "topic name",
    "user_pool_id": "Cognito user pool id",
    "username": "user name",
    "client_id": "app client id",
    "user_attributes": "user attributes",
    "client_metadata": "client metadata passed by the app",
    "uri": "request URI",
    "function_name": "name of the Lambda function",
    "application_id": "Alexa skill application id",
    "user_id": "Alexa user id",
    "session_id": "Alexa session id",
    "request_id": "Alexa request id",
    "locale": "locale of the request",
}


class BadValue(Exception):
    """Raised by a builder when a parameter has the right type but a wrong value."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(param, reason)
        self.param = param
        self.reason = reason


def one_of(param: str, value: str, allowed: Sequence[str], *, upper: bool = False) -> str:
    """``value`` if ``allowed`` holds it, else :class:`BadValue` listing ``allowed``.

    With ``upper`` the check and the result use ``value.upper()`` (HTTP methods); the message
    still quotes ``value`` as given.
    """
    checked = value.upper() if upper else value
    if checked not in allowed:
        raise BadValue(param, f"must be one of {', '.join(allowed)}, got {value!r}")
    return checked


@dataclass(frozen=True)
class ParameterInfo:
    """One template parameter: its name, type, default value and a one-line description."""

    name: str
    type: str
    default: Any
    description: str

    @property
    def cli_flag(self) -> str:
        """The command-line spelling, e.g. ``--account-id``."""
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class TemplateInfo:
    """A template's name, one-line description and parameters (see :func:`describe`)."""

    name: str
    description: str
    parameters: list[ParameterInfo]

    @property
    def service(self) -> str:
        """The service part of the name (``"s3"`` for ``"s3:put"``)."""
        return self.name.partition(":")[0]

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.description}"]
        if not self.parameters:
            lines.append("  (no parameters)")
        width = max((len(p.cli_flag) for p in self.parameters), default=0)
        for p in self.parameters:
            lines.append(f"  {p.cli_flag:<{width}}  {p.type}  (default {p.default!r})")
            lines.append(f"  {'':<{width}}  {p.description}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        params = ", ".join(p.name for p in self.parameters)
        return f"TemplateInfo({self.name!r}, parameters=[{params}])"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td><code>{esc(p.name)}</code></td><td><code>{esc(p.type)}</code></td>"
            f"<td><code>{esc(repr(p.default))}</code></td><td>{esc(p.description)}</td></tr>"
            for p in self.parameters
        )
        head = "<tr><th>parameter</th><th>type</th><th>default</th><th>description</th></tr>"
        table = f"<table>{head}{rows}</table>" if rows else "<p>(no parameters)</p>"
        title = f"<p><b><code>{esc(self.name)}</code></b>: {esc(self.description)}</p>"
        return f"<div>{title}{table}</div>"


@dataclass(frozen=True)
class _Template:
    info: TemplateInfo
    builder: Callable[..., Event]

    def param(self, name: str) -> ParameterInfo:
        return next(p for p in self.info.parameters if p.name == name)


_REGISTRY: dict[str, _Template] = {}
_RESERVED = frozenset({"seed", "indent", "help"})


def _parameters(
    name: str, builder: Callable[..., Event], docs: dict[str, str], hide: Iterable[str]
) -> list[ParameterInfo]:
    params: list[ParameterInfo] = []
    for index, p in enumerate(inspect.signature(builder).parameters.values()):
        if index == 0 or p.name in hide:
            continue  # the Gen, or a builder argument this template does not expose
        where = f"template {name!r} parameter {p.name!r}"
        if p.name in _RESERVED:
            raise TypeError(f"{where} clashes with a generator option")
        if p.kind is not p.KEYWORD_ONLY or p.default is p.empty:
            raise TypeError(f"{where} must be keyword-only with a default")
        if not isinstance(p.annotation, str) or p.annotation not in KINDS:
            raise TypeError(f"{where} has unsupported type {p.annotation!r}")
        if not KINDS[p.annotation].check(p.default):
            raise TypeError(f"{where} default {p.default!r} is not {KINDS[p.annotation].phrase}")
        description = docs.get(p.name) or COMMON.get(p.name)
        if not description:
            raise TypeError(f"{where} has no description")
        params.append(ParameterInfo(p.name, p.annotation, p.default, description))
    return params


def register(
    name: str,
    description: str,
    builder: Callable[..., Event],
    *,
    hide: Iterable[str] = (),
    **docs: str,
) -> None:
    """Add a template; raise ``TypeError`` on a malformed declaration (a programming error).

    ``hide`` names builder parameters the template does not expose (they keep their default).
    """
    service, sep, kind = name.partition(":")
    if not (sep and service and kind) or name != name.lower() or " " in name:
        raise TypeError(f"template name {name!r} must look like 'service:type'")
    if name in _REGISTRY:
        raise TypeError(f"template {name!r} is registered twice")
    info = TemplateInfo(name, description, _parameters(name, builder, docs, tuple(hide)))
    _REGISTRY[name] = _Template(info, builder)


def template(name: str, description: str, **docs: str) -> Callable[[B], B]:
    """Decorator form of :func:`register`."""

    def decorate(builder: B) -> B:
        register(name, description, builder, **docs)
        return builder

    return decorate
