"""The course as records (named tuples, see record.py): what the store builds and every later step reads.

Named tuples, not dataclasses: an item takes a third of the memory, and the classes are made at
import many times faster (a dataclass compiles its methods when its module loads).
"""

import datetime as dt
from functools import cached_property
from typing import Literal

from .record import Record

SessionKind = Literal["lecture", "guest-lecture", "exam", "lab", "review", "break"]
SESSION_KINDS: tuple[SessionKind, ...] = ("lecture", "guest-lecture", "exam", "lab", "review", "break")
SCHEMA_VERSIONS = (1, 2)
Severity = Literal["error", "warning"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Person(Record):
    id: str
    role: str
    name: str
    email: str | None
    website: str | None = None
    pronouns: str | None = None


class Meeting(Record):
    """A weekly meeting; it happens every week from `first` to `last` except break weeks."""

    id: str
    title: str
    weekday: int  # Monday is 0, as in datetime.date.weekday()
    start: dt.time
    end: dt.time
    location: str | None
    optional: bool
    first: dt.date | None
    last: dt.date | None
    person: str | None = None  # whose meeting it is (a person's office hours): their id

    @property
    def weekly(self) -> str:
        """`Fridays 16:00–18:00`: when it meets, as a timetable says it."""
        return f"{WEEKDAYS[self.weekday].capitalize()}s {self.start:%H:%M}–{self.end:%H:%M}"


class Announcement(Record):
    """A dated message to the class (a room change, a new homework), shown newest first."""

    date: dt.date
    title: str
    text: str | None


class Link(Record):
    id: str
    title: str
    url: str


class SyllabusPart(Record):
    title: str
    items: tuple[str, ...]


class PrerequisiteGroup(Record):
    name: str  # "required" or "nice to have"
    level: str | None
    topics: tuple[str, ...]


class GradingComponent(Record):
    component: str
    detail: str


class Deadline(Record):
    id: str
    title: str
    due: dt.datetime | None  # in UTC; None when the date is not known (TBA)
    submission: str | None
    note: str | None
    # Due some day, at no time of day (a calendar's date-only item): `due` is the end of that
    # day, in the course's zone, and it is shown as the date.
    day_only: bool = False
    done: bool = False  # the student marked it done (`mdl done`): their state, not the course's

    def day(self, zone: dt.tzinfo) -> dt.date | None:
        """The day it is due in `zone` (a day-only deadline's own day, not the midnight after it)."""
        if self.due is None:
            return None
        moment = self.due - dt.timedelta(microseconds=1) if self.day_only else self.due
        return moment.astimezone(zone).date()


def item_uid(course_id: str, kind: str, item_id: str) -> str:
    """An item's stable UID: what `export-ics` writes and the student's state is keyed by."""
    return f"{kind}-{item_id}@{course_id}.mdl"


class Session(Record):
    id: str
    week: int
    date: dt.date
    kind: SessionKind
    label: str | None
    title: str | None
    speaker: str | None
    affiliation: str | None
    slides: str | None
    refs: str | None
    meeting: str | None  # the weekly meeting that gives its time and room; None for a break
    # What this session changes of its meeting: a midterm in another room at another time.
    location: str | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    cancelled: bool = False
    note: str | None = None
    first_day: dt.date | None = None  # a break's extent, resolved by its schema version
    last_day: dt.date | None = None

    @property
    def display_title(self) -> str:
        """The title a person reads: guest lectures without one are named by their speaker."""
        if self.title:
            return self.title
        if self.speaker:
            who = f"{self.speaker} ({self.affiliation})" if self.affiliation else self.speaker
            return f"Guest Lecture: {who}"
        return self.kind.replace("-", " ").capitalize()


class Reference(Record):
    title: str
    authors: str | None
    year: int | None
    venue: str | None
    note: str | None
    url: str | None
    minutes: int | None = None  # its effort, as the course file gives it
    pages: int | None = None
    read: bool = False  # the student marked it read (`mdl read`): their state, not the course's


def reference_uid(course_id: str, reference: Reference) -> str:
    """A reference's key in the student's state: its title (the same work in two lists is read
    once), so that a reference added before it, or lists reordered, keep the marks."""
    import hashlib  # noqa: PLC0415 - a read mark is rare; hashlib costs a run that never needs it

    digest = hashlib.blake2s(" ".join(reference.title.casefold().split()).encode(), digest_size=6).hexdigest()
    return item_uid(course_id, "reference", digest)


class ReadingList(Record):
    id: str
    title: str | None
    main: tuple[Reference, ...]
    further: tuple[Reference, ...]


class Reading(Record):
    text: str
    url: str | None


class CurriculumClass(Record):
    number: int
    title: str
    motivation: str | None
    required_reading: tuple[Reading, ...]
    optional_reading: tuple[Reading, ...]
    questions: tuple[str, ...]
    notebook: str | None


class Curriculum(Record):
    id: str
    title: str
    links: tuple[Link, ...]
    classes: tuple[CurriculumClass, ...]


class Diagnostic(Record):
    """One finding about a course file, error or warning alike, located where it was found."""

    severity: Severity
    file: str
    line: int | None  # 1-based; None for a finding about the whole file
    column: int | None
    field: str  # the path of the field, e.g. sessions[5].date; "" for none
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line is not None else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"

    def to_json(self) -> dict[str, str | int | None]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class _CourseFields(Record):
    path: str
    schema: int
    id: str
    title: str
    kind: str | None
    code: str | None
    institution: str | None
    term: str | None
    timezone: str
    term_start: dt.date
    term_end: dt.date
    people: tuple[Person, ...]
    meetings: tuple[Meeting, ...]
    links: tuple[Link, ...]
    description: str | None
    syllabus: tuple[SyllabusPart, ...]
    prerequisites: tuple[PrerequisiteGroup, ...]
    grading: tuple[GradingComponent, ...]
    deadlines: tuple[Deadline, ...]
    sessions: tuple[Session, ...]
    reading_lists: tuple[ReadingList, ...]
    curricula: tuple[Curriculum, ...]
    warnings: tuple[Diagnostic, ...]
    announcements: tuple[Announcement, ...] = ()  # newest first
    origin: Literal["course", "calendar"] = "course"  # what it was read from: a course file or a calendar


class Course(_CourseFields):
    """A validated course. Unlike the other records it has a `__dict__`: its lookups by id go
    through indexes built once, on first use (a course of 15 000 sessions asks 15 000 times).
    Pickled (into the cache) as its fields alone, without the indexes, as every record is."""

    @cached_property
    def _meetings_by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}

    @cached_property
    def _reading_lists_by_id(self) -> dict[str, ReadingList]:
        return {r.id: r for r in self.reading_lists}

    @cached_property
    def _sessions_by_list(self) -> dict[str, list[Session]]:
        index: dict[str, list[Session]] = {}
        for session in self.sessions:
            if session.refs and session.kind != "break":
                index.setdefault(session.refs, []).append(session)
        return index

    def meeting(self, meeting_id: str | None) -> Meeting | None:
        return self._meetings_by_id.get(meeting_id) if meeting_id else None

    def reading_list(self, list_id: str) -> ReadingList | None:
        return self._reading_lists_by_id.get(list_id)

    def sessions_reading(self, list_id: str) -> list[Session]:
        """The sessions that use a reading list (a break's link to one does not count)."""
        return self._sessions_by_list.get(list_id, [])
