"""The student's own state: done marks, and reminders that fire once (`mdl remind` on pinned clocks).

Every run has a state folder of its own (XDG_STATE_HOME); the `--exec` programs are small Python
recorders, run without a shell.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUNDLED, FIXTURES, Run, rows, write_course

MDL = Path(sys.executable).parent / "mdl"
RECORDER = """
import json, os, sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps({"argv": sys.argv[2:], "env": {k: v for k, v in os.environ.items() if k.startswith("MDL_")}}) + "\\n")
sys.exit(int(os.environ.get("RECORDER_STATUS", "0")))
"""
# A homework due across the end of summer time in London (the clocks go back on 27 October).
COURSE = """schema: 2
course: {id: ml101, title: Learning, timezone: Europe/London, term_start: 2024-10-21, term_end: 2024-11-10}
meetings:
  - {id: lecture, weekday: monday, start: "10:00", end: "11:00", location: Hall A}
sessions:
  - {id: l1, date: 2024-10-21, title: Intro}
  - {id: l2, date: 2024-10-28, title: "Gradients, \\"chain\\" rule; $(rm -rf ~) `id` é", cancelled: true}
  - {id: mid, date: 2024-11-04, kind: exam, title: Midterm, start: "14:00", end: "16:00", location: Gym}
deadlines:
  - {id: hw-1, title: "Homework 1: $(touch pwned); echo \\"hi\\", ü", due: 2024-10-27, time: "12:00"}
  - {id: hw-2, title: Homework 2, due: 2024-11-08, time: "17:00"}
