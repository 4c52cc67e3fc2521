"""The shell: the `mdl` app, its one error boundary, and what a run knows (settings, places, colour).

The commands are declared in commands.py, which loads when a command is first looked up: `mdl
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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_type_hints

import typer
from typer._click import exceptions as click_exceptions  # typer 0.28 vendors click here
from typer.core import TyperGroup, TyperOption

from . import __version__
from .errors import MdlError

if TYPE_CHECKING:
    from .config import Config
    from .semester import Places


class _Shell(TyperGroup):
    """The one error boundary: every failure becomes one `error: …` line and an exit status.

    Its commands are made from their declarations (commands.py) when first looked up: a run
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
        run_config.cache_clear()  # read once a run: a test runs many in one process
        _chosen_color.clear()
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exceptions.NoArgsIsHelpError as exc:
            # `mdl` alone is a request for help, not a mistake.
            sys.stdout.write(exc.format_message() + "\n")
            status = 0
        except click_exceptions.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            status = _fail(_lower_first(exc.format_message()) + where, exc.exit_code)
        except click_exceptions.ClickException as exc:
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
        # Typer reads a command's annotations four times while making it, and those of commands.py
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
    no_args_is_help=True,
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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A command-line assistant for the course Mathematics of Deep Learning (NYU, Spring 2019)."""


# -- what a run knows: read once, reset by the shell at the start of each run ------------------


def places() -> "Places":
    """Where this run reads its settings, keeps followed courses and caches validated ones."""
    from .semester import Places

    return Places(
        config=_xdg("XDG_CONFIG_HOME", ".config") / "mdl" / "config.toml",
        data=_xdg("XDG_DATA_HOME", ".local/share") / "mdl",
        cache=cache_folder(),
    )


def _xdg(variable: str, under_home: str) -> Path:
    base = os.environ.get(variable)
    return Path(base) if base else Path("~").expanduser() / under_home


@functools.cache
def run_config() -> "Config":
    from .config import read_config

    return read_config(places().config)


def cache_folder() -> Path | None:
    """Where validated courses are kept between runs: $XDG_CACHE_HOME/mdl; MDL_NO_CACHE=1 turns it off."""
    if os.environ.get("MDL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: run without a cache
            return None
    return Path(base) / "mdl"


# What --color said in this run (a list, so that the option's callback can set it).
_chosen_color: list[str] = []


def _take_color(ctx: Any, param: Any, value: str | None) -> None:
    if value is None:
        return
    from .config import COLORS

    if value.lower() not in COLORS:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(COLORS)}")
    _chosen_color[:] = [value.lower()]


def color() -> str:
    """auto, always or never: --color, else NO_COLOR, FORCE_COLOR, else the config's color, else auto."""
    if _chosen_color:
        return _chosen_color[0]
    if os.environ.get("NO_COLOR"):
        return "never"
    if os.environ.get("FORCE_COLOR"):
        return "always"
    return run_config().color or "auto"


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
