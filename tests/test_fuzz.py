"""Fuzzing: mutants of the bundled course either work or end in one clear error, never a crash.

Runs MDL_FUZZ_EXAMPLES examples (200 by default, as in CI); for a longer hunt:
    MDL_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mdlcli.cli import app

from .conftest import BUNDLED

LINES = BUNDLED.read_text(encoding="utf-8").splitlines()
COMMANDS = (
    ["validate"],
    ["info"],
    ["syllabus"],
    ["curriculum"],
    ["schedule", "--now", "2019-02-25"],
    ["next", "--now", "2019-03-10T02:30"],
    ["refs"],
    ["refs", "lec5"],
    ["search", "graph"],
    ["deadlines", "--now", "2019-04-30"],
    ["export-ics", "-o", "-"],
)
SCALARS = st.sampled_from(
    [
        "",
        "~",
        "no",
        "yes",
        "19:10",
        "2019-02-30",
        "-1",
        "0x1F",
        "[",
        "{",
        "*x",
        "&x",
        "!!str",
        "'",
        '"',
        "é",
        "\t",
        "1e400",
    ]
)


@st.composite
def mutants(draw: st.DrawFn) -> list[str]:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "duplicate", "swap", "scalar", "indent", "dedent"]))
        line = lines[index]
        if operation == "drop":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, line)
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif operation == "scalar" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(SCALARS)}"
        elif operation == "indent":
            lines[index] = "  " + line
        else:
            lines[index] = line.removeprefix("  ")
        if not lines:
            lines = [""]
    return lines


@settings(
    max_examples=int(os.environ.get("MDL_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=not os.environ.get("MDL_FUZZ_RANDOM"),
)
@given(mutants(), st.sampled_from(COMMANDS))
def test_mutated_course_works_or_fails_clearly(lines: list[str], command: list[str]) -> None:
    """Whatever the mutation, each command exits 0, 1 or 2; on failure one `error:` line; never an exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "course.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = CliRunner().invoke(app, [*command, "--course", str(path)], env={"COLUMNS": "100"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code and command != ["validate"]:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
