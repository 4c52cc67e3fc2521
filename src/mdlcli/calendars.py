"""A calendar read as a course: a university timetable, an LMS feed (Canvas, Moodle, Blackboard),
or mdl's own export followed back.

Parsed with `icalendar`, recurrences expanded by `recurring-ical-events` (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides, VTIMEZONE, UTC and floating times), never by hand. Each item becomes
what the views already show: an event with a duration is a session, an item with none (or a
graded item of an LMS, or a VTODO) a deadline, and in any other calendar a date-only item
lasting whole days an all-day event, shown as a break is. An item that cannot be read is
skipped, with a warning at its line; the rest of the calendar still reads.
"""

from __future__ import annotations

import datetime as dt
import html
import html.parser
import itertools
import re
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal, TypeVar

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from .errors import CourseInvalid
from .model import Course, Deadline, Diagnostic, Session, SessionKind
from .names import plain_id
from .query.semester import course_code
from .record import Record
from .textsafe import without_controls
from .timeutil import FIRST_YEAR, LAST_YEAR, zone_named

# What one calendar may expand to: a semester's feed holds hundreds of items; a rule that would
# make millions (FREQ=SECONDLY) stops here instead of filling memory.
MAX_OCCURRENCES = 20_000
# How far an open-ended rule is followed after the calendar's first item: a term and more.
HORIZON = dt.timedelta(days=400)
MDL_PRODID = "-//mdl//"
_EMPTY_TERM = dt.date(2000, 1, 1)
_LAST = dt.time(23, 59)

Lms = Literal["canvas", "moodle", "blackboard", "mdl"]
# Feeds that hold a window of days, not every item: one that leaves it is not deleted.
WINDOWED = frozenset({"moodle"})


def read_calendar(text: str, name: str) -> Course:
    """The course a calendar is; raise CourseInvalid when it is no calendar at all."""
    try:
        calendar = icalendar.Calendar.from_ical(_without_doubled_parameters(text))
    except (ValueError, IndexError, KeyError) as exc:
        raise CourseInvalid([Diagnostic("error", name, None, None, "", f"not a readable calendar: {exc}")]) from None
    if isinstance(calendar, list):  # several VCALENDARs in one file: the first is the calendar
        calendar = calendar[0]
    return _Reading(text, name, calendar).course()


def kept_in_window(old: str, new: str, now: dt.datetime) -> tuple[str, list[str]]:
    """A windowed feed's new text with the items of the old one that left the window but are still
    ahead (a Moodle export covers some days only), and the titles of those kept."""
    before = icalendar.Calendar.from_ical(_without_doubled_parameters(old))
    after = icalendar.Calendar.from_ical(_without_doubled_parameters(new))
    uids = {str(c.get("UID")) for c in after.subcomponents if c.name in ("VEVENT", "VTODO")}
    kept = []
    for component in before.subcomponents:
        if component.name not in ("VEVENT", "VTODO") or str(component.get("UID")) in uids:
            continue
        start = _start_of(component)
        if start is not None and _as_moment(start, dt.UTC) > now:
            after.add_component(component)
            kept.append(_text(component.get("SUMMARY")) or str(component.get("UID")))
    return (after.to_ical().decode() if kept else new), kept


def _without_doubled_parameters(text: str) -> str:
    # Canvas writes `DTSTART;VALUE=DATE;VALUE=DATE:20240115`, which icalendar refuses.
    return re.sub(r";VALUE=DATE(?=;VALUE=DATE[;:])", "", text)


class _Facts(Record):
    """What every item says, whatever it becomes."""

    id: str
    title: str
    note: str | None
    url: str | None
    location: str | None
    cancelled: bool


