"""When a course meets: sessions placed in time, weekly meetings, breaks, and the agenda of a window."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence

from mdlcli.errors import UsageError, did_you_mean
from mdlcli.model import SESSION_KINDS, Course, Meeting, Session
from mdlcli.record import Record
from mdlcli.timeutil import format_clock, format_span


class Placed(Record):
    """A session with its place in time; a break has no start or end, but is over when its day is."""

    session: Session
    start: dt.datetime | None
    end: dt.datetime | None
    over: dt.datetime
    location: str | None
    course: str = ""  # the id of the course it belongs to: merged views sort and tag by it
    begins: dt.datetime | None = None  # when it starts, or a break's first midnight: the merge order

    @property
    def order(self) -> dt.datetime:
        return self.start or self.begins or self.over


def zone_of(course: Course) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(course.timezone)


def at(course: Course, day: dt.date, clock: dt.time) -> dt.datetime:
    """A wall-clock time on a day in the course's zone (EST or EDT by date), as a UTC datetime.

    Python subtracts two datetimes that share a tzinfo as wall-clock times, so a span across a
    DST change would be an hour off; in UTC every difference is the true elapsed time.
    """
    return dt.datetime.combine(day, clock, tzinfo=zone_of(course)).astimezone(dt.UTC)


def span(course: Course, day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """When something from `start` to `end` on a day happens, in UTC; it always ends after it starts.

    A start inside the hour that a spring-forward change skips is read on the clock after the
    jump (02:30 is 03:30 EDT), which can put it after an end written as 03:15: it then lasts as
    long as its written times say.
    """
    begins, ends = at(course, day, start), at(course, day, end)
    if ends <= begins:
        ends = begins + (dt.datetime.combine(day, end) - dt.datetime.combine(day, start))
    return begins, ends


class Slot(Record):
    """Where and when a session is held: its own room and times, else its meeting's."""

    start: dt.time
    end: dt.time
    location: str | None


def slot(course: Course, session: Session) -> Slot:
    """A session's time and room (validation made sure it has both times, from itself or its meeting)."""
    meeting = course.meeting(session.meeting)
    start = session.start or (meeting.start if meeting else dt.time())
    end = session.end or (meeting.end if meeting else dt.time())
    return Slot(start, end, session.location or (meeting.location if meeting else None))


def place(course: Course, session: Session) -> Placed:
    if session.kind == "break":
        last = session.last_day or session.date
        midnight = at(course, last + dt.timedelta(days=1), dt.time())
        first = at(course, session.first_day or session.date, dt.time())
        return Placed(session, None, None, midnight, None, course.id, first)
    where = slot(course, session)
    start, end = span(course, session.date, where.start, where.end)
    return Placed(session, start, end, end, where.location, course.id, start)


def placed_sessions(course: Course) -> list[Placed]:
    return [place(course, s) for s in sorted(course.sessions, key=lambda s: (s.date, s.week))]


def filter_sessions(
    placed: Iterable[Placed],
    *,
    weeks: set[int] | None = None,
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    kinds: Iterable[str] = (),
    after: dt.datetime | None = None,
) -> list[Placed]:
    """Sessions that pass every filter given; `after` keeps those not yet over at that moment."""
    wanted = set(kinds)
    # A break counts on each of its days: a window that touches any of them shows it.
    return [
        p
        for p in placed
        if (weeks is None or p.session.week in weeks)
        and (from_date is None or (p.session.last_day or p.session.date) >= from_date)
        and (to_date is None or (p.session.first_day or p.session.date) <= to_date)
        and (not wanted or p.session.kind in wanted)
        and (after is None or p.over > after)
    ]


