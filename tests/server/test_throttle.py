"""200 concurrent boto3 invocations from 10 threads against reserved concurrency 5: every
request is answered, the throttled ones as 429 with their Reason, and nothing is lost."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.server.conftest import client_for


def test_200_concurrent_invocations_with_reserved_concurrency_5(server, function) -> None:
    fn = function("five", """
        import time
        def lambda_handler(event, context):
            time.sleep(0.02)
            return event["i"]
    """, reserved_concurrency=5)  # fmt: skip
    local, clients = threading.local(), []

    def one(i: int) -> tuple[str, object]:
        if not hasattr(local, "client"):
            local.client = client_for(server.url, max_pool_connections=2)
            clients.append(local.client)
        client = local.client
        try:
            answer = client.invoke(FunctionName="five", Payload=json.dumps({"i": i}))
        except client.exceptions.TooManyRequestsException as e:
            return "429", e.response["Reason"]
        return str(answer["StatusCode"]), json.loads(answer["Payload"].read())

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(one, range(200)))
    for client in clients:
        client.close()
    kinds = Counter(kind for kind, _ in outcomes)
    assert sum(kinds.values()) == 200 and set(kinds) == {"200", "429"}, kinds
    assert kinds["429"] > 0
    reasons = {value for kind, value in outcomes if kind == "429"}
    assert reasons == {"ReservedFunctionConcurrentInvocationLimitExceeded"}
    answered = sorted(value for kind, value in outcomes if kind == "200")
    assert answered == sorted(r.payload for r in fn.history)  # each one ran once, none lost
    assert len(fn.environments) <= 5 and fn.pool.throttles == kinds["429"]
