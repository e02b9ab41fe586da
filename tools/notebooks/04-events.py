# %% [markdown]
# # Events: what AWS services send to a function
#
# A function does not choose its input: S3, SQS, API Gateway, EventBridge and others invoke it
# with events in their own formats. `lambda_magic.events` generates realistic ones, with the
# encodings the services really use (URL-encoded S3 keys, base64 Kinesis data, SQS body MD5s,
# API Gateway's single- and multi-value query strings...). Every template that AWS Lambda
# Powertools has a model for validates against that model (the project's tests check it).
#
# **You will learn to**
#
# - generate a service's event, reproducibly, from Python or a magic;
# - write one function for several triggers, following each service's contract;
# - decode an S3 key, and report the failed messages of an SQS batch (and know when Lambda
#   listens to that report);
# - save test events as the Lambda console does, and replay captured events.
#
# **Time:** about 20 minutes with the exercises. **Before:**
# [01-quickstart](01-quickstart.ipynb); what happens around an invocation is in
# [03-lifecycle](03-lifecycle.ipynb). Local numbers: [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).

# %%
%load_ext lambda_magic
from lambda_magic import events
len(events.names()), events.services()[:8]

# %% [markdown]
# Each template documents its parameters:

# %%
events.describe("sqs:receive-message")

# %% [markdown]
# <a id="router"></a>
# ## A router: one function, several triggers
#
# A common shape for a function behind several services: look at the event to see where it came
# from, and follow that service's contract in each branch.

# %%
%%lambda_handler router --no-panel
import json
from urllib.parse import unquote_plus

def handle_s3(event):
    keys = [unquote_plus(r["s3"]["object"]["key"]) for r in event["Records"]]   # keys arrive URL-encoded
    return {"resized": keys}

def handle_sqs(event):
    # A partial batch response. Lambda acts on it only when the event source mapping has
    # FunctionResponseTypes: ["ReportBatchItemFailures"]; otherwise it ignores the return value.
    failures = []
    for record in event["Records"]:
        if "fail" in record["body"]:
            print("could not process", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

def handle_http(event):
    method = event["requestContext"]["http"]["method"]
    item = event["rawPath"].rsplit("/", 1)[-1]
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps({"method": method, "item": item, "query": event.get("queryStringParameters")})}

def handle_eventbridge(event):
    return {"handled": event["detail-type"], "order": event["detail"]["orderId"]}

def lambda_handler(event, context):
    if "Records" in event:
        source = event["Records"][0].get("eventSource")
        return handle_s3(event) if source == "aws:s3" else handle_sqs(event)
    if event.get("version") == "2.0" and "http" in event.get("requestContext", {}):
        return handle_http(event)
    if "detail-type" in event:
        return handle_eventbridge(event)
    raise ValueError(f"unknown event: {sorted(event)}")

# %% [markdown]
# <a id="s3"></a>
# ## S3: a key with a space
#
# S3 event notifications URL-encode object keys. `%lambda_event` generates the event of an
# upload of `cat 1.jpg` (`--seed` makes its ids and times the same on every run).
#
# **Predict:** which string does the event carry for the key: `cat 1.jpg`, `cat+1.jpg` or
# `cat%201.jpg`?

# %%
upload = %lambda_event s3:put --bucket photos --key "cat 1.jpg" --seed 1
upload["Records"][0]["s3"]["object"]["key"]

# %% [markdown]
# A space becomes `+`. Code that uses the key as it arrives looks for an object that does not
# exist, a classic bug; the router decodes it with `unquote_plus`:

# %%
%lambda_invoke router --quiet $upload

# %% [markdown]
# <a id="sqs-partial-batch"></a>
# ## SQS: a batch with a partial failure
#
# SQS delivers messages in batches, one record per message. By default a batch succeeds or
# fails as a whole: if the function raises, every message of the batch becomes visible in the
# queue again (after the visibility timeout) and is processed again, including the ones that
# had succeeded.
#
# A **partial batch response** avoids that: the function returns the ids of the messages it
# could not process, `{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}`, and only
# those return to the queue. **Lambda reads this response only when the event source mapping
# has `FunctionResponseTypes: ["ReportBatchItemFailures"]`.** Without that setting the
# response is ignored: the invocation succeeded, so Lambda deletes the whole batch, and the
# failed message is lost.
#
# Here is a batch of three messages; the second one will fail.

# %%
batch = events.generate("sqs:receive-message", body=["order 1", "order 2: fail", "order 3"], seed=2)
for record in batch["Records"]:
    print(record["messageId"], record["body"])

