"""Where the OS offers no cgroups and no mount namespaces (macOS, many containers, Binder):
the fallbacks the README describes, exercised for real in a caller run with both switched off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.timeout(120)

SCRIPT = textwrap.dedent('''
    import json, os, sys
    from lambda_magic import LambdaFunction, sandbox_info
    out = {}
    info = sandbox_info()
    out["info"] = [info.memory_cgroup, info.freezer, info.namespaces, info.tmp, info.freeze]
    ticker = LambdaFunction("ticker", """
    import tempfile, threading, time, os
    TICKS = 0
    def tick():
        global TICKS
        while True:
            TICKS += 1
            time.sleep(0.01)
    threading.Thread(target=tick, daemon=True).start()
    def lambda_handler(event, context):
        tmp = tempfile.gettempdir()
        if event.get("write"):
            open(os.path.join(tmp, "note"), "w").write(event["write"])
        if event.get("fill"):
            try:
                with open(os.path.join(tmp, "big"), "wb") as f:
                    for _ in range(event["fill"]):
                        f.write(b"0" * 1024 * 1024)
            except OSError as e:
                return {"error": e.strerror}
        if event.get("mb"):
            block = bytearray(event["mb"] * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
        if event.get("sleep"):
            time.sleep(event["sleep"])
        return {"ticks": TICKS, "tmp": tmp, "tmpdir": os.environ.get("TMPDIR"), "files": sorted(os.listdir(tmp))}
    """, timeout=10)
    other = LambdaFunction("other", "import tempfile\\ndef lambda_handler(e, c):\\n    return tempfile.gettempdir()\\n")
    import time
    first = ticker.invoke({"write": "kept"}).payload
    time.sleep(0.5)
    second = ticker.invoke({}).payload
    out["frozen_ticks"] = second["ticks"] - first["ticks"]
    out["tmp"] = [first["tmp"] == first["tmpdir"], second["files"], other.invoke().payload != first["tmp"],
                  first["tmp"].startswith("/tmp")]
    out["fill"] = ticker.invoke({"fill": 600}).payload
    oom = ticker.invoke({"mb": 300})
    out["oom"] = [oom.error_type, ticker.invoke({}).cold_start]
    slow = LambdaFunction("slow", "import time\\ndef lambda_handler(e, c):\\n    time.sleep(3)\\n", timeout=1)
    out["timeout"] = slow.invoke().error_type
    print(json.dumps(out), flush=True)
''')


def test_without_cgroups_or_namespaces_the_fallbacks_hold() -> None:
    env = {**os.environ, "LAMBDA_MAGIC_CGROUPS": "0", "LAMBDA_MAGIC_NAMESPACES": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=100
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    memory, freezer, namespaces, tmp_text, freeze_text = out["info"]
    assert (memory, freezer, namespaces) == (None, None, None)
    assert tmp_text.startswith("TMPDIR points to a private directory")
    assert freeze_text == "SIGSTOP/SIGCONT of the environment's process group"
    assert out["frozen_ticks"] < 5  # still frozen, by SIGSTOP
    assert out["tmp"] == [True, ["note"], True, False]  # private, kept, per function, not /tmp
    assert out["fill"] == {"error": "File too large"}  # RLIMIT_FSIZE stands in for ENOSPC
    assert out["oom"] == ["Runtime.OutOfMemory", True]
    assert out["timeout"] == "Sandbox.Timedout"
