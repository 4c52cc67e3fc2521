"""The calendar exporter (ics.py) on a small course, read back with icalendar."""

from __future__ import annotations

import datetime as dt

import icalendar

from mdlcli import ics
from mdlcli.query.kinds import kinds_of

from .fixture import course

STAMP = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)


def exported() -> icalendar.Calendar:
    chosen = course()
    made = ics.export([chosen], kinds=set(kinds_of([chosen])), stamp=STAMP, modified={chosen.id: STAMP})
    return icalendar.Calendar.from_ical(made.data)


def test_each_session_and_deadline_is_one_event_in_the_courses_zone() -> None:
    events = {str(e["UID"]).split("@")[0]: e for e in exported().walk("VEVENT")}
    lecture = next(e for uid, e in events.items() if "l1" in uid)
    assert lecture.decoded("DTSTART") == dt.datetime(2024, 10, 21, 10, 0, tzinfo=lecture.decoded("DTSTART").tzinfo)
    assert lecture["DTSTART"].params["TZID"] == "Europe/London"
    cancelled = next(e for uid, e in events.items() if "l2" in uid)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert any("hw" in uid for uid in events)


def test_the_same_course_exports_the_same_bytes() -> None:
    assert exported().to_ical() == exported().to_ical()
