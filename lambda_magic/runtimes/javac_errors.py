"""Errors of Java functions: no JDK, and code that does not compile (javac's diagnostics, read
into file, line, column and message, and shown short enough for a notebook)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

#: At most this many diagnostics are shown in a compile error's message.
SHOWN = 5

_HEADER = re.compile(r"^(?P<path>.+?\.java):(?P<line>\d+): (?P<kind>error|warning): (?P<msg>.*)$")
_BARE = re.compile(r"^(?P<kind>error|warning): (?P<msg>.*)$")
_SUMMARY = re.compile(r"^\d+ (errors?|warnings?)$")


class JavaError(Exception):
    """A problem with a Java function: no JDK, or code that cannot be compiled."""


@dataclass
class Diagnostic:
    """One javac message: where (path relative to the sources, 1-based line and column)."""

    kind: str  # "error" or "warning"
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    source: str | None = None  # the line of code
    caret: str | None = None  # the marker under it
    details: list[str] = field(default_factory=list)  # "symbol: ...", "location: ..."

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}:" + (f"{self.column}:" if self.column else "") + " "
        lines = [f"{where}{self.kind}: {self.message}"]
        if self.source is not None:
            lines.append(self.source)
            if self.caret is not None:
                lines.append(self.caret)
        lines += self.details
        return "\n".join(lines)


class JavaCompileError(JavaError):
    """javac refused the function's code; ``diagnostics`` holds every message it gave."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.kind == "error"] or diagnostics
        count = len(errors)
        head = f"Java compilation failed ({count} error{'s' if count != 1 else ''}):"
        body = [str(d) for d in errors[:SHOWN]]
        if count > SHOWN:
            body.append(f"... and {count - SHOWN} more")
        super().__init__("\n".join([head, *body]))


def parse_diagnostics(output: str, source_root: str) -> list[Diagnostic]:
    """javac's standard error read into diagnostics, paths made relative to ``source_root``."""
    found: list[Diagnostic] = []
    current: Diagnostic | None = None
    for raw in output.splitlines():
        header = _HEADER.match(raw)
        bare = _BARE.match(raw) if header is None else None
        if header is not None:
            path = os.path.relpath(header["path"], source_root)
            if path.startswith(".."):
                path = os.path.basename(header["path"])
            current = Diagnostic(header["kind"], header["msg"], path, int(header["line"]))
            found.append(current)
        elif bare is not None:
            current = Diagnostic(bare["kind"], bare["msg"])
            found.append(current)
        elif current is None or _SUMMARY.match(raw) or raw.startswith("Note: "):
            current = None if _SUMMARY.match(raw) else current
        elif current.path is not None and current.source is None:
            current.source = raw
        elif current.source is not None and current.caret is None and raw.strip() == "^":
            current.caret = raw
            current.column = raw.index("^") + 1
        else:
            current.details.append(raw)
    if not found and output.strip():
        found.append(Diagnostic("error", output.strip().splitlines()[0]))
    return found
