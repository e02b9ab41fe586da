"""Every magic, option and error path, in a real IPython shell with real environments."""

from __future__ import annotations

import json
import os
import re

import pytest

from lambda_magic.core.errors import ErrorPayload, FunctionError, InvocationInterrupted
from lambda_magic.core.lifecycle import EnvState
from lambda_magic.engine.result import InvocationResult, Report
from lambda_magic.views.cards import BatchView
from lambda_magic.views.results import result_html, result_text

pytestmark = pytest.mark.timeout(60)

HELLO = """%%lambda_handler hello --memory 256 --timeout 5 --env STAGE=dev --env TEAM=docs
import os, time
BOOTED = time.time()
def lambda_handler(event, context):
    print("got", event)
    return {"hello": event.get("name"), "stage": os.environ["STAGE"], "team": os.environ["TEAM"],
            "custom": context.client_context.custom if context.client_context else None}
"""


def card(cap) -> str:
    return "\n".join(o.data["text/plain"] for o in cap.outputs)


def test_handler_cell_defines_a_function_and_shows_its_card(ip) -> None:
    cap = ip.ok(HELLO)
    text = card(cap)
    for expected in [
        "Lambda function hello",
        "Runtime: python3.",
        "Handler: lambda_function.lambda_handler",
        "Memory: 256 MB",
        "Timeout: 5 s",
        "Revision: 1",
        "Freeze: on",
        "Created hello (revision 1): the first invoke is a cold start.",
    ]:
        assert expected in text
    fn = ip.magics.functions["hello"]
    assert fn.config.environment == {"STAGE": "dev", "TEAM": "docs"}
    assert "<b>&lambda; hello</b>" in cap.outputs[0].data["text/html"]


def test_rerunning_the_cell(ip) -> None:
    ip.ok(HELLO)
    ip.ok('%lambda_invoke hello {"name": "a"}')
    same = card(ip.ok(HELLO))
    assert "Unchanged: revision 1 kept, with its 1 warm environment." in same
    changed = card(ip.ok(HELLO.replace("--memory 256", "--memory 512").replace("got", "received")))
    assert (
        "Published revision 2 (code changed, memory 256 → 512): its environments were shut down; "
        "the next invoke is a cold start."
    ) in changed
    result = ip.ok('%lambda_invoke hello {"name": "b"}').result
    assert result.cold_start and "received" in result.logs


def test_options_map_to_the_configuration(ip) -> None:
    ip.ok(
        "%%lambda_handler cfg --handler lambda_function.go --ephemeral-storage 1024 --no-freeze "
        "--region eu-west-1 --log-format JSON --log-level DEBUG --idle-timeout 60 --shutdown-grace 100\n"
        "def go(event, context):\n    return 1\n"
    )
    cfg = ip.magics.functions["cfg"].config
    assert (cfg.handler, cfg.ephemeral_storage, cfg.freeze, cfg.region) == (
        "lambda_function.go",
        1024,
        False,
        "eu-west-1",
    )
    assert (cfg.log_format, cfg.log_level, cfg.idle_timeout, cfg.shutdown_grace_ms) == (
        "JSON",
        "DEBUG",
        60,
        100,
    )
    ip.ok("%%lambda_handler only_handler\ndef handler(event, context):\n    return 'h'\n")
    assert ip.magics.functions["only_handler"].config.handler == "lambda_function.handler"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("%%lambda_handler bad --memory 64", "memory_size must be from 128 to 10240 MB, got 64"),
        ("%%lambda_handler bad --timeout 901", "timeout must be from 1 to 900 seconds, got 901"),
        ("%%lambda_handler bad --env NOEQUALS", "--env must be written KEY=VALUE, got 'NOEQUALS'"),
        (
            "%%lambda_handler bad --env AWS_REGION=x",
            "reserved keys that Lambda does not let a function modify",
        ),
        ("%%lambda_handler 'bad name'", "use 1 to 64 letters, digits, hyphens"),
        ("%%lambda_handler bad --log-level DEBUG", "only be set when log_format is JSON"),
        (
            "%%lambda_handler bad --colour red",
            "the options of %lambda_handler are: --env, --ephemeral-storage, --handler",
        ),
        ("%%lambda_handler bad --log-format XML", "argument --log-format: invalid choice: 'XML'"),
    ],
)
def test_bad_handler_options_start_nothing(ip, line, message) -> None:
    assert message in ip.usage_error(line + "\ndef lambda_handler(e, c):\n    pass\n")
    assert "bad" not in ip.magics.functions


