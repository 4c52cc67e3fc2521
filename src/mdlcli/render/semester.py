"""The followed courses, their clashes, what an update changed, and the settings, as blocks."""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdlcli.model import Course
from mdlcli.query import (
    Clash,
)
from mdlcli.redact import redacted
from mdlcli.timeutil import format_clock, format_day, format_span

if TYPE_CHECKING:
    from mdlcli.semester import Status, Updated

from .blocks import WEEKDAY_NAMES, Block, Heading, Line, Records, Row, count, iso, moment_cell

# -- several courses ---------------------------------------------------------------------------


def clash_lines(clashes: Sequence[Clash], zone: dt.tzinfo) -> list[str]:
    """One line a clash pattern: `Lab (ml101) overlaps Lecture (stats200) on Mondays 17:00–18:00 GMT,
    15 times, Mon 2019-01-21 … Mon 2019-04-29`; a clash that happens once, on its day."""
    lines = []
    for c in clashes:
        a, b = c.first, c.second
        first_day = c.begins.astimezone(zone).date()
        if c.times > 1:
            weekday = f"{WEEKDAY_NAMES[first_day.weekday()]}s"
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
        warned = count(len(c.warnings), "warning") if c and c.warnings else "ok"
        state = (s.problem and f"error: {s.problem}") or warned
        term = (c.term or str(c.term_start)) if c else ""
        items = str(_items(c)) if c else ""
        updated = moment_cell(s.updated, zone) if s.updated else ""
        source = redacted(s.followed.source)
        # The status last, as before: its text may be long (an error), and scripts read it there.
        cells = (s.followed.id, c.title if c else "", term, _kind(s), items, source, updated, state)
        rows.append(Row(cells, "error" if s.problem else None))
    columns = ("id", "title", "term", "kind", "items", "source", "updated", "status")
    title = f"Followed courses ({config})"
    blocks: list[Block] = [Records(columns, tuple(rows), title=title, flexible=("title", "source", "status"))]
    if clashes:
        blocks.append(Heading(f"Clashes ({len(clashes)})"))
        blocks += [Line(line, "warning", "clash") for line in clash_lines(clashes, zone)]
    return blocks


def _kind(s: "Status") -> str:
    """`course` (an mdl course file) or `calendar`; for one that does not read, what its content says."""
    return s.course.origin if s.course is not None else s.kind


def _items(course: Course) -> int:
    """What a followed course holds: its sessions and deadlines (a weekly meeting counts once)."""
    return len(course.sessions) + len(course.deadlines) + len(course.meetings)


def clashes_json(clashes: Sequence[Clash], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "courses": [c.first.course, c.second.course],
            "what": [c.first.series, c.second.series] if c.times > 1 else [c.first.what, c.second.what],
            "times": c.times,
            "first": iso(c.begins, zone),
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
        "kind": _kind(s),
        "items": _items(s.course) if s.course else None,
        "source": redacted(s.followed.source),
        "updated": iso(s.updated, dt.UTC),
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