class _Reading:
    def __init__(self, text: str, name: str, calendar: icalendar.Calendar) -> None:
        self.name = name
        self.calendar = calendar
        self.warnings: list[Diagnostic] = []
        self.lines = _component_lines(text)
        self.components = [c for c in calendar.subcomponents if c.name in ("VEVENT", "VTODO")]
        self.lms = _lms(calendar, self.components)
        self.zone = _zone_of(calendar, self.components)
        self.described_zones = {str(z.get("TZID")) for z in calendar.walk("VTIMEZONE")}

    def course(self) -> Course:
        sessions: list[Session] = []
        deadlines: list[Deadline] = []
        for component, occurrence in self._occurrences():
            item = self._item(component, occurrence)
            if isinstance(item, Deadline):
                deadlines.append(item)
            elif item is not None:
                sessions.append(item)
        days = [s.date for s in sessions] + [s.last_day for s in sessions if s.last_day]
        days += [self._local(d.due).date() for d in deadlines if d.due]
        # An empty calendar has no term: one day, that of its making, or mdl's first.
        stamp = self.calendar.get("DTSTAMP")
        empty = stamp.dt.date() if stamp is not None and isinstance(stamp.dt, dt.datetime) else _EMPTY_TERM
        first, last = (min(days), max(days)) if days else (empty, empty)
        sessions = [s._replace(week=(s.date - first).days // 7 + 1) for s in sessions]
        title = _text(self.calendar.get("X-WR-CALNAME")) or _default_title(self.lms)
        return Course(
            path=self.name,
            schema=0,
            id=plain_id(title) or "calendar",
            title=title,
            kind=f"{self.lms} feed" if self.lms in WINDOWED | {"canvas", "blackboard"} else "calendar",
            code=None,
            institution=None,
            term=None,
            timezone=self.zone.key,
            term_start=first,
            term_end=last,
            people=(),
            meetings=(),
            links=(),
            description=_text(self.calendar.get("X-WR-CALDESC")) or None,
            syllabus=(),
            prerequisites=(),
            grading=(),
            deadlines=tuple(sorted(_unique(deadlines), key=lambda d: d.due or dt.datetime.max.replace(tzinfo=dt.UTC))),
            sessions=tuple(sorted(_unique(sessions), key=lambda s: (s.date, s.start or dt.time()))),
            reading_lists=(),
            curricula=(),
            warnings=tuple(self.warnings),
            origin="calendar",
        )

    # -- expanding -------------------------------------------------------------------------

    def _occurrences(self) -> Iterator[tuple[icalendar.cal.Component, icalendar.cal.Component]]:
        """Each occurrence of each readable item, with the item it comes from, at most MAX_OCCURRENCES."""
        starts = [_start_of(c) for c in self.components]
        known = [s for s in starts if s is not None]
        if not known:
            return
        earliest = min(_as_moment(s, self.zone) for s in known)
        until = earliest + HORIZON
        by_uid: dict[str, list[int]] = {}
        for index, component in enumerate(self.components):
            by_uid.setdefault(str(component.get("UID", f"#{index}")), []).append(index)
        taken = 0
        for indexes in by_uid.values():
            group = [self.components[i] for i in indexes]
            problem = next((p for i in indexes if (p := self._problem(self.components[i])) is not None), None)
            if problem is not None:
                self._skip(indexes[0], problem)
                continue
            if len(group) == 1 and not any(key in group[0] for key in ("RRULE", "RDATE")):
                # One event, once: nothing to expand (most of an LMS feed), and the library's
                # query, made for a series, costs more than the reading of the event.
                taken += 1
                if taken > MAX_OCCURRENCES:
                    self._skip(indexes[0], f"the calendar would hold more than {MAX_OCCURRENCES} occurrences")
                    return
                yield group[0], group[0]
                continue
            single = icalendar.Calendar()
            for component in group:
                single.add_component(component)
            for zone in self.calendar.walk("VTIMEZONE"):
                single.add_component(zone)
            try:
                query = recurring_ical_events.of(single, components=("VEVENT", "VTODO"))
                found = list(
                    itertools.islice(query.between(earliest - dt.timedelta(days=1), until), MAX_OCCURRENCES - taken + 1)
                )
            except Exception as exc:
                self._skip(indexes[0], f"its recurrence cannot be read ({exc})")
                continue
            if taken + len(found) > MAX_OCCURRENCES:
                self._skip(indexes[0], f"the calendar would hold more than {MAX_OCCURRENCES} occurrences")
                return
            taken += len(found)
            for occurrence in found:
                yield group[0], occurrence

    def _problem(self, component: icalendar.cal.Component) -> str | None:
        """Why an item cannot be read, or None."""
        if component.name == "VEVENT" and "DTSTART" not in component:
            return "an event without DTSTART"
        if component.name == "VTODO" and "DUE" not in component and "DTSTART" not in component:
            return None  # a to-do with no date is no deadline: left out quietly
        for key in ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID"):
            if key in component:
                try:
                    value = component.decoded(key)
                except (ValueError, TypeError, KeyError) as exc:
                    return f"its {key} cannot be read ({exc})"
                if not isinstance(value, dt.date) or not FIRST_YEAR <= value.year <= LAST_YEAR:
                    return f"its {key} is outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})"
                tzid = component[key].params.get("TZID")
                if tzid and str(tzid) not in self.described_zones and zone_named(str(tzid)) is None:
                    return f"its {key} names an unknown time zone {str(tzid)!r}"
        return None

    def _skip(self, index: int, problem: str) -> None:
        component = self.components[index]
        what = _text(component.get("SUMMARY")) or str(component.get("UID", "an item"))
        line = self.lines[index] if index < len(self.lines) else None
        message = f"{component.name} {what!r} is left out: {problem}"
        self.warnings.append(Diagnostic("warning", self.name, line, 1 if line else None, "", message))

    # -- mapping ---------------------------------------------------------------------------

    def _item(self, item: icalendar.cal.Component, occurrence: icalendar.cal.Component) -> Session | Deadline | None:
        uid = str(item.get("UID", ""))
        recurring = any(key in item for key in ("RRULE", "RDATE"))
        title = _text(occurrence.get("SUMMARY")) or "(untitled)"
        category = _category(occurrence) if self.lms == "moodle" else None
        if category and course_code(title) is None:  # Moodle names the course apart: said as Canvas says it
            title = f"{title} [{category}]"
        facts = _Facts(
            _occurrence_id(uid, occurrence, recurring=recurring),
            title,
            _description(occurrence.get("DESCRIPTION")),
            _text(occurrence.get("URL")) or None,
            _text(occurrence.get("LOCATION")) or None,
            str(occurrence.get("STATUS", "")).upper() == "CANCELLED",
        )
        start = _start_of(occurrence)
        if occurrence.name == "VTODO":
            return self._deadline(facts, occurrence.decoded("DUE") if "DUE" in occurrence else start)
        if start is None:
            return None
        end = occurrence.decoded("DTEND") if "DTEND" in occurrence else None
        if end is None and "DURATION" in occurrence:
            end = start + occurrence.decoded("DURATION")
        graded = self._graded(uid)
        if self.lms == "mdl" and graded:
            facts = facts._replace(title=facts.title.removeprefix("Due: "))
        if graded or end is None or end == start:
            if not _timed(start) and not graded and end is not None:
                return self._all_day(facts, start, start)  # Canvas: an all-day item ending as it starts
            return self._deadline(facts, start)
        if not _timed(start):
            last = end - dt.timedelta(days=1)
            if self.lms == "moodle" and last == start:  # Moodle writes a due date as a day long
                return self._deadline(facts, start)
            return self._all_day(facts, start, max(start, last))
        return self._session(facts, start, end)

    def _graded(self, uid: str) -> bool:
        """Whether an LMS says the item is graded work: due, not attended."""
        if self.lms == "canvas":
            return uid.startswith("event-assignment-")
        if self.lms == "blackboard":
            return "gradableitem" in uid.lower()
        if self.lms == "mdl":
            return uid.startswith("deadline-")
        return False

    def _session(self, facts: _Facts, start: dt.datetime, end: Any) -> Session:
        local_start = self._local(start)
        local_end = self._local(end) if isinstance(end, dt.datetime) else local_start
        begins = local_start.time().replace(second=0, microsecond=0)
        # A session has one day: one that runs past midnight is shown to the day's end.
        ends = local_end.time().replace(second=0, microsecond=0) if local_end.date() == local_start.date() else _LAST
        return Session(
            id=facts.id,
            week=0,
            date=local_start.date(),
            kind=_session_kind(facts.title),
            label=None,
            title=facts.title,
            speaker=None,
            affiliation=None,
            slides=facts.url,
            refs=None,
            meeting=None,
            location=facts.location,
            start=begins,
            end=max(ends, begins),
            cancelled=facts.cancelled,
            note=facts.note,
        )

    @staticmethod
    def _all_day(facts: _Facts, first: dt.date, last: dt.date) -> Session:
        return Session(
            id=facts.id,
            week=0,
            date=first,
            kind="break",
            label=None,
            title=facts.title,
            speaker=None,
            affiliation=None,
            slides=None,
            refs=None,
            meeting=None,
            note=facts.note,
            first_day=first,
            last_day=last,
        )

    def _deadline(self, facts: _Facts, due: Any) -> Deadline | None:
        if due is None:
            return None
        if _timed(due):
            return Deadline(facts.id, facts.title, self._local(due).astimezone(dt.UTC), facts.url, facts.note)
        # Due that day: counted down to the day's end in the calendar's zone, and shown as a date.
        end_of_day = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), tzinfo=self.zone).astimezone(dt.UTC)
        return Deadline(facts.id, facts.title, end_of_day, facts.url, facts.note, day_only=True)

    def _local(self, moment: dt.datetime) -> dt.datetime:
        """A moment in the calendar's zone; a floating time is read in it."""
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self.zone)
        return moment.astimezone(self.zone)