"""


@pytest.fixture(autouse=True)
def _state_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture
def course(tmp_path: Path, run: Run) -> Path:
    path = write_course(tmp_path, COURSE)
    assert run("add", str(path)).exit_code == 0
    return path


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER, encoding="utf-8")
    log = tmp_path / "fired.jsonl"
    return f"{sys.executable} {script} {log}", log


def fired(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


# -- done -----------------------------------------------------------------------------------------


def test_done_marks_a_deadline_in_every_view_and_undone_takes_it_back(run: Run, course: Path) -> None:
    assert run("done", "hw-2").stdout == "done: Homework 2 (hw-2)\n"
    shown = {r[0]: r for r in rows(run("deadlines", "--now", "2024-11-01T12:00").stdout)}
    assert shown["hw-2"][3] == "✓ done" and "left" in shown["mid"][3]
    data = {d["id"]: d for d in json.loads(run("deadlines", "--json", "--now", "2024-11-01T12:00").stdout)}
    assert data["hw-2"]["done"] is True and data["mid"]["done"] is False
    pending = rows(run("deadlines", "--pending", "--now", "2024-11-01T12:00").stdout)
    assert "hw-2" not in [r[0] for r in pending]
    upcoming = run("next", "--now", "2024-11-06T12:00", "--json").stdout
    assert "Homework 2" not in upcoming  # no countdown to a done deadline
    agenda = json.loads(run("agenda", "--from", "2024-11-08", "--days", "1", "--json").stdout)
    assert [(e["title"], e["done"]) for e in agenda if e["kind"] == "deadline"] == [("Homework 2", True)]
    assert run("undone", "hw-2").stdout == "not done: Homework 2 (hw-2)\n"
    assert "Homework 2" in run("next", "--now", "2024-11-06T12:00", "--json").stdout


def test_an_unknown_id_is_a_usage_error_with_a_suggestion_and_nothing_is_marked(run: Run, course: Path) -> None:
    result = run("done", "hw-2", "hw-3")
    assert result.exit_code == 2 and "no deadline 'hw-3'; did you mean 'hw-2'" in result.stderr
    assert "✓ done" not in run("deadlines", "--now", "2024-11-01").stdout


def test_among_several_courses_an_id_is_named_with_its_course(run: Run, course: Path, tmp_path: Path) -> None:
    other = write_course(tmp_path, COURSE.replace("id: ml101", "id: stat200"), "other.yaml")
    assert run("add", str(other)).exit_code == 0
    twice = run("done", "hw-1")
    assert twice.exit_code == 2 and "ml101:hw-1, stat200:hw-1" in twice.stderr
    assert run("done", "stat200:hw-1").stdout.startswith("done: Homework 1")
    marks = {(r[0], r[1]): r[4] for r in rows(run("deadlines", "--now", "2024-10-20").stdout)}
    assert marks[("stat200", "hw-1")] == "✓ done" and marks[("ml101", "hw-1")] != "✓ done"


def test_the_state_is_one_database_under_xdg_state_home_that_config_names(
    run: Run, course: Path, _state_of_its_own: Path
) -> None:
    assert run("done", "hw-1").exit_code == 0
    database = _state_of_its_own / "mdl" / "state.sqlite"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == 2  # done and reminders; reading
        assert db.execute("SELECT course, item FROM done").fetchall() == [("ml101", "deadline-hw-1@ml101.mdl")]
    settings = json.loads(run("config", "--json").stdout)
    assert settings["state"] == {"value": str(database), "from": "$XDG_STATE_HOME"}


def test_a_damaged_state_is_a_clear_error_and_the_views_work_without_it(
    run: Run, course: Path, _state_of_its_own: Path
) -> None:
    database = _state_of_its_own / "mdl" / "state.sqlite"
    database.parent.mkdir(parents=True)
    database.write_bytes(b"this is not a database" * 100)
    for command in (["done", "hw-1"], ["remind", "--now", "2024-10-27T11:30"]):
        result = run(*command)
        assert result.exit_code == 1 and result.stderr.startswith(f"error: {database}: the state database cannot")
        assert result.stderr.count("\n") == 1
    viewed = run("deadlines", "--now", "2024-10-20")
    assert viewed.exit_code == 0 and "Homework 2" in viewed.stdout
    assert "shown without done marks" in viewed.stderr


# -- remind -------------------------------------------------------------------------------------


def test_a_reminder_fires_once_then_the_next_lead_and_a_missed_one_fires_at_the_next_run(
    run: Run, course: Path
) -> None:
    """hw-2 is due Fri 8 Nov 17:00: 1d before at Thu 17:00, 1h before at 16:00."""
    assert run("remind", "--now", "2024-11-07T16:59").stdout == ""
    first = rows(run("remind", "--now", "2024-11-07T17:05").stdout)
    assert [(r[0], r[1], r[3]) for r in first] == [("deadline", "Homework 2", "in 1 day")]
    assert run("remind", "--now", "2024-11-07T17:10").stdout == ""  # said once
    # The machine was off from Thursday evening until Friday 16:30: the 1 h reminder, once.
    late = rows(run("remind", "--now", "2024-11-08T16:30").stdout)
    assert [(r[1], r[3]) for r in late] == [("Homework 2", "in 30 minutes")]
    assert run("remind", "--now", "2024-11-08T16:40").stdout == ""
    assert run("remind", "--now", "2024-11-08T17:30").stdout == ""  # past: nothing


def test_after_a_long_gap_only_the_shortest_lead_fires_and_the_exam_is_reminded_too(run: Run, course: Path) -> None:
    result = json.loads(run("remind", "--now", "2024-11-04T13:30", "--json").stdout)
    assert [(r["kind"], r["title"], r["lead_seconds"], r["in"]) for r in result] == [
        ("exam", "Midterm", 3600, "30 minutes")
    ]


def test_a_done_deadline_and_a_cancelled_class_never_fire(run: Run, course: Path) -> None:
    assert run("done", "hw-2").exit_code == 0
    assert run("remind", "--now", "2024-11-08T16:30").stdout == ""
    lectures = run("remind", "--include", "lectures", "--now", "2024-10-28T09:30").stdout
    assert lectures == ""  # l2, cancelled


def test_a_moved_deadline_is_reminded_again_and_the_dst_change_is_real_time(run: Run, course: Path) -> None:
    """hw-1 due Sun 27 Oct 12:00 GMT, the day British summer time ends: 1 day before is 12:00 GMT
    on the 26th, which is 13:00 BST."""
    assert run("remind", "--now", "2024-10-26T12:59").stdout == ""
    assert "Homework 1" in run("remind", "--now", "2024-10-26T13:01").stdout
    course.write_text(COURSE.replace("due: 2024-10-27", "due: 2024-10-28"), encoding="utf-8")
    assert "Homework 1" in run("remind", "--now", "2024-10-27T13:01").stdout  # moved: armed again
    assert run("remind", "--now", "2024-10-27T13:05").stdout == ""


def test_exec_gets_the_facts_as_arguments_and_environment_and_nothing_is_interpreted(
    run: Run, course: Path, recorder: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    command, log = recorder
    assert run("remind", "--exec", command, "--now", "2024-10-26T13:01").exit_code == 0
    [call] = fired(log)
    title = 'Homework 1: $(touch pwned); echo "hi", ü'
    assert call["argv"] == [title, "2024-10-27T12:00:00+00:00"]
    assert call["env"] == {
        "MDL_TITLE": title, "MDL_COURSE": "ml101", "MDL_WHEN": "2024-10-27T12:00:00+00:00", "MDL_IN": "1 day",
        "MDL_KIND": "deadline", "MDL_URL": "",
    }  # fmt: skip
    assert not (tmp_path / "pwned").exists()


def test_a_failing_exec_is_reported_and_its_reminder_fires_again(
    run: Run, course: Path, recorder: tuple[str, Path]
) -> None:
    command, log = recorder
    failed = run("remind", "--exec", command, "--now", "2024-10-26T13:01", env={"RECORDER_STATUS": "3"})
    assert failed.exit_code == 1 and "exited with 3" in failed.stderr and "fires again" in failed.stderr
    assert run("remind", "--exec", command, "--now", "2024-10-26T13:02").exit_code == 0
    assert len(fired(log)) == 2  # the failed call, then the one that worked
    assert run("remind", "--exec", command, "--now", "2024-10-26T13:03").exit_code == 0
    assert len(fired(log)) == 2
    missing = run("remind", "--exec", "no-such-program-here", "--now", "2024-11-08T16:30")
    assert missing.exit_code == 1 and "no such program" in missing.stderr


def test_dry_run_says_and_marks_nothing(run: Run, course: Path) -> None:
    assert "Homework 2" in run("remind", "--dry-run", "--now", "2024-11-08T16:30").stdout
    assert "Homework 2" in run("remind", "--now", "2024-11-08T16:30").stdout


def test_leads_from_the_option_or_the_config(run: Run, course: Path) -> None:
    assert run("remind", "--before", "3d", "--now", "2024-11-05T17:01").stdout.startswith("deadline\tHomework 2")
    bad = run("remind", "--before", "soon")
    assert bad.exit_code == 2 and "--before: 'soon' is not a duration" in bad.stderr
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "mdl" / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[remind]\nbefore = ["2d"]\n', encoding="utf-8")
    assert "Homework 2" in run("remind", "--now", "2024-11-06T17:01").stdout


def test_two_reminders_at_once_fire_each_reminder_once(course: Path, recorder: tuple[str, Path]) -> None:
    command, log = recorder
    environment = {**os.environ}
    runs = [
        subprocess.Popen(
            [str(MDL), "remind", "--exec", command, "--now", "2024-11-08T16:30"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for child in runs:
        child.wait(timeout=60)
        assert child.returncode == 0, child.stderr.read() if child.stderr else ""
    assert [call["env"]["MDL_TITLE"] for call in fired(log)] == ["Homework 2"]


def test_systemd_units_and_the_crontab_line_run_this_mdl(run: Run, tmp_path: Path) -> None:
    units = run("remind", "--systemd").stdout
    assert f"ExecStart={MDL.resolve()} remind\n" in units
    assert "OnCalendar=*:0/5\nPersistent=true\n" in units and "Type=oneshot" in units
    assert run("remind", "--cron").stdout == f"*/5 * * * * {MDL.resolve()} remind\n"
    analyze = shutil.which("systemd-analyze")
    if analyze and Path("/run/systemd/system").is_dir():  # where systemd runs, it reads the units as it would
        service, timer = units.split("# ~/.config/systemd/user/mdl-remind.timer\n")
        (tmp_path / "mdl-remind.service").write_text(service, encoding="utf-8")
        (tmp_path / "mdl-remind.timer").write_text(timer, encoding="utf-8")
        checked = subprocess.run(
            [analyze, "verify", "--user", str(tmp_path / "mdl-remind.timer"), str(tmp_path / "mdl-remind.service")],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
    assert stat.S_ISREG(MDL.stat().st_mode) and BUNDLED.exists() and FIXTURES.exists()


INSTALL_UNITS = "awk '/^# ~\\/.config\\/systemd\\/user\\// {f = ENVIRON[\"HOME\"] substr($2, 2); next} f {print > f}'"


def test_the_readmes_commands_install_the_two_units(tmp_path: Path) -> None:
    """The README's second command, as written there, splits the units into their files."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"mdl remind --systemd | {INSTALL_UNITS}" in readme
    home = tmp_path / "home"
    (home / ".config" / "systemd" / "user").mkdir(parents=True)
    units = subprocess.run([str(MDL), "remind", "--systemd"], capture_output=True, text=True, timeout=60, check=True)
    subprocess.run(
        ["sh", "-c", INSTALL_UNITS], input=units.stdout, text=True, env={**os.environ, "HOME": str(home)},
        timeout=60, check=True,
    )  # fmt: skip
    folder = home / ".config" / "systemd" / "user"
    assert sorted(p.name for p in folder.iterdir()) == ["mdl-remind.service", "mdl-remind.timer"]
    assert "ExecStart=" in (folder / "mdl-remind.service").read_text(encoding="utf-8")
    assert "Persistent=true" in (folder / "mdl-remind.timer").read_text(encoding="utf-8")


