"""Install the conformance oracle once: AWS's Node.js runtime interface client, aws-lambda-ric
3.3.0 (nodejs20.x/22.x behaviour) and 4.0.2 (nodejs24.x), pinned by this folder's package.json
and package-lock.json, into lambda_magic's npm cache (the parity tests read it from there).

Both build native code from sources shipped in the packages (node-gyp against the headers of
the ``node`` on PATH, found beside it under ``include/node`` so that nothing is downloaded, and
3.3.0 needs autoconf, automake and libtool): a few minutes the first time, then nothing.

    python tests/runtimes/node/oracle/install.py     # prints the node_modules path
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lambda_magic.runtimes import npm_install
from lambda_magic.runtimes.nodejs import node_version

HERE = Path(__file__).resolve().parent


def oracle_files() -> tuple[bytes, bytes]:
    """The pinned package.json and package-lock.json."""
    return (HERE / "package.json").read_bytes(), (HERE / "package-lock.json").read_bytes()


def installed() -> str | None:
    """The oracle's node_modules if it is installed."""
    return npm_install.cached(*oracle_files())


def node_dir() -> str | None:
    """The install prefix of the ``node`` on PATH (``/usr`` for /usr/bin/node) when it holds
    headers of that node's major version (``include/node``); None otherwise."""
    found = node_version()
    if found is None:
        return None
    prefix = Path(found[0]).resolve().parent.parent
    try:
        text = (prefix / "include" / "node" / "node_version.h").read_text()
    except OSError:
        return None
    major = re.search(r"#define NODE_MAJOR_VERSION (\d+)", text)
    return str(prefix) if major and major.group(1) == found[1].split(".")[0] else None


def main() -> None:
    nodedir = node_dir()
    if nodedir is not None:  # node-gyp builds offline against these headers
        os.environ.setdefault("npm_config_nodedir", nodedir)
    print(npm_install.install(*oracle_files(), timeout=1800))


if __name__ == "__main__":
    main()
