# %% [markdown]
# # Calling functions from outside: Lambda's API, boto3, the CLI, and functions that call functions
#
# On AWS, nothing calls your handler directly: callers send an HTTP request to **Lambda's API**
# (`POST /2015-03-31/functions/NAME/invocations`), usually through an SDK such as boto3 or the
# AWS CLI, and Lambda runs the function and answers. A function that calls another one does the
# same, with its own SDK client. lambda_magic serves that API for the notebook's functions, so
# the code you write against `boto3.client("lambda")` runs here unchanged.
#
# **You will learn to**
#
# - start a local Lambda endpoint and invoke a notebook function with boto3, as on AWS;
# - read Invoke's answer: status code, executed version, function error, the Tail log;
# - tell a function error (status 200, `FunctionError`) from an error that stopped the
#   invocation (an exception such as `TooManyRequestsException`);
# - drive the same functions with the AWS CLI;
# - make a function call another through its own boto3 client, synchronously and as an event,
#   and follow the chain of request ids;
# - publish versions, point an alias at them, send 10% of the traffic to a new version, and
#   provision the alias.
#
# **Time:** about 30 minutes with the exercises. **Before:**
# [06-scaling](06-scaling.ipynb) (reserved concurrency, asynchronous invocation). Durations
# here are this machine's, not Lambda's: see
# [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).

# %%
%load_ext lambda_magic
import base64, json
import boto3

# %%
%%lambda_handler greet --no-panel
def lambda_handler(event, context):
    print("greeting", event.get("name"))
    if "name" not in event:
        raise ValueError("no name in the event")
    return {"message": f"Hello, {event['name']}!", "version": context.function_version}

# %% [markdown]
# <a id="serve"></a>
# ## 1. A local Lambda endpoint
#
# `%lambda_serve` starts Lambda's API for every function of this notebook (its value is the
# server: `.url`, `.port`, `.stop()`). `--port 0` picks a free port; without it the server
# listens on 3001, as `sam local start-lambda` does. It listens on 127.0.0.1 only.

# %%
server = %lambda_serve --port 0

# %% [markdown]
# A boto3 client needs the endpoint, a Region and credentials. The server checks that each
# request carries an AWS Signature V4 (a web page cannot forge that header), but it cannot
# check the secret key, so any key works here; on AWS the same code uses your real ones.

# %%
lam = boto3.client("lambda", endpoint_url=server.url, region_name="us-east-1",
                   aws_access_key_id="local", aws_secret_access_key="local")
answer = lam.invoke(FunctionName="greet", Payload=json.dumps({"name": "Ada"}))
answer["StatusCode"], answer["ExecutedVersion"], json.loads(answer["Payload"].read())

# %% [markdown]
# <a id="function-error"></a>
# ## 2. A function error is an answer, not an exception
#
# **Predict:** the handler raises `ValueError` when the event has no name. What does boto3 do:
# raise an exception, or return an answer? With which status code?

# %%
answer = lam.invoke(FunctionName="greet", Payload=b"{}", LogType="Tail")
answer["StatusCode"], answer.get("FunctionError"), json.loads(answer["Payload"].read())["errorType"]

# %% [markdown]
# An answer, with status **200**: the invocation happened, and its result is an error.
# `FunctionError: Unhandled` says so, and the payload is the error JSON the runtime reported.
# Callers that only look at `StatusCode` miss every function error; check `FunctionError`.
#
# `LogType="Tail"` asked for the last 4 KB of the invocation's log, base64-encoded: the same
# START, END and REPORT lines as `%lambda_logs`, and the handler's own output.

# %%
print(base64.b64decode(answer["LogResult"]).decode())

# %% [markdown]
# Errors that prevent the invocation are different: they are HTTP errors, and boto3 raises
# them as exceptions of the client (`lam.exceptions.ResourceNotFoundException`, ...).

# %%
try:
    lam.invoke(FunctionName="nobody")
except lam.exceptions.ResourceNotFoundException as e:
    print(e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"])

# %% [markdown]
# <a id="cli"></a>
# ## 3. The AWS CLI
#
# The CLI takes the same endpoint with `--endpoint-url` (this is the CLI v1 from PyPI; the v2
# CLI also needs `--cli-binary-format raw-in-base64-out` to read a JSON payload).

# %%
import os, subprocess, sys, tempfile

def aws(*args):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
           "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run([sys.executable, "-m", "awscli", "lambda", *args,
                          "--endpoint-url", server.url], capture_output=True, text=True, env=env)
    return out.stdout or out.stderr

