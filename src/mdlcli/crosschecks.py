"""The cross-checks of a course: what no single key's shape can say, checked over the built model.

Unique ids and labels, dates inside the term and matching their weeks, sessions against their
meetings and the breaks, the occurrences a course may add up to, and the warnings that go with
them. They report through the reader (`Findings`), each finding at the node it is about.
"""

from __future__ import annotations

import zoneinfo
from typing import Protocol

from . import schema
from .model import WEEKDAYS, Course, Curriculum, Deadline, Link, Meeting, Person, ReadingList, Session
from .query import meeting_dates, monday_of
from .yamlnodes import Place

# What the weekly meetings of a course may add up to (a meeting a week for 50 years is 2 600):
# the calendar export writes each of them, so a tiny file must not ask for millions.
MAX_OCCURRENCES = 100_000


class Findings(Protocol):
    """Where the checks report, and what they ask of the reading: the reader."""

    broken: set[tuple[str, str]]

    def error(self, place: Place, field: str, message: str) -> None: ...
    def warn(self, place: Place, field: str, message: str) -> None: ...
    def at(self, item: object, key: str) -> tuple[Place, str]: ...
    def given(self, item: object, key: str) -> bool: ...
    def refers(
        self, place: Place, field: str, shape: schema.Shape, ident: str, known: set[str], *, where: str = ""
    ) -> None: ...


