# %% [markdown]
# # Scaling: one environment per request in flight
#
# State lives per **environment**, not per function. A standard Lambda function's environment
# serves one invocation at a time (Lambda Managed Instances, which run several at once per
# environment, are different and not emulated here), so when requests arrive together Lambda
# runs them in separate environments, each with its own cold start, globals and `/tmp`. When
# they finish, the warm environments are reused. This is the part of Lambda that surprises
# people most; here it is, live.
#
# **You will learn to**
#
# - predict how many environments and cold starts a burst of requests causes;
# - compute the concurrency a load needs, and check it against the account limit and the
#   scaling rate;
# - cap a function with reserved concurrency, and tell how synchronous and asynchronous callers
#   experience throttling;
# - follow an asynchronous event through retries to a destination, and make a handler
#   idempotent;
# - say what provisioned concurrency does, and what it needs on Lambda.
#
# **Time:** about 30 minutes with the exercises. **Before:** [03-lifecycle](03-lifecycle.ipynb).
# Concurrency limits differ here: see [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here). At
# the end, a [course map](#course-map) links every concept of AWS's "Running code with Lambda"
# to the tutorial cell that shows it.

# %%
%load_ext lambda_magic
import time

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
# <a id="scale-out"></a>
# ## 1. Scale-out: five requests at once
#
# `invoke_many` sends several events at once, as concurrent callers would.
#
# **Predict:** five requests arrive together, each taking 0.3 s. How many environments serve
# them, how many cold starts are there, and what is `served_here` in each response?

# %%
fn = %lambda_function worker
first = fn.invoke_many([{"work": 0.3}] * 5, concurrency=5)
print("environments:", sorted({r.environment_id for r in first}))
print("cold starts:", sum(r.cold_start for r in first), "| served_here:", [r.payload["served_here"] for r in first])

# %% [markdown]
# Five of each: no environment can take a second request while it is busy, so Lambda started
# one per request in flight. Each counted its own first invocation.

# %% [markdown]
# <a id="reuse"></a>
# ## 2. Reuse: the same five, now warm
#
# The next wave finds five free warm environments: no cold start, and each environment's
# counter goes up by one.

# %%
again = fn.invoke_many([{"work": 0.3}] * 5, concurrency=5)
print("cold starts:", sum(r.cold_start for r in again), "| served_here:", sorted(r.payload["served_here"] for r in again))

# %% [markdown]
# Requests one after the other usually land in one warm environment. That is typical, not
# promised: Lambda may route a request to any free environment, or start a new one, and
# recycles environments when it likes. Here:

# %%
pids = {fn.invoke({"work": 0}).payload["env_pid"] for _ in range(5)}
f"5 sequential invocations ran in {len(pids)} environment(s)"

# %% [markdown]
# <a id="scaling-arithmetic"></a>
# ## 3. How much concurrency a load needs
#
# **Concurrency** is the number of requests in flight at the same moment, one environment
# each. For a steady load it is
#
# > concurrency = requests per second × average duration in seconds
#
# 100 requests per second of 200 ms each keep 20 environments busy; the same load at 2 s each
# needs 200. Two limits apply on Lambda:
#
# - **The account's concurrency**: 1,000 by default per Region, shared by all the functions of
#   the account (AWS raises it on request; new accounts may start lower). A request beyond it
#   is throttled.
# - **The scaling rate**: each function can add at most 1,000 environments every 10 seconds.
#   In an account whose limit has been raised, a burst from 0 to 3,000 concurrent requests
#   therefore takes at least 20 s to be served entirely; meanwhile the excess is throttled.
#
# Here the limit is `LAMBDA_MAGIC_CONCURRENCY` (64 by default) for all functions of the
# machine together, and environments start as fast as the machine can. The magic below sends
# 20 requests of 100 ms, 10 at a time: 10 concurrent environments, so the 20 take about
# 0.2 s, 100 requests per second.

# %% tags=nbval-ignore-output
%lambda_invoke worker --concurrency 10 --repeat 20 {"work": 0.1}

