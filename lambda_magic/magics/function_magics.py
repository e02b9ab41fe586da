"""The ``%%lambda_handler`` family of magics: thin parsing and delegation to the core."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import (
    Magics,
    cell_magic,
    line_cell_magic,
    magics_class,
    no_var_expand,
)
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display
from traitlets import Bool, Int, TraitError, Unicode, validate

from lambda_magic.api import live
from lambda_magic.api.function import LambdaFunction
from lambda_magic.core.config import FunctionConfig
from lambda_magic.core.errors import ConfigError, FunctionError
from lambda_magic.magics import inputs, invoking
from lambda_magic.magics.publish import build_config, publish
from lambda_magic.views.cards import FunctionCard


@magics_class
class LambdaMagics(Magics):
    """Magics that make notebook cells AWS Lambda functions.

    Defaults are configurable, e.g. ``%config LambdaMagics.default_timeout = 10``.
    """

    default_memory_size = Int(128, help="Memory (MB) of new functions: 128 to 10240.").tag(
        config=True
    )
    default_timeout = Int(3, help="Timeout (s) of new functions: 1 to 900.").tag(config=True)
    default_ephemeral_storage = Int(512, help="/tmp size (MB): 512 to 10240.").tag(config=True)
    default_region = Unicode("us-east-1", help="AWS Region of new functions.").tag(config=True)
    default_freeze = Bool(True, help="Freeze environments between invokes.").tag(config=True)
    show_panel = Bool(True, help="Show the control panel under %%lambda_handler cells.").tag(
        config=True
    )
    stream_logs = Bool(True, help="Print log lines into the cell while a handler runs.").tag(
        config=True
    )

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self.functions: dict[str, LambdaFunction] = {}
        self.pending_files: dict[str, dict[str, str]] = {}

    @validate(
        "default_memory_size", "default_timeout", "default_ephemeral_storage", "default_region"
    )
    def _check_default(self, proposal: Any) -> Any:
        field = proposal["trait"].name.removeprefix("default_")
        try:
            FunctionConfig("check", **{field: proposal["value"]})
        except ConfigError as e:
            raise TraitError(str(e)) from None
        return proposal["value"]

    # -- helpers ---------------------------------------------------------------------------------
    def function(self, name: str) -> LambdaFunction:
        """The registered function ``name`` (or one created through Lambda's API), or a usage
        error naming the defined ones."""
        if name in self.functions:
            return self.functions[name]
        made = {fn.name: fn for fn in live.kept()}
        if name not in made:
            raise inputs.unknown_name("Lambda function", name, {**self.functions, **made})
        return made[name]

    def _defaults(self) -> dict[str, Any]:
        """The configured ``default_*`` traits, by configuration field."""
        return {
            name.removeprefix("default_"): getattr(self, name)
            for name in self.trait_names()
            if name.startswith("default_")
        }

    def _show_panel(self, fn: LambdaFunction) -> None:
        try:
            from lambda_magic.widgets import close_panels, panel
        except ImportError:  # no ipywidgets: the card is enough
            return
        close_panels(fn)  # the panel of the cell's previous run stops listening
        display(panel(fn))

    # -- %%lambda_handler ------------------------------------------------------------------------
    @magic_arguments()
    @argument("name", help="The function name (letters, digits, - and _).")
    @argument(
        "--runtime",
        help="Lambda's runtime id: python3.10-python3.13 (default: the kernel's Python), "
        "nodejs20.x, nodejs22.x, nodejs24.x (the cell is index.mjs), java17, java21 (the cell "
        "is a Java class), provided.al2023 (the cell is function.sh; add a bootstrap with "
        "%%%%lambda_file NAME bootstrap).",
    )
    @argument(
        "--handler",
        help="file.function, or package.Class::method for Java (default: "
        "lambda_function.lambda_handler, index.handler, the cell's class and its method, "
        "function.handler).",
    )
    @argument("-m", "--memory", type=int, help="Memory in MB, 128 to 10240 (default 128).")
    @argument("-t", "--timeout", type=int, help="Timeout in seconds, 1 to 900 (default 3).")
    @argument(
        "-e",
        "--env",
        action="append",
        metavar="KEY=VALUE",
        help="An environment variable (repeatable).",
    )
    @argument("--ephemeral-storage", type=int, help="/tmp size in MB, 512 to 10240 (default 512).")
    @argument("--region", help="AWS Region (default us-east-1).")
    @argument(
        "--no-freeze", action="store_true", help="Do not freeze environments between invokes."
    )
    @argument("--log-format", choices=["Text", "JSON"], help="Log format (default Text).")
    @argument(
        "--log-level",
        choices=["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"],
        help="Application log level (JSON format only).",
    )
    @argument(
        "--system-log-level",
        choices=["DEBUG", "INFO", "WARN"],
        help="Platform log level (JSON format only).",
    )
    @argument(
        "--idle-timeout", type=float, help="Shut idle environments down after this many seconds."
    )
    @argument(
        "--shutdown-grace",
        type=int,
        help="Milliseconds between SIGTERM and SIGKILL at Shutdown (default 300).",
    )
    @argument(
        "--runtime-command",
        help="A custom runtime command, e.g. 'python -m awslambdaric {handler}'.",
    )
    @argument(
        "--reserved-concurrency",
        type=int,
        help="At most this many invocations at once (0 throttles all).",
    )
    @argument(
        "--provisioned-concurrency",
        type=int,
        help="Initialize this many environments ahead of time.",
    )
    @argument(
        "--no-panel",
        action="store_true",
        help="Show only the function card, not the control panel.",
    )
    @cell_magic
    def lambda_handler(self, line: str, cell: str) -> None:
        """Define or update a Lambda function whose main file is the cell (``lambda_function.py``;
        ``index.mjs`` with ``--runtime nodejs22.x``, a Java class with ``--runtime java21``).

        Re-running the cell publishes a new revision when its code or options changed (its
        environments shut down: the next invoke is a cold start) and keeps warm environments
        when nothing changed. A syntax error shows at once, as Lambda's
        Runtime.UserCodeSyntaxError.

        Examples
        --------
        ::

            %%lambda_handler hello --memory 256 --timeout 5 --env STAGE=dev
            import time
            BOOTED = time.time()              # Init: runs once per environment
            def lambda_handler(event, context):
                print("got", event)
                return {"hello": event.get("name"), "booted": BOOTED}

            %%lambda_handler hello-node --runtime nodejs22.x
            export const handler = async (event, context) => ({hello: event.name});
        """
        args = parse_options(self.lambda_handler, line)
        env = inputs.parse_pairs(args.env, "--env")
        try:
            config = build_config(args.name, cell, args, self._defaults(), env)
            fn, message = publish(
                self.functions.get(args.name),
                args.name,
                cell,
                config,
                self.pending_files.pop(args.name, {}),
            )
        except ConfigError as e:
            raise UsageError(str(e)) from None
        self.functions[args.name] = fn
        display(FunctionCard(fn, message, fn.check_syntax()))
        if self.show_panel and not args.no_panel:
            self._show_panel(fn)

    @magic_arguments()
    @argument("name", help="The function whose package gets the file.")
    @argument("path", help="The file's path inside the package, e.g. helpers.py or lib/util.py.")
    @cell_magic
    def lambda_file(self, line: str, cell: str) -> None:
        """Add a file (another module, data) to a function's deployment package.

        Examples
        --------
        ::

            %%lambda_file hello helpers.py
            def greet(name):
                return f"Hello, {name}!"
        """
        args = parse_options(self.lambda_file, line)
        if args.name not in self.functions:
            self.pending_files.setdefault(args.name, {})[args.path] = cell
            print(
                f"Added {args.path} to the package of {args.name} (defined by its %%lambda_handler cell)."
            )
            return
        try:
            changed = self.functions[args.name].update_code(files={args.path: cell})
        except ConfigError as e:
            raise UsageError(str(e)) from None
        fn = self.functions[args.name]
        print(
            f"{'Published revision ' + str(fn.revision) + ': ' if changed else 'Unchanged: '}"
            f"{args.path} in the package of {args.name}."
        )

    # -- %lambda_invoke --------------------------------------------------------------------------
    @magic_arguments()
    @argument("name", help="The function to invoke.")
    @argument("--event-file", help="Read the event (JSON) from this file.")
    @argument("--template", help="Generate the event from a sample-event template, e.g. s3:put.")
    @argument(
        "--param", action="append", metavar="KEY=VALUE", help="A template parameter (repeatable)."
    )
    @argument("--seed", type=int, help="Make a template's ids and timestamps reproducible.")
    @argument("--saved", help="Use a saved test event of the function.")
    @argument("--client-context", help="The client context (JSON), seen as context.client_context.")
    @argument("--identity", help="The Cognito identity (JSON), seen as context.identity.")
    @argument("--qualifier", help="A published version or an alias (default $LATEST).")
    @argument(
        "--type",
        dest="invocation_type",
        choices=invoking.INVOCATION_TYPES,
        default="RequestResponse",
        help="RequestResponse (wait for the answer), Event (queue it, with retries) or DryRun.",
    )
    @argument(
        "-c",
        "--concurrency",
        type=int,
        help="Invoke --repeat times, this many at once (scale out).",
    )
    @argument(
        "-n", "--repeat", type=int, help="How many invocations of the event (with --concurrency)."
    )
    @argument("-q", "--quiet", action="store_true", help="Do not print log lines while it runs.")
    @argument(
        "--raise",
        dest="raise_error",
        action="store_true",
        help="Raise FunctionError if the invocation fails.",
    )
    @no_var_expand
    @line_cell_magic
    def lambda_invoke(self, line: str, cell: str | None = None) -> Any:
        """Invoke a function and show the result.

        The event comes from the rest of the line (JSON, ``$var``, ``{expression}``), the cell
        body (multi-line JSON), ``--event-file``, ``--template`` or ``--saved``. Log lines print
        as the handler writes them. The value is the invocation result (``r.payload``,
        ``r.report``, ``r.logs``); a function error is shown as Lambda returns it. With
        ``--repeat``/``--concurrency`` the value is the list of results; with ``--type Event``
        it is the queued invocation.

        Examples
        --------
        ::

            %lambda_invoke hello {"name": "Ada"}
            %lambda_invoke hello $event
            r = %lambda_invoke hello --event-file event.json
            %lambda_invoke resize --template s3:put --param bucket=photos --param key=cat.jpg
            %lambda_invoke hello --concurrency 10 --repeat 50 {"name": "load"}
            %lambda_invoke hello --type Event {"name": "later"}
            %lambda_invoke hello --identity '{"cognitoIdentityId": "id-1"}' {}

            %%lambda_invoke hello
            {"name": "Grace",
             "tags": ["a", "b"]}
        """
        name, rest = inputs.split_first(line)
        options, inline = inputs.split_options(rest, _value_options(self.lambda_invoke))
        inline = inline.rstrip()
        if cell is None and inline.endswith(";"):  # IPython's "hide the output", not the event's
            inline = inline[:-1]
        args = parse_options(self.lambda_invoke, [name, *options])
        fn = self.function(args.name)
        ns = self.shell.user_ns if self.shell is not None else {}
        event = invoking.resolve_event(args, inline, cell, ns)
        if args.invocation_type != "RequestResponse":
            return invoking.invoke_other(fn, event, args.invocation_type, args.qualifier)
        if args.repeat is not None or args.concurrency is not None:
            repeat = args.repeat if args.repeat is not None else args.concurrency
            return invoking.invoke_batch(fn, event, repeat, args.concurrency or 1)
        context, identity = (
            inputs.parse_json(text, option) if text else None
            for text, option in (
                (args.client_context, "--client-context"),
                (args.identity, "--identity"),
            )
        )
        stream = self.stream_logs and not args.quiet
        result = invoking.invoke_once(fn, event, context, identity, stream, ns, args.qualifier)
        if args.raise_error and not result.ok:
            assert result.error is not None
            raise FunctionError(result.error, fn.name)
        return result


def _value_options(magic: Any) -> set[str]:
    """The option strings of a magic that take a value (``--seed 1``, ``-n 5``)."""
    return {s for a in magic.parser._actions if a.nargs != 0 for s in a.option_strings}


def parse_options(magic: Any, line: str | list[str]) -> Any:
    """Parse a magic's options (split as a shell does), naming the allowed options when one
    is unknown."""
    tokens = inputs.shlex_split(line) if isinstance(line, str) else line
    try:
        return magic.parser.parse_args(tokens)
    except UsageError as e:
        if "unrecognized arguments" not in str(e):
            raise
        parser = magic.parser
        options = sorted(
            {s for a in parser._actions for s in a.option_strings if s.startswith("--")}
            - {"--help"}
        )
        raise UsageError(
            f"{e}; the options of %{parser.prog.split()[0].lstrip('%')} are: {', '.join(options)}"
        ) from None
