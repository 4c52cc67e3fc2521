"""The user's settings and followed courses: `config.toml`, read with the standard library, written atomically.

tz = "Europe/Paris"          # optional: the zone to show times in
color = "auto"               # optional: auto, always or never

[warnings]
clashes = false              # optional: no clash warnings beside the views (`mdl courses` still lists them)

[[courses]]
id = "mathsdl"
source = "/home/me/courses/mathsdl.yaml"       # a path, read live: the instructor's edits show

[[courses]]
id = "ml101"
source = "https://example.edu/ml101.yaml"       # a URL, downloaded by `mdl add` and `mdl update`
etag = "\"5f2b\""                                # what the server said last, for a conditional request
last_modified = "Sun, 29 Nov 2026 12:00:00 GMT"
updated = "2026-11-29T12:00:05+00:00"            # when the copy was last downloaded and checked
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError, OutputError
from .files import Missing, read_regular
from .names import FOLLOWED_ID_RULE, followed_id_problem
from .record import Record

COLORS = ("auto", "always", "never")
_KEYS = {"tz", "color", "warnings", "remind", "study", "courses"}
PAGES_PER_HOUR = 10  # a reader's pace when the config gives none
_WARNING_KEYS = ("clashes",)
_COURSE_KEYS = ("id", "source", "etag", "last_modified", "updated", "title")


class Followed(Record):
    """A course the user follows: a path read live, or a URL downloaded into the data folder."""

    id: str
    source: str
    etag: str | None = None
    last_modified: str | None = None
    updated: str | None = None
    title: str | None = None  # shown instead of the course's own (`mdl add --title`)
    split: bool = False  # an LMS feed of several courses, followed as one course per code

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))


class Config(Record):
    path: Path
    tz: str | None = None
    color: str | None = None
    courses: tuple[Followed, ...] = ()
    clash_warnings: bool = True  # [warnings] clashes
    remind_before: tuple[str, ...] = ()  # [remind] before: the leads of `mdl remind` ("1d", "1h")
    pages_per_hour: int = 10  # [study] pages_per_hour (PAGES_PER_HOUR): a reading's pace, for `mdl week`

    def find(self, course_id: str) -> Followed | None:
        return next((c for c in self.courses if c.id == course_id), None)

    def with_course(self, course: Followed) -> "Config":
        """The config with `course` added, or replacing the one of the same id in its place."""
        if self.find(course.id) is None:
            return self._replace(courses=(*self.courses, course))
        return self._replace(courses=tuple(course if c.id == course.id else c for c in self.courses))

    def without(self, course_id: str) -> "Config":
        return self._replace(courses=tuple(c for c in self.courses if c.id != course_id))


# A config holds settings and a few dozen followed courses: a kilobyte or two. Past this it is no config.
MAX_CONFIG_BYTES = 1024 * 1024
# How long a change of the config waits for another mdl's change to finish (they take milliseconds).
LOCK_WAIT_SECONDS = 10.0


def read_config(path: Path) -> Config:
    """The settings in `path`; none when it does not exist. A broken file is an error naming its line.

    Read with the guards of a course file: a regular file only, at most MAX_CONFIG_BYTES.
    """
    try:
        data, _ = read_regular(path, MAX_CONFIG_BYTES, "configuration file")
    except Missing:
        return Config(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    import tomllib  # only when there is a file to read: most runs have none

    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
        raise DataError(f"{where}: {reason[:1].lower() + reason[1:]}") from None
    except (RecursionError, MemoryError):
        raise DataError(f"{path}:{_deepest_line(text)}: nested too deeply for a configuration file") from None
    except ValueError as exc:  # a number of thousands of digits (Python's limit on int from text)
        raise DataError(f"{path}:{_first_long_number(text)}: {str(exc).split(';', 1)[0].lower()}") from None
    return _config(path, parsed, text)


def _deepest_line(text: str) -> int:
    """The line where brackets first open deeper than a config ever needs (strings are not told apart)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > 8:
                return number
    return 1


