"""The validate contract: what it accepts never crashes a command, what it refuses is located, nothing hangs."""

from __future__ import annotations

import copy
import json
import os
import re
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mdlcli import schema, store
from mdlcli.cli import app

from .conftest import FIXTURES, Run, rows, write_course

MDL = Path(sys.executable).parent / "mdl"
RICH = FIXTURES / "rich.yaml"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
EMPTY_FORMS = ("~", '""', "[]", "{}")


# -- no half-built items ---------------------------------------------------------------------


def required_keys(node: yaml.Node, shape: schema.Shape, path: str) -> Iterator[tuple[str, yaml.Node, str]]:
    """Each required key of each item kind in a course, with its value node and shape, from the schema itself."""
    values = {k.value: v for k, v in node.value}
    for key in shape.keys:
        value = values.get(key.name)
        field = f"{path}.{key.name}" if path else key.name
        if value is None:
            continue
        if key.required:
            yield field, value, shape.name
        if key.shape is not None and key.type == "mapping":
            yield from required_keys(value, key.shape, field)
        elif key.shape is not None and key.type == "list" and value.value:
            yield from required_keys(value.value[0], key.shape, f"{field}[0]")


RICH_TEXT = RICH.read_text(encoding="utf-8")
REQUIRED = list(required_keys(yaml.compose(RICH_TEXT), schema.COURSE_FILE, ""))


def test_the_rich_course_has_every_required_key_of_every_item_kind() -> None:
    """The parametrised test below reaches each shape of the schema that has required keys."""
    shapes_with_required = set()

    def walk(shape: schema.Shape) -> None:
        if any(k.required for k in shape.keys):
            shapes_with_required.add(shape.name)
        for key in shape.keys:
            if key.shape is not None:
                walk(key.shape)

    walk(schema.COURSE_FILE)
    assert {shape for _, _, shape in REQUIRED} == shapes_with_required
    assert len(REQUIRED) >= 25


@pytest.mark.parametrize("empty", EMPTY_FORMS)
@pytest.mark.parametrize(("field", "node"), [(f, n) for f, n, _ in REQUIRED], ids=[f for f, _, _ in REQUIRED])
def test_a_required_key_given_empty_is_a_located_error(
    run: Run, tmp_path: Path, field: str, node: yaml.Node, empty: str
) -> None:
    """~, "", [] or {} for any required key of any item: validate names it with file:line:column; views fail with it."""
    start, end = node.start_mark.index, node.end_mark.index
    text = RICH_TEXT[:start] + empty + ("\n" if RICH_TEXT[end - 1 : end] == "\n" else "") + RICH_TEXT[end:]
    path = write_course(tmp_path, text)
    checked = run("validate", "--json", str(path))
    assert checked.exit_code == 1, checked.output
    errors = json.loads(checked.stdout)["errors"]
    located = [e for e in errors if e["field"].startswith(field) and e["line"] and e["column"]]
    assert located, errors
    assert all(e["file"] == str(path) and e["severity"] == "error" for e in errors)
    for command in (["schedule"], ["next"], ["export-ics", "-o", "-"]):
        shown = run(*command, "--course", str(path))
        assert shown.exit_code == 1 and shown.stderr.startswith("error: "), shown.output
        assert shown.stderr.count("\n") == 1


def test_a_meeting_with_a_null_weekday_registers_no_id(run: Run, tmp_path: Path) -> None:
    """The reported bug: weekday ~ was valid (0 errors) and then schedule crashed with KeyError."""
    path = write_course(tmp_path, MINIMAL.replace("weekday: monday", "weekday: ~"))
    checked = run("validate", str(path))
    assert checked.exit_code == 1
    assert f"{path}:11:14: meetings[0].weekday: is required" in checked.stdout
    assert "sessions[0].meeting: the meeting 'lecture' has errors of its own (see above)" in checked.stdout
    shown = run("schedule", "--course", str(path))
    assert shown.exit_code == 1
    assert shown.stderr.startswith(f"error: {path}:11:14: meetings[0].weekday: is required")


def test_a_reading_list_with_a_broken_reference_is_not_accepted(run: Run, tmp_path: Path) -> None:
    """No reference to a broken item is accepted: the session naming the list says why, once."""
    path = write_course(tmp_path, MINIMAL.replace("year: 2020", "year: twenty"))
    output = run("validate", str(path)).stdout
    assert "reading_lists[0].main[0].year: 'twenty' is not a whole number" in output
    assert "sessions[0].refs: the reading list 'intro-reading' has errors of its own (see above)" in output


