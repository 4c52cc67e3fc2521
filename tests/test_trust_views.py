"""Trust, round 3: what was left from earlier rounds, and what a terminal or a window can do to a view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import BUNDLED, FIXTURES, Run, one_clear_error, write_course

TINY = """\
schema: 2
course:
  id: tiny
  title: Tiny
  timezone: Europe/Paris
  term_start: 2024-03-04
  term_end: 2024-03-24
"""
TWO_MEETINGS = (
    TINY
    + """\
meetings:
  - id: lecture
    weekday: monday
    start: "10:00"
    end: "12:00"
  - id: lab
    weekday: wednesday
    start: "14:00"
    end: "16:00"
sessions:
  - id: s1
    date: 2024-03-04
    title: One
  - id: s2
    date: 2024-03-11
    title: Two
  - id: s3
    date: 2024-03-18
    title: Three
"""
)


# -- 13. a course with nothing in it --------------------------------------------------------------


@pytest.mark.parametrize("expand", [[], ["--expand"]], ids=["plain", "expand"])
def test_a_course_with_no_meetings_and_no_sessions_exports(run: Run, tmp_path: Path, expand: list[str]) -> None:
    course = write_course(tmp_path, TINY)
    assert run("validate", str(course)).exit_code == 0
    result = run("export-ics", "--course", str(course), *expand, "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" not in result.stdout


# -- 15. an id too long for int() -----------------------------------------------------------------


def test_a_week_of_5000_digits_is_a_usage_error(run: Run) -> None:
    error = one_clear_error(run("refs", "w" + "1" * 5000), 2)
    assert "no lecture, week or reading list" in error and len(error) < 400


# -- 16. sessions that name no meeting, among several ---------------------------------------------


def test_several_meetings_and_no_session_naming_one_is_one_warning(run: Run, tmp_path: Path) -> None:
    course = write_course(tmp_path, TWO_MEETINGS)
    checked = run("validate", str(course))
    assert checked.exit_code == 0
    warnings = [line for line in checked.stdout.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, checked.stdout
    assert f"{course}:" in warnings[0] and "'lecture', 'lab'" in warnings[0]
    assert "take 'lecture', the default (the first listed)" in warnings[0]
    # One session that names its meeting says the author knows the rule: no warning.
    named = TWO_MEETINGS.replace("    title: Two\n", "    title: Two\n    meeting: lecture\n")
    assert run("validate", str(write_course(tmp_path, named))).stdout.endswith("(0 errors, 0 warnings)\n")


def test_sessions_that_name_their_meetings_need_no_default_warning(run: Run) -> None:
    checked = run("validate", str(FIXTURES / "rich.yaml"))
    assert checked.exit_code == 0 and "is given by no session" not in checked.stdout


def test_the_starter_shows_a_break_and_a_series_with_until(run: Run, tmp_path: Path) -> None:
    starter = tmp_path / "course.yaml"
    assert run("init", str(starter)).exit_code == 0
    text = starter.read_text(encoding="utf-8")
    assert "kind: break" in text and "every: week" in text and "until: 2027-02-12" in text
    assert run("validate", str(starter)).stdout.endswith("valid (0 errors, 0 warnings)\n")


# -- 17. counted right -----------------------------------------------------------------------------


def test_courses_says_1_warning(run: Run, tmp_path: Path) -> None:
    one = TWO_MEETINGS.replace("id: tiny", "id: one")
    assert run("add", str(write_course(tmp_path, one))).exit_code == 0
    listed = run("courses")
    assert "1 warning" in listed.stdout and "1 warnings" not in listed.stdout
    assert json.loads(run("courses", "--json").stdout)["courses"][0]["warnings"] == 1


# -- 18. a width too small to draw ---------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "1", "2"])
@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["next", "--now", "2019-02-25"], "Graph Neural Network Applications"),
        (["schedule", "--now", "2019-02-25"], "Graph Neural Network Applications"),
        (["deadlines", "--now", "2019-02-25"], "Final project"),
        (["refs", "lec5"], "Neural Message Passing"),
    ],
    ids=["next", "schedule", "deadlines", "refs"],
)
def test_a_width_too_small_falls_back_and_drops_nothing(run: Run, columns: str, command: list[str], shown: str) -> None:
    """The fallback is the conventional 80 columns: everything a view has, in the layout for 80."""
    usual = run(*command, "--color", "always", env={"COLUMNS": "80"})
    narrow = run(*command, "--color", "always", env={"COLUMNS": columns})
    assert narrow.exit_code == 0 and usual.exit_code == 0
    assert shown in narrow.stdout
    assert without_link_ids(narrow.stdout) == without_link_ids(usual.stdout)


def without_link_ids(text: str) -> str:
    """Rich numbers each hyperlink it draws afresh: the same view differs only in those numbers."""
    import re

    return re.sub(r"\x1b\]8;id=\d+;", "\x1b]8;;", text)


# -- 19. windows outside the years mdl handles ----------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--from", "9999-12-31"], "--from"),
        (["--from", "0001-01-01"], "--from"),
        (["--to", "9999-01-01"], "--to"),
        (["--from", "2199-12-30"], "--from"),
        (["--from", "2199-12-20", "--days", "30"], "--days"),
        (["--from", "+9999w"], "--from"),
    ],
)
def test_a_window_past_the_supported_years_is_a_usage_error(run: Run, options: list[str], named: str) -> None:
    error = one_clear_error(run("agenda", *options), 2)
    assert error.startswith(f"error: {named}: ") and "1900 to 2199" in error


def test_the_last_supported_days_still_show(run: Run) -> None:
    result = run("agenda", "--from", "2199-12-25", "--course", str(BUNDLED))
    assert result.exit_code == 0 and "Nothing from" in result.stdout
