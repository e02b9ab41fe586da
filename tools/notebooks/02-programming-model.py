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
#
# **You will learn to**
#
# - follow one invocation through the Runtime API: `GET /next`, the event, `POST /response`;
# - read the context object: request id, deadline and remaining time, ARN, memory (a string);
# - list the environment variables Lambda sets, and see that none of them reach the notebook;
# - predict what happens to a return value that JSON cannot hold.
#
# **Time:** about 20 minutes with the exercises. **Before:**
# [01-quickstart](01-quickstart.ipynb). Durations here are this machine's, not Lambda's: see
# [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).

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
# <a id="runtime-api"></a>
# ## 1. Watch the Runtime API
#
# `%lambda_function` gives the Python object behind the cell. Its `subscribe` method reports
# lifecycle events; `"api"` events are the HTTP messages between the runtime and the platform.

# %%
fn = %lambda_function orders
exchange = []
unsubscribe = fn.subscribe(lambda kind, value: exchange.append(value[1]) if kind == "api" else None)

# %% [markdown]
# **Predict:** one invocation of `orders`, starting from no environment. Who sends the first
# HTTP message, the platform or the runtime? How many messages will there be in all?

# %%
result = %lambda_invoke orders --quiet {"id": "A-17", "items": [{"price": 3.5, "qty": 2}, {"price": 10, "qty": 1}]}
for message in exchange:
    print(message, end="\n\n")

# %% [markdown]
# The runtime speaks first, and there are five messages. Read them from the top:
#
# 1. **`GET /runtime/invocation/next`**: the runtime has imported the module (Init is over) and
#    asks for an event. Lambda leaves this request hanging until an event arrives, and freezes
#    the whole environment while it waits.
# 2. **`200 OK`**: the platform answers with the event as the body, and headers the runtime turns
#    into the context: the request id, the deadline (epoch milliseconds), the function's ARN and
#    the X-Ray trace id.
# 3. **`POST /runtime/invocation/<id>/response`**: the handler returned; the runtime posts the
#    JSON answer, under the same request id.
# 4. **`202 Accepted`**, and at once
# 5. **`GET /next`** again: asking for the next event is how the runtime says the invocation is
#    over. The environment is frozen until that event comes.
#
# The caller gets what the runtime posted:

# %%
result.payload

# %% [markdown]
# <a id="context"></a>
# ## 2. The context object
#
# The runtime builds `context` from those headers and from environment variables. The handler
# below returns most of its attributes, and the remaining time twice: at its start, and after
# 250 ms of work.
#
# **Predict:** the function's timeout is 5 s. What will `get_remaining_time_in_millis()`
# return at the start of the handler, and after the `time.sleep(0.25)`? Which type is
# `memory_limit_in_mb`?

# %%
%%lambda_handler inspect --memory 512 --timeout 5 --no-panel
import time

def lambda_handler(event, context):
    at_start = context.get_remaining_time_in_millis()
    time.sleep(0.25)
    after_work = context.get_remaining_time_in_millis()
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "memory_limit_type": type(context.memory_limit_in_mb).__name__,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "client_context": context.client_context and context.client_context.custom,
        "identity": context.identity.cognito_identity_id,
        "remaining_time": f"{at_start} ms at the start, {after_work} ms after 250 ms of work",
    }

# %%
%lambda_invoke inspect --quiet --client-context '{"custom": {"tenant": "acme"}}' {}

# %% [markdown]
# The remaining time starts at the timeout, 5,000 ms (or a millisecond under), and drops by the
# time the handler spent, live:
# it is computed from the deadline header and the clock, so code can stop cleanly before the
# timeout ([05-errors-and-limits](05-errors-and-limits.ipynb#timeout) does). `memory_limit_in_mb`
# is a string, as on Lambda. `client_context` is what the caller sent (`--client-context`);
# `identity` is filled in only for calls through Amazon Cognito. The log stream name is the
# environment's: every environment writes its own stream.

# %% [markdown]
# <a id="environment-variables"></a>
# ## 3. Environment variables
#
# Lambda sets reserved variables (`_HANDLER`, `AWS_REGION`, `AWS_LAMBDA_FUNCTION_*`,
# `LAMBDA_TASK_ROOT`, ...) and then the function's own (`--env`). The working directory is the
# task root, where the deployment package lives (on Lambda, `/var/task`; here a directory of its
# own). `_X_AMZN_TRACE_ID` is set anew for every invocation.

