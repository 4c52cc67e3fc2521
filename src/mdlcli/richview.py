"""Blocks drawn with Rich on a terminal. Course text goes in as Text objects, never as markup."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text
from rich.tree import Tree as RichTree

from .render import Bar, Block, Cell, Heading, Line, Node, Records, Row, Short, Style, Tree, Url
from .textsafe import clean

_STYLES: dict[str, str] = {
    "past": "dim",
    "next": "bold green",
    "urgent": "bold red",
    "warning": "yellow",
    "error": "bold red",
    "muted": "dim",
    "title": "bold cyan",
    "bold": "bold",
}
_BAR_WIDTH = 12
# A table's frame, as drawn: an edge of one space each side, three spaces between columns.
_EDGES, _BETWEEN = 2, 3
_TREE_INDENT = 4  # what each level of a tree takes from the left
_LITTLE = 16  # a column this short of whole gets its room before the headline


def _style(style: Style) -> str:
    return _STYLES[style] if style else ""


# Whether the terminal opens OSC 8 hyperlinks (set by `to_rich`): where it does not, an address is
# written out whole instead of a link's text.
_hyperlinks = True


def _text(cell: Cell, style: Style = None, room: int | None = None) -> Text:
    """A cell as Rich text: course text is made safe here, where it leaves for the terminal.

    A link is drawn as its text, linked (OSC 8) to its whole address; a bare address that does
    not fit in `room` is drawn as its site, still linked: an address is never cut or folded.
    Without hyperlinks, the address itself is drawn.
    """
    if isinstance(cell, Url):
        if not _hyperlinks:
            return Text(clean(cell.url), style=RichStyle.parse(_style(style) or "none") + RichStyle(underline=True))
        link = RichStyle(link=cell.url, underline=True) + RichStyle.parse(_style(style) or "none")
        return Text(clean(_link_text(cell, room)), style=link)
    if isinstance(cell, Short):
        return Text(clean(cell.short), style=_style(style))
    if isinstance(cell, Bar):
        filled = round(cell.fraction * _BAR_WIDTH)
        bar = Text("█" * filled, style="cyan")
        bar.append("░" * (_BAR_WIDTH - filled), style="dim")
        bar.append(f" {round(cell.fraction * 100):>3}%")
        return bar
    return Text(clean(cell), style=_style(style))


def _link_text(cell: Url, room: int | None) -> str:
    if cell.text != cell.url or room is None or len(cell.url) <= room:
        return cell.text
    site = cell.url.split("//", 1)[-1].split("/", 1)[0]
    return f"{site} ↗"


def _wrapped(text: str, width: int) -> int:
    """How many lines `text` takes wrapped between words at `width` (at least one)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _shown_text(cell: Cell) -> str:
    """What a cell puts on a terminal, for measuring."""
    if isinstance(cell, Url):
        return cell.text if _hyperlinks else cell.url
    if isinstance(cell, Short):
        return cell.short
    if isinstance(cell, Bar):
        return "█" * _BAR_WIDTH + " 100%"
    return clean(cell)


def _shows(cell: Cell) -> bool:
    """Whether a cell puts anything on a terminal."""
    if isinstance(cell, Short):
        return bool(cell.short)
    return bool(cell) if isinstance(cell, str) else True


def _node(tree: RichTree, node: Node, room: int) -> None:
    branch = tree.add(_text(node.text, node.style, room))
    for child in node.children:
        _node(branch, child, room - _TREE_INDENT)


class _FittedTree:
    """A tree whose links fit the terminal: a long address is drawn as its site, never folded."""

    def __init__(self, block: Tree) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width - _TREE_INDENT
        tree = RichTree(_text(self.block.root.text, self.block.root.style, room))
        for child in self.block.root.children:
            _node(tree, child, room - _TREE_INDENT)
        yield Padding(tree, (1, 0, 0, 0))


