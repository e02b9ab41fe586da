# %% [markdown]
# # The programming model: one event, one invocation
#
# On Lambda your code does not run as a program of its own. A **runtime** process loads your
# module and then loops: it asks Lambda's **Runtime API** for the next event, calls your handler
# with the event and a **context**, and posts the handler's answer back. Everything else
# (freezing, timeouts, logs, billing) happens around that loop.
#
# lambda_magic serves the real Runtime API (`/2018-06-01/runtime/...`) to each environment, so
# you can watch the exchange of one invocation, message by message.

# %%
%load_ext lambda_magic

# %%
%%lambda_handler orders --memory 256 --timeout 5 --env TABLE=orders-dev --no-panel
import json, os

def lambda_handler(event, context):
    total = sum(item["price"] * item["qty"] for item in event["items"])
    print(f"order {event['id']} for {len(event['items'])} items")
    return {"order": event["id"], "total": total, "table": os.environ["TABLE"]}

# %% [markdown]
# ## 1. Watch the Runtime API
#
# `%lambda_function` gives the Python object behind the cell. Its `subscribe` method reports
# lifecycle events; `"api"` events are the HTTP messages between the runtime and the platform.

# %%
fn = %lambda_function orders
exchange = []
unsubscribe = fn.subscribe(lambda kind, value: exchange.append(value[1]) if kind == "api" else None)

# %%
result = %lambda_invoke orders --quiet {"id": "A-17", "items": [{"price": 3.5, "qty": 2}, {"price": 10, "qty": 1}]}
for message in exchange:
    print(message, end="\n\n")

# %% [markdown]
# Read it from the top:
#
# 1. **`GET /runtime/invocation/next`**: the runtime has imported the module (Init is over) and
#    asks for an event. Lambda leaves this request hanging until an event arrives, and freezes
#    the whole environment while it waits.
# 2. **`200 OK`**: the platform answers with the event as the body, and headers the runtime turns
#    into the context: the request id, the deadline (epoch milliseconds), the function's ARN and
#    the X-Ray trace id.
# 3. **`POST /runtime/invocation/<id>/response`**: the handler returned; the runtime posts the
#    JSON answer, under the same request id.
# 4. **`202 Accepted`**, and the runtime immediately asks for the next event again: the end of
#    the invoke phase.

# %%
result.payload

# %% [markdown]
# ## 2. The context object
#
# The runtime builds `context` from those headers and from environment variables. Note that
# `memory_limit_in_mb` is a string, and `get_remaining_time_in_millis()` counts down live
# towards the deadline (5 seconds here).

# %%
%%lambda_handler inspect --memory 512 --timeout 5 --no-panel
import time

def lambda_handler(event, context):
    first = context.get_remaining_time_in_millis()
    time.sleep(0.25)
    return {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "memory_limit_type": type(context.memory_limit_in_mb).__name__,
        "log_group_name": context.log_group_name,
        "client_context": context.client_context and context.client_context.custom,
        "identity": context.identity.cognito_identity_id,
        "remaining_ms_dropped_by_at_least_250": first - context.get_remaining_time_in_millis() >= 250,
    }

# %%
%lambda_invoke inspect --quiet --client-context '{"custom": {"tenant": "acme"}}' {}

# %% [markdown]
# ## 3. Environment variables
#
# Lambda sets reserved variables (`_HANDLER`, `AWS_REGION`, `AWS_LAMBDA_FUNCTION_*`,
# `LAMBDA_TASK_ROOT`, ...) and then the function's own (`--env`). The working directory is the
# task root, where the deployment package lives. Nothing of this leaks into the notebook.

# %%
%%lambda_handler envs --env STAGE=dev --no-panel
import os

SHOWN = ("_HANDLER", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
         "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
         "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "TZ", "STAGE")

def lambda_handler(event, context):
    env = {name: os.environ.get(name) for name in SHOWN}
    env["cwd is LAMBDA_TASK_ROOT"] = os.getcwd() == os.environ["LAMBDA_TASK_ROOT"]
    env["_X_AMZN_TRACE_ID set for this invoke"] = os.environ["_X_AMZN_TRACE_ID"].startswith("Root=1-")
    return env

# %%
%lambda_invoke envs --quiet {}

# %%
import os
"AWS_LAMBDA_FUNCTION_NAME" in os.environ, "STAGE" in os.environ

# %% [markdown]
# ## 4. What happens to the return value
#
# The runtime serializes the answer as JSON. Anything JSON cannot hold fails *after* the handler
# returned, as `Runtime.MarshalError`; an exception inside the handler is posted to
# `/runtime/invocation/<id>/error` instead of `/response`.

# %%
exchange.clear()
bad = %lambda_invoke orders --quiet {"id": "B-2", "items": [{"price": 1}]}
print(exchange[1].start_line)
bad.error_type, bad.payload["errorMessage"]

# %% [markdown]
# ## What you saw
#
# - The runtime and the platform talk HTTP: `GET /next` to wait for an event, `POST .../response`
#   or `.../error` to answer; the environment is frozen while the runtime waits.
# - The context comes from the `/next` headers (request id, deadline, ARN, trace id) and from
#   environment variables; `memory_limit_in_mb` is a string, and the remaining time counts down.
# - Lambda's reserved variables are set inside the environment only, never in the notebook.
#
# Next: [03-lifecycle](03-lifecycle.ipynb), the life of an execution environment.
