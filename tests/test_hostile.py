"""Untrusted course files, options and disk states: one clear error, never a traceback or a hang.

Every file in tests/hostile/ says on its first line what mdl must answer. Each runs in a child
process of the installed `mdl`, limited to 2 s of CPU and 200 MB of address space.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest

from .conftest import BUNDLED, FIXTURES, Run

pytestmark = pytest.mark.slow  # each file in a child process of the installed mdl, under CPU and memory limits

HOSTILE = sorted((Path(__file__).resolve().parent / "hostile").glob("*.yaml"))
MDL = Path(sys.executable).parent / "mdl"
LIMIT_SECONDS = 2
LIMIT_BYTES = 200 * 1024 * 1024


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_SECONDS, LIMIT_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def mdl(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed mdl in a child process under the CPU and memory limits; a hang fails the test."""
    cache = cwd.parent / f"{cwd.name}-cache"  # beside the working folder, whose files tests list
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "XDG_CACHE_HOME": str(cache), **(env or {})}
    return subprocess.run(
        [str(MDL), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=60,
        check=False,
    )


def expectation(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").splitlines()[0].removeprefix("# expect: ")


def assert_one_clear_error(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "\x1b" not in result.stderr  # escape sequences from the file are shown, not obeyed
    return result.stderr


@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_hostile_file(path: Path, tmp_path: Path) -> None:
    """validate names every problem with file:line:column; a view fails with the first, on one line."""
    expected = expectation(path)
    checked = mdl("validate", str(path), cwd=tmp_path)
    viewed = mdl("schedule", "--course", str(path), cwd=tmp_path)
    assert not (tmp_path / "mdl-hostile-ran").exists()  # no payload ever runs
    if expected == "valid":
        assert checked.returncode == 0, checked.stdout
        assert viewed.returncode == 0, viewed.stderr
        return
    assert checked.returncode == 1
    assert expected in checked.stdout + checked.stderr
    error = assert_one_clear_error(viewed)
    assert expected in error
    if "is empty" not in expected:
        assert re.match(rf"error: {re.escape(str(path))}:\d+(:\d+)?: ", error), error


def test_markup_and_escapes_are_shown_literally(tmp_path: Path) -> None:
    """ANSI sequences and Rich markup from a title reach the terminal as visible text, not as effects."""
    path = HOSTILE[[p.stem for p in HOSTILE].index("ansi-and-markup-in-titles")]
    terminal = {"FORCE_COLOR": "1", "COLUMNS": "200"}
    shown = mdl("schedule", "--course", str(path), "--now", "2024-01-01", cwd=tmp_path, env=terminal).stdout
    assert "␛[31mRed␛[0m [bold]not bold[/bold] [link=https://evil.example]x[/link]" in shown
    assert "\x1b[31mRed" not in shown
    assert "evil.example\x1b" not in shown and "\x1b]8;" not in shown  # no hyperlink was made
    piped = mdl("schedule", "--course", str(path), cwd=tmp_path).stdout
    assert "␛[31mRed␛[0m [bold]not bold[/bold]" in piped
    # The calendar, a valid RFC 5545 TEXT (no control characters), shows the same symbols.
    assert mdl("export-ics", "--course", str(path), "-o", "out.ics", cwd=tmp_path).returncode == 0
    exported = (tmp_path / "out.ics").read_bytes()
    assert b"\x1b" not in exported
    assert "SUMMARY:␛[31mRed␛[0m [bold]not bold[/bold]" in exported.decode()


def test_ics_special_characters_round_trip(tmp_path: Path) -> None:
    """Commas, semicolons, backslashes and line breaks in a title come back exactly from the calendar."""
    path = HOSTILE[[p.stem for p in HOSTILE].index("ics-special-characters")]
    result = mdl("export-ics", "--course", str(path), "-o", "out.ics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    calendar = icalendar.Calendar.from_ical((tmp_path / "out.ics").read_bytes())
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-intro@"))
    assert str(event["SUMMARY"]) == "a, b; c\\d\ne"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(bytes(range(256)) * 4), "not UTF-8 text"),
        (lambda p: p.write_bytes("schema: 1\n".encode("utf-16")), "is UTF-16 text; save the course file as UTF-8"),
        (lambda p: p.write_bytes(b"schema: 1\n" + b"#" * (65 * 1024 * 1024)), "larger than 64 MB"),
        (lambda p: p.mkdir(), "is a directory, not a course file"),
        (lambda p: None, "no such course file"),
        (lambda p: p.symlink_to(p), "cannot read: Too many levels of symbolic links"),
        (lambda p: p.write_bytes(b"schema: 1\x00\n"), "contains NUL bytes"),
    ],
    ids=["binary", "utf-16", "over-64-MB", "directory", "missing", "symlink-loop", "nul-byte"],
)
def test_files_that_are_no_course(tmp_path: Path, make: object, message: str) -> None:
    """Not YAML at all, or not a file: one clear error, exit 1."""
    path = tmp_path / "course.yaml"
    make(path)  # type: ignore[operator]
    error = assert_one_clear_error(mdl("info", "--course", str(path), cwd=tmp_path))
    assert message in error
    assert str(path) in error


def test_unreadable_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file without read permission (simulated: root reads anything) is a data error."""
    path = tmp_path / "course.yaml"
    path.write_text("schema: 1\n")
    real_open = os.open

    def refuse(name: object, *args: int, **kwargs: int) -> int:
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    result = run("info", "--course", str(path))
    assert (result.exit_code, result.stderr) == (1, f"error: {path}: permission denied\n")


# -- options, environment, pipes, locales --------------------------------------------------


def test_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    """`mdl refs | true`: the reader is gone before mdl writes; no BrokenPipeError, nothing on stderr, exit 1."""
    shell = subprocess.run(f"'{MDL}' refs | true; echo status=${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash",
                           capture_output=True, text=True, cwd=tmp_path, check=False, timeout=60)  # fmt: skip
    assert shell.stderr == ""
    assert shell.stdout == "status=1\n"


def test_head_reads_one_line(tmp_path: Path) -> None:
    """`mdl schedule | head -1` prints the first week and nothing else."""
    shell = subprocess.run(
        f"'{MDL}' schedule --now 2019-01-01 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert shell.stdout.startswith("1\tWed 2019-01-23\t")
    assert shell.stderr == ""


@pytest.mark.parametrize("locale", ["C", "POSIX"])
def test_non_utf8_locale_still_prints(tmp_path: Path, locale: str) -> None:
    """Under LC_ALL=C the course's non-ASCII text (en dashes, curly quotes) still prints."""
    result = mdl("curriculum", cwd=tmp_path, env={"LC_ALL": locale, "LANG": locale})
    assert result.returncode == 0, result.stderr
    assert "(‘INA’)" in result.stdout


def test_ascii_only_output_gets_escapes_not_a_crash(tmp_path: Path) -> None:
    """A stream that can only encode ASCII shows escapes for what it cannot encode."""
    result = mdl("info", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Topics course \\xb7 CSCI-GA 3033" in result.stdout


def test_sigterm_while_writing_keeps_the_old_file(tmp_path: Path) -> None:
    """Killed while writing, the export leaves the old file whole and no temporary file behind."""
    target = tmp_path / "course.ics"
    assert mdl("export-ics", "-o", str(target), cwd=tmp_path).returncode == 0
    old = target.read_bytes()
    # A child whose fsync hangs, as a slow disk would, so that it is stopped in the middle of the write.
    code = "import os, time; os.fsync = lambda fd: time.sleep(60); from mdlcli.cli import main; main()"
    child = subprocess.Popen(
        [sys.executable, "-c", code, "export-ics", "-o", str(target), "--alarm", "2d"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        env={**os.environ, "MDL_NO_CACHE": "1"},  # the hanging fsync is for the export, not the cache
    )
    give_up = time.monotonic() + 20
    while not list(tmp_path.glob(".course.ics.*.tmp")) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert list(tmp_path.glob(".course.ics.*.tmp")), "the child never started writing"
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 128 + signal.SIGTERM
    assert b"Traceback" not in err
    assert target.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.ics"]


def test_stale_temporary_of_a_killed_write_is_cleaned(tmp_path: Path) -> None:
    """SIGKILL leaves a temporary file; the next export removes it once it is an hour old."""
    stale = tmp_path / ".course.ics.abc123.tmp"
    stale.write_text("half a calendar")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    assert mdl("export-ics", "-o", "course.ics", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.ics"]


def test_bundled_course_is_untouched(tmp_path: Path) -> None:
    """Nothing mdl does writes to the course file."""
    before = BUNDLED.read_bytes()
    for args in (("validate",), ("export-ics", "-o", "x.ics"), ("refs", "--bibtex")):
        mdl(*args, cwd=tmp_path)
    assert BUNDLED.read_bytes() == before
    assert (FIXTURES / "minimal.yaml").exists()
