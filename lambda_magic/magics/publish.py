"""What ``%%lambda_handler`` does with a cell: build the configuration, publish, describe it."""

from __future__ import annotations

import dataclasses
import shlex
from typing import Any

from lambda_magic import runtimes
from lambda_magic.api.function import LambdaFunction
from lambda_magic.core.config import FunctionConfig

#: Options of %%lambda_handler and the configuration field each sets.
OPTION_FIELDS = {
    "runtime": "runtime", "handler": "handler", "memory": "memory_size", "timeout": "timeout",
    "ephemeral_storage": "ephemeral_storage", "region": "region", "log_format": "log_format",
    "log_level": "log_level", "system_log_level": "system_log_level",
    "idle_timeout": "idle_timeout", "shutdown_grace": "shutdown_grace_ms",
    "reserved_concurrency": "reserved_concurrency", "provisioned_concurrency": "provisioned_concurrency",
}  # fmt: skip
#: How a change names a configuration field, where not the field with spaces for underscores.
_LABELS = {"memory_size": "memory", "shutdown_grace_ms": "shutdown grace"}


def build_config(
    name: str, code: str, args: Any, defaults: dict[str, Any], environment: dict[str, str]
) -> dict[str, Any]:
    """The full configuration a cell asks for: its options over the configured defaults."""
    config = dict(defaults)
    for option, field in OPTION_FIELDS.items():
        value = getattr(args, option, None)
        if value is not None:
            config[field] = value
    config.setdefault("handler", None)
    if config["handler"] is None:
        runtime = runtimes.get(config.get("runtime") or FunctionConfig.runtime)
        config["handler"] = runtime.infer_handler(code)
    config["environment"] = environment
    if args.no_freeze:
        config["freeze"] = False
    if args.runtime_command:
        config["runtime_command"] = tuple(shlex.split(args.runtime_command))
    FunctionConfig(name=name, **config)  # validate everything before anything changes
    return config


def describe_changes(old: FunctionConfig, new: FunctionConfig, code_changed: bool) -> str:
    """'code changed, memory 128 → 256 MB' for a new revision."""
    parts = ["code changed"] if code_changed else []
    for f in dataclasses.fields(old):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if f.name != "name" and before != after:
            parts.append(
                f"{_LABELS.get(f.name, f.name.replace('_', ' '))} {_show(before)} → {_show(after)}"
            )
    return ", ".join(parts)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}"
    return "none" if value is None else str(value)


def publish(
    existing: LambdaFunction | None,
    name: str,
    code: str,
    config: dict[str, Any],
    files: dict[str, str],
) -> tuple[LambdaFunction, str]:
    """Create or update the function; returns it and a sentence saying what happened."""
    if existing is None:
        fn = LambdaFunction(name, code, files=files, **config)
        return fn, f"Created {name} (revision 1): {_next_invoke(fn, 'first')}."
    old_config, old_code = existing.config, existing.code
    changed = existing.update_code(code, **config)
    if not changed:
        warm = sum(1 for e in existing.environments if e.state.state.is_warm)
        kept = f", with its {warm} warm environment{'s' if warm != 1 else ''}" if warm else ""
        return existing, f"Unchanged: revision {existing.revision} kept{kept}."
    what = describe_changes(old_config, existing.config, code != old_code)
    return existing, (
        f"Published revision {existing.revision} ({what}): its environments were "
        f"shut down; {_next_invoke(existing, 'next')}."
    )


def _next_invoke(fn: LambdaFunction, which: str) -> str:
    """What the ``which`` (first, next) invoke meets: a cold start, or provisioned environments
    that are already initialized."""
    ready = len(fn.pool.provisioned())
    if not ready:
        return f"the {which} invoke is a cold start"
    many = ready != 1
    return (
        f"{ready} provisioned environment{'s' if many else ''} initialized ahead of time "
        f"(an invoke beyond {'them' if many else 'it'} is a cold start; on Lambda, provisioned "
        "concurrency needs a version or an alias: %lambda_publish, then %lambda_alias "
        "--provisioned)"
    )