def test_a_syntax_error_shows_at_once(ip) -> None:
    text = card(ip.ok("%%lambda_handler broken\ndef lambda_handler(e, c)\n    pass\n"))
    assert (
        "Runtime.UserCodeSyntaxError: Syntax error in module 'lambda_function': expected ':'"
        in text
    )
    assert 'lambda_function.py" Line 1' in text
    assert ip.magics.functions["broken"].environments == []  # nothing was invoked


def test_lambda_file_adds_modules_to_the_package(ip) -> None:
    early = ip.ok("%%lambda_file greeter helpers.py\ndef greet(n):\n    return 'Hello, ' + n\n")
    assert "Added helpers.py to the package of greeter" in early.stdout
    ip.ok(
        "%%lambda_handler greeter\nfrom helpers import greet\ndef lambda_handler(e, c):\n    return greet(e)\n"
    )
    assert ip.ok('%lambda_invoke greeter "Ada"').result.payload == "Hello, Ada"
    later = ip.ok("%%lambda_file greeter helpers.py\ndef greet(n):\n    return 'Hi, ' + n\n")
    assert "Published revision 2: helpers.py in the package of greeter." in later.stdout
    assert ip.ok('%lambda_invoke greeter "Ada"').result.payload == "Hi, Ada"
    assert "must be relative" in ip.usage_error("%%lambda_file greeter ../escape.py\nx = 1\n")


def test_event_sources(ip, tmp_path) -> None:
    ip.ok(HELLO)
    assert ip.ok('%lambda_invoke hello {"name": "json"}').result.payload["hello"] == "json"
    assert ip.ok("ev = {'name': 'var'}\n%lambda_invoke hello $ev").result.payload["hello"] == "var"
    assert ip.ok("%lambda_invoke hello {dict(name='expr')}").result.payload["hello"] == "expr"
    assert "(JSON strings use double quotes)" in ip.usage_error(
        "%lambda_invoke hello {'name': 'single'}"
    )
    cell = ip.ok('%%lambda_invoke hello\n{"name": "cell",\n "tags": ["a", "b"]}\n').result
    assert cell.payload["hello"] == "cell"
    (tmp_path / "event.json").write_text(json.dumps({"name": "file"}))
    assert (
        ip.ok("r = %lambda_invoke hello --event-file event.json\nr.payload").result["hello"]
        == "file"
    )
    context = ip.ok('%lambda_invoke hello --client-context \'{"custom": {"k": 1}}\' {}').result
    assert context.payload["custom"] == {"k": 1}
    assert ip.ok("%lambda_invoke hello").result.payload["hello"] is None  # no event: {}


def test_template_and_saved_events(ip) -> None:
    ip.ok(
        "%%lambda_handler s3\ndef lambda_handler(e, c):\n    return e['Records'][0]['s3']['object']['key']\n"
    )
    r = ip.ok(
        "%lambda_invoke s3 --template s3:put --param bucket=photos --param 'key=cat 1.jpg' --seed 3"
    ).result
    assert r.payload == "cat+1.jpg"  # S3 keys arrive URL-encoded
    from lambda_magic import events

    events.SavedEvents("s3").save("one", events.generate("s3:put", key="saved.png"))
    assert ip.ok("%lambda_invoke s3 --saved one").result.payload == "saved.png"
    assert "unknown event template 's3:putt' (did you mean 's3:put'?)" in ip.usage_error(
        "%lambda_invoke s3 --template s3:putt"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            '%lambda_invoke hello {"name": }',
            "bad JSON in the event at line 1, column 10: Expecting value",
        ),
        (
            '%%lambda_invoke hello\n{"name": "x",\n "tags": ["a" "b"]}\n',
            "bad JSON in the cell's event at line 2, column 15: Expecting ',' delimiter",
        ),
        ("%lambda_invoke hello {missing_name}", "the expression {missing_name} failed: NameError"),
        ("%lambda_invoke hello $nothing", "no notebook variable named 'nothing'"),
        (
            "%lambda_invoke helo {}",
            "no Lambda function named 'helo'; did you mean hello? Defined: hello.",
        ),
        (
            "%lambda_invoke hello --event-file missing.json",
            "cannot read the event file 'missing.json'",
        ),
        ("%lambda_invoke hello --template s3:put {}", "give one event: inline, the cell body"),
        (
            "%lambda_invoke hello {set([1])}",
            "InvalidRequestContentException: the event is not JSON-serializable",
        ),
        (
            "%lambda_invoke hello --client-context '{bad'",
            "bad JSON in --client-context at line 1, column 2",
        ),
        ("%lambda_invoke hello --unknown", "the options of %lambda_invoke are: --client-context"),
    ],
)
def test_invoke_usage_errors(ip, cell, message) -> None:
    ip.ok(HELLO)
    assert message in ip.usage_error(cell)
    assert len(ip.magics.functions["hello"].history) == 0  # nothing ran


