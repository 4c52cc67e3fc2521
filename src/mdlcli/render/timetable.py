"""When things happen, as blocks: the schedule, what is next, the agenda."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from mdlcli.model import Session
from mdlcli.query import (
    AgendaEntry,
    Latest,
    NextItem,
    Note,
    Placed,
)
from mdlcli.timeutil import format_clock, format_day, format_duration, format_moment, format_span

from .blocks import (
    WEEKDAY_NAMES,
    Block,
    Cell,
    Heading,
    Line,
    Records,
    Row,
    Short,
    Style,
    Url,
    due_cell,
    due_iso,
    iso,
    with_course,
)

# -- schedule ------------------------------------------------------------------------------


def schedule(
    placed: Sequence[Placed],
    upcoming: Placed | None,
    now: dt.datetime,
    zone: dt.tzinfo,
    title: str,
    *,
    multi: bool = False,
    upcoming_each: Sequence[Placed] = (),
) -> list[Block]:
    """`upcoming` is marked next; among several courses (`multi`), each course's next in `upcoming_each`."""
    if not placed:
        return [Line("No sessions match.", "muted")]
    rows = []
    for p in placed:
        s = p.session
        # Shown in the display zone: 19:10 in New York is already Thursday in Paris.
        day = p.start.astimezone(zone).date() if p.start else s.date
        when = "next" if p is upcoming or p in upcoming_each else ("past" if p.over <= now else "")
        when = "cancelled" if s.cancelled else when
        span = format_span(p.start, p.end, zone) if p.start and p.end else ""
        cells: tuple[Cell, ...] = (
            str(s.week),
            Short(format_day(day), format_day(day, short=True)),
            # On a terminal the room joins the time: 19:10–21:00 EST · CIWW 102.
            _break_days(s) if s.kind == "break" else Short(span, " · ".join(x for x in (span, p.location) if x)),
            Short(s.kind, {"guest-lecture": "guest", "lecture": ""}.get(s.kind, s.kind)),
            s.label or "",
            _title_cell(s),
            _speaker(s),
            Url("slides", s.slides, named=False) if s.slides else "",
            s.refs if s.refs and s.kind != "break" else "",
            p.location or "",
            s.note or "",
            Short(when, {"next": "◀ next", "cancelled": "✗ cancelled"}.get(when, "")),
        )
        style: Style = (
            "muted" if when == "cancelled" else ("next" if when == "next" else ("past" if when == "past" else None))
        )
        rows.append(Row(cells, style))
    columns = ("wk", "date", "time", "kind", "label", "title", "speaker", "slides", "reading", "room", "note", "")
    table = Records(columns, tuple(rows), title=title, flexible=("title", "note"), hidden=("kind", "speaker", "room"))
    return [with_course(table, [p.course for p in placed]) if multi else table]


_SESSION_STYLE: dict[str, Style] = {"next": "next", "past": "past", "cancelled": "muted"}


def _break_days(s: Session) -> Short:
    """A break's extent: `all day`, or its first and last day."""
    first, last = s.first_day or s.date, s.last_day or s.date
    if first == last:
        return Short("all day", "all day")
    return Short(f"{format_day(first)} – {format_day(last)}", f"to {format_day(last, short=True)}")


def _title_cell(s: Session) -> Short:
    """The title; on a terminal, with the speaker folded in, as the kind and speaker columns are hidden."""
    if s.title is None:
        return Short("Guest lecture" if s.speaker else s.display_title, s.display_title)
    guest = f" — guest: {_speaker(s)}" if s.speaker else ""
    return Short(s.title, s.title + guest)


def _speaker(session: Session) -> str:
    if not session.speaker:
        return ""
    return f"{session.speaker} ({session.affiliation})" if session.affiliation else session.speaker


def session_json(p: Placed, zone: dt.tzinfo) -> dict[str, Any]:
    s = p.session
    return {
        "course": p.course,
        "id": s.id,
        "week": s.week,
        "date": s.date.isoformat(),
        "weekday": WEEKDAY_NAMES[s.date.weekday()],
        "kind": s.kind,
        "label": s.label,
        "title": s.display_title,
        "speaker": s.speaker,
        "affiliation": s.affiliation,
        "start": iso(p.start, zone),
        "end": iso(p.end, zone),
        "location": p.location,
        "slides": s.slides,
        "refs": s.refs if s.kind != "break" else None,
        "cancelled": s.cancelled,
        "note": s.note,
        "first_day": s.first_day.isoformat() if s.first_day else None,
        "last_day": s.last_day.isoformat() if s.last_day else None,
    }


# -- next ----------------------------------------------------------------------------------


def announcement_lines(latest: Sequence[Latest], *, multi: bool = False) -> list[Line]:
    """Each course's latest announcement, a line each: `announcement<TAB>Wed 2019-02-20: Room change`."""
    return [
        Line(f"{format_day(x.announcement.date)}: {x.announcement.title}", None, x.course if multi else "announcement")
        for x in latest
    ]