# %% [markdown]
# The five warm environments served five of the first ten; five more had to start (cold).

# %% [markdown]
# <a id="reserved"></a>
# ## 4. Reserved concurrency, and throttled callers
#
# With `--reserved-concurrency 2`, at most two invocations of the function run at once, and the
# account keeps two environments' worth of concurrency for it. Requests beyond are
# **throttled**: `TooManyRequestsException` (HTTP 429), and nothing runs. Reserved concurrency 0
# throttles everything, a way to switch a function off.
#
# **Predict:** four synchronous requests at once. How many succeed?

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
# Two. A **synchronous** caller (API Gateway, a function URL, an SDK call) gets the 429 itself,
# and must retry, with backoff, or give up. The AWS SDKs retry throttles a few times on their
# own. How an **asynchronous** caller fares is in the next section.

# %% [markdown]
# <a id="async"></a>
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

# %% [markdown]
# **Predict:** one event succeeds, one always fails. How many times does Lambda run the
# failing one, and with which request ids?

# %%
flaky = %lambda_function flaky
succeeded, failed, dead_letters = [], [], []
flaky.configure_async(on_success=succeeded, on_failure=failed, dead_letter=dead_letters, time_factor=0.01)
good = flaky.invoke({"id": 1}, invocation_type="Event")
bad = flaky.invoke_async({"id": 2, "fail": True})
good.status_code, bad.status_code

# %%
bad.wait(10)
print("attempts:", len(bad.attempts))
for attempt in bad.attempts:
    print(f"  request id {attempt.request_id}: {attempt.error_type}")
record = failed[0]["requestContext"]
record["condition"], record["approximateInvokeCount"], dead_letters

# %% [markdown]
# Three attempts (the first and two retries), all with the **same request id**: the event's.
# Then the on-failure destination got the invocation record (`RetriesExhausted`, 3 invocations)
# and the dead-letter queue the event itself. The good event's record went to the on-success
# destination:

# %%
good.wait(10)
succeeded[0]["responsePayload"], succeeded[0]["requestContext"]["condition"]

# %% [markdown]
# **Throttled asynchronous events are not lost.** A synchronous caller gets the 429; for an
# asynchronous event, Lambda keeps it in its queue and tries again with growing delays (1 s up
# to 5 minutes) for up to 6 hours (the event's maximum age). The same four requests as in
# section 4, against a function capped at one environment:

# %%
%%lambda_handler single --reserved-concurrency 1 --no-panel
import time
def lambda_handler(event, context):
    time.sleep(0.2)
    return event["n"]

# %%
single = %lambda_function single
sync = single.invoke_many([{"n": n} for n in range(4)], concurrency=4)
print("synchronous: ", sorted(r.status for r in sync))
queued = [single.invoke_async({"n": n}) for n in range(4)]
print("asynchronous:", [item.wait(20).status for item in queued])

# %% [markdown]
# <a id="idempotency"></a>
# ### Idempotency: retries run your code again
#
# A retried event runs the handler again, whatever the first attempt already did. Delivery of
# asynchronous events (and of SQS messages) is *at least once*: even a successful event can
# occasionally arrive twice. A handler with side effects must therefore be **idempotent**:
# running it twice for one event must have the effect of running it once.
#
# Below, a payment handler charges a card, then fails on a later step. A small HTTP service in
# this notebook stands in for the payment provider and for a database table (a function's file
# system is read-only outside its own `/tmp`, as on Lambda: side effects go over the network).
#
# **Predict:** one asynchronous event. How many charges end up in the ledger?

# %%
import http.server, json, threading
from lambda_magic import LambdaFunction

charges, keys = [], set()          # the payment provider's charges, and a table of keys

class Ledger(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        if self.path == "/charge":
            charges.append(f"charged {body['amount']} for {body['order']}")
            status = 200
        else:                      # /keys/<key>: a conditional write, 409 if the key exists
            key = self.path.removeprefix("/keys/")
            status = 409 if key in keys else 201
            keys.add(key)
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass

ledger = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ledger)
threading.Thread(target=ledger.serve_forever, daemon=True).start()