# -- the calendar as a whole ------------------------------------------------------------------


def _lms(calendar: icalendar.Calendar, components: list[icalendar.cal.Component]) -> Lms | None:
    prodid = str(calendar.get("PRODID", "")).lower()
    uids = [str(c.get("UID", "")).lower() for c in components[:50]]
    if prodid.startswith(MDL_PRODID):
        return "mdl"
    if "instructure" in prodid or "canvas" in prodid or any(u.startswith("event-assignment-") for u in uids):
        return "canvas"
    if "moodle" in prodid:
        return "moodle"
    if "blackboard" in prodid or any("gradableitem" in u for u in uids):
        return "blackboard"
    return None


def _default_title(lms: Lms | None) -> str:
    return {"canvas": "Canvas", "moodle": "Moodle", "blackboard": "Blackboard"}.get(lms or "", "Calendar")


def _zone_of(calendar: icalendar.Calendar, components: list[icalendar.cal.Component]) -> zoneinfo.ZoneInfo:
    """The calendar's zone: X-WR-TIMEZONE, else the zone most of its times are written in, else UTC."""
    named = zone_named(_text(calendar.get("X-WR-TIMEZONE")))
    if named is not None:
        return named
    zones: Counter[str] = Counter()
    for component in components:
        start = component.get("DTSTART")
        tzid = start.params.get("TZID") if start is not None else None
        if tzid:
            zones[str(tzid)] += 1
    for tzid, _ in zones.most_common():
        found = zone_named(tzid)
        if found is not None:
            return found
    return zoneinfo.ZoneInfo("UTC")


