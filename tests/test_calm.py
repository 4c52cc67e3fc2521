"""What a student reads is right, calm and the same everywhere (issue 30)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from pathlib import Path

import pytest

from mdlcli.timeutil import format_day, format_moment

from .conftest import BUNDLED, FIXTURES, Run, rows, write_course

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
THIS_YEAR = dt.date.today().year

LECTURE_AND_LAB = """\
schema: 2
course:
  id: ml101
  title: Machine Learning
  timezone: Europe/London
  term_start: 2024-09-30
  term_end: 2024-10-27
meetings:
  - id: lecture
    weekday: monday
    start: "09:00"
    end: "10:30"
    location: Hall A
  - id: lab
    weekday: friday
    start: "16:00"
    end: "18:00"
    location: Lab 3
sessions:
  - {id: l1, date: 2024-09-30, title: One}
  - {id: l2, date: 2024-10-07, title: Two}
  - {id: l3, date: 2024-10-14, title: Three}
  - {id: l4, date: 2024-10-21, title: Four}
"""


# -- the one formatter ---------------------------------------------------------------------


def test_a_moment_reads_weekday_date_time_and_zone() -> None:
    moment = dt.datetime(2019, 5, 1, 23, 59, tzinfo=NEW_YORK)
    assert format_moment(moment, NEW_YORK) == "Wed 2019-05-01 23:59 EDT"
    assert format_moment(moment, dt.UTC) == "Thu 2019-05-02 03:59 UTC"


def test_the_short_form_keeps_the_year_of_any_other_year() -> None:
    assert format_day(dt.date(2019, 2, 27), short=True) == "Wed 2019-02-27"
    assert format_moment(dt.datetime(2019, 2, 27, 19, 10, tzinfo=NEW_YORK), NEW_YORK, short=True) == (
        "Wed 2019-02-27 19:10 EST"
    )


def test_the_short_form_drops_only_this_years_year() -> None:
    day = dt.date(THIS_YEAR, 3, 4)
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    assert format_day(day, short=True) == f"{weekday} 03-04"
    assert format_day(day) == f"{weekday} {THIS_YEAR}-03-04"


def test_one_date_style_in_every_view(run: Run, tmp_path: Path) -> None:
    """The final project's due moment reads the same in next, deadlines and agenda, on a terminal too."""
    due = "Wed 2019-05-01 23:59 EDT"
    assert due in run("next", "--now", "2019-04-30T12:00").stdout
    assert due in run("deadlines", "--now", "2019-04-30T12:00").stdout
    wide = {"FORCE_COLOR": "1", "COLUMNS": "100"}
    assert due in run("deadlines", "--now", "2019-04-30T12:00", env=wide).stdout
    assert due in run("next", "--now", "2019-04-30T12:00", env=wide).stdout
    narrow = {"FORCE_COLOR": "1", "COLUMNS": "60"}
    assert due in re.sub(r"\x1b\[[0-9;]*m", "", run("deadlines", "--now", "2019-04-30T12:00", env=narrow).stdout)
    agenda = run("agenda", "--from", "2019-05-01", "--to", "2019-05-01", env=wide).stdout
    assert "Wed 2019-05-01" in agenda and "Wednesday" not in agenda


def test_the_end_of_the_course_names_it(run: Run) -> None:
    assert run("next", "--now", "2019-06-01").stdout.startswith("ended\tMathematics of Deep Learning has ended:")


def test_next_for_one_course_is_in_time_order(run: Run) -> None:
    starts = [r[2] for r in rows(run("next", "--now", "2019-04-30T12:00").stdout)]
    parsed = [dt.datetime.strptime(s[4:20], "%Y-%m-%d %H:%M") for s in starts]
    assert parsed == sorted(parsed) and len(parsed) >= 3