# -- reading progress -----------------------------------------------------------------------------


def test_read_marks_references_and_refs_shows_what_is_left(run: Run) -> None:
    assert run("read", "lec5:1").stdout == "read: Geometric Deep Learning: Going beyond Euclidean Data (lec5:1)\n"
    shown = rows(run("refs", "lec5").stdout)
    references = [r for r in shown if r[0] == "lec5"]
    assert references[0][-1] == "✓ read" and references[1][-1] == ""
    data = json.loads(run("refs", "lec5", "--json").stdout)
    assert [d["read"] for d in data][:2] == [True, False]
    left = rows(run("refs", "--unread").stdout)
    assert "Geometric Deep Learning: Going beyond Euclidean Data" not in [r[2] for r in left]
    everything = json.loads(run("refs", "--json").stdout)
    assert len(left) == sum(not d["read"] for d in everything) == len(everything) - 2  # it is on two lists
    bib = run("refs", "lec5", "--bibtex").stdout
    assert bib.count("readstatus = {read}") == 1
    assert run("unread", "lec5:1").exit_code == 0
    assert not any(d["read"] for d in json.loads(run("refs", "lec5", "--json").stdout))


def test_a_whole_list_is_read_at_once_and_the_same_work_elsewhere_with_it(run: Run) -> None:
    """Group Invariant Scattering is on the lists of Lec2 and Lec3: read once, read in both."""
    result = run("read", "lec2")
    assert result.exit_code == 0 and result.stdout.count("\n") == 2
    lec3 = json.loads(run("refs", "lec3", "--json").stdout)
    assert [d["read"] for d in lec3 if d["title"] == "Group Invariant Scattering"] == [True]