def _first_long_number(text: str) -> int:
    found = re.search(r"[0-9_]{100,}", text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _config(path: Path, data: dict[str, object], text: str) -> Config:
    def fail(field_path: str, problem: str, *, index: int | None = None) -> DataError:
        return DataError(f"{_located(path, text, field_path, index)}: {field_path}: {problem}")

    unknown_settings = sorted(set(data) - _KEYS)
    if unknown_settings:
        raise fail(unknown_settings[0], f"unknown setting; the settings are: {', '.join(sorted(_KEYS))}")
    tz, color = data.get("tz"), data.get("color")
    if tz is not None and not isinstance(tz, str):
        raise fail("tz", 'expected a zone name in quotes, e.g. "Europe/Paris"')
    if isinstance(tz, str):
        from .errors import UsageError
        from .timeutil import display_zone

        try:
            display_zone(tz, "UTC", "tz")
        except UsageError as exc:
            raise fail("tz", str(exc).removeprefix("tz: ")) from None
    if color is not None and color not in COLORS:
        raise fail("color", f"expected one of: {', '.join(COLORS)}")
    warnings = data.get("warnings", {})
    if not isinstance(warnings, dict):
        raise fail("warnings", "expected a [warnings] table")
    unknown_warnings = sorted(set(warnings) - set(_WARNING_KEYS))
    if unknown_warnings:
        raise fail(f"warnings.{unknown_warnings[0]}", f"unknown key; [warnings] has: {', '.join(_WARNING_KEYS)}")
    clashes = warnings.get("clashes", True)
    if not isinstance(clashes, bool):
        raise fail("warnings.clashes", "expected true or false")
    remind = data.get("remind", {})
    if not isinstance(remind, dict) or sorted(set(remind) - {"before"}):
        raise fail("remind", 'expected a [remind] table with before = ["1d", "1h"]')
    before = remind.get("before", [])
    if not isinstance(before, list) or not all(isinstance(lead, str) for lead in before):
        raise fail("remind.before", 'expected a list of durations in quotes, e.g. ["1d", "1h"]')
    study = data.get("study", {})
    if not isinstance(study, dict) or sorted(set(study) - {"pages_per_hour"}):
        raise fail("study", "expected a [study] table with pages_per_hour = 10")
    pace = study.get("pages_per_hour", PAGES_PER_HOUR)
    if not isinstance(pace, int) or isinstance(pace, bool) or not 1 <= pace <= 1000:
        raise fail("study.pages_per_hour", "expected a whole number of pages, 1 to 1000")
    raw_courses = data.get("courses", [])
    if not isinstance(raw_courses, list):
        raise fail("courses", "expected [[courses]] tables")
    courses: list[Followed] = []
    for index, entry in enumerate(raw_courses):
        where = f"courses[{index}]"
        if not isinstance(entry, dict):
            raise fail(where, "expected a table with id and source", index=index)
        unknown = sorted(set(entry) - {*_COURSE_KEYS, "split"})
        if unknown:
            keys = ", ".join((*_COURSE_KEYS, "split"))
            raise fail(f"{where}.{unknown[0]}", f"unknown key; a course has: {keys}", index=index)
        split = entry.get("split", False)
        if not isinstance(split, bool):
            raise fail(f"{where}.split", "expected true or false", index=index)
        values: dict[str, str | None] = {}
        for key in _COURSE_KEYS:
            value = entry.get(key)
            if (value is None and key in ("id", "source")) or (value is not None and not isinstance(value, str)):
                problem = "expected text in quotes" if value is not None else "is required"
                raise fail(f"{where}.{key}", problem, index=index)
            values[key] = value
        course_id, source = values["id"] or "", values["source"] or ""
        id_problem = followed_id_problem(course_id)
        if id_problem is not None:
            rule = f"an id is a plain name ({FOLLOWED_ID_RULE})"
            raise fail(f"{where}.id", f"{course_id!r} {id_problem}; {rule}", index=index)
        if any(c.id == course_id for c in courses):
            twice = f"{course_id!r} is followed twice; each course needs an id of its own"
            raise fail(f"{where}.id", twice, index=index)
        courses.append(
            Followed(
                course_id, source, values["etag"], values["last_modified"], values["updated"], values["title"], split
            )
        )
    color_set = color if isinstance(color, str) else None
    return Config(path, tz, color_set, tuple(courses), clashes, tuple(before), pace)


def _located(path: Path, text: str, field_path: str, index: int | None = None) -> str:
    """file:line of the setting's line where it can be found in the text (TOML values carry no position).

    A key of a followed course is looked for in that course's [[courses]] table, the `index`-th.
    """
    name = field_path.rsplit(".", maxsplit=1)[-1].split("[", maxsplit=1)[0]
    tables = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"\s*\[\[\s*courses\s*\]\]", line):
            tables += 1
            if index is not None and tables == index and name == "courses":
                return f"{path}:{number}"
        if index is not None and tables != index:
            continue
        if re.match(rf"\s*(\[\[)?{re.escape(name)}\b", line):
            return f"{path}:{number}"
    return str(path)


def to_toml(config: Config) -> str:
    """The config as TOML, every string a basic string with its control characters escaped."""
    lines = ["# mdl's settings and followed courses; `mdl config` shows what is in effect."]
    for key in ("tz", "color"):
        value = getattr(config, key)
        if value is not None:
            lines.append(f"{key} = {_toml_string(value)}")
    if not config.clash_warnings:
        lines += ["", "[warnings]", "clashes = false"]
    if config.pages_per_hour != PAGES_PER_HOUR:
        lines += ["", "[study]", f"pages_per_hour = {config.pages_per_hour}"]
    if config.remind_before:
        lines += ["", "[remind]", "before = [" + ", ".join(_toml_string(lead) for lead in config.remind_before) + "]"]
    for course in config.courses:
        lines += ["", "[[courses]]"]
        for key in _COURSE_KEYS:
            value = getattr(course, key)
            if value is not None:
                lines.append(f"{key} = {_toml_string(value)}")
        if course.split:
            lines.append("split = true")
    return "\n".join(lines).strip("\n") + "\n"


# TOML's basic strings take any character but these, which are escaped (DEL included: JSON's
# escaping, used before, leaves it as it is, and a TOML reader refuses it).
_TOML_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\"} | {c: f"\\u{c:04x}" for c in [*range(0x20), 0x7F]}


def _toml_string(value: str) -> str:
    return '"' + value.translate(_TOML_ESCAPES) + '"'


@contextlib.contextmanager
def locked(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of the config at `path` (a file beside it, taken with fcntl) while it is changed.

    A read, change and write of the config under it loses no other mdl's change: six `mdl add` at
    once follow six courses. Another mdl holds it for milliseconds; after `wait` seconds (by
    default LOCK_WAIT_SECONDS), give up.
    """
    import fcntl
    import time

    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        raise OutputError(f"{lock_path}: cannot take the lock of the configuration: {exc.strerror or exc}") from None
    try:
        if wait is None:
            wait = LOCK_WAIT_SECONDS
        given_up = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= given_up:
                    raise OutputError(
                        f"{path}: another mdl has been changing it for {wait:g} s ({lock_path}); try again"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
