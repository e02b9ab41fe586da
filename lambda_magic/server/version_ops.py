"""Versions, aliases, provisioned concurrency and asynchronous invocation settings:
PublishVersion, ListVersionsByFunction, CreateAlias, GetAlias, UpdateAlias, DeleteAlias,
ListAliases, Put/Get/DeleteProvisionedConcurrencyConfig, ListProvisionedConcurrencyConfigs,
Put/Get/Update/DeleteFunctionEventInvokeConfig."""

from __future__ import annotations

import time
import weakref
from typing import Any

from lambda_magic.api import code, live
from lambda_magic.api.function import LambdaFunction
from lambda_magic.server import function_ops, names, shapes
from lambda_magic.server.errors import ApiError, invalid
from lambda_magic.server.http import Response
from lambda_magic.server.routes import Context, json_response

_named = function_ops._named


def publish_version(ctx: Context) -> Response:
    """``POST /2015-03-31/functions/{FunctionName}/versions``."""
    fn = _named(ctx, qualified=False).function
    body = ctx.json()
    function_ops._check_revision(fn, body)
    wanted = body.get("CodeSha256")
    current = code.digest_of(fn)[0]
    if wanted and wanted != current:
        raise invalid(
            f"CodeSHA256 ({wanted}) is different from current CodeSHA256 in $LATEST "
            f"({current}). Please try again"
        )
    version = fn.publish_version(str(body.get("Description") or ""))
    return json_response(201, shapes.configuration(fn, version))