def test_logs_stream_into_the_cell_and_the_value_is_the_result(ip) -> None:
    ip.ok(HELLO)
    cap = ip.ok('%lambda_invoke hello {"name": "Ada"}')
    lines = cap.stdout.splitlines()
    assert lines[0].startswith("INIT_START") and "got {'name': 'Ada'}" in lines
    report = next(i for i, line in enumerate(lines) if line.startswith("REPORT RequestId:"))
    assert lines[report + 1].startswith("Out[")  # the result is displayed after the streamed logs
    result = cap.result
    assert isinstance(result, InvocationResult) and result.ok
    quiet = ip.ok('r = %lambda_invoke hello --quiet {"name": "Ada"}')
    assert quiet.stdout == ""


def test_function_errors_are_shown_as_lambda_shows_them(ip) -> None:
    ip.ok("%%lambda_handler boom\ndef lambda_handler(e, c):\n    return {}['missing']\n")
    cap = ip.ok("%lambda_invoke boom")
    result = cap.result
    assert (result.error_type, result.payload["errorMessage"]) == ("KeyError", "'missing'")
    shown = cap.stdout[cap.stdout.index("Out[") :]  # what the notebook shows as the value
    assert "Failed (cold start): KeyError" in shown and "return {}['missing']" in shown
    assert "lambda_magic" not in shown.replace("/lambda_magic-", "")  # no frame of ours
    cap = ip.run("%lambda_invoke boom --raise")
    assert isinstance(cap.error, FunctionError)
    assert cap.error._render_traceback_()[-1] == "KeyError: 'missing'"


def test_notebook_variables_are_not_visible_and_the_error_says_so(ip) -> None:
    ip.ok("%%lambda_handler nv\ndef lambda_handler(e, c):\n    return threshold\n")
    ip.ok("threshold = 3")
    result = ip.ok("%lambda_invoke nv").result
    assert result.error_type == "NameError"
    assert result.notes == [
        "'threshold' exists in this notebook, but a Lambda function cannot see notebook "
        "variables (as a deployed function cannot): define it in the handler's cell, pass it "
        "in the event, or set it with --env."
    ]
    other = ip.ok("%%lambda_handler nv2\ndef lambda_handler(e, c):\n    return nowhere\n")
    assert other and ip.ok("%lambda_invoke nv2").result.notes == []


def test_status_logs_reset_and_shutdown(ip) -> None:
    assert "No Lambda functions yet" in repr(ip.ok("%lambda_status").result)
    ip.ok(HELLO)
    ip.ok('%lambda_invoke hello {"name": "a"}')
    status = repr(ip.ok("%lambda_status").result)
    assert re.search(
        r"hello: revision 1, python3\.\d+, lambda_function.lambda_handler, 256 MB, 5 s, "
        r"1 invocations, last: success",
        status,
    )
    assert "env-1        Frozen" in status
    # What the machine has for each runtime, or what to install.
    assert re.search(r"Runtimes here:\n  python: python \S+ \(Python 3", status)
    assert re.search(r"  nodejs: node (/\S+ \(Node\.js \d+|missing: install Node\.js)", status)
    assert re.search(r"  java: javac (/\S+ \(JDK \d+|.*none found)", status)
    logs = repr(ip.ok("%lambda_logs hello --tail 2").result)
    assert len(logs.splitlines()) == 2 and "REPORT RequestId:" in logs.splitlines()[1]
    assert "--tail must be a positive number" in ip.usage_error("%lambda_logs hello --tail 0")
    reset = ip.ok("%lambda_reset hello")
    assert (
        reset.stdout
        == "hello: 1 environment shut down (graceful); the next invoke is a cold start.\n"
    )
    assert ip.magics.functions["hello"].environments == []
    assert "name one function, or use --all" in ip.usage_error("%lambda_reset")
    ip.ok('%lambda_invoke hello {"name": "b"}')
    shut = ip.ok("%lambda_shutdown --all")
    assert shut.stdout == "hello: 1 environment shut down (graceful).\n"