class CrossChecks:
    def __init__(self, found: Findings, version: int) -> None:
        self.found = found
        self.version = version
        self._default_meeting_missing = False  # told once, at the first session that needs it

    def run(self, course: Course, about: Place) -> None:
        """Check a built course; `about` is where its `course:` mapping is."""
        for group in (
            course.people, course.meetings, course.links, course.deadlines, course.sessions,
            course.reading_lists, course.curricula,
        ):  # fmt: skip
            self._unique(group)
        if course.term_start > course.term_end:
            self.found.error(about, "course.term_end", f"{course.term_end} is before term_start, {course.term_start}")
            return
        people = {p.id for p in course.people}
        for meeting in course.meetings:
            if meeting.person is not None:
                self.found.refers(*self.found.at(meeting, "person"), schema.PERSON, meeting.person, people)
            for key, day in (("first", meeting.first), ("last", meeting.last)):
                if day and not course.term_start <= day <= course.term_end:
                    self.found.error(*self.found.at(meeting, key), f"{day} is outside the term ({_term(course)})")
        self._check_sessions(course)
        self._check_occurrences(course, about)

    def _unique(
        self, group: tuple[Person | Meeting | Link | Deadline | Session | ReadingList | Curriculum, ...]
    ) -> None:
        seen: set[str] = set()
        for item in group:
            if item.id in seen:
                self.found.error(*self.found.at(item, "id"), f"duplicate id {item.id!r}")
            seen.add(item.id)

    def _check_sessions(self, course: Course) -> None:
        list_ids = {r.id for r in course.reading_lists}
        meetings = {m.id: m for m in course.meetings}
        breaks = [s for s in course.sessions if s.kind == "break"]
        labels: set[str] = set()
        for session in course.sessions:
            if session.refs:
                self.found.refers(*self.found.at(session, "refs"), schema.READING_LIST, session.refs, list_ids)
            if session.label:
                if session.label.lower() in labels:
                    self.found.error(*self.found.at(session, "label"), f"duplicate label {session.label!r}")
                labels.add(session.label.lower())
            for key, day in (("date", session.date), ("until", session.last_day if session.kind == "break" else None)):
                if key == "until" and not self.found.given(session, "until"):
                    continue
                if day and not course.term_start <= day <= course.term_end:
                    self.found.error(*self.found.at(session, key), f"{day} is outside the term ({_term(course)})")
            if not course.term_start <= session.date <= course.term_end:
                continue
            week = (session.date - course.term_start).days // 7 + 1
            if week != session.week:
                self.found.error(
                    *self.found.at(session, "week"),
                    f"is {session.week}, but {session.date} is in week {week} of the term",
                )
            if session.kind == "break":
                if session.meeting is not None:
                    self.found.refers(
                        *self.found.at(session, "meeting"), schema.MEETING, session.meeting, set(meetings)
                    )
                if session.refs:
                    message = f"a break links reading list {session.refs!r}; a break has no readings"
                    self.found.warn(*self.found.at(session, "refs"), message)
                continue
            self._check_time(course, session, meetings)
            holiday = next(
                (b for b in breaks if b.first_day and b.last_day and b.first_day <= session.date <= b.last_day), None
            )
            if holiday is not None and not session.cancelled:
                message = f"{session.date} falls in the break {holiday.id!r}; cancel the session or move it"
                self.found.warn(*self.found.at(session, "date"), message)
        self._check_default_meeting(course)
        self._check_meetings_shown_through_sessions(course)
        for deadline in course.deadlines:
            if (
                deadline.due is not None
                and deadline.due.astimezone(zoneinfo.ZoneInfo(course.timezone)).date() > course.term_end
            ):
                message = f"is due after the end of term ({course.term_end})"
                self.found.warn(*self.found.at(deadline, "due"), message)

    def _check_default_meeting(self, course: Course) -> None:
        """Several meetings and no session naming one: say once which meeting they all take, for an
        author who wrote a lab beside the lecture may expect each session to find its slot by day."""
        classes = [s for s in course.sessions if s.kind != "break"]
        if len(course.meetings) < 2 or not classes or any(self.found.given(s, "meeting") for s in classes):
            return
        default = classes[0].meeting
        if default not in {m.id for m in course.meetings}:
            return  # a default meeting that is missing is an error of its own
        listed = ", ".join(repr(m.id) for m in course.meetings)
        rule = "the first listed" if self.version >= 2 else "schema 1's default"
        message = (
            f"is given by no session, so all {len(classes)} take {default!r}, the default ({rule}), of the "
            f"meetings {listed}; name another in the sessions held in it"
        )
        self.found.warn(*self.found.at(classes[0], "meeting"), message)

    def _check_meetings_shown_through_sessions(self, course: Course) -> None:
        """A meeting that a session names is shown only through its sessions, in every schema: say how
        many of its weeks that leaves empty, for an author who moved one class into a lab's slot."""
        for meeting in course.meetings:
            through = [s for s in course.sessions if s.kind != "break" and s.meeting == meeting.id]
            if not through:
                continue
            weeks_held = {monday_of(s.date) for s in through}
            unshown = [day for day in meeting_dates(course, meeting) if monday_of(day) not in weeks_held]
            if not unshown:
                continue
            days = ", ".join(map(str, unshown)) if len(unshown) <= 3 else f"{unshown[0]} … {unshown[-1]}"
            message = (
                f"names the meeting {meeting.id!r}, which is then shown only through its sessions: "
                f"{len(unshown)} of its weekly occurrences ({days}), in weeks without such a session, are not "
                "shown. To hold one class in its slot, give that session its own start, end and location instead"
            )
            self.found.warn(*self.found.at(through[0], "meeting"), message)

    def _check_time(self, course: Course, session: Session, meetings: dict[str, Meeting]) -> None:
        """A session has a meeting that exists, or times of its own; and it ends after it starts."""
        meeting = meetings.get(session.meeting or "")
        explicit = self.found.given(session, "meeting")
        if meeting is None and session.meeting is not None:
            if explicit or (schema.MEETING.name, session.meeting) in self.found.broken:
                self.found.refers(*self.found.at(session, "meeting"), schema.MEETING, session.meeting, set(meetings))
            elif not self._default_meeting_missing:
                self._default_meeting_missing = True
                listed = ", ".join(repr(m) for m in meetings) or "none"
                first = f"the first listed, {next(iter(meetings))!r}," if meetings else "the first listed meeting"
                message = (
                    f"sessions without meeting: use {session.meeting!r} (schema 1), and there is no such meeting; "
                    f"the meetings are: {listed}. Name one in each session, or use schema: 2, where {first} "
                    "is the default"
                )
                self.found.error(*self.found.at(session, "meeting"), message)
            return
        start = session.start or (meeting.start if meeting else None)
        end = session.end or (meeting.end if meeting else None)
        if start is None or end is None:
            missing = "start" if start is None else "end"
            self.found.error(
                *self.found.at(session, missing), "is required: the session has no meeting to take its time from"
            )
            return
        if start >= end:
            key = "end" if session.end else "start"
            self.found.error(
                *self.found.at(session, key), f"the session would end ({end:%H:%M}) before it starts ({start:%H:%M})"
            )
            return
        own_time = session.start is not None or session.kind == "exam"
        if meeting is not None and not own_time and session.date.weekday() != meeting.weekday:
            day, meets = WEEKDAYS[session.date.weekday()], WEEKDAYS[meeting.weekday]
            message = f"{session.date} is a {day.capitalize()}, but the {meeting.id} meets on {meets.capitalize()}s"
            self.found.warn(*self.found.at(session, "date"), message)

    def _check_occurrences(self, course: Course, about: Place) -> None:
        used = {s.meeting for s in course.sessions}
        total = 0
        for meeting in course.meetings:
            if meeting.id not in used:
                first, last = meeting.first or course.term_start, meeting.last or course.term_end
                total += max(0, (last - first).days // 7 + 1)
        if total > MAX_OCCURRENCES:
            message = f"the weekly meetings would take place {total} times in this term; at most {MAX_OCCURRENCES}"
            self.found.error(about, "course.term_end", message)


def _term(course: Course) -> str:
    return f"{course.term_start} to {course.term_end}"
