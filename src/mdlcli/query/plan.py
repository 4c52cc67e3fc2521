"""A week's study plan: each day's sessions with the readings still to do before them, and what
is due, across every course; the readings' effort added up.

Pure: the courses carry the student's marks (read, done); the window and the moment are given.
"""

import datetime as dt
from collections.abc import Sequence

from mdlcli.model import Course, Reference
from mdlcli.record import Record

from .deadlines import DeadlineView, deadline_views
from .readings import RefEntry, entries
from .timetable import Placed, placed_sessions


class PlannedSession(Record):
    placed: Placed
    readings: tuple[RefEntry, ...]  # unread, of its list, not planned before an earlier session
    minutes: int  # their estimated time; 0 when none gives its effort
    unestimated: int  # readings that give neither minutes nor pages


class PlanDay(Record):
    day: dt.date
    sessions: tuple[PlannedSession, ...]
    due: tuple[DeadlineView, ...]


class Plan(Record):
    first: dt.date
    last: dt.date
    days: tuple[PlanDay, ...]  # only the days with something on them

    @property
    def readings(self) -> int:
        return sum(len(s.readings) for d in self.days for s in d.sessions)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for d in self.days for s in d.sessions)

    @property
    def deadlines(self) -> int:
        """Deadlines (not exams) due in the plan and not yet done."""
        return sum(1 for d in self.days for v in d.due if v.kind == "deadline" and not v.deadline.done)


def effort(reference: Reference, pages_per_hour: int) -> int | None:
    """Minutes a reading takes: its own `minutes`, or its pages at the student's pace."""
    if reference.minutes is not None:
        return reference.minutes
    if reference.pages is not None:
        return round(reference.pages * 60 / max(1, pages_per_hour))
    return None


def week_plan(
    courses: Sequence[Course],
    first: dt.date,
    last: dt.date,
    zone: dt.tzinfo,
    *,
    now: dt.datetime,
    pages_per_hour: int,
) -> Plan:
    days: dict[dt.date, tuple[list[PlannedSession], list[DeadlineView]]] = {}
    for course in courses:
        planned_lists: set[str] = set()  # a list shared by two sessions is read before the first
        for p in sorted(placed_sessions(course), key=lambda p: p.order):
            s = p.session
            day = p.start.astimezone(zone).date() if p.start else s.date
            if not first <= day <= last or s.kind in ("break", "exam"):
                continue
            todo: tuple[RefEntry, ...] = ()
            reading_list = course.reading_list(s.refs) if s.refs and not s.cancelled else None
            if reading_list is not None and reading_list.id not in planned_lists:
                planned_lists.add(reading_list.id)
                todo = tuple(e for e in entries(reading_list, course.id) if not e.reference.read)
            efforts = [effort(e.reference, pages_per_hour) for e in todo]
            planned = PlannedSession(
                p._replace(course=course.id),
                todo,
                sum(m for m in efforts if m is not None),
                sum(1 for m in efforts if m is None),
            )
            days.setdefault(day, ([], []))[0].append(planned)
        for v in deadline_views(course, now):
            due_day = v.deadline.day(zone)
            if due_day is not None and first <= due_day <= last:
                days.setdefault(due_day, ([], []))[1].append(v)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return Plan(
        first,
        last,
        tuple(
            PlanDay(
                day,
                tuple(sorted(sessions, key=lambda s: s.placed.order)),
                tuple(sorted(due, key=lambda v: v.deadline.due or far)),
            )
            for day, (sessions, due) in sorted(days.items())
        ),
    )
