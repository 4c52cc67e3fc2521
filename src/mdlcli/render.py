"""Views: query results → blocks, shown as plain rows (piped), JSON, or Rich (see richview.py).

A view is built once as a list of blocks; `plain()` writes them for pipes (tab-separated, one
record a line, nothing truncated) and `richview.to_rich()` draws the same blocks on a terminal,
so the two outputs cannot drift apart. This module does not import Rich: a piped `mdl` never
pays for it. Text from a course file is data: it is made safe in one place where it leaves, in
`plain()` for a pipe and in richview's `_text()` for a terminal, and never parsed as markup.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .model import WEEKDAYS, Course, Diagnostic, Meeting, Reference, Session
from .query import (
    AgendaEntry,
    Clash,
    DeadlineView,
    Hit,
    NextItem,
    Note,
    Placed,
    ReadingTarget,
    RefEntry,
    TermProgress,
    entries,
    meeting_times,
)

if TYPE_CHECKING:
    from .semester import Status, Updated
from .record import Record
from .textsafe import clean
from .timeutil import format_age, format_clock, format_day, format_duration, format_moment, format_span

Style = Literal["past", "next", "urgent", "warning", "error", "muted", "title", "bold"] | None


# -- blocks --------------------------------------------------------------------------------


class Url(Record):
    """A cell or line that is a web address: a link on a terminal, the address itself in a pipe."""

    text: str
    url: str
    named: bool = True  # False: the text only says what the link is ("slides"); a pipe gets the address alone


class Bar(Record):
    """How much of a span has passed: a bar on a terminal, a percentage in a pipe."""

    fraction: float


class Short(Record):
    """A cell with a compact form for a terminal's narrow columns; pipes get the full text."""

    full: str
    short: str


Cell = str | Url | Bar | Short


class Heading(Record):
    """A title on a terminal; in plain output a `record<TAB>text` line if `record` is set."""

    text: str
    record: str | None = None


class Line(Record):
    """A line of text; `record` names it in plain output (`record<TAB>text`), None prints it bare."""

    text: Cell
    style: Style = None
    record: str | None = None


class Row(Record):
    cells: tuple[Cell, ...]
    style: Style = None


class Records(Record):
    """A table; in plain output each row is one tab-separated line, prefixed by `record` if set."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    title: str | None = None
    record: str | None = None
    # On a terminal, only these columns may wrap, between words (all of them when empty) ...
    flexible: tuple[str, ...] = ()
    # ... and these are not drawn (their facts shown in another cell's short form).
    hidden: tuple[str, ...] = ()
    # The column a record is named by when a narrow terminal stacks the rows (default: the
    # first flexible one).
    headline: str | None = None
    # On a terminal, > 0 draws each row as an entry: that many leading cells as its marker, the
    # next cell as a headline, the other texts on one line below it, links under them.
    stacked: int = 0
    header: bool = True  # column names on a terminal (off where a title says enough)
    # Rows of sibling tables (the agenda's other days) that the columns are sized for too, so
    # that one table's columns line up with the next one's; never drawn here.
    aligned_with: tuple[Row, ...] = ()


class Node(Record):
    text: Cell
    children: tuple["Node", ...] = ()
    style: Style = None


class Tree(Record):
    """A tree; in plain output each leaf is one line, `record`, then its path of ancestors."""

    root: Node
    record: str


Block = Heading | Line | Records | Tree


# -- text hygiene --------------------------------------------------------------------------


def _fields(cell: Cell) -> list[str]:
    """A cell's plain fields: a link's name (if it has one) and whole address, a bar's percentage,
    a short cell's full text."""
    if isinstance(cell, Url):
        return [cell.text, cell.url] if cell.named and cell.text != cell.url else [cell.url]
    if isinstance(cell, Bar):
        return [f"{round(cell.fraction * 100)}%"]
    if isinstance(cell, Short):
        return [cell.full]
    return [cell]


