"""``python -m lambda_magic.events``: print sample events (see ``--help``)."""

from __future__ import annotations

import sys

from lambda_magic.events._cli import main

if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main())
