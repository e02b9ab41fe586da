"""Which function a request names: a name, a partial ARN (``123456789012:function:name``) or a
full ARN, each optionally with ``:qualifier``, and the ``Qualifier`` query parameter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lambda_magic.api import live
from lambda_magic.api.function import LambdaFunction
from lambda_magic.server.errors import ApiError, invalid

_NAME_RE = re.compile(
    r"(?:arn:(?P<partition>aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?:function:)?"
    r"(?P<name>[a-zA-Z0-9_-]{1,64})"
    r"(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9_-]{1,128}))?"
)
_QUALIFIER_RE = re.compile(r"\$LATEST|[a-zA-Z0-9_-]{1,128}")


@dataclass(frozen=True)
class Named:
    """A function a request names, and the qualifier it asks for (None: unqualified)."""

    function: LambdaFunction
    qualifier: str | None

    @property
    def arn(self) -> str:
        """The ARN named (qualified when a qualifier was given)."""
        base = self.function.config.function_arn
        return f"{base}:{self.qualifier}" if self.qualifier else base


def function_not_found(text: str) -> ApiError:
    """Lambda's 404 for a function it does not have."""
    return ApiError("ResourceNotFoundException", f"Function not found: {text}")


def parse(raw: str, query_qualifier: str | None = None) -> tuple[dict[str, str | None], str | None]:
    """The parts of a ``FunctionName`` and the qualifier (from it or from the query)."""
    match = _NAME_RE.fullmatch(raw)
    if match is None:
        raise invalid(
            f"FunctionName {raw!r} is not a function name, a partial ARN or an ARN "
            "(1 to 64 letters, digits, - or _, optionally with :version or :alias)"
        )
    parts = match.groupdict()
    derived = parts["qualifier"]
    if query_qualifier is not None and not _QUALIFIER_RE.fullmatch(query_qualifier):
        raise invalid(f"Qualifier {query_qualifier!r} must be $LATEST, a version or an alias")
    if derived and query_qualifier and derived != query_qualifier:
        raise invalid(
            "The derived qualifier from the function name does not match the specified qualifier."
        )
    return parts, derived or query_qualifier


def resolve(raw: str, query_qualifier: str | None = None) -> Named:
    """The function ``raw`` names (404 when there is none, or it is of another region or
    account)."""
    parts, qualifier = parse(raw, query_qualifier)
    fn = live.find(str(parts["name"]))
    if fn is None:
        raise function_not_found(_shown(raw, parts))
    cfg = fn.config
    if (parts["region"] and parts["region"] != cfg.region) or (
        parts["account"] and parts["account"] != cfg.account_id
    ):
        raise function_not_found(_shown(raw, parts))
    return Named(fn, qualifier)


def _shown(raw: str, parts: dict[str, str | None]) -> str:
    """How Lambda names a missing function: its full ARN."""
    if raw.startswith("arn:"):
        return raw
    region = parts["region"] or "us-east-1"
    account = parts["account"] or "123456789012"
    tail = f":{parts['qualifier']}" if parts["qualifier"] else ""
    return f"arn:aws:lambda:{region}:{account}:function:{parts['name']}{tail}"
