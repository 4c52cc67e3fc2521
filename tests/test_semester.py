"""A student's semester: following courses by path and URL, keeping them current, every view over all of them.

URL courses come from a real HTTP server the tests start on 127.0.0.1; nothing reaches further.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import icalendar
import pytest

from mdlcli import semester

from .conftest import BUNDLED, FIXTURES, ROOT, Run, one_clear_error, rows, write_course
from .servers import LAST_MODIFIED, Publisher

RICH = FIXTURES / "rich.yaml"  # ml101, Europe/London, autumn 2024
REAL = ROOT / "data" / "starter-course.yaml"  # intro-ml-2027, America/Chicago


@pytest.fixture(autouse=True)
def _quick_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that never answers is given up on within a second."""
    monkeypatch.setattr(semester, "DOWNLOAD_TIMEOUT", 1.0)


def config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "mdl" / "config.toml"


def copies() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "mdl" / "courses"


# -- following by path ---------------------------------------------------------------------------


def test_add_a_path_records_it_and_the_instructors_edits_show(run: Run, tmp_path: Path) -> None:
    """The path is recorded, not copied: a later edit of the file is what the views show."""
    course = write_course(tmp_path, RICH.read_text(encoding="utf-8"))
    added = run("add", str(course))
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("following ml101: Machine Learning Foundations (Fall 2024)")
    assert f'source = "{course}"' in config_file().read_text(encoding="utf-8")
    assert not copies().exists()
    course.write_text(
        course.read_text(encoding="utf-8").replace("title: Least squares", "title: Ordinary least squares"),
        encoding="utf-8",
    )
    assert "Ordinary least squares" in run("schedule").stdout


def test_an_invalid_course_is_refused_with_its_errors_and_nothing_is_recorded(run: Run, tmp_path: Path) -> None:
    broken = write_course(tmp_path, RICH.read_text(encoding="utf-8").replace('start: "09:00"', 'start: "9h"'))
    result = run("add", str(broken))
    assert result.exit_code == 1
    assert "meetings[0].start: 9h is not a valid time" in result.stderr
    assert "not followed" in result.stderr and "Traceback" not in result.output
    assert not config_file().exists()


def test_two_courses_with_the_same_id_need_an_id_of_their_own(run: Run, tmp_path: Path) -> None:
    first = write_course(tmp_path, RICH.read_text(encoding="utf-8"), "a.yaml")
    second = write_course(tmp_path, RICH.read_text(encoding="utf-8"), "b.yaml")
    assert run("add", str(first)).exit_code == 0
    clash = run("add", str(second))
    assert clash.exit_code == 2
    assert "a course with id 'ml101' is followed already" in clash.stderr and "--id" in clash.stderr
    assert run("add", str(second), "--id", "ml101-b").exit_code == 0
    listed = json.loads(run("courses", "--json").stdout)["courses"]
    assert [c["id"] for c in listed] == ["ml101", "ml101-b"]
    # Under its own id everywhere, calendar UIDs included, so the two never collide.
    uids = {
        str(e["UID"]) for e in icalendar.Calendar.from_ical(run("export-ics", "-o", "-").stdout_bytes).walk("VEVENT")
    }
    assert "session-l1@ml101.mdl" in uids and "session-l1@ml101-b.mdl" in uids


def test_courses_lists_status_and_remove_drops_one(run: Run, tmp_path: Path) -> None:
    """ok, N warnings, or error with the first error; remove forgets a course, never the user's file."""
    rich = write_course(tmp_path, RICH.read_text(encoding="utf-8"), "rich.yaml")
    for path in (str(rich), str(BUNDLED)):
        assert run("add", path).exit_code == 0
    rich.write_text(rich.read_text(encoding="utf-8").replace("week: 1\n", "week: one\n", 1), encoding="utf-8")
    listed = rows(run("courses").stdout)
    assert listed[0][0] == "ml101" and listed[0][-1].startswith(f"error: {rich}:")
    assert listed[1][:3] == ["mathsdl-spring19", "Mathematics of Deep Learning", "Spring 2019"]
    assert listed[1][3:6] == ["course", "20", str(BUNDLED)] and listed[1][-1] == "15 warnings"
    data = json.loads(run("courses", "--json").stdout)["courses"]
    assert data[0]["status"] == "error" and "is not a whole number" in data[0]["error"]
    assert data[0]["kind"] == "course" and data[0]["items"] is None  # what it is, though it does not read
    assert data[1] | {"updated": None} == {
        "id": "mathsdl-spring19", "title": "Mathematics of Deep Learning", "term": "Spring 2019", "kind": "course",
        "items": 20, "source": str(BUNDLED), "updated": None, "status": "warnings", "warnings": 15, "error": None,
    }  # fmt: skip
    assert run("remove", "ml101").stdout.startswith("no longer following ml101")
    assert rich.exists()
    assert [c["id"] for c in json.loads(run("courses", "--json").stdout)["courses"]] == ["mathsdl-spring19"]
    unknown = run("remove", "nope")
    assert unknown.exit_code == 2 and "the followed courses are: mathsdl-spring19" in unknown.stderr


