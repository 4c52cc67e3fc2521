"""Lookups a student runs every week: schedule filters and times, next, refs, search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import webbrowser
from pathlib import Path

import bibtexparser
import pytest

from .conftest import FIXTURES, Run, rows

# -- schedule ------------------------------------------------------------------------------


def test_week_filter(run: Run) -> None:
    """--week N shows that week only."""
    (row,) = rows(run("schedule", "--week", "6").stdout)
    assert row[4:6] == ["Lec5", "Graph Neural Network Applications"]


def test_upcoming_is_relative_to_now(run: Run) -> None:
    """--upcoming keeps sessions not over at --now; a lecture under way still counts."""
    during = rows(run("schedule", "--upcoming", "--now", "2019-04-24T20:00").stdout)
    assert [r[0] for r in during] == ["14", "15"]
    assert during[0][-1] == "next"
    after = run("schedule", "--upcoming", "--now", "2019-05-02")
    assert (after.exit_code, after.stdout) == (0, "No sessions match.\n")


def test_past_and_next_marks(run: Run) -> None:
    """Relative to now, earlier sessions are past and the first one to come is next."""
    marks = [r[-1] for r in rows(run("schedule", "--now", "2019-02-25").stdout)]
    assert marks[:5] == ["past"] * 5
    assert marks[5] == "next"
    assert marks[6:] == [""] * 9


def test_from_to_and_kind_filters(run: Run) -> None:
    """--from/--to bound the dates (inclusive); --kind keeps one kind, repeatable or comma-separated."""
    window = rows(run("schedule", "--from", "2019-03-06", "--to", "2019-03-20").stdout)
    assert [r[1] for r in window] == ["Wed 2019-03-06", "Mon 2019-03-11", "Wed 2019-03-20"]
    guests = rows(run("schedule", "--kind", "guest-lecture").stdout)
    assert [r[0] for r in guests] == ["1", "3", "14"]
    both = rows(run("schedule", "--kind", "break,guest-lecture").stdout)
    assert [r[0] for r in both] == ["1", "3", "8", "14"]


def test_dst_boundary_in_course_time_and_utc(run: Run) -> None:
    """3/6 starts 19:10 EST (00:10 UTC next day), 3/20 starts 19:10 EDT (23:10 UTC)."""
    before = rows(run("schedule", "--week", "7").stdout)[0]
    after = rows(run("schedule", "--week", "9").stdout)[0]
    assert (before[2], after[2]) == ("19:10–21:00 EST", "19:10–21:00 EDT")
    utc_before = rows(run("schedule", "--week", "7", "--tz", "UTC").stdout)[0]
    utc_after = rows(run("schedule", "--week", "9", "--tz", "UTC").stdout)[0]
    assert (utc_before[2], utc_after[2]) == ("00:10–02:00 UTC", "23:10–01:00 UTC")
    data = json.loads(run("schedule", "--week", "7", "--json").stdout)[0]
    assert (data["start"], data["end"]) == ("2019-03-06T19:10:00-05:00", "2019-03-06T21:00:00-05:00")
    data = json.loads(run("schedule", "--week", "9", "--json").stdout)[0]
    assert data["start"] == "2019-03-20T19:10:00-04:00"


def test_tz_other_zone(run: Run) -> None:
    """--tz shows another zone's wall time and abbreviation (Paris is CET until 3/31)."""
    row = rows(run("schedule", "--week", "6", "--tz", "Europe/Paris").stdout)[0]
    assert row[2] == "01:10–03:00 CET"


