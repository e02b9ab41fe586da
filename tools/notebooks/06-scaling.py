# %% [markdown]
# # Scaling: one environment per request in flight
#
# State lives per **environment**, not per function. An environment serves one invocation at a
# time, so when requests arrive together Lambda runs them in separate environments, each with
# its own cold start, globals and `/tmp`. When they finish, the warm environments are reused.
# This is the part of Lambda that surprises people most; here it is, live.

# %%
%load_ext lambda_magic

# %%
%%lambda_handler worker --timeout 5 --no-panel
import os, time
SERVED = 0                                   # per environment, not per function

def lambda_handler(event, context):
    global SERVED
    SERVED += 1
    time.sleep(event.get("work", 0.2))
    return {"env_pid": os.getpid(), "served_here": SERVED}

# %% [markdown]
# ## 1. Scale-out: five requests at once need five environments

# %%
fn = %lambda_function worker
first = fn.invoke_many([{"work": 0.3}] * 5, concurrency=5)
print("environments:", sorted({r.environment_id for r in first}))
print("cold starts:", sum(r.cold_start for r in first), "| served_here:", [r.payload["served_here"] for r in first])

# %% [markdown]
# ## 2. Reuse: the same five, now warm
#
# The next wave finds five free warm environments: no cold start, and each environment's
# counter went up by one.

# %%
again = fn.invoke_many([{"work": 0.3}] * 5, concurrency=5)
print("cold starts:", sum(r.cold_start for r in again), "| served_here:", sorted(r.payload["served_here"] for r in again))

# %% [markdown]
# Sequential invocations, on the other hand, all land in one warm environment:

# %%
pids = {fn.invoke({"work": 0}).payload["env_pid"] for _ in range(5)}
len(pids)

# %% [markdown]
# The magic does the same with `--concurrency` and `--repeat`:

# %% tags=nbval-ignore-output
%lambda_invoke worker --concurrency 10 --repeat 20 {"work": 0.1}

# %% [markdown]
# ## 3. Reserved concurrency: a cap (and a guarantee)
#
# With `--reserved-concurrency 2`, at most two invocations run at once; the others are
# **throttled** at once with `TooManyRequestsException` (HTTP 429). Reserved concurrency 0
# throttles everything, a way to switch a function off.

# %%
%%lambda_handler capped --reserved-concurrency 2 --no-panel
import time
def lambda_handler(event, context):
    time.sleep(0.3)
    return "done"

# %%
capped = %lambda_function capped
results = capped.invoke_many([{}] * 4, concurrency=4)
sorted(r.status for r in results), next(r.payload for r in results if r.status == "throttled")

# %% [markdown]
# ## 4. Provisioned concurrency: environments initialized ahead of time
#
# Provisioned environments run Init when they are configured, not when a request arrives
# (`AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency`), so their first invocation has no
# cold start. Requests beyond them spill over to on-demand environments, which do.

# %%
%%lambda_handler ready --provisioned-concurrency 2 --no-panel
import os, time
time.sleep(0.2)                               # a slow Init, paid ahead of time
def lambda_handler(event, context):
    time.sleep(0.2)
    return os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]

# %%
ready = %lambda_function ready
for r in sorted(ready.invoke_many([{}] * 3, concurrency=3), key=lambda r: r.payload):
    print(f"{r.payload:24} cold start: {r.cold_start!s:5}  Init Duration in REPORT: {r.report.init_duration_ms is not None}")

# %% [markdown]
# ## 5. Asynchronous invocation: queued, retried, delivered
#
# With `InvocationType=Event` (S3 and SNS invoke this way) Lambda accepts the event at once
# (202), queues it, and retries a failing invocation twice, about one and two minutes later.
# The outcome goes to an on-success or on-failure **destination** as an *invocation record*.
# Here Lambda's intervals are scaled down by `time_factor` (0.01: a minute is 0.6 s).

# %%
%%lambda_handler flaky --no-panel
def lambda_handler(event, context):
    if event.get("fail"):
        raise RuntimeError("downstream service unavailable")
    return {"stored": event["id"]}

# %%
flaky = %lambda_function flaky
succeeded, failed, dead_letters = [], [], []
flaky.configure_async(on_success=succeeded, on_failure=failed, dead_letter=dead_letters, time_factor=0.01)
good = flaky.invoke({"id": 1}, invocation_type="Event")
bad = flaky.invoke_async({"id": 2, "fail": True})
good.status_code, bad.status_code

# %%
bad.wait(10)
print("attempts:", len(bad.attempts), "| same request id each time:", {r.request_id for r in bad.attempts} == {bad.request_id})
failed[0]["requestContext"]["condition"], failed[0]["requestContext"]["approximateInvokeCount"], dead_letters

# %%
good.wait(10)
succeeded[0]["responsePayload"], succeeded[0]["requestContext"]["condition"]

# %% [markdown]
# ## 6. The timeline of a scale-out
#
# One row per environment: the first wave of five cold starts, their reuse, and the wave of
# ten that needed five more.

# %% tags=nbval-ignore-output
fn.timeline()

# %% tags=nbval-ignore-output
%lambda_status worker

# %% [markdown]
# ## What you saw
#
# - Concurrent requests each got an environment of their own, with their own cold start and
#   state; finished environments were reused warm.
# - Reserved concurrency capped the function and throttled the rest with
#   `TooManyRequestsException`.
# - Provisioned environments ran Init ahead of time; overflow spilled to on-demand ones.
# - Asynchronous events were accepted at once, retried twice on failure, and their outcome went
#   to destinations as Lambda's invocation records.
