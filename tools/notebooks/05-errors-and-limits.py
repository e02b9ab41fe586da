# %% [markdown]
# # Errors and limits
#
# What goes wrong on Lambda, how Lambda reports it, and what to do about it. Each error comes
# back in Lambda's own shape, with the `errorType` you would search CloudWatch for.
#
# **You will learn to**
#
# - recognise each kind of failure by its `errorType` and its log lines;
# - tell the failures that keep an environment warm from the ones that reset it;
# - read an Init that failed or took longer than 10 s, and the retry inside the invocation;
# - stop before the timeout, and size memory and `/tmp`.
#
# **Time:** about 25 minutes with the exercises; one cell waits 10 s on purpose (the Init
# limit). **Before:** [03-lifecycle](03-lifecycle.ipynb). Local numbers:
# [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).
#
# | what happened | `errorType` | where it shows |
# |---|---|---|
# | the handler raised | the exception's class, e.g. `KeyError` | the response, and `[ERROR]` in the logs |
# | the module failed to import | `Runtime.ImportModuleError` (and friends) | every invocation, `INIT_REPORT ... Status: error` in the logs |
# | Init took longer than 10 s | whatever the retry inside the invocation gives | `INIT_REPORT ... Status: timeout` |
# | past the timeout | `Sandbox.Timedout` | `REPORT ... Status: timeout` |
# | over the memory size | `Runtime.OutOfMemory` | `REPORT ... Status: error Error Type: Runtime.OutOfMemory` |
# | the runtime process exited | `Runtime.ExitError` | `REPORT ... Status: error` |
# | /tmp full | `OSError: [Errno 28] No space left on device` inside the handler | your own code |
# | event or response too large | `RequestTooLargeException` / `Function.ResponseSizeTooLarge` | the caller |

# %%
%load_ext lambda_magic
import time
from lambda_magic import LambdaFunction
from lambda_magic.core.errors import InvalidRequestError

# %% [markdown]
# <a id="handler-exception"></a>
# ## 1. An exception in the handler
#
# The caller gets `errorMessage`, `errorType`, `requestId` and the handler's stack trace.
# **What to do:** validate input, and catch what you can handle.

# %%
%%lambda_handler divide --no-panel
def lambda_handler(event, context):
    return {"ratio": event["a"] / event["b"]}

# %%
%lambda_invoke divide --quiet {"a": 1, "b": 0}

# %% [markdown]
# The trace's file is `lambda_function.py` in the function's task root; on Lambda its path
# would be `/var/task/lambda_function.py`.
#
# **Predict:** after this exception, is the next invocation of `divide` a cold start?

# %%
r = %lambda_invoke divide --quiet {"a": 1, "b": 4}
r.payload, r.cold_start

# %% [markdown]
# Warm: an exception is an answer like any other; the runtime posts it and asks for the next
# event. The environment, its module state and `/tmp` are untouched.

# %% [markdown]
# <a id="init-error"></a>
# ## 2. An import error
#
# A missing dependency fails Init. **What to do:** ship the dependency in the deployment
# package or a layer (here: `%%lambda_file`, or install it into the kernel's environment).
#
# **Predict:** how many `INIT_REPORT` lines will one invocation of this function log, and with
# which `Phase`?

# %%
%%lambda_handler needs_lib --no-panel
import not_installed_anywhere
def lambda_handler(event, context):
    return "never"

# %%
r = %lambda_invoke needs_lib --quiet {}
print(r.payload)
print(*r.log_lines("INIT_REPORT"), sep="\n")

# %% [markdown]
# Two. Init failed in the Init phase (`Phase: init`); Lambda then retried it inside the
# invocation (`Phase: invoke`), where it failed again, and returned the import error with an
# empty `requestId` (no invocation had started when it happened). Every invocation repeats
# this until the code is fixed.

# %% [markdown]
# <a id="init-limit"></a>
# ## 3. An Init longer than 10 seconds
#
# The Init phase of an on-demand environment may take at most **10 s**. Past that, Lambda stops
# it (`INIT_REPORT ... Status: timeout`) and retries Init inside the first invocation, as a
# *suppressed init* limited by the function's timeout (3 s here). The 10 s limit does not apply
# to provisioned concurrency or SnapStart, whose Init may take the larger of 130 s and the
# function's timeout.
#
# This function's Init waits for a database that becomes reachable 10.5 s after the cell runs:
# the first Init is cut at 10 s; the retry waits the remaining half second.
#
# **Predict:** will the invocation succeed? Will its REPORT have an Init Duration? About how
# long will its Duration be?

