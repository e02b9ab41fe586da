# %% [markdown]
# # Quickstart: a Lambda function in a notebook
#
# A `%%lambda_handler` cell becomes an AWS Lambda function. Invoking it runs the code in an
# **execution environment**: a separate process that goes through Lambda's lifecycle (Init
# once, Invoke many times, frozen in between, Shutdown), talks to the platform through Lambda's
# Runtime API, and writes Lambda's log lines. No Docker, no AWS account.
#
# **You will learn to**
#
# - define a function in a cell and invoke it, first cold, then warm;
# - read a `REPORT` line: Duration, Billed Duration, Init Duration, Max Memory Used;
# - recognise an error in Lambda's shape, and force a cold start with a reset;
# - tell the numbers that behave as on Lambda from the ones that only describe this machine
#   ([Lambda vs. here](#lambda-vs-here)).
#
# **Time:** about 15 minutes with the exercises; the notebook itself runs in a few seconds.
# **You need:** some Python. No AWS knowledge is assumed.
#
# Cells marked **Predict** ask you to guess what the next cell will show before you run it:
# write your guess down, then run the cell and compare.

# %%
%load_ext lambda_magic

# %% [markdown]
# ## 1. Define a function
#
# The cell below is the function's `lambda_function.py`. Code at the top level runs during
# **Init**, once per environment; `lambda_handler` runs on every **Invoke**. The options are
# Lambda's configuration: memory in MB, timeout in seconds, environment variables.
# `--no-panel` leaves out the control panel for now (you will meet it at the end).
#
# The output is the function's card: its configuration and its state (no environment yet).

# %%
%%lambda_handler hello --memory 256 --timeout 5 --env GREETING=Hello --no-panel
import os
COUNT = 0                      # module state: lives as long as the environment

def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print("handling", event)
    return {"message": f"{os.environ['GREETING']}, {event['name']}!", "invocation": COUNT}

# %% [markdown]
# <a id="cold-start"></a>
# ## 2. Invoke it: a cold start
#
# The first invocation finds no environment, so Lambda creates one and runs Init before the
# handler: that is a **cold start**. The log lines print as they happen; the cell's value is
# the result.

# %%
first = %lambda_invoke hello {"name": "Ada"}
first

# %% [markdown]
# Read the log lines from the top:
#
# - `INIT_START` opens the Init phase. It names the runtime version and its ARN; the 64 hex
#   characters at the end identify the exact runtime build, and you can skip them. (This is
#   the only cell of the tutorials that prints this line; later cells pass `--quiet` and show
#   what matters.)
# - `START RequestId: ...` opens the invocation. Every invocation has its own request id.
# - `handling {'name': 'Ada'}` is the handler's `print`: anything the function writes goes to
#   its log.
# - `END` and `REPORT` close it. `REPORT` carries the figures of the next section.
#
# The card under the log lines is the value of `first`: the response, and the same figures.

# %% [markdown]
# <a id="warm-start"></a>
# ## 3. Invoke again: a warm start
#
# **Predict:** the handler counts its invocations in `COUNT`, a module-level variable. What
# will `invocation` be in this second response, 1 or 2? Will the log show `INIT_START` again?

# %%
second = %lambda_invoke hello {"name": "Grace"}
second.payload, second.cold_start

# %% [markdown]
# `invocation` is 2 and there is no `INIT_START`: Lambda kept the environment after the first
# invocation, frozen, and thawed it for this event. Module state survived, and Init did not run
# again. That reuse is a **warm start** (`cold_start` is `False`).

# %% [markdown]
# <a id="report"></a>
# ## 4. Read the REPORT
#
# `Init Duration` appears only on a cold start. `Billed Duration` is Duration plus Init
# Duration, rounded up to the millisecond: since August 2025 Lambda bills the Init phase of
# on-demand functions too. `Max Memory Used` is the peak of the environment's processes, out of
# the configured Memory Size.

# %%
for r in (first, second):
    rep = r.report
    init = f"{rep.init_duration_ms:.2f} ms" if rep.init_duration_ms is not None else "none"
    print(f"{'cold' if r.cold_start else 'warm'}: Duration {rep.duration_ms:.2f} ms, "
          f"Init Duration {init}, Billed Duration {rep.billed_duration_ms} ms, "
          f"Max Memory Used {rep.max_memory_used_mb} MB of {rep.memory_size_mb} MB")

# %% [markdown]
# These are real measurements, but of this machine, not of Lambda. The Init Duration is a few
# milliseconds because environments here are forked from a process that already has the
# Python runtime loaded; on Lambda, starting the Python runtime alone takes about 100 ms, before
# your own imports. Memory is smaller for the same reason. Your own code's work (imports,
# computations, sleeps) is measured as it is. The next section says which numbers you can
# carry over to Lambda.

