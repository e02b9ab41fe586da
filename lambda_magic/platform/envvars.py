"""The environment variables of a runtime: Lambda's reserved and default variables, the
function's own, and the few of the caller's that a prototype needs to reach AWS."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from lambda_magic.core.config import FunctionConfig

#: Caller variables an environment inherits: where to find Python and its packages, and the
#: AWS credentials, profile and endpoints a prototype needs to call AWS (boto3) as on Lambda.
PASSTHROUGH_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX",
    "LD_LIBRARY_PATH", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY",
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE", "AWS_SDK_LOAD_CONFIG",
)  # fmt: skip


def build(
    cfg: FunctionConfig,
    paths: tuple[str, str],
    init_type: str,
    log_stream: str,
    api: str,
    execution_env: str | None,
    machine: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every variable a runtime starts with (nothing else of the caller's environment);
    ``paths`` are ``LAMBDA_TASK_ROOT`` and ``LAMBDA_RUNTIME_DIR`` as the runtime sees them,
    ``execution_env`` the runtime's ``AWS_EXECUTION_ENV`` (None for OS-only runtimes),
    ``machine`` what the machine adds (a local Lambda endpoint: it overrides the caller's, and
    Lambda's own variables and the function's override it)."""
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env.update({k: v for k, v in os.environ.items() if k.startswith("AWS_ENDPOINT_URL_")})
    if machine:
        env.update(machine)
    bindir = os.path.dirname(sys.executable)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", os.defpath)
    env.update(
        {
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "_HANDLER": cfg.handler,
            "LAMBDA_TASK_ROOT": paths[0],
            "LAMBDA_RUNTIME_DIR": paths[1],
            "AWS_REGION": cfg.region,
            "AWS_DEFAULT_REGION": cfg.region,
            "AWS_LAMBDA_FUNCTION_NAME": cfg.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(cfg.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": cfg.version,
            "AWS_LAMBDA_INITIALIZATION_TYPE": init_type,
            "AWS_LAMBDA_LOG_GROUP_NAME": cfg.log_group_name,
            "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
            "AWS_LAMBDA_RUNTIME_API": api,
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        }
    )
    # Lambda's library path ends with the runtime's, the package's and the layers' lib
    # directories; the machine's own path (where its interpreters find their libraries) leads.
    task, runtime = paths
    libs = [env["LD_LIBRARY_PATH"]] if env.get("LD_LIBRARY_PATH") else []
    libs += [runtime, f"{runtime}/lib", task, f"{task}/lib", "/opt/lib"]
    env["LD_LIBRARY_PATH"] = ":".join(libs)
    if execution_env:
        env["AWS_EXECUTION_ENV"] = execution_env
    if cfg.log_format == "JSON":  # with JSON logs the application log level defaults to INFO
        env["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
        env["AWS_LAMBDA_LOG_LEVEL"] = cfg.log_level or "INFO"
    env.update(cfg.environment)
    return env
