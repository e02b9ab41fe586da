"""The response shapes of Lambda's control plane, with the members of botocore's model:
``FunctionConfiguration`` (of ``$LATEST`` or of a version) and ``AliasConfiguration``."""

from __future__ import annotations

import platform
import time
import uuid
from typing import Any

from lambda_magic.api import code
from lambda_magic.api.function import LambdaFunction
from lambda_magic.api.versions import Alias, Version

#: The role a function has when none was given (notebook functions have none).
DEFAULT_ROLE = "arn:aws:iam::{account}:role/lambda-magic-local"
_ARCH = "arm64" if platform.machine().lower() in ("arm64", "aarch64") else "x86_64"


def timestamp(when: float) -> str:
    """Lambda's ``LastModified``: ``2026-11-30T10:00:00.000+0000``."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when))
    return f"{stamp}.{int(when * 1000) % 1000:03d}+0000"


def revision_id(fn: LambdaFunction, version: Version | None = None) -> str:
    """``RevisionId``: changes with every update of ``$LATEST``; fixed for a version."""
    if version is not None:
        return version.revision_id
    key = f"{fn.config.function_arn}/{id(fn)}/{fn.revision}/{fn.last_modified}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def role_of(fn: LambdaFunction) -> str:
    """The function's execution role (``Role``)."""
    return fn.role or DEFAULT_ROLE.format(account=fn.config.account_id)


def configuration(fn: LambdaFunction, version: Version | None = None) -> dict[str, Any]:
    """``FunctionConfiguration`` of ``$LATEST`` (``version`` None) or of a published version."""
    if version is None:
        cfg = fn.config
        sha, size = code.digest_of(fn)
        description, modified, arn = fn.description, fn.last_modified, cfg.function_arn
    else:
        cfg, sha, size = version.config, version.code_sha256, version.code_size
        description, modified = version.description, version.last_modified
        arn = f"{cfg.function_arn}:{version.number}"
    logging: dict[str, Any] = {"LogFormat": cfg.log_format, "LogGroup": cfg.log_group_name}
    if cfg.log_format == "JSON":
        logging["ApplicationLogLevel"] = cfg.log_level or "INFO"
        logging["SystemLogLevel"] = cfg.system_log_level or "INFO"
    digest = (fn.runtime if version is None else version.runtime).version_digest
    return {
        "FunctionName": cfg.name,
        "FunctionArn": arn,
        "Runtime": cfg.runtime,
        "Role": role_of(fn),
        "Handler": cfg.handler,
        "CodeSize": size,
        "Description": description,
        "Timeout": cfg.timeout,
        "MemorySize": cfg.memory_size,
        "LastModified": timestamp(modified),
        "CodeSha256": sha,
        "Version": cfg.version,
        "Environment": {"Variables": dict(cfg.environment)},
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": revision_id(fn, version),
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": [_ARCH],
        "EphemeralStorage": {"Size": cfg.ephemeral_storage},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "RuntimeVersionConfig": {
            "RuntimeVersionArn": f"arn:aws:lambda:{cfg.region}::runtime:{digest}"
        },
        "LoggingConfig": logging,
    }


def alias_configuration(fn: LambdaFunction, alias: Alias) -> dict[str, Any]:
    """``AliasConfiguration``."""
    shape: dict[str, Any] = {
        "AliasArn": f"{fn.config.function_arn}:{alias.name}",
        "Name": alias.name,
        "FunctionVersion": alias.version,
        "Description": alias.description,
        "RevisionId": alias.revision_id,
    }
    if alias.routing:
        shape["RoutingConfig"] = {"AdditionalVersionWeights": dict(alias.routing)}
    return shape