# -- one diagnostic type ----------------------------------------------------------------------


def test_validate_json_gives_errors_and_warnings_as_located_objects(run: Run, tmp_path: Path) -> None:
    """Every finding: severity, file, line, column, field, message; warnings of a valid file too."""
    keys = {"severity", "file", "line", "column", "field", "message"}
    valid = json.loads(run("validate", "--json").stdout)
    assert valid["valid"] is True and valid["errors"] == []
    assert len(valid["warnings"]) == 15
    for warning in valid["warnings"]:
        assert set(warning) == keys and warning["severity"] == "warning"
        assert isinstance(warning["line"], int) and isinstance(warning["column"], int)
    path = write_course(tmp_path, MINIMAL.replace('start: "10:00"', 'start: "10.00"'))
    invalid = run("validate", "--json", str(path))
    assert invalid.exit_code == 1
    error, cascade = json.loads(invalid.stdout)["errors"]
    assert cascade["field"] == "sessions[0].meeting"
    assert error == {
        "severity": "error",
        "file": str(path),
        "line": 12,
        "column": 12,
        "field": "meetings[0].start",
        "message": '10.00 is not a valid time (expected HH:MM, quoted: "19:10")',
    }


def test_validate_json_reports_an_unreadable_file_as_an_error_object(run: Run, tmp_path: Path) -> None:
    """A file that is no text (or no file) is still a JSON verdict, with no line to point at."""
    missing = tmp_path / "nowhere.yaml"
    result = run("validate", "--json", str(missing))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["errors"][0] | {"message": ""} == {
        "severity": "error",
        "file": str(missing),
        "line": None,
        "column": None,
        "field": "",
        "message": "",
    }


# -- nothing hangs ----------------------------------------------------------------------------


def not_regular_files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    fifo = tmp_path / "course.fifo"
    os.mkfifo(fifo)
    yield fifo, "a named pipe (FIFO)"
    yield tmp_path, "a directory"
    yield Path("/dev/zero"), "a character device"
    if Path("/dev/tty").exists():
        yield Path("/dev/tty"), "a character device"
    link = tmp_path / "link-to-fifo.yaml"
    link.symlink_to(fifo)
    yield link, "a named pipe (FIFO)"


def test_a_course_path_that_is_no_regular_file_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    """FIFO, socket, device, folder: one error naming the path and what it is, exit 1, at once."""
    server = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "course.sock"
    server.bind(str(sock))
    try:
        for path, kind in [*not_regular_files(tmp_path), (sock, "a socket")]:
            for args in (["validate", str(path)], ["schedule", "--course", str(path)]):
                result = subprocess.run(
                    [MDL, *args], capture_output=True, text=True, timeout=20, check=False, stdin=subprocess.DEVNULL
                )
                assert result.returncode == 1, (args, result.stderr)
                assert f"{path}: is {kind}, not a course file" in result.stdout + result.stderr
                assert "Traceback" not in result.stderr
    finally:
        server.close()


def test_the_refusal_does_not_wait_for_the_file(tmp_path: Path) -> None:
    """A FIFO nobody writes to: answered long before a reader could give up waiting (a bound, not a benchmark)."""
    fifo = tmp_path / "course.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = subprocess.run([MDL, "schedule", "--course", str(fifo)], capture_output=True, timeout=20, check=False)
    assert result.returncode == 1
    assert time.monotonic() - started < 15