def list_versions(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/{FunctionName}/versions``: ``$LATEST`` then each version."""
    fn = _named(ctx, qualified=False).function
    entries = [shapes.configuration(fn)]
    entries += [shapes.configuration(fn, fn.versions[v]) for v in fn.versions]
    return json_response(200, function_ops.page(ctx, entries, "Versions"))


def _routing(body: dict[str, Any]) -> dict[str, float] | None:
    config = body.get("RoutingConfig")
    if config is None:
        return None
    weights = (config or {}).get("AdditionalVersionWeights") or {}
    if not isinstance(weights, dict):
        raise invalid("AdditionalVersionWeights must map a version to a weight")
    return dict(weights)


def create_alias(ctx: Context) -> Response:
    """``POST /2015-03-31/functions/{FunctionName}/aliases``."""
    fn = _named(ctx, qualified=False).function
    body = ctx.json()
    name, version = body.get("Name"), body.get("FunctionVersion")
    if not isinstance(name, str) or not isinstance(version, str):
        raise invalid("Name and FunctionVersion are required")
    alias = fn.create_alias(name, version, _routing(body), str(body.get("Description") or ""))
    return json_response(201, shapes.alias_configuration(fn, alias))


def get_alias(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/{FunctionName}/aliases/{Name}``."""
    fn = _named(ctx, qualified=False).function
    return json_response(200, shapes.alias_configuration(fn, fn.versions.alias(ctx.params["Name"])))


def update_alias(ctx: Context) -> Response:
    """``PUT /2015-03-31/functions/{FunctionName}/aliases/{Name}``."""
    fn = _named(ctx, qualified=False).function
    body = ctx.json()
    old = fn.versions.alias(ctx.params["Name"])
    wanted = body.get("RevisionId")
    if wanted and wanted != old.revision_id:
        raise ApiError(
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the "
            "GetFunction/GetAlias API to retrieve the latest Revision Id",
        )
    alias = fn.versions.update_alias(
        old.name, body.get("FunctionVersion"), _routing(body), body.get("Description")
    )
    return json_response(200, shapes.alias_configuration(fn, alias))


def delete_alias(ctx: Context) -> Response:
    """``DELETE /2015-03-31/functions/{FunctionName}/aliases/{Name}``."""
    fn = _named(ctx, qualified=False).function
    fn.versions.delete_alias(ctx.params["Name"])
    return Response(204)


def list_aliases(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/{FunctionName}/aliases`` (``FunctionVersion`` filters)."""
    fn = _named(ctx, qualified=False).function
    only = ctx.query("FunctionVersion")
    entries = [
        shapes.alias_configuration(fn, a)
        for a in fn.versions.aliases.values()
        if only is None or a.version == only
    ]
    return json_response(200, function_ops.page(ctx, entries, "Aliases"))


# -- provisioned concurrency -----------------------------------------------------------------------
_PC_MODIFIED: weakref.WeakKeyDictionary[LambdaFunction, dict[str, float]] = (
    weakref.WeakKeyDictionary()
)


def _pc_shape(fn: LambdaFunction, qualifier: str) -> dict[str, Any]:
    requested = fn.versions.provisioned[qualifier]
    wanted = fn.versions.wanted()
    numbers = [qualifier]
    alias = fn.versions.aliases.get(qualifier)
    if alias is not None:
        numbers = [alias.version, *alias.routing]
    ready = sum(
        min(wanted.get(n, 0), len(fn.pool.provisioned(fn.versions.revision(n))))
        for n in numbers
        if n in fn.versions
    )
    modified = _PC_MODIFIED.get(fn, {}).get(qualifier, time.time())
    return {
        "RequestedProvisionedConcurrentExecutions": requested,
        "AvailableProvisionedConcurrentExecutions": ready,
        "AllocatedProvisionedConcurrentExecutions": ready,
        "Status": "READY" if ready >= requested else "IN_PROGRESS",
        "LastModified": shapes.timestamp(modified),
    }


def _qualifier(ctx: Context) -> tuple[LambdaFunction, str]:
    named = _named(ctx)
    if named.qualifier is None:
        raise invalid("Qualifier is required: a version or an alias")
    return named.function, named.qualifier


def put_provisioned(ctx: Context) -> Response:
    """``PUT /2019-09-30/functions/{FunctionName}/provisioned-concurrency``: the environments
    are initialized before the answer (Status ``READY``)."""
    fn, qualifier = _qualifier(ctx)
    count = ctx.json().get("ProvisionedConcurrentExecutions")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise invalid("ProvisionedConcurrentExecutions must be a whole number of at least 1")
    fn.versions.set_provisioned(qualifier, count)
    _PC_MODIFIED.setdefault(fn, {})[qualifier] = time.time()
    return json_response(202, _pc_shape(fn, qualifier))


def get_provisioned(ctx: Context) -> Response:
    """``GET /2019-09-30/functions/{FunctionName}/provisioned-concurrency``."""
    fn, qualifier = _qualifier(ctx)
    if qualifier not in fn.versions.provisioned:
        raise ApiError(
            "ProvisionedConcurrencyConfigNotFoundException",
            f"No Provisioned Concurrency Config found for this function: "
            f"{fn.config.function_arn}:{qualifier}",
        )
    return json_response(200, _pc_shape(fn, qualifier))


def get_provisioned_or_list(ctx: Context) -> Response:
    """GET on ``provisioned-concurrency``: every configuration with ``List=ALL``
    (ListProvisionedConcurrencyConfigs), else the qualifier's."""
    return list_provisioned(ctx) if ctx.query("List") == "ALL" else get_provisioned(ctx)


def delete_provisioned(ctx: Context) -> Response:
    """``DELETE /2019-09-30/functions/{FunctionName}/provisioned-concurrency``."""
    fn, qualifier = _qualifier(ctx)
    fn.versions.set_provisioned(qualifier, 0)
    return Response(204)


def list_provisioned(ctx: Context) -> Response:
    """``GET /2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL``."""
    fn = _named(ctx, qualified=False).function
    entries = [
        {"FunctionArn": f"{fn.config.function_arn}:{q}", **_pc_shape(fn, q)}
        for q in sorted(fn.versions.provisioned)
    ]
    return json_response(200, function_ops.page(ctx, entries, "ProvisionedConcurrencyConfigs"))


# -- asynchronous invocation ---------------------------------------------------------------------
_EVENT_CONFIGS: weakref.WeakKeyDictionary[LambdaFunction, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)


def _destination(arn: str | None) -> Any:
    """A destination: a Lambda function's ARN invokes that function (Event) with the record;
    any other ARN (SQS, SNS, EventBridge) collects the records in a list."""
    if not arn:
        return None
    if ":function:" in arn:
        name = arn.split(":function:", 1)[1]

        def send(record: Any, name: str = name) -> None:
            parts, qualifier = names.parse(name)
            target = live.find(str(parts["name"]))
            if target is not None:
                target.invoke(record, invocation_type="Event", qualifier=qualifier)

        return send
    return []


def _event_shape(fn: LambdaFunction, data: dict[str, Any]) -> dict[str, Any]:
    shape = {"FunctionArn": f"{fn.config.function_arn}:$LATEST", **data}
    shape["LastModified"] = data["LastModified"]
    return shape


def put_event_config(ctx: Context, merge: bool = False) -> Response:
    """``PUT /2019-09-25/functions/{FunctionName}/event-invoke-config`` (``POST``: update)."""
    named = _named(ctx)
    fn = named.function
    if named.qualifier not in (None, "$LATEST"):
        raise invalid("event invoke configuration is served for the unqualified function only")
    body = ctx.json()
    old = _EVENT_CONFIGS.get(fn) if merge else None
    if merge and old is None:
        raise _no_event_config(fn)
    data: dict[str, Any] = dict(old or {})
    for key in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"):
        if key in body:
            data[key] = body[key]
    destinations = data.get("DestinationConfig") or {}
    changes: dict[str, Any] = {
        "maximum_retry_attempts": data.get("MaximumRetryAttempts", 2),
        "maximum_event_age": data.get("MaximumEventAgeInSeconds", 21600),
        "on_success": _destination((destinations.get("OnSuccess") or {}).get("Destination")),
        "on_failure": _destination((destinations.get("OnFailure") or {}).get("Destination")),
    }
    fn.configure_async(**changes)
    data["LastModified"] = time.time()
    _EVENT_CONFIGS[fn] = data
    return json_response(200, _event_shape(fn, data))


def update_event_config(ctx: Context) -> Response:
    """``POST /2019-09-25/functions/{FunctionName}/event-invoke-config``."""
    return put_event_config(ctx, merge=True)


def _no_event_config(fn: LambdaFunction) -> ApiError:
    return ApiError(
        "ResourceNotFoundException",
        f"The function {fn.config.function_arn} doesn't have an EventInvokeConfig",
    )


def get_event_config(ctx: Context) -> Response:
    """``GET /2019-09-25/functions/{FunctionName}/event-invoke-config``."""
    fn = _named(ctx).function
    data = _EVENT_CONFIGS.get(fn)
    if data is None:
        raise _no_event_config(fn)
    return json_response(200, _event_shape(fn, data))


def delete_event_config(ctx: Context) -> Response:
    """``DELETE /2019-09-25/functions/{FunctionName}/event-invoke-config``."""
    fn = _named(ctx).function
    if _EVENT_CONFIGS.pop(fn, None) is None:
        raise _no_event_config(fn)
    fn.configure_async(maximum_retry_attempts=2, maximum_event_age=21600, on_success=None,
                       on_failure=None)  # fmt: skip
    return Response(204)
