"""`mdl export-ics`: read back by independent parsers and a real calendar client, updated cleanly."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import ics as ics_library
import pytest
import recurring_ical_events

from .conftest import BUNDLED, ROOT, Run

NEW_YORK = ZoneInfo("America/New_York")
GOLDEN = ROOT / "tests" / "golden" / "mathsdl-spring19.ics"
PINNED_MTIME = dt.datetime(2019, 1, 2, 12, 0, tzinfo=dt.UTC).timestamp()
STAMP = "2019-01-01T00:00Z"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the bundled course with a fixed modification time (it becomes LAST-MODIFIED)."""
    copy = tmp_path / "course.yaml"
    shutil.copy(BUNDLED, copy)
    os.utime(copy, (PINNED_MTIME, PINNED_MTIME))
    return copy


@pytest.fixture
def exported(run: Run, course: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out" / "course.ics"
    target.parent.mkdir()
    result = run("export-ics", "--course", str(course), "-o", str(target), "--now", STAMP)
    assert result.exit_code == 0, result.output
    return target


def test_matches_the_golden_file(exported: Path) -> None:
    """The export is a contract: byte for byte the reviewed golden file (MDL_REGENERATE=1 rewrites it)."""
    if os.environ.get("MDL_REGENERATE"):
        GOLDEN.parent.mkdir(exist_ok=True)
        shutil.copy(exported, GOLDEN)
    assert exported.read_bytes() == GOLDEN.read_bytes()


def test_default_path_and_report(run: Run, course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -o it writes <course-id>.ics here and says what it wrote, and what it left out."""
    monkeypatch.chdir(tmp_path)
    result = run("export-ics", "--course", str(course))
    assert result.exit_code == 0
    assert result.stdout == (
        "wrote mathsdl-spring19.ics: 14 lectures, 1 break, 1 tutoring, 1 office-hours, 1 deadline\n"
        "left out, no date yet: Detailed project abstract\n"
    )
    assert (tmp_path / "mathsdl-spring19.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_rfc5545_shape(exported: Path) -> None:
    """CRLF lines of at most 75 octets, VERSION and PRODID, publishing properties, one one-value RDATE per observance."""
    data = exported.read_bytes()
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert not any(b"\n" in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    text = data.decode()
    for needed in (
        "VERSION:2.0",
        "PRODID:-//mdl//",
        "X-WR-CALNAME:Mathematics of Deep Learning",
        "X-WR-TIMEZONE:America/New_York",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
        "TZID:America/New_York",
    ):
        assert needed in text
    timezone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    observances = timezone.split("BEGIN:")[2:]
    assert len(observances) >= 3
    for observance in observances:
        fields = dict(line.split(":", 1) for line in observance.split("\r\n")[1:] if ":" in line)
        assert fields["RDATE"] == fields["DTSTART"], observance  # one value, never a list
        assert observance.count("RDATE") == 1
    assert (
        "BEGIN:DAYLIGHT\r\nDTSTART:20190310T020000\r\nRDATE:20190310T020000\r\nTZNAME:EDT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"
        in timezone
    )
    assert (
        "BEGIN:STANDARD\r\nDTSTART:20191103T020000\r\nRDATE:20191103T020000\r\nTZNAME:EST\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"
        in timezone
    )
    # A comma, a semicolon and a backslash in text are escaped, and unfold back to the original.
    calendar = icalendar.Calendar.from_ical(data)
    lec6 = next(e for e in calendar.walk("VEVENT") if e["UID"] == "session-lec6@mathsdl-spring19.mdl")
    assert str(lec6["SUMMARY"]).startswith(
        "Lec6: Unsupervised Learning under Geometric Priors. Implicit vs Explicit models."
    )


def occurrences(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(recurring_ical_events.of(calendar).between(dt.date(2019, 1, 1), dt.date(2019, 6, 1)))


def test_recurrences_expand_to_the_real_meetings(exported: Path) -> None:
    """Expanded, each weekly meeting has 14 dates (15 weeks less Spring Break), all at their local time."""
    events = occurrences(exported)
    by_kind = Counter(str(e["UID"]).split("-")[0] for e in events)
    assert by_kind == {"session": 15, "meeting": 28, "deadline": 1}
    for event in events:
        start = event["DTSTART"].dt
        if not isinstance(start, dt.datetime):
            continue
        local = start.astimezone(NEW_YORK)
        expected = {
            "Office Hours": "09:30",
            "Tutoring Session with Parallel Curricula (optional)": "11:00",
            "Due: Final project": "23:59",
        }
        assert f"{local:%H:%M}" == expected.get(str(event["SUMMARY"]), "19:10"), event["SUMMARY"]
        assert local.utcoffset() == dt.timedelta(hours=-5 if local.date() < dt.date(2019, 3, 10) else -4)


def test_spring_break_week_has_only_the_break(exported: Path) -> None:
    """In the week of 3/11 to 3/17 there is one event: the all-day break, DATE values, exclusive end."""
    week = [e for e in occurrences(exported) if dt.date(2019, 3, 11) <= _day(e["DTSTART"].dt) <= dt.date(2019, 3, 17)]
    (only,) = week
    assert str(only["SUMMARY"]) == "Spring Break"
    assert (only["DTSTART"].dt, only["DTEND"].dt) == (dt.date(2019, 3, 11), dt.date(2019, 3, 18))


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.astimezone(NEW_YORK).date() if isinstance(value, dt.datetime) else value


def test_dst_boundary_lectures(exported: Path) -> None:
    """3/6 starts 00:10 UTC the next day (EST); 3/20 starts 23:10 UTC (EDT)."""
    starts = {
        str(e["UID"]): e["DTSTART"].dt.astimezone(dt.UTC)
        for e in occurrences(exported)
        if isinstance(e["DTSTART"].dt, dt.datetime)
    }
    assert starts["session-lec6@mathsdl-spring19.mdl"] == dt.datetime(2019, 3, 7, 0, 10, tzinfo=dt.UTC)
    assert starts["session-lec7@mathsdl-spring19.mdl"] == dt.datetime(2019, 3, 20, 23, 10, tzinfo=dt.UTC)


VOBJECT_READER = textwrap.dedent(
    """
    import datetime as dt, json, sys
    import vobject
    calendar = vobject.readOne(open(sys.argv[1], encoding="utf-8").read())
    out = {}
    for event in calendar.vevent_list:
        start = event.dtstart.value
        if not isinstance(start, dt.datetime):
            continue
        if hasattr(event, "rrule"):
            moments = list(event.getrruleset(addRDate=True))
        else:
            moments = [start]
        out[event.uid.value] = [m.astimezone(dt.timezone.utc).isoformat() for m in moments]
    print(json.dumps(out))
    """
)


def test_vobject_in_a_fresh_process_reads_every_time_right(exported: Path) -> None:
    """vobject (gcalcli, Radicale) caches zones per process, so it reads the file in its own."""
    result = subprocess.run(
        [sys.executable, "-c", VOBJECT_READER, str(exported)], capture_output=True, text=True, check=True, timeout=60
    )
    seen = json.loads(result.stdout)
    assert seen["session-lec6@mathsdl-spring19.mdl"] == ["2019-03-07T00:10:00+00:00"]
    assert seen["session-lec7@mathsdl-spring19.mdl"] == ["2019-03-20T23:10:00+00:00"]
    assert seen["session-lec13@mathsdl-spring19.mdl"] == ["2019-05-01T23:10:00+00:00"]
    tutoring = seen["meeting-tutoring@mathsdl-spring19.mdl"]
    assert len(tutoring) == 14
    assert "2019-03-15T15:00:00+00:00" not in tutoring  # Spring Break's Friday
    assert tutoring[6:8] == ["2019-03-08T16:00:00+00:00", "2019-03-22T15:00:00+00:00"]  # EST, then EDT
    assert seen["deadline-final-project@mathsdl-spring19.mdl"] == ["2019-05-02T03:59:00+00:00"]


def test_ics_library_reads_it(exported: Path) -> None:
    """The `ics` package parses the file and sees every event with its time."""
    calendar = ics_library.Calendar(exported.read_text(encoding="utf-8"))
    assert len(calendar.events) == 18
    lec5 = next(e for e in calendar.events if e.uid == "session-lec5@mathsdl-spring19.mdl")
    assert lec5.begin.to("UTC").isoformat() == "2019-02-28T00:10:00+00:00"
    assert lec5.location == "CIWW 102"
    assert "Neural Message Passing for Quantum Chemistry <https://arxiv.org/abs/1704.01212>" in lec5.description


# The same throw-away calendar configuration as the benchmark's comparison with khal.
KHAL_CONFIG = (ROOT / "bench" / "khal.conf.in").read_text(encoding="utf-8")


def test_khal_imports_it_and_lists_the_term(exported: Path, tmp_path: Path) -> None:
    """A real calendar client, offline: khal imports into a temporary vdir and lists each meeting at its local time."""
    khal = Path(sys.executable).parent / "khal"
    assert khal.exists(), "khal is a test dependency: pip install -e '.[test]'"
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(vdir=vdir), encoding="utf-8")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    subprocess.run(
        [khal, "-c", config, "import", "--batch", "-a", "course", exported],
        check=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    listed = subprocess.run(
        [
            khal,
            "-c",
            config,
            "list",
            "--format",
            "{start} {end} {title}",
            "--day-format",
            "",
            "2019-01-20",
            "2019-05-10",
        ],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    assert (
        "2019-03-06 19:10 2019-03-06 21:00 Lec6: Unsupervised Learning under Geometric Priors. Implicit vs Explicit models. Optimal Transport models. Microcanonical Models. Open Problems"
        in listed
    )
    assert (
        "2019-03-20 19:10 2019-03-20 21:00 Lec7: Discrete vs Continuous Time Optimization. The Convex Case." in listed
    )
    assert sum("Office Hours" in line for line in listed) == 14
    assert sum("Tutoring Session" in line for line in listed) == 14
    assert not any(line.startswith(("2019-03-12 ", "2019-03-15 ", "2019-03-13 19:10")) for line in listed)
    lectures = [line for line in listed if line[10:34] == " 19:10 " + line[:10] + " 21:00 "]
    assert len(lectures) == 14


# -- stable updates ------------------------------------------------------------------------


def uids_and_sequences(path: Path) -> dict[str, int]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


def test_two_exports_differ_only_in_dtstamp(run: Run, course: Path, tmp_path: Path) -> None:
    """Exporting the same course twice (to fresh files) changes nothing but DTSTAMP."""
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run("export-ics", "--course", str(course), "-o", str(first), "--now", STAMP)
    run("export-ics", "--course", str(course), "-o", str(second), "--now", "2019-02-01T00:00Z")
    a, b = first.read_text().splitlines(), second.read_text().splitlines()
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert changed
    assert all(x.startswith("DTSTAMP:") and y.startswith("DTSTAMP:") for x, y in changed)


def test_editing_and_inserting_keep_uids_and_bump_only_what_changed(run: Run, course: Path, exported: Path) -> None:
    """A renamed lecture keeps its UID and gets SEQUENCE 1; an inserted session leaves every other event alone."""
    before = uids_and_sequences(exported)
    text = course.read_text(encoding="utf-8")
    text = text.replace(
        "title: Graph Neural Network Applications\n    slides", "title: Graph Neural Networks in Practice\n    slides"
    )
    text = text.replace(
        "  - id: lec13\n",
        "  - id: extra\n    week: 15\n    date: 2019-05-03\n    title: Extra session\n  - id: lec13\n",
    )
    course.write_text(text, encoding="utf-8")
    result = run("export-ics", "--course", str(course), "-o", str(exported), "--now", "2019-02-01T00:00Z")
    assert result.exit_code == 0, result.output
    after = uids_and_sequences(exported)
    assert set(after) - set(before) == {"session-extra@mathsdl-spring19.mdl"}
    assert after["session-lec5@mathsdl-spring19.mdl"] == 1
    assert all(after[uid] == 0 for uid in before if uid != "session-lec5@mathsdl-spring19.mdl")
    calendar = icalendar.Calendar.from_ical(exported.read_bytes())
    lec5 = next(e for e in calendar.walk("VEVENT") if e["UID"] == "session-lec5@mathsdl-spring19.mdl")
    assert str(lec5["SUMMARY"]) == "Lec5: Graph Neural Networks in Practice"


# -- options -------------------------------------------------------------------------------


def test_include_exclude_alarm_expand(run: Run, course: Path, tmp_path: Path) -> None:
    """--include/--exclude choose kinds; --alarm replaces the reminders; --expand writes single events."""
    out = tmp_path / "x.ics"
    result = run(
        "export-ics",
        "--course",
        str(course),
        "-o",
        str(out),
        "--include",
        "deadlines",
        "--alarm",
        "2d",
        "--alarm",
        "3h",
    )
    assert result.stdout.startswith("wrote ")
    assert ": 1 deadline\n" in result.stdout
    (deadline,) = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [a["TRIGGER"].dt for a in deadline.walk("VALARM")] == [-dt.timedelta(days=2), -dt.timedelta(hours=3)]
    result = run(
        "export-ics", "--course", str(course), "-o", str(out), "--exclude", "lectures,deadlines,breaks", "--expand"
    )
    assert ": 14 tutoring, 14 office-hours\n" in result.stdout
    assert "RRULE" not in out.read_text() and "EXDATE" not in out.read_text()
    assert "left out" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--alarm", "soon"), "--alarm: 'soon' is not a duration; use e.g. 2d, 3h, 45m, 1w or 1d12h"),
        (("--alarm", "0h"), "--alarm: '0h' is no time at all"),
        (
            ("--include", "parties"),
            "--include: 'parties' is not a kind (use one of: lectures, labs, exams, tutoring, office-hours, deadlines, breaks)",
        ),
        (("--exclude", "lecturez"), "--exclude: 'lecturez' is not a kind; did you mean 'lectures'?"),
    ],
)
def test_bad_options_write_nothing(run: Run, course: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    """A bad option value: exit 2 naming the option; nothing written."""
    out = tmp_path / "x.ics"
    result = run("export-ics", "--course", str(course), "-o", str(out), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert not out.exists()


def test_stdout(run: Run, course: Path) -> None:
    """-o - writes the calendar to stdout and the report to stderr."""
    result = run("export-ics", "--course", str(course), "-o", "-")
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert result.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    assert result.stderr.startswith("wrote stdout: 14 lectures")


# -- faults: nothing written, nothing lost -------------------------------------------------


def test_invalid_course_writes_nothing(run: Run, tmp_path: Path) -> None:
    """An invalid course file fails before anything is written."""
    out = tmp_path / "x.ics"
    broken = ROOT / "tests" / "hostile" / "invalid-date.yaml"
    result = run("export-ics", "--course", str(broken), "-o", str(out))
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_missing_folders_are_made_as_export_site_makes_its_own(run: Run, course: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "x.ics"
    result = run("export-ics", "--course", str(course), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    page = tmp_path / "pages" / "course.html"
    assert run("export-html", "--course", str(course), "-o", str(page)).exit_code == 0 and page.is_file()


def test_a_folder_that_cannot_be_made_is_one_error(run: Run, course: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    result = run("export-ics", "--course", str(course), "-o", str(tmp_path / "file" / "x.ics"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'file'}") and "Not a directory" in result.stderr
    assert result.stderr.count("\n") == 1 and (tmp_path / "file").read_text(encoding="utf-8") == "not a folder"


def test_read_only_folder_keeps_the_old_file(
    run: Run, course: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the write fails (a read-only folder, a full disk), the old file stays and no temporary file is left."""
    old = exported.read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = run("export-ics", "--course", str(course), "-o", str(exported), "--alarm", "2d")
    assert (result.exit_code, result.stderr) == (1, f"error: {exported}: cannot write: No space left on device\n")
    assert exported.read_bytes() == old
    assert sorted(p.name for p in exported.parent.iterdir()) == [exported.name]


def test_unwritable_folder(run: Run, course: Path, tmp_path: Path) -> None:
    """A folder the user cannot write to: exit 1 with the reason; nothing written."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root writes anywhere: make the folder a file's child instead
            folder.chmod(0o700)
            folder = tmp_path / "a-file"
            folder.write_text("x")
        result = run("export-ics", "--course", str(course), "-o", str(folder / "x.ics"))
        assert result.exit_code == 1
        assert result.stderr.startswith("error: ")
    finally:
        if folder.is_dir():
            folder.chmod(0o700)


def test_foreign_file_is_not_overwritten_without_force(run: Run, course: Path, tmp_path: Path) -> None:
    """A file mdl did not write is the user's: refused (exit 1, unchanged) unless --force."""
    mine = tmp_path / "notes.ics"
    mine.write_text("my own notes\n")
    refused = run("export-ics", "--course", str(course), "-o", str(mine))
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"error: {mine}: exists and was not written by mdl; --force replaces it\n",
    )
    assert mine.read_text() == "my own notes\n"
    forced = run("export-ics", "--course", str(course), "-o", str(mine), "--force")
    assert forced.exit_code == 0
    assert mine.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_replacing_keeps_permissions(run: Run, course: Path, exported: Path) -> None:
    """Re-exporting over a file keeps its permissions."""
    exported.chmod(0o640)
    run("export-ics", "--course", str(course), "-o", str(exported))
    assert exported.stat().st_mode & 0o777 == 0o640


def test_a_strict_reader_uses_the_time_zone_block_when_it_does_not_know_the_zone(exported: Path) -> None:
    """The `ical` package ignores observances without RDATE or RRULE in a zone it cannot name; ours have one RDATE."""
    from ical.calendar_stream import IcsCalendarStream

    # Renamed, the zone is one no library knows: only the VTIMEZONE block can give its offsets.
    text = exported.read_text(encoding="utf-8").replace("America/New_York", "Course Zone")
    events = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(text).events}
    lec6, lec7 = events["session-lec6@mathsdl-spring19.mdl"], events["session-lec7@mathsdl-spring19.mdl"]
    assert lec6.dtstart.astimezone(dt.UTC).isoformat() == "2019-03-07T00:10:00+00:00"  # EST
    assert lec7.dtstart.astimezone(dt.UTC).isoformat() == "2019-03-20T23:10:00+00:00"  # EDT


