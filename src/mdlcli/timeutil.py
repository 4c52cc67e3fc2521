"""Time: parse what users type, find zones, format countdowns. Nothing here reads the clock."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from .errors import UsageError

# The years a course's dates and a pretended now may fall in: every moment of them, and the
# calendar's time-zone block a year either side, can be computed in any zone without leaving
# the range of Python's datetime.
FIRST_YEAR, LAST_YEAR = 1900, 2199
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")

NOW_FORMS = "ISO 8601, e.g. 2019-02-25, 2019-02-25T12:00, 2019-02-25T17:00Z or 2019-02-25T12:00-05:00"


def parse_now(value: str, zone: dt.tzinfo, source: str = "--now") -> dt.datetime:
    """An ISO 8601 date or date-time, as UTC; without an offset it is a time in `zone` (a date: midnight)."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{source}: {value!r} is not a date or time; use {NOW_FORMS}") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise UsageError(f"{source}: {value!r} is outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(dt.UTC)


def parse_date(value: str, source: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{source}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2019-02-25") from None


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of that name, or None: not a name, a folder of the database (Europe), absurdly long."""
    if len(name) > 64 or not _ZONE_NAME.fullmatch(name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of the database
        return None


def display_zone(name: str | None, course_zone_name: str, source: str = "--tz") -> dt.tzinfo:
    """The zone to show times in: the course's, an IANA name, or `local` (this machine's, with DST)."""
    if name is None:
        return zoneinfo.ZoneInfo(course_zone_name)
    if name.lower() == "local":
        from dateutil import tz as dateutil_tz

        return dateutil_tz.tzlocal()
    found = zone_named(name)
    if found is None:
        raise UsageError(
            f"{source}: {name!r} is not a known time zone; use an IANA name such as Europe/Paris, or local"
        )
    return found


def format_clock(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """`19:10 EST`: the wall time in `zone` with the zone's abbreviation (EST or EDT by date)."""
    local = moment.astimezone(zone)
    return f"{local:%H:%M} {local.tzname()}"


def format_span(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    return f"{local_start:%H:%M}–{local_end:%H:%M} {local_start.tzname()}"


def format_moment(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """`Wed 2019-05-01 23:59 EDT`."""
    local = moment.astimezone(zone)
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"


def format_duration(delta: dt.timedelta) -> str:
    """A true elapsed time, as `11 days 11 h 59 min` (`1 day`, `45 min`); sign is the caller's."""
    total_minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def format_age(earlier: dt.datetime, later: dt.datetime) -> str:
    """How long ago: a long span in calendar terms (`7 years 6 months`), a short one as a duration."""
    if later - earlier < dt.timedelta(days=60):
        return format_duration(later - earlier)
    from dateutil.relativedelta import relativedelta

    span = relativedelta(later, earlier)
    parts = []
    if span.years:
        parts.append(f"{span.years} year{'s' if span.years != 1 else ''}")
    if span.months:
        parts.append(f"{span.months} month{'s' if span.months != 1 else ''}")
    if not span.years and span.days:
        parts.append(f"{span.days} day{'s' if span.days != 1 else ''}")
    return " ".join(parts)
