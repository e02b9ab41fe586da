"""Command line: ``python -m lambda_magic.events NAME [--PARAM VALUE ...]``, like
``sam local generate-event`` but without SAM or Docker."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from lambda_magic.events._catalog import (
    coerce_params,
    describe,
    generate,
    names,
    parameter_names,
)
from lambda_magic.events._errors import EventTemplateError
from lambda_magic.events._types import BOOL_WORDS

__all__ = ["main"]

USAGE = """\
usage: python -m lambda_magic.events NAME [--PARAM VALUE ...] [--seed N] [--indent N]
       python -m lambda_magic.events --list [SERVICE]
       python -m lambda_magic.events --describe NAME    (or: NAME --help)

Prints a sample event as JSON. NAME is 'service:type' (e.g. s3:put), or 'service type'.
Repeat an option to give a list (--body a --body b); dicts take JSON or KEY=VALUE.
--seed makes ids and timestamps reproducible; --indent 0 prints one line (JSON lines).
"""


class UsageError(Exception):
    """A malformed command line."""


def _split_name(argv: list[str]) -> tuple[str, list[str]]:
    if len(argv) > 1 and ":" not in argv[0] and not argv[1].startswith("-"):
        return f"{argv[0]}:{argv[1]}", argv[2:]  # SAM style: "s3 put"
    return argv[0], argv[1:]


def _options(name: str, args: list[str]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Template parameters (raw strings) and the generator options --seed and --indent."""
    flags = {p.name: p.type for p in describe(name).parameters}
    raw: dict[str, list[str]] = {}
    options: dict[str, int] = {}
    index = 0
    while index < len(args):
        token = args[index]
        if not token.startswith("--") or token == "--":
            raise UsageError(f"unexpected argument {token!r} (parameters look like --key value)")
        key, has_value, value = token[2:].partition("=")
        key = key.replace("-", "_")
        index += 1
        if not has_value:
            is_flag = flags.get(key) == "bool" and (
                index >= len(args) or args[index].strip().lower() not in BOOL_WORDS
            )
            if is_flag:
                value = "true"
            elif index >= len(args):
                raise UsageError(f"option --{key.replace('_', '-')} needs a value")
            else:
                value, index = args[index], index + 1
        if key in ("seed", "indent"):
            options[key] = _int_option(key, value)
        else:
            raw.setdefault(key, []).append(value)
    return raw, options


def _int_option(key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"--{key} must be an int, got {value!r}") from None


def _print_list(service: str | None, out: TextIO) -> None:
    selected = names(service)
    width = max(len(n) for n in selected)
    out.writelines(f"{name:<{width}}  {describe(name).description}\n" for name in selected)
    out.write(f"\n{len(selected)} templates; describe one with --describe NAME\n")


def _generate(argv: list[str], out: TextIO) -> None:
    name, rest = _split_name(argv)
    if any(arg in ("-h", "--help") for arg in rest):
        out.write(f"{describe(name)}\n")
        return
    raw, options = _options(name, rest)
    params: dict[str, Any] = coerce_params(name, raw) if raw else {}
    event = generate(name, seed=options.get("seed"), **params)
    indent = options.get("indent", 2)
    text = json.dumps(event, indent=indent if indent > 0 else None, ensure_ascii=False)
    out.write(text + "\n")


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit status (2 for a bad template or parameter)."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if not args:
            raise UsageError("missing template name")
        if args[0] in ("-h", "--help"):
            out.write(USAGE)
        elif args[0] == "--list":
            _print_list(args[1] if len(args) > 1 else None, out)
        elif args[0] == "--describe":
            if len(args) != 2:
                raise UsageError("--describe takes one template name")
            out.write(f"{describe(args[1])}\n")
            out.write(f"parameters: {', '.join(parameter_names(args[1])) or '(none)'}\n")
        else:
            _generate(args, out)
    except UsageError as exc:
        err.write(f"error: {exc}\n{USAGE}")
        return 2
    except EventTemplateError as exc:
        err.write(f"error: {exc}\n")
        return 2
    return 0