def test_an_interrupt_names_the_interrupted_request_only(ip, monkeypatch) -> None:
    ip.ok(HELLO)
    fn = ip.magics.functions["hello"]
    ip.ok("%lambda_invoke hello -q {}")
    previous = fn.last_result
    assert previous is not None

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # before the invocation's result was recorded

    monkeypatch.setattr(fn, "invoke", interrupted)
    error = ip.run("%lambda_invoke hello -q {}").error
    assert isinstance(error, InvocationInterrupted)
    assert error.request_id == "?" and previous.request_id not in str(error)


def test_lambda_event(ip) -> None:
    event = ip.ok('%lambda_event s3:put --bucket photos --key "cat 1.jpg" --seed 1').result
    assert event["Records"][0]["s3"]["bucket"]["name"] == "photos"
    assert event == ip.ok('%lambda_event s3:put --bucket photos --key "cat 1.jpg" --seed 1').result
    assert "s3:put" in ip.ok("%lambda_event --list s3").result
    assert "bucket" in str(ip.ok("%lambda_event s3:put --help").result)
    assert "unknown event template 's3:putt' (did you mean 's3:put'?)" in ip.usage_error(
        "%lambda_event s3:putt"
    )


def test_lambda_event_reads_what_the_events_command_line_reads(ip) -> None:
    assert "unknown service 'nosuch'" in ip.usage_error("%lambda_event --list nosuch")
    multi = ip.ok("%lambda_event alb:request --multi_value --seed 1").result
    assert "multiValueHeaders" in multi and "headers" not in multi
    assert "headers" in ip.ok("%lambda_event alb:request --multi-value false --seed 1").result
    assert (
        ip.ok("%lambda_event s3 put --seed 1").result
        == ip.ok("%lambda_event s3:put --seed 1").result
    )
    assert "bucket" in str(ip.ok("%lambda_event s3 put --help").result)
    assert "--seed must be an int, got 'x'" in ip.usage_error("%lambda_event s3:put --seed x")
    assert "needs a value" in ip.usage_error("%lambda_event s3:put --bucket")
    assert "--indent" in ip.usage_error("%lambda_event s3:put --indent 2")


def test_configurable_defaults(ip) -> None:
    ip.ok("%config LambdaMagics.default_timeout = 10")
    ip.ok(
        "%%lambda_handler configured\ndef lambda_handler(e, c):\n    return c.get_remaining_time_in_millis()\n"
    )
    assert ip.magics.functions["configured"].config.timeout == 10
    from traitlets import TraitError

    with pytest.raises(TraitError, match="memory_size must be from 128 to 10240 MB, got 50"):
        ip.magics.default_memory_size = 50
    ip.run("%config LambdaMagics.default_memory_size = 50")  # IPython logs the same message
    assert ip.magics.default_memory_size == 128


@pytest.mark.parametrize(
    "magic",
    [
        "lambda_handler",
        "lambda_file",
        "lambda_invoke",
        "lambda_status",
        "lambda_logs",
        "lambda_reset",
        "lambda_shutdown",
        "lambda_event",
        "lambda_panel",
        "lambda_function",
    ],
)
def test_every_magic_has_help_with_examples(ip, magic) -> None:
    table = ip.shell.magics_manager.magics
    doc = (table["cell"].get(magic) or table["line"][magic]).__doc__
    assert "Examples" in doc and f"%{magic}" in doc


def test_unloading_shuts_everything_down(ip) -> None:
    ip.ok(HELLO)
    ip.ok('%lambda_invoke hello {"name": "a"}')
    fn = ip.magics.functions["hello"]
    env = fn.environments[0]
    runtime = env.pid
    ip.shell.run_line_magic("unload_ext", "lambda_magic")
    assert env.state.state is EnvState.SHUT_DOWN and not os.path.exists(f"/proc/{runtime}")
    assert "lambda_invoke" not in ip.shell.magics_manager.magics["line"]
    ip.shell.run_line_magic("load_ext", "lambda_magic")  # and it loads again
    assert ip.magics.functions == {}