def announcements_json(latest: Sequence[Latest]) -> list[dict[str, Any]]:
    return [
        {"course": x.course, "date": x.announcement.date.isoformat(), "title": x.announcement.title,
         "text": x.announcement.text}
        for x in latest
    ]  # fmt: skip


def upcoming(
    items: Sequence[NextItem],
    now: dt.datetime,
    zone: dt.tzinfo,
    notes: Sequence[Note],
    *,
    multi: bool = False,
    latest: Sequence[Latest] = (),
) -> list[Block]:
    blocks: list[Block] = [Heading(f"Next, from {format_moment(now, zone)}"), *announcement_lines(latest, multi=multi)]
    # Among several courses a line's first field is its course; alone, the note says what it is.
    blocks += [Line(n.text, "warning", n.course if multi else n.kind) for n in notes]
    rows: list[Row] = []
    for item in items:
        if item.start is None:
            rows.append(Row((item.what, item.title, "date TBA", "", ""), "muted"))
            continue
        if item.cancelled:
            countdown = "cancelled" + (f": {item.note}" if item.note else "")
        elif item.end and item.under_way(now):
            countdown = "now, until " + format_clock(item.end, zone)
        else:
            countdown = "in " + format_duration(item.start - now)
        when = due_cell(item.start, zone, day_only=item.day_only)
        cells = (item.what, item.title, when, countdown, item.location or "")
        rows.append(Row(cells, "muted" if item.cancelled else None))
    if rows:
        columns = ("what", "title", "when", "countdown", "where")
        # A countdown is one phrase: it never wraps ("in 21 h 30 / min"), the title and room do.
        table = Records(columns, tuple(rows), flexible=("title", "where"))
        blocks.append(with_course(table, [i.course for i in items]) if multi else table)
    return blocks


def upcoming_json(
    items: Sequence[NextItem], now: dt.datetime, zone: dt.tzinfo, notes: Sequence[Note], latest: Sequence[Latest] = ()
) -> dict[str, Any]:
    return {
        "now": now.astimezone(zone).isoformat(),
        "announcements": announcements_json(latest),
        "ended": " ".join(n.text for n in notes if n.kind == "ended") or None,
        "ended_courses": [n.course for n in notes if n.kind == "ended"],
        "still_due": " ".join(n.text for n in notes if n.kind == "due") or None,
        "items": [
            {
                "course": i.course,
                "what": i.what,
                "title": i.title,
                "start": due_iso(i.start, zone, day_only=i.day_only),
                "end": iso(i.end, zone),
                "day_only": i.day_only,
                "location": i.location,
                "seconds_left": int((i.start - now).total_seconds()) if i.start else None,
                "cancelled": i.cancelled,
                "note": i.note,
            }
            for i in items
        ],
    }


# -- agenda ---------------------------------------------------------------------------------------


def agenda(
    entries: Sequence[AgendaEntry],
    first: dt.date,
    last: dt.date,
    zone: dt.tzinfo,
    *,
    multi: bool = False,
    latest: Sequence[Latest] = (),
) -> list[Block]:
    """Day by day; a pipe gets one record an entry, its day first (its course first among several)."""
    blocks: list[Block] = [
        Heading(f"Agenda, {format_day(first)} to {format_day(last)}"),
        *announcement_lines(latest, multi=multi),
    ]
    if not entries:
        return [*blocks, Line(f"Nothing from {format_day(first)} to {format_day(last)}.", "muted")]
    columns = ("day", "time", "what", "title", "where", "note")
    every_row = [Row((e.day.isoformat(), e.when(zone), *_agenda_cells(e)), _agenda_style(e)) for e in entries]
    every_day = Records(columns, tuple(every_row), flexible=("title", "where", "note"), hidden=("day",), header=False)
    if multi:
        every_day = with_course(every_day, [e.course for e in entries])
    for day in sorted({e.day for e in entries}):
        todays = tuple(row for row, e in zip(every_day.rows, entries, strict=True) if e.day == day)
        blocks.append(every_day._replace(rows=todays, title=format_day(day), aligned_with=every_day.rows))
    return blocks


def _agenda_cells(e: AgendaEntry) -> tuple[str, str, str, str]:
    what = "cancelled " + e.kind if e.cancelled else ("done " + e.kind if e.done else e.kind)
    return what.replace("-", " "), e.title, e.location or "", e.note or ""


def _agenda_style(e: AgendaEntry) -> Style:
    if e.cancelled or e.done:
        return "muted"
    return "urgent" if e.kind in ("deadline", "exam") else ("muted" if e.kind == "break" else None)


def agenda_json(entries: Sequence[AgendaEntry], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "course": e.course,
            "day": e.day.isoformat(),
            "start": iso(e.start, zone),
            "end": iso(e.end, zone),
            "kind": e.kind,
            "title": e.title,
            "location": e.location,
            "cancelled": e.cancelled,
            "done": e.done,
            "note": e.note,
        }
        for e in entries
    ]
