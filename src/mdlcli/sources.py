"""Sources: what a course is read from, and how its bytes become the course model.

The store (files, the cache, snapshots) and the semester (downloads, copies, updates) know
sources, not formats: they hand over the bytes and a name (a path or a URL) and get a validated
`Course`, or an error located in that name. The kind of a source is decided from its content,
not its name, by the first kind that recognises it: an iCalendar object (calendars.py) or, for
anything else, an mdl course file (YAML, parse.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import Unreadable
from .model import Course
from .record import Record


class Kind(Record):
    """One kind of source: how it is recognised, asked for and read."""

    name: str  # in messages: "course file"
    media_types: tuple[str, ...]  # what a download asks a server for, in its Accept header
    recognises: Callable[[str], bool]  # from the start of the text
    read: Callable[[str, str], Course]  # (text, name) → the course; raises CourseInvalid


def _read_course_file(text: str, name: str) -> Course:
    from .parse import parse_course  # the YAML reader loads only for a course that is read

    return parse_course(text, name)


def _read_calendar(text: str, name: str) -> Course:
    from .calendars import read_calendar  # icalendar and recurring-ical-events load only for a calendar

    return read_calendar(text, name)


def _is_calendar(head: str) -> bool:
    return head.lstrip().upper().startswith("BEGIN:VCALENDAR")


CALENDAR = Kind("calendar", ("text/calendar",), recognises=_is_calendar, read=_read_calendar)
COURSE_FILE = Kind(
    "course file",
    ("application/yaml", "text/yaml"),
    recognises=lambda head: True,  # the kind anything else is read as: its errors say what is wrong
    read=_read_course_file,
)
KINDS: tuple[Kind, ...] = (CALENDAR, COURSE_FILE)
HEAD_CHARACTERS = 4096  # what a kind is recognised from


def read(data: bytes, name: str) -> Course:
    """The course that a source's bytes hold, read as the kind they are."""
    text = decoded(data, name)
    return kind_of(text).read(text, name)


def kind_of(text: str) -> Kind:
    """The kind a source's text is, from its start."""
    head = text[:HEAD_CHARACTERS]
    return next(kind for kind in KINDS if kind.recognises(head))


def accepted() -> str:
    """The Accept header of a download: every kind mdl reads, then anything (a server may not know)."""
    return ", ".join([*(t for kind in KINDS for t in kind.media_types), "text/plain", "*/*"])


def decoded(data: bytes, name: str) -> str:
    """A source's text: UTF-8 (its byte-order mark dropped), with no NUL; else Unreadable."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable(name, "is UTF-16 text; save the course file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(name, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None
    if "\x00" in text:
        raise Unreadable(name, "contains NUL bytes; not a text file")
    return text.removeprefix("\ufeff")
