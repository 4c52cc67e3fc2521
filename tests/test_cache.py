"""The cache of validated courses: faster, and never able to change what a command prints."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mdlcli import parse, store

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


# -- the snapshot a wheel ships of its course (store.write_snapshot; built by hatch_build.py) ------


@pytest.fixture
def snapshot(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> Path:
    made = tmp_path / "course.pickle"
    store.write_snapshot(setup[0], made)
    return made


def test_a_snapshot_fills_an_empty_cache_without_a_parse(
    setup: tuple[Path, Path, dict[str, str]], snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course, cache, _ = setup
    parsed = store.load_course(course)
    with monkeypatch.context() as patched:
        patched.setattr(parse, "parse_course", lambda text, name: pytest.fail(f"{name} was parsed"))
        assert store.load_course(course, cache / "mdl", snapshot) == parsed
        assert len(entries(cache)) == 1
        assert store.load_course(course, cache / "mdl") == parsed  # later runs read the cache


def _edit_course(course: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course.write_text(course.read_text(encoding="utf-8").replace("title: Introduction", "title: Edited"))


def _other_version(course: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "__version__", "0.0.0")


def _other_code(course: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "_source_digest", lambda: b"\0\0\0\0")


def _damaged(course: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = snapshot.read_bytes()
    snapshot.write_bytes(made[:-40] + bytes([made[-40] ^ 0xFF]) + made[-39:])


def _missing(course: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot.unlink()


@pytest.mark.parametrize("change", [_edit_course, _other_version, _other_code, _damaged, _missing])
def test_a_snapshot_serves_only_the_file_and_code_it_was_made_of(
    setup: tuple[Path, Path, dict[str, str]],
    snapshot: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Path, Path, pytest.MonkeyPatch], None],
) -> None:
    """Anything changed since it was made, and the course is parsed, as if there were no snapshot."""
    course, cache, _ = setup
    change(course, snapshot, monkeypatch)
    expected = store.load_course(course)
    parsed: list[str] = []
    real_parse = parse.parse_course
    monkeypatch.setattr(parse, "parse_course", lambda text, name: parsed.append(name) or real_parse(text, name))
    assert store.load_course(course, cache, snapshot) == expected
    assert parsed == [str(course)]


def test_without_a_cache_the_snapshot_is_not_used(
    setup: tuple[Path, Path, dict[str, str]], snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MDL_NO_CACHE=1 means the course file is parsed and validated, every time."""
    course, _, _ = setup
    monkeypatch.setattr(parse, "parse_course", lambda text, name: pytest.fail(f"{name} was parsed"))
    with pytest.raises(pytest.fail.Exception, match="was parsed"):
        store.load_course(course, None, snapshot)


def test_a_snapshot_answers_with_the_path_it_is_read_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made in one place (the build), read in another (the installation): messages name the latter."""
    built = tmp_path / "build" / "course.yaml"
    moved = tmp_path / "installed" / "course.yaml"
    for copy in (built, moved):
        copy.parent.mkdir()
        shutil.copy(store.bundled_course_path(), copy)  # a course with warnings
    store.write_snapshot(built, tmp_path / "course.pickle")
    monkeypatch.setattr(parse, "parse_course", lambda text, name: pytest.fail(f"{name} was parsed"))
    loaded = store.load_course(moved, tmp_path / "cache", tmp_path / "course.pickle")
    assert loaded.path == str(moved)
    assert loaded.warnings
    assert {warning.file for warning in loaded.warnings} == {str(moved)}


def test_a_snapshot_does_not_depend_on_where_it_was_made(tmp_path: Path) -> None:
    """The same course and code make the same bytes in any folder: a wheel builds reproducibly."""
    made = []
    for folder in ("one", "two/deeper"):
        course = tmp_path / folder / "course.yaml"
        course.parent.mkdir(parents=True)
        shutil.copy(store.bundled_course_path(), course)
        store.write_snapshot(course, tmp_path / folder / "course.pickle")
        made.append((tmp_path / folder / "course.pickle").read_bytes())
    assert made[0] == made[1]
    assert str(tmp_path).encode() not in made[0]


def test_the_code_that_builds_an_entry_includes_every_subpackage() -> None:
    """An entry's warnings come from query/ too: an edit there must invalidate the cache like one in parse.py."""
    package = Path(store.__file__).parent
    on_disk = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    assert [name for name, _ in store._source_files()] == on_disk
    assert {"parse.py", "query/timetable.py", "render/blocks.py", "commands/views.py"} <= set(on_disk)
