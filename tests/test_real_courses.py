"""Real courses: exams, room and time changes, cancellations, holidays, homework series; schema 2, declared once."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
import recurring_ical_events
import yaml

from mdlcli import schema

from .conftest import BUNDLED, FIXTURES, ROOT, Run, rows, write_course

REAL = ROOT / "data" / "starter-course.yaml"
CHICAGO = ZoneInfo("America/Chicago")
NOW = "2027-01-27T12:00"  # Wednesday of week 2: L4 (Thursday) is cancelled, the midterm is ahead


@pytest.fixture
def real(tmp_path: Path) -> Path:
    copy = tmp_path / "course.yaml"
    shutil.copy(REAL, copy)
    return copy


def calendar_of(run: Run, course: Path, *args: str) -> icalendar.Calendar:
    result = run("export-ics", "--course", str(course), "-o", "-", "--now", "2027-01-01", *args)
    assert result.exit_code == 0, result.output
    return icalendar.Calendar.from_ical(result.stdout_bytes)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


# -- mdl init and the real course -------------------------------------------------------------


def test_init_writes_a_starter_that_validates_without_warnings(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mdl init` writes the newest schema, commented, showing every feature; it validates clean."""
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "course.yaml").read_text(encoding="utf-8")
    assert written == REAL.read_text(encoding="utf-8")
    assert "schema: 2" in written and written.count("#") >= 15
    for feature in ("kind: exam", "cancelled: true", "kind: break", "every: week", "location: Exam Hall 1"):
        assert feature in written
    checked = run("validate", "course.yaml")
    assert checked.exit_code == 0
    assert checked.stdout == "course.yaml: valid (0 errors, 0 warnings)\n"
    assert run("validate", "--strict", "course.yaml").exit_code == 0


def test_init_never_overwrites_without_force(run: Run, tmp_path: Path) -> None:
    """An existing file (the user's course, say) is kept, exit 1; --force replaces it."""
    mine = write_course(tmp_path, "my own notes\n", "mine.yaml")
    refused = run("init", str(mine))
    assert refused.exit_code == 1
    assert refused.stderr == f"error: {mine}: exists; --force replaces it\n"
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert run("init", str(mine), "--force").exit_code == 0
    assert mine.read_text(encoding="utf-8").startswith("# yaml-language-server:")
    missing = run("init", str(tmp_path / "no" / "such" / "folder.yaml"))
    assert missing.exit_code == 1 and missing.stderr.startswith("error: ")


# -- exams --------------------------------------------------------------------------------------


def test_exams_are_found_by_kind_with_their_own_room_and_time(run: Run, real: Path) -> None:
    """`schedule --kind exam`: the midterm only, 18:00–20:00 in its own room, not the lecture's."""
    (row,) = rows(run("schedule", "--course", str(real), "--kind", "exam", "--now", NOW).stdout)
    assert row[:6] == ["4", "Tue 2027-02-09", "18:00–20:00 CST", "exam", "Midterm", "Written exam on weeks 1 to 3"]
    assert "Exam Hall 1" in row
    (data,) = json.loads(run("schedule", "--course", str(real), "--kind", "exam", "--json").stdout)
    assert (data["start"], data["end"], data["location"]) == (
        "2027-02-09T18:00:00-06:00",
        "2027-02-09T20:00:00-06:00",
        "Exam Hall 1",
    )
    assert data["week"] == 4  # derived from the date: the file gives no week


def test_next_shows_the_next_exam(run: Run, real: Path) -> None:
    """Besides the next class, `next` names the next exam, with its room and countdown."""
    items = json.loads(run("next", "--course", str(real), "--now", NOW, "--json").stdout)["items"]
    exam = next(i for i in items if i["what"] == "exam")
    assert exam["title"] == "Midterm Written exam on weeks 1 to 3"
    assert exam["location"] == "Exam Hall 1"
    assert exam["start"] == "2027-02-09T18:00:00-06:00"
    assert exam["seconds_left"] == int((dt.datetime(2027, 2, 9, 18) - dt.datetime(2027, 1, 27, 12)).total_seconds())