# %% [markdown]
# <a id="lambda-vs-here"></a>
# ## 5. Lambda vs. here
#
# lambda_magic follows Lambda's lifecycle, formats and rules. What the operating system of a
# laptop cannot reproduce, it says. Every tutorial links back to this table.
#
# | | on AWS Lambda | here |
# |---|---|---|
# | Lifecycle: Init once, Invoke many, frozen between invokes, Shutdown | yes | the same, with real processes (frozen with SIGSTOP) |
# | Log lines, `REPORT` fields, error shapes, context object, environment variables | as AWS documents them | the same names, shapes and formats |
# | Timeout, memory limit, payload limits, `/tmp` size | enforced | enforced (killed at the timeout or past `--memory`) |
# | **Init Duration** | about 100 ms for the Python runtime, plus your imports | milliseconds: the runtime is pre-loaded; your imports are measured as they are |
# | **Max Memory Used** | includes the runtime's own memory (tens of MB) | the real peak of the environment's processes, smaller (about 13 MB for an empty handler) |
# | **CPU** | proportional to memory (1,769 MB = one vCPU) | not scaled: every environment runs at this machine's full speed, whatever `--memory` |
# | Durations | on Lambda's hardware | on this machine: compare your code's durations, not the platform's |
# | Billed Duration | `ceil(Duration + Init Duration)` ms, charged per GB-second | the same arithmetic; nothing is charged |
# | **File paths** | code in `/var/task`, writable `/tmp` | code in a directory of its own (`LAMBDA_TASK_ROOT`, shown in stack traces); `/tmp` private to each environment on Linux; on macOS, Binder and most containers `tempfile.gettempdir()` is a private directory instead and the literal `/tmp` is the machine's |
# | **Shutdown** | SIGTERM to the runtime only when an extension is registered (300 ms, or 500 ms with an internal one); otherwise the runtime is stopped without warning | always SIGTERM, then SIGKILL after `--shutdown-grace` (300 ms by default), so Shutdown hooks can be tried ([03-lifecycle](03-lifecycle.ipynb#shutdown)) |
# | Idle environments | shut down after a while of no use (Lambda does not say when) | kept until a reset, a code change or the kernel's end, unless `--idle-timeout` ([03-lifecycle](03-lifecycle.ipynb#idle)) |
# | Concurrency | 1,000 per account and Region by default; 1,000 new environments every 10 s per function | at most `LAMBDA_MAGIC_CONCURRENCY` (64) invocations at once on the machine, started as fast as it can ([06-scaling](06-scaling.ipynb#scaling-arithmetic)) |
# | What the OS cannot enforce | a read-only file system outside `/tmp`; Lambda's network and architecture | the file system outside `/tmp` is writable by root (the package's files are read-only); the network and the architecture are this machine's; `lambda_magic.sandbox_info()` says which isolation the machine allows |
# | Credentials | the function's execution role | none of its own: boto3 inside a function uses the notebook's AWS credentials, if any |
# | Provisioned concurrency, versions, aliases | provisioned concurrency needs a published version or an alias | works on `$LATEST`; versions and aliases come with a later tutorial ([06-scaling](06-scaling.ipynb#provisioned)) |

# %% [markdown]
# ## 6. An error
#
# A handler that raises does not crash the environment: Lambda returns the error to the caller
# in its own shape (`errorMessage`, `errorType`, `requestId`, `stackTrace`) and logs it. The
# event below has a typo, so `event['name']` fails.

# %%
%%lambda_invoke hello --quiet
{"nmae": "typo"}

# %% [markdown]
# The error is a value, as on Lambda: the caller gets it and decides what to do.
# `%lambda_invoke --raise` (or `result.raise_for_error()`) turns it into an exception when a
# notebook should stop.
#
# The `%%lambda_invoke` cell above did not assign its result to a name. IPython keeps the value
# of the last cell that displayed one in `_` (underscore), so `_` is that result now:

# %%
oops = _
oops.error_type, oops.payload["errorMessage"], oops.cold_start

# %% [markdown]
# `cold_start` is `False`: the failed invocation ran in the warm environment, which is still
# there for the next event.

# %% [markdown]
# <a id="reset"></a>
# ## 7. Reset: the next invoke is cold again
#
# `%lambda_reset` runs the Shutdown phase of the function's environments. The next invocation
# needs a new environment.
#
# **Predict:** `COUNT` was 3 after the failed invocation. What is `invocation` in the response
# after a reset?

# %%
%lambda_reset hello
third = %lambda_invoke hello --quiet {"name": "Ada"}
third.cold_start, third.payload["invocation"]

# %% [markdown]
# A new environment ran Init again, so `COUNT` started from 0: module state belongs to an
# environment, never to the function. On Lambda you do not choose when this happens: an
# environment can be replaced at any time, so never keep anything in module state that you
# cannot lose.

# %% [markdown]
# ## 8. Status
#
# `%lambda_status` lists functions and their environments: one environment now, frozen, with
# one invocation. (`%lambda_logs hello` would show the function's log group as CloudWatch
# does.)

# %% tags=nbval-ignore-output
%lambda_status

