"""The floor of a Typer command-line tool: as many commands as `mdl`, printing rows loaded from a pickle.

    python bench/floor.py table ROWS.pickle    what `mdl schedule` (and next, refs, deadlines) is compared with
    python bench/floor.py noop                 the cost of starting this app, the floor of `mdl --version`
    python bench/floor.py table ROWS --ics     the table after `import icalendar`, the floor of `mdl export-ics`

`mdl` does more than this (a course file's cache is checked, settings read, dates computed), so
the ratio says what mdl's own work costs on top of the framework it is built on.
"""

import pickle
import sys
from pathlib import Path
from typing import Annotated

import typer

# As many commands as mdl has (tests/test_contract.py lists them), each with an option or two,
# since Typer turns every command's signature into a Click command at start-up.
COMMANDS = 21
app = typer.Typer(add_completion=False)


@app.command()
def table(
    rows: Annotated[Path, typer.Argument()],
    ics: Annotated[bool, typer.Option("--ics")] = False,
) -> None:
    """Print the rows of a pickle, tab-separated, as mdl does in a pipe."""
    if ics:
        import icalendar  # noqa: F401 - the cost of the import is what is measured

    loaded = pickle.loads(rows.read_bytes())  # noqa: S301 - the benchmark's own file
    sys.stdout.write("".join("\t".join(row) + "\n" for row in loaded))


@app.command()
def noop() -> None:
    """Do nothing: the cost of starting the app."""


def _filler(number: int) -> None:
    def command(
        json: Annotated[bool, typer.Option("--json")] = False,
        course: Annotated[str | None, typer.Option("--course")] = None,
    ) -> None:
        """A command that is there to be parsed, like mdl's others."""

    app.command(f"command-{number}")(command)


for n in range(COMMANDS - 2):
    _filler(n)


if __name__ == "__main__":
    app()