def plain(blocks: Iterable[Block]) -> str:
    """Blocks as lines for pipes: tab-separated fields, tabs inside a field turned to spaces."""
    lines: list[str] = []

    def emit(record: str | None, fields: Sequence[Cell]) -> None:
        # Every field leaves here on one line, its control characters shown, never obeyed.
        texts = [clean(text) for cell in fields for text in _fields(cell)]
        lines.append("\t".join(([record] if record else []) + texts))

    def walk(node: Node, ancestors: list[Cell], record: str) -> None:
        if not node.children:
            emit(record, [*ancestors, node.text])
        for child in node.children:
            walk(child, [*ancestors, node.text], record)

    for block in blocks:
        if isinstance(block, Heading):
            if block.record:
                emit(block.record, [block.text])
        elif isinstance(block, Line):
            emit(block.record, [block.text])
        elif isinstance(block, Records):
            for row in block.rows:
                emit(block.record, row.cells)
        elif isinstance(block, Tree):
            for child in block.root.children:
                walk(child, [], block.record)
    return "".join(line + "\n" for line in lines)


def with_course(records: Records, courses: Sequence[str]) -> Records:
    """The table with each row's course first: how merged views show where a line belongs."""
    return records._replace(
        columns=("course", *records.columns),
        rows=tuple(row._replace(cells=(course, *row.cells)) for row, course in zip(records.rows, courses, strict=True)),
        stacked=records.stacked + 1 if records.stacked else 0,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def to_json(data: Any) -> str:
    """JSON for a person and for jq alike: a list of records one record a line, anything else indented."""
    import json  # only --json needs it

    if isinstance(data, list):
        # Indenting is done by json's pure-Python encoder, five times slower than its C encoder,
        # which writes each record here (one encoder for all: `json.dumps` would make one a record).
        encode = json.JSONEncoder(ensure_ascii=False).encode
        return "[\n" + ",\n".join("  " + encode(item) for item in data) + "\n]\n" if data else "[]\n"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """ISO 8601 with the offset in force in `zone` at that moment (-05:00 in winter, -04:00 in summer)."""
    return moment.astimezone(zone).isoformat() if moment else None


# -- info ----------------------------------------------------------------------------------


def info(course: Course, zone: dt.tzinfo) -> list[Block]:
    identity = " · ".join(p for p in (course.kind, course.code, course.institution, course.term) if p)
    blocks: list[Block] = [
        Heading(course.title, "title"),
        Line(identity or course.id, record="course"),
        Line(f"time zone {course.timezone}; term {course.term_start} to {course.term_end}", "muted", "term"),
        Records(
            ("role", "name", "email"),
            tuple(Row((p.role, p.name, p.email or "")) for p in course.people),
            title="People",
            record="person",
        ),
        Records(
            ("meeting", "when", "time", "where", ""),
            tuple(_meeting_row(course, m, zone) for m in course.meetings),
            title="Weekly meetings",
            record="meeting",
        ),
        Records(
            ("link", "address"),
            tuple(Row((link.title, Url(link.url, link.url))) for link in course.links),
            title="Links",
            record="link",
        ),
    ]
    return blocks


def _meeting_row(course: Course, meeting: Meeting, zone: dt.tzinfo) -> Row:
    times = meeting_times(course, meeting, zone)
    weekday = WEEKDAYS[meeting.weekday].capitalize() + "s"
    return Row(
        (
            meeting.title,
            weekday,
            times,
            meeting.location or "no room given",
            "optional" if meeting.optional else "",
        )
    )


def info_json(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "kind": course.kind,
        "code": course.code,
        "institution": course.institution,
        "term": course.term,
        "timezone": course.timezone,
        "term_start": course.term_start.isoformat(),
        "term_end": course.term_end.isoformat(),
        "people": [{"id": p.id, "role": p.role, "name": p.name, "email": p.email} for p in course.people],
        "meetings": [
            {
                "id": m.id,
                "title": m.title,
                "weekday": WEEKDAYS[m.weekday],
                "start": f"{m.start:%H:%M}",
                "end": f"{m.end:%H:%M}",
                "location": m.location,
                "optional": m.optional,
                "first": m.first.isoformat() if m.first else None,
                "last": m.last.isoformat() if m.last else None,
            }
            for m in course.meetings
        ],
        "links": [{"id": link.id, "title": link.title, "url": link.url} for link in course.links],
    }


# -- syllabus ------------------------------------------------------------------------------


def syllabus(course: Course) -> list[Block]:
    blocks: list[Block] = [Heading(f"{course.title}: syllabus")]
    if course.description:
        blocks.append(Line(course.description, record="description"))
    parts = tuple(Node(p.title, tuple(Node(i) for i in p.items), "bold") for p in course.syllabus)
    blocks.append(Tree(Node("Detailed syllabus", parts, "title"), "syllabus"))
    prerequisites = tuple(
        Node(
            f"{g.name.capitalize()}" + (f" ({g.level})" if g.level else ""),
            tuple(Node(t) for t in g.topics),
            "bold",
        )
        for g in course.prerequisites
    )
    blocks.append(Tree(Node("Prerequisites", prerequisites, "title"), "prerequisite"))
    blocks.append(
        Records(
            ("component", "detail"),
            tuple(Row((g.component, g.detail)) for g in course.grading),
            title="Grading",
            record="grading",
        )
    )
    return blocks


def syllabus_json(course: Course) -> dict[str, Any]:
    return {
        "description": course.description,
        "syllabus": [{"title": p.title, "items": list(p.items)} for p in course.syllabus],
        "prerequisites": [{"group": g.name, "level": g.level, "topics": list(g.topics)} for g in course.prerequisites],
        "grading": [{"component": g.component, "detail": g.detail} for g in course.grading],
    }


# -- curriculum ----------------------------------------------------------------------------


def curriculum(course: Course) -> list[Block]:
    blocks: list[Block] = []
    for c in course.curricula:
        blocks.append(Heading(f"Parallel curriculum: {c.title}", "curriculum"))
        blocks.extend(Line(Url(link.title, link.url), record="link") for link in c.links)
        for k in c.classes:
            sections: list[Node] = []
            if k.motivation:
                sections.append(Node("Motivation", (Node(k.motivation),), "bold"))
            for name, readings in (("Required reading", k.required_reading), ("Optional reading", k.optional_reading)):
                if readings:
                    nodes = tuple(Node(Url(r.text, r.url) if r.url else r.text) for r in readings)
                    sections.append(Node(name, nodes, "bold"))
            if k.questions:
                sections.append(Node("Questions", tuple(Node(q) for q in k.questions), "bold"))
            if k.notebook:
                sections.append(Node("Notebook", (Node(Url(k.notebook, k.notebook)),), "bold"))
            blocks.append(
                Tree(
                    Node(f"Class {k.number}: {k.title}", tuple(sections), "title"),
                    f"{c.id}\tclass {k.number}: {k.title}",
                )
            )
    if not course.curricula:
        blocks.append(Line("This course has no parallel curriculum.", "muted"))
    return blocks


def curriculum_json(course: Course) -> list[dict[str, Any]]:
    def readings(items: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"text": r.text, "url": r.url} for r in items]

    return [
        {
            "id": c.id,
            "title": c.title,
            "links": [{"id": link.id, "title": link.title, "url": link.url} for link in c.links],
            "classes": [
                {
                    "number": k.number,
                    "title": k.title,
                    "motivation": k.motivation,
                    "required_reading": readings(k.required_reading),
                    "optional_reading": readings(k.optional_reading),
                    "questions": list(k.questions),
                    "notebook": k.notebook,
                }
                for k in c.classes
            ],
        }
        for c in course.curricula
    ]


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


