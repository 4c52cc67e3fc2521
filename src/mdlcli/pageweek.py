"""What the course page says about "now": this week, the next session, what is due soon.

The page says it twice from the same facts: once when it is built (for readers without scripts,
and for search engines), and again where it is read, by a small script (`week.js`) over the
facts embedded in the page (`week_facts`), so that a page built in January is still right in
March. Both follow the rules here: the week is Monday to Sunday in course time, as `mdl agenda
--from MONDAY --to SUNDAY` lists it; countdowns are `in_words`, as `mdl remind` says them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from .model import Course
from .query import AgendaEntry, agenda, monday_of, zone_of
from .query.reminders import in_words
from .record import Record
from .timeutil import format_day

# How far ahead the "Due soon" block looks.
DUE_SOON = dt.timedelta(days=14)


class WeekItem(TypedDict):
    """One entry of the agenda as the page shows it, and as the script reads it (JSON)."""

    day: str  # ISO
    date: str  # "Wed 2019-02-27"
    when: str  # "19:10–21:00 EST", "due 23:59 EST", "due that day", "all day"
    kind: str
    title: str
    where: str | None
    cancelled: bool
    session: bool  # a dated session of the course, which "next" may point at (not a weekly meeting)
    start: str | None  # the moments, ISO with their offsets
    end: str | None
    due: str | None  # when a deadline or an exam is due, which "Due soon" counts down to


def week_items(course: Course) -> list[WeekItem]:
    """Every entry of the course's agenda, over its whole span, in the agenda's order."""
    zone = zone_of(course)
    everything = agenda([course], dt.date.min, dt.date.max, zone)
    return [_item(e, zone, not e.weekly and e.kind not in ("deadline", "break")) for e in everything]


def _item(e: AgendaEntry, zone: dt.tzinfo, session: bool) -> WeekItem:
    due = None
    if e.kind in ("deadline", "exam"):
        # A day-only deadline is due when its day ends, as `mdl deadlines` counts down to it.
        end_of_day = dt.datetime.combine(e.day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        due = e.start or end_of_day
    return WeekItem(
        day=e.day.isoformat(),
        date=format_day(e.day),
        when=e.when(zone),
        kind=e.kind.replace("-", " "),
        title=e.title,
        where=e.location,
        cancelled=e.cancelled,
        session=session,
        start=_iso(e.start, zone),
        end=_iso(e.end, zone),
        due=_iso(due, zone),
    )


def _iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment else None


def week_facts(course: Course, items: list[WeekItem]) -> dict[str, Any]:
    """What the script needs: the zone, the term and every item, each without what the script
    works out itself (its date's name) or does not use (its end), and without empty fields."""
    return {
        "zone": course.timezone,
        "term": [course.term_start.isoformat(), course.term_end.isoformat()],
        "soon_days": DUE_SOON.days,
        "items": [{k: v for k, v in i.items() if v and k not in _NOT_FOR_THE_SCRIPT} for i in items],
    }


_NOT_FOR_THE_SCRIPT = ("date", "end")


class WeekView(Record):
    """What the "This week" block says at one moment."""

    first: str  # the week's Monday, "Mon 2019-02-25"
    last: str  # its Sunday
    items: list[WeekItem]  # that week's
    before: str | None  # before the term: the day it starts
    after: str | None  # after the term, with nothing that week: the day it ended
    next: WeekItem | None  # the next session, once none of this week's is still ahead


def week_view(course: Course, items: list[WeekItem], now: dt.datetime) -> WeekView:
    today = now.astimezone(zone_of(course)).date()
    monday = monday_of(today)
    sunday = monday + dt.timedelta(days=6)
    shown = [i for i in items if monday.isoformat() <= i["day"] <= sunday.isoformat()]
    ahead = [i for i in items if i["session"] and not i["cancelled"] and _moment(i["start"]) > now]
    this_week_ahead = any(i in ahead for i in shown)
    return WeekView(
        first=format_day(monday),
        last=format_day(sunday),
        items=shown,
        before=format_day(course.term_start) if today < course.term_start else None,
        after=format_day(course.term_end) if today > course.term_end and not shown else None,
        next=ahead[0] if ahead and not this_week_ahead else None,
    )


def due_soon(items: list[WeekItem], now: dt.datetime) -> list[tuple[WeekItem, str]]:
    """What is due from `now` to two weeks on, each with how long until it ("in 3 days")."""
    return [
        (i, f"in {in_words(_moment(i['due']) - now)}")
        for i in items
        if i["due"] and not i["cancelled"] and now <= _moment(i["due"]) <= now + DUE_SOON
    ]


def _moment(value: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if value else dt.datetime.min.replace(tzinfo=dt.UTC)
