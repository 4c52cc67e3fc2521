"""A student's semester: the courses a command covers, and following, updating and dropping them.

The IO of the followed courses: the config file (config.py), the downloaded copies of URL
courses in the data folder, the validated-course cache (store.py). What changed between two
versions of a course is changes.py's; how it is shown is render's.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, Followed, locked, read_config, to_toml
from .errors import CourseInvalid, DataError, OutputError, UsageError
from .files import MAX_FILE_BYTES, entry_in, output_target, write_atomically
from .model import Course
from .names import FOLLOWED_ID_RULE, followed_id_problem
from .record import Record
from .redact import holds_secret, redacted
from .store import bundled_course_path, bundled_snapshot, load_course, read_source

if TYPE_CHECKING:
    from .changes import Change

DOWNLOAD_TIMEOUT = 15.0  # seconds for a whole download: connecting, redirects, headers and body


class Places(Record):
    """Where mdl keeps the user's things (from the XDG variables, read by the shell)."""

    config: Path  # config.toml
    data: Path  # downloaded courses live in data/courses
    cache: Path | None  # validated courses; None: no cache
    state: Path  # the student's own state: done marks, reminders sent (state.py)

    def copy_of(self, course_id: str) -> Path:
        return entry_in(self.data / "courses", f"{course_id}.yaml")


def config_of(places: Places) -> Config:
    return read_config(places.config)


def _save(config: Config) -> None:
    """Write the config atomically; a config.toml that is a link (a dotfile manager's) stays one."""
    try:
        config.path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{config.path.parent}: cannot make the folder: {exc.strerror or exc}") from None
    # A private feed's URL is a password: the file that holds one is its owner's alone.
    private = any(holds_secret(c.source) for c in config.courses)
    write_atomically(output_target(config.path), to_toml(config).encode(), mode=0o600 if private else None)


@contextlib.contextmanager
def _changing(places: Places) -> Iterator[list[Config]]:
    """The config as it is now, under its lock; what the block leaves in the list is saved, if it changed.

    Downloads happen before, outside the lock: a change holds it for milliseconds, never for a
    slow server, and is made to the config as it is then, not as it was when the command started.
    """
    with locked(output_target(places.config)):
        before = config_of(places)
        held = [before]
        yield held
        if held[0] != before:
            _save(held[0])


# -- which courses a command covers ------------------------------------------------------------


def select(names: Sequence[str], config: Config, places: Places) -> list[Course]:
    """The courses named (followed ids, a split feed's courses, paths); none named: every followed
    one, else the bundled one."""
    if names:
        return [course for name in names for course in _named(name, config, places)]
    if config.courses:
        return [course for f in config.courses for course in courses_of(f, config, places)]
    return [load_course(bundled_course_path(), places.cache, bundled_snapshot())]


def _named(name: str, config: Config, places: Places) -> list[Course]:
    followed = config.find(name)
    if followed is not None:
        return courses_of(followed, config, places)
    for feed in (f for f in config.courses if f.split):
        part = next((c for c in courses_of(feed, config, places) if c.id == name), None)
        if part is not None:
            return [part]
    return [load_course(Path(name).expanduser(), places.cache)]


def courses_of(followed: Followed, config: Config, places: Places) -> list[Course]:
    """What one followed entry is in the views: its course, or a split feed's course per code."""
    from .query import split_by_code

    course = load_followed(followed, places)
    if not followed.split:
        return [course]
    return split_by_code(course, {c.id for c in config.courses if c.id != followed.id})


def load_followed(followed: Followed, places: Places) -> Course:
    """A followed course under its followed id (which `--id` may have made differ from its own)."""
    path = places.copy_of(followed.id) if followed.is_url else Path(followed.source)
    if followed.is_url and not path.is_file():
        raise DataError(
            f"{followed.id}: the downloaded copy of {redacted(followed.source)} is missing; run `mdl update`"
        )
    course = load_course(path, places.cache)
    if followed.title:
        course = course._replace(title=followed.title)
    return course if course.id == followed.id else course._replace(id=followed.id)


# -- following, updating, dropping -------------------------------------------------------------


