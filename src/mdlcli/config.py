"""The user's settings and followed courses: `config.toml`, read with the standard library, written atomically.

tz = "Europe/Paris"          # optional: the zone to show times in
color = "auto"               # optional: auto, always or never

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

import re
from pathlib import Path

from .errors import DataError
from .record import Record

COLORS = ("auto", "always", "never")
_KEYS = {"tz", "color", "courses"}
_COURSE_KEYS = ("id", "source", "etag", "last_modified", "updated")


class Followed(Record):
    """A course the user follows: a path read live, or a URL downloaded into the data folder."""

    id: str
    source: str
    etag: str | None = None
    last_modified: str | None = None
    updated: str | None = None

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))


class Config(Record):
    path: Path
    tz: str | None = None
    color: str | None = None
    courses: tuple[Followed, ...] = ()

    def find(self, course_id: str) -> Followed | None:
        return next((c for c in self.courses if c.id == course_id), None)

    def with_course(self, course: Followed) -> "Config":
        """The config with `course` added, or replacing the one of the same id in its place."""
        if self.find(course.id) is None:
            return self._replace(courses=(*self.courses, course))
        return self._replace(courses=tuple(course if c.id == course.id else c for c in self.courses))

    def without(self, course_id: str) -> "Config":
        return self._replace(courses=tuple(c for c in self.courses if c.id != course_id))


def read_config(path: Path) -> Config:
    """The settings in `path`; none when it does not exist. A broken file is an error naming its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the configuration: {getattr(exc, 'strerror', None) or exc}") from None
    import tomllib  # only when there is a file to read: most runs have none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
        raise DataError(f"{where}: {reason[:1].lower() + reason[1:]}") from None
    return _config(path, data, text)


def _config(path: Path, data: dict[str, object], text: str) -> Config:
    def fail(field_path: str, problem: str) -> DataError:
        return DataError(f"{_located(path, text, field_path)}: {field_path}: {problem}")

    unknown_settings = sorted(set(data) - _KEYS)
    if unknown_settings:
        raise fail(unknown_settings[0], f"unknown setting; the settings are: {', '.join(sorted(_KEYS))}")
    tz, color = data.get("tz"), data.get("color")
    if tz is not None and not isinstance(tz, str):
        raise fail("tz", 'expected a zone name in quotes, e.g. "Europe/Paris"')
    if color is not None and color not in COLORS:
        raise fail("color", f"expected one of: {', '.join(COLORS)}")
    raw_courses = data.get("courses", [])
    if not isinstance(raw_courses, list):
        raise fail("courses", "expected [[courses]] tables")
    courses = []
    for index, entry in enumerate(raw_courses):
        where = f"courses[{index}]"
        if not isinstance(entry, dict):
            raise fail(where, "expected a table with id and source")
        unknown = sorted(set(entry) - set(_COURSE_KEYS))
        if unknown:
            raise fail(f"{where}.{unknown[0]}", f"unknown key; a course has: {', '.join(_COURSE_KEYS)}")
        values: dict[str, str | None] = {}
        for key in _COURSE_KEYS:
            value = entry.get(key)
            if (value is None and key in ("id", "source")) or (value is not None and not isinstance(value, str)):
                raise fail(f"{where}.{key}", "expected text in quotes" if value is not None else "is required")
            values[key] = value
        course_id, source = values["id"] or "", values["source"] or ""
        courses.append(Followed(course_id, source, values["etag"], values["last_modified"], values["updated"]))
    return Config(path, tz, color if isinstance(color, str) else None, tuple(courses))


def _located(path: Path, text: str, field_path: str) -> str:
    """file:line of the setting's line where it can be found in the text (TOML values carry no position)."""
    name = field_path.rsplit(".", maxsplit=1)[-1].split("[", maxsplit=1)[0]
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*(\[\[)?{re.escape(name)}\b", line):
            return f"{path}:{number}"
    return str(path)


def to_toml(config: Config) -> str:
    """The config as TOML; strings are written as JSON strings, which are valid TOML basic strings."""
    import json

    lines = ["# mdl's settings and followed courses; `mdl config` shows what is in effect."]
    for key in ("tz", "color"):
        value = getattr(config, key)
        if value is not None:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    for course in config.courses:
        lines += ["", "[[courses]]"]
        for key in _COURSE_KEYS:
            value = getattr(course, key)
            if value is not None:
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines).strip("\n") + "\n"
