"""The blocks every view is built of, and the plain drawer that writes them for a pipe.

A view is built once as a list of blocks; `plain()` writes them for pipes (tab-separated, one
record a line, nothing truncated) and `richview.to_rich()` draws the same blocks on a terminal,
so the two outputs cannot drift apart. This module does not import Rich: a piped `mdl` never
pays for it. Text from a course file is data: it is made safe in one place where it leaves, in
`plain()` for a pipe and in richview's `_text()` for a terminal, and never parsed as markup.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from mdlcli.model import WEEKDAYS
from mdlcli.record import Record
from mdlcli.textsafe import clean
from mdlcli.timeutil import format_day, format_moment

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


def count(n: int, noun: str) -> str:
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


def iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """ISO 8601 with the offset in force in `zone` at that moment (-05:00 in winter, -04:00 in summer)."""
    return moment.astimezone(zone).isoformat() if moment else None


# English day names, as strftime's %A gives them in the C locale, without a format call a session.
WEEKDAY_NAMES = tuple(day.capitalize() for day in WEEKDAYS)


def moment_cell(moment: dt.datetime, zone: dt.tzinfo) -> Short:
    return Short(format_moment(moment, zone), format_moment(moment, zone, short=True))


def due_cell(moment: dt.datetime, zone: dt.tzinfo, *, day_only: bool) -> Short:
    """When something is due: its moment, or for work due some day, that day alone."""
    if not day_only:
        return moment_cell(moment, zone)
    day = (moment - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return Short(format_day(day), format_day(day, short=True))


def due_iso(moment: dt.datetime | None, zone: dt.tzinfo, *, day_only: bool) -> str | None:
    """A due moment in JSON: ISO 8601 with its offset, or the date alone for work due some day."""
    if moment is None or not day_only:
        return iso(moment, zone)
    return (moment - dt.timedelta(microseconds=1)).astimezone(zone).date().isoformat()
