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
# Patterns are compiled where first used (re keeps them): compiled at import, every command paid.
_ZONE_NAME = r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*"

NOW_FORMS = (
    "ISO 8601 (2019-02-25, 2019-02-25T12:00, 2019-02-25T17:00Z), today, tomorrow, yesterday, +3d, -1w or a weekday"
)
_SHIFT = r"([+-])([0-9]{1,4})([dw])"
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def relative_day(value: str, today: dt.date) -> dt.date | None:
    """today, tomorrow, yesterday, +3d, -1w, or a weekday (the next one, mon or monday); else None."""
    word = value.strip().lower()
    named = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in named:
        return today + dt.timedelta(days=named[word])
    shift = re.fullmatch(_SHIFT, word)
    if shift:
        sign, count, unit = shift.groups()
        days = int(count) * (7 if unit == "w" else 1)
        return today + dt.timedelta(days=days if sign == "+" else -days)
    for index, name in enumerate(_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return today + dt.timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    return None


def parse_now(value: str, zone: dt.tzinfo, source: str, clock: dt.datetime) -> dt.datetime:
    """A moment, as UTC: ISO 8601 (without an offset, a time in `zone`; a date, its midnight), or a
    day relative to `clock` (tomorrow, +3d, friday), at the clock's time of day."""
    local = clock.astimezone(zone)
    day = relative_day(value, local.date())
    if day is not None:
        parsed = dt.datetime.combine(day, local.time().replace(tzinfo=None))
    else:
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"{source}: {value!r} is not a date or time; use {NOW_FORMS}") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise UsageError(f"{source}: {value!r} is outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(dt.UTC)


def parse_date(value: str, source: str, today: dt.date | None = None) -> dt.date:
    """A day: ISO (2019-02-25) or relative to `today` (today, tomorrow, +3d, -1w, friday)."""
    day = relative_day(value, today) if today is not None else None
    if day is None:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(
                f"{source}: {value!r} is not a date; use YYYY-MM-DD, today, tomorrow, yesterday, +3d, -1w or a weekday"
            ) from None
    check_year(day, source, value)
    return day


def check_year(day: dt.date, source: str, value: str | None = None) -> None:
    """A usage error naming `source` when `day` is outside the years mdl computes in."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        given = f"{value!r} is" if value is not None else f"the window reaches {day},"
        raise UsageError(f"{source}: {given} outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})")


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of that name, or None: not a name, a folder of the database (Europe), absurdly long."""
    if len(name) > 64 or not re.fullmatch(_ZONE_NAME, name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of the database
        return None


def display_zone(name: str | None, course_zone_name: str, source: str = "--tz") -> dt.tzinfo:
    """The zone to show times in: the course's, an IANA name (any case, or a city alone when only one
    zone has it: London, paris), or `local` (this machine's, with DST)."""
    if name is None:
        return zoneinfo.ZoneInfo(course_zone_name)
    if name.lower() == "local":
        from dateutil import tz as dateutil_tz

        return dateutil_tz.tzlocal()
    found = zone_named(name)
    if found is not None:
        return found
    return zoneinfo.ZoneInfo(_forgiving_zone(name, source))


def _forgiving_zone(name: str, source: str) -> str:
    """The one zone that a name means ignoring case, or a city of; else a usage error with the closest."""
    import difflib

    wanted = name.strip().lower().replace(" ", "_")
    zones = sorted(zoneinfo.available_timezones())
    exact = [z for z in zones if z.lower() == wanted]
    cities = [z for z in zones if "/" in z and z.rsplit("/", 1)[1].lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(cities) == 1:
        return cities[0]
    if len(cities) > 1:
        raise UsageError(f"{source}: {name!r} could be {', '.join(cities)}; name one")
    close = difflib.get_close_matches(
        wanted, [z.lower() for z in zones] + [z.rsplit("/", 1)[-1].lower() for z in zones], n=3, cutoff=0.6
    )
    names = {z.lower(): z for z in zones} | {z.rsplit("/", 1)[-1].lower(): z for z in zones}
    hint = f"; did you mean {', '.join(dict.fromkeys(names[c] for c in close))}?" if close else ""
    shown = name if len(name) <= 40 else name[:37] + "..."
    raise UsageError(
        f"{source}: {shown!r} is not a known time zone{hint} (an IANA name such as Europe/Paris, or local)"
    )


def format_clock(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """`19:10 EST`: the wall time in `zone` with the zone's abbreviation (EST or EDT by date)."""
    local = moment.astimezone(zone)
    return f"{local:%H:%M} {local.tzname()}"


def format_span(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    return f"{local_start:%H:%M}–{local_end:%H:%M} {local_start.tzname()}"


def format_day(day: dt.date, *, short: bool = False) -> str:
    """`Wed 2019-05-01`, the one way mdl writes a day; `short` (a narrow terminal) drops the year
    only when the day is in the present year, so a 2019 course never reads as this year's."""
    if short and day.year == dt.date.today().year:
        return f"{_WEEKDAY_ABBREVIATIONS[day.weekday()]} {day.month:02}-{day.day:02}"
    return f"{_WEEKDAY_ABBREVIATIONS[day.weekday()]} {day.isoformat()}"


def format_moment(moment: dt.datetime, zone: dt.tzinfo, *, short: bool = False) -> str:
    """`Wed 2019-05-01 23:59 EDT`: weekday, date, time and zone, the one way mdl writes a moment."""
    local = moment.astimezone(zone)
    return f"{format_day(local.date(), short=short)} {local:%H:%M} {local.tzname()}"


# English whatever the locale, as the rest of mdl's output is.
_WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_duration(delta: dt.timedelta) -> str:
    """A true elapsed time, as `11 days 11 h 59 min` (`1 day`, `45 min`); sign is the caller's."""
    total_minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_units(days, "day"))
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def format_age(earlier: dt.datetime, later: dt.datetime) -> str:
    """How long ago: a long span in calendar terms (`7 years 6 months`), a short one as a duration."""
    if later - earlier < dt.timedelta(days=60):
        return format_duration(later - earlier)
    # Whole calendar months from `earlier`, a month's day clipped to its length (31 January and
    # one month is 28 February), then the days left over.
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if _months_after(earlier, months) > later:
        months -= 1
    years, months = divmod(months, 12)
    days = (later - _months_after(earlier, years * 12 + months)).days
    shown = [(years, "year"), (months, "month"), (0 if years else days, "day")]
    return " ".join(_units(n, unit) for n, unit in shown if n)


def _units(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}"


def _months_after(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    first = dt.date(moment.year + year, month + 1, 1)
    length = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days
    return moment.replace(year=first.year, month=first.month, day=min(moment.day, length))


_DURATION = re.compile(r"([0-9]+)([wdhm])")
_MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
_LONGEST_LEAD_MINUTES = 52 * 7 * 24 * 60


def parse_lead(text: str, option: str) -> dt.timedelta:
    """`2d`, `3h`, `45m`, `1w` or combinations such as `1d12h`: how long before a moment (an
    alarm of `export-ics`, a reminder of `remind`)."""
    value = text.strip().lower()
    parts = _DURATION.findall(value)
    if not value or "".join(n + u for n, u in parts) != value:
        raise UsageError(f"{option}: {text!r} is not a duration; use e.g. 2d, 3h, 45m, 1w or 1d12h")
    minutes = sum(int(number) * _MINUTES[unit] for number, unit in parts)
    if minutes <= 0:
        raise UsageError(f"{option}: {text!r} is no time at all; give a positive duration")
    if minutes > _LONGEST_LEAD_MINUTES:
        raise UsageError(f"{option}: {text!r} is more than a year; remind at most 52w before")
    return dt.timedelta(minutes=minutes)
