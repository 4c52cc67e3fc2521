"""The read-only views of the foundation: help, version, info, syllabus, curriculum, schedule."""

from __future__ import annotations

import json
import re

import pytest

from mdlcli import __version__

from .conftest import ROOT, Run

COMMANDS = (
    "info",
    "syllabus",
    "curriculum",
    "schedule",
    "validate",
    "next",
    "refs",
    "search",
    "deadlines",
    "export-ics",
)


def test_version(run: Run) -> None:
    """--version prints the version, nothing else."""
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"mdl {__version__}\n")


def test_help_lists_every_command_with_a_summary(run: Run) -> None:
    """--help names each command beside a one-line summary."""
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        line = next((ln for ln in result.stdout.splitlines() if ln.strip().startswith(command + " ")), None)
        assert line is not None, f"{command} missing from --help"
        assert len(line.split()) > 2, f"{command} has no summary"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_takes_course(run: Run, command: str) -> None:
    """Each command documents itself and accepts --course."""
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--course" in result.stdout


def test_no_arguments_shows_help(run: Run) -> None:
    """Plain `mdl` explains itself rather than doing nothing."""
    result = run()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: mdl")


def test_usage_errors_are_one_line_exit_2(run: Run) -> None:
    """A misspelt option: one `error:` line on stderr naming it and pointing to help, exit 2."""
    result = run("schedule", "--wek", "3")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: no such option: --wek")
    assert "(see 'mdl schedule --help')" in result.stderr
    assert result.stderr.count("\n") == 1
    unknown = run("shedule")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: no such command 'shedule'")


def test_info_plain(run: Run) -> None:
    """Identity, people with emails, meetings with rooms, links: one record a line."""
    out = run("info").stdout
    assert "title\tMathematics of Deep Learning\n" in out
    assert "course\tTopics course · CSCI-GA 3033 · NYU · Spring 2019\n" in out
    assert "person\tLecture Instructor\tJoan Bruna\tbruna@cims.nyu.edu\n" in out
    assert "person\tTutor (Parallel Curricula)\tLuca Venturi\tlv800@nyu.edu\n" in out
    assert "meeting\tLecture\tMondays\t19:10–21:00 EST/EDT\tCIWW 102\t\n" in out
    assert (
        "meeting\tTutoring Session with Parallel Curricula\tFridays\t11:00–12:15 EST/EDT\tCIWW 101\toptional\n" in out
    )
    assert "meeting\tOffice Hours\tTuesdays\t09:30–11:00 EST/EDT\tno room given\t\n" in out
    assert "link\tPiazza (sign-up)\thttps://piazza.com/nyu/spring2019/csciga3033\n" in out


def test_info_json(run: Run) -> None:
    """--json: the same facts as data."""
    data = json.loads(run("info", "--json").stdout)
    assert data["code"] == "CSCI-GA 3033"
    assert data["timezone"] == "America/New_York"
    assert [p["email"] for p in data["people"]] == ["bruna@cims.nyu.edu", "lv800@nyu.edu"]
    lecture = data["meetings"][0]
    assert (lecture["weekday"], lecture["start"], lecture["end"], lecture["location"]) == (
        "monday",
        "19:10",
        "21:00",
        "CIWW 102",
    )
    assert {link["id"] for link in data["links"]} == {"piazza", "dfl", "neural-ode-paper", "neural-ode-living-document"}


def test_syllabus(run: Run) -> None:
    """Description, the syllabus tree as parent/child records, prerequisites and grading."""
    out = run("syllabus").stdout
    assert out.startswith("description\tThis Graduate-level topics course")
    assert "syllabus\tPart I: Geometry of Data\tNon-Euclidean Geometry: Graph Neural Networks.\n" in out
    assert "syllabus\tPart III (time permitting): Open qustions on Reinforcement Learning\n" in out
    assert "prerequisite\tRequired (solid undergraduate level)\tLinear Algebra\n" in out
    assert "prerequisite\tNice to have (nice-to-have, but not essential)\tStochastic Calculus\n" in out
    assert "grading\tFinal project\tan in-depth survey of a topic related to the syllabus\n" in out
    data = json.loads(run("syllabus", "--json").stdout)
    assert data["syllabus"][0]["title"] == "Introduction: the Curse of Dimensionality"
    assert len(data["syllabus"][2]["items"]) == 5


