"""``%lambda_serve`` (Lambda's HTTP API for the notebook's functions), ``%lambda_publish``
(a version) and ``%lambda_alias`` (a name for a version, optionally weighted)."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from lambda_magic import server
from lambda_magic.api.errors import ConfigError, InvalidRequestError
from lambda_magic.api.versions import describe_alias
from lambda_magic.magics import inputs
from lambda_magic.magics.function_magics import LambdaMagics, parse_options


@magics_class
class LambdaServeMagics(Magics):
    """``%lambda_serve``, ``%lambda_publish`` and ``%lambda_alias``."""

    def __init__(self, shell: Any, main: LambdaMagics) -> None:
        super().__init__(shell)
        self.main = main

    @magic_arguments()
    @argument(
        "--port",
        type=int,
        default=server.DEFAULT_PORT,
        help="Port (default 3001, as sam local start-lambda; 0 picks a free one).",
    )
    @argument(
        "--host",
        default=server.LOOPBACK,
        help="Address to listen on (default loopback; another one warns).",
    )
    @argument("--stop", action="store_true", help="Stop the running server.")
    @argument("--calls", type=int, metavar="N", help="Show the server's last N calls.")
    @line_magic
    def lambda_serve(self, line: str) -> Any:
        """Serve Lambda's HTTP API for the notebook's functions: boto3, the AWS CLI and
        functions calling functions invoke them as on AWS (its value is the server's handle).

        Examples
        --------
        ::

            %lambda_serve
            %lambda_serve --port 0
            %lambda_serve --calls 20
            %lambda_serve --stop
        """
        args = parse_options(self.lambda_serve, line)
        running = server.current()
        if args.stop:
            if running is None:
                print("No Lambda API server is running.")
                return None
            running.stop()
            print(running.status())
            return None
        if args.calls is not None:
            if running is None:
                raise UsageError("no Lambda API server is running: start one with %lambda_serve")
            print(running.calls.text(args.calls) or "no calls yet")
            return None
        try:
            handle = server.serve(args.host, args.port)
        except OSError as e:
            raise UsageError(f"cannot listen on {args.host}:{args.port}: {e.strerror}") from None
        print(
            f"Serving Lambda's API at {handle.url} for this notebook's functions; "
            f"boto3.client('lambda', endpoint_url={handle.url!r}) reaches them, and so does "
            "boto3 inside a handler (AWS_ENDPOINT_URL_LAMBDA)."
        )
        if handle.reset:
            print(f"Reset the warm environments of {', '.join(handle.reset)}: their variables "
                  "now point at the server.")  # fmt: skip
        return handle

    @magic_arguments()
    @argument("name", help="The function.")
    @argument("--description", default="", help="The version's description.")
    @line_magic
    def lambda_publish(self, line: str) -> None:
        """Publish the function's code and configuration as a new, immutable version (the
        Python API's ``fn.publish_version()`` returns it as an object).

        Examples
        --------
        ::

            %lambda_publish hello
            %lambda_publish hello --description "first release"
        """
        args = parse_options(self.lambda_publish, line)
        fn = self.main.function(args.name)
        try:
            version = fn.publish_version(args.description)
        except (InvalidRequestError, ConfigError) as e:
            raise UsageError(str(e)) from None
        described = f" ({version.description})" if version.description else ""
        print(f"{fn.name}: version {version.number}{described}: {version.config.handler}, "
              f"{version.config.memory_size} MB, {version.code_size:,} bytes of code")  # fmt: skip

    @magic_arguments()
    @argument("name", help="The function.")
    @argument("alias", help="The alias name (letters, digits, - and _; not only digits).")
    @argument("version", help="The version it points to (a number, or $LATEST).")
    @argument(
        "--weight",
        metavar="VERSION=WEIGHT",
        help="Send this share (0 to 1) of the invocations to a second version.",
    )
    @argument("--description", help="The alias's description.")
    @argument(
        "--provisioned",
        type=int,
        metavar="N",
        help="Keep N environments of the alias initialized (provisioned concurrency).",
    )
    @line_magic
    def lambda_alias(self, line: str) -> None:
        """Create or move an alias; with ``--weight`` it splits traffic between two versions
        (``fn.versions.aliases`` has the objects).

        Examples
        --------
        ::

            %lambda_alias hello live 1
            %lambda_alias hello live 1 --weight 2=0.1
            %lambda_alias hello live 2 --provisioned 2
            %lambda_invoke hello --qualifier live {}
        """
        args = parse_options(self.lambda_alias, line)
        fn = self.main.function(args.name)
        routing = None
        if args.weight is not None:
            pairs = inputs.parse_pairs([args.weight], "--weight")
            try:
                routing = {v: float(w) for v, w in pairs.items()}
            except ValueError:
                raise UsageError("--weight takes VERSION=WEIGHT, a weight from 0 to 1") from None
        try:
            if args.alias in fn.versions.aliases:
                alias = fn.versions.update_alias(
                    args.alias, args.version, routing if routing is not None else {},
                    args.description,
                )  # fmt: skip
            else:
                alias = fn.create_alias(args.alias, args.version, routing, args.description or "")
            if args.provisioned is not None:
                fn.versions.set_provisioned(alias.name, args.provisioned)
        except (InvalidRequestError, ConfigError) as e:
            raise UsageError(str(e)) from None
        ready = fn.versions.provisioned.get(alias.name)
        more = f", {ready} provisioned environment(s)" if ready else ""
        print(f"{fn.name}:{alias.name} -> {describe_alias(alias)}{more}")
