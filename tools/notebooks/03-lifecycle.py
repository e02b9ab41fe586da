# %% [markdown]
# # The execution environment lifecycle
#
# An **execution environment** is where a function's code runs: on Lambda a micro-VM with the
# runtime process inside; here a sandboxed process of this kernel. It goes through three
# phases:
#
# - **Init**: start the runtime and import the function's module (once per environment);
# - **Invoke**: handle events, many times, one at a time (for standard functions; Lambda
#   Managed Instances run several at once), **frozen** in between;
# - **Shutdown**: when Lambda recycles the environment.
#
# **You will learn to**
#
# - tell what runs once per environment (Init) and what runs on every event;
# - decide what to import at the top level and what lazily, now that Init is billed;
# - predict what survives between invocations (module state, `/tmp`, background threads) and
#   what a timeout, a code change or an idle period does to it;
# - write a Shutdown hook, knowing when Lambda runs it and when it does not;
# - read an environment's life on a timeline.
#
# **Time:** about 30 minutes with the exercises. **Before:**
# [02-programming-model](02-programming-model.ipynb). The Init Durations and memory figures are
# this machine's: see [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).

# %%
%load_ext lambda_magic

# %% [markdown]
# <a id="init-once"></a>
# ## 1. Init once, invoke many
#
# Top-level code runs during Init. What it creates (here: the time Init ran, a counter, a
# background thread and a Shutdown hook) lives as long as the environment. That is why SDK
# clients and database connections are created outside the handler.
#
# This time the cell keeps its **control panel** (no `--no-panel`): it follows the function
# through the whole notebook, and its timeline draws every phase you are about to see.

# %%
%%lambda_handler life --timeout 1
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

def goodbye(signum, frame):                   # runs in the Shutdown phase (see section 8)
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
    return {"pid": os.getpid(), "invocations": INVOCATIONS, "init_at": INIT_AT,
            "ticks": f"{TICKS} ticks", "notes": notes}

# %% [markdown]
# **Predict:** two invocations in a row. How many times does the top-level code run? Will the
# two responses show the same `init_at`?

# %%
fn = %lambda_function life
first = %lambda_invoke life --quiet {"write": "first"}
second = %lambda_invoke life --quiet {"write": "second"}
for r in (first, second):
    init = f"{r.report.init_duration_ms:.2f} ms" if r.report.init_duration_ms is not None else "none"
    print(f"{'cold' if r.cold_start else 'warm'} start in {r.environment_id}: Init ran at "
          f"{r.payload['init_at']}, invocations so far {r.payload['invocations']}, "
          f"Init Duration {init}")

# %% [markdown]
# Once: both invocations ran in `env-1`, with the same `init_at`. Only the first reported an
# Init Duration.

# %% [markdown]
# <a id="init-cost"></a>
# ## 2. What Init costs: top-level or lazy imports
#
# Since 1 August 2025 Lambda bills the Init phase of on-demand functions: Billed Duration is
# `ceil(Duration + Init Duration)`. Before, the Init of functions on managed runtimes (ZIP
# packages) was free, and moving work to the top level saved money; custom runtimes and
# container images were already billed for it. Now it saves nothing: what matters is *when*
# the work is paid, and *who waits* for it.
#
# Two functions use the same slow module, `heavy.py` (a 0.3 s sleep standing in for a big
# library or a model). One imports it at the top level; the other only when an event needs it.
# Each is invoked three times: an event that does not need the module, then two that do.
#
# **Predict:** which function bills more for the first invocation? Which one makes the second
# invocation slow?

# %%
from lambda_magic import LambdaFunction

HEAVY = "import time\ntime.sleep(0.3)   # stands in for a heavy import\nVERSION = '1.0'\n"
TOP_LEVEL = '''
import heavy                               # Init pays for it, on every cold start
def lambda_handler(event, context):
    return heavy.VERSION if event["report"] else "no report"
'''
LAZY = '''
def lambda_handler(event, context):
    if not event["report"]:
        return "no report"
    import heavy                           # the first invocation that needs it pays
    return heavy.VERSION
'''
events = [{"report": False}, {"report": True}, {"report": True}]
for name, code in [("top-level", TOP_LEVEL), ("lazy", LAZY)]:
    f = LambdaFunction(name, code, files={"heavy.py": HEAVY})
    for n, event in enumerate(events, 1):
        rep = f.invoke(event).report
        init = f"{rep.init_duration_ms:.2f} ms" if rep.init_duration_ms is not None else "none"
        print(f"{name} #{n} (report: {event['report']}): Init Duration {init}, "
              f"Duration {rep.duration_ms:.2f} ms, Billed Duration {rep.billed_duration_ms} ms")
    f.shutdown()