def test_courses_says_when_each_was_updated_to_the_minute(run: Run) -> None:
    assert run("add", str(BUNDLED)).exit_code == 0
    listed = rows(run("courses").stdout)[0]
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d \S+", listed[6]), listed
    updated = json.loads(run("courses", "--json").stdout)["courses"][0]["updated"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", updated), updated


# -- 1. a session in a meeting's slot ------------------------------------------------------


def test_a_session_in_the_labs_slot_is_warned_with_the_lab_occurrences_it_hides(run: Run, tmp_path: Path) -> None:
    moved = LECTURE_AND_LAB.replace(
        "{id: l3, date: 2024-10-14, title: Three}", "{id: l3, date: 2024-10-18, meeting: lab, title: Three}"
    )
    checked = run("validate", str(write_course(tmp_path, moved)))
    assert checked.exit_code == 0
    warning = next(line for line in checked.stdout.splitlines() if "'lab'" in line)
    assert warning.startswith(f"warning: {tmp_path / 'course.yaml'}:")
    assert "sessions[2].meeting" in warning and "3 of its weekly occurrences" in warning
    assert "2024-10-04, 2024-10-11, 2024-10-25" in warning and "own start, end and location" in warning


def test_meetings_that_no_session_names_need_no_such_warning(run: Run, tmp_path: Path) -> None:
    checked = run("validate", str(write_course(tmp_path, LECTURE_AND_LAB)))
    assert checked.exit_code == 0 and "weekly occurrences" not in checked.stdout


# -- 6. small traps ------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["80", "120"])
def test_agenda_columns_line_up_from_day_to_day(run: Run, columns: str) -> None:
    shown = run("agenda", "--now", "2019-02-25T08:00", env={"FORCE_COLOR": "1", "COLUMNS": columns}).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = [line for line in plain.splitlines() if "EST" in line]
    assert len(lines) == 3
    # The kind column starts at one place on every day, whatever the width of each day's times.
    assert (
        len({line.index(kind) for line, kind in zip(lines, ["office hours", "lecture", "tutoring"], strict=True)}) == 1
    )


def test_at_120_columns_no_countdown_is_folded(run: Run, tmp_path: Path) -> None:
    for course in (BUNDLED, FIXTURES / "rich.yaml"):
        assert run("add", str(course)).exit_code == 0
    shown = run("next", "--now", "2019-02-25T12:00", env={"FORCE_COLOR": "1", "COLUMNS": "120"}).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert re.search(r"in \d+ (days? )?\d+ h \d+ min", plain), plain
    assert not re.search(r"in \d+ h\s*$", plain, re.MULTILINE), plain


# -- 5. the merged calendar ----------------------------------------------------------------


def test_a_semester_calendar_tells_its_courses_apart(run: Run) -> None:
    import icalendar

    for course in (BUNDLED, FIXTURES / "rich.yaml"):
        assert run("add", str(course)).exit_code == 0
    calendar = icalendar.Calendar.from_ical(run("export-ics", "-o", "-").stdout_bytes)
    assert str(calendar["X-WR-CALNAME"]) == "Semester: mathsdl-spring19, ml101"
    events = list(calendar.walk("VEVENT"))
    for event in events:
        course = str(event["UID"]).split("@")[1].removesuffix(".mdl")
        assert event["CATEGORIES"].cats == [course]
        assert str(event["SUMMARY"]).startswith(f"[{course}] ")
    assert {str(e["SUMMARY"]) for e in events} >= {"[ml101] Lab1: Python warm-up", "[ml101] Tutoring (optional)"}
    alone = icalendar.Calendar.from_ical(run("export-ics", "--course", "ml101", "-o", "-").stdout_bytes)
    assert all("CATEGORIES" not in e and not str(e["SUMMARY"]).startswith("[") for e in alone.walk("VEVENT"))


# -- 6. more small traps -------------------------------------------------------------------

SLIDES = "https://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture5.pdf"
OSC8 = re.compile(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\(.*?)\x1b\]8;;\x1b\\", re.DOTALL)


@pytest.mark.parametrize("columns", [60, 80, 100, 120, 160, 200])
def test_a_slides_address_is_never_split(run: Run, columns: int) -> None:
    shown = run("refs", "lec5", env={"FORCE_COLOR": "1", "COLUMNS": str(columns)}).stdout
    links = OSC8.findall(shown)
    assert (SLIDES, SLIDES if columns > len(SLIDES) else "github.com ↗") in [
        (url, re.sub(r"\x1b\[[0-9;]*m", "", text)) for url, text in links
    ]
    plain = re.sub(r"\x1b\[[0-9;]*m", "", OSC8.sub(r"\2", shown))
    assert "https://github.com/joanbruna/MathsDL-spring18/blob/master/le\n" not in plain


@pytest.mark.parametrize("columns", [60, 120])
@pytest.mark.parametrize("env", [{"TMUX": "tmux-socket,1,0"}, {"MDL_HYPERLINKS": "never"}])
def test_without_hyperlinks_the_address_is_written_out_whole(run: Run, columns: int, env: dict[str, str]) -> None:
    shown = run("refs", "lec5", env={"FORCE_COLOR": "1", "COLUMNS": str(columns), **env}).stdout
    assert "\x1b]8;" not in shown
    lines = re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines()
    assert SLIDES in lines
    assert any(line.strip() == "https://arxiv.org/pdf/1705.08415.pdf" for line in lines)


def test_mdl_hyperlinks_always_keeps_links_inside_tmux(run: Run) -> None:
    env = {"FORCE_COLOR": "1", "COLUMNS": "60", "TMUX": "tmux-socket,1,0", "MDL_HYPERLINKS": "always"}
    assert "\x1b]8;" in run("refs", "lec5", env=env).stdout


def test_validate_with_no_path_checks_the_course_yaml_here(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    checked = run("validate")
    assert checked.exit_code == 0
    assert checked.stdout == "course.yaml: valid (0 errors, 0 warnings)\n"
    (tmp_path / "course.yaml").write_text("schema: 2\n", encoding="utf-8")
    broken = run("validate")
    assert broken.exit_code == 1 and "course.yaml:" in broken.stdout + broken.stderr
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("validate").stdout.splitlines()[-1].startswith(f"{BUNDLED}: valid")


def test_the_first_run_over_several_zones_says_once_how_to_pick_one(run: Run) -> None:
    assert run("add", str(BUNDLED)).exit_code == 0  # New York
    added = run("add", str(FIXTURES / "rich.yaml"))  # London
    assert added.exit_code == 0
    notes = [line for line in added.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1
    assert "several time zones (America/New_York, Europe/London)" in notes[0]
    assert 'tz = "America/New_York"' in notes[0] and "--tz" in notes[0]
    later = run("next", "--now", "2019-02-25T12:00")
    assert "note:" not in later.stderr
    assert "EST" in run("next", "--now", "2019-02-25T12:00", "--tz", "America/New_York").stdout