def test_an_unknown_reference_is_a_usage_error_and_nothing_is_marked(run: Run) -> None:
    wrong = run("read", "lec5:1", "lecc5")
    assert wrong.exit_code == 2 and "did you mean 'lec5'" in wrong.stderr
    beyond = run("read", "lec5:99")
    assert beyond.exit_code == 2 and "the list lec5 has no reference 99 (it has 1 to 6)" in beyond.stderr
    assert not any(d["read"] for d in json.loads(run("refs", "--json").stdout))


def test_a_state_of_version_1_is_migrated_and_keeps_its_marks(run: Run, _state_of_its_own: Path) -> None:
    database = _state_of_its_own / "mdl" / "state.sqlite"
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as db:
        db.executescript(
            "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
            "CREATE TABLE done (course TEXT NOT NULL, item TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (course, item));"
            "CREATE TABLE sent (course TEXT, item TEXT, moment TEXT, lead INTEGER, at TEXT, PRIMARY KEY (course, item, moment, lead));"
            "INSERT INTO done VALUES ('mathsdl-spring19', 'deadline-final-project@mathsdl-spring19.mdl', '2019-04-01');"
        )
    assert run("read", "lec5:1").exit_code == 0
    assert "✓ done" in run("deadlines", "--now", "2019-04-02").stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == 2


