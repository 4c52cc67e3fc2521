"""The facts of a published course page, as plain text in the order a page shows them.

The Markdown and HTML pages are drawn from these, so the two say the same thing; each escapes
the text for its own syntax.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import WEEKDAYS, Course, Reference, Session
from .query import deadline_views, meeting_dates, meeting_times, place, placed_sessions, weekly_dates, zone_of
from .timeutil import format_moment, format_span


def identity(course: Course) -> list[str]:
    """Kind, code, institution and term, as the course page's subtitle gives them."""
    return [x for x in (course.kind, course.code, course.institution, course.term) if x]


@dataclass(frozen=True)
class MeetingLine:
    id: str
    person: str | None  # whose meeting (office hours): a person's id
    title: str
    days: str  # "Mondays"
    times: str  # "19:10–21:00 EST/EDT": each zone abbreviation in force on a day it meets
    room: str | None
    extent: str | None  # "from 2019-01-25 to 2019-05-03" when it does not run the whole term
    optional: bool


def meeting_lines(course: Course) -> list[MeetingLine]:
    return [
        MeetingLine(
            id=m.id,
            person=m.person,
            title=m.title,
            days=WEEKDAYS[m.weekday].capitalize() + "s",
            times=meeting_times(course, m, zone_of(course)),
            room=m.location,
            extent=f"from {m.first or course.term_start} to {m.last or course.term_end}" if m.first or m.last else None,
            optional=m.optional,
        )
        for m in course.meetings
    ]


@dataclass(frozen=True)
class ScheduleRow:
    session: Session
    days: tuple[dt.date, dt.date]  # first and last day, in course time
    date: str  # "Wed 2019-01-23", or a break's "Mon 2019-03-11 – Sun 2019-03-17"
    times: str | None  # "19:10–21:00 EST"; None for a break
    room: str | None
    topic: str  # label and title: "Lec5 Graph Neural Network Applications"
    guest: str | None  # "Leon Bottou (Facebook/NYU)" when a titled session has a guest speaker
    kind: str | None  # "exam", "lab", "review": kinds a reader should see beside the topic
    reading_list: str | None  # the id of the session's reading list, when the course has it


def schedule_rows(course: Course) -> list[ScheduleRow]:
    lists = {r.id for r in course.reading_lists}
    zone = zone_of(course)
    rows = []
    for p in placed_sessions(course):
        s = p.session
        if s.kind == "break":
            first, last = s.first_day or s.date, s.last_day or s.date
            date = f"{first:%a %Y-%m-%d}" + (f" – {last:%a %Y-%m-%d}" if last != first else "")
            times = None
        else:
            placed = place(course, s)
            start = (placed.start or placed.over).astimezone(zone)
            first = last = start.date()
            date, times = f"{start:%a %Y-%m-%d}", format_span(start, placed.over, zone)
        guest = f"{s.speaker} ({s.affiliation})" if s.affiliation else s.speaker
        rows.append(
            ScheduleRow(
                session=s,
                days=(first, last),
                date=date,
                times=times,
                room=p.location,
                topic=f"{s.label} {s.display_title}" if s.label else s.display_title,
                guest=guest if s.title else None,
                kind=s.kind if s.kind in ("exam", "lab", "review") else None,
                reading_list=s.refs if s.refs in lists and s.kind != "break" else None,
            )
        )
    return rows


@dataclass(frozen=True)
class DeadlineRow:
    kind: str  # "deadline" or "exam"
    title: str
    due: str  # "Wed 2019-05-01 23:59 EDT", or TBA
    how: str  # submission and note


def deadline_rows(course: Course) -> list[DeadlineRow]:
    zone = zone_of(course)
    # From the beginning of time: the page lists every deadline, not only those still ahead.
    views = deadline_views(course, dt.datetime.min.replace(tzinfo=dt.UTC))
    return [
        DeadlineRow(
            kind=v.kind,
            title=v.deadline.title,
            due=format_moment(v.deadline.due, zone) if v.deadline.due else "TBA",
            how="; ".join(x for x in (v.deadline.submission, v.deadline.note) if x),
        )
        for v in views
    ]


def reference_details(ref: Reference) -> str:
    """What follows a reference's title: authors, venue, note and year."""
    details = ", ".join(x for x in (ref.authors, ref.venue, ref.note) if x)
    return (f", {details}" if details else "") + (f" ({ref.year})" if ref.year else "")


@dataclass(frozen=True)
class WeeklySchedule:
    """A meeting as schema.org's Schedule sees it: weekdays, hours, first and last day, days off."""

    title: str
    weekdays: tuple[str, ...]  # "Wednesday"
    start: dt.time
    end: dt.time
    location: str | None
    optional: bool
    first: dt.date
    last: dt.date
    except_dates: tuple[dt.date, ...]  # days in its weekly run it does not meet: breaks, cancellations


def weekly_schedules(course: Course) -> list[WeeklySchedule]:
    """Each meeting's weekly run. A meeting that dated sessions go through meets on their days (the
    bundled course's lectures are on Wednesdays though the page says Mondays), as its calendar does."""
    schedules = []
    for m in course.meetings:
        sessions = [s for s in course.sessions if s.meeting == m.id]
        if sessions:
            # A session at hours of its own (an exam in the lecture's place) is not the weekly run.
            held = {s.date for s in sessions if not s.cancelled and s.start is None and s.end is None}
            weekdays = sorted({s.date.weekday() for s in sessions})
            first, last = min(s.date for s in sessions), max(s.date for s in sessions)
            run = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
            days_off = [d for d in run if d.weekday() in weekdays and d not in held]
        else:
            weekdays = [m.weekday]
            run = weekly_dates(course, m)
            held = set(meeting_dates(course, m))
            days_off = [d for d in run if d not in held]
            if not held:
                continue
            first, last = min(held), max(held)
        schedules.append(
            WeeklySchedule(
                title=m.title,
                weekdays=tuple(WEEKDAYS[d].capitalize() for d in weekdays),
                start=m.start,
                end=m.end,
                location=m.location,
                optional=m.optional,
                first=first,
                last=last,
                except_dates=tuple(days_off),
            )
        )
    return schedules