def test_schedule_json_shape(run: Run) -> None:
    """--json: one object per session with the documented keys; a break has no times."""
    data = json.loads(run("schedule", "--json").stdout)
    assert len(data) == 15
    keys = {
        "week",
        "date",
        "weekday",
        "kind",
        "label",
        "title",
        "speaker",
        "start",
        "end",
        "location",
        "slides",
        "refs",
    }
    assert all(keys <= set(item) for item in data)
    lec5 = data[5]
    assert {k: lec5[k] for k in ("week", "date", "weekday", "kind", "label", "location", "refs")} == {
        "week": 6,
        "date": "2019-02-27",
        "weekday": "Wednesday",
        "kind": "lecture",
        "label": "Lec5",
        "location": "CIWW 102",
        "refs": "lec5",
    }
    spring_break = data[7]
    assert (spring_break["start"], spring_break["end"], spring_break["label"], spring_break["refs"]) == (
        None,
        None,
        None,
        None,
    )
    assert data[0]["speaker"] == "Arthur Szlam"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--now", "next tuesday"), "--now: 'next tuesday' is not a date or time; use ISO 8601"),
        (("--tz", "Mars/Base"), "--tz: 'Mars/Base' is not a known time zone"),
        (("--from", "3/6"), "--from: '3/6' is not a date; use YYYY-MM-DD"),
        (
            ("--kind", "seminar"),
            "--kind: 'seminar' is not a session kind (use one of: lecture, guest-lecture, exam, lab, review, break)",
        ),
        (("--week", "zero"), "--week: 'zero' is not a week; use a number (6) or a range (9-11)"),
        (("--week", "0"), "--week: 0 is not a week of this course; its weeks are 1 to 15"),
    ],
)
def test_bad_option_values_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    """A bad value: exit 2, one line naming the option and the accepted form."""
    result = run("schedule", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_mdl_now_variable_is_used_and_named_when_broken(run: Run) -> None:
    """$MDL_NOW pins the clock like --now; a bad value names the variable."""
    marks = [r[-1] for r in rows(run("schedule", env={"MDL_NOW": "2019-02-25"}).stdout)]
    assert marks[5] == "next"
    broken = run("schedule", env={"MDL_NOW": "soon"})
    assert broken.exit_code == 2
    assert broken.stderr.startswith("error: $MDL_NOW: 'soon' is not a date or time")


def test_now_with_offset_and_utc(run: Run) -> None:
    """--now accepts Z and offsets: 2019-02-28T02:00Z is still 2/27 21:00 in New York, lecture over."""
    marks = [r[-1] for r in rows(run("schedule", "--now", "2019-02-28T01:59Z").stdout)]
    assert marks[5] == "next"  # 20:59 EST: Lec5 is under way
    marks = [r[-1] for r in rows(run("schedule", "--now", "2019-02-27T21:01-05:00").stdout)]
    assert marks[5:7] == ["past", "next"]


# -- next ----------------------------------------------------------------------------------


def test_next_during_the_term(run: Run) -> None:
    """The next office hours, lecture, tutoring and deadline, in time order, each with a countdown."""
    out = rows(run("next", "--now", "2019-02-25T12:00").stdout)
    assert out[0][:4] == ["office hours", "Office Hours", "Tue 2019-02-26 09:30 EST", "in 21 h 30 min"]
    assert out[1] == [
        "lecture",
        "Lec5 Graph Neural Network Applications",
        "Wed 2019-02-27 19:10 EST",
        "in 2 days 7 h 10 min",
        "CIWW 102",
    ]
    assert out[2][:4] == [
        "tutoring",
        "Tutoring Session with Parallel Curricula (optional)",
        "Fri 2019-03-01 11:00 EST",
        "in 3 days 23 h",
    ]
    assert out[3][0] == "deadline" and out[3][2] == "Wed 2019-05-01 23:59 EDT"


def test_next_skips_spring_break(run: Run) -> None:
    """During Spring Break the next meetings are the week after it, in time order."""
    out = rows(run("next", "--now", "2019-03-11T08:00").stdout)
    assert [r[2] for r in out[:3]] == [
        "Tue 2019-03-19 09:30 EDT",
        "Wed 2019-03-20 19:10 EDT",
        "Fri 2019-03-22 11:00 EDT",
    ]


def test_next_puts_what_is_on_now_first(run: Run) -> None:
    """Friday noon, tutoring (11:00-12:15) is under way: it leads, then the rest in time order."""
    out = rows(run("next", "--now", "2019-03-01T12:00").stdout)
    assert out[0] == [
        "tutoring",
        "Tutoring Session with Parallel Curricula (optional)",
        "Fri 2019-03-01 11:00 EST",
        "now, until 12:15 EST",
        "CIWW 101",
    ]
    assert [r[0] for r in out[1:]] == ["office hours", "lecture", "deadline"]
    data = json.loads(run("next", "--now", "2019-03-01T12:15", "--json").stdout)
    assert data["items"][0]["what"] == "office hours"  # at its end it is over, and back in its place
    assert data["items"][-2]["what"] == "tutoring"


def test_next_after_the_course(run: Run) -> None:
    """After the course it says so, with the date of the last session, and exits 0."""
    result = run("next", "--now", "2026-11-27")
    assert result.exit_code == 0
    assert (
        result.stdout == "ended\tMathematics of Deep Learning has ended: its last session was on Wed 2019-05-01 "
        "(Stability. Open Problems.).\n"
    )
    data = json.loads(run("next", "--now", "2026-11-27", "--json").stdout)
    assert data["items"] == []
    assert "2019-05-01" in data["ended"]


def test_next_json(run: Run) -> None:
    """--json: items with ISO moments and seconds left."""
    data = json.loads(run("next", "--now", "2019-02-27T19:00", "--json").stdout)
    lecture = data["items"][0]
    assert (lecture["what"], lecture["start"], lecture["seconds_left"]) == ("lecture", "2019-02-27T19:10:00-05:00", 600)


# -- refs ----------------------------------------------------------------------------------


def test_lec5_is_the_session_labelled_lec5_not_week_5(run: Run) -> None:
    """lec5 is Lec5 (week 6, Graph Neural Network Applications); week5 is Lec4."""
    lec5 = run("refs", "lec5").stdout
    assert lec5.startswith("session\tLec5 Graph Neural Network Applications\nwhen\tweek 6 · Wed 2019-02-27 · lecture\n")
    assert (
        "lec5\t3\tNeural Message Passing for Quantum Chemistry\tGilmer et al.\t2017\tmain\thttps://arxiv.org/abs/1704.01212\n"
        in lec5
    )
    week5 = run("refs", "week5").stdout
    assert week5.startswith("session\tLec4 Non-Euclidean Geometric Stability.")
    assert run("refs", "W6").stdout == run("refs", "LEC5").stdout == lec5


def test_lec1_is_the_week_1_guest_lectures_reading_list(run: Run) -> None:
    """lec1 names only a reading list: the week-1 guest lecture's."""
    out = run("refs", "lec1").stdout
    assert out.startswith(
        "session\tGuest Lecture: Arthur Szlam (Facebook)\nwhen\tweek 1 · Wed 2019-01-23 · guest-lecture\n"
    )
    assert out.count("\nlec1\t") == 10  # 4 main + 6 further


def test_main_and_further_numbered_in_order(run: Run) -> None:
    """Main references come first, numbered on through the further ones."""
    numbered = [(r[1], r[5]) for r in rows(run("refs", "lec3").stdout) if r[0] == "lec3"]
    assert numbered == [
        ("1", "main"),
        ("2", "main"),
        ("3", "main"),
        ("4", "further"),
        ("5", "further"),
        ("6", "further"),
    ]


@pytest.mark.parametrize("ident", ["lec13", "week8"])
def test_sessions_without_reading_list(run: Run, ident: str) -> None:
    """Lec13 and the break have no reading list: said plainly, exit 0."""
    result = run("refs", ident)
    assert result.exit_code == 0
    assert "note\tThis session has no reading list.\n" in result.stdout


def test_unknown_id_suggests_and_lists(run: Run) -> None:
    """An unknown ID: exit 2, the ID named, the closest suggested, the valid ones listed."""
    result = run("refs", "lec55")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no lecture, week or reading list 'lec55'; did you mean 'lec5'? "
        "(valid: lecture labels lec2 … lec13, weeks week1 … week15, reading lists lec1)\n"
    )