# %% [markdown]
# <a id="panel"></a>
# ## 9. The control panel
#
# The same function, driven with buttons: edit the event, **Invoke**, **Invoke ×N** (several
# at once), **Init**, **Reset**, and watch the environments go through Init, Invoke, Frozen
# and Shutdown on a live timeline. A `%%lambda_handler` cell shows it unless you pass
# `--no-panel`; `%lambda_panel NAME` or `lambda_magic.panel(fn)` shows it anywhere.
#
# In a running notebook the buttons work; on GitHub or nbviewer you see the panel as it was
# when the notebook was saved.

# %%
import lambda_magic
fn = %lambda_function hello
panel = lambda_magic.panel(fn, event={"name": "Lin"})
panel

# %% [markdown]
# The panel's methods are its buttons. Run this and watch the panel above: a warm invocation
# appears in the result view and on the timeline.

# %%
panel.invoke()     # what the Invoke button does
panel.wait()       # True once the invocation is over and the panel shows it

# %% [markdown]
# Reading the panel from the top: the function's configuration and the lifecycle buttons; the
# event editor, next to the environments, each with its current phase lit on an
# Init → Invoke → Shutdown diagram; the result of the last invocation with its REPORT figures;
# the history of invocations; and the timeline, one row per environment the panel has seen:
# an orange Init, blue invocations, light-blue Frozen stretches in between, and a black bar
# where an environment was shut down. A live notebook
# updates it as you go; a saved one (on GitHub or nbviewer) shows it as it was at the end of
# the notebook, after the exercises' solutions, which change `hello` again.

# %% [markdown]
# ## What you saw
#
# - A cell became a Lambda function; its top-level code ran once per environment (Init).
# - The first invoke was a **cold start** (`INIT_START`, `Init Duration` in `REPORT`); the
#   next one was **warm** and kept module state.
# - Billed Duration is Duration plus Init Duration, rounded up; the Init and memory figures
#   here are smaller than Lambda's ([Lambda vs. here](#lambda-vs-here)).
# - Errors came back in Lambda's shape, as values; the environment stayed warm.
# - `%lambda_reset` shut the environment down, and the next invoke was cold again, with fresh
#   module state.
#
# ## Exercises
#
# ### Exercise 1: a counter per environment
#
# Define a function `counter` whose handler returns how many times *its environment* has been
# invoked. Invoke it three times, reset it, and invoke it once more. Write down the four
# numbers you expect before you run anything.

# %%
# your code here

# %% [markdown]
# ### Exercise 2: a configuration change
#
# Re-run the definition of `hello` with `--memory 512` instead of `--memory 256` (same code).
# **Predict:** is the next invocation cold or warm? What does its `REPORT` say for Memory Size?

# %%
# your code here

# %% [markdown]
# ### Exercise 3: what a month costs
#
# A function with 512 MB of memory is invoked 3 million times a month; each invocation is
# billed 120 ms, and 2 % of them are cold starts with an Init Duration of 400 ms. Lambda charges
# $0.0000166667 per GB-second and $0.20 per million requests (x86, us-east-1, before the free
# tier). What does the month cost, and what share of it is Init?

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# Module state counts per environment: 1, 2, 3, then after the reset a new environment starts
# from 1 again.

# %% tags=solution
%%lambda_handler counter --no-panel
SEEN = 0
def lambda_handler(event, context):
    global SEEN
    SEEN += 1
    return SEEN

# %% tags=solution
counter = %lambda_function counter
before = [counter.invoke().payload for _ in range(3)]
%lambda_reset counter
after = counter.invoke().payload
before, after

# %% [markdown]
# ### Solution 2
#
# Any configuration change publishes a new revision, and Lambda never runs a new revision in
# an old environment: the card says the environments were shut down, and the next invoke is
# cold, with Memory Size 512 MB.

# %% tags=solution
%%lambda_handler hello --memory 512 --timeout 5 --env GREETING=Hello --no-panel
import os
COUNT = 0                      # module state: lives as long as the environment

def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print("handling", event)
    return {"message": f"{os.environ['GREETING']}, {event['name']}!", "invocation": COUNT}

# %% tags=solution
r = %lambda_invoke hello --quiet {"name": "Ada"}
r.cold_start, r.report.memory_size_mb

# %% [markdown]
# ### Solution 3
#
# GB-seconds are memory in GB times billed seconds; cold starts add their Init Duration.

# %% tags=solution
invocations, memory_gb = 3_000_000, 512 / 1024
cold = invocations * 0.02
gb_seconds = memory_gb * (invocations * 0.120 + cold * 0.400)
init_gb_seconds = memory_gb * cold * 0.400
compute = gb_seconds * 0.0000166667
requests = invocations / 1_000_000 * 0.20
print(f"{gb_seconds:,.0f} GB-s: compute ${compute:.2f} + requests ${requests:.2f} "
      f"= ${compute + requests:.2f} a month; Init is {init_gb_seconds / gb_seconds:.1%} of the compute")

# %% [markdown]
# Next: [02-programming-model](02-programming-model.ipynb) follows one event through the
# Runtime API.