# %%
%%lambda_handler envs --env STAGE=dev --no-panel
import os

SHOWN = ("_HANDLER", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
         "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
         "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "TZ",
         "LAMBDA_TASK_ROOT", "_X_AMZN_TRACE_ID", "STAGE")

def lambda_handler(event, context):
    env = {name: os.environ.get(name) for name in SHOWN}
    env["working directory"] = os.getcwd()
    return env

# %%
%lambda_invoke envs --quiet {}

# %% [markdown]
# **Predict:** the function saw `AWS_LAMBDA_FUNCTION_NAME` and `STAGE`. Does the notebook's own
# environment have them now?

# %%
import os
"AWS_LAMBDA_FUNCTION_NAME" in os.environ, "STAGE" in os.environ

# %% [markdown]
# No: the environment is a separate process with its own variables, and nothing flows back.
# (The other way round, a function does not see notebook variables either, as a deployed
# function cannot.)

# %% [markdown]
# <a id="return-value"></a>
# ## 4. What happens to the return value
#
# The runtime serializes the answer as JSON. An exception inside the handler is posted to
# `/runtime/invocation/<id>/error` instead of `/response`.
#
# **Predict:** the handler below returns a Python `set`, which JSON cannot hold. The handler
# itself finishes without an exception. Will the runtime post to `/response` or to `/error`?
# What will the caller get?

# %%
%%lambda_handler tags --no-panel
def lambda_handler(event, context):
    return {"tags": {"new", "sale"}}

# %%
tags_fn = %lambda_function tags
tags_exchange = []
tags_fn.subscribe(lambda kind, value: tags_exchange.append(value[1].start_line) if kind == "api" else None)
bad = %lambda_invoke tags --quiet {}
print("\n".join(tags_exchange))
bad.error_type, bad.payload["errorMessage"]

# %% [markdown]
# The handler returned, but the runtime could not turn the value into JSON, so it posted an
# error: `Runtime.MarshalError`. The failure happens *after* your code, which is why it can be
# surprising: return lists, not sets, and convert dates and decimals yourself.

# %% [markdown]
# ## What you saw
#
# - The runtime and the platform talk HTTP: `GET /next` to wait for an event, `POST .../response`
#   or `.../error` to answer; asking for the next event ends an invocation, and the environment is
#   frozen while the runtime waits.
# - The context comes from the `/next` headers (request id, deadline, ARN, trace id) and from
#   environment variables; `memory_limit_in_mb` is a string, and the remaining time counts down.
# - Lambda's reserved variables are set inside the environment only, never in the notebook.
# - A return value JSON cannot hold fails after the handler, as `Runtime.MarshalError`.
#
# ## Exercises
#
# ### Exercise 1: what changes between two invocations?
#
# Write a handler that returns `context.aws_request_id`, `os.environ["_X_AMZN_TRACE_ID"]`,
# `context.log_stream_name` and `os.getpid()`. Invoke it twice in a row. **Predict** first:
# which of the four are the same both times, and why?

# %%
# your code here

# %% [markdown]
# ### Exercise 2: answering with bytes
#
# A handler can return `bytes` (for example an image). Make one return `b"\x89PNG\r\n"`.
# **Predict:** which `Content-Type` does the runtime post, and what does the caller's
# `payload` hold?

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# The two invocations ran in the same warm environment: same process, same log stream. Every
# invocation gets a new request id and a new trace id.

# %% tags=solution
%%lambda_handler ids --no-panel
import os
def lambda_handler(event, context):
    return {"request id": context.aws_request_id, "trace id": os.environ["_X_AMZN_TRACE_ID"],
            "log stream": context.log_stream_name, "process": f"pid {os.getpid()}"}

# %% tags=solution
ids = %lambda_function ids
one, two = ids.invoke().payload, ids.invoke().payload
for key in one:
    print(f"{key:11} {'same' if one[key] == two[key] else 'changed':8} {one[key]}  |  {two[key]}")

# %% [markdown]
# ### Solution 2
#
# The runtime posts bytes as they are, with `Content-Type: application/unknown`, and the caller
# gets them back as bytes: no JSON is involved.

# %% tags=solution
%%lambda_handler png --no-panel
def lambda_handler(event, context):
    return b"\x89PNG\r\n"

# %% tags=solution
r = %lambda_invoke png --quiet {}
r.content_type, r.payload

# %% [markdown]
# Next: [03-lifecycle](03-lifecycle.ipynb), the life of an execution environment.
