"""Deadlines and exams by due moment, with the time left; the term's progress."""

import datetime as dt
from typing import Literal

from mdlcli.model import Course, Deadline
from mdlcli.record import Record

from .timetable import (
    at,
    place,
    zone_of,
)

# -- deadlines -----------------------------------------------------------------------------

DeadlineStatus = Literal["upcoming", "passed", "tba"]


class DeadlineView(Record):
    deadline: Deadline  # an exam is shown as the deadline it is: its start is the moment that counts
    status: DeadlineStatus
    seconds_left: int | None
    elapsed_fraction: float | None  # of the time from the start of term to the due moment
    kind: Literal["deadline", "exam"] = "deadline"
    course: str = ""


def deadline_views(course: Course, now: dt.datetime) -> list[DeadlineView]:
    """Deadlines and exams by due moment (TBA last), with status and the true elapsed time left."""
    term_start = at(course, course.term_start, dt.time())
    dues: list[tuple[Deadline, Literal["deadline", "exam"]]] = [(d, "deadline") for d in course.deadlines]
    for s in course.sessions:
        if s.kind == "exam" and not s.cancelled:
            p = place(course, s)
            title = f"{s.label} {s.display_title}" if s.label else s.display_title
            dues.append((Deadline(s.id, title, p.start, p.location, s.note), "exam"))
    views = []
    for deadline, kind in dues:
        if deadline.due is None:
            views.append(DeadlineView(deadline, "tba", None, None, kind, course.id))
            continue
        left = int((deadline.due - now).total_seconds())
        span = (deadline.due - term_start).total_seconds()
        fraction = 1.0 if span <= 0 else min(1.0, max(0.0, (now - term_start).total_seconds() / span))
        views.append(DeadlineView(deadline, "upcoming" if left > 0 else "passed", left, fraction, kind, course.id))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(views, key=lambda v: v.deadline.due or far)


class TermProgress(Record):
    course: str
    fraction: float  # of the term gone, 0 to 1
    week: int  # the week of the term now is in (below 1: before; above `weeks`: after)
    weeks: int


def term_progress(course: Course, now: dt.datetime) -> TermProgress:
    start = at(course, course.term_start, dt.time())
    end = at(course, course.term_end + dt.timedelta(days=1), dt.time())
    fraction = min(1.0, max(0.0, (now - start) / (end - start)))
    today = now.astimezone(zone_of(course)).date()
    week = (today - course.term_start).days // 7 + 1
    return TermProgress(course.id, fraction, week, (course.term_end - course.term_start).days // 7 + 1)