class Added(Record):
    followed: Followed
    course: Course


def add(
    source: str,
    course_id: str | None,
    places: Places,
    now: dt.datetime,
    title: str | None = None,
    *,
    split: bool = False,
) -> Added:
    """Follow a course or a calendar: validated first (an invalid one is refused and nothing is recorded)."""
    if course_id is not None:
        _check_id(course_id)  # before anything is downloaded or written
    if source.lower().startswith("webcal://"):  # a calendar's subscription link: the same file over https
        source = "https://" + source[len("webcal://") :]
    if source.startswith(("http://", "https://")):
        from .fetch import fetch

        got = fetch(source, etag=None, last_modified=None, timeout=DOWNLOAD_TIMEOUT, limit=MAX_FILE_BYTES)
        data = got.data or b""
        course = read_source(data, redacted(source))
        followed = Followed(course_id or course.id, source, got.etag, got.last_modified, now.isoformat(), title, split)
    else:
        path = Path(source).expanduser().resolve()
        course = load_course(path, places.cache)
        followed, data = Followed(course_id or course.id, str(path), title=title, split=split), b""
    if title:
        course = course._replace(title=title)
    _check_id(followed.id)
    with _changing(places) as config:
        _check_free(config[0], followed.id, source)
        if followed.is_url:
            write_atomically(_prepared(places.copy_of(followed.id)), data)
        config[0] = config[0].with_course(followed)
    return Added(followed, course)


def _check_free(config: Config, course_id: str, source: str) -> None:
    taken = config.find(course_id)
    if taken is not None:
        raise UsageError(
            f"a course with id {course_id!r} is followed already (from {redacted(taken.source)}); "
            f"follow {redacted(source)} under another id with --id"
        )


def _check_id(course_id: str) -> None:
    problem = followed_id_problem(course_id)
    if problem is not None:
        raise UsageError(f"--id: {course_id!r} {problem}; an id is a plain name ({FOLLOWED_ID_RULE})")


