"""The course as iCalendar (RFC 5545): deterministic bytes, stable UIDs, and a VTIMEZONE every reader gets right.

Stability: a UID derives from the course id and the item's own id, never from a title, date or
position. Changes show through SEQUENCE: each event carries a hash of its content
(X-MDL-CONTENT-HASH); against the file being replaced, an event whose hash changed gets the next
SEQUENCE and LAST-MODIFIED set to the course file's modification time, and an unchanged event
keeps both. So two exports of the same course differ only in DTSTAMP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import icalendar
from icalendar.parser import Contentline, Parameters

from . import __version__
from .forked import in_parallel, parts
from .model import Course, Deadline, Meeting, Session, item_uid
from .query import at, entries, meeting_dates, slot, span, weekly_dates, weekly_meetings
from .query.kinds import EXPORT_KIND
from .record import Record
from .textsafe import without_controls
from .timeutil import format_duration, parse_lead

PRODID = f"-//mdl//mdl {__version__}//EN"
PRODID_PREFIX = "-//mdl//"
_FOLD_AT = 75  # octets: RFC 5545's limit, as icalendar folds at it
DEFAULT_ALARMS = (dt.timedelta(weeks=1), dt.timedelta(days=1))


def parse_alarm(text: str) -> dt.timedelta:
    """`2d`, `3h`, `45m`, `1w` or combinations such as `1d12h`: how long before the due moment."""
    return parse_lead(text, "--alarm")


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is a calendar whose own PRODID is mdl's (not one that merely mentions mdl)."""
    lines = data[:65536].decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    if not lines or lines[0] != "BEGIN:VCALENDAR":
        return False
    for line in lines[1:]:
        if line.startswith("BEGIN:"):  # the calendar's own properties come before its components
            return False
        if line.startswith("PRODID:"):
            return line.removeprefix("PRODID:").startswith(PRODID_PREFIX)
    return False


@dataclass(frozen=True)
class Previous:
    """What an earlier export said of an event: its content hash, SEQUENCE and LAST-MODIFIED."""

    content_hash: str
    sequence: int
    last_modified: dt.datetime


def same_apart_from_stamp(before: bytes, after: bytes) -> bool:
    """Whether two calendars differ only in DTSTAMP, the moment of export: the older may stay."""

    def unstamped(data: bytes) -> list[bytes]:
        return [line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]

    return unstamped(before) == unstamped(after)


