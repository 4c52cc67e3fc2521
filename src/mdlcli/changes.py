"""What changed between two versions of a course, told in the course's words and its own zone.

`mdl update` says it for a student whose calendar must follow: a weekly meeting's new day, time
or room; a session's new time or room ("room CIWW 102 → CIWW 109"); a deadline's new due moment,
as the course's clock reads it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from .model import Course, Deadline, Meeting, Session
from .query import place, zone_of
from .record import Record
from .timeutil import format_day, format_moment, format_span


class Change(Record):
    """One change: what kind (`session moved`), what item (its id and name), and the sentence."""

    change: str
    item: str
    name: str
    was: str | None
    now: str | None

    @property
    def text(self) -> str:
        if self.was is not None and self.now is not None:
            return f"{self.change}: {self.name}, {self.was} → {self.now}"
        return f"{self.change}: {self.name}" + (f", {self.now or self.was}" if self.now or self.was else "")


def changes(old: Course, new: Course) -> Iterator[Change]:
    yield from _meetings(old, new)
    yield from _sessions(old, new)
    yield from _deadlines(old, new)
    # A warning is new when its sentence is, numbers and dates aside ("2 of its weekly occurrences
    # (…)" then "1 of" is the warning the student already had), and more often than before.
    known = Counter(_words(w.message) for w in old.warnings)
    for warning in new.warnings:
        key = _words(warning.message)
        if known[key]:
            known[key] -= 1
        else:
            yield Change("new warning", warning.field, warning.field, None, warning.message)


def _words(message: str) -> str:
    return " ".join(word for word in message.split() if not any(c.isdigit() for c in word))


def _meetings(old: Course, new: Course) -> Iterator[Change]:
    before = {m.id: m for m in old.meetings}
    after = {m.id: m for m in new.meetings}
    for meeting_id, m in after.items():
        was = before.get(meeting_id)
        if was is None:
            yield Change("meeting added", m.id, m.title, None, _weekly(m))
        elif _weekly(was) != _weekly(m):
            yield Change("meeting changed", m.id, m.title, _weekly(was), _weekly(m))
    for meeting_id, m in before.items():
        if meeting_id not in after:
            yield Change("meeting removed", m.id, m.title, _weekly(m), None)


def _weekly(m: Meeting) -> str:
    """`Fridays 16:00–18:00, room Lab 3, from 2024-10-04 to 2024-11-22`."""
    extent = "".join(f", {word} {day}" for word, day in (("from", m.first), ("until", m.last)) if day)
    return m.weekly + (f", room {m.location}" if m.location else "") + extent


def _sessions(old: Course, new: Course) -> Iterator[Change]:
    before = {s.id: s for s in old.sessions}
    after = {s.id: s for s in new.sessions}
    for session_id, s in after.items():
        was = before.get(session_id)
        name = f"{s.label} {s.display_title}" if s.label else s.display_title
        if was is None:
            yield Change(f"{_noun(s)} added", s.id, name, None, _when(new, s))
            continue
        if s.cancelled and not was.cancelled:
            yield Change(f"{_noun(s)} cancelled", s.id, name, None, _when(new, s) + (f" ({s.note})" if s.note else ""))
            continue
        if was.cancelled and not s.cancelled:
            yield Change(f"{_noun(s)} back on", s.id, name, None, _when(new, s))
        # Only what the session itself says: a meeting's new room is told once, with the meeting.
        own = ("date", "start", "end", "meeting", "first_day", "last_day")
        if any(getattr(was, key) != getattr(s, key) for key in own):
            yield Change(f"{_noun(s)} moved", s.id, name, _when(old, was), _when(new, s))
        if (was.location, was.meeting) != (s.location, s.meeting) and s.kind != "break":
            rooms = place(old, was).location, place(new, s).location
            if rooms[0] != rooms[1]:
                yield Change(f"{_noun(s)} room changed", s.id, name, f"room {rooms[0] or 'none'}", rooms[1] or "none")
    for session_id, s in before.items():
        if session_id not in after:
            yield Change(f"{_noun(s)} removed", s.id, s.display_title, _when(old, s), None)


def _noun(s: Session) -> str:
    return "break" if s.kind == "break" else "session"


def _when(course: Course, s: Session) -> str:
    """`Wed 2019-03-20 19:10–21:00 EDT` in the course's zone; a break's days."""
    placed = place(course, s)
    if placed.start is None or placed.end is None:
        first, last = s.first_day or s.date, s.last_day or s.date
        return format_day(first) if first == last else f"{format_day(first)} – {format_day(last)}"
    return f"{format_day(s.date)} {format_span(placed.start, placed.end, zone_of(course))}"


def _deadlines(old: Course, new: Course) -> Iterator[Change]:
    before = {d.id: d for d in old.deadlines}
    after = {d.id for d in new.deadlines}
    for d in new.deadlines:
        was = before.get(d.id)
        if was is None:
            yield Change("deadline added", d.id, d.title, None, _due(new, d))
        elif was.due != d.due:
            yield Change("deadline moved", d.id, d.title, _due(old, was), _due(new, d))
    for d in old.deadlines:
        if d.id not in after:
            yield Change("deadline removed", d.id, d.title, _due(old, d), None)


def _due(course: Course, d: Deadline) -> str:
    due: dt.datetime | None = d.due
    return format_moment(due, zone_of(course)) if due else "date TBA"