def _entries(block: Records, width: int) -> RenderableType:
    """Rows as numbered entries: headline, then the other texts dimmed, then links."""

    def marker_of(row: Row) -> str:
        return " ".join(str(c) for c in row.cells[: block.stacked]) + "."

    # Markers right-aligned to the widest, so entries line up when the grid is cut by addresses.
    width_of_markers = max((len(marker_of(row)) for row in block.rows), default=0)
    parts: list[RenderableType] = []
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", min_width=width_of_markers)
    grid.add_column()
    for row in block.rows:
        marker = marker_of(row)
        headline, *rest = row.cells[block.stacked :]
        entry = _text(headline, "bold")
        details = [c for c in rest if isinstance(c, str) and c]
        if details:
            entry.append("\n" + " · ".join(clean(d) for d in details), style="dim")
        links = [c for c in rest if isinstance(c, Url)]
        if _hyperlinks:
            for link in links:
                entry.append("\n").append_text(_text(link, room=width - len(marker) - 1))
        grid.add_row(Text(clean(marker)), entry)
        if not _hyperlinks and links:  # each address on a line of its own, whole
            parts += [grid, *(_Whole(_text(link), len(marker) + 1) for link in links)]
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", style="dim", min_width=width_of_markers)
            grid.add_column()
    title = Text(clean(block.title or ""), style="bold cyan")
    return Group(*([title] if block.title else []), *parts, grid)


class _Fitted:
    """A table that fits the terminal: every column at least as wide as its longest word (no word
    is broken, no title cut), empty columns left out; when that does not fit, the rows stacked, one
    record a few lines."""

    def __init__(self, block: Records) -> None:
        self.block = block
        # What the columns are sized and the layout chosen by: these rows, and their siblings'.
        self.measured = block.rows + block.aligned_with

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.block.stacked:
            yield _entries(self.block, width)
            return
        shown = self._shown()
        if not shown:  # nothing to show: not even a header
            return
        widths = self._widths(shown, width - _EDGES - _BETWEEN * (len(shown) - 1))
        # A table whose cells wrap line after line reads worse than the same rows stacked: the
        # table is kept unless stacking takes clearly fewer lines.
        if widths is not None and 3 * self._stacked_lines(shown, width) >= 2 * self._table_lines(shown, widths):
            yield self._table(shown, widths)
        else:
            yield self._stacked(shown, width)

    def _table_lines(self, shown: list[int], widths: dict[int, int]) -> int:
        return sum(max(_wrapped(_shown_text(r.cells[i]), widths[i]) for i in shown) for r in self.measured)

    def _stacked_lines(self, shown: list[int], width: int) -> int:
        head, lines = self._headline(shown), 0
        for row in self.measured:
            details = [_shown_text(row.cells[i]) for i in shown if i != head and not isinstance(row.cells[i], Url)]
            links = sum(1 for i in shown if i != head and isinstance(row.cells[i], Url))
            joined = " · ".join(d for d in details if d)
            lines += _wrapped(_shown_text(row.cells[head]), width - 2) + (_wrapped(joined, width - 2) if joined else 0)
            lines += links
        return lines

    def _widths(self, shown: list[int], room: int) -> dict[int, int] | None:
        """Each column's width: at least its longest word, the room left shared by what the wrapping
        columns would take whole; None when even the least does not fit."""
        least = {i: self._least(i) for i in shown}
        most = {i: max(least[i], self._most(i)) for i in shown}
        spare = room - sum(least.values())
        if spare < 0:
            return None
        # The room left goes first to the columns a little room makes whole (a countdown, a room),
        # then to the record's headline, then to the others, least needy first.
        widths = dict(least)
        head = self._headline(shown)

        def order(i: int) -> tuple[int, int]:
            need = most[i] - least[i]
            return (0 if need <= _LITTLE else 1 if i == head else 2, need)

        for i in sorted(shown, key=order):
            given = min(most[i] - least[i], spare)
            widths[i] += given
            spare -= given
        return widths

    def _most(self, index: int) -> int:
        texts = [_shown_text(r.cells[index]) for r in self.measured]
        return max([len(self.block.columns[index]) if self.block.header else 0, *(len(t) for t in texts), 1])

    def _shown(self) -> list[int]:
        b = self.block
        return [
            i
            for i, name in enumerate(b.columns)
            if name not in b.hidden and any(_shows(r.cells[i]) for r in self.measured)
        ]

    def _wraps(self, index: int) -> bool:
        return not self.block.flexible or self.block.columns[index] in self.block.flexible

    def _least(self, index: int) -> int:
        """The narrowest the column may be: its longest word (a column that may not wrap: its widest cell)."""
        texts = [_shown_text(r.cells[index]) for r in self.measured]
        words = [len(w) for t in texts for w in t.split()] if self._wraps(index) else [len(t) for t in texts]
        return max([len(self.block.columns[index]) if self.block.header else 0, *words, 1])

    def _table(self, shown: list[int], least: dict[int, int]) -> Table:
        """The table with its columns at the widths given (Rich would otherwise squeeze a word)."""
        b = self.block
        # A title given as a string would be read as Rich markup: course titles are data.
        table = Table(
            box=box.SIMPLE_HEAD,
            title=Text(clean(b.title)) if b.title else None,
            title_justify="left",
            title_style="bold cyan",
            pad_edge=False,
            show_header=b.header,
        )
        for index in shown:
            table.add_column(b.columns[index], width=least[index], no_wrap=not self._wraps(index))
        for row in b.rows:
            table.add_row(*(_text(row.cells[i]) for i in shown), style=_style(row.style))
        return table

    def _headline(self, shown: list[int]) -> int:
        """The column a record is named by: the view's headline, else its first wrapping column."""
        b = self.block
        named = b.headline or next((c for c in b.flexible if c not in b.hidden), None)
        return b.columns.index(named) if named in b.columns else shown[0]

    def _stacked(self, shown: list[int], width: int) -> RenderableType:
        b = self.block
        head = self._headline(shown)
        parts: list[RenderableType] = [Text(clean(b.title), style="bold cyan")] if b.title else []
        for row in b.rows:
            entry = _text(row.cells[head], row.style or "bold")
            details = [
                clean(_shown_text(row.cells[i])) for i in shown if i != head and not isinstance(row.cells[i], Url)
            ]
            details = [d for d in details if d]
            if details:
                entry.append("\n" + " · ".join(details), style=_style(row.style) or "dim")
            links = [row.cells[i] for i in shown if i != head and isinstance(row.cells[i], Url)]
            if _hyperlinks:
                for link in links:
                    entry.append("\n").append_text(_text(link, room=width - 2))
            parts.append(Padding(entry, (0, 0, 0, 2)))
            if not _hyperlinks:
                parts += [_Whole(_text(link), 2) for link in links]
        return Group(*parts)


