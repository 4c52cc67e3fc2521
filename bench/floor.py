"""The floor of our own stack: a minimal Typer app that parses a little YAML and prints a 15-row Rich table.

`python bench/floor.py table` is what `mdl schedule` is compared with; `noop` is the floor of
`mdl --version`; `table --ics` adds `import icalendar`, the floor of `mdl export-ics`.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)

WEEKS = "\n".join(
    f"- {{week: {n}, date: '2019-01-{n + 10}', title: Lecture {n} on deep learning}}" for n in range(1, 16)
)


@app.command()
def table(ics: bool = False) -> None:
    """Parse 15 rows of YAML and print them as a Rich table."""
    import yaml
    from rich.console import Console
    from rich.table import Table

    if ics:
        import icalendar  # noqa: F401 - the cost of the import is what is measured

    grid = Table("week", "date", "title")
    for row in yaml.load(WEEKS, Loader=yaml.CSafeLoader):
        grid.add_row(str(row["week"]), row["date"], row["title"])
    Console().print(grid)


@app.command()
def noop() -> None:
    """Do nothing: the cost of starting Typer."""


if __name__ == "__main__":
    app()