# -- mdl week ---------------------------------------------------------------------------------------


def test_week_plans_the_readings_before_each_session_and_what_is_due(run: Run) -> None:
    """The bundled course's week of Lec5: its six references, one read, to read before Wednesday."""
    assert run("read", "lec5:1").exit_code == 0
    plan = rows(run("week", "--now", "2019-02-25T12:00").stdout)
    assert plan[0][:2] == ["lecture", "Lec5 Graph Neural Network Applications"]
    assert plan[0][3] == "5 to read, 5 untimed"
    assert [r[1] for r in plan if r[0] == "reading"] == [
        "Community Detection with Graph Neural Networks",
        "Neural Message Passing for Quantum Chemistry",
        "Semi-Supervised Classification with Graph Convolutional Networks",
        "Representation Learning on Graphs: Methods and Applications",
        "Quadratic Assignment with Graph Neural Networks",
    ]
    assert plan[-1] == ["total", "5 readings left; 0 deadlines due"]
    data = json.loads(run("week", "--now", "2019-02-25T12:00", "--json").stdout)
    assert (data["from"], data["to"], data["total"]["readings"]) == ("2019-02-25", "2019-03-03", 5)


def test_week_counts_effort_and_deadlines_over_several_weeks(run: Run, tmp_path: Path) -> None:
    text = COURSE.replace(
        "  - {id: l1, date: 2024-10-21, title: Intro}", "  - {id: l1, date: 2024-10-21, title: Intro, refs: r}"
    )
    text += (
        "reading_lists:\n  - id: r\n    main:\n      - {title: Paper, minutes: 45}\n      - {title: Book, pages: 30}\n"
    )
    path = write_course(tmp_path, text)
    data = json.loads(run("week", "--course", str(path), "--from", "2024-10-21", "--weeks", "3", "--json").stdout)
    assert data["to"] == "2024-11-10"
    assert data["total"] == {"readings": 2, "minutes": 45 + 180, "deadlines": 2}
    due = [(d["id"], d["done"]) for day in data["days"] for d in day["due"]]
    assert due == [("hw-1", False), ("mid", False), ("hw-2", False)]
    shown = run("week", "--course", str(path), "--from", "2024-10-21", "--weeks", "3").stdout
    assert shown.splitlines()[-1] == "total\t2 readings left, about 3 h 45 min; 2 deadlines due"


def test_a_week_with_nothing_to_do_says_so_in_one_line(run: Run) -> None:
    result = run("week", "--now", "2020-06-01")
    assert result.exit_code == 0
    assert result.stdout == "Nothing to do from Mon 2020-06-01 to Sun 2020-06-07: no session, reading or deadline.\n"


# -- export-todo: deadlines into the student's task tool ------------------------------------------


def _todo_course(run: Run, tmp_path: Path) -> Path:
    path = write_course(tmp_path, COURSE, "todo-course.yaml")
    assert run("done", "--course", str(path), "hw-1").exit_code == 0
    return path