PAY = """
import json, os, urllib.error, urllib.request
LEDGER = os.environ["LEDGER_URL"]

def post(path, body=None):
    request = urllib.request.Request(LEDGER + path, json.dumps(body or {}).encode(), method="POST")
    return urllib.request.urlopen(request, timeout=5).status

def charge(order, amount):                       # the side effect: money moves
    post("/charge", {"order": order, "amount": amount})

def lambda_handler(event, context):
    charge(event["order"], event["amount"])
    raise RuntimeError("the receipt service is down")     # a later step fails
"""
pay = LambdaFunction("pay", PAY,
                     environment={"LEDGER_URL": f"http://127.0.0.1:{ledger.server_port}"})
pay.configure_async(time_factor=0.01)
pay.invoke_async({"order": "A-17", "amount": 42}).wait(10)
print("\n".join(charges))

# %% [markdown]
# Three charges for one order: one per attempt. The request id is the same on every retry, so
# it can serve as an **idempotency key**; a business key (the order id) also catches a client
# that sends the same order twice. Record the key with a *conditional write* (in DynamoDB, a
# `PutItem` with `attribute_not_exists`) before the side effect, and skip the side effect when
# the key is already there. Exercise 2 does it.

# %% [markdown]
# <a id="provisioned"></a>
# ## 6. Provisioned concurrency: environments initialized ahead of time
#
# Provisioned environments run Init when they are configured, not when a request arrives
# (`AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency`), so their first invocation has no
# cold start. Requests beyond them spill over to on-demand environments, which do. On Lambda
# they are billed while they exist, used or not, and count against the function's reserved
# concurrency. Their Init is not limited to 10 s.
#
# **On Lambda, provisioned concurrency is configured on a published version or an alias, never
# on `$LATEST`.** So publish the code as version 1 (`%lambda_publish`), name it with an alias
# (`%lambda_alias`), and provision the alias; callers invoke the alias (`--qualifier live`, or
# `Qualifier="live"` with boto3: [07 §5](07-calling-from-outside.ipynb#versions) does the same
# through Lambda's API).
#
# **Predict:** two provisioned environments, three requests at once. How many cold starts?

# %%
%%lambda_handler ready --no-panel
import os, time
time.sleep(0.2)                               # a slow Init, paid ahead of time
def lambda_handler(event, context):
    time.sleep(0.2)
    return os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]

# %%
%lambda_publish ready
%lambda_alias ready live 1 --provisioned 2

# %% [markdown]
# The alias says it: two environments of version 1 are already initialized.

# %%
from concurrent.futures import ThreadPoolExecutor
ready = %lambda_function ready
with ThreadPoolExecutor(3) as pool:
    results = list(pool.map(lambda _: ready.invoke({}, qualifier="live"), range(3)))
for r in sorted(results, key=lambda r: r.payload):
    init = f"{r.report.init_duration_ms:.2f} ms" if r.report.init_duration_ms is not None else "none"
    print(f"{r.payload:24} version {r.executed_version}  cold start: {r.cold_start!s:5}  "
          f"Init Duration: {init}")

# %% [markdown]
# One: the request that found both provisioned environments busy spilled over to a new
# on-demand environment of the same version, and paid its Init (about 200 ms) itself.
# (lambda_magic also accepts `--provisioned-concurrency` on `$LATEST`, as a shortcut that AWS
# does not have.)

# %% [markdown]
# <a id="timeline"></a>
# ## 7. The timeline of a scale-out
#
# One row per environment of `worker`.

# %% tags=nbval-ignore-output
fn.timeline()

