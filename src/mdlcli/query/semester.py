"""Several courses at once: merged views, clashes, an id looked up across them."""

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Literal, TypeVar

from mdlcli.errors import UsageError
from mdlcli.model import Course, Deadline, Session
from mdlcli.names import plain_id
from mdlcli.record import Record

from .deadlines import DeadlineView, deadline_views
from .readings import ReadingTarget, resolve_reading
from .timetable import (
    Placed,
    meeting_dates,
    placed_sessions,
    span,
    weekly_meetings,
)
from .upcoming import NextItem, Note, whats_next

# -- several courses ---------------------------------------------------------------------------


def merged_sessions(courses: Sequence[Course]) -> list[Placed]:
    """Every course's sessions in one list by time (a single course keeps its own order)."""
    if len(courses) == 1:
        return placed_sessions(courses[0])
    return sorted((p for c in courses for p in placed_sessions(c)), key=lambda p: p.order)


class Occurrence(Record):
    course: str
    what: str  # this one: `L3`, `Lab report 1`
    start: dt.datetime
    end: dt.datetime
    series: str  # what it is one of, week after week: `Lecture`, `Lab report`


class Clash(Record):
    """Two courses at once, as a pattern: meetings that overlap, or things due within the same hour,
    at the same weekday and clock (in the display zone) however many weeks it recurs."""

    kind: Literal["timetable", "due"]
    first: Occurrence  # of the first time it happens; its course's id sorts before second's
    second: Occurrence
    times: int
    last_day: dt.date
    begins: dt.datetime  # the overlap (due: the first item's moment), the first time
    ends: dt.datetime


def occurrences(course: Course) -> Iterator[Occurrence]:
    """Every time the course meets: its sessions held, and each weekly meeting on each of its days."""
    for p in placed_sessions(course):
        if p.start is not None and p.end is not None and not p.session.cancelled:
            s = p.session
            meeting = course.meeting(s.meeting) if s.start is None else None
            series = meeting.title if meeting else s.kind.replace("-", " ").capitalize()
            yield Occurrence(course.id, s.label or s.display_title, p.start, p.end, series)
    for meeting in weekly_meetings(course):
        for day in meeting_dates(course, meeting):
            start, end = span(course, day, meeting.start, meeting.end)
            yield Occurrence(course.id, meeting.title, start, end, meeting.title)


def due_moments(course: Course) -> Iterator[Occurrence]:
    for v in deadline_views(course, dt.datetime.min.replace(tzinfo=dt.UTC)):
        d = v.deadline
        if d.due is not None:
            yield Occurrence(course.id, d.title, d.due, d.due, re.sub(r"\s*[0-9]+$", "", d.title) or d.title)


def clashes(courses: Sequence[Course], zone: dt.tzinfo) -> list[Clash]:
    """Timetable clashes and deadlines or exams within an hour of each other, between different
    courses: one a pattern (the same two series at the same weekday and clock), in time order."""
    found: dict[tuple[object, ...], Clash] = {}

    def note(kind: Literal["timetable", "due"], a: Occurrence, b: Occurrence) -> None:
        a, b = sorted((a, b), key=lambda o: (o.course, o.series))
        begins, ends = (max(a.start, b.start), min(a.end, b.end)) if kind == "timetable" else (a.start, b.start)
        local_begins, local_ends = begins.astimezone(zone), ends.astimezone(zone)
        clock = (local_begins.weekday(), local_begins.time(), local_ends.time())
        key = (kind, a.course, a.series, b.course, b.series, *clock)
        seen = found.get(key)
        if seen is None:
            found[key] = Clash(kind, a, b, 1, local_begins.date(), begins, ends)
        else:
            found[key] = seen._replace(times=seen.times + 1, last_day=local_begins.date())

    timed = sorted((o for c in courses for o in occurrences(c)), key=lambda o: o.start)
    active: list[Occurrence] = []
    for o in timed:
        active = [a for a in active if a.end > o.start]
        for a in active:
            if a.course != o.course:
                note("timetable", a, o)
        active.append(o)
    due = sorted((o for c in courses for o in due_moments(c)), key=lambda o: o.start)
    for index, o in enumerate(due):
        for later in due[index + 1 :]:
            if later.start - o.start >= dt.timedelta(hours=1):
                break
            if later.course != o.course:
                note("due", o, later)
    return sorted(found.values(), key=lambda c: c.begins)


