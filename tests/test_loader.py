"""The loader through the CLI: located errors, YAML 1.1 traps, environment, warnings of the bundled course.

Every kind of broken file has its own case in tests/hostile/ (run by test_hostile.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import BUNDLED, FIXTURES, Run, write_course

HOSTILE = Path(__file__).resolve().parent / "hostile"


def test_the_first_error_is_one_line_on_stderr_for_other_commands(run: Run) -> None:
    """A broken course makes any view fail with one `error:` line naming file:line:column."""
    path = HOSTILE / "invalid-date.yaml"
    result = run("schedule", "--course", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == f"error: {path}:18:11: sessions[0].date: 2024-02-30 is not a valid date (expected YYYY-MM-DD)\n"
    )


def test_several_errors_are_counted_and_validate_lists_them_all(run: Run, tmp_path: Path) -> None:
    """The first error is shown with a count of the rest; validate lists every one."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    path = write_course(tmp_path, text.replace("week: 1", "week: one").replace('start: "10:00"', 'start: "10h"'))
    shown = run("info", "--course", str(path))
    assert shown.exit_code == 1
    # The broken meeting's own error, and once (not for every session) that sessions name it.
    assert "(and 2 more errors; see `mdl validate`)" in shown.stderr
    listed = run("validate", str(path))
    assert listed.output.count("error:") == 3
    assert "sessions[2].meeting: the meeting 'lecture' has errors of its own (see above)" in listed.output
    assert "invalid (3 errors, 0 warnings)" in listed.output


