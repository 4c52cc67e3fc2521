"""Calendars as courses: a university timetable and LMS feeds (Canvas, Moodle, Blackboard) followed
like course files, by path or URL (a real server on 127.0.0.1), read by content, never by name.

The fixtures in tests/fixtures/calendars/ are written to the shapes those systems publish.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import icalendar
import pytest

from .conftest import BUNDLED, FIXTURES, Run, rows
from .servers import Publisher

CALENDARS = FIXTURES / "calendars"
TIMETABLE, CANVAS, MOODLE, BLACKBOARD = (
    CALENDARS / f"{n}.ics" for n in ("timetable", "canvas", "moodle", "blackboard")
)
LONDON = ("--tz", "Europe/London")
CANVAS_TOKEN = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d"  # noqa: S105 - a made-up feed token, to be hidden
CANVAS_FEED = f"/feeds/calendars/user_{CANVAS_TOKEN}.ics"


def schedule(run: Run, course: Path) -> list[dict[str, object]]:
    result = run("schedule", "--course", str(course), "--json", *LONDON)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_a_timetables_recurrences_are_expanded_across_the_change_of_offset(run: Run) -> None:
    """RRULE weekly from BST into GMT at 10:00 local, an EXDATE gone, a RECURRENCE-ID moved, one cancelled."""
    lectures = [s for s in schedule(run, TIMETABLE) if s["title"] == "Machine Learning lecture"]
    assert [(s["start"], s["location"], s["cancelled"]) for s in lectures] == [
        ("2024-10-14T10:00:00+01:00", "Hall A", False),
        ("2024-10-22T14:00:00+01:00", "Hall B", False),  # the 21st's lecture, moved to the 22nd
        ("2024-10-28T10:00:00+00:00", "Hall A", False),  # after the clocks went back: still 10:00
        ("2024-11-11T10:00:00+00:00", "Hall A", True),  # cancelled, and shown so; 4 November is excluded
    ]
    moved = next(s for s in lectures if s["location"] == "Hall B")
    assert str(moved["id"]).endswith("-20241021T1000")  # the occurrence keeps the id of its planned slot


def test_a_timetable_has_labs_exams_a_break_and_reads_floating_times_in_its_zone(run: Run) -> None:
    by_title = {str(s["title"]): s for s in schedule(run, TIMETABLE)}
    assert by_title["Machine Learning lab"]["kind"] == "lab"
    assert by_title["Machine Learning midterm exam"]["kind"] == "exam"
    assert by_title["Careers fair"]["start"] == "2024-10-17T12:00:00+01:00"  # floating: the calendar's zone
    agenda = rows(run("agenda", "--course", str(TIMETABLE), "--from", "2024-10-28", "--days", "5", *LONDON).stdout)
    assert [r[:4] for r in agenda if r[3] == "Reading week"] == [
        [day, "all day", "break", "Reading week"]
        for day in ("2024-10-28", "2024-10-29", "2024-10-30", "2024-10-31", "2024-11-01")
    ]


def test_the_instants_agree_with_an_independent_reading_of_the_calendar(run: Run) -> None:
    """Each single event's start, as icalendar itself reads it, is the start mdl shows."""
    calendar = icalendar.Calendar.from_ical(TIMETABLE.read_bytes())
    singles = {
        str(e["SUMMARY"]): e.decoded("DTSTART")
        for e in calendar.walk("VEVENT")
        if "RRULE" not in e and "RECURRENCE-ID" not in e and hasattr(e.decoded("DTSTART"), "hour")
    }
    shown = {str(s["title"]): s["start"] for s in schedule(run, TIMETABLE)}
    assert singles
    for title, start in singles.items():
        moment = start if start.tzinfo else start.replace(tzinfo=__import__("zoneinfo").ZoneInfo("Europe/London"))
        assert shown[title] == moment.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).isoformat()


def test_canvas_assignments_are_deadlines_and_a_date_only_one_is_due_that_day(run: Run) -> None:
    """Canvas: event-assignment UIDs, the doubled VALUE=DATE, HTML in DESCRIPTION, SEQUENCE 0."""
    result = run("deadlines", "--course", str(CANVAS), "--now", "2024-10-20T12:00", "--json", *LONDON)
    assert result.exit_code == 0, result.output
    due = {d["id"]: d for d in json.loads(result.stdout)}
    assert due["event-assignment-1001"]["due"] == "2024-10-25T23:59:00+01:00"
    assert due["event-assignment-1001"]["note"] == "Submit the notebook & a report.\nLate: 10%."
    assert due["event-assignment-1001"]["submission"] == "https://canvas.example.edu/courses/11/assignments/1001"
    assert (due["event-assignment-1002"]["due"], due["event-assignment-1002"]["day_only"]) == ("2024-11-01", True)
    shown = run("deadlines", "--course", str(CANVAS), "--now", "2024-10-20T12:00", *LONDON).stdout
    line = next(line for line in shown.splitlines() if "Reading response" in line)
    assert "Fri 2024-11-01\t" in line and "23:59" not in line  # a date, never an invented time
    sessions = schedule(run, CANVAS)
    assert [(s["title"], s["kind"]) for s in sessions] == [
        ("Office hours [ML101]", "lecture"),
        ("No classes: Remembrance Day [ML101]", "break"),  # an all-day item ending as it starts: one day
    ]