# English day names, as strftime's %A gives them in the C locale, without a format call a session.
_WEEKDAY_NAMES = tuple(day.capitalize() for day in WEEKDAYS)


def session_json(p: Placed, zone: dt.tzinfo) -> dict[str, Any]:
    s = p.session
    return {
        "course": p.course,
        "id": s.id,
        "week": s.week,
        "date": s.date.isoformat(),
        "weekday": _WEEKDAY_NAMES[s.date.weekday()],
        "kind": s.kind,
        "label": s.label,
        "title": s.display_title,
        "speaker": s.speaker,
        "affiliation": s.affiliation,
        "start": _iso(p.start, zone),
        "end": _iso(p.end, zone),
        "location": p.location,
        "slides": s.slides,
        "refs": s.refs if s.kind != "break" else None,
        "cancelled": s.cancelled,
        "note": s.note,
        "first_day": s.first_day.isoformat() if s.first_day else None,
        "last_day": s.last_day.isoformat() if s.last_day else None,
    }


# -- validate ------------------------------------------------------------------------------


def diagnostics(path: str, errors: Sequence[Diagnostic], warnings: Sequence[Diagnostic], strict: bool) -> list[Block]:
    blocks: list[Block] = [Line(f"{d.severity}: {d}", d.severity, None) for d in (*errors, *warnings)]
    failed = bool(errors) or (strict and bool(warnings))
    verdict = "invalid" if failed else "valid"
    counts = f"{_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}"
    blocks.append(Line(f"{path}: {verdict} ({counts})", "error" if failed else "bold"))
    return blocks