out_file = os.path.join(tempfile.mkdtemp(), "out.json")
print(aws("invoke", "--function-name", "greet", "--payload", '{"name": "Grace"}', out_file))
print(open(out_file).read())

# %% [markdown]
# The CLI prints the answer's fields and writes the payload to the file. `list-functions`
# lists every function of the notebook with the fields of Lambda's `FunctionConfiguration`:

# %%
listed = json.loads(aws("list-functions"))
[(f["FunctionName"], f["Runtime"], f["MemorySize"], f["Timeout"]) for f in listed["Functions"]]

# %% [markdown]
# <a id="chain"></a>
# ## 4. Functions that call functions
#
# While the server runs, every environment gets `AWS_ENDPOINT_URL_LAMBDA` pointing at it (boto3
# reads it), plus dummy credentials when the notebook has none. So a handler creates its
# client exactly as on AWS, with no endpoint in the code. `checkout` charges through `payments`
# synchronously and sends a receipt through `emails` as an asynchronous event.

# %%
%%lambda_handler payments --no-panel
def lambda_handler(event, context):
    print("charging", event["amount"], "for order", event["order"])
    return {"charged": event["amount"]}

# %%
%%lambda_handler emails --no-panel
def lambda_handler(event, context):
    print("receipt for order", event["order"])

# %%
%%lambda_handler checkout --memory 256 --timeout 10 --no-panel
import json
import boto3
client = boto3.client("lambda")     # created in Init, reused by every invocation

def lambda_handler(event, context):
    paid = client.invoke(FunctionName="payments", Payload=json.dumps(event))
    client.invoke(FunctionName="emails", InvocationType="Event", Payload=json.dumps(event))
    return json.loads(paid["Payload"].read())

# %% [markdown]
# **Predict:** `checkout` waits for `payments` but not for `emails`. When `checkout` returns,
# has `emails` run yet?

# %%
r = %lambda_invoke checkout --quiet {"order": "A-1", "amount": 42}
r.payload

# %%
import time
emails = %lambda_function emails
for _ in range(100):                  # wait for the event, at most 5 s
    if emails.history:
        break
    time.sleep(0.05)
print(server.calls.text(3))

# %% [markdown]
# Maybe, maybe not: the `Event` call returned 202 as soon as the event was queued, and the
# queue runs it on its own. The server's call log lists both calls, each with **the request id
# of the invocation that made it** (`<- checkout (RequestId: ...)`): boto3 inside a handler
# sends the invocation's trace header (`_X_AMZN_TRACE_ID`), and the callee continues that
# trace, as X-Ray shows a chain on AWS. The callee's result says it too:

# %%
payments = %lambda_function payments
payments.last_result.caller == ("checkout", r.request_id)

# %% [markdown]
# <a id="versions"></a>
# ## 5. Versions and aliases
#
# So far every call ran `$LATEST`, the code you edit. A **version** is an immutable snapshot of
# the code and configuration, numbered 1, 2, ...; an **alias** is a name that points at a
# version, and can send a share of the traffic to a second one (a canary). Callers invoke the
# alias; you move it. Each version runs in environments of its own, and says so:
# `context.function_version`, `AWS_LAMBDA_FUNCTION_VERSION`, the log stream `[1]`,
# `START ... Version: 1` and the answer's `ExecutedVersion`.

# %%
%lambda_publish greet --description "first release"

# %%
%%lambda_handler greet --no-panel
def lambda_handler(event, context):
    return {"message": f"Hi there, {event['name']}!", "version": context.function_version}

# %%
%lambda_publish greet --description "friendlier"
%lambda_alias greet live 1 --weight 2=0.1

# %% [markdown]
# **Predict:** 1,000 invocations of `greet:live`. About how many run version 2?

# %%
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

def executed(_):
    return lam.invoke(FunctionName="greet", Qualifier="live",
                      Payload=b'{"name": "canary"}')["ExecutedVersion"]

with ThreadPoolExecutor(8) as pool:
    counts = Counter(pool.map(executed, range(1000)))
print(f"version 1: {counts['1'] / 10:.1f}% of the invocations, "
      f"version 2: {counts['2'] / 10:.1f}% of the invocations")

