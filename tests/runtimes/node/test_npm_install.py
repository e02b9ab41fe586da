"""npm dependencies of a Node.js function: a real ``npm install`` of a small real package from the
npm registry into a cache keyed by package.json (and package-lock.json), then a handler that
imports it; failures carry npm's own short error. Also: the bootstrap itself needs nothing but
Node's standard library."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from lambda_magic.runtimes import npm_install
from tests.runtimes.node.conftest import BOOTSTRAP, node_binary

pytestmark = pytest.mark.timeout(300)

PACKAGE = json.dumps({"name": "fn", "version": "1.0.0", "private": True,
                      "dependencies": {"is-number": "7.0.0"}}).encode()  # fmt: skip


def _tree(modules: str) -> dict[str, str]:
    """The files of an installed node_modules, as a function's files (text files only)."""
    files = {}
    for folder, _dirs, names in os.walk(modules):
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, os.path.dirname(modules))] = Path(path).read_text()
    return files


def test_install_then_import_from_a_handler(tmp_path: Path, node_function: Any) -> None:
    node_binary()
    modules = npm_install.install(PACKAGE, cache_root=str(tmp_path))
    assert modules == str(tmp_path / npm_install.install_key(PACKAGE) / "node_modules")
    assert json.loads(Path(modules, "is-number", "package.json").read_text())["version"] == "7.0.0"
    assert os.path.isdir(tmp_path / "_npm-cache")  # npm's cache is private to the cache root
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []
    lock = Path(modules).parent / "package-lock.json"
    assert lock.exists()  # npm wrote the lock it resolved

    started = time.monotonic()
    assert npm_install.install(PACKAGE, cache_root=str(tmp_path)) == modules  # cached
    assert time.monotonic() - started < 0.5
    assert npm_install.cached(PACKAGE, cache_root=str(tmp_path)) == modules
    assert npm_install.cached(PACKAGE, b"{}", cache_root=str(tmp_path)) is None  # another key

    esm = "import isNumber from 'is-number';\nexport const handler = async (e) => isNumber(e.v);"
    cjs = "const isNumber = require('is-number');\nexports.handler = async (e) => isNumber(e.v);"
    for files, runtime in (({"index.mjs": esm}, "nodejs24.x"), ({"index.js": cjs}, "nodejs22.x")):
        fn = node_function({**files, "package.json": PACKAGE.decode(), **_tree(modules)},
                           runtime=runtime)  # fmt: skip
        assert [fn.invoke({"v": 5}).payload, fn.invoke({"v": "x"}).payload] == [True, False]


def test_install_with_a_lock_file(tmp_path: Path) -> None:
    modules = npm_install.install(PACKAGE, cache_root=str(tmp_path / "a"))
    lock = (Path(modules).parent / "package-lock.json").read_bytes()
    locked = npm_install.install(PACKAGE, lock, cache_root=str(tmp_path / "a"))
    assert locked != modules and os.path.isdir(os.path.join(locked, "is-number"))


def test_failures_carry_npm_s_short_error(tmp_path: Path) -> None:
    missing = b'{"dependencies": {"lambda-magic-no-such-package-0": "1.0.0"}}'
    with pytest.raises(npm_install.NpmInstallError) as e404:
        npm_install.install(missing, cache_root=str(tmp_path))
    assert re.match(r"npm install failed \(E404\): 404 Not Found - GET \S+lambda-magic-no-such",
                    str(e404.value))  # fmt: skip
    with pytest.raises(npm_install.NpmInstallError, match=r"^npm install failed \(EJSONPARSE\): "):
        npm_install.install(b"{not json", cache_root=str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["_npm-cache"]  # nothing half-installed


def test_without_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(npm_install.NpmInstallError, match="^npm is not installed"):
        npm_install.install(PACKAGE, cache_root=str(tmp_path))


def test_the_bootstrap_imports_only_node_s_standard_library() -> None:
    folder = Path(BOOTSTRAP).parent
    specifiers = set()
    for source in folder.glob("*.mjs"):
        specifiers |= set(re.findall(r"""(?:from|import\()\s*['"]([^'"]+)['"]""",
                                     source.read_text()))  # fmt: skip
    assert {s for s in specifiers if not s.startswith(("node:", "./"))} == set()
    local = {s[2:] for s in specifiers if s.startswith("./")}
    assert local <= {p.name for p in folder.glob("*.mjs")}
