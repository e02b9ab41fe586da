# %% [markdown]
# # One model, three languages
#
# AWS describes Lambda's programming model as the same "regardless of whether you're writing in
# Python, Java, or any other supported language": an event arrives, the **runtime** turns it
# into the language's objects, the **handler** processes it with a **context**, and the
# response goes back through the Runtime API. Init, Invoke, freezing, timeouts and the REPORT
# line belong to the **platform**, not to the language. This tutorial runs the same event
# through Python, Node.js and Java side by side, then through a runtime written in shell.
#
# **You will learn to**
#
# - write the same handler in Python, Node.js (`index.mjs`) and Java (a class and its method),
#   choosing the runtime with `--runtime`;
# - tell what the runtime decides (the context's names, the log line format, the error JSON,
#   the INIT_START label) from what the platform decides (the lifecycle, limits, REPORT);
# - compare cold starts, warm durations and memory across languages, and say what the numbers
#   here do and do not tell about Lambda;
# - run a custom runtime (`provided.al2023`) whose `bootstrap` speaks the Runtime API itself;
# - read a streamed Node.js response chunk by chunk.
#
# **Time:** about 25 minutes with the exercises. **Before:**
# [02-programming-model](02-programming-model.ipynb) and [03-lifecycle](03-lifecycle.ipynb).
# Node.js and Java run on this machine's `node` and JDK (`%lambda_status` says which); their
# versions and all timings are this machine's: see
# [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).

# %%
%load_ext lambda_magic
import time

from lambda_magic import LambdaFunction

# %% [markdown]
# <a id="same-event"></a>
# ## 1. One event, three handlers
#
# Each cell below defines a function whose main file is the cell: `lambda_function.py` for
# Python, `index.mjs` (an ES module) for Node.js, and for Java the class's source, which
# lambda_magic compiles with `javac` when the cell runs (a compile error shows at once, with
# its line and column, and nothing starts). The handler strings follow each language's rule:
# `lambda_function.lambda_handler`, `index.handler`, `example.Greeter::handleRequest`.
#
# Each handler counts its invocations in a variable that Init creates, logs one line and
# greets. The card under a cell says, after "Here:", when the machine runs another version of
# the language than the runtime id names.

# %% tags=nbval-ignore-output
%%lambda_handler greet-py --no-panel
COUNT = 0                                        # Init: once per environment

def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print(f"greeting {event['name']}")
    if event.get("fail"):
        raise ValueError(f"no greeting for {event['name']}")
    return {"greeting": f"Hello, {event['name']}", "count": COUNT,
            "function": context.function_name}

# %% tags=nbval-ignore-output
%%lambda_handler greet-node --runtime nodejs20.x --no-panel
let count = 0;                                   // Init: once per environment

export const handler = async (event, context) => {
  count += 1;
  console.log(`greeting ${event.name}`);
  if (event.fail) throw new TypeError(`no greeting for ${event.name}`);
  return { greeting: `Hello, ${event.name}`, count, function: context.functionName };
};

# %% tags=nbval-ignore-output
%%lambda_handler greet-java --runtime java17 --memory 256 --no-panel
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.TreeMap;

public class Greeter implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static int count = 0;                // Init: once per environment

    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        count += 1;
        context.getLogger().log("greeting " + event.get("name"));
        if (event.containsKey("fail")) {
            throw new IllegalStateException("no greeting for " + event.get("name"));
        }
        Map<String, Object> response = new TreeMap<>();   // keys in a stable order
        response.put("greeting", "Hello, " + event.get("name"));
        response.put("count", count);
        response.put("function", context.getFunctionName());
        return response;
    }
}

# %% [markdown]
# **Predict:** the same event goes to each function twice. Which language has the longest
# Init Duration? Will the second invocation of each show `count` 2?

# %%
py = %lambda_function greet-py
node = %lambda_function greet-node
java = %lambda_function greet-java
functions = {"py": py, "node": node, "java": java}
rows = []
for name, fn in functions.items():
    cold = fn.invoke({"name": "Ada"})
    warm = fn.invoke({"name": "Ada"})
    rows.append((name, cold.report.init_duration_ms, warm.report.duration_ms,
                 warm.report.max_memory_used_mb, warm.payload))
for name, init_ms, warm_ms, memory_mb, payload in rows:
    print(f"{name}: Init Duration {init_ms:.1f} ms, warm Duration {warm_ms:.2f} ms, "
          f"Max Memory Used {memory_mb} MB")
    print(f"    {payload}")

