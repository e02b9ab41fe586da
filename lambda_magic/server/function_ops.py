"""The functions themselves: ListFunctions, GetFunction, GetFunctionConfiguration,
CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction, and reserved
concurrency (Put/Get/DeleteFunctionConcurrency).

A function created here is a notebook function like any other (``%lambda_status`` and
``%lambda_function`` find it; it stays until DeleteFunction); every live function of the
process is listed, the newest of each name. Code comes as a zip (``ZipFile``): the handler's
file and its modules. State is ``Active`` and LastUpdateStatus ``Successful`` as soon as the
call returns (the package is written and checked before), so boto3's waiters return at once;
CreateFunction's own answer says ``Pending``, as Lambda's does.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from lambda_magic.api import code, live
from lambda_magic.api.function import LambdaFunction
from lambda_magic.api.versions import Version
from lambda_magic.server import names, shapes
from lambda_magic.server.errors import ApiError, invalid
from lambda_magic.server.http import Response
from lambda_magic.server.routes import Context, json_response

#: ``FunctionConfiguration`` fields a request may set, and the configuration field of each.
SCALARS = {"Handler": "handler", "Runtime": "runtime", "MemorySize": "memory_size",
           "Timeout": "timeout"}  # fmt: skip
DEFAULT_PAGE = 50


def _named(ctx: Context, qualified: bool = True) -> names.Named:
    ctx.call.function = ctx.params["FunctionName"]
    named = names.resolve(ctx.params["FunctionName"], ctx.query("Qualifier") if qualified else None)
    ctx.call.function, ctx.call.qualifier = named.function.name, named.qualifier
    return named


def _version(named: names.Named) -> Version | None:
    """The version a qualifier names (an alias: its version), or None for ``$LATEST``."""
    q = named.qualifier
    fn = named.function
    if q is None or q == "$LATEST":
        return None
    if q in fn.versions.aliases:
        q = fn.versions.aliases[q].version
        if q == "$LATEST":
            return None
    if q not in fn.versions:
        raise names.function_not_found(named.arn)
    return fn.versions[q]


def config_changes(body: dict[str, Any]) -> dict[str, Any]:
    """The configuration fields a CreateFunction or UpdateFunctionConfiguration body sets."""
    changes = {field: body[key] for key, field in SCALARS.items() if key in body}
    if "Environment" in body:
        variables = (body["Environment"] or {}).get("Variables") or {}
        changes["environment"] = dict(variables)
    if "EphemeralStorage" in body:
        changes["ephemeral_storage"] = (body["EphemeralStorage"] or {}).get("Size")
    logging = body.get("LoggingConfig")
    if logging:
        for key, field in (("LogFormat", "log_format"), ("ApplicationLogLevel", "log_level"),
                           ("SystemLogLevel", "system_log_level"), ("LogGroup", "log_group")):  # fmt: skip
            if key in logging:
                changes[field] = logging[key]
    return changes


def _files(body: dict[str, Any]) -> tuple[dict[str, bytes], bytes]:
    """The files of the uploaded zip (``ZipFile``, base64), and the zip."""
    unsupported = [k for k in ("S3Bucket", "S3Key", "ImageUri") if body.get(k)]
    if unsupported:
        raise invalid(
            f"{', '.join(unsupported)}: only ZipFile uploads are served here "
            "(there is no S3 or container registry)"
        )
    raw = body.get("ZipFile")
    if not isinstance(raw, str) or not raw:
        raise invalid("Code must include ZipFile: the deployment package, a zip, base64-encoded")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("ZipFile must be base64-encoded") from None
    return code.unzip(data), data


def list_functions(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/``: one entry per function (and per version with
    ``FunctionVersion=ALL``), paged with Marker and MaxItems."""
    entries: list[dict[str, Any]] = []
    every_version = ctx.query("FunctionVersion") == "ALL"
    for fn in live.named():
        entries.append(shapes.configuration(fn))
        if every_version:
            entries += [shapes.configuration(fn, fn.versions[v]) for v in fn.versions]
    return json_response(200, page(ctx, entries, "Functions"))


