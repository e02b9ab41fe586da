"""The ``runtime`` setting: one programming model and one platform for Python, Node.js, Java and
custom runtimes. What differs per language (labels, the execution environment variable, the
package build, tools) is the runtime's; cold and warm starts, freezing, timeouts and resets,
/tmp, concurrency, asynchronous invocation and REPORT are the platform's and hold for all."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lambda_magic import LambdaFunction
from lambda_magic.core.config import RUNTIMES
from lambda_magic.core.errors import ConfigError, PackageError
from lambda_magic.runtimes import javac, nodejs

pytestmark = pytest.mark.timeout(240)

PY = f"python{sys.version_info.major}.{sys.version_info.minor}"

#: The same function in every language: it counts its invocations in global state, keeps a file
#: in /tmp, echoes the event and sleeps for ``event["sleep"]`` seconds.
SAME = {
    PY: (
        "",
        """
        import json, os, time
        TMP = os.environ.get("TMPDIR", "/tmp")  # /tmp on Lambda; a private one here, always
        count = 0
        def lambda_handler(event, context):
            global count
            count += 1
            kept = os.path.exists(f"{TMP}/kept")
            open(f"{TMP}/kept", "w").close()
            time.sleep(event.get("sleep", 0))
            return {"count": count, "kept": kept, "event": event,
                    "env": os.environ.get("AWS_EXECUTION_ENV")}
        """,
    ),
    "nodejs22.x": (
        "",
        """
        import fs from 'node:fs';
        const tmp = process.env.TMPDIR || '/tmp';
        let count = 0;
        export const handler = async (event) => {
          count += 1;
          const kept = fs.existsSync(`${tmp}/kept`);
          fs.writeFileSync(`${tmp}/kept`, '');
          await new Promise((r) => setTimeout(r, (event.sleep || 0) * 1000));
          return { count, kept, event, env: process.env.AWS_EXECUTION_ENV };
        };
        """,
    ),
    "java17": (
        "",
        """
        package same;
        import com.amazonaws.services.lambda.runtime.Context;
        import com.amazonaws.services.lambda.runtime.RequestHandler;
        import java.io.File;
        import java.util.HashMap;
        import java.util.Map;
        public class Same implements RequestHandler<Map<String, Object>, Map<String, Object>> {
            static int count = 0;
            public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                count += 1;
                String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
                File kept = new File(tmp, "kept");
                boolean was = kept.exists();
                try { kept.createNewFile(); } catch (Exception e) { throw new RuntimeException(e); }
                Object sleep = event.get("sleep");
                if (sleep != null) {
                    try { Thread.sleep((long) (((Number) sleep).doubleValue() * 1000)); }
                    catch (InterruptedException e) { }
                }
                Map<String, Object> out = new HashMap<>();
                out.put("count", count);
                out.put("kept", was);
                out.put("event", event);
                out.put("env", System.getenv("AWS_EXECUTION_ENV"));
                return out;
            }
        }
        """,
    ),
    "provided.al2023": (
        """
        #!/bin/sh
        set -euo pipefail
        source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"
        COUNT=0
        while true
        do
          HEADERS="$(mktemp)"
          EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
          COUNT=$((COUNT + 1))
          RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA" "$COUNT")
          curl -sS "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -H "Content-Type: application/json" -d "$RESPONSE" > /dev/null
        done
        """,
        """
        handler () {
          KEPT=false
          if [ -e "${TMPDIR:-/tmp}/kept" ]; then KEPT=true; fi
          touch "${TMPDIR:-/tmp}/kept"
          SLEEP=$(echo "$1" | sed -n 's/.*"sleep": *\\([0-9.]*\\).*/\\1/p')
          sleep "${SLEEP:-0}"
          echo "{\\"count\\": $2, \\"kept\\": $KEPT, \\"event\\": $1, \\"env\\": null}"
        }
        """,
    ),
}
LABELS = {PY: r"python:\d+\.\d+\.v\d+", "nodejs22.x": r"nodejs:\d+\.v\d+",
          "java17": r"java:\d+\.v\d+", "provided.al2023": r"provided:al2023\.v\d+"}  # fmt: skip


@pytest.fixture
def functions() -> Iterator[Callable[..., LambdaFunction]]:
    made: list[LambdaFunction] = []

    def make(name: str, code: str = "", **config: Any) -> LambdaFunction:
        fn = LambdaFunction(name, textwrap.dedent(code).lstrip("\n"), **config)
        made.append(fn)
        return fn

    yield make
    for fn in made:
        fn.shutdown()


def _same(make: Callable[..., LambdaFunction], runtime: str, **config: Any) -> LambdaFunction:
    bootstrap, code = SAME[runtime]
    files = {"bootstrap": textwrap.dedent(bootstrap).lstrip("\n")} if bootstrap else None
    name = re.sub(r"[^a-z0-9]", "-", runtime)
    return make(name, code, files=files, runtime=runtime, **config)


@pytest.mark.parametrize("runtime", list(SAME))
def test_the_same_model_in_every_language(
    functions: Callable[..., LambdaFunction], runtime: str
) -> None:
    fn = _same(functions, runtime, timeout=2)
    first, second = fn.invoke({"n": 1}), fn.invoke({"n": 2})
    assert [first.payload["count"], second.payload["count"]] == [1, 2]  # one process, warm
    assert [first.payload["kept"], second.payload["kept"]] == [False, True]  # its own /tmp
    assert second.payload["event"] == {"n": 2}
    assert [first.cold_start, second.cold_start] == [True, False]
    assert first.report.init_duration_ms is not None and second.report.init_duration_ms is None
    expected_env = None if runtime == "provided.al2023" else f"AWS_Lambda_{runtime}"
    assert first.payload["env"] == expected_env
    logs = fn.logs.format()
    assert re.search(rf"INIT_START Runtime Version: {LABELS[runtime]}\t", logs), logs
    assert logs.count("REPORT RequestId:") == 2
    assert fn.environments[0].state.state.value == "Frozen"  # frozen between invokes

    timed_out = fn.invoke({"sleep": 3})  # past the 2 s timeout: killed, the next is cold
    assert timed_out.error is not None and timed_out.error.error_type == "Sandbox.Timedout"
    after = fn.invoke({})
    assert after.cold_start and after.payload["count"] == 1 and after.payload["kept"] is True

    results = fn.invoke_many([{"i": i} for i in range(4)], concurrency=2)
    assert sorted(r.payload["event"]["i"] for r in results) == [0, 1, 2, 3]
    item = fn.invoke_async({"async": True}).wait(30)
    assert item.done and item.attempts[-1].payload["event"] == {"async": True}


def test_a_runtime_id_lambda_does_not_know_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(ConfigError) as e:
        LambdaFunction("bad", "", runtime="nodejs18.x")
    message = str(e.value)
    assert "nodejs18.x" in message
    for runtime in (
        "python3.12",
        "nodejs22.x",
        "nodejs24.x",
        "java17",
        "java21",
        "provided.al2023",
    ):
        assert runtime in RUNTIMES and runtime in message


def test_a_missing_tool_is_said_when_the_function_is_created(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    nodejs.node_version.cache_clear()
    javac.find_jdk.cache_clear()
    try:
        with pytest.raises(
            PackageError, match=r"nodejs22\.x needs node.*install Node\.js 20 or later"
        ):
            LambdaFunction("nonode", "export const handler = async () => 1;", runtime="nodejs22.x")
        with pytest.raises(PackageError, match=r"java17: .*JDK.*apt-get install default-jdk"):
            LambdaFunction("nojava", "public class A {}", runtime="java17")
    finally:
        nodejs.node_version.cache_clear()
        javac.find_jdk.cache_clear()


JAVA = """
    package example;
    import com.amazonaws.services.lambda.runtime.Context;
    import java.util.Map;
    public class Hello {
        public String greet(Map<String, String> event, Context context) {
            return "hello " + event.get("name") + " (" + context.getMemoryLimitInMB() + " MB)";
        }
    }
    """


def test_a_java_cell_is_compiled_when_the_function_is_created(
    functions: Callable[..., LambdaFunction],
) -> None:
    fn = functions("hello-java", JAVA, runtime="java21", memory_size=256)
    assert fn.config.handler == "example.Hello::greet"  # from the class and its method
    assert fn.invoke({"name": "Ada"}).payload == "hello Ada (256 MB)"
    # A compile error says where, at once; nothing changes and nothing starts.
    broken = textwrap.dedent(JAVA).replace('"hello " +', '"hello " + undefinedName +')
    with pytest.raises(PackageError) as e:
        fn.update_code(broken)
    assert re.search(r"example/Hello\.java:7:\d+: error: cannot find symbol", str(e.value))
    assert fn.revision == 1 and fn.invoke({"name": "Bo"}).payload == "hello Bo (256 MB)"
    with pytest.raises(PackageError, match="Java compilation failed"):
        functions("broken-java", broken, runtime="java17")
    # A renamed class replaces the old source: the package holds the new class only.
    fn.update_code(textwrap.dedent(JAVA).replace("class Hello", "class Hi"))
    assert fn.config.handler == "example.Hi::greet"
    assert fn.invoke({"name": "Cy"}).payload == "hello Cy (256 MB)"
    assert sorted(p for p in fn._files if p.endswith(".java")) == ["example/Hi.java"]


def test_package_json_dependencies_are_installed_into_the_package(
    functions: Callable[..., LambdaFunction],
) -> None:
    manifest = json.dumps({"name": "fn", "version": "1.0.0", "private": True,
                           "dependencies": {"is-number": "7.0.0"}})  # fmt: skip
    code = "import isNumber from 'is-number';\nexport const handler = async (e) => isNumber(e.v);\n"
    fn = functions("npm-fn", code, runtime="nodejs22.x", files={"package.json": manifest})
    assert [fn.invoke({"v": 1}).payload, fn.invoke({"v": "x"}).payload] == [True, False]
    bad = json.dumps({"name": "fn", "version": "1.0.0", "dependencies": {"is-number": "999.0.0"}})
    with pytest.raises(PackageError, match="npm install failed"):
        functions("npm-bad", code, runtime="nodejs22.x", files={"package.json": bad})


# -- custom runtimes ---------------------------------------------------------------------------
#: AWS's tutorial (docs.aws.amazon.com/lambda/latest/dg/runtimes-walkthrough.html), unmodified.
TUTORIAL_BOOTSTRAP = """\
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
"""
TUTORIAL_FUNCTION = """\
function handler () {
  EVENT_DATA=$1

  RESPONSE="Echoing request: '$EVENT_DATA'"

  echo $RESPONSE
}
"""


def test_aws_tutorial_bootstrap_runs_unmodified(functions: Callable[..., LambdaFunction]) -> None:
    fn = functions("tutorial", TUTORIAL_FUNCTION, runtime="provided.al2023",
                   files={"bootstrap": TUTORIAL_BOOTSTRAP})  # fmt: skip
    assert fn.config.handler == "function.handler"
    result = fn.invoke({"text": "Hello"})
    assert result.error is None
    assert result.raw == b'Echoing request: \'{"text": "Hello"}\''  # not JSON: bytes as posted
    assert result.payload == result.raw
    assert fn.invoke({"n": 2}).raw == b"Echoing request: '{\"n\": 2}'"


PROBE = """\
#!/bin/sh
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  headers="$(mktemp)"
  curl -sS -D "$headers" -o /dev/null "$api/next"
  id=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)
  if [ -e "${TMPDIR:-/tmp}/exit" ]; then exit 3; fi
  touch "${TMPDIR:-/tmp}/exit"
  printf '{"cwd": "%s", "handler": "%s", "ld": "%s", "exec": "%s"}' \\
    "$(pwd)" "$_HANDLER" "$LD_LIBRARY_PATH" "${AWS_EXECUTION_ENV:-unset}" |
    curl -sS -o /dev/null "$api/$id/response" -H "Content-Type: application/json" --data-binary @-
