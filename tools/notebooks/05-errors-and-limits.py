# %% [markdown]
# # Errors and limits
#
# What goes wrong on Lambda, how Lambda reports it, and what to do about it. Each error comes
# back in Lambda's own shape, with the `errorType` you would search CloudWatch for.
#
# | what happened | `errorType` | where it shows |
# |---|---|---|
# | the handler raised | the exception's class, e.g. `KeyError` | the response, and `[ERROR]` in the logs |
# | the module failed to import | `Runtime.ImportModuleError` (and friends) | every invocation, `INIT_REPORT` in the logs |
# | past the timeout | `Sandbox.Timedout` | `REPORT ... Status: timeout` |
# | over the memory size | `Runtime.OutOfMemory` | `REPORT ... Status: error Error Type: Runtime.OutOfMemory` |
# | the runtime process exited | `Runtime.ExitError` | `REPORT ... Status: error` |
# | /tmp full | `OSError: [Errno 28] No space left on device` inside the handler | your own code |
# | event or response too large | `RequestTooLargeException` / `Function.ResponseSizeTooLarge` | the caller |

# %%
%load_ext lambda_magic
from lambda_magic import LambdaFunction
from lambda_magic.core.errors import InvalidRequestError

# %% [markdown]
# ## 1. An exception in the handler
#
# The environment survives; the caller gets `errorMessage`, `errorType`, `requestId` and the
# handler's stack trace. **What to do:** validate input, and catch what you can handle.

# %%
%%lambda_handler divide --no-panel
def lambda_handler(event, context):
    return {"ratio": event["a"] / event["b"]}

# %%
r = %lambda_invoke divide --quiet {"a": 1, "b": 0}
r.payload

# %% [markdown]
# ## 2. An import error
#
# A missing dependency fails Init: Lambda logs `INIT_REPORT ... Status: error`, retries Init
# inside the invocation, and returns the error with an empty `requestId`. **What to do:** ship the
# dependency in the deployment package or a layer (here: `%%lambda_file`, or install it into the
# kernel's environment).

# %%
%%lambda_handler needs_lib --no-panel
import not_installed_anywhere
def lambda_handler(event, context):
    return "never"

# %%
r = %lambda_invoke needs_lib --quiet {}
print(r.payload)
print("\n".join(line for line in r.logs.splitlines() if line.startswith("INIT_REPORT")))

# %% [markdown]
# ## 3. A timeout
#
# Lambda stops the invocation at the configured timeout, reports exactly the timeout as
# Duration, and resets the environment. **What to do:** raise the timeout, or check
# `context.get_remaining_time_in_millis()` and stop early (and put timeouts on network calls).

# %%
%%lambda_handler slow --timeout 1 --no-panel
import time
def lambda_handler(event, context):
    for step in range(event["steps"]):
        if event.get("careful") and context.get_remaining_time_in_millis() < 300:
            return {"finished": False, "stopped": "early, before the timeout", "steps_done": step >= 3}
        time.sleep(0.2)
    return {"finished": True}

# %%
r = %lambda_invoke slow --quiet {"steps": 10}
print(r.payload)
print(r.logs.splitlines()[-1].replace("\t", "  "))

# %%
r = %lambda_invoke slow --quiet {"steps": 10, "careful": true}
r.payload

# %% [markdown]
# ## 4. Out of memory
#
# Max Memory Used is the environment's real peak. Past the memory size (128 MB here) the
# runtime is killed: `Runtime.OutOfMemory`, and the next invocation starts a fresh runtime.
# **What to do:** raise `--memory` (on Lambda it also buys CPU), or process data in chunks.

# %%
%%lambda_handler hungry --memory 128 --no-panel
def lambda_handler(event, context):
    block = bytearray(event["mb"] * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1                      # touch every page, so it is really resident
    return {"allocated_mb": event["mb"]}

# %%
ok = %lambda_invoke hungry --quiet {"mb": 50}
print("50 MB: Max Memory Used", ok.report.max_memory_used_mb, "MB of", ok.report.memory_size_mb, "MB")
r = %lambda_invoke hungry --quiet {"mb": 300}
print(r.payload)
print(r.logs.splitlines()[-1].split("\t", 4)[-1].replace("\t", "  "))

# %% [markdown]
# ## 5. /tmp is full
#
# `/tmp` is the only writable place, sized by `--ephemeral-storage` (512 MB by default).
# Writing past it fails inside the handler, like any full disk: `ENOSPC`, "No space left on
# device". **What to do:** raise `--ephemeral-storage` (up to 10,240 MB), clean up between
# invocations (`/tmp` is kept), or stream to S3.
#
# (Where this machine cannot give an environment a `/tmp` of its own, such as on Binder or
# macOS, `tempfile.gettempdir()` is a private directory and each file is capped at the size
# instead: the write fails with `EFBIG`, "File too large". On Lambda it is `/tmp`.)

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
print("the write failed:", r.payload["error"] in ("ENOSPC", "EFBIG"))

# %% tags=nbval-ignore-output
r.payload   # ENOSPC here with a private /tmp; EFBIG where the fallback applies

# %% [markdown]
# ## 6. Payloads that are too large
#
# A synchronous event or response is limited to 6 MB (asynchronous events to 1 MB). A too large
# event is refused before anything runs; a too large response fails the invocation.
# **What to do:** pass a reference (an S3 key) instead of the data.

# %%
try:
    fn = %lambda_function divide
    fn.invoke({"blob": "x" * (7 * 1024 * 1024)})
except InvalidRequestError as e:
    print(e.error_type, "-", e.message.split(" (")[0])

# %%
%%lambda_handler big_answer --no-panel
def lambda_handler(event, context):
    return "x" * (7 * 1024 * 1024)

# %%
r = %lambda_invoke big_answer --quiet {}
r.payload

# %% [markdown]
# ## 7. When the runtime itself exits
#
# `sys.exit()`, `os._exit()` or a crash in a C extension end the runtime process: Lambda reports
# `Runtime.ExitError` with the exit status or signal. **What to do:** never call `sys.exit` in a
# handler; raise an exception instead.

# %%
%%lambda_handler quitter --no-panel
import sys
def lambda_handler(event, context):
    sys.exit(3)

# %%
r = %lambda_invoke quitter --quiet {}
r.payload["errorType"], r.payload["errorMessage"].split(" Error: ")[1]

# %% [markdown]
# ## What you saw
#
# - Handler exceptions are values in Lambda's error shape; the environment stays warm.
# - Init failures repeat on every invocation until the code is fixed.
# - Timeouts, memory over the limit and runtime exits each reset the environment, with their
#   own `errorType` and `REPORT` status.
# - `/tmp` fills like a disk, inside the handler; oversized payloads are refused.
#
# Next: [06-scaling](06-scaling.ipynb).