def test_concurrency_options_and_invocation_types(ip) -> None:
    ip.ok(
        "%%lambda_handler scale --reserved-concurrency 3 --provisioned-concurrency 1 --no-panel\n"
        "import os, time\ndef lambda_handler(e, c):\n    time.sleep(0.1)\n    return os.getpid()\n"
    )
    fn = ip.magics.functions["scale"]
    assert (fn.config.reserved_concurrency, fn.config.provisioned_concurrency) == (3, 1)
    batch = ip.ok("%lambda_invoke scale --concurrency 5 --repeat 5 {}").result
    assert (
        len(batch) == 5 and sorted(r.status for r in batch) == ["success"] * 3 + ["throttled"] * 2
    )
    summary = repr(batch)
    assert summary.startswith("5 invocations of scale, 5 at a time, in ")
    assert "3 success, 2 throttled; 3 environments, 2 cold starts" in summary
    throttled = next(r for r in batch if r.status == "throttled")
    assert throttled.throttle_reason == "ReservedFunctionConcurrentInvocationLimitExceeded"
    shown = result_text(throttled)
    assert shown.startswith("Throttled (nothing ran): TooManyRequestsException scale ")
    assert "Duration" not in shown and "Duration" not in result_html(throttled)
    queued = ip.ok("%lambda_invoke scale --type Event {}").result
    assert queued.status_code == 202 and queued.wait(5).status == "succeeded"
    dry = ip.ok("%lambda_invoke scale --type DryRun {}")
    assert dry.stdout == "DryRun: the request to scale is valid (status 204); nothing ran.\n"
    status = repr(ip.ok("%lambda_status scale").result)
    assert "concurrency in use 0, reserved 3, provisioned 1, throttles 2" in status
    assert "argument --type: invalid choice: 'Later'" in ip.usage_error(
        "%lambda_invoke scale --type Later {}"
    )
    assert "at least 1" in ip.usage_error("%lambda_invoke scale --repeat 0 --concurrency 2 {}")


def test_the_card_of_a_provisioned_function_says_its_environments_are_ready(ip) -> None:
    cell = "%%lambda_handler ready --provisioned-concurrency 2 --no-panel\n{}"
    code = "def lambda_handler(e, c):\n    return 1\n"
    created = card(ip.ok(cell.format(code)))
    assert (
        "Created ready (revision 1): 2 provisioned environments initialized ahead of time "
        "(an invoke beyond them is a cold start; on Lambda, provisioned concurrency needs a "
        "version or an alias: %lambda_publish, then %lambda_alias --provisioned)."
    ) in created
    assert "the first invoke is a cold start" not in created
    changed = card(ip.ok(cell.format(code.replace("1", "2"))))
    assert (
        "Published revision 2 (code changed): its environments were shut down; 2 provisioned "
        "environments initialized ahead of time (an invoke beyond them is a cold start; on "
        "Lambda, provisioned concurrency needs a version or an alias"
    ) in changed
    assert not ip.ok("%lambda_invoke ready -q {}").result.cold_start


def test_lambda_function_gives_the_python_object(ip) -> None:
    ip.ok(HELLO)
    fn = ip.ok("%lambda_function hello").result
    assert fn is ip.magics.functions["hello"]
    assert "no Lambda function named 'nope'" in ip.usage_error("%lambda_function nope")


def test_a_batch_view_reports_the_median_duration() -> None:
    def ran(ms: float, env: str) -> InvocationResult:
        return InvocationResult("f", "id", b"1", "application/json", Report(ms, 128, 10),
                                environment_id=env)  # fmt: skip

    refused = InvocationResult(
        "f", "id", b"", "", Report(0.0, 128, 0, status="throttled"),
        error=ErrorPayload("Rate Exceeded.", "TooManyRequestsException", extra={"Reason": "R"}),
    )  # fmt: skip
    view = BatchView([ran(1.0, "env-1"), ran(2.0, "env-2"), ran(4.0, "env-1"), ran(9.0, "env-2"),
                      refused], concurrency=2, elapsed_s=0.5)  # fmt: skip
    assert view.summary() == (
        "5 invocations of f, 2 at a time, in 0.50 s: 4 success, 1 throttled; 2 environments, "
        "0 cold starts; Duration p50 3.00 ms, max 9.00 ms"
    )
    assert view.figures.reasons == ("R",) and view.figures.p50_ms == 3.0