def merged_next(courses: Sequence[Course], now: dt.datetime) -> tuple[list[NextItem], list[Note]]:
    """What comes next in every course, by time (dateless items last), and each course's note."""
    items, notes = [], []
    for course in courses:
        found, note = whats_next(course, now)
        items += found
        if note:
            notes.append(note)
    if len(courses) == 1:
        return items, notes
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (not i.under_way(now), i.start or far)), notes


def merged_deadlines(courses: Sequence[Course], now: dt.datetime) -> list[DeadlineView]:
    if len(courses) == 1:
        return deadline_views(courses[0], now)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted((v for c in courses for v in deadline_views(c, now)), key=lambda v: v.deadline.due or far)


def resolve_across(courses: Sequence[Course], ident: str) -> tuple[Course, ReadingTarget]:
    """`COURSE:ID` in that course; a bare ID in the only course that has it, else a usage error."""
    by_id = {c.id: c for c in courses}
    course_id, colon, rest = ident.partition(":")
    if colon and course_id in by_id:
        return by_id[course_id], resolve_reading(by_id[course_id], rest)
    if len(courses) == 1:
        return courses[0], resolve_reading(courses[0], ident)
    found = []
    for course in courses:
        try:
            found.append((course, resolve_reading(course, ident)))
        except UsageError:
            continue
    if len(found) == 1:
        return found[0]
    if found:
        forms = ", ".join(f"{c.id}:{ident}" for c, _ in found)
        raise UsageError(f"{ident!r} is in several courses; name one: {forms}")
    raise UsageError(f"no course has a lecture, week or reading list {ident!r} (courses: {', '.join(by_id)})")


# -- an LMS feed of several courses -------------------------------------------------------------

_CODE = re.compile(r"^(?P<title>.*?)\s*\[(?P<code>[^\[\]]+)\]$")
_Item = TypeVar("_Item", Session, Deadline)


def course_code(title: str) -> tuple[str, str] | None:
    """`Homework 1 [ML101]` → (`Homework 1`, `ML101`): an LMS item's own title and its course's code."""
    found = _CODE.match(title)
    return (found["title"] or title, found["code"].strip()) if found else None


def split_by_code(course: Course, taken: set[str]) -> list[Course]:
    """A feed's items as one course per course code (`[ML101]` ending their titles), without the
    code in the titles; items with none stay in the feed's own course. A part is named by its code
    made plain (`ml101`), or `FEED-ml101` when `taken` (the other followed ids) has that."""
    codes: dict[str, str] = {}
    sessions: dict[str | None, list[Session]] = {}
    deadlines: dict[str | None, list[Deadline]] = {}

    def sort(item: _Item, into: dict[str | None, list[_Item]]) -> None:
        found = course_code(item.title or "")
        if found is None:
            into.setdefault(None, []).append(item)
            return
        title, code = found
        codes.setdefault(code, plain_id(code) or course.id)
        into.setdefault(code, []).append(item._replace(title=title))

    for session in course.sessions:
        sort(session, sessions)
    for deadline in course.deadlines:
        sort(deadline, deadlines)
    parts = []
    for code in [None, *sorted(codes)]:
        if code not in sessions and code not in deadlines:
            continue
        if code is None:
            part_id, title = course.id, course.title
        else:
            part_id = codes[code] if codes[code] not in taken else f"{course.id}-{codes[code]}"
            title = code
        parts.append(
            course._replace(id=part_id, title=title, code=code, sessions=tuple(sessions.get(code, ())),
                            deadlines=tuple(deadlines.get(code, ())))
        )  # fmt: skip
    return parts
