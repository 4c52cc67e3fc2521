"""Render the README's pictures from the real commands: `python docs/screenshots.py docs`.

Each picture is what `mdl` prints on an 80-column terminal (the default) at a pinned moment (Monday of week 6),
recorded with Rich and saved as SVG. The test suite runs this script and compares its output with
the committed pictures, so a picture can never show a command that no longer works.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from mdlcli.cli import app

NOW = "2019-02-25T12:00"
WIDTH = 80
PICTURES = {
    "schedule": ["schedule", "--now", NOW],
    "next": ["next", "--now", NOW],
    "refs": ["refs", "lec5"],
    "deadlines": ["deadlines", "--now", "2019-04-30T12:00"],
}


def render(name: str, args: list[str]) -> str:
    env = {"FORCE_COLOR": "1", "COLUMNS": str(WIDTH), "NO_COLOR": "", "MDL_NOW": "", "MDL_COURSE": ""}
    result = CliRunner().invoke(app, args, env=env, prog_name="mdl")
    if result.exit_code != 0:
        raise SystemExit(f"mdl {' '.join(args)} failed ({result.exit_code}): {result.stderr}")
    console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(Text.from_ansi(result.stdout), end="")
    return console.export_svg(title=f"mdl {' '.join(args)}")


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, args in PICTURES.items():
        (out / f"{name}.svg").write_text(render(name, args), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
