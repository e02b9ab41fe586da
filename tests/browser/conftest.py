"""Real JupyterLab 4 and Notebook 7 servers and Debian's headless Chromium, for the panel.

Each server runs from this venv's python with its
own config, runtime, settings and workspace directories; it is stopped with POST /api/shutdown
and every process it started (kernel, sandbox manager, runtimes) must be gone afterwards.
These tests fail, never skip, when Chromium is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]  # fmt: skip

HANDLER = """import time
BOOT = time.time()

def lambda_handler(event, context):
    print("got", event)
    time.sleep(event.get("sleep", 0))
    return {"hi": event.get("name")}
"""


def notebook_cells() -> list[Any]:
    """The notebook under test: create a function (at most 5 invocations at once) and show its
    panel."""
    setup = (
        "import lambda_magic\n"
        "from lambda_magic import LambdaFunction\n"
        f"CODE = {HANDLER!r}\n"
        'fn = LambdaFunction("hello", code=CODE, memory_size=256, timeout=3, reserved_concurrency=5)'
    )
    return [nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell("lambda_magic.panel(fn)")]


@dataclass
class Server:
    """A running Jupyter server and how to reach it."""

    app: str
    port: int
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path
    descendants: list[psutil.Process] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        path = f"/lab/tree/{notebook}" if self.app == "lab" else f"/notebooks/{notebook}"
        return f"{self.base}{path}?token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")]:  # fmt: skip
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def _start(app: str, tmp: Path) -> Server:
    root = tmp / "notebooks"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=notebook_cells())
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "panel.ipynb")
    port, token, log = _free_port(), secrets.token_hex(16), tmp / f"{app}.log"
    module = "jupyterlab" if app == "lab" else "notebook"
    command = [sys.executable, "-m", module, "--no-browser", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               "--ServerApp.ip=127.0.0.1", "--allow-root", f"--ServerApp.root_dir={root}"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, env=_isolated_env(tmp / "home"),
                                   start_new_session=True)  # fmt: skip
    server = Server(app, port, token, root, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{app} server exited with {process.returncode}:\n{server.log_tail()}")
        try:
            server.api("/api/status")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    _stop(server)
    pytest.fail(f"{app} server did not answer within 60 s:\n{server.log_tail()}")


def _stop(server: Server) -> None:
    server.descendants = psutil.Process(server.process.pid).children(recursive=True)
    try:
        server.api("/api/shutdown", method="POST")
        server.process.wait(20)
    except (urllib.error.URLError, OSError, subprocess.TimeoutExpired):
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(server.process.pid, sig)
                server.process.wait(wait)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def leftovers(server: Server, timeout: float = 10.0) -> list[str]:
    """The server's former descendants (kernel, sandbox manager, runtimes) still running."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for proc in server.descendants:
            try:
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser build)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=["lab", "notebook"])
def jupyter(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A JupyterLab 4 or Notebook 7 server with the panel notebook; stopped and checked after."""
    server = _start(request.param, tmp_path_factory.mktemp(request.param))
    try:
        yield server
    finally:
        _stop(server)
        left = leftovers(server)
        assert server.process.returncode == 0, f"server exit {server.process.returncode}"
        assert not left, f"processes left after the {server.app} server stopped: {left}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can see that a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