def diagnostics_json(
    path: str, errors: Sequence[Diagnostic], warnings: Sequence[Diagnostic], strict: bool
) -> dict[str, Any]:
    return {
        "file": path,
        "valid": not errors and not (strict and warnings),
        "errors": [d.to_json() for d in errors],
        "warnings": [d.to_json() for d in warnings],
    }


# -- next ----------------------------------------------------------------------------------


def upcoming(
    items: Sequence[NextItem],
    now: dt.datetime,
    zone: dt.tzinfo,
    notes: Sequence[Note],
    *,
    multi: bool = False,
) -> list[Block]:
    blocks: list[Block] = [Heading(f"Next, from {format_moment(now, zone)}")]
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
        when = _moment_cell(item.start, zone)
        cells = (item.what, item.title, when, countdown, item.location or "")
        rows.append(Row(cells, "muted" if item.cancelled else None))
    if rows:
        columns = ("what", "title", "when", "countdown", "where")
        # A countdown is one phrase: it never wraps ("in 21 h 30 / min"), the title and room do.
        table = Records(columns, tuple(rows), flexible=("title", "where"))
        blocks.append(with_course(table, [i.course for i in items]) if multi else table)
    return blocks


def upcoming_json(
    items: Sequence[NextItem], now: dt.datetime, zone: dt.tzinfo, notes: Sequence[Note]
) -> dict[str, Any]:
    return {
        "now": now.astimezone(zone).isoformat(),
        "ended": " ".join(n.text for n in notes if n.kind == "ended") or None,
        "ended_courses": [n.course for n in notes if n.kind == "ended"],
        "still_due": " ".join(n.text for n in notes if n.kind == "due") or None,
        "items": [
            {
                "course": i.course,
                "what": i.what,
                "title": i.title,
                "start": _iso(i.start, zone),
                "end": _iso(i.end, zone),
                "location": i.location,
                "seconds_left": int((i.start - now).total_seconds()) if i.start else None,
                "cancelled": i.cancelled,
                "note": i.note,
            }
            for i in items
        ],
    }


# -- refs ----------------------------------------------------------------------------------


def _reference_cells(e: RefEntry) -> tuple[Cell, ...]:
    r = e.reference
    where = ", ".join(x for x in (r.venue, str(r.year) if r.year else None, r.note) if x)
    return (str(e.number), r.title, r.authors or "", where, e.group, Url(r.url, r.url) if r.url else "")


def _reference_records(found: Sequence[RefEntry], title: str, record: str | None, multi: bool = False) -> Records:
    """References as entries; without a `record` (a search across lists) each row names its list."""
    columns = ("#", "title", "authors", "year, venue", "group", "url")
    if record is None:
        rows = tuple(Row((e.reading_list.id, *_reference_cells(e))) for e in found)
        table = Records(("list", *columns), rows, title=title, stacked=2)
    else:
        table = Records(columns, tuple(Row(_reference_cells(e)) for e in found), title=title, record=record, stacked=1)
    return with_course(table, [e.course for e in found]) if multi else table