# %% [markdown]
# Every function answered twice from one environment: the second response has `count` 2,
# because Init ran once and the invocations share its state, in every language. The numbers
# differ by language: Node.js starts a JavaScript engine, Java a JVM that loads and verifies
# classes (lambda_magic shares a class-data archive of its runtime to keep that short), while
# Python starts warm from a forked, already-imported runtime. On Lambda the order is usually
# the same (Java's cold starts are the longest, which is what SnapStart is for), but the
# numbers are not this machine's: see [Lambda vs. here](01-quickstart.ipynb#lambda-vs-here).
# Memory counts the whole process, JVM and engine included, against `--memory`.

# %% [markdown]
# <a id="what-differs"></a>
# ## 2. What the runtime decides: the context, logs and errors
#
# The context is the same information in each language's style: `context.function_name` in
# Python, `context.functionName` in Node.js, `context.getFunctionName()` in Java (all three
# responses above said which function ran). Log lines and error reports are the runtime's
# too. **Predict:** each handler fails on `{"fail": true}`. Which key of the error JSON holds
# the stack in each language, and which `errorType` does each report?

# %%
for name, fn in functions.items():
    failed = fn.invoke({"name": "Bo", "fail": True})
    error = failed.payload
    stack_key = next(k for k in error if k in ("stackTrace", "trace"))
    print(f"{name}: {error['errorType']}: {error['errorMessage']}  (stack in {stack_key!r})")
    print("   log line:", next(line for line in failed.log_lines() if "greeting" in line))

# %% [markdown]
# Python reports the exception's class name (`ValueError`) with `stackTrace`; Node.js the
# error's `name` (`TypeError`) with `trace`, the key its runtime uses; Java the fully qualified
# class (`java.lang.IllegalStateException`) with `stackTrace`. The log lines differ as the
# runtimes write them: Python's `print` is a plain line, Node.js's `console.log` adds the time,
# the request id and the level, and Java's `LambdaLogger.log` writes the text as it is. None of
# this is lambda_magic's choice: it is what each of Lambda's runtimes does.

# %% [markdown]
# <a id="what-stays"></a>
# ## 3. What the platform decides: the lifecycle
#
# The first line of every cold start names the runtime; the platform's other lines (START,
# END, REPORT) are identical in every language.

# %%
for name, fn in functions.items():
    print(fn.history[0].log_lines("INIT_START")[0].split("\t")[0])
print(functions["java"].history[0].log_lines("REPORT")[0])

# %% [markdown]
# **Predict:** the Python and Node.js functions get new code that waits 2 s, and a 1 s
# timeout. What does each caller get, and is either environment still warm afterwards?

# %%
slow = {
    "py": "import time\ndef lambda_handler(event, context):\n    time.sleep(2)\n",
    "node": "export const handler = async () => new Promise((r) => setTimeout(r, 2000));\n",
}
for name in ("py", "node"):
    functions[name].update_code(slow[name], timeout=1)
for name in ("py", "node"):
    timed_out = functions[name].invoke({})
    print(f"{name}: {timed_out.payload['errorMessage']}; the environment was "
          f"{'reset' if not functions[name].environments[0].state.state.is_warm else 'kept'}")

# %% [markdown]
# The same platform message (`Task timed out after 1.00 seconds`, errorType
# `Sandbox.Timedout`) in both languages, and the same consequence: the runtime process is
# killed and the next invocation starts cold. A timeout is enforced from outside the runtime,
# so no language can catch it; watch `context.get_remaining_time_in_millis()`
# (`getRemainingTimeInMillis()` in Node.js and Java) instead.

# %% [markdown]
# <a id="custom-runtime"></a>
# ## 4. A runtime of your own
#
# With an OS-only runtime (`provided.al2023`) the package brings its runtime: an executable
# `bootstrap` that Lambda starts in `/var/task` with `_HANDLER` and `AWS_LAMBDA_RUNTIME_API`
# set. It then does what the Python, Node.js and Java runtimes did for you above: ask
# `/invocation/next` for an event, call the handler, post the response. This is AWS's
# tutorial bootstrap, in shell, unmodified; the handler's file comes from the
# `%%lambda_handler` cell (`function.sh`, handler `function.handler`).

# %%
%%lambda_file echo-sh bootstrap
#!/bin/sh

set -euo pipefail

# Initialization - load function handler
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

# Processing
while true
do
  HEADERS="$(mktemp)"
  # Get an event. The HTTP request will block until one is received
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

  # Extract request ID by scraping response headers received above
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

  # Run the handler function from the script
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

  # Send the response
  curl "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"  -d "$RESPONSE"
done

# %% tags=nbval-ignore-output
%%lambda_handler echo-sh --runtime provided.al2023 --no-panel
function handler () {
  EVENT_DATA=$1

  RESPONSE="Echoing request: '$EVENT_DATA'"

  echo $RESPONSE
}

