"""Real clients from outside the process: ``lambda-magic serve`` on a directory of handler
files and on a SAM template, the AWS CLI's ``lambda invoke`` and ``lambda list-functions``,
and curl (signing with its own ``--aws-sigv4``) for the raw HTTP shapes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ENV = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x",
       "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null",
       "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}  # fmt: skip


@pytest.fixture
def serving(tmp_path):
    """Start ``lambda-magic serve PATH --port 0``; yields its URL and its process."""
    started = []

    def start(path: Path) -> tuple[str, subprocess.Popen]:
        proc = subprocess.Popen([str(BIN / "lambda-magic"), "serve", str(path), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=ENV)  # fmt: skip
        started.append(proc)
        line = proc.stdout.readline()  # "Serving N function(s) (...) at http://..."
        match = re.search(r"at (http://127\.0\.0\.1:\d+)", line)
        if match is None:
            proc.kill()
            raise AssertionError(line + proc.stderr.read())
        return match.group(1), proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(20)
        proc.stdout.close()
        proc.stderr.close()


def aws(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "aws"), "lambda", *args, "--endpoint-url", url],
                          capture_output=True, text=True, env=ENV, cwd=cwd, timeout=60)  # fmt: skip


def handlers(root: Path) -> Path:
    root.mkdir()
    (root / "hello.py").write_text(
        textwrap.dedent("""
        from helpers import greet
        def lambda_handler(event, context):
            print("hello was called")
            return greet(event.get("name", "world"))
    """)
    )
    (root / "orders.py").write_text("def handler(event, context):\n    return {'orders': []}\n")
    (root / "helpers.py").write_text("def greet(name):\n    return f'Hello, {name}!'\n")
    return root


def test_the_aws_cli_invokes_and_lists_a_directory_of_handlers(serving, tmp_path) -> None:
    url, proc = serving(handlers(tmp_path / "app"))
    listed = aws(url, "list-functions", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = [f["FunctionName"] for f in json.loads(listed.stdout)["Functions"]]
    assert names == ["hello", "orders"]  # helpers.py has no handler
    done = aws(url, "invoke", "--function-name", "hello", "--payload", '{"name": "Ada"}',
               "--log-type", "Tail", "out.json", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["StatusCode"] == 200 and printed["ExecutedVersion"] == "$LATEST"
    assert json.loads((tmp_path / "out.json").read_text()) == "Hello, Ada!"
    import base64

    assert "hello was called" in base64.b64decode(printed["LogResult"]).decode()
    missing = aws(url, "invoke", "--function-name", "nope", "out.json", cwd=tmp_path)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    proc.send_signal(signal.SIGINT)
    assert proc.wait(20) == 0


def test_a_sam_template(serving, tmp_path) -> None:
    app = handlers(tmp_path / "src")
    (tmp_path / "node").mkdir()
    (tmp_path / "node" / "index.mjs").write_text(
        "export const handler = async (event) => ({node: process.env.AWS_EXECUTION_ENV});\n"
    )
    (tmp_path / "template.yaml").write_text(
        textwrap.dedent("""
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Timeout: 5
            Environment:
              Variables:
                STAGE: dev
        Resources:
          HelloFunction:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/
              Handler: hello.lambda_handler
              Runtime: python3.11
              MemorySize: 256
          Inline:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: inline-fn
              Handler: index.handler
              Runtime: python3.11
              InlineCode: |
                import os
                def handler(event, context):
                    return {"stage": os.environ["STAGE"], "table": os.environ.get("TABLE")}
              Environment:
                Variables:
                  TABLE: !Ref Table
          NodeThing:
            Type: AWS::Serverless::Function
            Properties:
              Handler: index.handler
              Runtime: nodejs20.x
              CodeUri: node/
          RubyThing:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: ruby3.3
              CodeUri: src/
          Table:
            Type: AWS::DynamoDB::Table
    """)
    )
    assert app.exists()
    url, proc = serving(tmp_path)
    listed = json.loads(aws(url, "list-functions", cwd=tmp_path).stdout)["Functions"]
    by_name = {f["FunctionName"]: f for f in listed}
    assert set(by_name) == {"HelloFunction", "inline-fn", "NodeThing"}  # not RubyThing
    assert by_name["NodeThing"]["Runtime"] == "nodejs20.x"
    assert (
        by_name["HelloFunction"]["MemorySize"] == 256 and by_name["HelloFunction"]["Timeout"] == 5
    )
    done = aws(url, "invoke", "--function-name", "inline-fn", "out.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out.json").read_text()) == {"stage": "dev", "table": None}
    done = aws(url, "invoke", "--function-name", "NodeThing", "out.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out.json").read_text()) == {"node": "AWS_Lambda_nodejs20.x"}


def test_curl_sees_the_raw_shapes(server, function, tmp_path) -> None:
    function("raw", "def lambda_handler(event, context):\n    raise ValueError(event['x'])\n")
    sign = ["--aws-sigv4", "aws:amz:us-east-1:lambda", "--user", "AKIDEXAMPLE:secret"]

    def curl(*args: str) -> tuple[str, str]:
        out = subprocess.run(["curl", "-s", "-i", *args], capture_output=True, timeout=30,
                             check=True)  # fmt: skip
        head, _, body = out.stdout.decode().partition("\r\n\r\n")
        return head, body

    url = f"{server.url}/2015-03-31/functions/raw/invocations"
    head, body = curl(
        *sign, "-H", "X-Amz-Invocation-Type: RequestResponse", "-d", '{"x": "bad"}', url
    )
    assert head.startswith("HTTP/1.1 200 OK")
    assert "X-Amz-Function-Error: Unhandled" in head and "X-Amz-Executed-Version: $LATEST" in head
    assert json.loads(body)["errorType"] == "ValueError"
    head, body = curl(*sign, "-H", "X-Amz-Invocation-Type: Event", "-d", "{}", url)
    assert head.startswith("HTTP/1.1 202 Accepted") and body == ""
    head, body = curl(*sign, "-H", "X-Amz-Invocation-Type: DryRun", "-d", "{}", url)
    assert head.startswith("HTTP/1.1 204")
    head, body = curl(*sign, "-d", "{}", f"{server.url}/2015-03-31/functions/ghost/invocations")
    assert head.startswith("HTTP/1.1 404") and "x-amzn-ErrorType: ResourceNotFoundException" in head
    assert json.loads(body) == {
        "Type": "User",
        "Message": "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost",
    }
    head, body = curl("-d", "{}", url)  # not signed
    assert head.startswith("HTTP/1.1 403") and "MissingAuthenticationTokenException" in head
    head, body = curl("-X", "OPTIONS", "-H", "Origin: http://evil.example", url)
    assert head.startswith("HTTP/1.1 403") and "access-control" not in head.lower()