def reading(target: ReadingTarget) -> list[Block]:
    blocks: list[Block] = []
    for s in target.sessions:
        label = f"{s.label} " if s.label else ""
        blocks.append(Heading(f"{label}{s.display_title}", "session"))
        blocks.append(Line(f"week {s.week} · {format_day(s.date)} · {s.kind}", "muted", "when"))
        if s.slides:
            blocks.append(Line(Url(s.slides, s.slides), record="slides"))
    reading_list = target.reading_list
    if reading_list is None:
        what = "This session has" if len(target.sessions) == 1 else "These sessions have"
        blocks.append(Line(f"{what} no reading list.", "muted", "note"))
        return blocks
    title = f"Reading list {reading_list.id}" + (f": {reading_list.title}" if reading_list.title else "")
    blocks.append(_reference_records(entries(reading_list), title, reading_list.id))
    return blocks


def all_readings(courses: Sequence[Course]) -> list[Block]:
    blocks: list[Block] = []
    multi = len(courses) > 1
    for course in courses:
        for reading_list in course.reading_lists:
            sessions = course.sessions_reading(reading_list.id)
            who = "; ".join(f"week {s.week}" + (f" {s.label}" if s.label else "") for s in sessions) or "no session"
            name = f"{course.id}:{reading_list.id}" if multi else reading_list.id
            title = f"{name} ({who})" + (f": {reading_list.title}" if reading_list.title else "")
            found = entries(reading_list, course.id)
            blocks.append(_reference_records(found, title, reading_list.id, multi))
    return blocks


def found_references(found: Sequence[RefEntry], text: str, *, multi: bool = False) -> list[Block]:
    if not found:
        return [Line(f"No reference matches {text!r}.", "muted")]
    return [_reference_records(found, f"References matching {text!r}", None, multi)]


def reference_json(e: RefEntry) -> dict[str, Any]:
    r: Reference = e.reference
    return {
        "course": e.course,
        "list": e.reading_list.id,
        "group": e.group,
        "number": e.number,
        "title": r.title,
        "authors": r.authors,
        "year": r.year,
        "venue": r.venue,
        "note": r.note,
        "url": r.url,
    }


# -- search --------------------------------------------------------------------------------


def hits(found: Sequence[Hit], text: str, *, multi: bool = False) -> list[Block]:
    if not found:
        return [Line(f"Nothing matches {text!r}.", "muted")]
    rows = tuple(Row((h.section, h.where, h.text, h.command)) for h in found)
    title = f"{len(found)} matches for {text!r}"
    table = Records(
        ("section", "where", "text", "show with"), rows, title=title, flexible=("where", "text"), headline="text"
    )
    return [with_course(table, [h.course for h in found]) if multi else table]


def hits_json(found: Sequence[Hit]) -> list[dict[str, str]]:
    return [
        {"course": h.course, "section": h.section, "where": h.where, "text": h.text, "command": h.command}
        for h in found
    ]


# -- deadlines -----------------------------------------------------------------------------


def deadlines(
    views: Sequence[DeadlineView],
    now: dt.datetime,
    zone: dt.tzinfo,
    *,
    terms: Sequence[TermProgress] = (),
    multi: bool = False,
) -> list[Block]:
    """Each row: what is due, when, and the time left (or since); the term's progress once, above."""
    if not views:
        return [Line("This course has no deadlines.", "muted")]
    first_upcoming = next((v for v in views if v.status == "upcoming"), None)
    rows = []
    for v in views:
        d = v.deadline
        note = "; ".join(x for x in (d.submission, d.note) if x)
        if d.due is None:
            no_countdown = Short("no date, no countdown", "no date")
            rows.append(Row((d.id, d.title, "TBA", no_countdown, note or "date not given", v.kind), "muted"))
        elif v.status == "passed":
            since = f"passed {format_age(d.due, now)} ago"
            rows.append(Row((d.id, d.title, _moment_cell(d.due, zone), since, note, v.kind), "past"))
        else:
            urgent = d.due - now <= dt.timedelta(hours=48)
            style: Style = "urgent" if urgent else ("next" if v is first_upcoming else None)
            left = f"{format_duration(d.due - now)} left"
            rows.append(Row((d.id, d.title, _moment_cell(d.due, zone), left, note, v.kind), style))
    columns = ("id", "what", "due", "time left", "how, note", "kind")
    # On a terminal the kind is worth its room only when there are exams among the deadlines.
    hidden = ("id",) if any(v.kind == "exam" for v in views) else ("id", "kind")
    table = Records(columns, tuple(rows), flexible=("what", "how, note"), hidden=hidden)
    blocks: list[Block] = [Heading(f"Deadlines, from {format_moment(now, zone)}")]
    blocks += [Heading(_term_line(t, multi)) for t in terms]
    blocks.append(with_course(table, [v.course for v in views]) if multi else table)
    if first_upcoming is None and any(v.status == "passed" for v in views) and not multi:
        blocks.append(Line("Every dated deadline of this course has passed.", "muted", "note"))
    return blocks