def read_previous(data: bytes) -> dict[str, Previous]:
    """Events of an earlier mdl export by UID, read line by line.

    Only four properties of files mdl wrote itself are needed, so a plain scan of the unfolded
    lines does; a full iCalendar parse of a large course's calendar took seconds. Anything
    unexpected is skipped: an event it misses just counts as new.
    """
    found: dict[str, Previous] = {}
    fields: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            fields = {}
        elif line == "END:VEVENT":
            with contextlib.suppress(KeyError, ValueError):
                modified = dt.datetime.strptime(fields["LAST-MODIFIED"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
                uid = _unescape_text(fields["UID"])  # a UID is TEXT: `,` and `;` are written escaped
                found[uid] = Previous(fields["X-MDL-CONTENT-HASH"], int(fields["SEQUENCE"]), modified)
        elif name in ("UID", "SEQUENCE", "LAST-MODIFIED", "X-MDL-CONTENT-HASH"):
            fields[name] = value
    return found


_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def _unescape_text(value: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


@dataclass(frozen=True)
class Export:
    data: bytes
    counts: Counter[str]
    left_out: tuple[str, ...]  # deadlines without a date


def export(
    courses: Sequence[Course],
    *,
    kinds: set[str],
    alarms: Sequence[dt.timedelta] = DEFAULT_ALARMS,
    expand: bool = False,
    stamp: dt.datetime,
    modified: Mapping[str, dt.datetime],
    previous: dict[str, Previous] | None = None,
) -> Export:
    """One calendar of the courses: `stamp` is DTSTAMP (the export's moment), `modified` each course file's mtime.

    UIDs carry the course id, so a course added to or dropped from the calendar changes only its
    own events.
    """
    calendar = icalendar.Calendar()
    zones = sorted({c.timezone for c in courses})
    if len(courses) == 1:
        only = courses[0]
        name = " · ".join(x for x in (only.title, only.code, only.term) if x)
    else:
        # A calendar app lists this name in a narrow sidebar: the ids, while they are few.
        ids = ", ".join(c.id for c in courses)
        name = f"Semester: {ids}" if len(ids) <= 40 else f"Semester: {len(courses)} courses"
    for prop, value in (
        ("PRODID", PRODID),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", without_controls(name)),
    ):
        calendar.add(prop, value)
    if len(zones) == 1:
        calendar.add("X-WR-TIMEZONE", zones[0])
    # Subscribers refresh daily: the course file may change during the term.
    calendar.add("REFRESH-INTERVAL", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "P1D")
    for zone_name in zones:
        terms = [c for c in courses if c.timezone == zone_name]
        first, last = min(c.term_start for c in terms), max(c.term_end for c in terms)
        calendar.add_component(vtimezone(zoneinfo.ZoneInfo(zone_name), first, last))
    planned = [
        _Planned(course.id, kind, make)
        for course in courses
        for kind, make in _events(course, kinds, alarms, expand, zoneinfo.ZoneInfo(course.timezone))
    ]
    left_out = [d.title for c in courses if "deadlines" in kinds for d in c.deadlines if d.due is None]

    def write(part: Sequence[_Planned]) -> bytes:
        written = []
        for item in part:
            event = item.make()
            if len(courses) > 1:
                _tell_course(event, item.course)
            _stamp(event, stamp, modified[item.course], (previous or {}).get(str(event["UID"])))
            written.append(_to_ical(event))
        return b"".join(written)

    # The events go inside the calendar, after its time zones: where icalendar would write them.
    head = _to_ical(calendar)
    end = b"END:VCALENDAR\r\n"
    events = b"".join(in_parallel(write, parts(planned, _PARALLEL_FROM)))
    counts = Counter(item.kind for item in planned)
    return Export(head[: -len(end)] + events + end, counts, tuple(left_out))


def _tell_course(event: icalendar.Event, course_id: str) -> None:
    """In a semester's calendar each event says its course: in CATEGORIES (for a calendar's filter)
    and before its SUMMARY (`[ml101] Lab`), for a glance at a week of several courses."""
    summary = str(event.pop("SUMMARY", ""))
    event.add("SUMMARY", f"[{course_id}] {summary}")
    event.add("CATEGORIES", [course_id])


class _Planned(Record):
    """An event to write: its course, its kind (for the report), and how to make it."""

    course: str
    kind: str
    make: Callable[[], icalendar.Event]


# Below this many events one process writes them all: starting others costs more than it saves.
_PARALLEL_FROM = 2_000


def _to_ical(calendar: icalendar.cal.Component) -> bytes:
    """What `calendar.to_ical()` writes, made faster: icalendar makes every content line.

    Two of icalendar's costs on a large calendar are skipped. `Component.content_line` makes an
    empty `Parameters` for every property even when the value has its own (a third of making
    the lines); here the values' own parameters are given, or one empty set. And each line is
    folded by `Contentline.to_ical`, whose loop visits every character (a fifth of the export);
    a line of under 75 octets comes out of that loop as it went in, so only longer lines go to it.
    """
    no_parameters = Parameters()
    written = []
    for name, value in calendar.property_items(sorted=True):
        parameters = cast(Parameters, getattr(value, "params", no_parameters))
        line = Contentline.from_parts(name, parameters, value, sorted=True)
        encoded = line.encode()
        written.append(encoded if len(encoded) < _FOLD_AT else line.to_ical())
    return b"\r\n".join(written) + b"\r\n"


# RFC 5545 TEXT allows no control characters but line breaks: others are shown as symbols.
_VISIBLE = frozenset(("SUMMARY", "DESCRIPTION", "LOCATION"))
# Values that recur across the events of a calendar: icalendar encodes each once, and the
# events share it (encoding is most of the cost of building a large calendar).
_RECURRING = frozenset(("LOCATION", "TRANSP", "STATUS", "ACTION", "TRIGGER", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE"))


class _Adding(icalendar.cal.Component):
    """A component whose text is made visible as it is added, and whose recurring values are shared."""

    def add(self, name: str, value: Any, parameters: Any = None, encode: bool = True) -> None:
        if name in _VISIBLE:
            value = without_controls(value)
        if name in _RECURRING and parameters is None:
            value = _encoded(name, value, getattr(value, "tzinfo", None))
        super().add(name, value, parameters, encode)


class _Event(_Adding, icalendar.Event):
    pass


class _Alarm(_Adding, icalendar.Alarm):
    pass


@functools.lru_cache(maxsize=4096)
def _encoded(name: str, value: Any, zone: dt.tzinfo | None) -> Any:
    # `zone` is in the key because aware datetimes in two zones compare equal, but are not written alike.
    template = icalendar.Event()
    template.add(name, value)
    return template[name]


def _stamp(event: icalendar.Event, stamp: dt.datetime, modified: dt.datetime, before: Previous | None) -> None:
    content_hash = _fingerprint(event)
    if before is None:
        sequence, last_modified = 0, modified
    elif before.content_hash == content_hash:
        sequence, last_modified = before.sequence, before.last_modified
    else:
        sequence, last_modified = before.sequence + 1, modified
    event.add("DTSTAMP", stamp.astimezone(dt.UTC))
    event.add("SEQUENCE", sequence)
    event.add("LAST-MODIFIED", last_modified.astimezone(dt.UTC))
    event.add("X-MDL-CONTENT-HASH", content_hash)


def _fingerprint(event: icalendar.Event) -> str:
    """A hash of everything the event says, alarms included, without the cost of folding it into text."""
    digest = hashlib.sha256()
    for name, value in event.property_items(recursive=True, sorted=True):
        content: bytes = value if isinstance(value, bytes) else cast(Any, value).to_ical()
        parameters = sorted(getattr(value, "params", {}).items())
        digest.update(f"{name}{parameters}".encode() + content + b"\0")
    return digest.hexdigest()[:16]


def _uid(course: Course, kind: str, item_id: str) -> str:
    return item_uid(course.id, kind, item_id)


def _events(
    course: Course, kinds: set[str], alarms: Sequence[dt.timedelta], expand: bool, zone: zoneinfo.ZoneInfo
) -> Iterator[tuple[str, Callable[[], icalendar.Event]]]:
    """Each event of the course with its kind, as a function that makes it (when and where it is written)."""
    for session in sorted(course.sessions, key=lambda s: s.date):
        kind = EXPORT_KIND[session.kind]
        if kind not in kinds:
            continue
        if session.kind == "break":
            yield kind, functools.partial(_break_event, course, session)
        else:
            own_alarms = alarms if session.kind == "exam" else ()
            yield kind, functools.partial(_session_event, course, session, zone, own_alarms)
    for meeting in weekly_meetings(course):
        if meeting.id in kinds:
            for make in _meeting_events(course, meeting, expand, zone):
                yield meeting.id, make
    if "deadlines" in kinds:
        for deadline in course.deadlines:
            if deadline.due is not None:
                yield "deadlines", functools.partial(_deadline_event, course, deadline, zone, alarms)


def _deadline_event(
    course: Course, deadline: Deadline, zone: zoneinfo.ZoneInfo, alarms: Sequence[dt.timedelta]
) -> icalendar.Event:
    event = _Event()
    event.add("UID", _uid(course, "deadline", deadline.id))
    event.add("SUMMARY", f"Due: {deadline.title}")
    if deadline.day_only:
        event.add("DTSTART", deadline.day(zone))  # due that day: a date, not an invented time
    else:
        event.add("DTSTART", cast(dt.datetime, deadline.due).astimezone(zone))
    event.add("TRANSP", "TRANSPARENT")
    lines = [deadline.submission and f"Hand in {deadline.submission}.", deadline.note, course.title]
    event.add("DESCRIPTION", "\n".join(x for x in lines if x))
    _add_alarms(event, alarms, f"{deadline.title} is due")
    return event


def _add_alarms(event: icalendar.Event, alarms: Sequence[dt.timedelta], what: str) -> None:
    for before in alarms:
        alarm = _Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", f"{what} in {format_duration(before)}")
        alarm.add("TRIGGER", -before)
        event.add_component(alarm)


def _session_event(
    course: Course, session: Session, zone: zoneinfo.ZoneInfo, alarms: Sequence[dt.timedelta]
) -> icalendar.Event:
    where = slot(course, session)
    event = _Event()
    event.add("UID", _uid(course, "session", session.id))
    event.add("SUMMARY", _summary(session))
    start, end = span(course, session.date, where.start, where.end)
    event.add("DTSTART", start.astimezone(zone))
    event.add("DTEND", end.astimezone(zone))
    if where.location:
        event.add("LOCATION", where.location)
    if session.slides:
        event.add("URL", session.slides)
    if session.cancelled:
        # Kept, not dropped: a calendar that imported the class updates it instead of keeping a ghost.
        event.add("STATUS", "CANCELLED")
    event.add("DESCRIPTION", _session_description(course, session))
    if not session.cancelled:
        _add_alarms(event, alarms, f"{_summary(session)} starts")
    return event


def _summary(session: Session) -> str:
    speaker = ", ".join(x for x in (session.speaker, session.affiliation) if x)
    if session.title is None:
        return session.display_title
    text = f"{session.label}: {session.title}" if session.label else session.title
    return f"{text} (guest: {speaker})" if speaker else text


def _session_description(course: Course, session: Session) -> str:
    lines = [f"{course.title}, week {session.week}."]
    if session.cancelled:
        lines.append("Cancelled.")
    if session.note:
        lines.append(session.note)
    if session.slides:
        lines.append(f"Slides: {session.slides}")
    reading_list = course.reading_list(session.refs) if session.refs else None
    if reading_list:
        lines.append("Reading list:")
        lines += [
            f"{e.number}. {e.reference.title}" + (f" <{e.reference.url}>" if e.reference.url else "")
            for e in entries(reading_list)
        ]
    return "\n".join(lines)


def _break_event(course: Course, session: Session) -> icalendar.Event:
    first = session.first_day or session.date
    last = session.last_day or session.date
    event = _Event()
    event.add("UID", _uid(course, "session", session.id))
    event.add("SUMMARY", session.display_title)
    event.add("DTSTART", first)
    event.add("DTEND", last + dt.timedelta(days=1))  # exclusive: exactly the days of the break
    event.add("TRANSP", "TRANSPARENT")
    if first == last:
        when = "this day"
    elif first.weekday() == 0 and (last - first).days == 6:
        when = "this week"
    else:
        when = f"from {first:%A %Y-%m-%d} to {last:%A %Y-%m-%d}"
    notes = [f"{course.title}: no lecture, tutoring or office hours {when}.", session.note or ""]
    event.add("DESCRIPTION", "\n".join(n for n in notes if n))
    return event


def _meeting_events(
    course: Course, meeting: Meeting, expand: bool, zone: zoneinfo.ZoneInfo
) -> Iterator[Callable[[], icalendar.Event]]:
    weeks = weekly_dates(course, meeting)
    if not weeks:
        return
    held = meeting_dates(course, meeting)
    title = meeting.title + (" (optional)" if meeting.optional else "")
    description = f"{course.title}: {meeting.title}, weekly except in break weeks" + (
        " (optional)." if meeting.optional else "."
    )

    def occurrence(uid: str, day: dt.date) -> icalendar.Event:
        event = _Event()
        event.add("UID", uid)
        event.add("SUMMARY", title)
        start, end = span(course, day, meeting.start, meeting.end)
        event.add("DTSTART", start.astimezone(zone))
        event.add("DTEND", end.astimezone(zone))
        if meeting.location:
            event.add("LOCATION", meeting.location)
        event.add("DESCRIPTION", description)
        return event

    if expand:
        for day in held:
            yield functools.partial(occurrence, _uid(course, f"meeting-{meeting.id}", day.isoformat()), day)
        return

    def weekly() -> icalendar.Event:
        event = occurrence(_uid(course, "meeting", meeting.id), weeks[0])
        # UNTIL is in UTC because DTSTART has a TZID (RFC 5545, 3.3.10).
        event.add("RRULE", {"FREQ": "WEEKLY", "UNTIL": at(course, weeks[-1], meeting.start)})
        for day in sorted(set(weeks) - set(held)):
            event.add("EXDATE", at(course, day, meeting.start).astimezone(zone))
        return event

    yield weekly


# -- VTIMEZONE -----------------------------------------------------------------------------


def vtimezone(zone: zoneinfo.ZoneInfo, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The zone's observances from a year before the term to a year after it, one component each.

    One STANDARD or DAYLIGHT component per transition, each with its own DTSTART and a one-value
    RDATE, never a list: vobject (gcalcli, Radicale) keeps only the first RDATE of a list and
    Outlook mishandles them, while every reader understands this form. DTSTART is the local time of the onset in the
    offset before it, as RFC 5545 asks (2019-03-10T02:00:00 for EDT).
    """
    start = dt.datetime(first.year - 1, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime(last.year + 2, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    timezone = icalendar.Timezone()
    timezone.add("TZID", zone.key)
    previous_offset = _offset(zone, start)
    timezone.add_component(_observance(zone, start, previous_offset, previous_offset))
    for moment in _transitions(zone, start, end):
        offset = _offset(zone, moment)
        timezone.add_component(_observance(zone, moment, previous_offset, offset))
        previous_offset = offset
    return timezone


def _offset(zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(zone).utcoffset() or dt.timedelta()


def _transitions(zone: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime) -> Iterable[dt.datetime]:
    """The UTC moments the zone's offset changes, found day by day, then to the minute."""
    day = start
    while day < end:
        following = day + dt.timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            low, high = day, following
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == _offset(zone, low) else (low, middle)
            yield high.replace(second=0, microsecond=0)
        day = following


def _observance(
    zone: zoneinfo.ZoneInfo, moment: dt.datetime, before: dt.timedelta, after: dt.timedelta
) -> icalendar.cal.Component:
    local = moment.astimezone(zone)
    daylight = bool(local.dst())
    component = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
    onset = (moment + before).replace(tzinfo=None)
    component.add("DTSTART", onset)
    # One RDATE equal to DTSTART: a strict reader (the `ical` package) ignores an observance with
    # neither RDATE nor RRULE in a zone it does not know, and vobject and ical.js read only the
    # first value of an RDATE list, so a single value is read alike by all.
    component.add("RDATE", onset)
    component.add("TZOFFSETFROM", before)
    component.add("TZOFFSETTO", after)
    component.add("TZNAME", local.tzname() or zone.key)
    return component