def parse_weeks(values: Iterable[str], courses: Sequence[Course]) -> set[int]:
    """--week 6, --week 9-11, --week 6,8 (repeatable): weeks the courses have, else a usage error."""
    last = max((c.term_end - c.term_start).days // 7 + 1 for c in courses)
    what = "this course; its weeks are" if len(courses) == 1 else "these courses; their weeks are"
    weeks: set[int] = set()
    for value in values:
        for part in value.split(","):
            first, dash, final = part.strip().partition("-")
            bounds = [first, final] if dash else [first]
            if not all(b.isascii() and b.isdecimal() for b in bounds):
                raise UsageError(f"--week: {_shown(part)!r} is not a week; use a number (6) or a range (9-11)")
            for bound in bounds:
                if len(bound) > 6 or not 1 <= int(bound) <= last:
                    raise UsageError(f"--week: {_shown(bound)} is not a week of {what} 1 to {last}")
            low, high = int(bounds[0]), int(bounds[-1])
            if low > high:
                raise UsageError(f"--week: {part.strip()} runs backwards; write {high}-{low}")
            weeks.update(range(low, high + 1))
    return weeks


def _shown(text: str) -> str:
    return text if len(text) <= 12 else text[:9] + "..."


def parse_kinds(values: Iterable[str]) -> list[str]:
    """Session kinds, singular or plural (lecture, lectures), with did-you-mean for a typo."""
    kinds: list[str] = []
    for value in values:
        for part in value.split(","):
            word = part.strip().lower()
            kind = word if word in SESSION_KINDS else word.removesuffix("s")
            if kind not in SESSION_KINDS:
                hint = did_you_mean(word, [*SESSION_KINDS, *(k + "s" for k in SESSION_KINDS)])
                known = ", ".join(SESSION_KINDS)
                raise UsageError(f"--kind: {part!r} is not a session kind{hint} (use one of: {known})")
            kinds.append(kind)
    return kinds


def next_session(placed: Iterable[Placed], now: dt.datetime) -> Placed | None:
    """The next class not over yet (one under way counts): breaks, exams and cancelled sessions skipped."""
    return next((p for p in placed if _held(p) and p.session.kind != "exam" and p.over > now), None)


def next_exam(placed: Iterable[Placed], now: dt.datetime) -> Placed | None:
    return next((p for p in placed if _held(p) and p.session.kind == "exam" and p.over > now), None)


def _held(p: Placed) -> bool:
    return p.end is not None and not p.session.cancelled


# -- weekly meetings -----------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    """The first day of the week that holds `day`: weeks run Monday to Sunday."""
    return day - dt.timedelta(days=day.weekday())


def break_days(course: Course) -> set[dt.date]:
    """The days of the course's breaks: no weekly meeting takes place on them."""
    days: set[dt.date] = set()
    for s in course.sessions:
        if s.kind == "break" and s.first_day and s.last_day:
            days.update(s.first_day + dt.timedelta(days=n) for n in range((s.last_day - s.first_day).days + 1))
    return days


def weekly_meetings(course: Course) -> list[Meeting]:
    """Meetings that recur on their own: those no session is scheduled through (tutoring, office hours)."""
    used = {s.meeting for s in course.sessions}
    return [m for m in course.meetings if m.id not in used]


def weekly_dates(course: Course, meeting: Meeting) -> list[dt.date]:
    """The meeting's day in every week from its first to its last day, break days included."""
    first = meeting.first or course.term_start
    last = meeting.last or course.term_end
    day = first + dt.timedelta(days=(meeting.weekday - first.weekday()) % 7)
    dates = []
    while day <= last:
        dates.append(day)
        day += dt.timedelta(days=7)
    return dates


def meeting_dates(course: Course, meeting: Meeting) -> list[dt.date]:
    """Every date the meeting takes place: weekly from its first to last day, break days skipped."""
    skipped = break_days(course)
    return [day for day in weekly_dates(course, meeting) if day not in skipped]


def meeting_times(course: Course, meeting: Meeting, zone: dt.tzinfo) -> str:
    """`19:10–21:00 EST/EDT`: its hours in `zone` with each abbreviation in force on a day it meets."""
    # A term across a DST change meets at 19:10 EST and then at 19:10 EDT, and says so.
    spans = [span(course, day, meeting.start, meeting.end) for day in meeting_dates(course, meeting)]
    spans = spans or [span(course, course.term_start, meeting.start, meeting.end)]
    names = list(dict.fromkeys(start.astimezone(zone).tzname() or "" for start, _ in spans))
    first, last = spans[0][0].astimezone(zone), spans[0][1].astimezone(zone)
    return f"{first:%H:%M}–{last:%H:%M} {'/'.join(names)}"


def next_meeting(course: Course, meeting: Meeting, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    for day in meeting_dates(course, meeting):
        start, end = span(course, day, meeting.start, meeting.end)
        if end > now:
            return start, end
    return None


# -- the agenda ------------------------------------------------------------------------------


class AgendaEntry(Record):
    """One thing on one day: a session, a meeting, a deadline, or a day of a break."""

    day: dt.date
    start: dt.datetime | None  # None: all day (a break) or no time
    end: dt.datetime | None
    kind: str
    title: str
    location: str | None
    course: str
    cancelled: bool = False
    note: str | None = None
    done: bool = False  # a deadline the student marked done
    weekly: bool = False  # an occurrence of a weekly meeting, not a dated session

    def when(self, zone: dt.tzinfo) -> str:
        """Its time of day in `zone`, as the agenda and the course page say it: `19:10–21:00 EST`,
        `due 23:59 EST`, `due that day`, `all day`."""
        if self.start is None:
            return "due that day" if self.kind == "deadline" else "all day"
        if self.end is None:
            return f"due {format_clock(self.start, zone)}"
        return format_span(self.start, self.end, zone)


def agenda(courses: Sequence[Course], first: dt.date, last: dt.date, zone: dt.tzinfo) -> list[AgendaEntry]:
    """Everything from `first` to `last` (days in `zone`), by day and time: sessions, weekly meetings,
    deadlines, exams, and each day of a break."""
    entries: list[AgendaEntry] = []

    def local_day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    for course in courses:
        for p in placed_sessions(course):
            s = p.session
            title = f"{s.label} {s.display_title}" if s.label else s.display_title
            if p.start is None:
                days = (s.last_day - s.first_day).days + 1 if s.first_day and s.last_day else 1
                for n in range(days):
                    day = (s.first_day or s.date) + dt.timedelta(days=n)
                    if first <= day <= last:
                        entries.append(AgendaEntry(day, None, None, s.kind, title, None, course.id, note=s.note))
            elif first <= local_day(p.start) <= last:
                entry = AgendaEntry(local_day(p.start), p.start, p.end, s.kind, title, p.location, course.id)
                entries.append(entry._replace(cancelled=s.cancelled, note=s.note))
        for meeting in weekly_meetings(course):
            for day in meeting_dates(course, meeting):
                start, end = span(course, day, meeting.start, meeting.end)
                if first <= local_day(start) <= last:
                    kind = meeting.id.replace("-", " ")
                    title = meeting.title + (" (optional)" if meeting.optional else "")
                    entry = AgendaEntry(local_day(start), start, end, kind, title, meeting.location, course.id)
                    entries.append(entry._replace(weekly=True))
        for d in course.deadlines:
            due_day = d.day(zone)
            if due_day is not None and first <= due_day <= last:
                title = d.title + (f" ({d.submission})" if d.submission else "")
                due = None if d.day_only else d.due  # due that day, at no time of it
                entry = AgendaEntry(due_day, due, None, "deadline", title, None, course.id, note=d.note, done=d.done)
                entries.append(entry)
    midnight = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(entries, key=lambda e: (e.day, e.start is not None, e.start or midnight, e.course))
