"""``lambda-magic serve`` (``python -m lambda_magic serve``): serve the functions of a directory
of handler files or of a SAM template over Lambda's API, as ``sam local start-lambda`` does.

* A **directory**: every top-level ``*.py`` file that defines ``lambda_handler`` (or
  ``handler``) is a function named after the file (``orders.py`` is ``orders``, handler
  ``orders.lambda_handler``); its package is the whole directory, so handlers share modules.
* A **SAM template** (``template.yaml``/``template.yml``, or a directory holding one): every
  ``AWS::Serverless::Function`` with a runtime lambda_magic runs, named by its ``FunctionName`` when that
  is a plain string, else by its logical id (as SAM's ``start-lambda`` names it); ``CodeUri``
  (a directory) or ``InlineCode``, ``Handler``, ``Runtime``, ``MemorySize``, ``Timeout``,
  ``Environment.Variables`` (plain values), ``EphemeralStorage``, ``Description``, ``Role``
  (plain), ``ReservedConcurrentExecutions``, with ``Globals.Function`` as defaults. Other
  resources and intrinsic functions are ignored (a variable whose value is ``!Ref X`` is
  left out and named on the terminal).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lambda_magic.api.errors import ConfigError
from lambda_magic.api.function import RUNTIMES, LambdaFunction
from lambda_magic.server import sam

SKIPPED_DIRS = {"__pycache__", ".git", ".aws-sam", "node_modules", ".venv", "venv"}
PACKAGE_LIMIT = 250 * 1024 * 1024


@dataclass
class Spec:
    """One function to create: its name, files, handler and configuration."""

    name: str
    files: dict[str, bytes]
    config: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    role: str | None = None


def read_tree(root: str) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones and caches skipped), by relative path."""
    files: dict[str, bytes] = {}
    total = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = data = f.read()
            total += len(data)
            if total > PACKAGE_LIMIT:
                raise ConfigError(f"{root} holds more than 250 MB: Lambda's unzipped limit")
    return files


def _handler_of(source: bytes) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return next((h for h in ("lambda_handler", "handler") if h in defined), None)


def from_directory(root: str) -> list[Spec]:
    """One function per top-level handler file of ``root``."""
    files = read_tree(root)
    specs = []
    for path in sorted(p for p in files if "/" not in p and p.endswith(".py")):
        handler = _handler_of(files[path])
        if handler is None:
            continue
        module = path[:-3]
        name = re.sub(r"[^a-zA-Z0-9_-]", "-", module)[:64]
        specs.append(Spec(name, files, {"handler": f"{module}.{handler}"}))
    return specs


#: The file an ``InlineCode`` handler module becomes, by runtime family (SAM's own choice).
_INLINE_SUFFIX = {"python": ".py", "nodejs": ".js"}
_PROPERTIES = {"Handler": "handler", "Runtime": "runtime", "MemorySize": "memory_size",
               "Timeout": "timeout", "ReservedConcurrentExecutions": "reserved_concurrency"}  # fmt: skip


def from_template(path: str, say: Any = print) -> list[Spec]:
    """One function per ``AWS::Serverless::Function`` of the template at ``path`` whose runtime
    lambda_magic runs (``InlineCode`` for Python and Node.js, as SAM allows it)."""
    with open(path, encoding="utf-8") as f:
        document = sam.load(f.read()) or {}
    base = os.path.dirname(os.path.abspath(path))
    defaults = ((document.get("Globals") or {}).get("Function")) or {}
    specs = []
    for logical, resource in (document.get("Resources") or {}).items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = {**defaults, **(resource.get("Properties") or {})}
        env = {**((defaults.get("Environment") or {}).get("Variables") or {}),
               **((props.get("Environment") or {}).get("Variables") or {})}  # fmt: skip
        runtime = str(props.get("Runtime", ""))
        inline = _INLINE_SUFFIX.get(runtime.rstrip("0123456789.x"))
        if runtime not in RUNTIMES or ("InlineCode" in props and inline is None):
            what = "with InlineCode " if runtime in RUNTIMES else ""
            say(f"skipped {logical}: runtime {runtime or '(none)'} {what}is not served here")
            continue
        name = props.get("FunctionName") if isinstance(props.get("FunctionName"), str) else logical
        if "InlineCode" in props:
            module = str(props.get("Handler", "index.handler")).rsplit(".", 1)[0]
            files = {f"{module.replace('.', '/')}{inline}": str(props["InlineCode"]).encode()}
        else:
            files = read_tree(os.path.join(base, str(props.get("CodeUri") or ".")))
        config = {field_: props[key] for key, field_ in _PROPERTIES.items() if key in props}
        plain = {k: str(v) for k, v in env.items() if not isinstance(v, (dict, list))}
        for key in sorted(set(env) - set(plain)):
            say(f"{name}: variable {key} left out (an intrinsic function: {env[key]})")
        config["environment"] = plain
        if isinstance(props.get("EphemeralStorage"), dict):
            config["ephemeral_storage"] = props["EphemeralStorage"].get("Size", 512)
        role = props.get("Role") if isinstance(props.get("Role"), str) else None
        specs.append(Spec(str(name), files, config, str(props.get("Description") or ""), role))
    return specs


def load(path: str, say: Any = print) -> list[Spec]:
    """The functions at ``path``: a template, a directory with one, or a directory of handlers."""
    if os.path.isfile(path):
        return from_template(path, say)
    for name in ("template.yaml", "template.yml"):
        if os.path.isfile(os.path.join(path, name)):
            return from_template(os.path.join(path, name), say)
    if os.path.isdir(path):
        return from_directory(path)
    raise ConfigError(f"{path} is neither a directory nor a SAM template")


def create(specs: Sequence[Spec]) -> list[LambdaFunction]:
    """The functions of ``specs``."""
    made = []
    for spec in specs:
        fn = LambdaFunction(spec.name, code="", files=spec.files, **spec.config)
        fn.description, fn.role = spec.description, spec.role
        made.append(fn)
    return made


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lambda-magic",
        description="Serve Lambda functions locally over Lambda's own API (boto3, the AWS CLI).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve a directory of handler files or a SAM template.yaml",
        description="Serve the functions of PATH (a directory of handler files, a SAM "
        "template, or a directory holding template.yaml) until interrupted.",
    )  # fmt: skip
    serve.add_argument("path", nargs="?", default=".", help="directory or template (default .)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default loopback)"
    )
    serve.add_argument("--port", type=int, default=3001, help="port (default 3001; 0: a free one)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    from lambda_magic.server import serve

    args = _parser().parse_args(argv)
    try:
        functions = create(load(args.path, lambda text: print(text, file=sys.stderr)))
    except (ConfigError, sam.TemplateError, OSError) as e:
        print(f"lambda-magic: {e}", file=sys.stderr)
        return 2
    if not functions:
        print(f"lambda-magic: no function found in {args.path}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with serve(args.host, args.port) as server:
        names = ", ".join(fn.name for fn in functions)
        print(f"Serving {len(functions)} function(s) ({names}) at {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
        print("Stopping", flush=True)
    for fn in functions:
        fn.shutdown()
    return 0