# -- following by URL, kept up to date --------------------------------------------------------


def test_add_a_url_downloads_validates_and_keeps_the_validators(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = RICH.read_bytes()
    result = run("add", publisher.url("/course.yaml"))
    assert result.exit_code == 0, result.output
    assert (copies() / "ml101.yaml").read_bytes() == RICH.read_bytes()
    config = config_file().read_text(encoding="utf-8")
    assert f'source = "{publisher.url("/course.yaml")}"' in config and "etag = " in config
    assert "What is learning?" in run("schedule").stdout


def test_add_refuses_an_invalid_published_course(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = b"schema: 1\ncourse: {}\n"
    result = run("add", publisher.url("/course.yaml"))
    assert result.exit_code == 1
    assert "course.id: is required" in result.stderr
    assert not config_file().exists() and not copies().exists()


def test_update_an_unchanged_course_costs_a_304_and_rewrites_nothing(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    copy, config = copies() / "ml101.yaml", config_file()
    before = (copy.stat().st_mtime_ns, config.stat().st_mtime_ns, config.read_bytes())
    result = run("update")
    assert result.exit_code == 0
    assert result.stdout == "ml101: unchanged (not modified (304))\n"
    assert publisher.requests[-1][1].get("If-None-Match", "").startswith('"')
    assert (copy.stat().st_mtime_ns, config.stat().st_mtime_ns, config.read_bytes()) == before


def test_update_with_last_modified_alone(run: Run, publisher: Publisher) -> None:
    """A server without ETags: If-Modified-Since, and a 304 all the same."""
    publisher.etags = False
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    assert run("update", "ml101").stdout == "ml101: unchanged (not modified (304))\n"
    assert publisher.requests[-1][1].get("If-Modified-Since") == LAST_MODIFIED


def test_update_downloads_a_change_and_says_what_changed(run: Run, publisher: Publisher) -> None:
    """In the course's words and zone: times and rooms as a student reads them, not UTC, not dates alone."""
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/moved.yaml")).exit_code == 0  # a redirect is followed
    text = RICH.read_text(encoding="utf-8")
    text = text.replace("    date: 2024-10-07\n", '    date: 2024-10-08\n    start: "09:00"\n    end: "10:00"\n')
    text = text.replace("    title: Backpropagation\n", "    title: Backpropagation\n    cancelled: true\n")
    text = text.replace("    due: 2024-11-15\n", "    due: 2024-11-22\n")
    text = text.replace(
        "  - id: l6\n", "  - id: extra\n    week: 7\n    date: 2024-11-11\n    title: Extra session\n  - id: l6\n"
    )
    text = text.replace("    location: Lab 3\n", "    location: Lab 4\n")  # the lab's weekly room
    text = text.replace('    weekday: tuesday\n    start: "10:00"', '    weekday: thursday\n    start: "10:00"')
    text = text.replace("    refs: r2\n  - id: lab1", "    refs: r2\n    location: Hall C\n  - id: lab1")
    publisher.files["/course.yaml"] = text.encode()
    result = run("update")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ml101: updated (downloaded)",
        "  meeting changed: Lab, Fridays 16:00–18:00, room Lab 3 → Fridays 16:00–18:00, room Lab 4",
        "  meeting changed: Office Hours, Tuesdays 10:00–11:00 → Thursdays 10:00–11:00",
        "  session room changed: L2 Least squares, room Hall B → Hall C",
        "  session moved: L3 Logistic regression, Mon 2024-10-07 09:00–10:30 BST → Tue 2024-10-08 09:00–10:00 BST",
        "  session cancelled: L4 Backpropagation, Mon 2024-10-21 09:00–10:30 BST",
        "  session added: Extra session, Mon 2024-11-11 09:00–10:30 GMT",
        "  deadline moved: Essay, Fri 2024-11-15 23:59 GMT → Fri 2024-11-22 23:59 GMT",
    ]
    assert (copies() / "ml101.yaml").read_text(encoding="utf-8") == text


def test_update_json_gives_each_change_with_before_and_after(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    moved = RICH.read_text(encoding="utf-8").replace("    due: 2024-11-15\n", "    due: 2024-11-22\n")
    publisher.files["/course.yaml"] = moved.encode()
    result = run("update", "--json")
    assert result.exit_code == 0, result.output
    [course] = json.loads(result.stdout)
    assert course["id"] == "ml101" and course["outcome"] == "updated"
    assert course["changes"] == [
        {
            "change": "deadline moved",
            "item": "essay",
            "name": "Essay",
            "was": "Fri 2024-11-15 23:59 GMT",
            "now": "Fri 2024-11-22 23:59 GMT",
            "text": "deadline moved: Essay, Fri 2024-11-15 23:59 GMT → Fri 2024-11-22 23:59 GMT",
        }
    ]
    assert json.loads(run("update", "--json").stdout)[0]["outcome"] == "unchanged"


def test_update_tells_a_new_warning(run: Run, publisher: Publisher) -> None:
    """One session moved into the lab's slot: update says the lab's other weeks are no longer shown."""
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    text = RICH.read_text(encoding="utf-8").replace(
        "  - id: office-hours\n",
        '  - id: seminar\n    weekday: wednesday\n    start: "17:00"\n    end: "18:00"\n  - id: office-hours\n',
    )
    text = text.replace("    date: 2024-10-07\n", "    date: 2024-10-09\n    meeting: seminar\n")
    publisher.files["/course.yaml"] = text.encode()
    shown = run("update").stdout
    assert "  meeting added: seminar, Wednesdays 17:00–18:00" in shown
    assert "  new warning: sessions[3].meeting, names the meeting 'seminar'" in shown


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/gone.yaml", "the server answered 404 Not Found"),
        ("/error.yaml", "the server answered 500 Internal Server Error"),
        ("/silent.yaml", "no answer within 1 s"),
        ("/endless.yaml", "larger than 4000 bytes"),
        ("/declared-huge.yaml", "the file is 1000000000 bytes"),
    ],
    ids=["404", "500", "timeout", "too-large-streaming", "too-large-declared"],
)
def test_a_failed_update_keeps_the_last_good_copy(
    run: Run, publisher: Publisher, monkeypatch: pytest.MonkeyPatch, path: str, expected: str
) -> None:
    """404, 500, a server that never answers, a body over the limit: exit 1, the copy untouched, views work."""
    monkeypatch.setattr(semester, "MAX_FILE_BYTES", 4000)
    small = "\n".join(
        line for line in RICH.read_text(encoding="utf-8").split("reading_lists:")[0].splitlines() if "refs:" not in line
    )
    publisher.files["/good.yaml"] = (small + "\n").encode()
    assert len(publisher.files["/good.yaml"]) < 4000
    assert run("add", publisher.url("/good.yaml")).exit_code == 0
    # The instructor's site moves or breaks: the followed address now answers badly.
    config_file().write_text(
        config_file().read_text(encoding="utf-8").replace(publisher.url("/good.yaml"), publisher.url(path)),
        encoding="utf-8",
    )
    kept = (copies() / "ml101.yaml").read_bytes()
    result = run("update")
    assert result.exit_code == 1
    assert expected in result.stderr and "the last good copy is kept" in result.stderr
    assert (copies() / "ml101.yaml").read_bytes() == kept
    assert run("schedule").exit_code == 0


def test_no_network_keeps_the_copy_too(run: Run, publisher: Publisher) -> None:
    """The server is gone (connection refused): said, exit 1, the copy kept."""
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    publisher.server.shutdown()
    publisher.server.server_close()
    result = run("update")
    assert result.exit_code == 1
    assert "cannot connect" in result.stderr
    assert (copies() / "ml101.yaml").read_bytes() == RICH.read_bytes()


def test_an_invalid_course_published_over_a_valid_one_is_not_taken(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    publisher.files["/course.yaml"] = RICH.read_bytes().replace(b'start: "09:00"', b'start: "9h"')
    result = run("update")
    assert result.exit_code == 1
    assert "the published file no longer validates" in result.stderr and "9h is not a valid time" in result.stderr
    assert (copies() / "ml101.yaml").read_bytes() == RICH.read_bytes()


def test_removing_a_url_course_deletes_only_its_downloaded_copy(run: Run, publisher: Publisher) -> None:
    publisher.files["/course.yaml"] = RICH.read_bytes()
    assert run("add", publisher.url("/course.yaml")).exit_code == 0
    assert run("remove", "ml101").exit_code == 0
    assert not (copies() / "ml101.yaml").exists()
    assert run("update").stdout == "no followed course; follow one with `mdl add SOURCE`\n"


def test_update_fifty_unchanged_courses_asks_each_once(run: Run, publisher: Publisher, tmp_path: Path) -> None:
    """Every course one conditional request (the timing is the benchmark's, bench/run.py)."""
    text = RICH.read_text(encoding="utf-8")
    for n in range(50):
        publisher.files[f"/c{n}.yaml"] = text.replace("id: ml101", f"id: course-{n}").encode()
        assert run("add", publisher.url(f"/c{n}.yaml")).exit_code == 0
    asked = len(publisher.requests)
    result = run("update")
    assert result.exit_code == 0
    assert result.stdout.count("unchanged") == 50
    assert len(publisher.requests) - asked == 50


# -- the config file ------------------------------------------------------------------------------


def test_a_broken_config_is_an_error_naming_file_and_line(run: Run) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text('tz = "Europe/Paris"\n[[courses]\nid = 1\n', encoding="utf-8")
    result = run("schedule")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {config_file()}:2:") and result.stderr.count("\n") == 1
    config_file().write_text('tz = "Europe/Paris"\ncolour = "never"\n', encoding="utf-8")
    result = run("schedule")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {config_file()}:2: colour: unknown setting; the settings are: color, courses, remind, study, tz, warnings\n"
    )


def test_settings_precedence_option_environment_config_builtin(run: Run) -> None:
    """tz: --tz beats $MDL_TZ beats the config's tz beats the course's own zone; `mdl config` says which."""
    config_file().parent.mkdir(parents=True)
    config_file().write_text('tz = "Asia/Tokyo"\ncolor = "never"\n', encoding="utf-8")
    first = lambda *args, env=None: rows(run("schedule", "--week", "6", *args, env=env).stdout)[0][2]  # noqa: E731
    assert first() == "09:10–11:00 JST"
    assert first(env={"MDL_TZ": "Europe/Paris"}) == "01:10–03:00 CET"
    assert first("--tz", "UTC", env={"MDL_TZ": "Europe/Paris"}) == "00:10–02:00 UTC"
    shown = {r[0]: r[1:] for r in rows(run("config").stdout)}
    assert shown["tz"] == ["Asia/Tokyo", str(config_file())]
    assert shown["color"] == ["never", str(config_file())]
    assert json.loads(run("config", "--json", env={"MDL_TZ": "UTC"}).stdout)["tz"] == {
        "value": "UTC",
        "from": "$MDL_TZ",
    }
    config_file().unlink()
    assert json.loads(run("config", "--json").stdout)["tz"]["from"] == "built-in"


def test_the_config_file_is_written_atomically_and_reads_back(run: Run, tmp_path: Path) -> None:
    """A quote, a backslash and a non-ASCII letter in a path survive the round trip through TOML."""
    folder = tmp_path / 'Cours "été" \\ 2024'
    folder.mkdir()
    course = write_course(folder, RICH.read_text(encoding="utf-8"))
    assert run("add", str(course)).exit_code == 0
    assert json.loads(run("courses", "--json").stdout)["courses"][0]["source"] == str(course)
    # No temporary file is left; the lock file stays (removing it would race a waiting mdl).
    assert sorted(p.name for p in config_file().parent.iterdir()) == ["config.toml", "config.toml.lock"]


# -- every view over the semester -------------------------------------------------------------------


@pytest.fixture
def semester_of_three(run: Run, tmp_path: Path) -> dict[str, Path]:
    """The bundled course (New York), ml101 (London) and the real course (Chicago), all followed."""
    paths = {
        "mathsdl-spring19": BUNDLED,
        "ml101": write_course(tmp_path, RICH.read_text(encoding="utf-8"), "ml101.yaml"),
    }
    paths["intro-ml-2027"] = write_course(tmp_path, REAL.read_text(encoding="utf-8"), "real.yaml")
    for path in paths.values():
        assert run("add", str(path)).exit_code == 0
    return paths


def test_merged_schedule_is_sorted_by_time_and_tagged_with_the_course(
    run: Run, semester_of_three: dict[str, Path]
) -> None:
    out = rows(run("schedule").stdout)
    assert {r[0] for r in out} == set(semester_of_three)
    assert [r[0] for r in out[:15]] == ["mathsdl-spring19"] * 15
    assert out[15][0] == "ml101" and out[-1][0] == "intro-ml-2027"
    data = json.loads(run("schedule", "--json").stdout)
    assert all("course" in s for s in data)
    starts = [s["start"] for s in data if s["start"]]
    assert len(starts) == len(data) - 3  # three breaks have no start
    terminal = run("schedule", env={"FORCE_COLOR": "1", "COLUMNS": "200"}).stdout
    assert "course" in terminal and "ml101" in terminal


def test_merged_next_deadlines_and_search(run: Run, semester_of_three: dict[str, Path]) -> None:
    items = json.loads(run("next", "--now", "2024-10-09T08:00Z", "--json").stdout)["items"]
    assert {i["course"] for i in items} == {"ml101", "intro-ml-2027"}  # the bundled course has ended
    dated = [i["start"] for i in items if i["start"]]
    assert dated == sorted(dated, key=dt.datetime.fromisoformat)
    deadlines = json.loads(run("deadlines", "--now", "2024-10-09T08:00Z", "--json").stdout)
    assert [d["course"] for d in deadlines[:3]] == ["mathsdl-spring19", "ml101", "ml101"]
    piped = rows(run("deadlines", "--now", "2024-10-09T08:00Z").stdout)
    assert piped[0][:2] == ["mathsdl-spring19", "final-project"]
    hits = json.loads(run("search", "kernel", "--json").stdout)
    assert {h["course"] for h in hits} == set(semester_of_three)  # "Kernel Methods" in the bundled syllabus
    assert any(h["command"] == "mdl refs intro-ml-2027:kernels" for h in hits)


def test_refs_resolves_in_the_only_course_that_has_an_id(run: Run, semester_of_three: dict[str, Path]) -> None:
    assert "Graph Neural Network Applications" in run("refs", "lec5").stdout
    ambiguous = run("refs", "l2")
    assert ambiguous.exit_code == 2
    assert "name one: ml101:l2, intro-ml-2027:l2" in ambiguous.stderr
    assert "Least squares" in run("refs", "ml101:l2").stdout
    assert "Least squares" in run("refs", "intro-ml-2027:l2").stdout
    assert run("refs", "mathsdl-spring19:lec5").exit_code == 0
    assert run("refs", "nowhere").exit_code == 2
    every = json.loads(run("refs", "--json").stdout)
    assert {r["course"] for r in every} == set(semester_of_three)


def test_narrowing_with_course_and_the_environment(
    run: Run, semester_of_three: dict[str, Path], tmp_path: Path
) -> None:
    """--course ID (repeatable) or $MDL_COURSE; a single course is shown as before, without a course field."""
    only = rows(run("schedule", "--course", "ml101").stdout)
    assert only[0][:2] == ["1", "Mon 2024-09-30"]
    two = rows(run("schedule", "--course", "ml101", "--course", "intro-ml-2027").stdout)
    assert {r[0] for r in two} == {"ml101", "intro-ml-2027"}
    env = rows(run("deadlines", env={"MDL_COURSE": f"ml101{os.pathsep}mathsdl-spring19"}).stdout)
    assert {r[0] for r in env} == {"ml101", "mathsdl-spring19"}
    assert run("info").exit_code == 2 and "name it with --course" in run("info").stderr
    assert run("info", "--course", "ml101").exit_code == 0
    assert run("schedule", "--course", str(RICH)).exit_code == 0  # a path still works


def test_one_calendar_for_the_semester_with_uids_per_course(
    run: Run, semester_of_three: dict[str, Path], tmp_path: Path
) -> None:
    """Adding a course adds only its own events: the others keep their UIDs and SEQUENCE."""
    target = tmp_path / "semester.ics"
    assert run("remove", "intro-ml-2027").exit_code == 0
    assert run("export-ics", "-o", str(target)).exit_code == 0
    before = {
        str(e["UID"]): int(e["SEQUENCE"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    }
    assert run("add", str(semester_of_three["intro-ml-2027"])).exit_code == 0
    result = run("export-ics", "-o", str(target))
    assert result.exit_code == 0
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    after = {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}
    assert {u: s for u, s in after.items() if u in before} == before
    assert {u.split("@")[1] for u in set(after) - set(before)} == {"intro-ml-2027.mdl"}
    assert {str(t["TZID"]) for t in calendar.walk("VTIMEZONE")} == {
        "America/New_York",
        "Europe/London",
        "America/Chicago",
    }


def test_split_writes_one_calendar_per_course(run: Run, semester_of_three: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    result = run("export-ics", "--split", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c}.ics" for c in semester_of_three)
    ml101 = icalendar.Calendar.from_ical((folder / "ml101.ics").read_bytes())
    assert {str(e["UID"]).split("@")[1] for e in ml101.walk("VEVENT")} == {"ml101.mdl"}


# -- clashes ----------------------------------------------------------------------------------------


def _two_courses_at_once(run: Run, tmp_path: Path) -> None:
    """ml101 and a copy an hour later, stats200: their meetings overlap every week, two deadlines too."""
    rich = write_course(tmp_path, RICH.read_text(encoding="utf-8"), "a.yaml")
    other = (
        RICH.read_text(encoding="utf-8")
        .replace("id: ml101", "id: stats200")
        .replace('start: "09:00"', 'start: "10:00"')
    )
    other = other.replace('end: "10:30"', 'end: "11:30"').replace('time: "18:00"', 'time: "18:30"')
    assert run("add", str(rich)).exit_code == 0
    added = run("add", str(write_course(tmp_path, other, "b.yaml")))
    assert added.exit_code == 0
    assert (
        "warning: timetable clash: Lecture (ml101) overlaps Lecture (stats200) on Mondays 10:00–10:30 BST, "
        "5 times, Mon 2024-09-30 … Mon 2024-11-18\n" in added.stderr
    )


def test_clashes_are_one_line_a_pattern_and_courses_lists_them(run: Run, tmp_path: Path) -> None:
    """Weekly overlaps are one line each with how often and from when to when; one-offs name their day."""
    _two_courses_at_once(run, tmp_path)
    listed = run("courses")
    assert listed.stderr == ""
    clashes = [line.split("\t", 1)[1] for line in listed.stdout.splitlines() if line.startswith("clash\t")]
    assert len(clashes) == 7  # five weekly meetings and two deadlines, not one line per week
    assert "timetable clash: Lab (ml101) overlaps Lab (stats200) on Fridays 16:00–18:00 BST, 2 times" in clashes[4]
    assert clashes[5] == (
        "due within the same hour: Lab report 1 (ml101) and Lab report 1 (stats200), "
        "on Fri 2024-10-11 at 18:00 BST and 18:30 BST"
    )
    data = json.loads(run("courses", "--json").stdout)["clashes"]
    assert data[0] | {"text": ""} == {
        "kind": "timetable",
        "courses": ["ml101", "stats200"],
        "what": ["Lecture", "Lecture"],
        "times": 5,
        "first": "2024-09-30T10:00:00+01:00",
        "last_day": "2024-11-18",
        "text": "",
    }
    schedule = run("schedule")
    assert schedule.stderr.count("warning: ") == 7
    assert "clash" not in schedule.stdout  # the pipe's records stay records


def test_clash_warnings_are_silenced_by_the_config_or_a_flag(run: Run, tmp_path: Path) -> None:
    _two_courses_at_once(run, tmp_path)
    assert run("schedule", "--no-clash-warnings").stderr == ""
    config = config_file()
    config.write_text("[warnings]\nclashes = false\n\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("schedule").stderr == ""
    assert run("schedule", "--clash-warnings").stderr.count("warning: ") == 7  # an option wins over the config
    assert len([line for line in run("courses").stdout.splitlines() if line.startswith("clash\t")]) == 7
    assert run("remove", "stats200").exit_code == 0  # a rewrite keeps the setting
    assert "[warnings]\nclashes = false" in config.read_text(encoding="utf-8")
    config.write_text("[warnings]\nclashes = 0\n", encoding="utf-8")
    assert one_clear_error(run("schedule")) == f"error: {config}:2: warnings.clashes: expected true or false\n"


def test_no_followed_course_is_the_bundled_course_as_before(run: Run) -> None:
    assert rows(run("schedule").stdout)[0][:2] == ["1", "Wed 2019-01-23"]
    assert "No course followed yet" in run("courses").stdout