# %% [markdown]
# Both pay about 300 ms once per environment, so over many invocations they cost the same.
# The difference is who pays:
#
# - **top level**: every cold start waits for the import, even for an event that does not need
#   it (the first line). Afterwards nobody waits.
# - **lazy**: the cold start is cheap; the first event that needs the module waits for it
#   (Python then keeps the module, so later ones do not).
#
# Import at the top level what most invocations use (SDK clients, connections): with
# provisioned concurrency ([06](06-scaling.ipynb#provisioned)), which runs Init ahead of time,
# that work leaves the request path altogether. Import lazily what only a few code paths need,
# and keep Init well under its 10 s limit ([05](05-errors-and-limits.ipynb#init-limit)).

# %% [markdown]
# <a id="frozen"></a>
# ## 3. Frozen between invocations
#
# Once the runtime answers and asks for the next event, Lambda freezes the whole environment.
# The background thread started during Init adds a tick every 10 ms while it runs.
#
# **Predict:** the notebook waits one second between two invocations. How many ticks does the
# thread add during that second: about 100, or almost none?

# %%
import time
before = %lambda_invoke life --quiet {}
time.sleep(1)
after = %lambda_invoke life --quiet {}
print(f"the thread had counted {before.payload['ticks']} by the end of one invocation,")
print(f"and {after.payload['ticks']} at the start of the next, one second later")

# %% [markdown]
# Almost none: a frozen environment does not run at all, background threads included. Work a
# handler leaves for "later" in a thread may never happen, or happen during another
# invocation. With `--no-freeze` (for code that really needs background work between
# invocations; on Lambda it would not get it) the same thread keeps counting:

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
print(f"the thread had counted {before.payload} ticks by the end of one invocation,")
print(f"and {after.payload} ticks at the start of the next, one second later")

# %% [markdown]
# <a id="tmp"></a>
# ## 4. /tmp is kept, and private to each environment
#
# Files written to `/tmp` stay for the environment's next invocations (above, `notes` grew).
# Two invocations at the same time need two environments, each with its own `/tmp` and its own
# Init. The handler finds `/tmp` with `tempfile.gettempdir()`, as portable code does: where this
# machine cannot give an environment a `/tmp` of its own (Binder, macOS), that is the
# environment's private directory instead ([Lambda vs. here](01-quickstart.ipynb#lambda-vs-here)).
#
# **Predict:** two invocations at once, each writing a note. What will each see of the notes
# written earlier by `first` and `second`?

# %%
pair = fn.invoke_many([{"write": "a", "sleep": 0.3}, {"write": "b", "sleep": 0.3}], concurrency=2)
for r in sorted(pair, key=lambda r: r.environment_id):
    earlier = r.payload["notes"][:-1]     # the last note is this invocation's own
    print(r.environment_id, "cold" if r.cold_start else "warm", "| notes from earlier invocations:", earlier)

# %% [markdown]
# One invocation ran in the warm `env-1` and found the earlier notes; the other needed a new
# environment, `env-2`, whose `/tmp` was empty.

# %% [markdown]
# <a id="new-code"></a>
# ## 5. A code change means new environments
#
# Publishing new code (re-running a `%%lambda_handler` cell with changes, or `update_code`)
# shuts the old environments down; the next invocation is a cold start of the new revision.

# %%
fn.update_code(fn.code.replace("INVOCATIONS = 0", "INVOCATIONS = 100"))
r = %lambda_invoke life --quiet {}
r.cold_start, r.payload["invocations"], fn.revision

# %% [markdown]
# <a id="timeout-reset"></a>
# ## 6. A timeout resets the environment
#
# Past the function's timeout (1 s here) Lambda stops the runtime and reports
# `Sandbox.Timedout`. The environment is **reset**, not replaced.
#
# **Predict:** a note is written, then an invocation sleeps 5 s and times out. Is the note
# still in `/tmp` for the invocation after the timeout? Will that invocation report an Init
# Duration?

