"""What comes next in a course, and the note once it is over."""

import datetime as dt
from typing import Literal

from mdlcli.model import Course
from mdlcli.record import Record
from mdlcli.timeutil import format_day

from .deadlines import deadline_views
from .timetable import (
    Placed,
    next_exam,
    next_meeting,
    next_session,
    placed_sessions,
    weekly_meetings,
)

# -- what comes next -----------------------------------------------------------------------


class NextItem(Record):
    what: str
    title: str
    start: dt.datetime | None
    end: dt.datetime | None
    location: str | None
    cancelled: bool = False
    note: str | None = None
    course: str = ""
    day_only: bool = False  # work due some day: `start` is the end of that day

    def under_way(self, now: dt.datetime) -> bool:
        return not self.cancelled and self.start is not None and self.end is not None and self.start <= now < self.end


def _session_item(p: Placed) -> NextItem:
    s = p.session
    title = f"{s.label} {s.display_title}" if s.label else s.display_title
    return NextItem(s.kind.replace("-", " "), title, p.start, p.end, p.location, s.cancelled, s.note)


class Note(Record):
    """A line about the course as a whole: it has ended, or its sessions are over but work is still due."""

    kind: Literal["ended", "due"]
    text: str
    course: str = ""


def whats_next(course: Course, now: dt.datetime) -> tuple[list[NextItem], Note | None]:
    """The next class, the next exam, each weekly meeting and the next deadline; and a note once they are over.

    Cancelled sessions between now and the next class are listed too, marked, so that nobody
    walks to a room for nothing. After the last session, every deadline still ahead is listed.
    """
    placed = placed_sessions(course)
    items: list[NextItem] = []
    session = next_session(placed, now)
    before = session.start if session is not None and session.start else None
    items += [
        _session_item(p)
        for p in placed
        if p.session.cancelled and p.start is not None and p.over > now and (before is None or p.start < before)
    ]
    if session is not None:
        items.append(_session_item(session))
    exam = next_exam(placed, now)
    if exam is not None:
        items.append(_session_item(exam))
    for meeting in weekly_meetings(course):
        found = next_meeting(course, meeting, now)
        if found:
            title = meeting.title + (" (optional)" if meeting.optional else "")
            items.append(NextItem(meeting.id.replace("-", " "), title, found[0], found[1], meeting.location))
    views = [v for v in deadline_views(course, now) if v.kind == "deadline" and not v.deadline.done]
    ahead = [v for v in views if v.status == "upcoming"]
    over = session is None and exam is None
    for v in ahead if over else ahead[:1]:
        d = v.deadline
        title = d.title + (f" ({d.submission})" if d.submission else "")
        items.append(NextItem("deadline", title, d.due, None, None, day_only=d.day_only))
    # Undated work is worth a line while the course goes on without a dated deadline ahead, or
    # when only work is left; long after the end it is noise.
    if (not over and not ahead) or (over and ahead):
        items += [NextItem("deadline", v.deadline.title, None, None, None) for v in views if v.status == "tba"]
    # What is on now comes first (a tutoring session under way matters more than next week's
    # lecture), then the rest in time order, undated work last.
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    items.sort(key=lambda item: (not item.under_way(now), item.start or far))
    note = None
    if over:
        held = [p.session for p in placed if p.session.kind != "break"]
        last = f"its last session was on {format_day(held[-1].date)} ({held[-1].display_title})" if held else ""
        if ahead:
            due = ", ".join(v.deadline.title for v in ahead)
            note = Note("due", f"{course.title}: no session is left ({last}), but work is still due: {due}.")
        elif not held:
            note = Note("ended", f"{course.title} has no sessions.")
        else:
            note = Note("ended", f"{course.title} has ended: {last}.")
    tagged = note._replace(course=course.id) if note else None
    return [item._replace(course=course.id) for item in items], tagged
