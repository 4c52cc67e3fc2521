"""The cache of validated courses: faster, and never able to change what a command prints."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, Run


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    course = tmp_path / "course.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", course)
    cache = tmp_path / "cache"
    return course, cache, {"XDG_CACHE_HOME": str(cache)}


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "mdl").glob("*.pickle"))


def test_second_run_reads_the_cache_and_prints_the_same(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """The first run stores the validated course; the second prints exactly the same from it."""
    course, cache, env = setup
    first = run("schedule", "--course", str(course), env=env)
    (entry,) = entries(cache)
    second = run("schedule", "--course", str(course), env=env)
    assert first.stdout == second.stdout
    assert entries(cache) == [entry]


def test_a_changed_file_is_read_again(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """Same size and modification time, different content: the content hash still tells."""
    course, _, env = setup
    run("schedule", "--course", str(course), env=env)
    status = course.stat()
    text = course.read_text(encoding="utf-8").replace("title: Introduction", "title: Introductio!")
    course.write_text(text, encoding="utf-8")
    os.utime(course, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert course.stat().st_size == status.st_size
    assert "Introductio!" in run("schedule", "--course", str(course), env=env).stdout


def test_an_invalid_file_is_never_served_from_the_cache(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """A course that breaks after being cached fails as it should."""
    course, _, env = setup
    run("schedule", "--course", str(course), env=env)
    course.write_text(course.read_text(encoding="utf-8").replace("week: 1", "week: one"), encoding="utf-8")
    assert run("schedule", "--course", str(course), env=env).exit_code == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:40] + bytes([b[40] ^ 0xFF]) + b[41:],  # a flipped byte
        lambda b: b"",  # empty
        lambda b: os.urandom(len(b)),  # garbage
    ],
    ids=["truncated", "flipped-byte", "empty", "garbage"],
)
def test_a_damaged_cache_changes_nothing(run: Run, setup: tuple[Path, Path, dict[str, str]], damage: object) -> None:
    """Whatever happened to the entry, the output is the same and the entry is rebuilt."""
    course, cache, env = setup
    expected = run("schedule", "--course", str(course), env=env).stdout
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert run("schedule", "--course", str(course), env=env).stdout == expected
    assert run("schedule", "--course", str(course), env=env).stdout == expected


class _Payload:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(Path(os.environ["MDL_TEST_MARKER"])),))


def test_a_planted_pickle_is_not_loaded(
    run: Run, setup: tuple[Path, Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry that does not match its own checksum is never unpickled, so its code never runs."""
    course, cache, env = setup
    run("schedule", "--course", str(course), env=env)
    (entry,) = entries(cache)
    marker = tmp_path / "ran"
    monkeypatch.setenv("MDL_TEST_MARKER", str(marker))
    entry.write_bytes(b"\0" * 32 + pickle.dumps(_Payload()))
    assert run("schedule", "--course", str(course), env=env).exit_code == 0
    assert not marker.exists()


def test_a_shared_cache_folder_is_not_used(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """A cache folder others can write to is ignored: nothing is read from it or written to it."""
    course, cache, env = setup
    folder = cache / "mdl"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert run("schedule", "--course", str(course), env=env).exit_code == 0
    assert entries(cache) == []


def test_an_unwritable_cache_is_no_error(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """If the cache cannot be made (its place is a file), commands work as without one."""
    course, cache, env = setup
    cache.write_text("not a folder")
    result = run("schedule", "--course", str(course), env=env)
    assert (result.exit_code, result.stderr) == (0, "")


def test_no_cache_variable(run: Run, setup: tuple[Path, Path, dict[str, str]]) -> None:
    """MDL_NO_CACHE=1 turns the cache off."""
    course, cache, env = setup
    run("schedule", "--course", str(course), env={**env, "MDL_NO_CACHE": "1"})
    assert not cache.exists()