def test_deadlines_list_exams_beside_deadlines(run: Run, real: Path) -> None:
    """Same countdowns, a kind column: `exam` or `deadline`, in the pipe and in JSON."""
    out = rows(run("deadlines", "--course", str(real), "--now", NOW).stdout)
    ids = [r[0] for r in out]
    assert ids == ["hw-1", "hw-2", "hw-3", "midterm", "hw-4", "project", "project-proposal"]
    midterm = out[ids.index("midterm")]
    assert midterm[2] == "Tue 2027-02-09 18:00 CST" and midterm[3] == "13 days 6 h left"
    assert midterm[-1] == "exam" and out[0][-1] == "deadline"
    data = json.loads(run("deadlines", "--course", str(real), "--now", NOW, "--json").stdout)
    assert {d["id"]: d["kind"] for d in data}["midterm"] == "exam"
    terminal = run("deadlines", "--course", str(real), "--now", NOW, env={"FORCE_COLOR": "1", "COLUMNS": "160"})
    assert "kind" in terminal.stdout and "exam" in terminal.stdout


def test_the_calendar_gives_exams_their_room_time_and_reminders(run: Run, real: Path) -> None:
    """An exam is an event at its own time and room, with the deadlines' alarms; --include exams alone works."""
    midterm = events(calendar_of(run, real))["session-midterm"]
    assert midterm["DTSTART"].dt == dt.datetime(2027, 2, 9, 18, tzinfo=CHICAGO)
    assert midterm["DTEND"].dt == dt.datetime(2027, 2, 9, 20, tzinfo=CHICAGO)
    assert str(midterm["LOCATION"]) == "Exam Hall 1"
    assert sorted(a["TRIGGER"].dt for a in midterm.walk("VALARM")) == [-dt.timedelta(weeks=1), -dt.timedelta(days=1)]
    only = events(calendar_of(run, real, "--include", "exams", "--alarm", "2d"))
    assert list(only) == ["session-midterm"]
    assert [a["TRIGGER"].dt for a in only["session-midterm"].walk("VALARM")] == [-dt.timedelta(days=2)]
    assert set(events(calendar_of(run, real, "--include", "exam"))) == {"session-midterm"}  # singular too


# -- cancellation -------------------------------------------------------------------------------


def test_a_cancelled_class_is_shown_not_hidden_and_never_next(run: Run, real: Path) -> None:
    """L4 stays in the schedule, marked with its note; `next` lists it as cancelled and points to L5."""
    out = rows(run("schedule", "--course", str(real), "--now", NOW).stdout)
    l4 = next(r for r in out if r[4] == "L4")
    assert l4[-1] == "cancelled" and "The instructor is away; the material moves to L5." in l4
    assert next(r for r in out if r[-1] == "next")[4] == "L5"
    (data,) = [s for s in json.loads(run("schedule", "--course", str(real), "--json").stdout) if s["id"] == "l4"]
    assert data["cancelled"] is True and data["note"].startswith("The instructor is away")
    items = json.loads(run("next", "--course", str(real), "--now", NOW, "--json").stdout)["items"]
    lectures = [i for i in items if i["what"] == "lecture"]
    assert [(i["title"], i["cancelled"]) for i in lectures] == [
        ("L4 Regularisation", True),
        ("L5 Regularisation and kernels", False),
    ]
    shown = run("next", "--course", str(real), "--now", NOW).stdout
    assert "cancelled: The instructor is away" in shown


