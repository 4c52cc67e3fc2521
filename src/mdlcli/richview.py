"""Blocks drawn with Rich on a terminal. Course text goes in as Text objects, never as markup."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text
from rich.tree import Tree as RichTree

from .render import Bar, Block, Cell, Heading, Line, Node, Records, Short, Style, Tree, Url
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


def _style(style: Style) -> str:
    return _STYLES[style] if style else ""


def _text(cell: Cell, style: Style = None) -> Text:
    """A cell as Rich text: course text is made safe here, where it leaves for the terminal."""
    if isinstance(cell, Url):
        link = RichStyle(link=cell.url, underline=True) + RichStyle.parse(_style(style) or "none")
        if cell.text == cell.url:
            return Text(clean(cell.url), style=link)
        # The address stays visible: not every terminal shows where a link leads.
        shown = Text(clean(cell.text), style=_style(style))
        shown.append(" ").append(clean(cell.url), style=link + RichStyle(dim=True))
        return shown
    if isinstance(cell, Short):
        return Text(clean(cell.short), style=_style(style))
    if isinstance(cell, Bar):
        filled = round(cell.fraction * _BAR_WIDTH)
        bar = Text("█" * filled, style="cyan")
        bar.append("░" * (_BAR_WIDTH - filled), style="dim")
        bar.append(f" {round(cell.fraction * 100):>3}%")
        return bar
    return Text(clean(cell), style=_style(style))


def _shows(cell: Cell) -> bool:
    """Whether a cell puts anything on a terminal."""
    if isinstance(cell, Short):
        return bool(cell.short)
    return bool(cell) if isinstance(cell, str) else True


def _node(tree: RichTree, node: Node) -> None:
    branch = tree.add(_text(node.text, node.style))
    for child in node.children:
        _node(branch, child)


def _entries(block: Records) -> RenderableType:
    """Rows as numbered entries: headline, then the other texts dimmed, then links."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim")
    grid.add_column()
    for row in block.rows:
        marker = " ".join(str(c) for c in row.cells[: block.stacked]) + "."
        headline, *rest = row.cells[block.stacked :]
        entry = _text(headline, "bold")
        details = [c for c in rest if isinstance(c, str) and c]
        if details:
            entry.append("\n" + " · ".join(clean(d) for d in details), style="dim")
        for link in (c for c in rest if isinstance(c, Url)):
            entry.append("\n").append_text(_text(link))
        grid.add_row(Text(clean(marker)), entry)
    title = Text(clean(block.title or ""), style="bold cyan")
    return Group(title, grid) if block.title else grid


def to_rich(blocks: Iterable[Block]) -> RenderableType:
    parts: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(Padding(Text(clean(block.text), style="bold cyan"), (1, 0, 0, 0) if parts else 0))
        elif isinstance(block, Line):
            parts.append(_text(block.text, block.style))
        elif isinstance(block, Records) and block.stacked:
            parts.append(_entries(block))
        elif isinstance(block, Records):
            # A title given as a string would be read as Rich markup: course titles are data.
            title = Text(clean(block.title)) if block.title else None
            table = Table(
                box=box.SIMPLE_HEAD,
                title=title,
                title_justify="left",
                title_style="bold cyan",
                pad_edge=False,
                show_header=block.header,
            )
            # A column with nothing in it takes no room.
            shown = [
                i
                for i in range(len(block.columns))
                if i not in block.hidden and any(_shows(r.cells[i]) for r in block.rows)
            ]
            for index in shown:
                wraps = not block.flexible or index in block.flexible
                table.add_column(block.columns[index], no_wrap=not wraps, overflow="fold" if wraps else "ellipsis")
            for row in block.rows:
                table.add_row(*(_text(row.cells[i]) for i in shown), style=_style(row.style))
            parts.append(table)
        elif isinstance(block, Tree):
            tree = RichTree(_text(block.root.text, block.root.style))
            for child in block.root.children:
                _node(tree, child)
            parts.append(Padding(tree, (1, 0, 0, 0)))
    return Group(*parts)