# %% [markdown]
# **Predict:** the handler echoes a line of text, not JSON. What does the caller get?

# %%
echo = %lambda_function echo-sh
result = echo.invoke({"text": "Hello from a shell"})
print(result.payload)
print(result.log_lines("INIT_START")[0].split("\t")[0])

# %% [markdown]
# The bytes the bootstrap posted, as they are: Lambda passes a response through without
# parsing it (a JSON response is only decoded by the caller). There is no
# `AWS_EXECUTION_ENV` for OS-only runtimes, and the INIT_START line names the OS runtime.
# Everything else was the platform's: a cold start, freezing between events, a REPORT line.
# (The bootstrap runs on this machine's OS, not Amazon Linux 2023: `curl` and `sh` are the
# machine's, and `/bin/sh` is bash, as on Amazon Linux, where environments get Lambda's view
# of the file system.)

# %% [markdown]
# <a id="streaming"></a>
# ## 5. A streamed response
#
# A Node.js handler wrapped in `awslambda.streamifyResponse` writes its response in pieces;
# Lambda forwards each piece as it comes (`InvokeWithResponseStream`, or a function URL).
# `fn.invoke_stream(event)` yields the pieces as the Runtime API receives them.

# %% tags=nbval-ignore-output
%%lambda_handler countdown --runtime nodejs20.x --no-panel
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  for (let n = event.from; n > 0; n--) {
    responseStream.write(`${n}...\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  responseStream.end("lift-off\n");
});

# %%
countdown = %lambda_function countdown
countdown.invoke({"from": 1})                    # Init first, so that the times below are the stream's
started = time.monotonic()
stream = countdown.invoke_stream({"from": 3})
for chunk in stream:
    print(f"after {time.monotonic() - started:.1f} s: {chunk!r}")
print("Duration:", f"{stream.result.report.duration_ms:.0f} ms")

# %% [markdown]
# The first piece arrived about 0.2 s before the second, long before the handler returned:
# the caller can start reading while the function still works. A buffered response (every
# earlier function in this tutorial) arrives only when the handler has finished.

# %% [markdown]
# ## What you saw
#
# - One programming model in three languages: an event in, a handler with a context, a
#   response out; state created during Init survives between warm invocations in all of them.
# - The runtime decides the language's details: the context's names, log line formats, the
#   error JSON (`stackTrace` or `trace`) and the INIT_START label.
# - The platform decides the lifecycle: cold and warm starts, freezing, the timeout message and
#   its reset, the REPORT line.
# - A custom runtime is a program that speaks the Runtime API; AWS's shell tutorial runs as is.
# - A Node.js function can stream its response; the first bytes arrive before it ends.
#
# ## Exercises
#
# ### Exercise 1: a callback handler on nodejs24.x
#
# Node.js handlers used to take a third argument, `callback`. **Predict:** what does
# `nodejs24.x` say about `export const handler = (event, context, callback) => callback(null,
# 42);`, and what does `nodejs20.x` say? Try both.

# %%
# your code here

# %% [markdown]
# ### Exercise 2: Java without the interface
#
# Lambda's Java runtime also calls a plain method found by reflection. Write a class
# `example.Upper` with a method `public String shout(String text)` returning the text in
# upper case, use the handler `example.Upper::shout`, and invoke it with the event `"quiet"`.
# **Predict:** what is the event's type in Java, and what comes back?

# %%
# your code here

# %% [markdown]
# ## Solutions
#
# Each solution is a collapsed cell in JupyterLab: click its "…" to open it.
#
# ### Solution 1
#
# `nodejs24.x` (the 4.x runtime client) refuses a callback handler when it loads it, at Init:
# `Runtime.CallbackHandlerDeprecated`. `nodejs20.x` still calls it and returns 42.

# %% tags=solution
code = "export const handler = (event, context, callback) => callback(null, 42);\n"
for runtime in ("nodejs24.x", "nodejs20.x"):
    fn = LambdaFunction(f"callback-{runtime[6:8]}", code, runtime=runtime)
    result = fn.invoke({})
    print(runtime, "->", f"{result.error_type}: {result.error.error_message[:60]}..."
          if result.error else result.payload)
    fn.shutdown()

# %% [markdown]
# ### Solution 2
#
# The JSON string `"quiet"` becomes a Java `String`; the returned `String` becomes the JSON
# string `"QUIET"`.

# %% tags=solution
%%lambda_handler upper --runtime java17 --handler example.Upper::shout --no-panel
package example;

public class Upper {
    public String shout(String text) {
        return text.toUpperCase();
    }
}

# %% tags=solution
%lambda_invoke upper --quiet "quiet"