def test_moodle_due_dates_written_a_day_long_are_deadlines_of_that_day(run: Run) -> None:
    result = run("deadlines", "--course", str(MOODLE), "--now", "2024-10-20T12:00", "--json", *LONDON)
    due = {d["title"]: (d["due"], d["day_only"]) for d in json.loads(result.stdout)}
    assert due == {  # its course, from CATEGORIES, said as Canvas says it
        "Essay 1 is due [PHIL101]": ("2024-10-28T17:00:00+00:00", False),
        "Quiz 2 closes [PHIL101]": ("2024-11-04", True),
    }
    assert [s["title"] for s in schedule(run, MOODLE)] == ["Seminar [PHIL101]"]


def test_blackboard_gradable_items_are_deadlines(run: Run) -> None:
    result = run("deadlines", "--course", str(BLACKBOARD), "--now", "2024-10-20T12:00", "--json")
    assert [d["title"] for d in json.loads(result.stdout)] == ["Lab report 2"]
    assert [s["title"] for s in schedule(run, BLACKBOARD)] == ["Guest talk"]


def test_the_kind_comes_from_the_content_not_the_name(run: Run, tmp_path: Path) -> None:
    disguised = tmp_path / "course.yaml"
    disguised.write_bytes(CANVAS.read_bytes())
    assert run("validate", str(disguised)).exit_code == 0
    named_ics = tmp_path / "timetable.ics"
    named_ics.write_bytes(BUNDLED.read_bytes())
    assert run("validate", str(named_ics)).exit_code == 0
    assert "\tMathematics of Deep Learning\n" in run("info", "--course", str(named_ics)).stdout


def test_an_item_that_cannot_be_read_is_skipped_with_a_warning_at_its_line(run: Run, tmp_path: Path) -> None:
    """An event without DTSTART, one in a zone nobody knows: left out, each said at its line; the rest reads."""
    text = TIMETABLE.read_bytes().decode().replace("DTSTART:20241108T090000Z\r\n", "")  # the midterm's start goes
    mars = "BEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20241020T100000\r\nSUMMARY:On Mars\r\nEND:VEVENT\r\n"
    broken = tmp_path / "timetable.ics"
    broken.write_bytes(text.replace("END:VCALENDAR", mars + "END:VCALENDAR").encode())
    result = run("validate", str(broken))
    assert result.exit_code == 0, result.output
    lines = text.split("\r\n")
    midterm = lines.index("UID:ml-midterm-2024@timetable.example.edu")  # BEGIN:VEVENT is the line before: 1-based, this
    assert f"{broken}:{midterm}:1: " in result.stdout
    assert "VEVENT 'Machine Learning midterm exam' is left out: an event without DTSTART" in result.stdout
    assert "VEVENT 'On Mars' is left out: its DTSTART names an unknown time zone 'Mars/Olympus'" in result.stdout
    titles = {s["title"] for s in schedule(run, broken)}
    assert "Machine Learning lab" in titles and "Machine Learning midterm exam" not in titles


def test_a_broken_rule_skips_its_series_and_a_todo_with_a_due_date_is_a_deadline(run: Run, tmp_path: Path) -> None:
    text = TIMETABLE.read_bytes().decode().replace("RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=FORTNIGHTLY;COUNT=x")
    todo = "BEGIN:VTODO\r\nUID:todo-1\r\nDUE;TZID=Europe/London:20241025T170000\r\nSUMMARY:Problem sheet 2\r\nEND:VTODO\r\n"
    calendar = tmp_path / "timetable.ics"
    calendar.write_bytes(text.replace("END:VCALENDAR", todo + "END:VCALENDAR").encode())
    checked = run("validate", str(calendar))
    assert (
        checked.exit_code == 0
        and "VEVENT 'Machine Learning lab' is left out: its recurrence cannot be read" in checked.stdout
    )
    due = json.loads(run("deadlines", "--course", str(calendar), "--json", "--now", "2024-10-20", *LONDON).stdout)
    assert ("todo-1", "Problem sheet 2", "2024-10-25T17:00:00+01:00") in [(d["id"], d["title"], d["due"]) for d in due]


