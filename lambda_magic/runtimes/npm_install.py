"""A Node.js function's npm dependencies: ``npm install --omit=dev`` of its ``package.json`` (and
``package-lock.json``), as a developer runs it before zipping the function, into a directory
cached by the hash of those files. A second function with the same files reuses the install.

npm runs without audit, funding or update checks, prefers its cache to the network, and keeps
that cache in a private directory beside the installs (never the user's ``~/.npm``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import uuid

from lambda_magic.core.errors import LambdaMagicError
from lambda_magic.platform.package import _candidate_roots

NPM_FLAGS = (
    "--omit=dev", "--no-audit", "--no-fund", "--no-update-notifier", "--prefer-offline",
    "--no-progress", "--loglevel=error",
)  # fmt: skip
DEFAULT_TIMEOUT = 600.0


class NpmInstallError(LambdaMagicError):
    """``npm install`` failed (or npm is missing); the message is npm's own short error."""


def default_cache_root() -> str:
    """Where installs are cached: ``npm`` under ``LAMBDA_MAGIC_HOME``, else /var/tmp, else
    ~/.cache (never /tmp, which environments replace with their own)."""
    for root in _candidate_roots():
        path = os.path.join(root, "npm")
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            continue
        return path
    raise OSError("no writable directory for npm installs: set LAMBDA_MAGIC_HOME")


def install_key(package_json: bytes, package_lock: bytes | None = None) -> str:
    """The cache key: a hash of package.json and package-lock.json (absent and empty differ)."""
    digest = hashlib.sha256(b"package.json\0" + package_json)
    if package_lock is not None:
        digest.update(b"\0package-lock.json\0" + package_lock)
    return digest.hexdigest()[:24]


def short_error(output: str) -> str:
    """npm's own message: its ``npm error`` lines without the code and log-file lines, first
    line only, prefixed by the error code when npm gave one."""
    code, lines = "", []
    for raw in output.splitlines():
        line = raw.strip()
        for prefix in ("npm error ", "npm ERR! "):
            if line.startswith(prefix):
                text = line[len(prefix) :].strip()
                if text.startswith("code ") and not code:
                    code = text[5:].strip()
                elif text and not text.startswith(("A complete log", "Log files were")):
                    lines.append(text)
    message = lines[0] if lines else (output.strip().splitlines() or ["npm install failed"])[-1]
    return f"npm install failed ({code}): {message}" if code else f"npm install failed: {message}"


def _run_npm(workdir: str, cache: str, timeout: float) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise NpmInstallError(
            "npm is not installed: a package.json needs npm (Debian: apt-get "
            "install npm) to install the function's dependencies"
        )
    cmd = [npm, "install", *NPM_FLAGS, "--cache", cache]
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
    try:
        out = subprocess.run(
            cmd,
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise NpmInstallError(f"npm install failed: it took longer than {timeout:g} s") from None
    if out.returncode != 0:
        raise NpmInstallError(short_error(out.stderr + "\n" + out.stdout))


def cached(
    package_json: bytes, package_lock: bytes | None = None, *, cache_root: str | None = None
) -> str | None:
    """The ``node_modules`` of an earlier :func:`install` of these files, or None."""
    root = os.path.abspath(cache_root or default_cache_root())
    modules = os.path.join(root, install_key(package_json, package_lock), "node_modules")
    return modules if os.path.isdir(modules) else None


def install(
    package_json: bytes,
    package_lock: bytes | None = None,
    *,
    cache_root: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Install the dependencies of ``package_json`` (with ``package_lock`` if given) and return
    the path of the resulting ``node_modules`` (empty when there is nothing to install).

    The install is cached under ``cache_root`` (default :func:`default_cache_root`) by
    :func:`install_key`; a failed install leaves nothing behind and raises
    :class:`NpmInstallError` with npm's short error.
    """
    done = cached(package_json, package_lock, cache_root=cache_root)
    if done is not None:
        return done
    root = os.path.abspath(cache_root or default_cache_root())
    target = os.path.join(root, install_key(package_json, package_lock))
    modules = os.path.join(target, "node_modules")
    work = f"{target}.partial-{uuid.uuid4().hex[:8]}"
    os.makedirs(work)
    try:
        with open(os.path.join(work, "package.json"), "wb") as f:
            f.write(package_json)
        if package_lock is not None:
            with open(os.path.join(work, "package-lock.json"), "wb") as f:
                f.write(package_lock)
        _run_npm(work, os.path.join(root, "_npm-cache"), timeout)
        os.makedirs(os.path.join(work, "node_modules"), exist_ok=True)
        try:
            os.rename(work, target)
        except OSError:  # another process installed the same files first
            if not os.path.isdir(modules):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return modules