class _Whole:
    """A line drawn whole, however narrow the terminal (which wraps it, as it wraps a long command):
    an address split by a renderer is two halves that neither a click nor a copy gets right."""

    def __init__(self, text: Text, indent: int = 0) -> None:
        self.text, self.indent = text, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(" " * self.indent)
        yield from self.text.render(console)
        yield Segment.line()


class _FittedLine:
    """A line; a link alone on it fits the terminal as a table's link does (its site when too long)."""

    def __init__(self, block: Line) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cell = self.block.text
        if isinstance(cell, Url) and not _hyperlinks:
            yield _Whole(_text(cell, self.block.style))
        else:
            yield _text(cell, self.block.style, options.max_width)


def to_rich(blocks: Iterable[Block], *, hyperlinks: bool = True) -> RenderableType:
    """The blocks for a terminal; `hyperlinks` False writes addresses out (print with crop=False)."""
    # A process draws one view: a module setting reaches every cell's drawing without a parameter
    # through each renderable that Rich calls back.
    global _hyperlinks  # noqa: PLW0603
    _hyperlinks = hyperlinks
    parts: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(Padding(Text(clean(block.text), style="bold cyan"), (1, 0, 0, 0) if parts else 0))
        elif isinstance(block, Line):
            parts.append(_FittedLine(block))
        elif isinstance(block, Records):
            parts.append(_Fitted(block))
        elif isinstance(block, Tree):
            parts.append(_FittedTree(block))
    return Group(*parts)