@pytest.mark.parametrize("expand", [[], ["--expand"]], ids=["weekly-rules", "expanded"])
def test_mdls_own_export_followed_back_gives_the_same_sessions_and_deadlines(
    run: Run, tmp_path: Path, expand: list[str]
) -> None:
    """Every session and weekly meeting of the bundled course at the same instants, every deadline at its moment."""
    exported = tmp_path / "semester.ics"
    assert run("export-ics", *expand, "-o", str(exported)).exit_code == 0
    assert run("validate", str(exported)).exit_code == 0
    term = ("--from", "2019-01-01", "--to", "2019-06-30")
    mine = json.loads(run("agenda", *term, "--json").stdout)
    back = json.loads(run("agenda", "--course", str(exported), *term, "--json").stdout)
    timed = sorted((e["start"], e["end"], e["cancelled"]) for e in mine if e["end"])
    assert timed == sorted((e["start"], e["end"], e["cancelled"]) for e in back if e["end"])
    due_mine = json.loads(run("deadlines", "--json", "--now", "2019-01-01").stdout)
    due_back = json.loads(run("deadlines", "--course", str(exported), "--json", "--now", "2019-01-01").stdout)
    dated = [(d["title"], d["due"]) for d in due_mine if d["due"] and d["kind"] == "deadline"]
    assert dated == [(d["title"], d["due"]) for d in due_back if d["kind"] == "deadline"]