def test_a_cancelled_class_is_exported_cancelled_and_updates_an_earlier_import(
    run: Run, real: Path, tmp_path: Path
) -> None:
    """STATUS:CANCELLED on the same UID with the next SEQUENCE: the calendar updates the class, no ghost."""
    target = tmp_path / "course.ics"
    uncancelled = real.read_text(encoding="utf-8").replace("    cancelled: true ", "    # cancelled: true ")
    real.write_text(uncancelled, encoding="utf-8")
    assert run("export-ics", "--course", str(real), "-o", str(target)).exit_code == 0
    before = events(icalendar.Calendar.from_ical(target.read_bytes()))["session-l4"]
    assert "STATUS" not in before
    real.write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("export-ics", "--course", str(real), "-o", str(target)).exit_code == 0
    after = events(icalendar.Calendar.from_ical(target.read_bytes()))["session-l4"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert "Cancelled." in str(after["DESCRIPTION"])


# -- holidays and breaks ------------------------------------------------------------------------


def test_a_one_day_holiday_removes_only_that_days_meetings(run: Run, real: Path) -> None:
    """Thursday 2/11: no tutoring that Thursday, Friday's lab still on; the all-day event is that one day."""
    calendar = calendar_of(run, real)
    week = recurring_ical_events.of(calendar).between(dt.date(2027, 2, 8), dt.date(2027, 2, 15))
    seen = sorted(
        (
            str(e["SUMMARY"]),
            e["DTSTART"].dt.date().isoformat()
            if isinstance(e["DTSTART"].dt, dt.datetime)
            else e["DTSTART"].dt.isoformat(),
        )
        for e in week
    )
    assert ("Lab", "2027-02-12") in seen
    assert ("Office Hours", "2027-02-10") in seen
    assert not any(summary.startswith("Tutoring") and day == "2027-02-11" for summary, day in seen)
    assert ("University holiday", "2027-02-11") in seen
    holiday = events(calendar)["session-holiday"]
    assert (holiday["DTSTART"].dt, holiday["DTEND"].dt) == (dt.date(2027, 2, 11), dt.date(2027, 2, 12))
    tutoring = [
        e
        for e in recurring_ical_events.of(calendar).between(dt.date(2027, 1, 18), dt.date(2027, 2, 22))
        if str(e["SUMMARY"]).startswith("Tutoring")
    ]
    assert len(tutoring) == 4  # five Thursdays less the holiday
    items = json.loads(run("next", "--course", str(real), "--now", "2027-02-10T20:00", "--json").stdout)["items"]
    starts = {i["what"]: i["start"][:10] for i in items}
    assert starts["tutoring"] == "2027-02-18" and starts["lab"] == "2027-02-12"


def test_a_break_over_several_days_spans_exactly_them(run: Run, tmp_path: Path) -> None:
    """date … until: the all-day event covers those days; the schedule shows the range."""
    text = REAL.read_text(encoding="utf-8").replace(
        "    date: 2027-02-11              # one day", "    until: 2027-02-12\n    date: 2027-02-11              # days"
    )
    path = write_course(tmp_path, text)
    assert run("validate", str(path)).exit_code == 0
    holiday = events(calendar_of(run, path))["session-holiday"]
    assert (holiday["DTSTART"].dt, holiday["DTEND"].dt) == (dt.date(2027, 2, 11), dt.date(2027, 2, 13))
    (row,) = [r for r in rows(run("schedule", "--course", str(path)).stdout) if r[3] == "break"]
    assert row[2] == "Thu 2027-02-11 – Fri 2027-02-12"
    lab = [
        i
        for i in json.loads(run("next", "--course", str(path), "--now", "2027-02-10T20:00", "--json").stdout)["items"]
        if i["what"] == "lab"
    ]
    assert lab[0]["start"][:10] == "2027-02-19"


def test_schema_1_keeps_whole_week_breaks_and_schema_2_gets_exact_days(run: Run, tmp_path: Path) -> None:
    """The same break on a Monday: schema 1 removes the week's Wednesday tutoring, schema 2 only Monday."""
    text = (FIXTURES / "rich.yaml").read_text(encoding="utf-8")
    one = write_course(tmp_path, text, "one.yaml")
    two = write_course(tmp_path, text.replace("schema: 1", "schema: 2"), "two.yaml")
    for path, expected in ((one, "2024-10-23"), (two, "2024-10-16")):
        items = json.loads(run("next", "--course", str(path), "--now", "2024-10-14T13:00", "--json").stdout)["items"]
        assert {i["what"]: i["start"][:10] for i in items}["tutoring"] == expected, path
    one_break = events(calendar_of(run, one))["session-reading-week"]
    two_break = events(calendar_of(run, two))["session-reading-week"]
    assert (one_break["DTSTART"].dt, one_break["DTEND"].dt) == (dt.date(2024, 10, 14), dt.date(2024, 10, 21))
    assert (two_break["DTSTART"].dt, two_break["DTEND"].dt) == (dt.date(2024, 10, 14), dt.date(2024, 10, 15))


def test_a_schema_1_break_with_until_covers_whole_weeks(run: Run, tmp_path: Path) -> None:
    """until in schema 1: from the Monday of date's week to the Sunday of until's."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    path = write_course(tmp_path, text.replace("    kind: break\n", "    kind: break\n    until: 2024-03-19\n"))
    brk = events(calendar_of(run, path))["session-pause"]
    assert (brk["DTSTART"].dt, brk["DTEND"].dt) == (dt.date(2024, 3, 11), dt.date(2024, 3, 25))


def test_a_break_is_not_checked_against_a_meetings_weekday(run: Run, tmp_path: Path) -> None:
    """A Thursday holiday in a course that lectures on Mondays raises no weekday warning."""
    path = write_course(
        tmp_path, (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("2024-03-11", "2024-03-14")
    )
    assert run("validate", str(path)).stdout.endswith("valid (0 errors, 0 warnings)\n")


# -- homework series ------------------------------------------------------------------------------


def test_a_homework_series_is_a_deadline_each_week_everywhere(run: Run, real: Path) -> None:
    """every: week, until → hw-1 … hw-4, "Homework 1" …, a week apart, in views and the calendar; count too."""
    data = json.loads(run("deadlines", "--course", str(real), "--json").stdout)
    series = [(d["id"], d["title"], d["due"]) for d in data if d["id"].startswith("hw-")]
    assert series == [
        ("hw-1", "Homework 1", "2027-01-22T17:00:00-06:00"),
        ("hw-2", "Homework 2", "2027-01-29T17:00:00-06:00"),
        ("hw-3", "Homework 3", "2027-02-05T17:00:00-06:00"),
        ("hw-4", "Homework 4", "2027-02-12T17:00:00-06:00"),
    ]
    assert {f"deadline-hw-{n}" for n in range(1, 5)} <= set(events(calendar_of(run, real)))
    hits = json.loads(run("search", "Homework 3", "--course", str(real), "--json").stdout)
    assert [h["where"] for h in hits] == ["hw-3"]
    starter = real.read_text(encoding="utf-8")
    upto = starter.replace("    until: 2027-02-12 ", "    until: 2027-02-06 ")
    counted = starter.replace("    until: 2027-02-12 ", "    count: 3 ")
    assert starter not in (upto, counted)
    for changed in (upto, counted):
        real.write_text(changed, encoding="utf-8")
        homework = json.loads(run("deadlines", "--course", str(real), "--json").stdout)
        assert [d["id"] for d in homework if d["id"].startswith("hw")] == ["hw-1", "hw-2", "hw-3"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("    every: week\n", "    every: week\n    count: 4\n"),
            "deadlines[0].every: a series needs either count or until, not both",
        ),
        (("    every: week\n", ""), "deadlines[0].every: is required with count or until"),
        (("    until: 2027-02-12 ", "    count: 0 "), "deadlines[0].count: 0 is not between 1 and 1000"),
        (("    every: week\n", "    every: month\n"), "deadlines[0].every: 'month' is not one of: week"),
    ],
    ids=["count-and-until", "no-every", "count-zero", "every-month"],
)
def test_a_malformed_series_is_a_located_error(run: Run, real: Path, change: tuple[str, str], message: str) -> None:
    real.write_text(real.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    checked = run("validate", str(real))
    assert checked.exit_code == 1
    assert message in checked.stdout


# -- checks in the author's language -------------------------------------------------------------


def test_week_may_be_left_out_and_must_agree_when_given(run: Run, real: Path) -> None:
    """The date determines the week; a wrong one is still an error."""
    real.write_text(
        real.read_text(encoding="utf-8").replace("  - id: l3\n", "  - id: l3\n    week: 3\n"), encoding="utf-8"
    )
    assert "sessions[2].week: is 3, but 2027-01-26 is in week 2 of the term" in run("validate", str(real)).stdout


def test_a_deadline_after_the_term_is_a_warning(run: Run, real: Path) -> None:
    real.write_text(real.read_text(encoding="utf-8").replace("due: 2027-02-19", "due: 2027-03-01"), encoding="utf-8")
    checked = run("validate", str(real))
    assert checked.exit_code == 0
    assert "deadlines[1].due: is due after the end of term (2027-02-21)" in checked.stdout


def test_a_room_or_time_on_a_break_says_where_they_live(run: Run, real: Path) -> None:
    text = real.read_text(encoding="utf-8").replace(
        "    title: University holiday\n", "    title: University holiday\n    location: Hall A\n"
    )
    real.write_text(text, encoding="utf-8")
    checked = run("validate", str(real))
    assert checked.exit_code == 1
    assert (
        "a break has no location; rooms and times belong to meetings and to the sessions held in them" in checked.stdout
    )


def test_a_missing_default_meeting_is_one_error_naming_the_meetings(run: Run, tmp_path: Path) -> None:
    """Schema 1, no meeting called `lecture`: one error for all the sessions, listing what exists."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("  - id: lecture\n", "  - id: seminar\n")
    text = text.replace(
        "meetings:\n", 'meetings:\n  - id: lab\n    weekday: friday\n    start: "10:00"\n    end: "11:00"\n'
    )
    checked = run("validate", str(write_course(tmp_path, text)))
    assert checked.exit_code == 1
    assert checked.stdout.count("error:") == 1
    assert "the meetings are: 'lab', 'seminar'" in checked.stdout
    assert "use schema: 2, where the first listed, 'lab', is the default" in checked.stdout
    assert run("validate", str(write_course(tmp_path, text.replace("schema: 1", "schema: 2")))).exit_code == 0


def test_a_session_with_its_own_times_needs_no_meeting(run: Run, tmp_path: Path) -> None:
    """A course of one-off sessions: each gives start and end; one that gives neither is told what it lacks."""
    text = """\
schema: 2
course: {id: workshop, title: Workshop, timezone: UTC, term_start: 2027-05-03, term_end: 2027-05-09}
sessions:
  - {id: a, date: 2027-05-03, title: Morning, start: "09:00", end: "12:00", location: Room 1}
"""
    path = write_course(tmp_path, text)
    assert run("validate", str(path)).exit_code == 0
    assert rows(run("schedule", "--course", str(path)).stdout)[0][2] == "09:00–12:00 UTC"
    broken = write_course(tmp_path, text + '  - {id: b, date: 2027-05-04, title: Afternoon, end: "17:00"}\n', "b.yaml")
    assert (
        "sessions[1].start: is required: the session has no meeting to take its time from"
        in run("validate", str(broken)).stdout
    )


# -- the schema, declared once ----------------------------------------------------------------------


class _Yaml12Loader(yaml.SafeLoader):
    """How an editor's YAML 1.2 reads a file: no timestamps, no sexagesimal numbers, `no` is text."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp",)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_an_editor_reads(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader


def test_mdl_schema_prints_a_valid_draft_2020_12_schema(run: Run) -> None:
    printed = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed == schema.json_schema()
    assert set(printed["required"]) == {"schema", "course"}


@pytest.mark.parametrize(
    "course", [BUNDLED, REAL, FIXTURES / "rich.yaml", FIXTURES / "minimal.yaml"], ids=lambda p: p.stem
)
def test_valid_courses_pass_the_json_schema(course: Path) -> None:
    jsonschema.Draft202012Validator(schema.json_schema()).validate(as_an_editor_reads(course))


STRUCTURALLY_BROKEN = [
    "unknown-key", "missing-required", "wrong-type", "wrong-types-everywhere", "bad-time", "list-at-top",
    "bare-scalar", "not-a-url", "null-weekday", "list-for-required-title", "mapping-for-required-id",
    "clock-with-dot", "clock-basic-format", "schema-version", "bool-for-text",
]  # fmt: skip


@pytest.mark.parametrize("name", STRUCTURALLY_BROKEN)
def test_structurally_broken_hostile_files_fail_the_json_schema(name: str) -> None:
    document = as_an_editor_reads(ROOT / "tests" / "hostile" / f"{name}.yaml")
    assert not jsonschema.Draft202012Validator(schema.json_schema()).is_valid(document)


def test_the_course_file_reference_table_is_the_schema(run: Run) -> None:
    """docs/course-file.md's table is generated from the declaration; `mdl schema --markdown` prints the same."""
    readme = (ROOT / "docs" / "course-file.md").read_text(encoding="utf-8")
    table = readme.split("<!-- schema:begin -->\n")[1].split("<!-- schema:end -->")[0]
    assert table == schema.markdown_table() == run("schema", "--markdown").stdout
    for shape_key in ("sessions[].cancelled", "sessions[].until", "deadlines[].every", "sessions[].location"):
        assert f"`{shape_key}`" in table


def test_every_key_the_loader_reads_is_declared(tmp_path: Path, run: Run) -> None:
    """An undeclared key is refused with a did-you-mean from the declaration itself."""
    path = write_course(tmp_path, REAL.read_text(encoding="utf-8").replace("    cancelled: true", "    canceled: true"))
    assert (
        "sessions[3].canceled: unknown key 'canceled'; did you mean 'cancelled'?" in run("validate", str(path)).stdout
    )


# -- backward compatibility ---------------------------------------------------------------------


def test_the_bundled_course_as_schema_1_exports_the_same_calendar(run: Run, tmp_path: Path) -> None:
    """Schema 1 with the break dated Wednesday 3/13 (its week) and schema 2 with 3/11 until 3/17: the same bytes."""
    text = BUNDLED.read_text(encoding="utf-8").replace("schema: 2", "schema: 1")
    text = text.replace("    date: 2019-03-11", "    date: 2019-03-13").replace("    until: 2019-03-17\n", "")
    old = write_course(tmp_path, text, "old.yaml")
    new = write_course(tmp_path, BUNDLED.read_text(encoding="utf-8"), "new.yaml")
    for path in (old, new):
        os.utime(path, (1546430400, 1546430400))
    made = [
        run("export-ics", "--course", str(p), "-o", "-", "--now", "2019-01-01T00:00Z").stdout_bytes for p in (old, new)
    ]
    assert made[0] == made[1]
    assert made[1] == (ROOT / "tests" / "golden" / "mathsdl-spring19.ics").read_bytes()
    assert run("validate", str(old)).exit_code == 0
