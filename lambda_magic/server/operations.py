"""Every operation this server answers, with its route from botocore's model of Lambda."""

from __future__ import annotations

from lambda_magic.server import function_ops as f
from lambda_magic.server import invoke_ops as i
from lambda_magic.server import version_ops as v
from lambda_magic.server.routes import CODE_BODY_LIMIT, INVOKE_BODY_LIMIT, Route, route

FN = "/2015-03-31/functions/{FunctionName}"
PC = "/2019-09-30/functions/{FunctionName}/provisioned-concurrency"
EIC = "/2019-09-25/functions/{FunctionName}/event-invoke-config"

ROUTES: list[Route] = [
    route("POST", f"{FN}/invocations", "Invoke", i.invoke, INVOKE_BODY_LIMIT),
    route("POST", "/2021-11-15/functions/{FunctionName}/response-streaming-invocations",
          "InvokeWithResponseStream", i.invoke_with_response_stream, INVOKE_BODY_LIMIT),
    route("GET", "/2015-03-31/functions/", "ListFunctions", f.list_functions),
    route("POST", "/2015-03-31/functions", "CreateFunction", f.create_function, CODE_BODY_LIMIT),
    route("GET", FN, "GetFunction", f.get_function),
    route("DELETE", FN, "DeleteFunction", f.delete_function),
    route("GET", f"{FN}/configuration", "GetFunctionConfiguration", f.get_function_configuration),
    route("PUT", f"{FN}/configuration", "UpdateFunctionConfiguration",
          f.update_function_configuration),
    route("PUT", f"{FN}/code", "UpdateFunctionCode", f.update_function_code, CODE_BODY_LIMIT),
    route("PUT", "/2017-10-31/functions/{FunctionName}/concurrency", "PutFunctionConcurrency",
          f.put_function_concurrency),
    route("DELETE", "/2017-10-31/functions/{FunctionName}/concurrency",
          "DeleteFunctionConcurrency", f.delete_function_concurrency),
    route("GET", "/2019-09-30/functions/{FunctionName}/concurrency", "GetFunctionConcurrency",
          f.get_function_concurrency),
    route("POST", f"{FN}/versions", "PublishVersion", v.publish_version),
    route("GET", f"{FN}/versions", "ListVersionsByFunction", v.list_versions),
    route("POST", f"{FN}/aliases", "CreateAlias", v.create_alias),
    route("GET", f"{FN}/aliases", "ListAliases", v.list_aliases),
    route("GET", f"{FN}/aliases/{{Name}}", "GetAlias", v.get_alias),
    route("PUT", f"{FN}/aliases/{{Name}}", "UpdateAlias", v.update_alias),
    route("DELETE", f"{FN}/aliases/{{Name}}", "DeleteAlias", v.delete_alias),
    route("PUT", PC, "PutProvisionedConcurrencyConfig", v.put_provisioned),
    route("GET", PC, "GetProvisionedConcurrencyConfig", v.get_provisioned_or_list),
    route("DELETE", PC, "DeleteProvisionedConcurrencyConfig", v.delete_provisioned),
    route("PUT", EIC, "PutFunctionEventInvokeConfig", v.put_event_config),
    route("POST", EIC, "UpdateFunctionEventInvokeConfig", v.update_event_config),
    route("GET", EIC, "GetFunctionEventInvokeConfig", v.get_event_config),
    route("DELETE", EIC, "DeleteFunctionEventInvokeConfig", v.delete_event_config),
]  # fmt: skip
