# %% [markdown]
# # Quickstart: a Lambda function in a notebook
#
# A `%%lambda_handler` cell becomes an AWS Lambda function. Invoking it runs the code in an
# **execution environment**: a separate process that goes through Lambda's real lifecycle
# (Init once, Invoke many times, frozen in between, Shutdown), speaks Lambda's Runtime API, and
# reports what Lambda reports. No Docker, no AWS account.
#
# In ten cells: define a function, invoke it cold and warm, read the `REPORT`, see an error,
# and reset it.

# %%
%load_ext lambda_magic

# %% [markdown]
# ## 1. Define a function
#
# The cell is the function's `lambda_function.py`. Code at the top level runs during **Init**,
# once per environment; `lambda_handler` runs on every **Invoke**. The options mirror Lambda's
# configuration (memory in MB, timeout in seconds, environment variables...).

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
# ## 2. Invoke it: a cold start
#
# The first invocation has no environment to use, so Lambda creates one: `INIT_START`, then the
# Init phase (importing the module), then `START`, the handler's output, `END` and `REPORT`.
# The log lines print as they happen; the cell's value is the result.

# %%
first = %lambda_invoke hello {"name": "Ada"}
first

# %% [markdown]
# ## 3. Invoke again: a warm start
#
# The environment was frozen after answering and is thawed for this event. Module state
# survived: `COUNT` is now 2, and there is no Init this time.

# %%
second = %lambda_invoke hello {"name": "Grace"}
second.payload, second.cold_start

# %% [markdown]
# ## 4. Read the REPORT
#
# `Init Duration` appears only on a cold start. `Billed Duration` is Duration plus Init
# Duration, rounded up to the millisecond (Lambda bills Init since August 2025).
# `Max Memory Used` is the real peak of the environment's processes.

# %%
for r in (first, second):
    rep = r.report
    init = f"{rep.init_duration_ms:.2f} ms" if rep.init_duration_ms is not None else "none"
    print(f"{'cold' if r.cold_start else 'warm'}: Duration {rep.duration_ms:.2f} ms, "
          f"Billed {rep.billed_duration_ms} ms, Init Duration {init}, "
          f"Max Memory Used {rep.max_memory_used_mb} MB of {rep.memory_size_mb} MB")

# %% [markdown]
# ## 5. An error
#
# A handler that raises does not crash the environment: Lambda returns the error to the caller
# in its own shape (`errorMessage`, `errorType`, `requestId`, `stackTrace`) and logs it.

# %%
%%lambda_invoke hello --quiet
{"nmae": "typo"}

# %% [markdown]
# The error is a value, like on Lambda. `%lambda_invoke --raise` (or `result.raise_for_error()`)
# turns it into an exception when a notebook should stop.

# %%
oops = _
oops.error_type, oops.payload["errorMessage"], oops.cold_start

# %% [markdown]
# ## 6. Reset: the next invoke is cold again
#
# `%lambda_reset` runs the Shutdown phase of the function's environments. The next invocation
# starts a new environment, with fresh module state.

# %%
%lambda_reset hello
third = %lambda_invoke hello --quiet {"name": "Ada"}
third.cold_start, third.payload["invocation"]

# %% [markdown]
# ## 7. Status and logs
#
# `%lambda_status` lists functions and their environments; `%lambda_logs` shows the function's
# log group as CloudWatch does.

# %% tags=nbval-ignore-output
%lambda_status

# %%
%lambda_logs hello --tail 4

# %% [markdown]
# ## What you saw
#
# - A cell became a Lambda function; its top-level code ran once per environment (Init).
# - The first invoke was a **cold start** (`INIT_START`, `Init Duration` in `REPORT`); the next
#   one was **warm** and kept module state.
# - Errors came back in Lambda's shape, as values.
# - `%lambda_reset` shut the environment down, and the next invoke was cold again.
#
# Next: [02-programming-model](02-programming-model.ipynb) follows one event through the
# Runtime API.