def test_a_feed_is_followed_by_url_its_token_never_shown_and_updated_with_a_304(
    run: Run, publisher: Publisher, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    publisher.files[CANVAS_FEED] = CANVAS.read_bytes()
    url = publisher.url(CANVAS_FEED)
    added = run("add", url, "--title", "My Canvas")
    assert added.exit_code == 0, added.output
    assert CANVAS_TOKEN not in added.stdout and "user_…ics" in added.stdout
    listed = run("courses")
    assert CANVAS_TOKEN not in listed.stdout
    row = rows(listed.stdout)[0]
    assert row[:5] == ["ada-lovelace-calendar-canvas", "My Canvas", row[2], "calendar", "4"]
    data = json.loads(run("courses", "--json").stdout)["courses"][0]
    assert data["kind"] == "calendar" and CANVAS_TOKEN not in data["source"]
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "mdl" / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # it holds the token
    assert CANVAS_TOKEN in config.read_text(encoding="utf-8")  # kept, to download again
    assert run("update").stdout == "ada-lovelace-calendar-canvas: unchanged (not modified (304))\n"
    moved = CANVAS.read_bytes().replace(b"20241025T225900Z", b"20241026T225900Z")
    publisher.files[CANVAS_FEED] = moved
    changed = run("update")
    assert changed.exit_code == 0 and "Homework 1 [ML101]" in changed.stdout and "Sat 2024-10-26" in changed.stdout
    publisher.files.pop(CANVAS_FEED)
    failed = run("update")
    assert failed.exit_code == 1 and CANVAS_TOKEN not in failed.stderr and "404" in failed.stderr


def test_webcal_is_read_as_https(run: Run, publisher: Publisher) -> None:
    """A subscription link: webcal:// is the same address over https (here no TLS answers: said so)."""
    publisher.files[CANVAS_FEED] = CANVAS.read_bytes()
    result = run("add", publisher.url(CANVAS_FEED).replace("http://", "webcal://"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: https://127.0.0.1:") and CANVAS_TOKEN not in result.stderr


# -- mdl import: a calendar written as a course file ----------------------------------------------


@pytest.mark.parametrize("calendar", [TIMETABLE, CANVAS, MOODLE, BLACKBOARD], ids=lambda p: p.stem)
def test_import_writes_a_course_file_that_validates_and_meets_at_the_calendars_instants(
    run: Run, tmp_path: Path, calendar: Path
) -> None:
    written = tmp_path / "course.yaml"
    result = run("import", str(calendar), "-o", str(written))
    assert result.exit_code == 0, result.output
    checked = run("validate", str(written), "--json")
    assert json.loads(checked.stdout)["errors"] == [], checked.stdout
    term = ("--from", "2024-10-01", "--to", "2024-12-31", "--json", *LONDON)
    imported = json.loads(run("agenda", "--course", str(written), *term).stdout)
    followed = json.loads(run("agenda", "--course", str(calendar), *term).stdout)
    timed = sorted((e["start"], e["end"], e["title"], e["cancelled"]) for e in followed if e["end"])
    assert sorted((e["start"], e["end"], e["title"], e["cancelled"]) for e in imported if e["end"]) == timed
    due = [(e["day"], e["title"]) for e in followed if e["kind"] == "deadline"]
    assert [(e["day"], e["title"]) for e in imported if e["kind"] == "deadline"] == due


def test_import_says_what_it_guessed_and_never_overwrites_without_force(run: Run, tmp_path: Path) -> None:
    written = tmp_path / "course.yaml"
    assert run("import", str(TIMETABLE), "-o", str(written)).exit_code == 0
    text = written.read_text(encoding="utf-8")
    assert "meetings:  # each a weekly series of the calendar" in text
    assert '    start: "14:00"  # moved from its weekly slot' in text and "    cancelled: true" in text
    written.write_text("mine\n", encoding="utf-8")
    again = run("import", str(TIMETABLE), "-o", str(written))
    assert again.exit_code == 1 and "exists; --force replaces it" in again.stderr
    assert written.read_text(encoding="utf-8") == "mine\n"
    assert run("import", str(TIMETABLE), "-o", str(written), "--force").exit_code == 0
    not_a_calendar = run("import", str(BUNDLED), "-o", str(tmp_path / "x.yaml"))
    assert not_a_calendar.exit_code == 2 and "not an iCalendar file" in not_a_calendar.stderr


def test_an_lms_feed_of_several_courses_is_followed_as_one_course_per_code(run: Run, publisher: Publisher) -> None:
    """Canvas names the course in `Title [CODE]`, Moodle in CATEGORIES: --split-courses makes a course of each."""
    publisher.files[CANVAS_FEED] = CANVAS.read_bytes()
    added = run("add", publisher.url(CANVAS_FEED), "--split-courses", "--id", "canvas")
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("following canvas as 2 courses: ml101, stat200, from http://127.0.0.1:")
    listed = rows(run("courses").stdout)
    assert [(r[0], r[1], r[3], r[4]) for r in listed] == [
        ("ml101", "ML101", "calendar", "3"),
        ("stat200", "STAT200", "calendar", "1"),
    ]
    due = json.loads(run("deadlines", "--course", "ml101", "--json", "--now", "2024-10-20").stdout)
    assert [(d["course"], d["title"]) for d in due] == [("ml101", "Homework 1")]  # the code not repeated
    everything = json.loads(run("deadlines", "--json", "--now", "2024-10-20").stdout)
    assert sorted((d["course"], d["title"]) for d in everything) == [
        ("ml101", "Homework 1"),
        ("stat200", "Reading response"),
    ]
    assert run("update").stdout == "canvas: unchanged (not modified (304))\n"  # one feed, one request
    assert len([p for p, _ in publisher.requests if p == CANVAS_FEED]) == 2


def test_moodle_names_its_course_in_categories_and_the_title_says_it(run: Run, tmp_path: Path) -> None:
    assert run("add", str(MOODLE), "--split-courses").exit_code == 0
    assert [r[0] for r in rows(run("courses").stdout)] == ["phil101"]
    titles = [d["title"] for d in json.loads(run("deadlines", "--json", "--now", "2024-10-20").stdout)]
    assert titles == ["Essay 1 is due", "Quiz 2 closes"]


def test_an_item_that_leaves_moodles_window_is_kept_until_it_has_passed(run: Run, publisher: Publisher) -> None:
    """Moodle exports a window of days: the next download without an item ahead does not delete it."""
    feed = "/calendar/export_execute.php"
    publisher.files[feed] = MOODLE.read_bytes()
    assert run("add", publisher.url(feed), "--id", "moodle").exit_code == 0
    text = MOODLE.read_bytes().decode()
    essay = text.index("BEGIN:VEVENT")
    publisher.files[feed] = (text[:essay] + text[text.index("END:VEVENT") + len("END:VEVENT\r\n") :]).encode()
    result = run("update", env={"MDL_NOW": "2024-10-20T12:00"})
    assert result.exit_code == 0, result.output
    assert "  kept: Essay 1 is due, left the feed's window of days; kept until it has passed\n" in result.stdout
    due = json.loads(run("deadlines", "--json", "--now", "2024-10-20").stdout)
    assert "Essay 1 is due [PHIL101]" in [d["title"] for d in due]
    publisher.files[feed] += b"\r\n"  # a new body, still without the essay, once its moment has passed
    later = run("update", "--now", "2024-10-29T09:00")
    assert "deadline removed: Essay 1 is due [PHIL101]" in later.stdout, later.output
    assert "Essay 1" not in run("deadlines", "--now", "2024-10-29T09:00").stdout
