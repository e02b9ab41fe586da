"""The template registry: one declaration per template drives generation, validation, help.

A template is a builder function registered with :func:`template`::

    @template("s3:put", "Amazon S3 notification for a new object", key="object key")
    def s3_put(g: Gen, *, bucket: str = "example-bucket", key: str = "test/key") -> Event:
        ...

Its keyword-only parameters (name, annotation string, default) are the template's parameters; the
descriptions come from the decorator, or from :data:`COMMON` for the usual ones (``region``...).
"""

from __future__ import annotations

import copy
import html
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lambda_magic.events._errors import EventTemplateError, did_you_mean
from lambda_magic.events._gen import Gen
from lambda_magic.events._types import KINDS, CoerceError, type_name

__all__ = [
    "COMMON",
    "BadValue",
    "Event",
    "ParameterInfo",
    "TemplateInfo",
    "coerce_params",
    "describe",
    "generate",
    "names",
    "one_of",
    "parameter_names",
    "services",
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
_LOADED: list[bool] = []


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


def _loaded() -> dict[str, _Template]:
    if not _LOADED:
        import lambda_magic.events.templates  # noqa: F401  (registers every template)

        _LOADED.append(True)
    return _REGISTRY


def _lookup(name: Any) -> _Template:
    registry = _loaded()
    if not isinstance(name, str):
        raise EventTemplateError(f"template name must be a str, got {type_name(name)}")
    found = registry.get(name.strip().lower().replace(" ", ":"))
    if found is not None:
        return found
    service = name.partition(":")[0]
    same = sorted(n for n in registry if n.partition(":")[0] == service)
    if same:
        listing = f"templates of {service}: {', '.join(same)}"
    else:
        listing = f"services: {', '.join(services())}"
    hint = did_you_mean(name, registry)
    raise EventTemplateError(f"unknown event template {name!r}{hint}; {listing}")


def names(service: str | None = None) -> list[str]:
    """Every template name (``"service:type"``), sorted; only one service's if given."""
    all_names = sorted(_loaded())
    if service is None:
        return all_names
    selected = [n for n in all_names if n.partition(":")[0] == service]
    if not selected:
        raise EventTemplateError(
            f"unknown service {service!r}{did_you_mean(service, services())}; "
            f"services: {', '.join(services())}"
        )
    return selected


def services() -> list[str]:
    """Every service that has at least one template, sorted."""
    return sorted({n.partition(":")[0] for n in _loaded()})


def describe(name: str) -> TemplateInfo:
    """A template's description and parameters (with types and defaults)."""
    return _lookup(name).info


def parameter_names(name: str) -> list[str]:
    """The parameter names of a template, in declaration order."""
    return [p.name for p in _lookup(name).info.parameters]


def _check_name(tpl: _Template, param: str) -> None:
    valid = [p.name for p in tpl.info.parameters]
    if param not in valid:
        listing = ", ".join(valid) if valid else "(none)"
        raise EventTemplateError(
            f"unknown parameter {param!r} for {tpl.info.name}{did_you_mean(param, valid)}; "
            f"valid parameters: {listing}"
        )


def generate(name: str, *, seed: int | None = None, **params: Any) -> Event:
    """Build a fresh event from a template.

    Parameters
    ----------
    name
        Template name, e.g. ``"s3:put"`` (see :func:`names`).
    seed
        Make ids and timestamps reproducible: the same seed and parameters give identical JSON.
    **params
        Template parameters (see :func:`describe`); the others keep their defaults.

    Returns
    -------
    dict
        A JSON-serialisable event.

    Raises
    ------
    EventTemplateError
        For an unknown template or parameter, or a parameter of the wrong type or value.
    """
    tpl = _lookup(name)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise EventTemplateError(f"seed must be an int or None, got {type_name(seed)}")
    values = {p.name: copy.deepcopy(p.default) for p in tpl.info.parameters}
    for key, value in params.items():
        _check_name(tpl, key)
        kind = KINDS[tpl.param(key).type]
        if not kind.check(value):
            raise EventTemplateError(
                f"parameter {key!r} of {tpl.info.name} must be "
                f"{kind.phrase}, got {type_name(value)}"
            )
        values[key] = copy.deepcopy(value)
    try:
        return tpl.builder(Gen(seed), **values)
    except BadValue as exc:
        raise EventTemplateError(
            f"parameter {exc.param!r} of {tpl.info.name} {exc.reason}"
        ) from None


def coerce_params(name: str, raw: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
    """Turn command-line strings into typed parameter values for :func:`generate`.

    Parameters
    ----------
    name
        Template name.
    raw
        Parameter name (``account-id`` or ``account_id``) to its string value, or to a list of
        strings when the option was repeated. Ints, floats and bools are parsed; lists come from
        repeated values or a JSON array; dicts from a JSON object or ``KEY=VALUE`` pairs.

    Returns
    -------
    dict
        Keyword arguments for :func:`generate`.
    """
    tpl = _lookup(name)
    result: dict[str, Any] = {}
    for raw_key, raw_value in raw.items():
        key = raw_key.strip().lstrip("-").replace("-", "_")
        _check_name(tpl, key)
        values = [raw_value] if isinstance(raw_value, str) else list(raw_value)
        kind = KINDS[tpl.param(key).type]
        try:
            result[key] = kind.coerce(key, values)
        except CoerceError as exc:
            raise EventTemplateError(f"parameter {key!r} of {tpl.info.name} {exc}") from None
    return result