def test_all_reading_lists_grouped(run: Run) -> None:
    """No ID: every list, each reference once per list, grouped by list."""
    out = rows(run("refs").stdout)
    assert [r[0] for r in out].count("lec12") == 4
    assert len({r[0] for r in out}) == 12


def test_refs_search(run: Run) -> None:
    """--search matches title or authors, case-insensitively, and names each reference's list."""
    out = rows(run("refs", "--search", "SADDLE").stdout)
    assert [(r[0], r[1]) for r in out] == [("lec10", "2"), ("lec10", "3"), ("lec10", "5")]
    by_author = rows(run("refs", "--search", "neyshabur").stdout)
    assert [r[0] for r in by_author] == ["lec12"]
    assert run("refs", "--search", "zzz").stdout == "No reference matches 'zzz'.\n"


def test_refs_json_shape(run: Run) -> None:
    """--json: a list of references with title, authors, year, url, group and list."""
    data = json.loads(run("refs", "lec12", "--json").stdout)
    assert len(data) == 4
    first = data[0]
    assert {k: first[k] for k in ("title", "authors", "year", "group", "list")} == {
        "title": "Understanding Machine Learning: From Theory to Algorithms",
        "authors": "Shai Shalev-Shwartz and Shai Ben-David",
        "year": 2014,
        "group": "main",
        "list": "lec12",
    }
    assert data[1]["group"] == "further"


