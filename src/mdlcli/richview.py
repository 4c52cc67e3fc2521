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

from .render import Bar, Block, Cell, Heading, Line, Node, Records, Style, Tree, Url

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
_BAR_WIDTH = 20


def _style(style: Style) -> str:
    return _STYLES[style] if style else ""


def _text(cell: Cell, style: Style = None) -> Text:
    if isinstance(cell, Url):
        return Text(
            cell.text, style=RichStyle(link=cell.url, underline=True) + RichStyle.parse(_style(style) or "none")
        )
    if isinstance(cell, Bar):
        filled = round(cell.fraction * _BAR_WIDTH)
        bar = Text("█" * filled, style="cyan")
        bar.append("░" * (_BAR_WIDTH - filled), style="dim")
        bar.append(f" {round(cell.fraction * 100):>3}%")
        return bar
    return Text(cell, style=_style(style))


def _node(tree: RichTree, node: Node) -> None:
    branch = tree.add(_text(node.text, node.style))
    for child in node.children:
        _node(branch, child)


def to_rich(blocks: Iterable[Block]) -> RenderableType:
    parts: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(Padding(Text(block.text, style="bold cyan"), (1, 0, 0, 0) if parts else 0))
        elif isinstance(block, Line):
            parts.append(_text(block.text, block.style))
        elif isinstance(block, Records):
            table = Table(box=box.SIMPLE_HEAD, title=block.title, title_justify="left", title_style="bold cyan")
            for column in block.columns:
                table.add_column(column, overflow="fold")
            for row in block.rows:
                table.add_row(*(_text(c) for c in row.cells), style=_style(row.style))
            parts.append(table)
        elif isinstance(block, Tree):
            tree = RichTree(_text(block.root.text, block.root.style))
            for child in block.root.children:
                _node(tree, child)
            parts.append(Padding(tree, (1, 0, 0, 0)))
    return Group(*parts)