# %% [markdown]
# Reading it: rows env-1 to env-5 start together with a short orange Init and a 0.3 s blue
# Invoke (section 1), then a second 0.3 s Invoke each (section 2). One of them also served the
# five sequential invocations: five thin strokes right after. Then all ten rows show the burst
# of section 3, two 0.1 s invocations each; env-6 to env-10 begin there, with an Init before
# their first invocation. Between invocations, and since, while the notebook worked with other
# functions, every environment is light-blue Frozen. The legend lists only the kinds the
# picture contains: here nothing failed, so there is no Reset.
#
# And the status of the function's pool:

# %% tags=nbval-ignore-output
%lambda_status worker

# %% [markdown]
# <a id="course-map"></a>
# ## Course map
#
# AWS's page [Running code with Lambda](https://docs.aws.amazon.com/lambda/latest/dg/concepts-how-lambda-runs-code.html)
# and the lifecycle page it leads to
# ([Understanding the Lambda execution environment lifecycle](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html))
# teach these concepts. Each row links to the cell that shows it; the last rows are for
# tutorials still to come.
#
# | concept | where you saw it |
# |---|---|
# | **Programming model**: Lambda receives an event, the runtime prepares it and calls the handler | [02 §1, the Runtime API](02-programming-model.ipynb#runtime-api) |
# | The handler, the event and the context | [01 §1](01-quickstart.ipynb#cold-start), [02 §2, the context](02-programming-model.ipynb#context), [04, events of AWS services](04-events.ipynb#router) |
# | The handler is ready for the next event once it has processed one | [02 §1](02-programming-model.ipynb#runtime-api), [01 §3, a warm start](01-quickstart.ipynb#warm-start) |
# | **Execution environment**: secure and isolated, created for the function | [03 §4, a private /tmp](03-lifecycle.ipynb#tmp), [02 §3, its variables](02-programming-model.ipynb#environment-variables) |
# | **Init**: bootstrap the runtime, run the function's static code | [01 §2, a cold start](01-quickstart.ipynb#cold-start), [03 §1](03-lifecycle.ipynb#init-once) |
# | Init is limited to 10 s and retried during the first invocation | [05 §3](05-errors-and-limits.ipynb#init-limit) |
# | Failures during Init | [05 §2](05-errors-and-limits.ipynb#init-error) |
# | Cold starts, latency, and optimizing static initialization (Init is billed) | [01 §4](01-quickstart.ipynb#report), [03 §2](03-lifecycle.ipynb#init-cost) |
# | **Invoke**: one event at a time per environment, frozen between invocations | [03 §3](03-lifecycle.ipynb#frozen), [§1 above](#scale-out) |
# | Reuse of an environment: globals and `/tmp` survive | [01 §3](01-quickstart.ipynb#warm-start), [03 §4](03-lifecycle.ipynb#tmp) |
# | Failures during Invoke: timeout or crash, reset, suppressed init | [03 §6](03-lifecycle.ipynb#timeout-reset), [05 §4](05-errors-and-limits.ipynb#timeout), [05 §5](05-errors-and-limits.ipynb#out-of-memory), [05 §8](05-errors-and-limits.ipynb#runtime-exit) |
# | **Shutdown**: SIGTERM to the runtime when extensions are registered | [03 §7](03-lifecycle.ipynb#shutdown) |
# | Idle environments are shut down; reuse is never guaranteed | [03 §8](03-lifecycle.ipynb#idle), [§2 above](#reuse) |
# | Provisioned concurrency: Init ahead of time | [§6 above](#provisioned) |
# | Scaling: concurrency, the account limit, the scaling rate, throttling | [§3](#scaling-arithmetic), [§4](#reserved) |
# | Invocation types: synchronous, asynchronous with retries and destinations | [§4](#reserved), [§5](#async), [idempotency](#idempotency) |
# | The timeline of an environment's phases | [03 §9](03-lifecycle.ipynb#timeline), [§7 above](#timeline), [the control panel](01-quickstart.ipynb#panel) |
# | Extension init, the Extensions and Telemetry APIs | a later tutorial on extensions |
# | Restore phase (SnapStart) | not emulated |
# | Runtimes of other languages: the same model in Node.js and Java, custom runtimes | [08 §1](08-one-model-three-languages.ipynb#same-event), [08 §2, what the runtime decides](08-one-model-three-languages.ipynb#what-differs), [08 §4, a bootstrap of your own](08-one-model-three-languages.ipynb#custom-runtime) |
# | Durable functions: `DurableContext`, steps with checkpoints, pausing and resuming | a later tutorial on durable functions |
# | Versions and aliases (and provisioned concurrency on them), invoking from outside | [§6 above](#provisioned), [07 §1](07-calling-from-outside.ipynb#serve), [07 §5](07-calling-from-outside.ipynb#versions) |
# | Functions that call functions (the Lambda API from inside a handler) | [07 §4](07-calling-from-outside.ipynb#chain) |
# | Lambda Managed Instances: several invocations per environment | not emulated |