def test_bibtex_parses_with_a_real_parser(run: Run) -> None:
    """--bibtex is valid BibTeX: one entry per distinct reference, unique keys, url and arXiv eprint."""
    text = run("refs", "--bibtex").stdout
    library = bibtexparser.loads(text)
    keys = [e["ID"] for e in library.entries]
    assert len(keys) == len(set(keys)) == text.count("@misc{")
    # Geometric Deep Learning is in lec4 and lec5, Group Invariant Scattering in lec2 and lec3.
    all_refs = json.loads(run("refs", "--json").stdout)
    assert len(keys) == len({(r["title"], r["url"]) for r in all_refs})
    gilmer = next(e for e in library.entries if "Quantum Chemistry" in e["title"])
    assert (gilmer["eprint"], gilmer["url"], gilmer["year"]) == (
        "1704.01212",
        "https://arxiv.org/abs/1704.01212",
        "2017",
    )
    kipf = next(e for e in library.entries if "Semi-Supervised" in e["title"])
    assert kipf["author"] == r"{Kipf \& Welling}"


def test_bibtex_keys_are_stable_across_lists(run: Run) -> None:
    """A reference keeps its key whether exported from one list or all of them."""
    one = {e["title"]: e["ID"] for e in bibtexparser.loads(run("refs", "lec5", "--bibtex").stdout).entries}
    every = {e["title"]: e["ID"] for e in bibtexparser.loads(run("refs", "--bibtex").stdout).entries}
    assert one.items() <= every.items()


def test_open_reference_and_slides(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """--open N and --open slides hand the address to the browser (a stand-in here)."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    assert run("refs", "lec5", "--open", "3").exit_code == 0
    assert run("refs", "lec5", "--open", "slides").exit_code == 0
    assert opened == [
        "https://arxiv.org/abs/1704.01212",
        "https://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture5.pdf",
    ]
    bad = run("refs", "lec5", "--open", "9")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: --open: '9' is not a reference here; use a number from 1 to 6 or 'slides'\n",
    )
    assert opened == opened[:2]


# -- search --------------------------------------------------------------------------------


def test_search_everything(run: Run) -> None:
    """One search over sessions, references, syllabus, curriculum and deadlines, with where to look."""
    out = rows(run("search", "optimization").stdout)
    sections = {r[0] for r in out}
    assert {"session", "reference", "syllabus"} <= sections
    session = next(r for r in out if r[0] == "session")
    assert session[1:] == [
        "week 9 · Lec7",
        "Discrete vs Continuous Time Optimization. The Convex Case.",
        "mdl refs lec7",
    ]
    assert ["curriculum", "NeuralODE class 1", "Numerical solution of ODEs I", "mdl curriculum"] in rows(
        run("search", "ODEs I").stdout
    )
    assert rows(run("search", "email").stdout)[0][::3] == ["deadline", "mdl deadlines"]


def test_search_nothing_and_json(run: Run) -> None:
    """No match says so (exit 0); --json lists hits as objects."""
    assert run("search", "quantum gravity").stdout == "Nothing matches 'quantum gravity'.\n"
    data = json.loads(run("search", "Szlam", "--json").stdout)
    assert data == [
        {
            "course": "mathsdl-spring19",
            "section": "session",
            "where": "week 1",
            "text": "Guest Lecture: Arthur Szlam (Facebook)",
            "command": "mdl schedule --week 1",
        }
    ]


def test_other_course(run: Run) -> None:
    """Lookups work on any course file."""
    out = rows(run("refs", "l2", "--course", str(FIXTURES / "minimal.yaml")).stdout)
    assert out[0] == ["session", "L2 Conclusion"]
    assert out[-1] == ["note", "This session has no reading list."]


def test_tz_local_follows_the_machine(tmp_path: Path) -> None:
    """--tz local shows this machine's zone, DST included (here TZ says Paris: CET, then CEST)."""
    mdl = Path(sys.executable).parent / "mdl"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TZ": "Europe/Paris"}
    winter = subprocess.run(
        [mdl, "schedule", "--week", "6", "--tz", "local"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    spring = subprocess.run(
        [mdl, "schedule", "--week", "11", "--tz", "local"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert rows(winter.stdout)[0][1:3] == ["Thu 2019-02-28", "01:10–03:00 CET"]
    assert rows(spring.stdout)[0][1:3] == ["Thu 2019-04-04", "01:10–03:00 CEST"]
