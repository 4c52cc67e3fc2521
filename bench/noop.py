"""The smallest Typer app: one command that does nothing. `mdl --version` is measured against it."""

import typer


def main() -> None:
    """Do nothing."""


if __name__ == "__main__":
    typer.run(main)