@pytest.mark.parametrize("copies", ["help", "fail", "hang"])
def test_a_large_calendar_written_by_several_processes_is_the_one_written_by_one(
    monkeypatch: pytest.MonkeyPatch, copies: str
) -> None:
    """Above a size, events are built and written in forked copies of the process; the calendar is
    byte for byte the same, and a copy that fails or hangs only means its part is written by the parent."""
    from mdlcli import forked, ics
    from mdlcli.query.kinds import choose_kinds
    from mdlcli.store import load_course

    course = load_course(ROOT / "data" / "starter-course.yaml")
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    def exported() -> bytes:
        return ics.export(
            [course], kinds=choose_kinds([course], [], []), stamp=moment, modified={course.id: moment}
        ).data

    monkeypatch.setattr(ics, "_PARALLEL_FROM", 10**9)
    alone = exported()
    monkeypatch.setattr(ics, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    monkeypatch.setattr(forked, "PATIENCE", 0.5)
    if copies != "help":
        parent = os.getpid()
        real_to_ical = ics._to_ical

        def failing_in_copies(component: icalendar.cal.Component) -> bytes:
            if os.getpid() != parent:
                if copies == "hang":
                    time.sleep(60)
                raise RuntimeError("a copy that breaks")
            return real_to_ical(component)

        monkeypatch.setattr(ics, "_to_ical", failing_in_copies)
    assert len(forked.parts(list(range(30)), 1)) == 3
    assert exported() == alone
    icalendar.Calendar.from_ical(alone)  # and it is a calendar