def _component_lines(text: str) -> list[int]:
    """The line of each BEGIN:VEVENT and BEGIN:VTODO, in the order icalendar lists them."""
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() in ("BEGIN:VEVENT", "BEGIN:VTODO")
    ]


# -- values -----------------------------------------------------------------------------------


def _start_of(component: icalendar.cal.Component) -> Any:
    if "DTSTART" in component:
        return component.decoded("DTSTART")
    if "DUE" in component:
        return component.decoded("DUE")
    return None


def _timed(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def _as_moment(value: Any, zone: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return dt.datetime.combine(value, dt.time(), tzinfo=zone)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return without_controls(str(value)).strip()


def _description(value: Any) -> str | None:
    text = _text(value) if not isinstance(value, str) else without_controls(value).strip()
    if "<" in text and ">" in text:
        text = _HtmlText.of(text)
    return text or None


class _HtmlText(html.parser.HTMLParser):
    """The text of HTML an LMS left in a description: tags dropped, entities read, breaks kept."""

    _BREAKS = frozenset(("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    @classmethod
    def of(cls, markup: str) -> str:
        reader = cls()
        reader.feed(markup)
        reader.close()
        text = html.unescape("".join(reader.parts))
        return re.sub(r"\n\s*\n+", "\n", re.sub(r"[ \t]+", " ", text)).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_EXAM = re.compile(r"\b(exam|midterm|final|quiz|test)\b", re.IGNORECASE)
_LAB = re.compile(r"\b(lab|labs|tutorial|practical|seminar|section|recitation)\b", re.IGNORECASE)


def _session_kind(summary: str) -> SessionKind:
    if _EXAM.search(summary):
        return "exam"
    if _LAB.search(summary):
        return "lab"
    return "lecture"


def _category(occurrence: icalendar.cal.Component) -> str | None:
    value = occurrence.get("CATEGORIES")
    if value is None:
        return None
    categories = getattr(value, "cats", None) or [str(value)]
    first = str(categories[0]).strip() if categories else ""
    return without_controls(first) or None


def _occurrence_id(uid: str, occurrence: icalendar.cal.Component, *, recurring: bool) -> str:
    """An item's id: its UID made plain, and for an occurrence of a series the moment it was
    planned for (its RECURRENCE-ID), so that a moved occurrence keeps its id."""
    base = re.sub(r"[^A-Za-z0-9._@-]+", "-", uid).strip("-") or "item"
    recurrence = occurrence.get("RECURRENCE-ID")
    if recurrence is None or not recurring:
        return base
    moment = recurrence.dt
    return f"{base}-{moment:%Y%m%dT%H%M}" if isinstance(moment, dt.datetime) else f"{base}-{moment:%Y%m%d}"


_Item = TypeVar("_Item", Session, Deadline)


def _unique(items: list[_Item]) -> Iterator[_Item]:
    """Items with ids of their own: a second item with an id taken gets a number after it."""
    seen: Counter[str] = Counter()
    for item in items:
        seen[item.id] += 1
        yield item if seen[item.id] == 1 else item._replace(id=f"{item.id}-{seen[item.id]}")
