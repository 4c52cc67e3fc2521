"""The course file's schema, declared once as data.

Each shape lists its keys with type, whether required, allowed values and a one-line meaning.
The loader reads every mapping through its shape (parse.py), so a required key cannot be
forgotten for one item kind; the cross-checks that relate items to each other stay code.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Literal

from .model import SESSION_KINDS, WEEKDAYS
from .record import Record
from .timeutil import FIRST_YEAR, LAST_YEAR, zone_named

KeyType = Literal[
    "text",  # one line or a paragraph of text
    "id",  # letters, digits and punctuation, no spaces or slashes
    "url",  # an http:// or https:// address
    "integer",  # a whole number, digits only
    "date",  # YYYY-MM-DD
    "time",  # HH:MM, quoted
    "boolean",  # true or false
    "choice",  # one of `choices`
    "zone",  # an IANA time-zone name
    "texts",  # a list of texts
    "list",  # a list of mappings of `shape`
    "mapping",  # one mapping of `shape`
]


class Key(Record):
    name: str
    type: KeyType
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    shape: Shape | None = None


class Shape:
    """What one kind of item may hold: its keys, in the order the docs list them."""

    __slots__ = ("keys", "name", "names")

    def __init__(self, name: str, keys: tuple[Key, ...]) -> None:
        self.name = name  # what one item is called in messages ("meeting", "session")
        self.keys = keys
        self.names = tuple(k.name for k in keys)


def _id(what: str) -> Key:
    return Key("id", "id", f"Identifies the {what} (letters, digits, '-', '_', '.').", required=True)


PERSON = Shape(
    "person",
    (
        _id("person"),
        Key("role", "text", "What the person does in the course (Lecture Instructor, Tutor)."),
        Key("name", "text", "Full name.", required=True),
        Key("email", "text", "E-mail address."),
        Key("pronouns", "text", "How to refer to them (she/her, they/them)."),
        Key("website", "url", "Their web page."),
    ),
)

MEETING = Shape(
    "meeting",
    (
        _id("meeting; sessions name it in `meeting:`"),
        Key("title", "text", "What the meeting is called (default: its id)."),
        Key("weekday", "choice", "The day of the week it meets.", required=True, choices=WEEKDAYS),
        Key("start", "time", 'Start time, quoted ("19:10").', required=True),
        Key("end", "time", 'End time, quoted ("21:00"); after the start.', required=True),
        Key("location", "text", "Room or place."),
        Key("optional", "boolean", "Attendance is optional.", default="false"),
        Key("first", "date", "First day it meets (default: the start of term)."),
        Key("last", "date", "Last day it meets (default: the end of term)."),
        Key("person", "id", "Id of the person whose meeting it is (their office hours)."),
    ),
)

ANNOUNCEMENT = Shape(
    "announcement",
    (
        Key("date", "date", "The day it was announced.", required=True),
        Key("title", "text", "What it is about, in a line.", required=True),
        Key("text", "text", "The message."),
    ),
)

LINK = Shape(
    "link",
    (
        _id("link"),
        Key("title", "text", "What the link is (default: its id)."),
        Key("url", "url", "The address.", required=True),
    ),
)

SYLLABUS_PART = Shape(
    "syllabus part",
    (
        Key("title", "text", "The part's heading.", required=True),
        Key("items", "texts", "The topics of the part."),
    ),
)

PREREQUISITE_GROUP = Shape(
    "prerequisite group",
    (
        Key("level", "text", "The level expected (e.g. 'graduate')."),
        Key("topics", "texts", "The topics."),
    ),
)

PREREQUISITES = Shape(
    "prerequisites",
    (
        Key("required", "mapping", "What students must know.", shape=PREREQUISITE_GROUP),
        Key("nice_to_have", "mapping", "What helps.", shape=PREREQUISITE_GROUP),
    ),
)

GRADING = Shape(
    "grading component",
    (
        Key("component", "text", "What is graded.", required=True),
        Key("detail", "text", "How, or how much."),
    ),
)

DEADLINE = Shape(
    "deadline",
    (
        _id("deadline; a series numbers its own (hw-1, hw-2, …)"),
        Key("title", "text", "What is due; a series numbers its own (Homework 1, …).", required=True),
        Key("due", "date", "The day it is due (a series: the first); leave out while unknown (TBA)."),
        Key("time", "time", 'The time it is due on that day, quoted (default: "23:59").'),
        Key("submission", "text", "How to hand it in."),
        Key("note", "text", "Anything else."),
        Key("every", "choice", "Repeat it: a series of deadlines a week apart.", choices=("week",)),
        Key("count", "integer", "How many deadlines the series has."),
        Key("until", "date", "The last day a deadline of the series may fall on (instead of count)."),
    ),
)

SESSION = Shape(
    "session",
    (
        _id("session"),
        Key("week", "integer", "Week of the term (week 1 starts on term_start); derived from the date when left out."),
        Key("date", "date", "The day of the session; for a break, its first day.", required=True),
        Key("until", "date", "A break's last day (schema 2: default its first day; schema 1: breaks cover weeks)."),
        Key("kind", "choice", "What kind of session it is.", choices=SESSION_KINDS, default="lecture"),
        Key("label", "text", "Short label (Lec5); `mdl refs lec5` finds it."),
        Key("title", "text", "Topic; a guest lecture may give its speaker instead."),
        Key("speaker", "text", "Guest speaker."),
        Key("affiliation", "text", "The speaker's affiliation."),
        Key("slides", "url", "Address of the slides."),
        Key("refs", "id", "Id of the session's reading list."),
        Key(
            "meeting",
            "id",
            "Id of the weekly meeting that gives its time and room (default: schema 1 `lecture`, schema 2 the first).",
        ),
        Key("location", "text", "Its own room, instead of its meeting's."),
        Key("start", "time", 'Its own start time, quoted ("18:00").'),
        Key("end", "time", 'Its own end time, quoted ("20:00").'),
        Key("cancelled", "boolean", "The session does not take place (it stays listed, marked).", default="false"),
        Key("note", "text", "A remark shown with the session (why it is cancelled, what to bring)."),
    ),
)

REFERENCE = Shape(
    "reference",
    (
        Key("title", "text", "Title of the work.", required=True),
        Key("authors", "text", "Authors, as the list gives them."),
        Key("year", "integer", "Year of publication (four digits)."),
        Key("venue", "text", "Where it appeared."),
        Key("note", "text", "A remark."),
        Key("url", "url", "Address of the work."),
        Key("minutes", "integer", "How long it takes to read, in minutes (`mdl week` adds them up)."),
        Key(
            "pages", "integer", "How many pages to read (`mdl week` counts them at the config's study.pages_per_hour)."
        ),
    ),
)

READING_LIST = Shape(
    "reading list",
    (
        _id("reading list; sessions name it in `refs:`"),
        Key("title", "text", "Heading of the list."),
        Key("main", "list", "Main references.", shape=REFERENCE),
        Key("further", "list", "Further references.", shape=REFERENCE),
    ),
)

READING = Shape(
    "reading",
    (
        Key("text", "text", "The reading, as a line of text.", required=True),
        Key("url", "url", "Its address."),
    ),
)

CURRICULUM_CLASS = Shape(
    "curriculum class",
    (
        Key("number", "integer", "Number of the class.", required=True),
        Key("title", "text", "Topic of the class.", required=True),
        Key("motivation", "text", "Why it matters."),
        Key("required_reading", "list", "Readings for everyone.", shape=READING),
        Key("optional_reading", "list", "Further readings.", shape=READING),
        Key("questions", "texts", "Questions to work on."),
        Key("notebook", "url", "Address of a notebook."),
    ),
)

CURRICULUM = Shape(
    "curriculum",
    (
        _id("curriculum"),
        Key("title", "text", "Name of the curriculum.", required=True),
        Key("links", "texts", "Ids of entries of `links` that belong to it."),
        Key("classes", "list", "Its classes.", shape=CURRICULUM_CLASS),
    ),
)

ABOUT = Shape(
    "course",
    (
        Key("id", "id", "Identifies the course (letters, digits, '-', '_', '.').", required=True),
        Key("title", "text", "Name of the course.", required=True),
        Key("kind", "text", "Kind of course (Topics course)."),
        Key("code", "text", "Catalogue code."),
        Key("institution", "text", "University or school."),
        Key("term", "text", "Name of the term (Spring 2019)."),
        Key("timezone", "zone", "IANA time zone of every date and time in the file.", required=True),
        Key("term_start", "date", "First day of the term; week 1 starts here.", required=True),
        Key("term_end", "date", "Last day of the term.", required=True),
    ),
)

COURSE_FILE = Shape(
    "course file",
    (
        Key("schema", "integer", "Version of this schema: 2 (1 is read as before).", required=True, choices=("1", "2")),
        Key("course", "mapping", "What the course is.", required=True, shape=ABOUT),
        Key("people", "list", "Instructors and tutors.", shape=PERSON),
        Key("meetings", "list", "Weekly meetings: lecture, tutoring, office hours.", shape=MEETING),
        Key("links", "list", "Web pages of the course.", shape=LINK),
        Key("announcements", "list", "Dated messages to the class, shown newest first.", shape=ANNOUNCEMENT),
        Key("description", "text", "What the course is about."),
        Key("syllabus", "list", "Parts of the syllabus.", shape=SYLLABUS_PART),
        Key("prerequisites", "mapping", "What students should know.", shape=PREREQUISITES),
        Key("grading", "list", "How the course is graded.", shape=GRADING),
        Key("deadlines", "list", "What is due, and when.", shape=DEADLINE),
        Key("sessions", "list", "The dated sessions, one block each.", shape=SESSION),
        Key("reading_lists", "list", "Reading lists that sessions link to.", shape=READING_LIST),
        Key("curricula", "list", "Parallel curricula.", shape=CURRICULUM),
    ),
)


# -- what each type's text reads as ---------------------------------------------------------

_CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_CLOCK = re.compile(_CLOCK_PATTERN)


class Reason(str):
    """A reader's explanation of why a value was refused, said instead of the type's message."""


def _ident(value: str) -> str:
    if not value or any(c in value for c in "/\\ ") or not value.isprintable():
        raise ValueError(value)
    return value


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or " " in value or not value.isprintable():
        raise ValueError(value)
    return value


def _whole_number(value: str) -> int:
    # ASCII digits only: no sign, no 0x, no 1_000, no 19:10, no superscript ²
    if not (value.isascii() and value.isdecimal()) or len(value) > 6:
        raise ValueError(value)
    return int(value)


def _date(value: str) -> dt.date:
    day = dt.date.fromisoformat(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(Reason(f"{value} is outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})"))
    return day


def _clock(value: str) -> dt.time:
    if not _CLOCK.fullmatch(value):  # HH:MM only: no seconds, no offset, no 19.10
        raise ValueError(value)
    return dt.time.fromisoformat(value)


def _zone(value: str) -> zoneinfo.ZoneInfo:
    found = zone_named(value)
    if found is None:
        raise ValueError(value)
    return found


# Each one-value type: what its value is made from its text (ValueError if it cannot be), and
# what is said when it cannot ({value}: the text, {shown}: quoted).
TEXT_READERS: dict[KeyType, tuple[Callable[[str], object], str]] = {
    "text": (str, ""),
    "id": (_ident, "{shown} is not a valid id (letters, digits, '-', '_', '.')"),
    "url": (_url, "{shown} is not a web address (http:// or https://)"),
    "integer": (_whole_number, "{shown} is not a whole number"),
    "date": (_date, "{value} is not a valid date (expected YYYY-MM-DD)"),
    "time": (_clock, '{value} is not a valid time (expected HH:MM, quoted: "19:10")'),
    "zone": (_zone, "{shown} is not a known IANA time zone (e.g. America/New_York)"),
}


# -- what is derived from the schema ---------------------------------------------------------

_VALUE_SCHEMA: dict[str, dict[str, object]] = {
    # YAML reads an unquoted 2019 or `no` as a number or a boolean; mdl reads text as written.
    "text": {"type": ["string", "number", "boolean"]},
    "id": {"type": ["string", "integer"], "pattern": r"^[^/\\ ]+$"},
    "url": {"type": "string", "pattern": r"^https?://[^ ]+$"},
    "integer": {"type": "integer", "minimum": 0, "maximum": 999999},
    "date": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "time": {"type": "string", "pattern": _CLOCK_PATTERN},
    "boolean": {"type": "boolean"},
    "zone": {"type": "string", "pattern": r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$", "maxLength": 64},
}


def _slug(shape: Shape) -> str:
    return shape.name.replace(" ", "-")


def _key_schema(key: Key, definitions: dict[str, object]) -> dict[str, object]:
    value: dict[str, object]
    if key.shape is not None:
        _shape_schema(key.shape, definitions)
        reference = {"$ref": f"#/$defs/{_slug(key.shape)}"}
        value = {"type": "array", "items": reference} if key.type == "list" else dict(reference)
    elif key.type == "texts":
        value = {"type": "array", "items": _VALUE_SCHEMA["text"]}
    elif key.choices:
        value = {"enum": [int(c) for c in key.choices] if key.type == "integer" else list(key.choices)}
    else:
        value = dict(_VALUE_SCHEMA[key.type])
    described = {"description": key.description, **value}
    if key.default is not None:
        described["default"] = key.default == "true" if key.type == "boolean" else key.default
    # An optional key may be written and left empty (`due: ~` is "not known yet").
    return described if key.required else {"description": key.description, "anyOf": [value, {"type": "null"}]}


def _shape_schema(shape: Shape, definitions: dict[str, object]) -> None:
    if _slug(shape) in definitions:
        return
    definitions[_slug(shape)] = {}  # reserved first: shapes are a tree, but keep recursion finite
    definitions[_slug(shape)] = {
        "type": "object",
        "title": shape.name,
        "properties": {key.name: _key_schema(key, definitions) for key in shape.keys},
        "required": [key.name for key in shape.keys if key.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """The course file as a JSON Schema (draft 2020-12), for editors with the YAML language server."""
    definitions: dict[str, object] = {}
    _shape_schema(COURSE_FILE, definitions)
    top = definitions.pop(_slug(COURSE_FILE))
    assert isinstance(top, dict)  # noqa: S101 - just built above
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **top,
        "title": "mdl course file",
        "description": "A course for mdl: schedule, reading lists, deadlines. Check it with `mdl validate`.",
        "$defs": definitions,
    }


def markdown_table() -> str:
    """Every key of the course file, one row each, as the README shows them."""
    lines = ["| key | type | | meaning |", "| --- | --- | --- | --- |"]

    def walk(shape: Shape, prefix: str) -> None:
        for key in shape.keys:
            path = f"{prefix}{key.name}"
            kind = key.type if not key.choices else " \\| ".join(key.choices)
            if key.shape is not None:
                kind = f"list of {key.shape.name}" if key.type == "list" else key.shape.name
            default = f" Default: `{key.default}`." if key.default is not None else ""
            lines.append(f"| `{path}` | {kind} | {'required' if key.required else ''} | {key.description}{default} |")
            if key.shape is not None:
                walk(key.shape, f"{path}[]." if key.type == "list" else f"{path}.")

    walk(COURSE_FILE, "")
    return "\n".join(lines) + "\n"
