"""Lambda's view of the file system: everything but /tmp is read-only, the code is at /var/task,
and there is no /dev/shm (where the sandbox has a mount namespace: root, or user namespaces)."""

from __future__ import annotations

import errno
import os
import uuid

import pytest

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def _needs_namespaces() -> None:
    from lambda_magic import sandbox_info

    if not sandbox_info().namespaces:
        pytest.fail("these tests need a mount namespace (root, or user namespaces allowed)")


WRITER = """
import os
def lambda_handler(event, context):
    outcome = {}
    for path in event["paths"]:
        try:
            with open(path, "w") as f:
                f.write("x")
            outcome[path] = "written"
        except OSError as e:
            outcome[path] = [e.errno, e.strerror]
    return outcome
"""


def test_only_tmp_is_writable_and_nothing_reaches_the_host(make_function) -> None:
    fn = make_function(WRITER)
    name = f"lambda-magic-test-{uuid.uuid4().hex}"
    home = os.path.expanduser("~")
    paths = [f"/var/{name}", f"/opt/{name}", f"/{name}", f"/var/task/{name}",
             f"{home}/{name}", f"/var/tmp/{name}", f"{fn.code_dir()}/{name}", f"/tmp/{name}"]  # fmt: skip
    result = fn.invoke({"paths": paths})
    assert result.ok, result.error
    refused = [errno.EROFS, "Read-only file system"]
    assert result.payload == {**{p: refused for p in paths[:-1]}, f"/tmp/{name}": "written"}
    leaked = [p for p in paths if os.path.exists(p)]
    assert leaked == []


def test_the_code_is_at_var_task_as_on_lambda(make_function) -> None:
    fn = make_function("""
        import os
        def lambda_handler(event, context):
            if event.get("raise"):
                raise ValueError("boom")
            return {"cwd": os.getcwd(), "task_root": os.environ["LAMBDA_TASK_ROOT"],
                    "runtime_dir": os.environ["LAMBDA_RUNTIME_DIR"], "file": __file__,
                    "listing": sorted(os.listdir("/var/task"))}
    """)  # fmt: skip
    fn.update_code(files={"helpers.py": "X = 1\n"})
    payload = fn.invoke({}).payload
    assert payload == {"cwd": "/var/task", "task_root": "/var/task",
                       "runtime_dir": "/var/runtime", "file": "/var/task/lambda_function.py",
                       "listing": ["helpers.py", "lambda_function.py"]}  # fmt: skip
    error = fn.invoke({"raise": True}).error
    assert error is not None and error.stack_trace is not None
    assert error.stack_trace[0].startswith('  File "/var/task/lambda_function.py", line 5,')


def test_a_new_revision_gets_its_own_code_at_var_task(make_function) -> None:
    fn = make_function("def lambda_handler(e, c):\n    return 1\n")
    assert fn.invoke().payload == 1
    fn.update_code("def lambda_handler(e, c):\n    return 2\n")
    assert fn.invoke().payload == 2


def test_multiprocessing_fails_as_on_lambda_but_pipes_and_processes_work(make_function) -> None:
    fn = make_function("""
        import multiprocessing
        def child(conn):
            conn.send("from the child")
            conn.close()
        def lambda_handler(event, context):
            failures = {}
            for name, make in (("Queue", multiprocessing.Queue), ("Lock", multiprocessing.Lock),
                               ("Pool", lambda: multiprocessing.Pool(2))):
                try:
                    make()
                    failures[name] = None
                except OSError as e:
                    failures[name] = str(e)
            parent, theirs = multiprocessing.Pipe()
            process = multiprocessing.Process(target=child, args=(theirs,))
            process.start()
            received = parent.recv()
            process.join()
            return {"failures": failures, "received": received, "exitcode": process.exitcode}
    """)  # fmt: skip
    result = fn.invoke({})
    assert result.ok, result.error
    message = "[Errno 38] Function not implemented"
    assert result.payload == {"failures": {"Queue": message, "Lock": message, "Pool": message},
                              "received": "from the child", "exitcode": 0}  # fmt: skip
