"""Starting and stopping: another host warns, one server per process, and a stopped server
leaves no thread or socket behind (an invocation in flight ends as interrupted)."""

from __future__ import annotations

import threading
import time
import warnings

import psutil
import pytest

import lambda_magic
from lambda_magic.api import endpoint
from tests.server.conftest import client_for


def test_another_host_warns_and_a_second_server_replaces_the_first() -> None:
    first = lambda_magic.serve(port=0)
    with pytest.warns(UserWarning, match="anyone who can reach this machine"):
        other = lambda_magic.serve("0.0.0.0", 0)
    try:
        assert first.stopped and lambda_magic.server.current() is other
        assert other.url.startswith("http://127.0.0.1:") and endpoint.url() == other.url
    finally:
        other.stop()
    assert lambda_magic.server.current() is None and endpoint.url() is None


def test_a_stopped_server_leaves_no_thread_or_socket(function) -> None:
    function("busy", "import time\ndef lambda_handler(e, c):\n    time.sleep(e['s'])\n    return 1\n",
             timeout=30)  # fmt: skip
    before = {t.ident for t in threading.enumerate()}
    handle = lambda_magic.serve(port=0)
    client = client_for(handle.url, read_timeout=30)
    client.invoke(FunctionName="busy", Payload=b'{"s": 0}')
    in_flight = threading.Thread(
        target=lambda: client.invoke(FunctionName="busy", Payload=b'{"s": 20}'), daemon=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        in_flight.start()
        time.sleep(0.5)
        started = time.monotonic()
        handle.stop()
    assert time.monotonic() - started < 5  # the 20 s invocation ended as interrupted
    in_flight.join(10)
    client.close()
    left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert [t.name for t in left if t.name.startswith("lambda-api")] == []
    mine = [c for c in psutil.Process().net_connections("inet") if c.laddr.port == handle.port]
    assert [c for c in mine if c.status != psutil.CONN_TIME_WAIT] == []
    assert lambda_magic.api.endpoint.url() is None


def test_warm_environments_started_before_the_server_are_reset(function) -> None:
    fn = function("before", "import os\ndef lambda_handler(e, c):\n"
                  "    return os.environ.get('AWS_ENDPOINT_URL_LAMBDA')\n")  # fmt: skip
    assert fn.invoke().payload is None
    with lambda_magic.serve(port=0) as handle:
        assert "before" in handle.reset
        assert fn.invoke().payload == handle.url