def test_the_timeline_picture_lists_each_environments_states(ip) -> None:
    ip.ok(HELLO)
    fn = ip.ok("%lambda_function hello").result
    assert repr(fn.timeline()) == "no environment yet"
    ip.ok("%lambda_invoke hello -q {}")
    ip.ok("%lambda_invoke hello -q {}")
    picture = fn.timeline()
    assert repr(picture) == "env-1: Initializing → Invoking → Frozen → Invoking → Frozen"
    assert picture._repr_svg_().startswith("<svg")


CONTEXTS = """%%lambda_handler ctx
def lambda_handler(event, context):
    return {"event": event, "identity": context.identity.cognito_identity_id,
            "custom": context.client_context.custom if context.client_context else None}
"""


def test_identity_and_the_client_context_limit(ip) -> None:
    ip.ok(CONTEXTS)
    identity = '{"cognitoIdentityId": "us-east-1:abc", "cognitoIdentityPoolId": "pool"}'
    result = ip.ok(f"%lambda_invoke ctx --identity '{identity}' {{}}").result
    assert result.payload == {"event": {}, "identity": "us-east-1:abc", "custom": None}
    big = json.dumps({"custom": {"k": "x" * 2700}})  # over 3,583 bytes once base64-encoded
    message = ip.usage_error(f"%lambda_invoke ctx --client-context '{big}' {{}}")
    assert "Client context must be at most 3583 bytes once base64-encoded" in message


def test_a_trailing_semicolon_hides_the_output_and_is_not_part_of_the_event(ip) -> None:
    ip.ok(CONTEXTS)
    cap = ip.ok('%lambda_invoke ctx {"a": 1};')
    assert not cap.outputs  # IPython's "hide the output": nothing displayed
    assert ip.magics.functions["ctx"].last_result.payload["event"] == {"a": 1}


def test_a_template_parameter_of_null_is_json_null(ip) -> None:
    ip.ok(CONTEXTS)
    result = ip.ok("%lambda_invoke ctx --template apigateway:aws-proxy --param body=null").result
    assert result.payload["event"]["body"] is None
    get = ip.ok("%lambda_invoke ctx --template apigateway:aws-proxy --param method=GET").result
    event = get.payload["event"]
    assert event["body"] is None and "Content-Length" not in event["headers"]


def test_cells_in_other_languages(ip) -> None:
    ip.ok(
        "%%lambda_handler node-hello --runtime nodejs22.x\n"
        "export const handler = async (event, context) =>\n"
        "  ({hello: event.name, runtime: process.env.AWS_EXECUTION_ENV});\n"
    )
    result = ip.ok('%lambda_invoke node-hello {"name": "Ada"}').result
    assert result.payload == {"hello": "Ada", "runtime": "AWS_Lambda_nodejs22.x"}
    ip.ok(
        "%%lambda_handler java-hello --runtime java17\n"
        "package example;\n"
        "import java.util.Map;\n"
        "public class Hello {\n"
        "    public String handleRequest(Map<String, String> event) {\n"
        '        return "hello " + event.get("name");\n'
        "    }\n"
        "}\n"
    )
    assert ip.ok('%lambda_invoke java-hello {"name": "Bo"}').result.payload == "hello Bo"
    # A custom runtime: its bootstrap comes first, then the handler's file.
    ip.ok(
        "%%lambda_file sh-hello bootstrap\n#!/bin/sh\n"
        'api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"\n'
        'source "$LAMBDA_TASK_ROOT/function.sh"\n'
        "while true; do\n"
        '  h="$(mktemp)"; e=$(curl -sS -D "$h" "$api/next")\n'
        "  id=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$h\" | tr -d '[:space:]' | cut -d: -f2)\n"
        '  curl -sS -o /dev/null "$api/$id/response" -d "$(handler "$e")"\n'
        "done\n"
    )
    ip.ok('%%lambda_handler sh-hello --runtime provided.al2023\nhandler () { echo "sh got $1"; }\n')
    assert ip.ok("%lambda_invoke sh-hello [1]").result.raw == b"sh got [1]"
    # A bad runtime id names the allowed ones; a compile error says where; nothing changes.
    message = ip.usage_error("%%lambda_handler bad --runtime ruby3.3\nx = 1\n")
    assert "runtime must be one of" in message and "nodejs24.x" in message
    message = ip.usage_error(
        "%%lambda_handler java-hello --runtime java17\n"
        "package example;\npublic class Hello { int x = ; }\n"
    )
    assert re.search(r"example/Hello\.java:2:\d+: error: illegal start of expression", message)
    assert ip.ok('%lambda_invoke java-hello {"name": "Cy"}').result.payload == "hello Cy"
