# %% [markdown]
# # Events: what AWS services send to a function
#
# A function does not choose its input: S3, SQS, API Gateway, EventBridge and others invoke it
# with events in their own formats. `lambda_magic.events` generates realistic ones, with the
# encodings the services really use (URL-encoded S3 keys, base64 Kinesis data, SQS body MD5s,
# API Gateway's single- and multi-value query strings...). Every template validates against the
# models of AWS Lambda Powertools.

# %%
%load_ext lambda_magic
from lambda_magic import events
len(events.names()), events.services()[:8]

# %%
events.describe("sqs:receive-message")

# %% [markdown]
# ## A router: one function, several triggers
#
# A common shape for a function behind several services: look at the event to see where it came
# from. Each branch follows that service's contract, for example SQS's **partial batch
# response**: return the ids of the messages that failed, and only those are retried.

# %%
%%lambda_handler router --no-panel
import json
from urllib.parse import unquote_plus

def handle_s3(event):
    keys = [unquote_plus(r["s3"]["object"]["key"]) for r in event["Records"]]   # keys arrive URL-encoded
    return {"resized": keys}

def handle_sqs(event):
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
# ## S3: a key with a space
#
# S3 event notifications URL-encode object keys (a space becomes `+`). Forgetting
# `unquote_plus` is a classic bug: the generated event has the real encoding.

# %%
upload = %lambda_event s3:put --bucket photos --key "cat 1.jpg" --seed 1
upload["Records"][0]["s3"]["object"]["key"]

# %%
%lambda_invoke router --quiet $upload

# %% [markdown]
# ## SQS: a batch with a partial failure
#
# One record per body; the function reports the one it could not process.

# %%
batch = events.generate("sqs:receive-message", body=["order 1", "order 2: fail", "order 3"], seed=2)
[(r["messageId"], r["body"], r["md5OfBody"]) for r in batch["Records"]]

# %%
r = %lambda_invoke router $batch
r.payload["batchItemFailures"] == [{"itemIdentifier": batch["Records"][1]["messageId"]}]

# %% [markdown]
# ## API Gateway (HTTP API): a request with a query string
#
# `--template` generates the event inline; `--param` sets template parameters.

# %%
%lambda_invoke router --quiet --template apigateway:http-api-proxy --param method=GET --param path=/items/42 --param 'query={"color": ["red", "blue"]}' --seed 3

# %% [markdown]
# ## EventBridge: a custom event

# %%
placed = events.generate("eventbridge:event", detail_type="Order Placed", detail={"orderId": "A-17"}, seed=4)
%lambda_invoke router --quiet $placed

# %% [markdown]
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
# - An S3 key arrives URL-encoded; an SQS batch can fail partially with `batchItemFailures`.
# - Test events can be saved per function, shared in the console's format, and replayed from
#   JSON lines.
#
# Next: [05-errors-and-limits](05-errors-and-limits.ipynb).
