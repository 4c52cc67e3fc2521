"""A student's semester: the courses a command covers, and following, updating and dropping them.

The IO of the followed courses: the config file (config.py), the downloaded copies of URL
courses in the data folder, the validated-course cache (store.py). What changed between two
versions of a course is query's; how it is shown is render's.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from . import query
from .config import Config, Followed, read_config, to_toml
from .errors import CourseInvalid, DataError, UsageError
from .model import Course
from .record import Record
from .store import MAX_FILE_BYTES, bundled_course_path, bundled_snapshot, load_course, write_atomically

DOWNLOAD_TIMEOUT = 15.0  # seconds for the connection and for each read of a download


class Places(Record):
    """Where mdl keeps the user's things (from the XDG variables, read by the shell)."""

    config: Path  # config.toml
    data: Path  # downloaded courses live in data/courses
    cache: Path | None  # validated courses; None: no cache

    def copy_of(self, course_id: str) -> Path:
        return self.data / "courses" / f"{course_id}.yaml"


def config_of(places: Places) -> Config:
    return read_config(places.config)


def save(config: Config) -> None:
    config.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(config.path, to_toml(config).encode())


# -- which courses a command covers ------------------------------------------------------------


def select(names: Sequence[str], config: Config, places: Places) -> list[Course]:
    """The courses named (followed ids or paths); none named: every followed one, else the bundled one."""
    if names:
        return [_named(name, config, places) for name in names]
    if config.courses:
        return [load_followed(f, places) for f in config.courses]
    return [load_course(bundled_course_path(), places.cache, bundled_snapshot())]


def _named(name: str, config: Config, places: Places) -> Course:
    followed = config.find(name)
    if followed is not None:
        return load_followed(followed, places)
    return load_course(Path(name).expanduser(), places.cache)


def load_followed(followed: Followed, places: Places) -> Course:
    """A followed course under its followed id (which `--id` may have made differ from its own)."""
    path = places.copy_of(followed.id) if followed.is_url else Path(followed.source)
    if followed.is_url and not path.is_file():
        raise DataError(f"{followed.id}: the downloaded copy of {followed.source} is missing; run `mdl update`")
    course = load_course(path, places.cache)
    return course if course.id == followed.id else course._replace(id=followed.id)


# -- following, updating, dropping -------------------------------------------------------------


class Added(Record):
    followed: Followed
    course: Course


def add(source: str, course_id: str | None, places: Places, now: dt.datetime) -> Added:
    """Follow a course: validated first (an invalid one is refused and nothing is recorded)."""
    config = config_of(places)
    if source.startswith(("http://", "https://")):
        from .fetch import fetch

        got = fetch(source, etag=None, last_modified=None, timeout=DOWNLOAD_TIMEOUT, limit=MAX_FILE_BYTES)
        data = got.data or b""
        course = parse_download(source, data)
        followed = Followed(course_id or course.id, source, got.etag, got.last_modified, now.isoformat())
        _check_free(config, followed.id, source)
        write_atomically(_prepared(places.copy_of(followed.id)), data)
    else:
        path = Path(source).expanduser().resolve()
        course = load_course(path, places.cache)
        followed = Followed(course_id or course.id, str(path))
        _check_free(config, followed.id, source)
    _check_id(followed.id)
    save(config.with_course(followed))
    return Added(followed, course)


def _check_free(config: Config, course_id: str, source: str) -> None:
    taken = config.find(course_id)
    if taken is not None:
        raise UsageError(
            f"a course with id {course_id!r} is followed already (from {taken.source}); "
            f"follow {source} under another id with --id"
        )


def _check_id(course_id: str) -> None:
    if not course_id or any(c in course_id for c in "/\\: ") or not course_id.isprintable():
        raise UsageError(f"--id: {course_id!r} is not a usable id (letters, digits, '-', '_', '.'; no ':' or '/')")


def _prepared(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def parse_download(url: str, data: bytes) -> Course:
    """A downloaded course, validated as if it were a file named by its URL."""
    from .parse import parse_course

    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise DataError(f"{url}: not UTF-8 text; not a course file") from None
    return parse_course(text, url)


def remove(course_id: str, places: Places) -> Followed:
    config = config_of(places)
    followed = config.find(course_id)
    if followed is None:
        known = ", ".join(c.id for c in config.courses) or "none yet (mdl add SOURCE)"
        raise UsageError(f"no followed course {course_id!r}; the followed courses are: {known}")
    save(config.without(course_id))
    if followed.is_url:  # mdl's own copy; the user's files are never touched
        places.copy_of(course_id).unlink(missing_ok=True)
    return followed


class Updated(Record):
    """What `mdl update` did for one course: its outcome, and what changed in it."""

    id: str
    outcome: str  # updated, unchanged, live (a path course), failed
    message: str
    changes: tuple[str, ...] = ()


def update(ids: Sequence[str], places: Places, now: dt.datetime) -> list[Updated]:
    """Download each URL course again, conditionally; a failure keeps the last good copy."""
    from .fetch import FetchError, fetch

    config = config_of(places)
    unknown = [i for i in ids if config.find(i) is None]
    if unknown:
        known = ", ".join(c.id for c in config.courses) or "none yet (mdl add SOURCE)"
        raise UsageError(f"no followed course {unknown[0]!r}; the followed courses are: {known}")
    chosen = [config.find(i) for i in ids] if ids else list(config.courses)
    results = []
    before = config
    for followed in (f for f in chosen if f is not None):
        if not followed.is_url:
            results.append(Updated(followed.id, "live", f"read from {followed.source} each time"))
            continue
        copy = places.copy_of(followed.id)
        try:
            old = load_followed(followed, places) if copy.is_file() else None
        except DataError:
            old = None
        try:
            got = fetch(
                followed.source,
                etag=followed.etag if old else None,
                last_modified=followed.last_modified if old else None,
                timeout=DOWNLOAD_TIMEOUT,
                limit=MAX_FILE_BYTES,
            )
            if got.data is None:
                results.append(Updated(followed.id, "unchanged", "not modified (304)"))
                continue
            new = parse_download(followed.source, got.data)
        except CourseInvalid as exc:
            results.append(Updated(followed.id, "failed", f"the published file no longer validates: {exc}"))
            continue
        except FetchError as exc:
            results.append(Updated(followed.id, "failed", f"{exc}; the last good copy is kept"))
            continue
        except DataError as exc:
            results.append(Updated(followed.id, "failed", str(exc)))
            continue
        write_atomically(_prepared(copy), got.data)
        config = config.with_course(
            followed._replace(etag=got.etag, last_modified=got.last_modified, updated=now.isoformat())
        )
        changes = tuple(query.changes(old, new._replace(id=followed.id))) if old else ()
        results.append(Updated(followed.id, "updated", "downloaded", changes))
    if config != before:  # an unchanged course (a 304) rewrites nothing, not even the config
        save(config)
    return results


class Status(Record):
    """A followed course as `mdl courses` lists it: loaded (with its warnings), or its first error."""

    followed: Followed
    course: Course | None
    updated: str | None  # when the copy was downloaded (URL) or the file last changed (path)
    problem: str | None


def course_status(followed: Followed, places: Places) -> Status:
    from .store import modified_at

    path = places.copy_of(followed.id) if followed.is_url else Path(followed.source)
    try:
        updated = followed.updated if followed.is_url else modified_at(path).isoformat()
    except OSError:
        updated = None
    try:
        return Status(followed, load_followed(followed, places), updated, None)
    except DataError as exc:
        return Status(followed, None, updated, str(exc))
