# %% [markdown]
# # The execution environment lifecycle
#
# An **execution environment** is where a function's code runs: on Lambda a micro-VM with the
# runtime process inside; here a sandboxed process of this kernel. It goes through three
# phases:
#
# - **Init**: start the runtime and import the function's module (once per environment);
# - **Invoke**: handle events, one at a time, many times, **frozen** in between;
# - **Shutdown**: when Lambda recycles the environment.
#
# This notebook makes each rule of that lifecycle visible.

# %%
%load_ext lambda_magic

# %% [markdown]
# ## 1. Init once, invoke many
#
# Top-level code runs during Init. Its results (here a counter and the time Init ran) survive
# between invocations of the same environment: that is why SDK clients and database
# connections are created outside the handler.

# %%
%%lambda_handler life --timeout 1 --shutdown-grace 1000 --no-panel
import os, signal, tempfile, threading, time

INIT_AT = time.time()
NOTES = os.path.join(tempfile.gettempdir(), "notes.txt")   # /tmp/notes.txt on Lambda
INVOCATIONS = 0
TICKS = 0

def tick():                                   # a background thread started during Init
    global TICKS
    while True:
        TICKS += 1
        time.sleep(0.01)

threading.Thread(target=tick, daemon=True).start()

def goodbye(signum, frame):                   # runs in the Shutdown phase
    print("SIGTERM received: closing connections, flushing buffers")
    raise SystemExit(0)

signal.signal(signal.SIGTERM, goodbye)

def lambda_handler(event, context):
    global INVOCATIONS
    INVOCATIONS += 1
    if event.get("write"):
        with open(NOTES, "a") as f:
            f.write(event["write"] + "\n")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    notes = open(NOTES).read().split() if os.path.exists(NOTES) else []
    return {"pid": os.getpid(), "invocations": INVOCATIONS, "init_at": INIT_AT, "ticks": TICKS,
            "notes": notes}

# %%
fn = %lambda_function life
first = %lambda_invoke life --quiet {"write": "first"}
second = %lambda_invoke life --quiet {"write": "second"}
print("cold start:", first.cold_start, "| Init Duration reported:", first.report.init_duration_ms is not None)
print("warm start:", not second.cold_start, "| Init Duration reported:", second.report.init_duration_ms is not None)
print("same environment:", first.payload["pid"] == second.payload["pid"],
      "| Init ran once:", first.payload["init_at"] == second.payload["init_at"],
      "| invocations:", second.payload["invocations"])

# %% [markdown]
# ## 2. Frozen between invocations
#
# Once the runtime answers and asks for the next event, Lambda freezes the whole environment.
# The background thread started during Init counts every 10 ms while it runs; across a second
# of idle time it makes no progress at all.

# %%
import time
before = %lambda_invoke life --quiet {}
time.sleep(1)
after = %lambda_invoke life --quiet {}
ticks = after.payload["ticks"] - before.payload["ticks"]
print("ticks while the notebook waited 1 s:", "almost none" if ticks < 5 else ticks,
      "(about 100 if the environment were not frozen)")

# %% [markdown]
# With `--no-freeze` (for code that really needs background work between invocations; on Lambda
# it would not get it) the same thread keeps counting:

# %%
%%lambda_handler unfrozen --no-freeze --no-panel
import threading, time
TICKS = 0
def tick():
    global TICKS
    while True:
        TICKS += 1
        time.sleep(0.01)
threading.Thread(target=tick, daemon=True).start()
def lambda_handler(event, context):
    return TICKS

# %%
before = %lambda_invoke unfrozen --quiet {}
time.sleep(1)
after = %lambda_invoke unfrozen --quiet {}
print("counted while idle:", after.payload - before.payload > 50)

# %% [markdown]
# ## 3. /tmp is kept, and private to each environment
#
# Files written to `/tmp` stay for the environment's next invocations (above, `notes` grew).
# Two invocations at the same time need two environments, and each has its own `/tmp` (and its
# own Init). The notebook's own `/tmp` is not visible to either. (The handler finds `/tmp` with
# `tempfile.gettempdir()`, as portable code does: where this machine cannot give an environment a
# `/tmp` of its own, such as on Binder or macOS, that is the environment's private directory.)

# %%
pair = fn.invoke_many([{"write": "a", "sleep": 0.3}, {"write": "b", "sleep": 0.3}], concurrency=2)
for r in sorted(pair, key=lambda r: r.environment_id):
    earlier = r.payload["notes"][:-1]     # the last note is this invocation's own
    print(r.environment_id, "cold" if r.cold_start else "warm", "| notes from earlier invocations:", earlier)

# %% [markdown]
# ## 4. A code change means new environments
#
# Publishing new code (re-running a `%%lambda_handler` cell with changes) shuts the old
# environments down; the next invocation is a cold start of the new revision.

# %%
fn.update_code(fn.code.replace('INVOCATIONS = 0', 'INVOCATIONS = 100'))
r = %lambda_invoke life --quiet {}
r.cold_start, r.payload["invocations"], fn.revision

# %% [markdown]
# ## 5. A timeout resets the environment
#
# Past the function's timeout (1 s here) Lambda stops the runtime and reports
# `Sandbox.Timedout`. The environment is **reset**, not replaced: `/tmp` is kept, and the next
# invocation re-runs Init inside itself (a *suppressed init*: no `Init Duration` in REPORT; the
# Init time is part of Duration).

# %%
%lambda_invoke life --quiet {"write": "before-timeout"}
late = %lambda_invoke life --quiet {"sleep": 5}
print(late.payload["errorType"], "-", late.payload["errorMessage"].split(" Error: ")[1])
print(late.logs.splitlines()[-1].split("\t")[1], late.logs.splitlines()[-1].split("\t")[-2])

# %%
after = %lambda_invoke life --quiet {}
print("cold start:", after.cold_start, "| Init Duration in REPORT:", after.report.init_duration_ms is not None)
print("/tmp survived the reset:", after.payload["notes"])

# %% [markdown]
# ## 6. Shutdown runs the SIGTERM hook
#
# When Lambda shuts an environment down it sends the runtime SIGTERM and waits briefly before
# SIGKILL (here up to 1 s: `--shutdown-grace 1000`; Lambda gives at most 2 s). The hook
# registered during Init runs; its output goes to the function's logs.

# %%
%lambda_reset life
%lambda_logs life --tail 1

# %% [markdown]
# ## 7. The timeline
#
# Every state change of every environment, on one picture: Init, Invoke, Frozen and Shutdown.
# In JupyterLab, `%lambda_panel life` shows the same picture live.

# %% tags=nbval-ignore-output
fn.timeline()

# %% [markdown]
# ## What you saw
#
# - Init ran once per environment; module state survived between warm invocations.
# - Between invocations the environment was frozen: a background thread made no progress.
# - `/tmp` persisted across invocations (and a timeout) and was private to each environment.
# - New code meant new environments; a timeout reset the environment, whose next Init ran
#   inside the next invocation (no `Init Duration`).
# - Shutdown sent SIGTERM and the hook's output reached the logs.
#
# Next: [04-events](04-events.ipynb), realistic events from AWS services.