# %%
WAITS = """
import os, time
while time.time() < float(os.environ["DB_UP_AT"]):     # wait for the database
    time.sleep(0.05)
def lambda_handler(event, context):
    return "connected"
"""
slow_init = LambdaFunction("slow_init", WAITS, environment={"DB_UP_AT": str(time.time() + 10.5)})
r = slow_init.invoke()
print(r.payload)
print(*r.log_lines("INIT_REPORT"), sep="\n")
print("Init ran inside the invocation:", r.suppressed_init)
print(f"Init Duration in REPORT: {r.report.init_duration_ms}, Duration {r.report.duration_ms:.2f} ms")

# %% [markdown]
# It succeeded, after 10 s of failed Init plus the retry. The first Init is reported only by
# `INIT_REPORT` (`Status: timeout`, `Phase: init`); the retry ran inside the invocation, so
# REPORT has no Init Duration and its Duration (about 500 ms) includes it. The caller waited
# the whole time. **What to do:** keep Init well under 10 s: import lazily what only some
# invocations need ([03-lifecycle](03-lifecycle.ipynb#init-cost)), put timeouts on network
# calls made during Init, or use provisioned concurrency.

# %%
slow_init.shutdown()   # its Shutdown phase: how the runtime ended

# %% [markdown]
# <a id="timeout"></a>
# ## 4. A timeout
#
# Lambda stops the invocation at the configured timeout, reports exactly the timeout as
# Duration, and resets the environment. **What to do:** raise the timeout, or check
# `context.get_remaining_time_in_millis()` and stop early (and put timeouts on network calls).

# %%
%%lambda_handler slow --timeout 1 --no-panel
import time
def lambda_handler(event, context):
    for step in range(event["steps"]):
        remaining = context.get_remaining_time_in_millis()
        if event.get("careful") and remaining < 300:
            return {"finished": False, "stopped": f"with {remaining} ms left"}
        time.sleep(0.2)
    return {"finished": True}

# %%
r = %lambda_invoke slow --quiet {"steps": 10}
print(r.payload)
print(*r.report.fields(), sep="\n")

# %% [markdown]
# Duration is exactly 1,000 ms, the timeout, and REPORT says `Status: timeout`. The careful
# version watches the clock and returns while it still can:

# %%
r = %lambda_invoke slow --quiet {"steps": 10, "careful": true}
r.payload

# %% [markdown]
# <a id="out-of-memory"></a>
# ## 5. Out of memory
#
# Max Memory Used is the environment's real peak. Past the memory size (128 MB here) the
# runtime is killed: `Runtime.OutOfMemory`, and the next invocation starts a fresh runtime.
# **What to do:** raise `--memory` (on Lambda it also buys CPU), or process data in chunks.
#
# **Predict:** the handler allocates 50 MB, then 300 MB. What will Max Memory Used be for the
# first, and what happens to the second?