def test_writing_to_a_pipe_a_device_or_a_link_to_one_is_refused(tmp_path: Path) -> None:
    """An export never opens a FIFO or a device to write (it could block forever); '-' is stdout."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "calendar.ics"
    link.symlink_to(fifo)
    for target, kind in ((fifo, "a named pipe (FIFO)"), (link, "a named pipe (FIFO)"), ("/dev/zero", "a char")):
        result = subprocess.run(
            [MDL, "export-ics", "-o", str(target)], capture_output=True, text=True, timeout=20, check=False
        )
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: {target}: is {kind}")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()


# -- the cache can never lie ------------------------------------------------------------------


def test_a_cache_entry_made_by_other_code_is_ignored(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same file, other code (another fingerprint): the course is parsed again, not served from the entry."""
    from mdlcli import parse

    parsed: list[str] = []
    real = parse.parse_course

    def counting(text: str, name: str) -> object:
        parsed.append(name)
        return real(text, name)

    monkeypatch.setattr(parse, "parse_course", counting)
    path = write_course(tmp_path, MINIMAL)
    assert run("schedule", "--course", str(path)).exit_code == 0
    assert run("schedule", "--course", str(path)).exit_code == 0
    assert len(parsed) == 1  # the second run read the entry
    monkeypatch.setattr(store, "code_fingerprint", lambda: "other code")
    assert run("schedule", "--course", str(path)).exit_code == 0
    assert len(parsed) == 2  # the entry of other code was not served


def test_the_fingerprint_covers_the_package_sources() -> None:
    """It changes with the package's source files: a module's size or modification time."""
    store.code_fingerprint.cache_clear()
    before = store.code_fingerprint()
    module = Path(store.__file__)
    status = module.stat()
    try:
        os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
        store.code_fingerprint.cache_clear()
        assert store.code_fingerprint() != before
    finally:
        os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns))
        store.code_fingerprint.cache_clear()
    assert store.code_fingerprint() == before


