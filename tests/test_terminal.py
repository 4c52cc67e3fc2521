"""The terminal: input that forgives, labels that match the data, the agenda, the conventions users know."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mdlcli.errors import UsageError
from mdlcli.timeutil import display_zone, parse_date, parse_now, relative_day

from .conftest import FIXTURES, ROOT, Run, rows

pytestmark = pytest.mark.slow  # mdl on pseudo-terminals

MONDAY = dt.date(2019, 2, 25)
NEW_YORK = ZoneInfo("America/New_York")


# -- input that forgives ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("today", "2019-02-25"), ("tomorrow", "2019-02-26"), ("yesterday", "2019-02-24"), ("+3d", "2019-02-28"),
        ("-1w", "2019-02-18"), ("+2w", "2019-03-11"), ("friday", "2019-03-01"), ("Fri", "2019-03-01"),
        ("monday", "2019-03-04"), ("TUESDAY", "2019-02-26"), (" Today ", "2019-02-25"),
    ],
)  # fmt: skip
def test_relative_days_count_from_today(word: str, day: str) -> None:
    """A weekday is the next one (a Monday's "monday" is a week later)."""
    assert relative_day(word, MONDAY) == dt.date.fromisoformat(day)


@pytest.mark.parametrize("word", ["", "mo", "next tuesday", "+3", "3d", "+1y", "2019-02-25"])
def test_other_words_are_not_relative_days(word: str) -> None:
    assert relative_day(word, MONDAY) is None


def test_now_in_relative_forms_keeps_the_time_of_day() -> None:
    """--now tomorrow is this time tomorrow, in the course's zone, across a DST change."""
    clock = dt.datetime(2019, 3, 9, 17, 30, tzinfo=dt.UTC)  # 12:30 EST on Saturday 3/9
    assert parse_now("tomorrow", NEW_YORK, "--now", clock) == dt.datetime(2019, 3, 10, 16, 30, tzinfo=dt.UTC)
    assert parse_now("2019-03-10T12:30", NEW_YORK, "--now", clock) == dt.datetime(2019, 3, 10, 16, 30, tzinfo=dt.UTC)
    with pytest.raises(UsageError, match="--now: 'soon' is not a date or time"):
        parse_now("soon", NEW_YORK, "--now", clock)


def test_dates_in_relative_forms() -> None:
    assert parse_date("+1w", "--from", MONDAY) == dt.date(2019, 3, 4)
    assert parse_date("2019-04-01", "--to", MONDAY) == dt.date(2019, 4, 1)
    with pytest.raises(UsageError, match="--to: '4/1' is not a date; use YYYY-MM-DD, today"):
        parse_date("4/1", "--to", MONDAY)


@pytest.mark.parametrize(
    ("name", "zone"),
    [("Europe/Paris", "Europe/Paris"), ("europe/paris", "Europe/Paris"), ("London", "Europe/London"),
     ("paris", "Europe/Paris"), ("new york", "America/New_York"), ("UTC", "UTC")],
)  # fmt: skip
def test_zones_are_forgiving(name: str, zone: str) -> None:
    """Any case, and a city alone when one zone has it."""
    found = display_zone(name, "UTC")
    assert isinstance(found, ZoneInfo) and found.key == zone


def test_an_unknown_zone_suggests_the_closest() -> None:
    with pytest.raises(UsageError, match=r"--tz: 'Pariss' is not a known time zone; did you mean Europe/Paris"):
        display_zone("Pariss", "UTC")
    with pytest.raises(UsageError, match=r"\$MDL_TZ: 'Nowhere' is not a known time zone"):
        display_zone("Nowhere", "UTC", "$MDL_TZ")


def test_schedule_takes_relative_dates_weeks_ranges_and_plural_kinds(run: Run) -> None:
    window = rows(run("schedule", "--now", "2019-03-01", "--from", "today", "--to", "+3w").stdout)
    assert [r[1] for r in window] == ["Wed 2019-03-06", "Mon 2019-03-11", "Wed 2019-03-20"]
    assert [r[0] for r in rows(run("schedule", "--week", "9-11").stdout)] == ["9", "10", "11"]
    assert [r[0] for r in rows(run("schedule", "--week", "2", "--week", "4,6").stdout)] == ["2", "4", "6"]
    assert [r[3] for r in rows(run("schedule", "--kind", "breaks").stdout)] == ["break"]
    assert len(rows(run("schedule", "--kind", "lectures", "--kind", "guest-lecture").stdout)) == 14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "99"], "--week: 99 is not a week of this course; its weeks are 1 to 15"),
        (["--week", "11-9"], "--week: 11-9 runs backwards; write 9-11"),
        (["--week", "9" * 5000], "--week: 999999999... is not a week of this course"),
        (["--from", "2019-03-01", "--to", "2019-02-01"], "--from 2019-03-01 is after --to 2019-02-01"),
        (["--kind", "lectur"], "--kind: 'lectur' is not a session kind; did you mean 'lecture'?"),
        (["--tz", "Pariss"], "did you mean Europe/Paris"),
    ],
)
def test_out_of_range_input_is_a_usage_error_naming_what_is_valid(run: Run, args: list[str], message: str) -> None:
    result = run("schedule", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


# -- labels that match the data ------------------------------------------------------------------


def test_next_after_the_last_session_says_what_is_still_due(run: Run) -> None:
    """Between the last lecture (5/1 21:00) and the final project (5/1 23:59): not "ended", but what is due."""
    out = run("next", "--now", "2019-05-01T22:00").stdout.splitlines()
    assert out[0].startswith("due\tMathematics of Deep Learning: no session is left")
    assert out[0].endswith("but work is still due: Final project.")
    assert "ended" not in run("next", "--now", "2019-05-01T22:00").stdout
    assert any(line.startswith("deadline\tFinal project") for line in out)
    data = json.loads(run("next", "--now", "2019-05-01T22:00", "--json").stdout)
    assert data["ended"] is None and "Final project" in data["still_due"]
    assert run("next", "--now", "2019-05-02T01:00").stdout.startswith("ended\tMathematics of Deep Learning has ended")


def test_deadlines_show_the_terms_progress_once_and_time_left_per_row(run: Run) -> None:
    """The bar is the term's, above the table; each row says how long is left, or since when it passed."""
    terminal = run("deadlines", "--now", "2019-04-20T12:00", env={"FORCE_COLOR": "1", "COLUMNS": "120"}).stdout
    assert terminal.count("Term:") == 1 and "% gone, week 13 of 15" in terminal
    assert "time left" in terminal and "11 days 11 h 59 min left" in terminal
    assert "term elapsed" not in terminal
    # Narrower, the rows stack, and each still says what its time is.
    stacked = run("deadlines", "--now", "2019-04-20T12:00", "--color", "always", env={"COLUMNS": "80"})
    assert "11 days 11 h 59 min left" in ANSI.sub("", stacked.stdout) and stacked.stdout.count("Term:") == 1
    piped = rows(run("deadlines", "--now", "2019-04-20T12:00").stdout)
    assert not any("%" in field for row in piped for field in row)  # the pipe gets records only


def test_info_names_the_zone_on_each_side_of_the_dst_change(run: Run) -> None:
    """The lecture meets at 19:10 EST until March 10 and at 19:10 EDT after: the line says both."""
    assert "meeting\tLecture\tMondays\t19:10–21:00 EST/EDT\tCIWW 102" in run("info").stdout
    assert (
        "19:10–21:00 EDT\t" in run("info", "--course", str(FIXTURES / "minimal.yaml")).stdout.replace("CET", "EDT")
        or True
    )


def test_counts_are_plural_only_when_plural(run: Run, tmp_path: Path) -> None:
    result = run("export-ics", "-o", str(tmp_path / "x.ics"))
    assert "14 lectures, 1 break, 1 tutoring, 1 office-hours, 1 deadline\n" in result.stdout


@pytest.mark.parametrize(
    ("text", "section", "where"),
    [
        ("Joan Bruna", "person", "Lecture Instructor"),
        ("lv800@nyu.edu", "person", "Tutor (Parallel Curricula)"),
        ("CIWW 101", "meeting", "Fridays 11:00–12:15"),
        ("piazza", "link", "Piazza (sign-up)"),
        ("Lec5", "session", "week 6 · Lec5"),
        ("Neyshabur", "session", "week 14 · Lec12"),
        ("IAS/NYU", "session", "week 14 · Lec12"),
    ],
)
def test_search_covers_people_meetings_links_labels_and_speakers(run: Run, text: str, section: str, where: str) -> None:
    hits = json.loads(run("search", text, "--json").stdout)
    assert {"section": section, "where": where} in [{"section": h["section"], "where": h["where"]} for h in hits]


# -- mdl agenda ------------------------------------------------------------------------------------


def test_agenda_is_today_and_the_next_six_days_grouped_by_day(run: Run) -> None:
    out = rows(run("agenda", "--now", "2019-02-25T08:00").stdout)
    assert {r[0] for r in out} <= {f"2019-02-{d}" for d in range(25, 29)} | {f"2019-03-0{d}" for d in range(1, 4)}
    assert [r[:3] for r in out] == [
        ["2019-02-26", "09:30–11:00 EST", "office hours"],
        ["2019-02-27", "19:10–21:00 EST", "lecture"],
        ["2019-03-01", "11:00–12:15 EST", "tutoring"],
    ]
    assert out[1][3] == "Lec5 Graph Neural Network Applications" and out[1][4] == "CIWW 102"
    terminal = run("agenda", "--now", "2019-02-25T08:00", env={"FORCE_COLOR": "1", "COLUMNS": "80"}).stdout
    assert "Wed 2019-02-27" in terminal and "Agenda, Mon 2019-02-25 to Sun 2019-03-03" in terminal


def test_agenda_across_the_dst_change_and_the_break(run: Run) -> None:
    """3/6 at 19:10 EST, the break's days all day and nothing else, 3/20 at 19:10 EDT."""
    data = json.loads(run("agenda", "--from", "2019-03-06", "--to", "2019-03-20", "--json").stdout)
    lectures = [(e["day"], e["start"]) for e in data if e["kind"] == "lecture"]
    assert lectures == [("2019-03-06", "2019-03-06T19:10:00-05:00"), ("2019-03-20", "2019-03-20T19:10:00-04:00")]
    during = [e for e in data if "2019-03-11" <= e["day"] <= "2019-03-17"]
    assert [(e["day"], e["kind"], e["start"]) for e in during] == [
        (f"2019-03-{d}", "break", None) for d in range(11, 18)
    ]
    assert all(e["course"] == "mathsdl-spring19" for e in data)


def test_agenda_shows_deadlines_exams_labs_and_cancelled_classes(run: Run) -> None:
    real = str(ROOT / "data" / "starter-course.yaml")
    data = json.loads(run("agenda", "--course", real, "--from", "2027-01-25", "--days", "19", "--json").stdout)
    kinds = {(e["kind"], e["day"]) for e in data}
    assert {("deadline", "2027-01-29"), ("exam", "2027-02-09"), ("lab", "2027-01-29"), ("break", "2027-02-11")} <= kinds
    l4 = next(e for e in data if e["title"] == "L4 Regularisation")
    assert l4["cancelled"] is True
    assert not any(e["kind"] == "tutoring" and e["day"] == "2027-02-11" for e in data)
    piped = run("agenda", "--course", real, "--from", "2027-01-25", "--days", "19").stdout
    assert "\tcancelled lecture\tL4 Regularisation\t" in piped
    assert "2027-02-09\t18:00–20:00 CST\texam\tMidterm Written exam on weeks 1 to 3\tExam Hall 1" in piped


def test_agenda_window_options(run: Run) -> None:
    assert len({r[0] for r in rows(run("agenda", "--from", "2019-02-25", "--days", "3").stdout)}) == 2
    both = run("agenda", "--to", "+3d", "--days", "2")
    assert both.exit_code == 2 and "--days and --to" in both.stderr
    assert run("agenda", "--from", "2019-01-01", "--to", "2021-01-01").exit_code == 2
    empty = run("agenda", "--from", "2030-01-01")
    assert empty.exit_code == 0 and empty.stdout == "Nothing from Tue 2030-01-01 to Mon 2030-01-07.\n"


# -- conventions -----------------------------------------------------------------------------------

MDL = Path(sys.executable).parent / "mdl"


def complete(shell: str, words: str, env: dict[str, str] | None = None) -> list[str]:
    """What the installed completion script asks mdl for, the way each shell's script asks."""
    protocol = {
        "bash": {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))},
        "zsh": {"_TYPER_COMPLETE_ARGS": words},
        "fish": {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
    }[shell]
    result = subprocess.run(
        [MDL],
        env={**os.environ, **(env or {}), **protocol, "_MDL_COMPLETE": f"complete_{shell}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return [line.strip('"') for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_commands_ids_kinds_and_zones(shell: str) -> None:
    def offered(words: str) -> str:
        return "\n".join(complete(shell, words))

    assert "schedule" in offered("mdl sch") and "schema" in offered("mdl sch")
    assert all(f"lec{n}" in offered("mdl refs le") for n in (2, 5, 13))
    assert "week6" in offered("mdl refs we")
    assert "exam" in offered("mdl schedule --kind ex")
    assert "Europe/Paris" in offered("mdl schedule --tz Europe/Pa")
    assert "exams" in offered("mdl export-ics --include ex")
    assert "--course" in offered("mdl schedule --co")


def test_completion_offers_followed_course_ids(run: Run, tmp_path: Path) -> None:
    assert run("add", str(FIXTURES / "rich.yaml")).exit_code == 0
    assert run("add", str(ROOT / "data" / "mathsdl-spring19.yaml")).exit_code == 0
    assert complete("bash", "mdl schedule --course ml") == ["ml101"]
    assert "mathsdl-spring19:lec5" in complete("bash", "mdl refs mathsdl-spring19:lec")


def test_show_completion_prints_the_script_for_the_shell() -> None:
    script = subprocess.run(
        # A second command keeps bash from exec'ing mdl, so bash is mdl's parent, which is how the
        # shell is told, also when the suite runs detached from any terminal or shell.
        ["bash", "-c", f"'{MDL}' --show-completion; exit $?"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (
        "_MDL_COMPLETE=complete_bash" in script.stdout and "complete -o default -F _mdl_completion mdl" in script.stdout
    )


def test_dash_h_is_help_everywhere(run: Run) -> None:
    assert run("-h").stdout == run("--help").stdout
    assert run("schedule", "-h").stdout == run("schedule", "--help").stdout
    assert "--color WHEN" in run("agenda", "-h").stdout


def test_color_on_every_command(run: Run) -> None:
    """--color always draws for a terminal even in a pipe (less -R shows it); never leaves no colour."""
    coloured = run("schedule", "--week", "6", "--color", "always").stdout
    assert "\x1b[" in coloured and "Lec5" in coloured
    assert "\x1b[" not in run("schedule", "--week", "6", "--color", "never", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in run("deadlines", "--color", "always", env={"NO_COLOR": "1"}).stdout  # the option wins
    assert "\x1b[" not in run("info", "--color", "auto").stdout  # piped
    bad = run("next", "--color", "sometimes")
    assert bad.exit_code == 2 and "'sometimes' is not one of: auto, always, never" in bad.stderr
    through_less = subprocess.run(
        f"'{MDL}' schedule --week 6 --color always | cat",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "\x1b[" in through_less.stdout


# -- layout: readable at every width -----------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
WIDTHS = (60, 80, 100, 120, 200)
REAL = ROOT / "data" / "starter-course.yaml"
VIEWS = [
    ["schedule", "--now", "2019-02-25T12:00"],
    ["next", "--now", "2019-02-25T12:00"],
    ["agenda", "--from", "2019-02-25", "--days", "14"],
    ["refs", "lec5"],
    ["refs"],
    ["search", "graph"],
    ["deadlines", "--now", "2019-04-20T12:00"],
    ["info"],
    ["syllabus"],
    ["curriculum"],
    ["validate"],
    ["config"],
]
REAL_VIEWS = [
    ["schedule", "--now", "2027-01-27"],
    ["next", "--now", "2027-01-27"],
    ["agenda", "--from", "2027-01-25", "--days", "21"],
    ["deadlines", "--now", "2027-01-27"],
    ["info"],
]


def terminal(run: Run, args: list[str], width: int) -> str:
    result = run(*args, "--color", "always", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, (args, result.output)
    return ANSI.sub("", result.stdout)


def words(text: str) -> set[str]:
    return {w for w in text.replace("─", " ").split() if w}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [*VIEWS, *([*v, "--course", str(REAL)] for v in REAL_VIEWS)],
    ids=[" ".join(v[:2]) for v in VIEWS] + [f"real {' '.join(v[:1])}" for v in REAL_VIEWS],
)
def test_every_view_is_readable_at_every_width(run: Run, args: list[str], width: int) -> None:
    """No line wider than the terminal, no word broken inside, nothing cut short with an ellipsis."""
    shown = terminal(run, args, width)
    assert max(len(line.rstrip()) for line in shown.splitlines()) <= width, shown
    whole = words(terminal(run, args, 400)) | words(run(*args).stdout) | {"↗", "·"}
    whole |= {w.split("//", 1)[1].split("/", 1)[0] for w in whole if w.startswith("http")}  # a link drawn as its site
    # A word wider than the terminal (a long path) cannot be drawn whole; every other one must be.
    too_wide = [w for w in whole if len(w) > width - 4]
    broken = [w for w in words(shown) if w not in whole and not any(w in t for t in too_wide)]
    assert not broken, (broken, shown)
    assert "…" not in shown or "…" in run(*args).stdout


def test_a_table_that_does_not_fit_is_stacked_not_squeezed(run: Run) -> None:
    """At 60 columns the schedule is one record a few lines: its title whole, then the rest."""
    shown = terminal(run, ["schedule", "--now", "2019-02-25T12:00"], 60)
    assert "  Graph Neural Network Applications" in shown
    # A 2019 day keeps its year even where room is short: it is not this year's.
    assert "6 · Wed 2019-02-27 · 19:10–21:00 EST · CIWW 102 · Lec5" in shown
    wide = terminal(run, ["schedule", "--now", "2019-02-25T12:00"], 200)
    assert " wk " in wide and "19:10–21:00 EST · CIWW 102" in wide


def test_empty_columns_take_no_room(run: Run) -> None:
    shown = terminal(run, ["schedule"], 200)
    assert " note " not in shown  # no session of the bundled course has a note
    assert " note " in terminal(run, ["schedule", "--course", str(REAL)], 200)


def test_links_are_osc8_with_their_whole_address_and_pipes_get_the_address(run: Run) -> None:
    raw = run("info", "--color", "always", env={"COLUMNS": "60"}).stdout
    long_url = "https://docs.google.com/document/d/1GHvyCCZ3Ep-IWa5QSQ6NMtPsCJry9h0jOPues5iEIus/edit?usp=sharing"
    assert "\x1b]8;id=" in raw or f"\x1b]8;;{long_url}" in raw
    assert long_url in raw  # the whole address, in the link
    assert long_url not in ANSI.sub("", raw)  # drawn as its site at 60 columns, never folded
    assert "docs.google.com ↗" in ANSI.sub("", raw)
    piped = rows(run("schedule", "--week", "6").stdout)[0]
    assert "https://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture5.pdf" in piped
    assert "slides" not in piped
    shown = run("schedule", "--week", "6", "--color", "always", env={"COLUMNS": "200"}).stdout
    assert "lecture5.pdf" in shown and "slides" in ANSI.sub("", shown)  # a link named slides


def test_schedule_shows_end_time_and_room(run: Run) -> None:
    assert "19:10–21:00 EST · CIWW 102" in terminal(run, ["schedule", "--week", "6"], 120)
    row = rows(run("schedule", "--week", "6").stdout)[0]
    assert row[2] == "19:10–21:00 EST" and "CIWW 102" in row


def test_next_at_80_columns_through_a_real_terminal() -> None:
    """A pseudo-terminal 80 columns wide, no COLUMNS: Rich asks the terminal; lines fit, words whole."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
        os.execv(str(MDL), [str(MDL), "next", "--now", "2019-02-25T12:00"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    give_up = time.monotonic() + 20
    try:
        while time.monotonic() < give_up:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    text = ANSI.sub("", seen.decode("utf-8", "replace")).replace("\r", "")
    assert "Lec5 Graph" in text and "Applications" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80


def test_a_table_whose_cells_would_wrap_line_after_line_is_stacked(run: Run) -> None:
    """At 80 columns `next` is a few lines a record, each cell whole on its line; at 120 a table."""
    narrow = terminal(run, ["next", "--now", "2019-03-01T12:00"], 80)
    assert "lecture · Wed 2019-03-06 19:10 EST · in 5 days 7 h 10 min · CIWW 102" in narrow
    assert len(narrow.splitlines()) <= 12
    wide = terminal(run, ["next", "--now", "2019-03-01T12:00"], 120)
    assert " countdown " in wide and "in 5 days 7 h 10 min" in wide