def _prepared(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def remove(course_id: str, places: Places) -> Followed:
    with _changing(places) as config:
        followed = config[0].find(course_id)
        if followed is None:
            known = ", ".join(c.id for c in config[0].courses) or "none yet (mdl add SOURCE)"
            raise UsageError(f"no followed course {course_id!r}; the followed courses are: {known}")
        config[0] = config[0].without(course_id)
        if followed.is_url:  # mdl's own copy; the user's files are never touched
            places.copy_of(course_id).unlink(missing_ok=True)
    return followed


class Updated(Record):
    """What `mdl update` did for one course: its outcome, and what changed in it."""

    id: str
    outcome: str  # updated, unchanged, live (a path course), failed
    message: str
    changes: "tuple[Change, ...]" = ()
    followed: Followed | None = None  # with the new validators, when a copy was downloaded


def update(ids: Sequence[str], places: Places, now: dt.datetime) -> list[Updated]:
    """Download each URL course again, conditionally; a failure keeps the last good copy."""
    config = config_of(places)
    unknown = [i for i in ids if config.find(i) is None]
    if unknown:
        known = ", ".join(c.id for c in config.courses) or "none yet (mdl add SOURCE)"
        raise UsageError(f"no followed course {unknown[0]!r}; the followed courses are: {known}")
    chosen = [f for f in config.courses if f.id in ids] if ids else list(config.courses)
    results: list[Updated] = []
    downloaded: list[tuple[Followed, bytes]] = []
    for followed in chosen:
        result, data = _refreshed(followed, places, now)
        results.append(result)
        if data is not None and result.followed is not None:
            downloaded.append((result.followed, data))
    if downloaded:  # an unchanged course (a 304) rewrites nothing, not even the config
        with _changing(places) as current:
            for fresh, data in downloaded:
                # Only into the config as it is now: a course removed meanwhile stays removed, and
                # courses added meanwhile stay followed.
                still = current[0].find(fresh.id)
                if still is not None and still.source == fresh.source:
                    write_atomically(_prepared(places.copy_of(fresh.id)), data)
                    current[0] = current[0].with_course(fresh)
    return results


def _refreshed(followed: Followed, places: Places, now: dt.datetime) -> tuple[Updated, bytes | None]:
    """What updating one course did, and the new copy to keep (with its validators in the result)."""
    from .fetch import FetchError, fetch

    if not followed.is_url:
        return Updated(followed.id, "live", f"read from {followed.source} each time"), None
    copy = places.copy_of(followed.id)
    try:
        old = load_followed(followed, places) if copy.is_file() else None
    except DataError:
        old = None
    try:
        # Without a good copy the request is unconditional: a 304 would leave nothing to show.
        got = fetch(
            followed.source,
            etag=followed.etag if old else None,
            last_modified=followed.last_modified if old else None,
            timeout=DOWNLOAD_TIMEOUT,
            limit=MAX_FILE_BYTES,
        )
        if got.data is None:
            return Updated(followed.id, "unchanged", "not modified (304)"), None
        data, kept = _within_window(old, copy, got.data, now)
        new = read_source(data, redacted(followed.source))
    except CourseInvalid as exc:
        return Updated(followed.id, "failed", f"the published file no longer validates: {exc}"), None
    except FetchError as exc:
        left = "the last good copy is kept" if old else "there is no good copy yet"
        return Updated(followed.id, "failed", f"{exc}; {left}"), None
    except DataError as exc:
        return Updated(followed.id, "failed", str(exc)), None
    from .changes import Change
    from .changes import changes as what_changed

    changes = tuple(what_changed(old, new._replace(id=followed.id))) if old else ()
    window = "left the feed's window of days; kept until it has passed"
    changes += tuple(Change("kept", title, title, None, window) for title in kept)
    checked = now.replace(microsecond=0).isoformat()
    followed = followed._replace(etag=got.etag, last_modified=got.last_modified, updated=checked)
    return Updated(followed.id, "updated", "downloaded", changes, followed), data


def _within_window(old: Course | None, copy: Path, data: bytes, now: dt.datetime) -> tuple[bytes, list[str]]:
    """A windowed feed's download with what left its window kept (see calendars.kept_in_window)."""
    from .calendars import WINDOWED, kept_in_window

    if old is None or old.origin != "calendar" or old.kind not in {f"{lms} feed" for lms in WINDOWED}:
        return data, []
    try:
        merged, kept = kept_in_window(copy.read_text(encoding="utf-8"), data.decode("utf-8"), now)
    except (OSError, ValueError):
        return data, []  # the new feed as it is: read (and refused) as any download
    return merged.encode(), kept


class Status(Record):
    """A followed course as `mdl courses` lists it: loaded (with its warnings), or its first error."""

    followed: Followed
    course: Course | None
    updated: dt.datetime | None  # when the copy was downloaded (URL) or the file last changed (path), to the second
    problem: str | None
    kind: str = ""  # `course` or `calendar`: what it is read as, even when it does not read


def _kind_of_file(path: Path) -> str:
    """What a followed file that does not read is, from its start: `course`, `calendar` or unknown."""
    from . import sources

    try:
        with path.open("rb") as stream:
            head = stream.read(sources.HEAD_CHARACTERS).decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "calendar" if sources.kind_of(head) is sources.CALENDAR else "course"


def _moment(recorded: str | None) -> dt.datetime | None:
    """A moment the config recorded (older mdl wrote microseconds; a hand edit may write anything)."""
    if not recorded:
        return None
    try:
        moment = dt.datetime.fromisoformat(recorded)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).replace(microsecond=0)


def course_statuses(followed: Followed, config: Config, places: Places) -> list[Status]:
    from .store import modified_at

    path = places.copy_of(followed.id) if followed.is_url else Path(followed.source)
    updated: dt.datetime | None
    try:
        updated = _moment(followed.updated) if followed.is_url else modified_at(path)
    except OSError:
        updated = None
    try:
        courses = courses_of(followed, config, places)
    except DataError as exc:
        return [Status(followed, None, updated, str(exc), _kind_of_file(path))]
    # A split feed is listed as its courses, each under its own id.
    return [Status(followed._replace(id=c.id) if followed.split else followed, c, updated, None) for c in courses]