# %% [markdown]
# About 100, give or take a few dozen: the alias picks a version for each invocation at random,
# with the weights you set, so the split is close to 90/10 but not exact.
#
# Provisioned concurrency goes on a version or an alias, never on `$LATEST` (lambda_magic
# still lets `$LATEST` have it, as a convenience; AWS refuses). Through the API:

# %%
lam.update_alias(FunctionName="greet", Name="live", FunctionVersion="2",
                 RoutingConfig={"AdditionalVersionWeights": {}})
lam.put_provisioned_concurrency_config(FunctionName="greet", Qualifier="live",
                                       ProvisionedConcurrentExecutions=1)
config = lam.get_provisioned_concurrency_config(FunctionName="greet", Qualifier="live")
config["Status"], config["AvailableProvisionedConcurrentExecutions"]

# %% tags=nbval-ignore-output
%lambda_status greet

# %% [markdown]
# The status lists the function's versions and aliases, and its environments: those of a
# version carry it (`env-3 (v2)`), and one of version 2 was initialized ahead of time for the
# alias. Editing `greet` now changes `$LATEST` only; version 2 and the alias keep running the
# code they had.
#
# <a id="safety"></a>
# ## 6. Who may call
#
# A server on your machine that runs your code must not be reachable by a web page you happen
# to visit. So it listens on 127.0.0.1 unless you pass `--host`, and refuses any request without
# an AWS Signature V4 `Authorization` header, or whose `Host` header is not its own address (a
# DNS rebinding page sends its own name), in Lambda's error shape.

# %%
import http.client
conn = http.client.HTTPConnection("127.0.0.1", server.port)
conn.request("POST", "/2015-03-31/functions/greet/invocations", body=b"{}")
refused = conn.getresponse()
print(refused.status, refused.getheader("x-amzn-ErrorType"), json.loads(refused.read())["message"])
conn.close()

# %% [markdown]
# ## What you saw
#
# - `%lambda_serve` made the notebook's functions reachable through Lambda's own API; boto3
#   and the AWS CLI used it with nothing but `endpoint_url`.
# - A function error came back as status 200 with `FunctionError: Unhandled` and the error
#   JSON; only errors that prevent an invocation raise exceptions in boto3.
# - `LogType="Tail"` returned the last 4 KB of that invocation's log.
# - A handler's own `boto3.client("lambda")` reached the other functions; the call log and the
#   callee's result named the invocation that called.
# - Versions froze code and configuration; an alias routed 10% of the traffic to a new
#   version; provisioned concurrency went on the alias.
#
# ## Exercises
#
# ### Exercise 1: a function error, from the caller's side
#
# Write `safe_invoke(name, event)` that invokes with boto3 and raises `RuntimeError` with the
# function's `errorType` and `errorMessage` when the answer has a `FunctionError`, and returns
# the decoded payload otherwise. Try it on `greet` with and without a name (`$LATEST`).

# %%
# your code here

# %% [markdown]
# ### Exercise 2: roll back
#
# Version 2 turned out wrong. Point `live` back at version 1 with `update_alias`, then show
# with ten invocations that every one runs version 1. **Predict** what `ExecutedVersion` says.

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1

# %% tags=solution
def safe_invoke(name, event):
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(event))
    body = json.loads(answer["Payload"].read())
    if "FunctionError" in answer:
        raise RuntimeError(f"{name} failed: {body['errorType']}: {body['errorMessage']}")
    return body

print(safe_invoke("greet", {"name": "Lin"}))
try:
    safe_invoke("greet", {})
except RuntimeError as e:
    print(e)

# %% [markdown]
# ### Solution 2
#
# Every one runs version 1: an alias with no routing sends all its traffic to its version. The
# provisioned environment moves with the alias, to version 1.

# %% tags=solution
lam.update_alias(FunctionName="greet", Name="live", FunctionVersion="1")
Counter(lam.invoke(FunctionName="greet:live", Payload=b'{"name": "x"}')["ExecutedVersion"]
        for _ in range(10))

# %% tags=solution
%lambda_serve --stop

# %% [markdown]
# The server stopped: its socket and threads are gone, and new environments no longer get
# `AWS_ENDPOINT_URL_LAMBDA`. `lambda-magic serve DIRECTORY` (or a SAM `template.yaml`) serves
# the functions of a folder the same way from a terminal, as `sam local start-lambda` does.
