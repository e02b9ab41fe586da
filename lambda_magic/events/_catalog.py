"""The catalog of templates: finding, describing and generating events by name.

Importing this module imports every template module (each registers itself with
:mod:`lambda_magic.events._registry`), so the catalog is complete before any lookup.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import lambda_magic.events.templates  # noqa: F401  (registers every template)
from lambda_magic.events._errors import EventTemplateError, did_you_mean
from lambda_magic.events._gen import Gen
from lambda_magic.events._registry import _REGISTRY, BadValue, Event, TemplateInfo, _Template
from lambda_magic.events._types import KINDS, CoerceError, type_name


def _loaded() -> dict[str, _Template]:
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