def test_python_tag_payload_does_not_run(run: Run, tmp_path: Path) -> None:
    """A tag that would call a function when constructed is refused; the function never runs."""
    marker = tmp_path / "ran"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    payload = f"!!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]"
    path = write_course(tmp_path, text.replace("title: Demo Course", f"title: {payload}"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "is not allowed in course files" in result.output
    assert not marker.exists()


@pytest.mark.parametrize(
    ("yaml_text", "shown"),
    [
        ("title: no", "\tno\t"),  # YAML 1.1 would make this False
        ("title: 3033", "\t3033\t"),  # and this an integer
        ("title: 19:10", "\t19:10\t"),  # and this 1150 (base 60)
    ],
)
def test_yaml_11_guesses_are_read_as_written(run: Run, tmp_path: Path, yaml_text: str, shown: str) -> None:
    """Scalars are read from the text the author wrote, never from YAML 1.1's guesses."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    path = write_course(tmp_path, text.replace("title: Conclusion", yaml_text))
    result = run("schedule", "--course", str(path), "--week", "3")
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00s\x00c", "is UTF-16 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text"),
        (b"just words\n", "expected a mapping"),
    ],
)
def test_files_that_are_not_course_yaml(run: Run, tmp_path: Path, content: bytes, message: str) -> None:
    """Empty, UTF-16, binary and scalar files end in one clear error, exit 1."""
    path = tmp_path / "course.yaml"
    path.write_bytes(content)
    result = run("info", "--course", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_missing_course_file_and_directory(run: Run, tmp_path: Path) -> None:
    """A missing file or a directory is a data error (exit 1), not a traceback."""
    missing = run("info", "--course", str(tmp_path / "nope.yaml"))
    assert (missing.exit_code, missing.stderr) == (1, f"error: {tmp_path / 'nope.yaml'}: no such course file\n")
    folder = run("info", "--course", str(tmp_path))
    assert folder.exit_code == 1
    assert "is a directory" in folder.stderr


def test_mdl_course_variable_is_used_and_named_when_broken(run: Run, tmp_path: Path) -> None:
    """$MDL_COURSE picks the course; a broken one is named in the error."""
    minimal = FIXTURES / "minimal.yaml"
    used = run("info", env={"MDL_COURSE": str(minimal)})
    assert "Demo Course" in used.stdout
    broken = run("info", env={"MDL_COURSE": str(tmp_path / "gone.yaml")})
    assert broken.exit_code == 1
    assert broken.stderr.startswith("error: $MDL_COURSE: ")


def test_bundled_course_warnings(run: Run) -> None:
    """The page's Wednesday dates (of the 14 lectures; a break is not checked) and the break's reading list warn: exit 0."""
    result = run("validate")
    assert result.exit_code == 0
    weekday = [
        line for line in result.output.splitlines() if "is a Wednesday, but the lecture meets on Mondays" in line
    ]
    assert len(weekday) == 14
    assert "sessions[7].refs: a break links reading list 'lec8'; a break has no readings" in result.output
    assert result.output.rstrip().endswith("valid (0 errors, 15 warnings)")
    assert all(line.startswith(f"warning: {BUNDLED}:") for line in weekday)


def test_strict_fails_on_warnings(run: Run) -> None:
    """--strict makes warnings fatal, for CI of a course repository."""
    assert run("validate", "--strict").exit_code == 1
    assert run("validate", "--strict", str(FIXTURES / "minimal.yaml")).exit_code == 0


def test_validate_json(run: Run) -> None:
    """--json reports the same findings as data."""
    import json

    data = json.loads(run("validate", "--json").stdout)
    assert data["valid"] is True
    assert data["errors"] == []
    assert len(data["warnings"]) == 15
    assert data["warnings"][0]["field"] == "sessions[0].date"


def _sections(text: str) -> dict[str, str]:
    """A course file cut into its top-level sections (each with its comment lines above it)."""
    found: dict[str, str] = {}
    current, lines = "", []
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            found[current] = found.get(current, "") + "".join(lines)
            current, lines = line.split(":", 1)[0], []
        lines.append(line)
    found[current] = found.get(current, "") + "".join(lines)
    return found


@pytest.mark.parametrize(
    "order",
    [
        # sections needed by others come last: sessions wait for meetings, curricula for links
        ["", "schema", "course", "sessions", "reading_lists", "curricula", "deadlines", "meetings", "links"],
        # the reverse of the file
        "reversed",
    ],
    ids=["dependencies-last", "reversed"],
)
def test_sections_in_any_order_read_the_same(tmp_path: Path, order: list[str] | str) -> None:
    """The loader reads a file as a stream, a section at a time; their order changes nothing."""
    from mdlcli.parse import parse_course

    text = BUNDLED.read_text(encoding="utf-8")
    sections = _sections(text)
    keys = list(reversed(sections)) if order == "reversed" else [*order, *(k for k in sections if k not in order)]
    shuffled = "".join(sections[k] for k in keys)
    assert sorted(shuffled.splitlines()) == sorted(text.splitlines())
    read, expected = parse_course(shuffled, "x.yaml"), parse_course(text, "x.yaml")
    assert read._replace(warnings=()) == expected._replace(warnings=())
    # The same warnings, at their new lines.
    assert sorted((w.field, w.message) for w in read.warnings) == sorted(
        (w.field, w.message) for w in expected.warnings
    )


def test_a_syntax_error_after_the_sections_read_is_still_the_answer(run: Run, tmp_path: Path) -> None:
    """The last line of the file is read too, though every section came before it."""
    path = write_course(tmp_path, BUNDLED.read_text(encoding="utf-8") + "extra: [unclosed\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"error: {path}:") and "invalid YAML" in result.stdout


def test_an_alias_of_a_list_from_another_section_is_refused(run: Run, tmp_path: Path) -> None:
    """A list read (and let go) in one section, named again by an alias in another, is refused there."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("meetings:\n", "meetings: &shared\n", 1)
    path = write_course(tmp_path, text + "people: *shared\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    # Located where the list is written, as the alias names that very list.
    assert f"{path}:9:11: people: aliases (*name) of lists or mappings are not supported" in result.stdout


_PLAIN_VALUE = re.compile(r"^(\s*(?:- )?[a-z_]+: )(?![\[{|>&*!#]|(?:true|false|null|~)(?:\s|$))(\S.*)$", re.MULTILINE)


def test_values_read_the_same_by_every_path_of_the_reader() -> None:
    """Plain text values are read on a short path, tagged ones (`!!str`) on the long one: same course."""
    from mdlcli.parse import parse_course

    text = BUNDLED.read_text(encoding="utf-8")
    tagged, count = _PLAIN_VALUE.subn(r"\1!!str \2", text)
    assert count > 300  # dates, times, ids, urls, numbers and texts, all through the long path
    read, expected = parse_course(tagged, "x.yaml"), parse_course(text, "x.yaml")
    assert read._replace(warnings=()) == expected._replace(warnings=())
    assert [(w.line, w.field, w.message) for w in read.warnings] == [
        (w.line, w.field, w.message) for w in expected.warnings
    ]


def test_announcements_people_and_office_hours_keys_are_read_and_checked(run: Run, tmp_path: Path) -> None:
    text = """schema: 2
course: {id: c, title: C, timezone: UTC, term_start: 2027-01-04, term_end: 2027-01-31}
people:
  - {id: ada, name: Ada, website: people.example.edu/ada}
meetings:
  - {id: oh, weekday: monday, start: "10:00", end: "11:00", person: adda}
announcements:
  - {title: No date}
  - {date: 2027-01-05, title: Fine, txt: typo}
"""
    result = run("validate", str(write_course(tmp_path, text)))
    assert result.exit_code == 1
    path = tmp_path / "course.yaml"
    assert result.stdout.splitlines()[:4] == [
        f"error: {path}:4:35: people[0].website: 'people.example.edu/ada' is not a web address (http:// or https://)",
        f"error: {path}:8:5: announcements[0].date: is required",
        f"error: {path}:9:37: announcements[1].txt: unknown key 'txt'; did you mean 'text'?",
        f"error: {path}:6:69: meetings[0].person: no person with id 'adda'",
    ]
    fixed = text.replace("people.example.edu", "https://people.example.edu").replace("adda", "ada")
    fixed = fixed.replace("  - {title: No date}\n", "").replace("txt:", "text:")
    assert run("validate", str(write_course(tmp_path, fixed))).exit_code == 0


def test_the_json_schema_and_the_starter_course_have_the_new_keys(run: Run, tmp_path: Path) -> None:
    import json

    shapes = json.loads(run("schema").stdout)["$defs"]
    announcement = shapes["announcement"]
    assert set(announcement["required"]) == {"date", "title"} and "text" in announcement["properties"]
    assert {"pronouns", "website"} <= set(shapes["person"]["properties"])
    assert "person" in shapes["meeting"]["properties"]
    assert run("init", str(tmp_path / "course.yaml")).exit_code == 0
    starter = (tmp_path / "course.yaml").read_text(encoding="utf-8")
    assert all(key in starter for key in ("announcements:", "pronouns:", "website:", "person: lovelace"))
