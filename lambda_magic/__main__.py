"""``python -m lambda_magic serve [PATH]``: see :mod:`lambda_magic.server.cli`."""

from __future__ import annotations

import sys


def main() -> int:
    """The ``lambda-magic`` command."""
    from lambda_magic.server.cli import main as run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