def _term_line(t: TermProgress, multi: bool) -> str:
    """`Term: ██████░░░░░░ 52%, week 8 of 15`: drawn once, on a terminal (a pipe gets the records)."""
    filled = round(t.fraction * 12)
    where = "not begun" if t.week < 1 else "over" if t.week > t.weeks else f"week {t.week} of {t.weeks}"
    name = f"{t.course} term" if multi else "Term"
    return f"{name}: {'█' * filled}{'░' * (12 - filled)} {round(t.fraction * 100)}% gone, {where}"


def _moment_cell(moment: dt.datetime, zone: dt.tzinfo) -> Short:
    return Short(format_moment(moment, zone), format_moment(moment, zone, short=True))


def deadlines_json(views: Sequence[DeadlineView], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "course": v.course,
            "id": v.deadline.id,
            "kind": v.kind,
            "title": v.deadline.title,
            "due": _iso(v.deadline.due, zone),
            "status": v.status,
            "seconds_left": v.seconds_left,
            "submission": v.deadline.submission,
            "note": v.deadline.note,
        }
        for v in views
    ]


# -- several courses ---------------------------------------------------------------------------


def clash_lines(clashes: Sequence[Clash], zone: dt.tzinfo) -> list[str]:
    """One line a clash pattern: `Lab (ml101) overlaps Lecture (stats200) on Mondays 17:00–18:00 GMT,
    15 times, Mon 2019-01-21 … Mon 2019-04-29`; a clash that happens once, on its day."""
    lines = []
    for c in clashes:
        a, b = c.first, c.second
        first_day = c.begins.astimezone(zone).date()
        if c.times > 1:
            weekday = f"{_WEEKDAY_NAMES[first_day.weekday()]}s"
            often = f", {c.times} times, {format_day(first_day)} … {format_day(c.last_day)}"
            names = f"{a.series} ({a.course})", f"{b.series} ({b.course})"
        else:
            weekday, often = format_day(first_day), ""
            names = f"{a.what} ({a.course})", f"{b.what} ({b.course})"
        if c.kind == "timetable":
            hours = format_span(c.begins, c.ends, zone)
            lines.append(f"timetable clash: {names[0]} overlaps {names[1]} on {weekday} {hours}{often}")
        else:
            times = f"{format_clock(c.begins, zone)} and {format_clock(c.ends, zone)}"
            lines.append(f"due within the same hour: {names[0]} and {names[1]}, on {weekday} at {times}{often}")
    return lines


def statuses(found: Sequence["Status"], config: Path, zone: dt.tzinfo, clashes: Sequence[Clash] = ()) -> list[Block]:
    if not found:
        return [Line("No course followed yet: the bundled course is shown. Follow one with `mdl add SOURCE`.", "muted")]
    rows = []
    for s in found:
        c = s.course
        warned = _count(len(c.warnings), "warning") if c and c.warnings else "ok"
        state = (s.problem and f"error: {s.problem}") or warned
        rows.append(
            Row(
                (s.followed.id, c.title if c else "", (c.term or str(c.term_start)) if c else "", s.followed.source,
                 _moment_cell(s.updated, zone) if s.updated else "", state),
                "error" if s.problem else None,
            )
        )  # fmt: skip
    columns = ("id", "title", "term", "source", "updated", "status")
    title = f"Followed courses ({config})"
    blocks: list[Block] = [Records(columns, tuple(rows), title=title, flexible=("title", "source", "status"))]
    if clashes:
        blocks.append(Heading(f"Clashes ({len(clashes)})"))
        blocks += [Line(line, "warning", "clash") for line in clash_lines(clashes, zone)]
    return blocks