# %% [markdown]
# ## What you saw
#
# - Concurrent requests each got an environment of their own, with their own cold start and
#   state; finished environments were reused warm. Sequential requests usually share one.
# - Concurrency is requests per second times duration, within the account's limit and the
#   scaling rate.
# - Reserved concurrency capped the function; synchronous callers got
#   `TooManyRequestsException`, asynchronous events waited in Lambda's queue.
# - Asynchronous events were retried twice on failure with the same request id, and their
#   outcome went to destinations; retries repeat side effects unless the handler is
#   idempotent.
# - Provisioned environments of an alias ran Init ahead of time (a version or an alias, as on Lambda);
#   overflow spilled to on-demand ones.
#
# ## Exercises
#
# ### Exercise 1: the concurrency a load needs
#
# A function takes 200 ms per request and must serve 50 requests per second. Compute the
# concurrency it needs. Then prove it: send 50 requests of 200 ms to `worker` with that
# concurrency, and with half of it, and compare the requests per second you get.

# %%
# your code here

# %% [markdown]
# ### Exercise 2: an idempotent payment
#
# Change the payment handler of section 5 so that one event charges once, however many times
# Lambda runs it: before charging, record the event's idempotency key with a conditional write
# (`post("/keys/" + key)` answers 409, raised as `urllib.error.HTTPError`, when the key is
# already there, as DynamoDB's `attribute_not_exists` refuses a second write). **Predict** the
# number of charges and attempts.

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# 50 requests/s × 0.2 s = 10 concurrent environments. With 10 at a time the 50 requests take
# about 1 s (50 per second); with 5, about 2 s (25 per second).

# %% tags=solution
needed = 50 * 0.2
print(f"concurrency needed: {needed:.0f}")
for concurrency in (10, 5):
    started = time.monotonic()
    results = fn.invoke_many([{"work": 0.2}] * 50, concurrency=concurrency)
    took = time.monotonic() - started
    print(f"{concurrency} at a time: 50 requests in {took:.2f} s, {50 / took:.1f} requests/s, "
          f"{len({r.environment_id for r in results})} environments")

# %% [markdown]
# ### Solution 2
#
# One charge, still three attempts: the retries find the key and skip the charge. The key is
# the request id here, which Lambda keeps for every retry of an event; the order id would also
# catch a client that sends the same order twice.

# %% tags=solution
IDEMPOTENT = PAY.replace('''    charge(event["order"], event["amount"])''', '''    try:
        post("/keys/" + context.aws_request_id)          # the idempotency key, written once
    except urllib.error.HTTPError:                       # 409: already there
        print("already charged for this event: skipping")
    else:
        charge(event["order"], event["amount"])''')
charges.clear()
pay.update_code(IDEMPOTENT)
item = pay.invoke_async({"order": "B-3", "amount": 7}).wait(10)
print(len(item.attempts), "attempts")
print("\n".join(charges))

# %% tags=solution
pay.shutdown()
ledger.shutdown()            # the stand-in service

# %% [markdown]
# This is the last of the core tutorials. The [course map](#course-map) above lists what the
# next ones add; [07-calling-from-outside](07-calling-from-outside.ipynb) calls these functions
# through Lambda's own API.