def test_export_todo_ics_has_one_vtodo_a_deadline_read_by_todoman(run: Run, tmp_path: Path) -> None:
    path = _todo_course(run, tmp_path)
    folder = tmp_path / "todos" / "mdl"
    assert run("export-todo", "--course", str(path), "--split", str(folder)).stdout == f"wrote 2 to-dos into {folder}\n"
    assert sorted(p.name for p in folder.iterdir()) == ["todo-hw-1@ml101.mdl.ics", "todo-hw-2@ml101.mdl.ics"]
    config = tmp_path / "todoman.py"
    config.write_text(
        f'path = "{tmp_path / "todos"}/*"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n', encoding="utf-8"
    )
    todo = Path(sys.executable).parent / "todo"
    listed = subprocess.run(
        [str(todo), "--porcelain", "--config", str(config), "list", "--status", "ANY"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    read = {t["summary"]: t for t in json.loads(listed.stdout)}
    assert read["Homework 2"]["due"] == 1731085200  # Fri 2024-11-08 17:00 GMT
    assert read["Homework 2"]["completed"] is False and read["Homework 2"]["categories"] == ["ml101"]
    assert read['Homework 1: $(touch pwned); echo "hi", ü']["completed"] is True
    single = run("export-todo", "--course", str(path), "-o", "-").stdout
    assert single.count("BEGIN:VTODO") == 2 and "DUE;TZID=Europe/London:20241108T170000" in single
    assert "UID:todo-hw-2@ml101.mdl" in single and "STATUS:COMPLETED" in single


def test_export_todo_taskwarrior_imports_twice_without_duplicating(run: Run, tmp_path: Path) -> None:
    path = _todo_course(run, tmp_path)
    exported = tmp_path / "todo.json"
    assert run("export-todo", "--course", str(path), "--format", "taskwarrior", "-o", str(exported)).exit_code == 0
    rc = tmp_path / "taskrc"
    rc.write_text(f"data.location={tmp_path / 'task'}\n", encoding="utf-8")
    environment = {**os.environ, "TASKRC": str(rc)}

    def task(*args: str) -> str:
        done = subprocess.run(
            ["task", "rc.confirmation=off", "rc.verbose=nothing", *args], env=environment,
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout

    task("import", str(exported))
    task("import", str(exported))  # again: the same UUIDs update the tasks
    tasks = json.loads(task("export"))
    assert len(tasks) == 2
    by_title = {t["description"]: t for t in tasks}
    assert by_title["Homework 2"]["status"] == "pending" and by_title["Homework 2"]["project"] == "ml101"
    assert by_title["Homework 2"]["due"] == "20241108T170000Z"
    assert by_title['Homework 1: $(touch pwned); echo "hi", ü']["status"] == "completed"


def test_export_todo_todotxt_and_the_files_it_will_not_replace(run: Run, tmp_path: Path) -> None:
    path = _todo_course(run, tmp_path)
    lines = run("export-todo", "--course", str(path), "--format", "todotxt", "-o", "-", "--now", "2024-10-20").stdout
    assert lines.splitlines() == [
        'x 2024-10-20 Homework 1: $(touch pwned); echo "hi", ü +ml101 due:2024-10-27',
        "Homework 2 +ml101 due:2024-11-08",
    ]
    mine = tmp_path / "todo.txt"
    mine.write_text("(A) call mum\n", encoding="utf-8")
    kept = run("export-todo", "--course", str(path), "--format", "todotxt", "-o", str(mine))
    assert kept.exit_code == 1 and "--force replaces it" in kept.stderr and mine.read_text() == "(A) call mum\n"
    assert run("export-todo", "--course", str(path), "--format", "todotxt", "-o", str(mine), "--force").exit_code == 0
    bad = run("export-todo", "--format", "org")
    assert bad.exit_code == 2 and "not one of: ics, taskwarrior, todotxt" in bad.stderr
