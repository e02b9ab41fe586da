"""Versions and aliases through boto3: publishing, each version in its own environments and
saying so everywhere, aliases and their weighted routing, provisioned concurrency on an alias."""

from __future__ import annotations

import base64
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

SOURCE = """
import os
TAG = "{tag}"
def lambda_handler(event, context):
    return {{"tag": TAG, "version": context.function_version,
             "env": os.environ["AWS_LAMBDA_FUNCTION_VERSION"],
             "init": os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"],
             "arn": context.invoked_function_arn,
             "stream": context.log_stream_name}}
"""


def body(answer) -> dict:
    return json.loads(answer["Payload"].read())


def test_publish_versions_each_running_its_own_snapshot(lam, function) -> None:
    fn = function("ver", SOURCE.format(tag="one"))
    first = lam.publish_version(FunctionName="ver", Description="first")
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (first["Version"], first["Description"]) == ("1", "first")
    assert first["FunctionArn"].endswith("function:ver:1")
    assert lam.publish_version(FunctionName="ver")["Version"] == "1"  # nothing changed
    lam.get_waiter("published_version_active").wait(FunctionName="ver", Qualifier="1")
    fn.update_code(SOURCE.format(tag="two"))
    assert lam.publish_version(FunctionName="ver")["Version"] == "2"
    listed = lam.list_versions_by_function(FunctionName="ver")["Versions"]
    assert [v["Version"] for v in listed] == ["$LATEST", "1", "2"]
    one = lam.invoke(FunctionName="ver", Qualifier="1", LogType="Tail")
    seen = body(one)
    assert one["ExecutedVersion"] == "1" and seen["tag"] == "one"
    assert seen["version"] == seen["env"] == "1" and seen["arn"].endswith("function:ver:1")
    assert "/[1]" in seen["stream"]
    assert "Version: 1" in base64.b64decode(one["LogResult"]).decode()
    assert body(lam.invoke(FunctionName="ver:2"))["tag"] == "two"
    latest = lam.invoke(FunctionName="ver")
    assert latest["ExecutedVersion"] == "$LATEST" and body(latest)["version"] == "$LATEST"
    versions = sorted(e.revision.config.version for e in fn.environments)
    assert versions == ["$LATEST", "1", "2"]  # one environment each
    fn.update_code(SOURCE.format(tag="three"))  # a new $LATEST keeps the versions' environments
    assert sorted(e.revision.config.version for e in fn.environments) == ["1", "2"]
    assert lam.get_function(FunctionName="ver", Qualifier="1")["Configuration"]["Version"] == "1"


def test_aliases_create_get_update_list_delete(lam, function) -> None:
    fn = function("ali", SOURCE.format(tag="a"))
    lam.publish_version(FunctionName="ali")
    fn.update_code(SOURCE.format(tag="b"))
    lam.publish_version(FunctionName="ali")
    made = lam.create_alias(FunctionName="ali", Name="live", FunctionVersion="1")
    assert made["AliasArn"].endswith("function:ali:live") and made["FunctionVersion"] == "1"
    answer = lam.invoke(FunctionName="ali", Qualifier="live")
    assert answer["ExecutedVersion"] == "1"
    assert body(answer)["arn"].endswith("function:ali:live")
    assert lam.get_alias(FunctionName="ali", Name="live")["FunctionVersion"] == "1"
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.update_alias(FunctionName="ali", Name="live", FunctionVersion="2", RevisionId="old")
    moved = lam.update_alias(FunctionName="ali", Name="live", FunctionVersion="2")
    assert moved["RevisionId"] != made["RevisionId"]
    assert lam.invoke(FunctionName="ali:live")["ExecutedVersion"] == "2"
    lam.create_alias(FunctionName="ali", Name="old", FunctionVersion="1")
    assert [a["Name"] for a in lam.list_aliases(FunctionName="ali")["Aliases"]] == ["live", "old"]
    assert [
        a["Name"] for a in lam.list_aliases(FunctionName="ali", FunctionVersion="1")["Aliases"]
    ] == ["old"]
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_alias(FunctionName="ali", Name="old", FunctionVersion="2")
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.delete_function(FunctionName="ali", Qualifier="1")  # "old" points at it
    lam.delete_alias(FunctionName="ali", Name="old")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName="ali", Name="old")
    lam.delete_function(FunctionName="ali", Qualifier="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName="ali", Qualifier="1")
    for bad in (dict(Name="123", FunctionVersion="2"), dict(Name="x", FunctionVersion="9"),
                dict(Name="y", FunctionVersion="2",
                     RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})):  # fmt: skip
        with pytest.raises((lam.exceptions.InvalidParameterValueException,
                            lam.exceptions.ResourceNotFoundException)):  # fmt: skip
            lam.create_alias(FunctionName="ali", **bad)


def test_weighted_routing_over_1000_invocations(lam, function) -> None:
    fn = function("canary", "def lambda_handler(e, c):\n    return 1\n")
    lam.publish_version(FunctionName="canary")
    fn.update_code("def lambda_handler(e, c):\n    return 2\n")
    lam.publish_version(FunctionName="canary")
    lam.create_alias(FunctionName="canary", Name="live", FunctionVersion="1",
                     RoutingConfig={"AdditionalVersionWeights": {"2": 0.2}})  # fmt: skip

    def one(_: int) -> str:
        return lam.invoke(FunctionName="canary", Qualifier="live")["ExecutedVersion"]

    with ThreadPoolExecutor(8) as pool:
        counts = Counter(pool.map(one, range(1000)))
    assert set(counts) == {"1", "2"} and sum(counts.values()) == 1000
    assert abs(counts["2"] / 1000 - 0.2) <= 0.05, counts
    results = [r for r in fn.history if r.executed_version == "2"]
    assert all(r.payload == 2 for r in results)


def test_provisioned_concurrency_on_an_alias(lam, function) -> None:
    fn = function("warm", SOURCE.format(tag="p"))
    lam.publish_version(FunctionName="warm")
    lam.create_alias(FunctionName="warm", Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.put_provisioned_concurrency_config(FunctionName="warm", Qualifier="$LATEST",
                                               ProvisionedConcurrentExecutions=1)  # fmt: skip
    assert "unpublished" in str(caught.value)
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName="warm", Qualifier="live")
    put = lam.put_provisioned_concurrency_config(FunctionName="warm", Qualifier="live",
                                                 ProvisionedConcurrentExecutions=2)  # fmt: skip
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    got = lam.get_provisioned_concurrency_config(FunctionName="warm", Qualifier="live")
    assert (got["Status"], got["AvailableProvisionedConcurrentExecutions"]) == ("READY", 2)
    ready = [e for e in fn.environments if e.init_type == "provisioned-concurrency"]
    assert len(ready) == 2 and {e.revision.config.version for e in ready} == {"1"}
    answer = lam.invoke(FunctionName="warm", Qualifier="live", LogType="Tail")
    assert body(answer)["init"] == "provisioned-concurrency"
    assert "Init Duration" not in base64.b64decode(answer["LogResult"]).decode()
    listed = lam.list_provisioned_concurrency_configs(FunctionName="warm")
    assert [c["FunctionArn"] for c in listed["ProvisionedConcurrencyConfigs"]] == [
        fn.config.function_arn + ":live"
    ]
    lam.delete_provisioned_concurrency_config(FunctionName="warm", Qualifier="live")
    assert [e for e in fn.environments if e.init_type == "provisioned-concurrency"] == []