done
"""


def test_a_custom_runtime_starts_as_lambda_starts_it(
    functions: Callable[..., LambdaFunction],
) -> None:
    fn = functions("probe", runtime="provided.al2023", handler="my.handler",
                   files={"bootstrap": PROBE})  # fmt: skip
    seen = fn.invoke({}).payload
    task_root = fn.environments[0].task_root_inside()
    assert seen["cwd"] == task_root and seen["handler"] == "my.handler"
    assert seen["exec"] == "unset"  # no AWS_EXECUTION_ENV for OS-only runtimes
    assert seen["ld"].split(":")[-3:] == [task_root, f"{task_root}/lib", "/opt/lib"]
    exited = fn.invoke({})  # the bootstrap exits during this invoke
    assert exited.error is not None and exited.error.error_type == "Runtime.ExitError"
    assert exited.error.error_message.endswith("Error: Runtime exited with error: exit status 3")


@pytest.mark.parametrize(
    ("files", "detail"),
    [
        ({}, "Couldn't find valid bootstrap(s): [{root}/bootstrap /opt/bootstrap]"),
        ({"bootstrap": "echo not a program\n"}, "fork/exec {root}/bootstrap: exec format error"),
    ],
)
def test_a_missing_or_invalid_bootstrap_fails_init_as_lambda_says(
    functions: Callable[..., LambdaFunction], files: dict[str, str], detail: str
) -> None:
    fn = functions("nobootstrap", "handler () { :; }\n", runtime="provided.al2023", files=files)
    result = fn.invoke({})
    root = fn.pool.environments[0].task_root_inside()
    assert result.error is not None
    assert result.error.error_type == "Runtime.InvalidEntrypoint"
    assert result.error.error_message == f"RequestId: {result.request_id} Error: " + detail.format(
        root=root
    )
    lines = [e.message for e in result.log_events]
    kinds = [line.split(" ")[0] for line in lines]
    assert kinds == ["INIT_START", "INIT_REPORT", "INIT_REPORT", "START", "RequestId:", "END",
                     "REPORT"], lines  # fmt: skip
    for line, phase in zip(lines[1:3], ("init", "invoke")):
        assert re.fullmatch(rf"INIT_REPORT Init Duration: [\d.]+ ms\tPhase: {phase}\t"
                            r"Status: error\tError Type: Runtime.InvalidEntrypoint", line)  # fmt: skip
    assert lines[4] == f"{result.error.error_message}\nRuntime.InvalidEntrypoint"
    assert "Status: error\tError Type: Runtime.InvalidEntrypoint" in lines[-1]


def test_max_memory_used_counts_every_process_of_a_custom_runtime(
    functions: Callable[..., LambdaFunction],
) -> None:
    # A child that holds 80 MB while the invocation answers (then it is stopped): counted in
    # every sandbox mode (a child that has exited is counted only with a memory cgroup).
    bootstrap = PROBE.replace(
        'touch "${TMPDIR:-/tmp}/exit"\n',
        'python3 -c "import time; b = bytearray(80 << 20); time.sleep(30)" &\n'
        "  child=$!; sleep 1\n"
        "  trap 'kill $child 2>/dev/null' EXIT\n",
    )
    fn = functions("children", runtime="provided.al2023", memory_size=256,
                   files={"bootstrap": bootstrap})  # fmt: skip
    started = time.monotonic()
    result = fn.invoke({})
    assert result.error is None, result.error
    assert result.report.max_memory_used_mb >= 80, result.report
    assert time.monotonic() - started < 30


STREAMING = """
    export const handler = awslambda.streamifyResponse(async (event, stream) => {
      for (let i = 0; i < 3; i++) {
        stream.write(`part ${i}\\n`);
        await new Promise((r) => setTimeout(r, 250));
      }
      if (event.fail) throw new Error('the stream broke');
      stream.end();
    });
    """


def test_invoke_stream_yields_chunks_as_the_handler_writes_them(
    functions: Callable[..., LambdaFunction],
) -> None:
    fn = functions("streamer", STREAMING, runtime="nodejs22.x")
    fn.invoke({"warm": True})  # Init out of the way
    started = time.monotonic()
    stream = fn.invoke_stream({})
    arrivals = [(time.monotonic() - started, chunk) for chunk in stream]
    assert [c for _, c in arrivals] == [b"part 0\n", b"part 1\n", b"part 2\n"]
    assert arrivals[0][0] < 0.5 and arrivals[2][0] - arrivals[0][0] > 0.35  # one by one
    assert stream.result is not None and stream.result.error is None
    assert stream.result.raw == b"part 0\npart 1\npart 2\n"
    assert stream.result.report.duration_ms > 700  # the handler ended after the first chunk

    failed = fn.invoke_stream({"fail": True})
    assert failed.read() == b"part 0\npart 1\npart 2\n"  # what was sent before the error
    assert failed.result is not None and failed.result.error is not None
    assert failed.result.error.error_type == "Error"
    assert failed.result.error.error_message == "the stream broke"

    buffered = functions("buffered", "export const handler = async () => ({a: 1});",
                         runtime="nodejs22.x")  # fmt: skip
    assert list(buffered.invoke_stream({})) == [b'{"a":1}']  # not streamed: one chunk


def test_the_tutorial_bootstrap_runs_in_bash_without_lambdas_file_system_view() -> None:
    """Without mount namespaces (Binder) /bin/sh is the machine's (dash on Debian and Ubuntu);
    a ``#!/bin/sh`` bootstrap still runs in bash, as on Amazon Linux."""
    script = (
        "from lambda_magic import LambdaFunction\n"
        "from lambda_magic.platform.sandbox.client import sandbox_info\n"
        f"fn = LambdaFunction('t', {TUTORIAL_FUNCTION!r}, runtime='provided.al2023',\n"
        f"                    files={{'bootstrap': {TUTORIAL_BOOTSTRAP!r}}})\n"
        "print(bool(sandbox_info().namespaces), fn.invoke({'a': 1}).raw.decode())\n"
        "fn.shutdown()\n"
    )
    env = {**os.environ, "LAMBDA_MAGIC_NAMESPACES": "0"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False Echoing request: '{\"a\": 1}'"
