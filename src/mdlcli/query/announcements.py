"""What the instructors said lately: the announcement a view shows beside its answer."""

import datetime as dt
from collections.abc import Sequence

from mdlcli.model import Announcement, Course
from mdlcli.record import Record

# How long an announcement stays news in `next` and `agenda` (the page lists them all).
RECENT = dt.timedelta(days=14)


class Latest(Record):
    course: str
    announcement: Announcement


def latest_announcements(courses: Sequence[Course], now: dt.datetime, zone: dt.tzinfo) -> list[Latest]:
    """Each course's newest announcement of the last two weeks up to today, newest first."""
    today = now.astimezone(zone).date()
    # A course holds its announcements newest first; one dated ahead is not made yet.
    newest = ((c.id, next((a for a in c.announcements if a.date <= today), None)) for c in courses)
    found = [Latest(course, a) for course, a in newest if a is not None and today - RECENT < a.date]
    return sorted(found, key=lambda latest: latest.announcement.date, reverse=True)