def page(ctx: Context, entries: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """A page of ``entries`` (``Marker``: the index where the page starts)."""
    raw_max, marker = ctx.query("MaxItems"), ctx.query("Marker") or "0"
    if not marker.isdigit():
        raise invalid(f"Marker {marker!r} is not one this server gave")
    size = int(raw_max) if raw_max and raw_max.isdigit() else DEFAULT_PAGE
    if not 1 <= size <= 10000:
        raise invalid("MaxItems must be from 1 to 10000")
    start = int(marker)
    out: dict[str, Any] = {key: entries[start : start + size]}
    if start + size < len(entries):
        out["NextMarker"] = str(start + size)
    return out


def get_function(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/{FunctionName}``."""
    named = _named(ctx)
    fn = named.function
    shape: dict[str, Any] = {
        "Configuration": shapes.configuration(fn, _version(named)),
        "Code": {"RepositoryType": "S3"},
        "Tags": {},
    }
    if fn.config.reserved_concurrency is not None:
        shape["Concurrency"] = {"ReservedConcurrentExecutions": fn.config.reserved_concurrency}
    return json_response(200, shape)


def get_function_configuration(ctx: Context) -> Response:
    """``GET /2015-03-31/functions/{FunctionName}/configuration``."""
    named = _named(ctx)
    return json_response(200, shapes.configuration(named.function, _version(named)))


def create_function(ctx: Context) -> Response:
    """``POST /2015-03-31/functions``: a new function from a zip."""
    body = ctx.json()
    name = body.get("FunctionName")
    if not isinstance(name, str):
        raise invalid("FunctionName is required")
    parts, _ = names.parse(name)
    name = str(parts["name"])
    ctx.call.function = name
    if live.find(name) is not None:
        raise ApiError("ResourceConflictException", f"Function already exist: {name}")
    if body.get("PackageType", "Zip") != "Zip":
        raise invalid("PackageType must be Zip: container images are not served here")
    files, data = _files(body.get("Code") or {})
    changes = config_changes(body)
    main = "lambda_function.py"
    source = files.pop(main, b"").decode("utf-8", "replace")
    fn = LambdaFunction(name, code=source, files=files, **changes)
    fn.description = str(body.get("Description") or "")
    fn.role = body.get("Role") or None
    code.record_upload(fn, data)
    live.keep(fn)
    shape = _publish_or_latest(fn, bool(body.get("Publish")))
    shape.update(State="Pending", StateReason="The function is being created.",
                 StateReasonCode="Creating")  # fmt: skip
    return json_response(201, shape)


def _publish_or_latest(fn: LambdaFunction, publish: bool) -> dict[str, Any]:
    if publish:
        return shapes.configuration(fn, fn.publish_version())
    return shapes.configuration(fn)


def _check_revision(fn: LambdaFunction, body: dict[str, Any]) -> None:
    wanted = body.get("RevisionId")
    if wanted and wanted != shapes.revision_id(fn):
        raise ApiError(
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the "
            "GetFunction/GetAlias API to retrieve the latest Revision Id",
        )


def update_function_code(ctx: Context) -> Response:
    """``PUT /2015-03-31/functions/{FunctionName}/code``: the package is replaced."""
    fn = _named(ctx, qualified=False).function
    body = ctx.json()
    _check_revision(fn, body)
    files, data = _files(body)
    if not body.get("DryRun"):
        fn.update_code(files=files, replace=True)
        code.record_upload(fn, data)
    shape = _publish_or_latest(fn, bool(body.get("Publish")))
    shape["LastUpdateStatus"] = "InProgress"
    return json_response(200, shape)


def update_function_configuration(ctx: Context) -> Response:
    """``PUT /2015-03-31/functions/{FunctionName}/configuration``."""
    fn = _named(ctx, qualified=False).function
    body = ctx.json()
    _check_revision(fn, body)
    fn.update_config(**config_changes(body))
    if "Description" in body:
        fn.description = str(body["Description"] or "")
    if "Role" in body:
        fn.role = body["Role"] or None
    shape = shapes.configuration(fn)
    shape["LastUpdateStatus"] = "InProgress"
    return json_response(200, shape)


def delete_function(ctx: Context) -> Response:
    """``DELETE /2015-03-31/functions/{FunctionName}``: the function (its environments shut
    down, its name free), or one version with ``Qualifier``."""
    named = _named(ctx)
    fn = named.function
    if named.qualifier is not None:
        fn.versions.delete_version(named.qualifier)
        return Response(200)
    fn.shutdown()
    live.forget(fn)
    return Response(200)


def put_function_concurrency(ctx: Context) -> Response:
    """``PUT /2017-10-31/functions/{FunctionName}/concurrency``."""
    fn = _named(ctx, qualified=False).function
    value = ctx.json().get("ReservedConcurrentExecutions")
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid("ReservedConcurrentExecutions must be a whole number")
    fn.update_config(reserved_concurrency=value)
    return json_response(200, {"ReservedConcurrentExecutions": value})


def get_function_concurrency(ctx: Context) -> Response:
    """``GET /2019-09-30/functions/{FunctionName}/concurrency``."""
    fn = _named(ctx, qualified=False).function
    value = fn.config.reserved_concurrency
    return json_response(200, {} if value is None else {"ReservedConcurrentExecutions": value})


def delete_function_concurrency(ctx: Context) -> Response:
    """``DELETE /2017-10-31/functions/{FunctionName}/concurrency``."""
    fn = _named(ctx, qualified=False).function
    fn.update_config(reserved_concurrency=None)
    return Response(204)