# %%
%%lambda_handler hungry --memory 128 --no-panel
def lambda_handler(event, context):
    block = bytearray(event["mb"] * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1                      # touch every page, so it is really resident
    return {"allocated_mb": event["mb"]}

# %%
ok = %lambda_invoke hungry --quiet {"mb": 50}
print(f"50 MB: Max Memory Used {ok.report.max_memory_used_mb} MB of {ok.report.memory_size_mb} MB")
r = %lambda_invoke hungry --quiet {"mb": 300}
print(r.payload)
print(f"300 MB: Max Memory Used {r.report.max_memory_used_mb} MB, status {r.report.status}, "
      f"error type {r.report.error_type}")

# %% [markdown]
# The first used 50 MB plus the runtime's own memory. The second was killed when it crossed
# 128 MB: the caller sees the kill (`signal: killed`), REPORT says why
# (`Runtime.OutOfMemory`), and Max Memory Used is capped at the memory size.

# %% [markdown]
# <a id="tmp-full"></a>
# ## 6. /tmp is full
#
# `/tmp` is the only writable place, sized by `--ephemeral-storage` (512 MB by default).
# Writing past it fails inside the handler, like any full disk: `ENOSPC`, "No space left on
# device". **What to do:** raise `--ephemeral-storage` (up to 10,240 MB), clean up between
# invocations (`/tmp` is kept), or stream to S3.
#
# Where this machine cannot give an environment a `/tmp` of its own (Binder, macOS),
# `tempfile.gettempdir()` is a private directory and each file is capped at the size instead:
# the write fails with `EFBIG`, "File too large"
# ([Lambda vs. here](01-quickstart.ipynb#lambda-vs-here)).

# %%
%%lambda_handler scratch --no-panel
import errno, os, tempfile
BIG = os.path.join(tempfile.gettempdir(), "big.bin")   # /tmp/big.bin on Lambda
def lambda_handler(event, context):
    try:
        with open(BIG, "wb") as f:
            for _ in range(event["mb"]):
                f.write(b"\0" * 1024 * 1024)
    except OSError as e:
        return {"error": errno.errorcode[e.errno], "message": e.strerror}
    finally:
        if os.path.exists(BIG):
            os.remove(BIG)
    return {"written_mb": event["mb"]}

# %%
r = %lambda_invoke scratch --quiet {"mb": 600}
r.payload

# %% [markdown]
# <a id="payload-size"></a>
# ## 7. Payloads that are too large
#
# A synchronous event or response is limited to 6 MB (asynchronous events to 1 MB). A too large
# event is refused before anything runs; a too large response fails the invocation.
# **What to do:** pass a reference (an S3 key) instead of the data.

# %%
try:
    divide = %lambda_function divide
    divide.invoke({"blob": "x" * (7 * 1024 * 1024)})
except InvalidRequestError as e:
    print(e)

# %%
%%lambda_handler big_answer --no-panel
def lambda_handler(event, context):
    return "x" * (7 * 1024 * 1024)

# %%
r = %lambda_invoke big_answer --quiet {}
r.payload

# %% [markdown]
# <a id="runtime-exit"></a>
# ## 8. When the runtime itself exits
#
# `sys.exit()`, `os._exit()` or a crash in a C extension end the runtime process: Lambda reports
# `Runtime.ExitError` with the exit status or signal, and the environment is reset.
# **What to do:** never call `sys.exit` in a handler; raise an exception instead.

# %%
%%lambda_handler quitter --no-panel
import sys
def lambda_handler(event, context):
    sys.exit(3)

# %%
r = %lambda_invoke quitter --quiet {}
r.payload

# %% [markdown]
# ## What you saw
#
# - Handler exceptions are values in Lambda's error shape; the environment stays warm.
# - Init failures are retried inside the invocation, and repeat on every invocation until the
#   code is fixed; an Init over 10 s is cut and retried the same way.
# - Timeouts, memory over the limit and runtime exits each reset the environment, with their
#   own `errorType` and `REPORT` status.
# - `/tmp` fills like a disk, inside the handler; oversized payloads are refused.
#
# ## Exercises
#
# ### Exercise 1: give up before Lambda does
#
# A handler calls a slow downstream service (simulate it with a 2 s sleep, in steps of 0.1 s)
# and has a 1 s timeout. Make it give up 200 ms before the timeout by raising an exception of
# your own, `DownstreamTimeout`. **Predict:** the `errorType` and whether the next invocation is
# warm, without and with your change.

# %%
# your code here

# %% [markdown]
# ### Exercise 2: how much memory?
#
# Find the smallest memory size, in steps of 64 MB from 128 MB, at which `hungry` can allocate
# 200 MB. **Predict** it before you run anything: the runtime itself needs some memory too.

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# Without the check: `Sandbox.Timedout`, and the environment is reset, so the next invocation
# is a cold start (a suppressed init). With it: your own `DownstreamTimeout`, an ordinary
# exception, and the environment stays warm. The caller also learns *what* was slow.

# %% tags=solution
%%lambda_handler downstream --timeout 1 --no-panel
import time

class DownstreamTimeout(Exception):
    pass

def lambda_handler(event, context):
    for _ in range(20):                                   # 2 s of downstream work
        if event.get("careful") and context.get_remaining_time_in_millis() < 200:
            raise DownstreamTimeout("the inventory service did not answer in time")
        time.sleep(0.1)
    return "answered"

# %% tags=solution
downstream = %lambda_function downstream
for careful in (False, True):
    failed = downstream.invoke({"careful": careful})
    following = downstream.invoke({"careful": True})
    print(f"careful={careful}: {failed.error_type}; the next invocation was "
          f"{'a cold start' if following.cold_start else 'warm'}")

# %% [markdown]
# ### Solution 2
#
# 256 MB: 200 MB of data plus the runtime do not fit in 192 MB. Each configuration change is a
# new revision, so each try is a cold start. (On Lambda the runtime needs more memory than
# here, so leave more room.)

# %% tags=solution
hungry = %lambda_function hungry
for memory in range(128, 449, 64):
    hungry.update_config(memory_size=memory)
    r = hungry.invoke({"mb": 200})
    print(f"{memory} MB:", r.status, r.error_type or "")
    if r.ok:
        break

# %% [markdown]
# Next: [06-scaling](06-scaling.ipynb).