# %%
%lambda_invoke life --quiet {"write": "before-timeout"}
late = %lambda_invoke life --quiet {"sleep": 5}
print(late.payload)
print(f"Duration {late.report.duration_ms:.2f} ms, status {late.report.status}")

# %% [markdown]
# Duration is exactly the timeout, and the status says so. Now the next invocation:

# %%
after = %lambda_invoke life --quiet {}
print("cold start:", after.cold_start, "| Init ran inside this invocation:", after.suppressed_init)
print(f"Init Duration in REPORT: {after.report.init_duration_ms}, Duration {after.report.duration_ms:.2f} ms")
print("/tmp after the reset:", after.payload["notes"])

# %% [markdown]
# The note survived: a reset stops the runtime but keeps the environment and its `/tmp`. The
# next invocation re-ran Init inside itself, a **suppressed init**: REPORT has no Init
# Duration, the Init's time is part of Duration, and it counts against the function's timeout.

# %% [markdown]
# <a id="shutdown"></a>
# ## 7. Shutdown, and the SIGTERM hook
#
# `life` registered a SIGTERM handler during Init. Whether it ever runs on Lambda depends on
# extensions:
#
# - **With an extension registered** (a monitoring agent, or an internal extension you register
#   yourself, as AWS's graceful-shutdown samples do), Lambda sends the runtime **SIGTERM** at
#   Shutdown and gives it **300 ms** (500 ms when the extension is internal) before SIGKILL,
#   within a Shutdown phase of at most **2,000 ms** shared with external extensions.
# - **With no extension**, there is no graceful shutdown: the runtime is killed without a
#   signal it can catch, and the hook never runs.
#
# lambda_magic has no extensions, yet it **always** sends SIGTERM and waits `--shutdown-grace`
# milliseconds (300 by default, what Lambda gives the runtime when an external extension is
# registered) before SIGKILL, so that you can write and test a hook here. On Lambda, count on it only if the function has an extension; keep
# it short, and never make correctness depend on it.
#
# **Predict:** the environment is shut down with `%lambda_reset`. Where does the hook's `print`
# go, and how will the shutdown be described: graceful or killed?

# %%
%lambda_reset life
%lambda_logs life --tail 1

# %% [markdown]
# The hook ran within the grace period (graceful), and its output went to the function's log,
# like everything else the runtime prints.

# %% [markdown]
# <a id="idle"></a>
# ## 8. Idle environments are shut down
#
# Lambda does not keep environments forever: after a while without invocations it shuts them
# down (it does not publish how long), and it may replace an environment at any time. Code must
# never rely on a warm environment being there. lambda_magic keeps environments until a reset,
# a code change or the end of the kernel, unless the function has `--idle-timeout` (seconds).
#
# **Predict:** with `--idle-timeout 1`, the function is invoked, the notebook waits until its
# environment is gone, and invokes again. Cold or warm? Does the SIGTERM hook run?

# %%
%%lambda_handler idler --idle-timeout 1 --no-panel
import signal
def goodbye(signum, frame):
    print("SIGTERM received after an idle period")
    raise SystemExit(0)
signal.signal(signal.SIGTERM, goodbye)
def lambda_handler(event, context):
    return "done"

# %%
idler = %lambda_function idler
%lambda_invoke idler --quiet {}
waited = time.monotonic()
while idler.environments and time.monotonic() - waited < 10:
    time.sleep(0.05)
print(f"the environment was shut down after {time.monotonic() - waited:.1f} s without invocations")

# %% [markdown]
# The hook ran: an idle shutdown is a Shutdown phase like any other, and its line is the last
# of the log.

# %%
%lambda_logs idler --tail 1

# %% [markdown]
# And the next invocation:

# %%
again = %lambda_invoke idler --quiet {}
print("the next invocation was a", "cold start" if again.cold_start else "warm start")

# %% [markdown]
# <a id="timeline"></a>
# ## 9. The timeline
#
# Every state change of every environment of `life`, on one picture. Hover over a span to see
# its exact length. The panel under the definition of `life` (section 1) drew the same picture
# live.

# %% tags=nbval-ignore-output
fn.timeline()

