"""A minimal reader of the YAML a SAM ``template.yaml`` uses (PyYAML is not a dependency).

It reads block mappings and sequences by indentation, plain and quoted scalars, ``|`` and ``>``
block scalars (``InlineCode``), flow sequences and mappings of scalars (``[a, b]``, ``{A: 1}``),
comments, and CloudFormation's short tags (``!Ref X`` becomes ``{"Ref": "X"}``, ``!Sub s``
``{"Fn::Sub": "s"}``, and so on). Anchors, aliases, multi-document files and complex keys are
not read: a template that needs them is refused with a message naming the line.
"""

from __future__ import annotations

import re
from typing import Any

_INT_RE = re.compile(r"[-+]?\d+")
_FLOAT_RE = re.compile(r"[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?")
_KEY_RE = re.compile(r"""^((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?))\s*:(?:\s+|$)(.*)$""")


class TemplateError(ValueError):
    """The template is not YAML this reader understands."""


def _strip_comment(text: str) -> str:
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def scalar(text: str) -> Any:
    """A plain or quoted scalar, a flow collection, or a tagged one."""
    text = text.strip()
    if text.startswith("!"):
        tag, _, rest = text.partition(" ")
        name = tag[1:]
        key = "Ref" if name == "Ref" else f"Fn::{name}"
        return {key: scalar(rest) if rest else ""}
    if text[:1] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise TemplateError(f"unterminated quoted string: {text}")
        inner = text[1:-1]
        return inner.replace("''", "'") if text[0] == "'" else _unescape(inner)
    if text.startswith("[") and text.endswith("]"):
        return [scalar(p) for p in _split_flow(text[1:-1])]
    if text.startswith("{") and text.endswith("}"):
        pairs = [p.partition(":") for p in _split_flow(text[1:-1])]
        return {str(scalar(k)): scalar(v) for k, _, v in pairs}
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    if _INT_RE.fullmatch(text):
        return int(text)
    if _FLOAT_RE.fullmatch(text):
        return float(text)
    return text


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _split_flow(text: str) -> list[str]:
    parts, depth, current, quote = [], 0, "", None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\t", "    ").splitlines()
        self.pos = 0

    def _next(self) -> tuple[int, str] | None:
        """The next meaningful line (indent, content) without consuming it."""
        while self.pos < len(self.lines):
            raw = self.lines[self.pos]
            content = _strip_comment(raw)
            if content.strip() and content.strip() != "---":
                return len(content) - len(content.lstrip()), content.strip()
            self.pos += 1
        return None

    def block(self, indent: int) -> Any:
        found = self._next()
        if found is None or found[0] < indent:
            return None
        level, content = found
        if content.startswith("- ") or content == "-":
            return self._sequence(level)
        return self._mapping(level)

    def _value(self, rest: str, level: int) -> Any:
        if rest in ("|", ">", "|-", ">-", "|+", ">+"):
            return self._literal(level, rest)
        if rest and not (rest.startswith("!") and " " not in rest):
            return scalar(rest)
        child = self.block(level + 1)
        if rest.startswith("!"):
            name = rest[1:]
            return {"Ref" if name == "Ref" else f"Fn::{name}": child}
        return child

    def _mapping(self, level: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while (found := self._next()) is not None and found[0] == level:
            content = found[1]
            if content.startswith("- "):
                break
            match = _KEY_RE.match(content)
            if match is None:
                raise TemplateError(f"line {self.pos + 1}: expected 'key: value', got {content!r}")
            self.pos += 1
            key = scalar(match.group(1))
            out[str(key)] = self._value(match.group(2).strip(), level)
        if found is not None and found[0] > level:
            raise TemplateError(f"line {self.pos + 1}: unexpected indentation")
        return out

    def _sequence(self, level: int) -> list[Any]:
        out: list[Any] = []
        while (
            (found := self._next()) is not None
            and found[0] == level
            and (found[1].startswith("- ") or found[1] == "-")
        ):
            rest = found[1][1:].strip()
            if rest and _KEY_RE.match(rest) and not rest.startswith(("'", '"', "!")):
                # "- Key: value" starts a mapping indented by the dash
                self.lines[self.pos] = " " * (level + 2) + rest
                out.append(self._mapping(level + 2))
                continue
            self.pos += 1
            out.append(self._value(rest, level) if rest else self.block(level + 1))
        return out

    def _literal(self, level: int, style: str) -> str:
        lines: list[str] = []
        indent = None
        while self.pos < len(self.lines):
            raw = self.lines[self.pos]
            if raw.strip():
                this = len(raw) - len(raw.lstrip())
                if this <= level:
                    break
                indent = this if indent is None else indent
                lines.append(raw[indent:])
            else:
                lines.append("")
            self.pos += 1
        while lines and not lines[-1]:
            lines.pop()
        text = "\n".join(lines) if style.startswith("|") else _fold(lines)
        return text if style.endswith("-") else text + "\n"


def _fold(lines: list[str]) -> str:
    """A folded (``>``) block: lines joined by spaces, an empty line kept as a new line."""
    out = ""
    for i, line in enumerate(lines):
        if not line:
            out += "\n"
        elif i and lines[i - 1]:
            out += " " + line
        else:
            out += line
    return out


def load(text: str) -> Any:
    """The document in ``text``."""
    reader = _Reader(text)
    value = reader.block(0)
    if reader._next() is not None:
        raise TemplateError(f"line {reader.pos + 1}: could not read past this line")
    return value
