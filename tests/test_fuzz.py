"""One verdict: `mdl validate` accepts a mutant of a course exactly when every read-only command works on it.

Mutants of the bundled course, of a richer schema-1 one (tests/fixtures/rich.yaml) and of the real
schema-2 course `mdl init` writes (data/starter-course.yaml: an exam, a cancelled class, a holiday,
a homework series). When validate exits 0, every read-only command exits 0, `refs ID` for every id
the course has included; when it exits 1, each of them exits 1 with the same first error, on one
line. Runs MDL_FUZZ_EXAMPLES examples per
course (300 by default, as in CI); for a longer hunt:
    MDL_FUZZ_EXAMPLES=20000 MDL_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from mdlcli.cli import app

from .conftest import BUNDLED, FIXTURES, ROOT

pytestmark = pytest.mark.slow  # thousands of generated courses through every read-only command

COURSES = {"bundled": BUNDLED, "rich": FIXTURES / "rich.yaml", "real": ROOT / "data" / "starter-course.yaml"}
READ_ONLY = (
    ["info"],
    ["syllabus"],
    ["curriculum"],
    ["schedule", "--now", "2019-02-25"],
    ["next", "--now", "2019-03-10T02:30"],
    ["refs"],
    ["search", "graph"],
    ["deadlines", "--now", "2019-04-30"],
    ["agenda", "--from", "2019-02-25", "--days", "7"],
    ["export-ics", "-o", "-"],
    ["export-md"],
    ["export-html", "--now", "2019-02-25"],
)
# Values that have broken a reader before, or could: YAML 1.1 guesses, the empty forms of a
# required key, clock and calendar extremes, a folder of the zone database.
SCALARS = st.sampled_from(
    [
        "", "~", '""', "[]", "{}", "no", "yes", "19:10", "19.10", "1910Z", '"02:30"', "2019-02-30",
        "0001-01-01", "9999-12-31", "2199-12-31", "1900-01-01", "-1", "0", "0x1F", "¹", "[", "{",
        "*x", "&x", "!!str", "'", '"', "é", "\t", "1e400", "Europe", "America/Argentina", "sunday",
        "lecture", "break", "guest-lecture", "lec5", "https://x.example", "\x1b[31m",
    ]
)  # fmt: skip


@st.composite
def mutants(draw: st.DrawFn, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "duplicate", "swap", "scalar", "scalar", "indent", "dedent"]))
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


def invoke(args: list[str], cache: str) -> Result:
    return CliRunner().invoke(app, args, env={"COLUMNS": "100", "XDG_CACHE_HOME": cache}, prog_name="mdl")


def ids_of(course: Path, cache: str) -> list[str]:
    """Every id `mdl refs ID` accepts: labels, weeks, session ids and reading-list ids (from the JSON views)."""
    sessions = json.loads(invoke(["schedule", "--json", "--course", str(course)], cache).stdout)
    lists = json.loads(invoke(["refs", "--json", "--course", str(course)], cache).stdout)
    found = {s["label"] for s in sessions if s["label"]} | {f"week{s['week']}" for s in sessions}
    found |= {s["id"] for s in sessions} | {r["list"] for r in lists}
    return sorted(found)


def check_one_verdict(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "course.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cache = str(Path(folder) / "cache")
        checked = invoke(["validate", str(path)], cache)
        assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(checked.exception)
        assert checked.exit_code in (0, 1), checked.output
        commands = [[*c, "--course", str(path)] for c in READ_ONLY]
        if checked.exit_code == 0:
            # After `--`, as a shell user passes an id that starts with a dash (a label "-1").
            commands += [["refs", "--course", str(path), "--", ident] for ident in ids_of(path, cache)]
            for command in commands:
                result = invoke(command, cache)
                assert result.exit_code == 0, (command, result.output, repr(result.exception))
            return
        first = next(line for line in checked.stdout.splitlines() if line.startswith("error: "))
        for command in commands:
            result = invoke(command, cache)
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert result.exit_code == 1, (command, result.output)
            assert result.stderr.count("\n") == 1, result.stderr
            assert result.stderr.startswith(first), (command, first, result.stderr)


@pytest.mark.parametrize("name", sorted(COURSES))
def test_validate_accepts_exactly_what_every_command_can_show(name: str) -> None:
    """validate exits 0 if and only if every read-only command succeeds; otherwise all fail with its first error."""
    lines = COURSES[name].read_text(encoding="utf-8").splitlines()

    @settings(
        max_examples=int(os.environ.get("MDL_FUZZ_EXAMPLES", "300")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=not os.environ.get("MDL_FUZZ_RANDOM"),
        database=None,
    )
    @given(mutants(lines))
    def property_holds(mutant: list[str]) -> None:
        check_one_verdict(mutant)

    property_holds()


def test_the_unmutated_courses_are_valid_and_fully_served() -> None:
    """The property's base cases: both courses validate and every command and id works on them."""
    for path in COURSES.values():
        check_one_verdict(path.read_text(encoding="utf-8").splitlines())