def test_the_cache_answers_with_this_runs_path(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached from one folder, asked from another by a relative path: messages name the path given now."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_course(tmp_path / "a", MINIMAL.replace("date: 2024-03-18", "date: 2024-03-19"))
    monkeypatch.chdir(tmp_path / "a")
    first = run("validate", "course.yaml")
    assert "course.yaml:28:11: sessions[2].date: 2024-03-19 is a Tuesday" in first.stdout
    monkeypatch.chdir(tmp_path / "b")
    second = run("validate", "../a/course.yaml")
    assert "warning: ../a/course.yaml:28:11: sessions[2].date" in second.stdout
    assert second.stdout.endswith("../a/course.yaml: valid (0 errors, 1 warning)\n")
    exported = run("export-ics", "--course", "../a/course.yaml", "-o", "-")
    assert exported.exit_code == 0


# -- help from the code -----------------------------------------------------------------------


def test_help_lists_every_command_in_the_order_they_are_declared(run: Run) -> None:
    """The weekly commands first; the list comes from the commands themselves."""
    listed = [line.split()[0] for line in run("--help").stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == [
        "schedule", "next", "agenda", "week", "refs", "search", "deadlines", "export-ics", "export-todo", "export-md", "export-html",
            "export-site", "courses", "add",
        "update", "remove", "config", "done", "undone", "read", "unread", "remind",
        "info", "syllabus", "curriculum", "validate", "init", "import", "schema",
    ]  # fmt: skip


def test_a_new_command_appears_in_help_without_touching_any_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more command declared: --help still works and lists it last, and it runs."""
    from mdlcli import commands

    extended = copy.copy(commands.commands)
    extended.registered_commands = list(commands.commands.registered_commands)

    @extended.command("hello")
    def hello() -> None:
        """Say hello."""
        print("hello")

    assert "hello" not in CliRunner().invoke(app, ["--help"]).stdout
    monkeypatch.setattr(commands, "commands", extended)
    result = CliRunner().invoke(app, ["--help"], prog_name="mdl")
    assert result.exit_code == 0, result.output
    assert "hello" in result.stdout.split("Commands:")[1].splitlines()[-1]
    assert CliRunner().invoke(app, ["hello"]).stdout == "hello\n"


def test_a_run_makes_only_the_command_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands are made on first use; a mistyped one is still answered with a suggestion."""
    import typer.main

    made: list[str] = []
    original = typer.main.get_command_from_info

    def counted(info: typer.models.CommandInfo, **options: object) -> object:
        made.append(info.callback.__name__ if info.callback else "")
        return original(info, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(typer.main, "get_command_from_info", counted)
    assert CliRunner().invoke(app, ["info"]).exit_code == 0
    assert made == ["info"]
    mistyped = CliRunner().invoke(app, ["schedul"])
    assert mistyped.exit_code == 2 and "schedule" in mistyped.stderr
    assert len(made) == 1


# -- every value is bounded and whole ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["deadlines", "--now", "9999-12-31T23:59"], {}, "--now: '9999-12-31T23:59' is outside the years"),
        (["next", "--now", "0001-01-01"], {}, "--now: '0001-01-01' is outside the years"),
        (["next"], {"MDL_NOW": "9999-12-31T23:59"}, "$MDL_NOW: '9999-12-31T23:59' is outside the years"),
        (["export-ics", "-o", "-", "--alarm", "1000000000d"], {}, "--alarm: '1000000000d' is more than a year"),
        (["refs", "lec5", "--open", "²"], {}, "--open: '²' is not a reference here"),
        (["schedule", "--week", "9" * 5000], {}, "--week"),
        (["schedule", "--week", "99"], {}, "--week: 99 is not a week of this course; its weeks are 1 to 15"),
        (["schedule", "--tz", "Europe"], {}, "--tz: 'Europe' is not a known time zone"),
        (["schedule", "--tz", "A" * 5000], {}, "--tz:"),
    ],
    ids=["now-9999", "now-year-1", "env-now", "alarm", "open-superscript", "week-5000-digits", "week-99", "tz-folder",
         "tz-long"],
)  # fmt: skip
def test_option_values_out_of_bounds_are_usage_errors(
    run: Run, args: list[str], env: dict[str, str], message: str
) -> None:
    """Exit 2 with one error line, never a traceback."""
    result = run(*args, env=env)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_term_that_would_expand_without_end_is_refused(run: Run, tmp_path: Path) -> None:
    """A tiny file cannot ask an export for millions of meetings: three centuries of eight weekly meetings."""
    meetings = "".join(f'  - id: m{n}\n    weekday: monday\n    start: "10:00"\n    end: "11:00"\n' for n in range(8))
    text = MINIMAL.replace("term_start: 2024-03-04", "term_start: 1900-01-01").replace(
        "term_end: 2024-03-24", "term_end: 2199-12-31"
    )
    text = text.replace("meetings:\n", "meetings:\n" + meetings)
    path = write_course(tmp_path, text)
    result = subprocess.run([MDL, "validate", str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "the weekly meetings would take place 125" in result.stdout
    assert "at most 100000" in result.stdout


WIDEST_TERM = """\
schema: 1
course:
  id: wide
  title: Three centuries
  timezone: Europe/Paris
  term_start: 1900-01-01
  term_end: 2199-12-31
meetings:
  - id: lecture
    weekday: monday
    start: "10:00"
    end: "11:00"
  - id: tutoring
    weekday: friday
    start: "23:30"
    end: "23:59"
sessions:
  - id: first
    week: 1
    date: 1900-01-01
    title: The first
  - id: last
    week: 15654
    date: 2199-12-30
    title: The last
deadlines:
  - id: end
    title: The very end
    due: 2199-12-31
"""


def test_the_widest_term_allowed_exports_in_bounded_work(tmp_path: Path) -> None:
    """The first day of 1900 to the last of 2199, a weekly meeting expanded: validate and export both finish."""
    path = write_course(tmp_path, WIDEST_TERM)
    for args in (["validate", str(path)], ["export-ics", "--course", str(path), "-o", "-", "--expand"]):
        result = subprocess.run([MDL, *args], capture_output=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
    for args in (["next", "--now", "2199-12-31T23:00"], ["deadlines", "--now", "1900-01-01"], ["schedule"]):
        result = subprocess.run([MDL, *args, "--course", str(path)], capture_output=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr


DST_GAP = """\
schema: 1
course:
  id: gap
  title: Night class
  timezone: America/New_York
  term_start: 2019-03-04
  term_end: 2019-03-17
meetings:
  - id: lecture
    weekday: sunday
    start: "02:30"
    end: "03:15"
sessions:
  - id: s1
    week: 1
    date: 2019-03-10
    title: On the night the clocks jump
"""


def test_a_meeting_inside_the_spring_forward_gap_still_ends_after_it_starts(run: Run, tmp_path: Path) -> None:
    """02:30 does not exist on 2019-03-10 in New York: the session starts after the jump and still lasts."""
    path = write_course(tmp_path, DST_GAP)
    (session,) = json.loads(run("schedule", "--json", "--course", str(path)).stdout)
    assert session["start"] < session["end"]
    calendar = run("export-ics", "--course", str(path), "-o", "-").stdout
    import icalendar

    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert event["DTEND"].dt > event["DTSTART"].dt
    assert run("next", "--course", str(path), "--now", "2019-03-10T00:00").exit_code == 0


# -- text is data on every path ----------------------------------------------------------------

CONTROLS = "Lec\x1b[31m1\nsecond line\x07"


def test_control_characters_in_labels_never_reach_a_pipe_or_terminal_raw(run: Run, tmp_path: Path) -> None:
    """A label with an escape sequence and a line break: one record a line, the controls shown as symbols."""
    path = write_course(
        tmp_path, MINIMAL.replace("label: L2", f'label: "{CONTROLS.encode("unicode_escape").decode()}"')
    )
    for env in ({}, {"FORCE_COLOR": "1"}):
        for command in (["schedule"], ["refs"], ["search", "Conclusion"], ["next", "--now", "2024-03-17"]):
            result = run(*command, "--course", str(path), env=env)
            assert result.exit_code == 0, result.output
            assert "\x1b[31m1" not in result.stdout and "\x07" not in result.stdout
    piped = run("schedule", "--course", str(path)).stdout
    (row,) = [r for r in rows(piped) if "Conclusion" in r]
    assert "Lec␛[31m1 second line␇" in row


def test_rich_markup_in_the_course_title_is_shown_literally(run: Run, tmp_path: Path) -> None:
    """[bold red] in a title is text on a terminal, in every heading it reaches."""
    path = write_course(
        tmp_path, MINIMAL.replace("title: Demo Course", 'title: "[bold red]Loud[/] [link=https://x.example]y[/link]"')
    )
    for command in (["schedule"], ["info"], ["deadlines", "--now", "2024-03-05"], ["next", "--now", "2024-03-05"]):
        shown = run(*command, "--course", str(path), env={"FORCE_COLOR": "1", "COLUMNS": "200"}).stdout
        if command in (["schedule"], ["info"]):
            assert "[bold red]Loud[/]" in shown
        assert "\x1b]8;" not in shown


def test_report_lines_and_alarms_show_controls_as_symbols(run: Run, tmp_path: Path) -> None:
    """The export's report line and the alarm's text quote titles: no raw control character in either."""
    text = MINIMAL.replace("    title: Report\n", '    title: "Re\\x1bport\\x07"\n')
    text += '  - id: later\n    title: "TBA\\x1b[2J"\n'
    path = write_course(tmp_path, text)
    result = run("export-ics", "--course", str(path), "-o", str(tmp_path / "out.ics"))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "left out, no date yet: TBA␛[2J" in result.stdout
    exported = (tmp_path / "out.ics").read_bytes()
    assert b"\x1b" not in exported and b"\x07" not in exported
    assert "DESCRIPTION:Re␛port␇ is due in 1 day" in exported.decode()


def test_a_uid_with_a_comma_or_semicolon_still_gets_its_sequence_bumped(run: Run, tmp_path: Path) -> None:
    """UIDs are TEXT, written escaped; the earlier export is read back unescaped, so a change is seen."""
    path = write_course(tmp_path, MINIMAL.replace("  - id: outro", '  - id: "out,r;o"'))
    target = tmp_path / "course.ics"
    assert run("export-ics", "--course", str(path), "-o", str(target)).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("title: Conclusion", "title: Wrap-up"), encoding="utf-8")
    assert run("export-ics", "--course", str(path), "-o", str(target)).exit_code == 0
    import icalendar

    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert int(events["session-out,r;o@demo.mdl"]["SEQUENCE"]) == 1
    assert int(events["session-intro@demo.mdl"]["SEQUENCE"]) == 0


# -- files the user owns ------------------------------------------------------------------------


def test_a_file_that_only_mentions_mdl_is_not_taken_for_one_of_its_calendars(run: Run, tmp_path: Path) -> None:
    """Notes that quote mdl's PRODID, or a calendar of another program that does, are the user's."""
    notes = tmp_path / "notes.ics"
    notes.write_text("My notes on -//mdl//mdl exports\n", encoding="utf-8")
    other = tmp_path / "other.ics"
    other.write_text(
        "BEGIN:VCALENDAR\r\nPRODID:-//other//app//EN\r\nX-NOTE:-//mdl//\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    for target in (notes, other):
        before = target.read_bytes()
        result = run("export-ics", "-o", str(target))
        assert result.exit_code == 1
        assert result.stderr == f"error: {target}: exists and was not written by mdl; --force replaces it\n"
        assert target.read_bytes() == before
    assert run("export-ics", "-o", str(other)).exit_code == 1
    assert run("export-ics", "-o", str(tmp_path / "fresh.ics")).exit_code == 0
    assert run("export-ics", "-o", str(tmp_path / "fresh.ics")).exit_code == 0  # its own: replaced


def test_a_link_to_an_earlier_export_is_followed_and_kept(run: Run, tmp_path: Path) -> None:
    """The file the link points to is replaced; the link itself stays a link."""
    real = tmp_path / "real.ics"
    assert run("export-ics", "-o", str(real)).exit_code == 0
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    assert run("export-ics", "-o", str(link), "--alarm", "2d").exit_code == 0
    assert link.is_symlink()
    assert b"TRIGGER:-P2D" in real.read_bytes()


def test_an_output_name_is_never_a_pattern_when_cleaning_up(run: Run, tmp_path: Path) -> None:
    """Stale temporaries of `[a].ics` are cleaned; those of `a.ics`, which `[a]` would match as a glob, are not."""
    old = time.time() - 7200
    theirs = tmp_path / ".a.ics.x1.tmp"
    ours = tmp_path / ".[a].ics.x2.tmp"
    for stale in (theirs, ours):
        stale.write_text("half")
        os.utime(stale, (old, old))
    assert run("export-ics", "-o", str(tmp_path / "[a].ics")).exit_code == 0
    assert theirs.exists() and not ours.exists()


def test_a_legal_long_file_name_works(run: Run, tmp_path: Path) -> None:
    """255 bytes is a legal name; the temporary file beside it must not need more."""
    name = "c" * 251 + ".ics"
    assert len(name.encode()) == 255
    result = run("export-ics", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert run("export-ics", "-o", str(tmp_path / name)).exit_code == 0


# -- BibTeX stays balanced whatever the titles say ---------------------------------------------

BIB_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), whitelist_characters="{}\\%&$#_~^@,=\"'"), max_size=40
)


def balanced(text: str) -> bool:
    """BibTeX's view: every brace counts, escaped or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.tuples(
            BIB_TEXT,
            st.one_of(st.none(), BIB_TEXT),
            st.one_of(st.none(), BIB_TEXT),
            st.one_of(st.none(), st.integers(1900, 2199)),
        ),
        max_size=6,
    )
)
def test_bibtex_is_balanced_with_unique_keys_whatever_the_text(
    references: list[tuple[str, str | None, str | None, int | None]],
) -> None:
    """Braces, backslashes and any script in titles, authors and URLs: balanced entries, non-empty unique keys."""
    import bibtexparser

    from mdlcli.bibtex import to_bibtex
    from mdlcli.model import ReadingList, Reference
    from mdlcli.query import entries

    refs = tuple(
        Reference(title or "t", authors, year, None, None, f"https://x.example/{url}" if url is not None else None)
        for title, authors, url, year in references
    )
    written = to_bibtex(entries(ReadingList("r", None, refs, ())))
    written_entries = [e for e in re.split(r"(?m)^(?=@misc\{)", written) if e.strip()]
    distinct = {(r.title, r.url) for r in refs}
    assert len(written_entries) == len(distinct)
    for entry in written_entries:
        assert balanced(entry), entry
    parsed = bibtexparser.loads(written)
    keys = [e["ID"] for e in parsed.entries]
    assert len(keys) == len(distinct) and len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z]+[0-9]*[a-z0-9]*(-[0-9]+)?", key) for key in keys), keys


def test_bibtex_of_a_url_ending_in_a_backslash_and_a_title_without_ascii() -> None:
    import bibtexparser

    from mdlcli.bibtex import to_bibtex
    from mdlcli.model import ReadingList, Reference
    from mdlcli.query import entries

    refs = (
        Reference("A path", "Ng", 2019, None, None, "https://x.example/dir\\"),
        Reference("日本語の論文", None, None, None, None, None),
        Reference("中文论文", "李", None, None, None, None),
    )
    parsed = bibtexparser.loads(to_bibtex(entries(ReadingList("r", None, refs, ()))))
    assert [e.get("url") for e in parsed.entries] == ["https://x.example/dir%5C", None, None]
    keys = [e["ID"] for e in parsed.entries]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"[a-z][a-z0-9]+", key) for key in keys), keys