# %% [markdown]
# How to read it, row by row (one row per environment, time from left to right):
#
# - **env-1**: a short orange Init and the two thin blue invocations of section 1. Long
#   light-blue Frozen stretches follow, while the notebook did other things (the one-second
#   wait of section 3 is one of them), broken by thin invocations; then the wider 0.3 s
#   invocation of section 4. The black bar at the end is its Shutdown, caused by the code
#   change of section 5.
# - **env-2**: started for the second of the two simultaneous invocations of section 4: Init
#   and that invocation, shut down by the same code change.
# - **env-3**: revision 2. After its Init and two quick invocations, the long blue Invoke is
#   the one that timed out after 1 s; right after it comes a thin purple **Reset**, then the
#   pale dashed **Suppressed Init** inside the next invocation, that invocation, and the
#   Shutdown of section 7.
#
# The legend lists only the kinds of span the picture contains. The text form under it (what
# GitHub shows when it cannot draw the picture) lists the same states in order:

# %%
print(repr(fn.timeline()))

# %% [markdown]
# ## What you saw
#
# - Init ran once per environment; module state survived between warm invocations.
# - Init is billed: top-level imports make every cold start wait, lazy imports the first event
#   that needs them.
# - Between invocations the environment was frozen: a background thread made no progress.
# - `/tmp` persisted across invocations (and a timeout) and was private to each environment.
# - New code meant new environments; a timeout reset the environment, whose next Init ran
#   inside the next invocation (a suppressed init: no `Init Duration`).
# - Shutdown sent SIGTERM here; on Lambda it does so only when an extension is registered.
# - Idle environments go away; the next invocation is cold.
#
# ## Exercises
#
# ### Exercise 1: a slow Shutdown hook
#
# Write a function whose SIGTERM hook prints a line, then sleeps 1 s before exiting. Invoke it
# once and reset it. **Predict:** with the default grace of 300 ms, is the shutdown graceful or
# killed? Does the printed line reach the logs? Then try `--shutdown-grace 2000`.

# %%
# your code here

# %% [markdown]
# ### Exercise 2: /tmp as a cache
#
# Write a function that "downloads" a file into `/tmp` during its first invocation (write a few
# bytes and sleep 0.2 s) and reuses it afterwards, and that returns whether it found the file
# already there. **Predict** the answer for: the second invocation; the invocation after a
# timeout; the invocation after a code change.

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# The line is printed at once, so it reaches the logs; the sleep outlasts the 300 ms grace,
# so the runtime is killed. With 2,000 ms of grace the hook finishes and exits: graceful.

# %% tags=solution
%%lambda_handler slow_goodbye --no-panel
import signal, sys, time
def goodbye(signum, frame):
    print("SIGTERM: flushing for one second")
    time.sleep(1)
    sys.exit(0)
signal.signal(signal.SIGTERM, goodbye)
def lambda_handler(event, context):
    return "ok"

# %% tags=solution
%lambda_invoke slow_goodbye --quiet {}
%lambda_reset slow_goodbye
%lambda_logs slow_goodbye --tail 1

# %% tags=solution
slow_goodbye = %lambda_function slow_goodbye
slow_goodbye.update_config(shutdown_grace_ms=2000)
%lambda_invoke slow_goodbye --quiet {}
%lambda_reset slow_goodbye

# %% [markdown]
# ### Solution 2
#
# Found on the second invocation (same environment) and after the timeout (a reset keeps
# `/tmp`); not after the code change (a new environment).

# %% tags=solution
%%lambda_handler cache --timeout 1 --no-panel
import os, tempfile, time
MODEL = os.path.join(tempfile.gettempdir(), "model.bin")
def lambda_handler(event, context):
    found = os.path.exists(MODEL)
    if not found:
        time.sleep(0.2)                       # the download
        with open(MODEL, "wb") as f:
            f.write(b"weights")
    time.sleep(event.get("sleep", 0))
    return "found in /tmp" if found else "downloaded"

# %% tags=solution
cache = %lambda_function cache
print("first:              ", cache.invoke().payload)
print("second:             ", cache.invoke().payload)
print("timed out:          ", cache.invoke({"sleep": 2}).error_type)
print("after the timeout:  ", cache.invoke().payload)
cache.update_code(cache.code + "\n# a new revision\n")
print("after a code change:", cache.invoke().payload)

# %% [markdown]
# Next: [04-events](04-events.ipynb), realistic events from AWS services.