# %% [markdown]
# **Predict:** which message ids will the router return in `batchItemFailures`?

# %%
r = %lambda_invoke router --quiet $batch
r.payload

# %% [markdown]
# Only the second message's id. With `ReportBatchItemFailures` on the mapping, Lambda deletes
# messages 1 and 3 from the queue and message 2 comes back later; its `ApproximateReceiveCount`
# will then be 2 (the template's `--receive-count` generates such a retried message). Because
# a message can come back, processing must be safe to repeat
# ([idempotency, in 06](06-scaling.ipynb#idempotency)).

# %% [markdown]
# ## API Gateway (HTTP API): a request with a query string
#
# `--template` generates the event inline; `--param` sets template parameters. HTTP APIs join
# repeated query parameters with commas.

# %%
%lambda_invoke router --quiet --template apigateway:http-api-proxy --param method=GET --param path=/items/42 --param 'query={"color": ["red", "blue"]}' --seed 3

# %% [markdown]
# ## EventBridge: a custom event

# %%
placed = events.generate("eventbridge:event", detail_type="Order Placed", detail={"orderId": "A-17"}, seed=4)
%lambda_invoke router --quiet $placed

# %% [markdown]
# <a id="saved-events"></a>
# ## Saved test events, like the Lambda console's
#
# Save events per function; they are files in `.lambda_events/<function>/` next to the
# notebook, so they survive a kernel restart and can be committed. The console's *shareable*
# event format can be exported and imported.

# %%
saved = events.SavedEvents("router")
saved.save("cat-upload", upload)
saved.save("bad-batch", batch)
saved.names()

# %%
r = %lambda_invoke router --quiet --saved cat-upload
r.payload

# %%
doc = saved.export_shareable()
list(doc["components"]["examples"])

# %% [markdown]
# ## Replaying events from a file
#
# A JSON-lines file of events (for example captured from a real queue) replays through the
# function, one invocation per line.

# %%
import json, os, tempfile
path = os.path.join(tempfile.mkdtemp(), "captured.jsonl")
with open(path, "w") as f:
    for key in ["a.png", "b b.png", "c.png"]:
        f.write(json.dumps(events.generate("s3:put", key=key, seed=5)) + "\n")
fn = %lambda_function router
[r.payload["resized"] for r in events.replay(fn, path)]

# %%
for name in saved.names():   # tidy up the saved events of this tutorial
    saved.delete(name)

# %% [markdown]
# ## What you saw
#
# - Each service has its own event shape and encodings; the library generates them
#   (`events.generate`, `%lambda_event`, `--template`), reproducibly with a seed.
# - An S3 key arrives URL-encoded.
# - An SQS batch can fail partially with `batchItemFailures`, which Lambda honours only with
#   `ReportBatchItemFailures` on the event source mapping.
# - Test events can be saved per function, shared in the console's format, and replayed from
#   JSON lines.
#
# ## Exercises
#
# ### Exercise 1: two failures in one batch
#
# Generate an SQS batch of five messages in which the second and the fourth fail, invoke the
# router with it, and read `batchItemFailures`. **Predict:** how many entries, and which ids?
# What would Lambda do with the batch if the mapping did not have `ReportBatchItemFailures`?

# %%
# your code here

# %% [markdown]
# ### Exercise 2: a key with accents
#
# Generate the S3 event of an upload of `reports/Résumé 2024.pdf` into the bucket `docs`.
# **Predict** how the key is written in the event, then check that the router gives back the
# original key.

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# Two entries, the ids of the second and fourth records. Without `ReportBatchItemFailures`
# the response is ignored: the invocation succeeded, so all five messages are deleted,
# including the two that failed.

# %% tags=solution
five = events.generate("sqs:receive-message", seed=6,
                       body=["order 1", "order 2: fail", "order 3", "order 4: fail", "order 5"])
r = %lambda_invoke router --quiet $five
body_of = {record["messageId"]: record["body"] for record in five["Records"]}
[(f["itemIdentifier"], body_of[f["itemIdentifier"]]) for f in r.payload["batchItemFailures"]]

# %% [markdown]
# ### Solution 2
#
# Non-ASCII characters are percent-encoded as UTF-8 bytes, and spaces become `+`;
# `unquote_plus` undoes both.

# %% tags=solution
doc_upload = %lambda_event s3:put --bucket docs --key "reports/Résumé 2024.pdf" --seed 7
print(doc_upload["Records"][0]["s3"]["object"]["key"])
%lambda_invoke router --quiet $doc_upload

# %% [markdown]
# Next: [05-errors-and-limits](05-errors-and-limits.ipynb).
