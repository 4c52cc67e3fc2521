"""The use-cases, pure: place sessions in time, filter them, resolve ids, search, count down.

Every function takes what it needs (the course, `now`); nothing here reads the clock or prints.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from .errors import UsageError, did_you_mean, quoted
from .model import SESSION_KINDS, WEEKDAYS, Course, Deadline, Meeting, ReadingList, Reference, Session
from .record import Record
from .timeutil import format_day


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


# -- reading lists -------------------------------------------------------------------------


class ReadingTarget(Record):
    """What a `mdl refs ID` names: the sessions it is about and the reading list they share."""

    sessions: tuple[Session, ...]
    reading_list: ReadingList | None


_WEEK_ID = r"(?:week|w)([0-9]{1,6})"  # compiled on first use: most commands never use it


def resolve_reading(course: Course, ident: str) -> ReadingTarget:
    """A lecture label (lec5: the session labelled Lec5), a week (week6, w6) or a reading-list id."""
    key = ident.strip().lower()
    by_label = [s for s in course.sessions if s.label and s.label.lower() == key]
    week_match = re.fullmatch(_WEEK_ID, key)
    if by_label:
        sessions = by_label
    elif week_match:
        sessions = [s for s in course.sessions if s.week == int(week_match.group(1))]
    else:
        sessions = [s for s in course.sessions if s.id.lower() == key]
    if sessions:
        list_id = next((s.refs for s in sessions if s.refs and s.kind != "break"), None)
        return ReadingTarget(tuple(sessions), course.reading_list(list_id) if list_id else None)
    reading_list = next((r for r in course.reading_lists if r.id.lower() == key), None)
    if reading_list is None:
        raise UsageError(_unknown_reading_id(course, ident))
    return ReadingTarget(tuple(course.sessions_reading(reading_list.id)), reading_list)


def _unknown_reading_id(course: Course, ident: str) -> str:
    labels = [s.label.lower() for s in course.sessions if s.label]
    weeks = sorted({s.week for s in course.sessions})
    lists = [r.id for r in course.reading_lists if r.id.lower() not in labels]
    candidates = labels + [f"week{w}" for w in weeks] + lists
    hint = did_you_mean(ident.lower()[:100], candidates)
    valid = ", ".join(
        part
        for part in (
            _span("lecture labels", labels),
            _span("weeks", [f"week{w}" for w in weeks]),
            _span("reading lists", lists),
        )
        if part
    )
    return f"no lecture, week or reading list {quoted(ident)}{hint} (valid: {valid})"


def _span(what: str, ids: list[str]) -> str:
    if not ids:
        return ""
    shown = ", ".join(ids) if len(ids) <= 4 else f"{ids[0]} … {ids[-1]}"
    return f"{what} {shown}"


class RefEntry(Record):
    """A reference in its place: list, group (main or further) and its number within the list."""

    reading_list: ReadingList
    group: Literal["main", "further"]
    number: int
    reference: Reference
    course: str = ""


def entries(reading_list: ReadingList, course: str = "") -> list[RefEntry]:
    main = [RefEntry(reading_list, "main", n, r, course) for n, r in enumerate(reading_list.main, start=1)]
    further = [
        RefEntry(reading_list, "further", n, r, course) for n, r in enumerate(reading_list.further, start=len(main) + 1)
    ]
    return main + further


def search_references(course: Course, text: str) -> list[RefEntry]:
    needle = text.casefold()
    return [
        e
        for r in course.reading_lists
        for e in entries(r, course.id)
        if needle in e.reference.title.casefold() or needle in (e.reference.authors or "").casefold()
    ]


# -- search everything ---------------------------------------------------------------------


class Hit(Record):
    section: str  # session, reference, syllabus, curriculum, deadline
    where: str
    text: str
    command: str
    course: str = ""


def search(course: Course, text: str, *, qualified: bool = False) -> list[Hit]:
    """Every hit of `text`; `qualified`: among several courses, each command names its course."""
    needle = text.casefold()
    if not needle.strip():
        raise UsageError("search: give some text to look for")
    return [
        hit._replace(course=course.id, command=_qualify(hit.command, course.id) if qualified else hit.command)
        for hit in _everything(course)
        if needle in hit.text.casefold() or needle in hit.where.casefold()
    ]


def _qualify(command: str, course_id: str) -> str:
    if command.startswith("mdl refs "):
        return f"mdl refs {course_id}:{command.removeprefix('mdl refs ')}"
    return f"{command} --course {course_id}"


def _everything(course: Course) -> Iterator[Hit]:
    """Every text the course shows, each with where it is and the command that shows it whole."""
    for person in course.people:
        yield Hit("person", person.role or "person", ", ".join(filter(None, (person.name, person.email))), "mdl info")
    for meeting in course.meetings:
        where = f"{WEEKDAYS[meeting.weekday].capitalize()}s {meeting.start:%H:%M}–{meeting.end:%H:%M}"
        yield Hit("meeting", where, " — ".join(filter(None, (meeting.title, meeting.location))), "mdl info")
    for link in course.links:
        yield Hit("link", link.title, link.url, "mdl info")
    for s in course.sessions:
        name = f"week {s.week}" + (f" · {s.label}" if s.label else "")
        show = f"mdl refs {s.label.lower()}" if s.label else f"mdl schedule --week {s.week}"
        guest = ", ".join(filter(None, (s.speaker, s.affiliation)))
        speaker = f" — {guest}" if s.title and guest else ""
        where = f" — {s.location}" if s.location else ""
        yield Hit("session", name, s.display_title + speaker + where, show)
    for r in course.reading_lists:
        for e in entries(r):
            ref = e.reference
            yield Hit(
                "reference",
                f"{r.id} #{e.number}",
                ", ".join(filter(None, (ref.title, ref.authors))),
                f"mdl refs {r.id}",
            )
    for part in course.syllabus:
        yield Hit("syllabus", "syllabus", part.title, "mdl syllabus")
        for item in part.items:
            yield Hit("syllabus", part.title, item, "mdl syllabus")
    for curriculum in course.curricula:
        for c in curriculum.classes:
            where = f"{curriculum.title} class {c.number}"
            texts = [c.title, c.motivation or ""] + [r.text for r in c.required_reading + c.optional_reading]
            for piece in [t for t in texts if t] + list(c.questions):
                yield Hit("curriculum", where, piece, "mdl curriculum")
    for d in course.deadlines:
        yield Hit("deadline", d.id, " — ".join(filter(None, (d.title, d.submission, d.note))), "mdl deadlines")


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
    views = [v for v in deadline_views(course, now) if v.kind == "deadline"]
    ahead = [v for v in views if v.status == "upcoming"]
    over = session is None and exam is None
    for v in ahead if over else ahead[:1]:
        d = v.deadline
        items.append(NextItem("deadline", d.title + (f" ({d.submission})" if d.submission else ""), d.due, None, None))
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


def url_to_open(target: ReadingTarget | None, which: str) -> str:
    """The address `mdl refs ID --open N|slides` opens."""
    if target is None:
        raise UsageError("--open needs an ID: mdl refs lec5 --open 1")
    if which.strip().lower() == "slides":
        slides = next((s.slides for s in target.sessions if s.slides), None)
        if slides is None:
            raise UsageError("--open: this session has no slides")
        return slides
    numbered = entries(target.reading_list) if target.reading_list else []
    number = which.strip()
    # ASCII digits only: int() refuses a superscript ² that isdigit() accepts.
    if not (number.isascii() and number.isdecimal() and len(number) < 6) or not 1 <= int(number) <= len(numbered):
        valid = f"a number from 1 to {len(numbered)} or 'slides'" if numbered else "'slides' (there is no reading list)"
        raise UsageError(f"--open: {which!r} is not a reference here; use {valid}")
    url = numbered[int(number) - 1].reference.url
    if url is None:
        raise UsageError(f"--open: reference {which} has no address")
    return url


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
                    entries.append(AgendaEntry(local_day(start), start, end, kind, title, meeting.location, course.id))
        for d in course.deadlines:
            if d.due is not None and first <= local_day(d.due) <= last:
                title = d.title + (f" ({d.submission})" if d.submission else "")
                entries.append(
                    AgendaEntry(local_day(d.due), d.due, None, "deadline", title, None, course.id, note=d.note)
                )
    midnight = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(entries, key=lambda e: (e.day, e.start is not None, e.start or midnight, e.course))
