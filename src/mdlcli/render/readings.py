"""Reading lists and search results, as blocks."""

from collections.abc import Sequence
from typing import Any

from mdlcli.model import Course, Reference
from mdlcli.query import (
    Hit,
    ReadingTarget,
    RefEntry,
    entries,
)
from mdlcli.timeutil import format_day

from .blocks import Block, Cell, Heading, Line, Records, Row, Url, with_course

# -- refs ----------------------------------------------------------------------------------


def _reference_cells(e: RefEntry, tracked: bool) -> tuple[Cell, ...]:
    r = e.reference
    where = ", ".join(x for x in (r.venue, str(r.year) if r.year else None, r.note) if x)
    cells: tuple[Cell, ...] = (
        str(e.number),
        r.title,
        r.authors or "",
        where,
        e.group,
        Url(r.url, r.url) if r.url else "",
    )
    return (*cells, "✓ read" if r.read else "") if tracked else cells


def _reference_records(found: Sequence[RefEntry], title: str, record: str | None, multi: bool = False) -> Records:
    """References as entries; without a `record` (a search across lists) each row names its list.

    A student who marks what they read (`mdl read`) gets a last column saying so; one who does
    not, the rows as they always were."""
    tracked = any(e.reference.read for e in found)
    columns = ("#", "title", "authors", "year, venue", "group", "url", *(("read",) if tracked else ()))
    if record is None:
        rows = tuple(Row((e.reading_list.id, *_reference_cells(e, tracked))) for e in found)
        table = Records(("list", *columns), rows, title=title, stacked=2)
    else:
        rows = tuple(Row(_reference_cells(e, tracked)) for e in found)
        table = Records(columns, rows, title=title, record=record, stacked=1)
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


def found_references(
    found: Sequence[RefEntry], text: str, *, multi: bool = False, title: str | None = None
) -> list[Block]:
    """References from several lists, each row naming its list: a search's, or what is left to read."""
    if not found:
        return [Line(f"No reference matches {text!r}." if title is None else "Nothing left to read.", "muted")]
    return [_reference_records(found, title or f"References matching {text!r}", None, multi)]


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
        "read": r.read,
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
