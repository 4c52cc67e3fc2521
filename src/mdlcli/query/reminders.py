"""What `mdl remind` should say now: each item ahead whose reminder has come due, once.

Pure: the courses (with the student's done marks), the leads, the kinds and the moment in;
which of these were said already is the state's (state.py), asked by the command.
"""

import datetime as dt
from collections.abc import Iterator, Sequence

from mdlcli.model import Course, item_uid
from mdlcli.record import Record

from .kinds import EXPORT_KIND
from .timetable import meeting_dates, placed_sessions, span, weekly_meetings

DEFAULT_LEADS = (dt.timedelta(days=1), dt.timedelta(hours=1))
DEFAULT_KINDS = frozenset({"deadlines", "exams"})  # what a student must act on


class Reminder(Record):
    course: str
    item: str  # its UID, as export-ics writes it: the key of what was said
    kind: str  # deadline, exam, lecture, lab, tutoring, …
    title: str
    moment: dt.datetime  # when it is due or starts, in UTC
    lead: dt.timedelta  # the lead that came due (the shortest, when several did)
    url: str | None = None
    day_only: bool = False
    leads: tuple[dt.timedelta, ...] = ()  # every lead come due: all said by this one

    @property
    def key(self) -> str:
        """The moment in the state's key: a moved item is a new reminder."""
        return self.moment.astimezone(dt.UTC).isoformat()


class _Item(Record):
    course: str
    item: str
    kind: str
    title: str
    moment: dt.datetime
    url: str | None = None
    day_only: bool = False


def items(courses: Sequence[Course], kinds: set[str] | frozenset[str]) -> Iterator[_Item]:
    """Everything a reminder may be about, of the kinds chosen: undone deadlines, sessions held."""
    for course in courses:
        if "deadlines" in kinds:
            for d in course.deadlines:
                if d.due is not None and not d.done:
                    uid = item_uid(course.id, "deadline", d.id)
                    url = d.submission if (d.submission or "").startswith(("https://", "http://")) else None
                    yield _Item(course.id, uid, "deadline", d.title, d.due, url, d.day_only)
        for p in placed_sessions(course):
            s = p.session
            if p.start is None or s.cancelled or EXPORT_KIND.get(s.kind) not in kinds:
                continue
            title = f"{s.label} {s.display_title}" if s.label else s.display_title
            yield _Item(course.id, item_uid(course.id, "session", s.id), s.kind, title, p.start, s.slides)
        for meeting in weekly_meetings(course):
            if meeting.id not in kinds:
                continue
            for day in meeting_dates(course, meeting):
                start, _ = span(course, day, meeting.start, meeting.end)
                uid = item_uid(course.id, meeting.id, day.isoformat())
                yield _Item(course.id, uid, meeting.id.replace("-", " "), meeting.title, start)


def due_reminders(
    courses: Sequence[Course], leads: Sequence[dt.timedelta], kinds: set[str] | frozenset[str], now: dt.datetime
) -> list[Reminder]:
    """Each item still ahead with a lead come due: one reminder, by the shortest of them (a run
    after a day off says "in 1 hour", not also "in 1 day"). A past item has none."""
    found = []
    for item in items(courses, kinds):
        if item.moment <= now:
            continue
        come = sorted(lead for lead in set(leads) if item.moment - lead <= now)
        if come:
            found.append(Reminder(**item._asdict(), lead=come[0], leads=tuple(come)))
    return sorted(found, key=lambda r: (r.moment, r.course, r.title))


def current_items(courses: Sequence[Course], kinds: set[str] | frozenset[str]) -> set[tuple[str, str]]:
    """The (course, UID) of every item the courses still have: the state forgets the others."""
    return {(i.course, i.item) for i in items(courses, kinds)}


def in_words(delta: dt.timedelta) -> str:
    """`3 hours`, `1 day`, `45 minutes`: how long until it, as a person says it."""
    minutes = max(0, round(delta.total_seconds() / 60))
    # Each unit from where it is the nearest way to say it: 23 h 55 min is "1 day", 59 min "1 hour".
    if minutes >= 23 * 60 + 30:
        size, unit = 24 * 60, "day"
    elif minutes >= 59:
        size, unit = 60, "hour"
    else:
        size, unit = 1, "minute"
    count = max(1, round(minutes / size)) if unit != "minute" else minutes
    return f"{count} {unit}{'' if count == 1 else 's'}"