def clashes_json(clashes: Sequence[Clash], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "courses": [c.first.course, c.second.course],
            "what": [c.first.series, c.second.series] if c.times > 1 else [c.first.what, c.second.what],
            "times": c.times,
            "first": _iso(c.begins, zone),
            "last_day": c.last_day.isoformat(),
            "text": text,
        }
        for c, text in zip(clashes, clash_lines(clashes, zone), strict=True)
    ]


def status_json(s: "Status") -> dict[str, Any]:
    c = s.course
    return {
        "id": s.followed.id,
        "title": c.title if c else None,
        "term": c.term if c else None,
        "source": s.followed.source,
        "updated": _iso(s.updated, dt.UTC),
        "status": "error" if s.problem else ("warnings" if c and c.warnings else "ok"),
        "warnings": len(c.warnings) if c else None,
        "error": s.problem,
    }


def updates_json(results: Sequence["Updated"]) -> list[dict[str, Any]]:
    """`mdl update --json`: each course's outcome, and each change with its before and after."""
    return [
        {
            "id": r.id,
            "outcome": r.outcome,
            "message": r.message,
            "changes": [
                {"change": c.change, "item": c.item, "name": c.name, "was": c.was, "now": c.now, "text": c.text}
                for c in r.changes
            ],
        }
        for r in results
    ]


def settings(rows: Sequence[tuple[str, str, str]]) -> list[Block]:
    columns = ("setting", "value", "from")
    return [Records(columns, tuple(Row(r) for r in rows), title="mdl settings", flexible=("value", "from"))]


def settings_json(rows: Sequence[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    return {name: {"value": value, "from": source} for name, value, source in rows}


# -- agenda ---------------------------------------------------------------------------------------


def agenda(
    entries: Sequence[AgendaEntry], first: dt.date, last: dt.date, zone: dt.tzinfo, *, multi: bool = False
) -> list[Block]:
    """Day by day; a pipe gets one record an entry, its day first (its course first among several)."""
    blocks: list[Block] = [Heading(f"Agenda, {format_day(first)} to {format_day(last)}")]
    if not entries:
        return [*blocks, Line(f"Nothing from {format_day(first)} to {format_day(last)}.", "muted")]
    columns = ("day", "time", "what", "title", "where", "note")
    every_row = [Row((e.day.isoformat(), _agenda_time(e, zone), *_agenda_cells(e)), _agenda_style(e)) for e in entries]
    every_day = Records(columns, tuple(every_row), flexible=("title", "where", "note"), hidden=("day",), header=False)
    if multi:
        every_day = with_course(every_day, [e.course for e in entries])
    for day in sorted({e.day for e in entries}):
        todays = tuple(row for row, e in zip(every_day.rows, entries, strict=True) if e.day == day)
        blocks.append(every_day._replace(rows=todays, title=format_day(day), aligned_with=every_day.rows))
    return blocks


def _agenda_time(e: AgendaEntry, zone: dt.tzinfo) -> str:
    if e.start is None:
        return "all day"
    if e.end is None:
        return f"due {format_clock(e.start, zone)}"
    return format_span(e.start, e.end, zone)


def _agenda_cells(e: AgendaEntry) -> tuple[str, str, str, str]:
    what = "cancelled " + e.kind if e.cancelled else e.kind
    return what.replace("-", " "), e.title, e.location or "", e.note or ""


def _agenda_style(e: AgendaEntry) -> Style:
    if e.cancelled:
        return "muted"
    return "urgent" if e.kind in ("deadline", "exam") else ("muted" if e.kind == "break" else None)


def agenda_json(entries: Sequence[AgendaEntry], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "course": e.course,
            "day": e.day.isoformat(),
            "start": _iso(e.start, zone),
            "end": _iso(e.end, zone),
            "kind": e.kind,
            "title": e.title,
            "location": e.location,
            "cancelled": e.cancelled,
            "note": e.note,
        }
        for e in entries
    ]
