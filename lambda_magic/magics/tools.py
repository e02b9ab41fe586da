"""The magics that look at functions and act on them: status, logs, reset, shutdown, sample
events, the panel and the Python object."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from lambda_magic import events as events_lib
from lambda_magic import runtimes, server
from lambda_magic.api import live
from lambda_magic.api.function import LambdaFunction
from lambda_magic.engine.environment import ShutdownPath
from lambda_magic.events._cli import UsageError as TemplateUsageError
from lambda_magic.events._cli import _options as template_options
from lambda_magic.events._cli import _split_name as split_template_name
from lambda_magic.magics import inputs, invoking
from lambda_magic.magics.function_magics import LambdaMagics, parse_options
from lambda_magic.views.cards import LogView, StatusView, shutdown_ways


@magics_class
class LambdaToolMagics(Magics):
    """``%lambda_status``, ``%lambda_logs``, ``%lambda_reset``, ``%lambda_shutdown``,
    ``%lambda_event``, ``%lambda_function`` and ``%lambda_panel``, over the functions that
    :class:`LambdaMagics` keeps."""

    def __init__(self, shell: Any, main: LambdaMagics) -> None:
        super().__init__(shell)
        self.main = main

    def function(self, name: str) -> LambdaFunction:
        """The registered function ``name`` (a usage error names the defined ones)."""
        return self.main.function(name)

    @property
    def functions(self) -> dict[str, LambdaFunction]:
        """Every function the notebook defined."""
        return self.main.functions

    @magic_arguments()
    @argument("name", nargs="?", help="Only this function.")
    @line_magic
    def lambda_status(self, line: str) -> StatusView:
        """Every function and its environments: state, invocations, cold starts, memory; and
        what this machine has for each runtime (node, npm, a JDK) or what to install.

        Examples
        --------
        ::

            %lambda_status
            %lambda_status hello
        """
        args = parse_options(self.lambda_status, line)
        fns = [self.function(args.name)] if args.name else list(self.functions.values())
        if not args.name:  # and those created through Lambda's API
            fns += [fn for fn in live.kept() if fn not in fns]
        running = server.current()
        return StatusView(fns, running.status() if running is not None else None, runtimes.tools())

    @magic_arguments()
    @argument("name", help="The function whose log group to show.")
    @argument("--tail", type=int, help="Only the last N log events.")
    @line_magic
    def lambda_logs(self, line: str) -> LogView:
        """The function's log streams, CloudWatch style (``aws logs tail`` format).

        Examples
        --------
        ::

            %lambda_logs hello
            %lambda_logs hello --tail 20
        """
        args = parse_options(self.lambda_logs, line)
        if args.tail is not None and args.tail < 1:
            raise UsageError("--tail must be a positive number of log events")
        fn = self.function(args.name)
        return LogView(fn.logs.format(tail=args.tail), f"/aws/lambda/{fn.name}")

    def _targets(self, line: str, magic: Any) -> list[LambdaFunction]:
        args = parse_options(magic, line)
        if args.all == bool(args.name):
            raise UsageError("name one function, or use --all")
        return list(self.functions.values()) if args.all else [self.function(args.name)]

    @magic_arguments()
    @argument("name", nargs="?", help="The function.")
    @argument("--all", action="store_true", help="Every function.")
    @line_magic
    def lambda_reset(self, line: str) -> None:
        """Shut a function's environments down (Shutdown phase): the next invoke is cold.

        Examples
        --------
        ::

            %lambda_reset hello
            %lambda_reset --all
        """
        for fn in self._targets(line, self.lambda_reset):
            paths = fn.reset()
            print(f"{fn.name}: {_shut_down(paths)}; the next invoke is a cold start.")

    @magic_arguments()
    @argument("name", nargs="?", help="The function.")
    @argument("--all", action="store_true", help="Every function.")
    @line_magic
    def lambda_shutdown(self, line: str) -> None:
        """Shut a function's environments down and remove its files (it stays defined).

        Examples
        --------
        ::

            %lambda_shutdown hello
            %lambda_shutdown --all
        """
        for fn in self._targets(line, self.lambda_shutdown):
            paths = fn.shutdown()
            print(f"{fn.name}: {_shut_down(paths)}.")

    @no_var_expand
    @line_magic
    def lambda_event(self, line: str) -> Any:
        """Generate a sample event from the events library (its value is the event dict).

        ``%lambda_event --list [SERVICE]`` lists the templates, ``%lambda_event NAME --help``
        describes one.

        Examples
        --------
        ::

            %lambda_event s3:put --bucket photos --key "cat 1.jpg"
            event = %lambda_event sqs:receive-message --body '["a", "b"]' --seed 1
            %lambda_event --list apigateway
        """
        tokens = inputs.shlex_split(line)
        try:  # the same forms as ``python -m lambda_magic.events``
            if not tokens or tokens[0] == "--list":
                return _TemplateList(events_lib.names(tokens[1] if len(tokens) > 1 else None))
            name, rest = split_template_name(tokens)
            if any(arg in ("-h", "--help") for arg in rest):
                return events_lib.describe(name)
            raw, options = template_options(name, rest)
        except (events_lib.EventTemplateError, TemplateUsageError) as e:
            raise UsageError(str(e)) from None
        if "indent" in options:
            raise UsageError("--indent is for the command line: the value here is the event dict")
        return invoking.template_event(name, raw, options.get("seed"))

    @line_magic
    def lambda_function(self, line: str) -> LambdaFunction:
        """The LambdaFunction object a %%lambda_handler cell defined, for the Python API.

        Examples
        --------
        ::

            fn = %lambda_function hello
            fn.invoke_many([{"n": i} for i in range(100)], concurrency=10)
            fn.subscribe(lambda kind, value: print(kind))
        """
        name = line.strip()
        if not name:
            raise UsageError("usage: %lambda_function NAME")
        return self.function(name)

    @line_magic
    def lambda_panel(self, line: str) -> None:
        """Show a function's control panel: edit events, drive the lifecycle, watch it.

        Examples
        --------
        ::

            %lambda_panel hello
        """
        name = line.strip()
        if not name:
            raise UsageError("usage: %lambda_panel NAME")
        fn = self.function(name)
        try:
            from lambda_magic.widgets import panel
        except ImportError as e:
            raise UsageError(f"the panel needs ipywidgets 8: {e}") from None
        display(panel(fn))


class _TemplateList(list):  # type: ignore[type-arg]
    def __repr__(self) -> str:
        return "\n".join(self)


def _shut_down(paths: list[ShutdownPath]) -> str:
    if not paths:
        return "no environment was running"
    n = len(paths)
    return f"{n} environment{'s' if n != 1 else ''} shut down ({shutdown_ways(paths)})"
