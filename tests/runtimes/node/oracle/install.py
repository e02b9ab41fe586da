"""Install the conformance oracle once: AWS's Node.js runtime interface client, aws-lambda-ric
3.3.0 (nodejs20.x/22.x behaviour) and 4.0.2 (nodejs24.x), pinned by this folder's package.json
and package-lock.json, into lambda_magic's npm cache (the parity tests read it from there).

Both build native code from sources shipped in the packages (node-gyp against Node's headers,
and 3.3.0 needs autoconf, automake and libtool): a few minutes the first time, then nothing.

    python tests/runtimes/node/oracle/install.py     # prints the node_modules path
"""

from __future__ import annotations

import os
from pathlib import Path

from lambda_magic.runtimes import npm_install

HERE = Path(__file__).resolve().parent


def oracle_files() -> tuple[bytes, bytes]:
    """The pinned package.json and package-lock.json."""
    return (HERE / "package.json").read_bytes(), (HERE / "package-lock.json").read_bytes()


def installed() -> str | None:
    """The oracle's node_modules if it is installed."""
    return npm_install.cached(*oracle_files())


def main() -> None:
    if os.path.exists("/usr/include/node/node.h"):  # node-gyp builds offline against these
        os.environ.setdefault("npm_config_nodedir", "/usr")
    print(npm_install.install(*oracle_files(), timeout=1800))


if __name__ == "__main__":
    main()
