"""The shell: the `mdl` app, its options and its one error boundary. What a run knows is run.py's.

The commands are declared in the commands package, which loads when a command is first looked up: `mdl
--version` reads none of them. Start-up is a feature: this module imports only Typer and mdl's
light modules at the top; YAML, Rich, dateutil and icalendar load inside the commands that use them
(ruff's TID253 enforces it).
"""

import functools
import gc
import io
import os
import signal
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Annotated, Any, get_type_hints

import typer
from typer.core import TyperGroup, TyperOption

from . import __version__, run
from .errors import MdlError, UsageError


class _Shell(TyperGroup):
    """The one error boundary: every failure becomes one `error: …` line and an exit status.

    Its commands are made from their declarations (the commands package) when first looked up: a run
    builds the one command it runs, not all of them (Typer would, at every start); `--help`,
    completion and suggestions for a mistyped command see them all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Declared()

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        run.reset()  # what a run knows is read once a run: a test runs many in one process
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as exc:
            # The framework's errors, through Typer's public base of them: a usage error (exit
            # 2: a bad option or argument) names the command whose --help says what is allowed.
            if exc.exit_code == UsageError.exit_code:
                context = getattr(exc, "ctx", None)
                where = f" (see '{context.command_path} --help')" if context is not None else ""
                status = _fail(_lower_first(exc.format_message()) + where, exc.exit_code)
            else:
                status = _fail(exc.format_message(), exc.exit_code)
        except MdlError as exc:
            status = _fail(str(exc), exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            status = 130
        except BrokenPipeError:
            status = _quiet_broken_pipe()
        finally:
            gc.unfreeze()  # what the command froze (its courses) can go, in a process that runs more
        if not standalone_mode:
            return status
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            status = _quiet_broken_pipe()
        sys.exit(status if isinstance(status, int) else 0)


class _Declared(MutableMapping[str, Any]):
    """mdl's commands by name, in the order declared, each made on first use.

    The declarations load on first use too (`mdl --version` needs none), and each command also
    gets the `--color` option, declared here once.
    """

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    @functools.cached_property
    def _declared(self) -> dict[str, typer.models.CommandInfo]:
        from . import commands

        return {
            info.name or typer.main.get_command_name(info.callback.__name__): info
            for info in commands.commands.registered_commands
            if info.callback is not None
        }

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            self._made[name] = self._make(self._declared[name])
        return self._made[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        self._declared.pop(name, None)
        del self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._declared, **self._made})

    def __len__(self) -> int:
        return len({**self._declared, **self._made})

    @staticmethod
    def _make(info: typer.models.CommandInfo) -> Any:
        # Typer reads a command's annotations four times while making it, and those of the commands
        # are strings (from __future__), compiled and evaluated at each read: evaluate them once.
        info.callback.__annotations__ = get_type_hints(info.callback, include_extras=True)
        command = typer.main.get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
        )
        command.params.append(
            TyperOption(
                param_decls=["--color"],
                metavar="WHEN",
                expose_value=False,
                callback=_take_color,
                help="Colour and terminal drawing: auto (on a terminal), always (also in a pipe: less -R), "
                "never. Default: NO_COLOR / FORCE_COLOR, else the config's color, else auto.",
            )
        )
        return command


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _fail(message: str, status: int) -> int:
    # Messages quote course files and arguments, which may hold escape sequences.
    from .textsafe import clean  # loaded for an error only: `mdl --version` needs none

    sys.stderr.write(f"error: {clean(message)}\n")
    return status


def _quiet_broken_pipe() -> int:
    # The reader went away (`mdl refs | head -1`): nothing more to say, and Python must not
    # complain while flushing stdout at exit. Exit 1, as the option parser does for a closed pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


app = typer.Typer(
    cls=_Shell,
    context_settings={"help_option_names": ["-h", "--help"]},
    name="mdl",
    invoke_without_command=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"mdl {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    context: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A command-line assistant for the course Mathematics of Deep Learning (NYU, Spring 2019)."""
    if context.invoked_subcommand is None and not context.resilient_parsing:
        # `mdl` alone is a request for help, not a mistake.
        sys.stdout.write(context.get_help() + "\n")


def _take_color(ctx: Any, param: Any, value: str | None) -> None:
    if value is None:
        return
    from .config import COLORS

    if value.lower() not in COLORS:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(COLORS)}")
    run.choose_color(value.lower())


def main() -> None:
    """The console script."""
    # SIGTERM unwinds like Ctrl-C, so a file being written is cleaned up rather than left half-made.
    signal.signal(signal.SIGTERM, _terminate)
    # A terminal or pipe that cannot encode the course's text (en dashes, curly quotes) gets
    # escapes instead of a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")
    try:
        app(prog_name="mdl")
    finally:
        # Python's exit runs the cyclic collector over every object still alive, about a hundred
        # thousand of them made by the imports alone (Typer, Click): 6 to 9 ms, a tenth of a warm run.
        # The process is ending and mdl has closed its files; what is frozen is not scanned.
        gc.freeze()


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
