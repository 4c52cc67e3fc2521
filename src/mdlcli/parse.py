"""YAML text → the validated model. Pure: no files, no clock; every error located as file:line:column.

The file's structure is read by the walk over the schema (walker.py); this module makes the model
of what it reads (a builder per kind of item, with the rules of one item: a meeting ends after it
starts, a series has a count or an end, a break has no room) and reads the top of the file in an
order that lets each section use those it needs. What relates items to each other is checked
after, over the built model (crosschecks.py). An item is built only when nothing in it had an
error: an item that fails leaves no trace (no id, nothing that refers to it accepted).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import yaml

from . import schema
from .crosschecks import CrossChecks
from .errors import CourseInvalid
from .model import (
    SCHEMA_VERSIONS,
    WEEKDAYS,
    Announcement,
    Course,
    Curriculum,
    CurriculumClass,
    Deadline,
    Diagnostic,
    GradingComponent,
    Link,
    Meeting,
    Person,
    PrerequisiteGroup,
    Reading,
    ReadingList,
    Reference,
    Session,
    SyllabusPart,
)
from .names import plain_name_problem
from .walker import Builder, Record, Walker

MAX_SERIES = 1_000  # deadlines in one series: a weekly homework for twenty years

# What a section of the file needs read before it: the schema's version and the course's zone
# and term (every section), the meetings (sessions take their times), the links (curricula).
_FIRST = ("schema", "course")
_NEEDS: dict[str, tuple[str, ...]] = {
    "schema": (),
    "course": ("schema",),
    "sessions": (*_FIRST, "meetings"),
    "curricula": (*_FIRST, "links"),
}


def parse_course(text: str, name: str) -> Course:
    """Parse and validate a course; raise CourseInvalid listing every error and warning."""
    reader = _CourseReader(name, text)
    walker = reader.walker
    try:
        course = reader.read()
        walker.finish()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = "invalid YAML: " + " ".join(p for p in (exc.context, exc.problem) if p)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CourseInvalid([Diagnostic("error", name, line, column, "", what)]) from None
    except yaml.YAMLError as exc:
        raise CourseInvalid([Diagnostic("error", name, None, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        walker.close()
    if walker.problems or course is None:
        raise CourseInvalid(walker.problems, walker.warnings)
    return course


class _CourseReader:
    """Reads the top of a course file section by section, and the items through their builders."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.version = SCHEMA_VERSIONS[-1]
        self.about: Record | None = None
        self.built: dict[str, Any] = {}
        builders: dict[str, Builder] = {
            schema.PERSON.name: _person,
            schema.MEETING.name: self._meeting,
            schema.LINK.name: _link,
            schema.ANNOUNCEMENT.name: _announcement,
            schema.SYLLABUS_PART.name: _syllabus_part,
            schema.PREREQUISITES.name: self._prerequisites,
            schema.GRADING.name: _grading,
            schema.REFERENCE.name: self._reference,
            schema.READING_LIST.name: self._reading_list,
            schema.READING.name: _reading,
            schema.CURRICULUM_CLASS.name: _curriculum_class,
        }
        self.walker = Walker(name, text, builders)

    def read(self) -> Course | None:
        walker = self.walker
        given: list[str] = []
        held: list[tuple[schema.Key, Any]] = []

        def ready(key: str, ended: bool) -> bool:
            return all(need in self.built or (ended and need not in given) for need in _NEEDS.get(key, _FIRST))

        def read_waiting(ended: bool) -> None:
            while ready_now := [entry for entry in held if ready(entry[0].name, ended)]:
                key, value = ready_now[0]
                held.remove(ready_now[0])
                self._section(key, value)

        # Sections are read in the order of the file, so that a large one streams through; one
        # that needs another not read yet waits for it (kept whole meanwhile).
        for key, value in walker.entries(walker.document(), schema.COURSE_FILE):
            given.append(key.name)
            if ready(key.name, ended=False):
                self._section(key, value)
                read_waiting(ended=False)
            else:
                held.append((key, walker.held(value)))
        read_waiting(ended=True)
        return self._course()

    def _section(self, key: schema.Key, value: Any) -> None:
        walker, name = self.walker, key.name
        build: Builder | None = None
        if name == "sessions":
            build = self._session_builder()
        elif name == "deadlines":
            zone = self.about["timezone"] if self.about else zoneinfo.ZoneInfo("UTC")

            def build(r: Record) -> tuple[Deadline, ...] | None:
                return self._deadlines(r, zone)

        elif name == "curricula":
            links = self.built.get("links", ())

            def build(r: Record) -> Curriculum:
                return self._curriculum(r, links)

        place = walker.place(value)
        found = walker.value(value, key, name, build)
        if name == "schema":
            if found is not None and found not in SCHEMA_VERSIONS:
                walker.error(place, name, f"version {found} is not supported (this mdl reads versions 1 and 2)")
            self.version = found if found in SCHEMA_VERSIONS else SCHEMA_VERSIONS[-1]
        elif name == "course":
            self._check_course_id(found)
            self.about = found
        elif name == "deadlines":
            for series in found:
                for deadline in series:
                    walker.keep(deadline, series)
            found = tuple(deadline for series in found for deadline in series)
        self.built[name] = found

    def _session_builder(self) -> Builder:
        meetings: tuple[Meeting, ...] = self.built.get("meetings", ())
        default_meeting = "lecture" if self.version == 1 else (meetings[0].id if meetings else None)
        ids = {m.id for m in meetings}
        term_start = self.about["term_start"] if self.about else None
        return lambda r: self._session(r, term_start, default_meeting, ids)

    def _course(self) -> Course | None:
        about, built = self.about, self.built
        if about is None:
            return None
        course = Course(
            path=self.name,
            schema=self.version,
            id=about["id"],
            title=about["title"],
            kind=about["kind"],
            code=about["code"],
            institution=about["institution"],
            term=about["term"],
            timezone=about["timezone"].key,
            term_start=about["term_start"],
            term_end=about["term_end"],
            people=built.get("people", ()),
            meetings=built.get("meetings", ()),
            links=built.get("links", ()),
            description=built.get("description"),
            syllabus=built.get("syllabus", ()),
            prerequisites=built.get("prerequisites") or (),
            grading=built.get("grading", ()),
            deadlines=built.get("deadlines", ()),
            sessions=built.get("sessions", ()),
            reading_lists=built.get("reading_lists", ()),
            curricula=built.get("curricula", ()),
            warnings=(),
            # Newest first, as a course page lists them; the sort is stable for one day's several.
            announcements=tuple(sorted(built.get("announcements", ()), key=lambda a: a.date, reverse=True)),
        )
        # Cross-checks run over what was built, so their errors come with the others; what
        # refers to a broken item is refused there, and a course with any error is not returned.
        CrossChecks(self.walker, self.version).run(course, about.place)
        walker = self.walker
        return None if walker.problems else course._replace(warnings=tuple(walker.warnings))

    def _check_course_id(self, about: Record | None) -> None:
        """The course's id names its files (a downloaded copy, COURSE.ics, a site's): a plain name only."""
        course_id = about["id"] if about else None
        problem = plain_name_problem(course_id) if course_id else None
        if about and problem:
            message = f"{course_id!r} {problem}; the course id names its files"
            self.walker.error(about.places["id"], "course.id", message)

    def _meeting(self, r: Record) -> Meeting | None:
        start, end, first, last = r["start"], r["end"], r["first"], r["last"]
        if start >= end:
            self.walker.error(r.places["end"], f"{r.path}.end", f"{end:%H:%M} is not after the start, {start:%H:%M}")
            return None
        if first and last and first > last:
            self.walker.error(r.places["last"], f"{r.path}.last", f"{last} is before first, {first}")
            return None
        return Meeting(
            id=r["id"],
            title=r["title"] or r["id"],
            weekday=WEEKDAYS.index(r["weekday"]),
            start=start,
            end=end,
            location=r["location"],
            optional=r["optional"],
            first=first,
            last=last,
            person=r["person"],
        )

    @staticmethod
    def _prerequisites(r: Record) -> tuple[PrerequisiteGroup, ...]:
        return tuple(
            PrerequisiteGroup(key.replace("_", " "), group["level"], group["topics"])
            for key in ("required", "nice_to_have")
            if (group := r[key]) is not None
        )

    def _deadlines(self, r: Record, zone: zoneinfo.ZoneInfo) -> tuple[Deadline, ...] | None:
        """One deadline, or the deadlines of a series (`every: week`), numbered from 1."""
        day, clock = r["due"], r["time"]
        if clock is not None and day is None:
            self.walker.error(r.places["time"], f"{r.path}.time", "is given but the due date is not")
            return None
        days = self._series_days(r) if r["every"] or r["count"] is not None or r["until"] else [day]
        if days is None:
            return None

        def due(on: dt.date | None) -> dt.datetime | None:
            # Kept in UTC so that differences are true elapsed times across DST changes.
            return dt.datetime.combine(on, clock or dt.time(23, 59), tzinfo=zone).astimezone(dt.UTC) if on else None

        if len(days) == 1 and not r["every"]:
            return (Deadline(r["id"], r["title"], due(day), r["submission"], r["note"]),)
        return tuple(
            Deadline(f"{r['id']}-{n}", f"{r['title']} {n}", due(on), r["submission"], r["note"])
            for n, on in enumerate(days, start=1)
        )

    def _series_days(self, r: Record) -> list[dt.date] | None:
        where = r.places.get("every", r.place)
        if not r["every"]:
            self.walker.error(where, f"{r.path}.every", "is required with count or until (every: week)")
            return None
        if r["due"] is None:
            self.walker.error(r.places.get("due", r.place), f"{r.path}.due", "is required for a series (its first day)")
            return None
        if (r["count"] is None) == (r["until"] is None):
            self.walker.error(where, f"{r.path}.every", "a series needs either count or until, not both")
            return None
        if r["count"] is not None and not 1 <= r["count"] <= MAX_SERIES:
            self.walker.error(r.places["count"], f"{r.path}.count", f"{r['count']} is not between 1 and {MAX_SERIES}")
            return None
        if r["until"] is not None and r["until"] < r["due"]:
            message = f"{r['until']} is before the first due date, {r['due']}"
            self.walker.error(r.places["until"], f"{r.path}.until", message)
            return None
        count = r["count"] or (r["until"] - r["due"]).days // 7 + 1
        if count > MAX_SERIES:
            self.walker.error(
                r.places["until"], f"{r.path}.until", f"the series would have {count} deadlines; at most {MAX_SERIES}"
            )
            return None
        return [r["due"] + dt.timedelta(weeks=n) for n in range(count)]

    def _session(
        self, r: Record, term_start: dt.date | None, default_meeting: str | None, meeting_ids: set[str]
    ) -> Session | None:
        if r["title"] is None and r["speaker"] is None:
            self.walker.error(r.place, f"{r.path}.title", "is required (a guest lecture may give its speaker instead)")
            return None
        blank = next((key for key in ("title", "speaker") if r[key] is not None and not r[key].strip()), None)
        if blank is not None:  # what names the session in every view
            self.walker.error(r.places[blank], f"{r.path}.{blank}", "must not be empty")
            return None
        day, until, kind = r["date"], r["until"], r["kind"]
        first_day = last_day = None
        if kind == "break":
            for key in ("location", "start", "end", "cancelled"):
                if r.places.get(key) is not None:
                    hint = "; rooms and times belong to meetings and to the sessions held in them"
                    self.walker.error(r.places[key], f"{r.path}.{key}", f"a break has no {key}{hint}")
                    return None
            if until is not None and until < day:
                message = f"{until} is before the break's first day, {day}"
                self.walker.error(r.places["until"], f"{r.path}.until", message)
                return None
            if self.version == 1:  # a break covers whole weeks, Monday to Sunday
                first_day = day - dt.timedelta(days=day.weekday())
                last = until or day
                last_day = last + dt.timedelta(days=6 - last.weekday())
            else:
                first_day, last_day = day, until or day
        elif until is not None:
            self.walker.error(r.places["until"], f"{r.path}.until", "only a break has a last day (until)")
            return None
        derived = (day - term_start).days // 7 + 1 if term_start else 0
        meeting = r["meeting"] or (None if kind == "break" else default_meeting)
        if r["meeting"] is None and r["start"] and r["end"] and meeting not in meeting_ids:
            meeting = None  # a session with its own times needs no meeting
        return Session(
            id=r["id"],
            week=r["week"] if r["week"] is not None else derived,
            date=day,
            kind=kind,
            label=r["label"],
            title=r["title"],
            speaker=r["speaker"],
            affiliation=r["affiliation"],
            slides=r["slides"],
            refs=r["refs"],
            meeting=meeting,
            location=r["location"],
            start=r["start"],
            end=r["end"],
            cancelled=r["cancelled"],
            note=r["note"],
            first_day=first_day,
            last_day=last_day,
        )

    def _reference(self, r: Record) -> Reference | None:
        year = r["year"]
        if year is not None and not 1000 <= year <= 9999:
            self.walker.error(r.places["year"], f"{r.path}.year", f"{year} is not a four-digit year")
            return None
        return Reference(r["title"], r["authors"], year, r["venue"], r["note"], r["url"], r["minutes"], r["pages"])

    @staticmethod
    def _reading_list(r: Record) -> ReadingList:
        return ReadingList(r["id"], r["title"], r["main"], r["further"])

    def _curriculum(self, r: Record, links: tuple[Link, ...]) -> Curriculum:
        by_id = {link.id: link for link in links}
        for index, (link_id, place) in enumerate(zip(r["links"], r["links"].places, strict=True)):
            self.walker.refers(place, f"{r.path}.links[{index}]", schema.LINK, link_id, set(by_id), where="links")
        chosen = tuple(by_id[i] for i in r["links"] if i in by_id)
        return Curriculum(r["id"], r["title"], chosen, r["classes"])


def _person(r: Record) -> Person:
    return Person(r["id"], r["role"] or "", r["name"], r["email"], r["website"], r["pronouns"])


def _announcement(r: Record) -> Announcement:
    return Announcement(r["date"], r["title"], r["text"])


def _link(r: Record) -> Link:
    return Link(r["id"], r["title"] or r["id"], r["url"])


def _syllabus_part(r: Record) -> SyllabusPart:
    return SyllabusPart(r["title"], r["items"])


def _grading(r: Record) -> GradingComponent:
    return GradingComponent(r["component"], r["detail"] or "")


def _reading(r: Record) -> Reading:
    return Reading(r["text"], r["url"])


def _curriculum_class(r: Record) -> CurriculumClass:
    return CurriculumClass(
        number=r["number"],
        title=r["title"],
        motivation=r["motivation"],
        required_reading=r["required_reading"],
        optional_reading=r["optional_reading"],
        questions=r["questions"],
        notebook=r["notebook"],
    )
