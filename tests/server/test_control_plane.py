"""The control plane through boto3: functions created from a zip (a handler and its module),
read, listed, changed and deleted with the model's fields, boto3's waiters, concurrency and
asynchronous settings; notebook functions and API-made ones are the same functions."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import botocore
import pytest

from lambda_magic.api import live

MODEL = Path(botocore.__file__).parent / "data" / "lambda" / "2015-03-31" / "service-2.json.gz"


def shapes() -> dict:
    return json.loads(gzip.decompress(MODEL.read_bytes()))["shapes"]


def package(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return out.getvalue()


APP = {
    "app.py": "from greet import hello\ndef handler(event, context):\n    return hello(event)\n",
    "greet.py": "import os\ndef hello(e):\n    return f\"{os.environ.get('GREETING', 'Hello')}, {e['name']}!\"\n",
}


@pytest.fixture
def created(lam):
    data = package(APP)
    made = lam.create_function(
        FunctionName="made-by-api", Runtime="python3.11", Role="arn:aws:iam::123456789012:role/r",
        Handler="app.handler", Code={"ZipFile": data}, Description="from a zip", Timeout=5,
        MemorySize=256, Environment={"Variables": {"GREETING": "Hi"}},
    )  # fmt: skip
    yield made, data
    fn = live.find("made-by-api")
    if fn is not None:
        fn.shutdown()
        live.forget(fn)


def test_create_function_from_a_zip_then_invoke_it(lam, created) -> None:
    made, data = created
    assert made["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert made["State"] == "Pending" and made["StateReasonCode"] == "Creating"
    assert made["CodeSha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert made["CodeSize"] == len(data) and made["Handler"] == "app.handler"
    lam.get_waiter("function_active_v2").wait(FunctionName="made-by-api")
    lam.get_waiter("function_exists").wait(FunctionName="made-by-api")
    answer = lam.invoke(FunctionName="made-by-api", Payload=b'{"name": "Ada"}')
    assert json.loads(answer["Payload"].read()) == "Hi, Ada!"
    fn = live.find("made-by-api")
    assert fn is not None and fn.config.memory_size == 256 and fn.description == "from a zip"
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_function(FunctionName="made-by-api", Runtime="python3.11", Role=made["Role"],
                            Handler="app.handler", Code={"ZipFile": data})  # fmt: skip


def test_configuration_has_the_models_members(lam, created) -> None:
    members = set(shapes()["FunctionConfiguration"]["members"])
    config = lam.get_function_configuration(FunctionName="made-by-api")
    fields = set(config) - {"ResponseMetadata"}
    assert fields <= members
    for needed in ("FunctionArn", "Runtime", "Handler", "MemorySize", "Timeout", "State",
                   "LastUpdateStatus", "CodeSha256", "Version", "RevisionId", "LastModified"):  # fmt: skip
        assert needed in fields
    assert config["State"] == "Active" and config["LastUpdateStatus"] == "Successful"
    assert config["Environment"] == {"Variables": {"GREETING": "Hi"}}
    whole = lam.get_function(FunctionName="made-by-api")
    assert whole["Configuration"]["FunctionArn"] == config["FunctionArn"]
    assert set(whole) - {"ResponseMetadata"} <= set(shapes()["GetFunctionResponse"]["members"])


def test_update_code_and_configuration_with_the_waiter(lam, created) -> None:
    first = lam.get_function_configuration(FunctionName="made-by-api")
    new = package({"app.py": "def handler(event, context):\n    return 'v2'\n"})
    updated = lam.update_function_code(FunctionName="made-by-api", ZipFile=new)
    assert updated["LastUpdateStatus"] == "InProgress"
    lam.get_waiter("function_updated_v2").wait(FunctionName="made-by-api")
    assert json.loads(lam.invoke(FunctionName="made-by-api")["Payload"].read()) == "v2"
    assert live.find("made-by-api").code_dir().endswith("r2")
    assert not (Path(live.find("made-by-api").code_dir()) / "greet.py").exists()  # replaced
    lam.update_function_configuration(
        FunctionName="made-by-api", Timeout=7, Environment={"Variables": {"GREETING": "Yo"}},
        Description="changed",
    )  # fmt: skip
    lam.get_waiter("function_updated").wait(FunctionName="made-by-api")
    config = lam.get_function_configuration(FunctionName="made-by-api")
    assert (config["Timeout"], config["Description"]) == (7, "changed")
    assert config["RevisionId"] != first["RevisionId"]
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.update_function_configuration(FunctionName="made-by-api", Timeout=8,
                                          RevisionId=first["RevisionId"])  # fmt: skip
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.update_function_configuration(FunctionName="made-by-api", Timeout=901)
    assert "timeout" in str(caught.value)


def test_list_functions_has_notebook_and_api_functions_in_pages(lam, created, function) -> None:
    for i in range(3):
        function(f"nb-{i}", "def lambda_handler(e, c):\n    return e\n")
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert {"made-by-api", "nb-0", "nb-1", "nb-2"} <= set(names)
    pages = list(lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}))
    assert all(len(p["Functions"]) <= 2 for p in pages) and len(pages) >= 2
    assert [f["FunctionName"] for p in pages for f in p["Functions"]] == names


def test_delete_function_frees_its_name(lam, created) -> None:
    fn = live.find("made-by-api")
    lam.invoke(FunctionName="made-by-api", Payload=b'{"name": "x"}')
    assert fn.environments
    deleted = lam.delete_function(FunctionName="made-by-api")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert fn.environments == []
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="made-by-api")
    assert "made-by-api" not in [f["FunctionName"] for f in lam.list_functions()["Functions"]]


def test_reserved_concurrency(lam, function) -> None:
    fn = function("capped", "def lambda_handler(e, c):\n    return e\n")
    assert (
        lam.get_function_concurrency(FunctionName="capped").get("ReservedConcurrentExecutions")
        is None
    )
    put = lam.put_function_concurrency(FunctionName="capped", ReservedConcurrentExecutions=0)
    assert put["ReservedConcurrentExecutions"] == 0 and fn.config.reserved_concurrency == 0
    assert lam.get_function(FunctionName="capped")["Concurrency"] == {
        "ReservedConcurrentExecutions": 0
    }
    with pytest.raises(lam.exceptions.TooManyRequestsException):
        lam.invoke(FunctionName="capped")
    lam.delete_function_concurrency(FunctionName="capped")
    assert fn.config.reserved_concurrency is None
    assert lam.invoke(FunctionName="capped")["StatusCode"] == 200


def test_event_invoke_config(lam, function) -> None:
    fn = function("later", "def lambda_handler(e, c):\n    return e\n")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_event_invoke_config(FunctionName="later")
    put = lam.put_function_event_invoke_config(FunctionName="later", MaximumRetryAttempts=0,
                                               MaximumEventAgeInSeconds=120)  # fmt: skip
    assert put["FunctionArn"].endswith("function:later:$LATEST")
    assert fn.async_config.maximum_retry_attempts == 0 and fn.async_config.maximum_event_age == 120
    lam.update_function_event_invoke_config(FunctionName="later", MaximumRetryAttempts=1)
    got = lam.get_function_event_invoke_config(FunctionName="later")
    assert (got["MaximumRetryAttempts"], got["MaximumEventAgeInSeconds"]) == (1, 120)
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.put_function_event_invoke_config(FunctionName="later", MaximumRetryAttempts=5)
    lam.delete_function_event_invoke_config(FunctionName="later")
    assert fn.async_config.maximum_retry_attempts == 2


def test_bad_uploads_are_refused(lam) -> None:
    role = "arn:aws:iam::123456789012:role/r"
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.create_function(FunctionName="broken", Runtime="python3.11", Role=role,
                            Handler="app.handler", Code={"ZipFile": b"not a zip"})  # fmt: skip
    assert "Could not unzip uploaded file" in str(caught.value)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.create_function(FunctionName="broken", Runtime="nodejs99.x", Role=role,
                            Handler="app.handler", Code={"ZipFile": package(APP)})  # fmt: skip
    assert "runtime must be one of" in str(caught.value)
    assert live.find("broken") is None