def test_curriculum(run: Run) -> None:
    """The Neural ODE class: motivation, readings, questions, notebook and links."""
    out = run("curriculum").stdout
    assert "link\tNeural Ordinary Differential Equations (Chen et al.)\thttps://arxiv.org/abs/1806.07366\n" in out
    assert (
        "neural-ode\tclass 1: Numerical solution of ODEs I\tRequired reading\tSections 12.1-4 from An Introduction to Numerical Analysis (‘INA’)\n"
        in out
    )
    assert (
        "neural-ode\tclass 1: Numerical solution of ODEs I\tOptional reading\tProf. Trefethen's class ODEs and Nonlinear Dynamics 4.2\thttp://podcasts.ox.ac.uk/odes-and-nonlinear-dynamics-42\n"
        in out
    )
    assert (
        "neural-ode\tclass 1: Numerical solution of ODEs I\tNotebook\thttps://colab.research.google.com/drive/1bNg-RzZoelB3w8AUQ6mefRQuN3AdrIqX\n"
        in out
    )
    data = json.loads(run("curriculum", "--json").stdout)
    (klass,) = data[0]["classes"]
    assert klass["title"] == "Numerical solution of ODEs I"
    assert len(klass["questions"]) == 3


def test_schedule_all_fifteen_weeks(run: Run) -> None:
    """Fifteen rows, one a week, with weekday, label, title and speaker; the break has no time."""
    lines = run("schedule", "--now", "2019-01-01").stdout.splitlines()
    assert len(lines) == 15
    rows = [line.split("\t") for line in lines]
    assert [int(r[0]) for r in rows] == list(range(1, 16))
    assert rows[5][:6] == [
        "6",
        "Wed 2019-02-27",
        "19:10–21:00 EST",
        "lecture",
        "Lec5",
        "Graph Neural Network Applications",
    ]
    assert rows[0][5:7] == ["Guest lecture", "Arthur Szlam (Facebook)"]
    assert rows[7][1:6] == ["Mon 2019-03-11", "Mon 2019-03-11 – Sun 2019-03-17", "break", "", "Spring Break"]
    assert rows[13][4:7] == ["Lec12", "Generalization in Deep Learning", "Behnam Neyshabur (IAS/NYU)"]


def test_piped_output_has_no_escape_codes_and_one_record_per_line(run: Run) -> None:
    """Piped, the longest title stays on one line and nothing is styled, whatever the width."""
    result = run("schedule", env={"COLUMNS": "40"})
    assert "\x1b" not in result.stdout
    assert (
        "Unsupervised Learning under Geometric Priors. Implicit vs Explicit models. Optimal Transport models."
        in result.stdout
    )


def test_terminal_output_is_rich_and_no_color_is_honoured(run: Run) -> None:
    """On a terminal, a table with colour; NO_COLOR keeps the table and drops the colour."""
    coloured = run("schedule", "--now", "2019-02-25", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    assert "label" in coloured.stdout and "──" in coloured.stdout
    plain_colour = run("schedule", "--now", "2019-02-25", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert not re.search(r"\x1b\[[0-9;]*3\dm", plain_colour.stdout)  # no foreground colours
    assert "Lec5" in plain_colour.stdout


STARTER = str(ROOT / "data" / "starter-course.yaml")


def test_next_and_agenda_show_the_latest_announcement_as_a_line(run: Run) -> None:
    moment = "2027-01-21T08:00"
    shown = run("next", "--course", STARTER, "--now", moment).stdout.splitlines()
    assert shown[0] == "announcement\tWed 2027-01-20: Homework 1 is out"
    assert run("agenda", "--course", STARTER, "--now", moment).stdout.splitlines()[0] == shown[0]
    data = json.loads(run("next", "--course", STARTER, "--now", moment, "--json").stdout)
    assert data["announcements"] == [
        {
            "course": "intro-ml-2027",
            "date": "2027-01-20",
            "title": "Homework 1 is out",
            "text": "Due Friday 22 January at 17:00, on the forum.",
        }
    ]
    # Two weeks on, it is no longer news; before it was made, the older one is the latest.
    assert "announcement" not in run("next", "--course", STARTER, "--now", "2027-02-05T08:00").stdout
    earlier = run("next", "--course", STARTER, "--now", "2027-01-15T08:00").stdout.splitlines()[0]
    assert earlier == "announcement\tMon 2027-01-11: Welcome"
