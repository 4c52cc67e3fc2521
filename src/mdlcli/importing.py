"""A calendar written out as a course file (`mdl import`), for an instructor who has a timetable.

The calendar is read as `mdl add` reads it (calendars.py); what only a course file has is then
guessed, and each guess is said in a comment: a weekly series (an RRULE) is a meeting, each of
its occurrences a session naming it (one moved or in another room keeps its own time and room,
a cancelled one is marked), a single event a session with its own time, a day-long item a
break, an item with no duration a deadline. The file is the current schema and validates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Iterator

import icalendar

from .calendars import read_calendar
from .model import SCHEMA_VERSIONS, WEEKDAYS, Course, Deadline, Session
from .names import plain_id
from .record import Record


def course_file(text: str, name: str) -> str:
    """The YAML of a course file that says what the calendar in `text` says."""
    course = read_calendar(text, name)
    series = _weekly_series(icalendar.Calendar.from_ical(text), zoneinfo.ZoneInfo(course.timezone))
    return "\n".join(_Writer(course, series).lines()) + "\n"


class _Series(Record):
    """A weekly RRULE: the meeting it becomes, and the ids its occurrences have."""

    id: str
    uid_base: str  # its occurrences' ids start with it
    title: str
    start: dt.datetime  # its first occurrence, in the course's zone
    end: dt.datetime
    location: str | None


def _weekly_series(calendar: icalendar.Calendar, zone: zoneinfo.ZoneInfo) -> list[_Series]:
    found: list[_Series] = []
    taken: set[str] = set()
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        if rule is None or "RECURRENCE-ID" in event:
            continue
        start, end = event.decoded("DTSTART"), event.decoded("DTEND") if "DTEND" in event else None
        weekly = [str(f).upper() for f in rule.get("FREQ", [])] == ["WEEKLY"] and int(rule.get("INTERVAL", [1])[0]) == 1
        days = rule.get("BYDAY", [])
        if not weekly or len(days) > 1 or not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
            continue  # its occurrences are written as sessions of their own
        local = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
        local_end = end.astimezone(zone) if end.tzinfo else end.replace(tzinfo=zone)
        if local_end.date() != local.date():
            continue
        title = str(event.get("SUMMARY", "")).strip() or "Meeting"
        meeting_id = plain_id(title) or "meeting"
        while meeting_id in taken:
            meeting_id += "-2"
        taken.add(meeting_id)
        uid = re.sub(r"[^A-Za-z0-9._@-]+", "-", str(event.get("UID", ""))).strip("-")
        found.append(_Series(meeting_id, uid, title, local, local_end, str(event.get("LOCATION") or "") or None))
    return found


class _Writer:
    def __init__(self, course: Course, series: list[_Series]) -> None:
        self.course = course
        self.series = series
        self.zone = zoneinfo.ZoneInfo(course.timezone)

    def lines(self) -> Iterator[str]:
        c = self.course
        yield f"# Written by `mdl import` from {c.path}. Check it with `mdl validate`."
        yield "# Guessed from the calendar: the term (its first and last day), meetings (weekly series),"
        yield "# kinds (from the titles); each guess is said where it is made."
        yield f"schema: {SCHEMA_VERSIONS[-1]}"
        yield "course:"
        yield f"  id: {_quoted(c.id)}"
        yield f"  title: {_quoted(c.title)}"
        yield f"  timezone: {c.timezone}"
        yield f"  term_start: {c.term_start}  # the day of the calendar's first item"
        yield f"  term_end: {c.term_end}  # the day of its last"
        if self.series:
            yield "meetings:  # each a weekly series of the calendar"
            for s in self.series:
                yield f"  - id: {s.id}"
                yield f"    title: {_quoted(s.title)}"
                yield f"    weekday: {WEEKDAYS[s.start.weekday()]}"
                yield f'    start: "{s.start:%H:%M}"'
                yield f'    end: "{s.end:%H:%M}"'
                if s.location:
                    yield f"    location: {_quoted(s.location)}"
                days = [x.date for x in c.sessions if x.id.startswith(s.uid_base + "-")]
                if days:  # the series' own first and last day, not the term's
                    yield f"    first: {min(days)}"
                    yield f"    last: {max(days)}"
        if c.sessions:
            yield "sessions:"
            for session in c.sessions:
                yield from self._session(session)
        if c.deadlines:
            yield "deadlines:"
            for deadline in c.deadlines:
                yield from self._deadline(deadline)

    def _session(self, s: Session) -> Iterator[str]:
        yield f"  - id: {_quoted(s.id)}"
        yield f"    date: {s.date}"
        yield f"    title: {_quoted(s.title or s.kind)}"
        if s.kind != "lecture":
            guess = "" if s.kind == "break" else "  # guessed from the title"
            yield f"    kind: {s.kind}{guess}"
        if s.kind == "break":
            if s.last_day and s.last_day != s.date:
                yield f"    until: {s.last_day}"
            if s.note:
                yield f"    note: {_quoted(s.note)}"
            return
        meeting = next((m for m in self.series if s.id.startswith(m.uid_base + "-")), None)
        if meeting is not None:
            yield f"    meeting: {meeting.id}"
        own_time = meeting is None or (s.start, s.end) != (meeting.start.time(), meeting.end.time())
        if meeting is not None and s.date.weekday() != meeting.start.weekday():
            own_time = True
        if own_time and s.start and s.end:
            moved = "  # moved from its weekly slot" if meeting is not None else ""
            yield f'    start: "{s.start:%H:%M}"{moved}'
            yield f'    end: "{s.end:%H:%M}"'
        if s.location and (meeting is None or s.location != meeting.location or own_time):
            yield f"    location: {_quoted(s.location)}"
        if s.cancelled:
            yield "    cancelled: true"
        if s.note:
            yield f"    note: {_quoted(s.note)}"
        if s.slides:
            yield f"    slides: {_quoted(s.slides)}"

    def _deadline(self, d: Deadline) -> Iterator[str]:
        yield f"  - id: {_quoted(d.id)}"
        yield f"    title: {_quoted(d.title)}"
        if d.due is None:
            return
        day = d.day(self.zone)
        if d.day_only:
            yield f"    due: {day}  # the calendar gives the day only; mdl counts to 23:59 of it"
        else:
            local = d.due.astimezone(self.zone)
            yield f"    due: {day}"
            yield f'    time: "{local:%H:%M}"'
        if d.submission:
            yield f"    submission: {_quoted(d.submission)}"
        if d.note:
            yield f"    note: {_quoted(d.note)}"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string is one): any text, read back as written."""
    return json.dumps(text, ensure_ascii=False)
