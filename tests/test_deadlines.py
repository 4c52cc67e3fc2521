"""`mdl deadlines`: countdowns a student can trust, before, during and after the course."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .conftest import FIXTURES, Run, rows, write_course


def test_upcoming_and_tba(run: Run) -> None:
    """Before the due date: the time left, labelled; the abstract is TBA, not counted."""
    out = rows(run("deadlines", "--now", "2019-04-20T12:00").stdout)
    assert out[0] == [
        "final-project",
        "Final project",
        "Wed 2019-05-01 23:59 EDT",
        "11 days 11 h 59 min left",
        "by email to the instructors",
        "deadline",
    ]
    assert out[1] == [
        "project-abstract",
        "Detailed project abstract",
        "TBA",
        "no date, no countdown",
        "The detailed abstract of the project will be graded at the mid-term.",
        "deadline",
    ]


def test_countdown_across_the_dst_change_is_true_elapsed_time(run: Run) -> None:
    """From 3/9 noon EST to 5/1 23:59 EDT: 53 days 11 h 59 min of wall clock, one hour less in fact."""
    out = rows(run("deadlines", "--now", "2019-03-09T12:00").stdout)
    assert out[0][3] == "53 days 10 h 59 min left"
    data = json.loads(run("deadlines", "--now", "2019-03-09T12:00", "--json").stdout)
    assert data[0]["seconds_left"] == (53 * 24 + 10) * 3600 + 59 * 60


def test_passed_deadlines_stay_listed_and_say_so(run: Run) -> None:
    """After the course (as today), the deadline is listed as passed, with how long ago."""
    result = run("deadlines", "--now", "2026-11-27T12:00")
    out = rows(result.stdout)
    assert out[0][:4] == ["final-project", "Final project", "Wed 2019-05-01 23:59 EDT", "passed 7 years 6 months ago"]
    assert out[-1] == ["note", "Every dated deadline of this course has passed."]
    assert run("deadlines", "--now", "2019-05-02T09:00").stdout.startswith(
        "final-project\tFinal project\tWed 2019-05-01 23:59 EDT\tpassed 9 h 1 min ago"
    )


def test_upcoming_flag_hides_passed(run: Run) -> None:
    """--upcoming hides what has passed; TBA stays (it may still come)."""
    out = rows(run("deadlines", "--upcoming", "--now", "2026-11-27").stdout)
    assert [r[0] for r in out] == ["project-abstract"]


def test_json_shape(run: Run) -> None:
    """--json: id, kind, title, due (ISO with offset or null), status, seconds_left (negative when passed)."""
    data = json.loads(run("deadlines", "--now", "2019-05-02T00:59", "--json").stdout)
    assert data[0] == {
        "course": "mathsdl-spring19",
        "id": "final-project",
        "kind": "deadline",
        "title": "Final project",
        "due": "2019-05-01T23:59:00-04:00",
        "day_only": False,
        "status": "passed",
        "done": False,
        "seconds_left": -3600,
        "submission": "by email to the instructors",
        "note": None,
    }
    assert (data[1]["status"], data[1]["due"], data[1]["seconds_left"]) == ("tba", None, None)


def test_urgent_and_nearest_stand_out_on_a_terminal(run: Run, tmp_path: Path) -> None:
    """Within 48 hours a deadline is drawn in red; the nearest one further off in green."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    extra = '  - id: later\n    title: Later\n    due: 2024-03-24\n    time: "12:00"\n'
    path = write_course(tmp_path, text + extra)
    terminal = {"FORCE_COLOR": "1", "COLUMNS": "120"}
    urgent = run("deadlines", "--course", str(path), "--now", "2024-03-21T12:00", env=terminal).stdout
    assert "\x1b[1;31mReport" in urgent  # bold red: due in 30 hours
    calm = run("deadlines", "--course", str(path), "--now", "2024-03-10T12:00", env=terminal).stdout
    assert "\x1b[1;32mReport" in calm  # bold green: the nearest
    assert "\x1b[1;31m" not in calm


def test_bad_now_is_a_usage_error(run: Run) -> None:
    """A --now in no accepted form: exit 2 with the accepted forms."""
    result = run("deadlines", "--now", "the day after tomorrow")
    assert result.exit_code == 2
    assert "2019-02-25T17:00Z" in result.stderr


def test_watch_refuses_without_a_terminal(run: Run) -> None:
    """--watch needs a terminal: piped, it says so and exits 2 without drawing anything."""
    result = run("deadlines", "--watch")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: --watch needs a terminal")


def test_watch_ticks_and_ctrl_c_exits_cleanly() -> None:
    """On a terminal --watch redraws every second; Ctrl-C ends it with exit 0 and no traceback."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: mdl on a pseudo-terminal
        # A background job (`pytest &`) ignores SIGINT, and an ignored signal stays ignored across
        # exec: Python would then install no Ctrl-C handler and the child would never stop.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.environ.update({"COLUMNS": "120", "MDL_NOW": "2019-04-30T23:58:58"})
        os.execv(sys.executable, [sys.executable, "-c", "from mdlcli.cli import main; main()", "deadlines", "--watch"])
    try:
        seen = _read_until(fd, lambda seen: seen.count(b"Final project") >= 3, seconds=10)
        os.kill(pid, signal.SIGINT)
        seen += _read_until(fd, lambda _: False, seconds=10)  # drain until the child closes the terminal
        status = _reap(pid, seconds=10)
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    text = seen.decode("utf-8", "replace")
    assert seen.count(b"Final project") >= 3, text  # redrawn
    assert "1 day" in text and "Ctrl-C to stop." in text
    assert "Traceback" not in text
    assert status == 0


def _read_until(fd: int, done: Callable[[bytes], bool], seconds: float) -> bytes:
    """What a pseudo-terminal shows until `done` says so, it closes, or time runs out."""
    seen = b""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up and not done(seen):
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def _reap(pid: int, seconds: float) -> int | None:
    """The child's exit status, or None if it has not ended in time (the caller then kills it)."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    return None


def test_entry_point_runs_as_a_subprocess() -> None:
    """The installed console script works end to end, as a user's shell runs it."""
    script = Path(sys.executable).parent / "mdl"
    result = subprocess.run(
        [script, "deadlines", "--now", "2019-04-20T12:00"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("final-project\tFinal project\t")
