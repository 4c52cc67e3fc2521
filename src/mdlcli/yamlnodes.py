"""The YAML of a course file as the walk over it (walker.py) knows it: tags, places, nodes.

Nodes are made only for a value that cannot be read as its events come (an anchor, an alias, a
tag, a section held for later), and read again as the events they were made of. A scalar keeps
the text the author wrote and only the tags null, boolean, merge and text are told apart:
resolving YAML 1.1's int, float and timestamp was two thirds of the loading time of a large
course, and every value is read from its text anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import yaml

_YAML = "tag:yaml.org,2002:"
STR_TAG, NULL_TAG, BOOL_TAG, MERGE_TAG, SEQ_TAG, MAP_TAG = (
    _YAML + t for t in ("str", "null", "bool", "merge", "seq", "map")
)
SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
STANDARD_TAGS = {*SCALAR_TAGS, _YAML + "map", _YAML + "seq"}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = frozenset(
    w for word in ("true", "false", "yes", "no", "on", "off", "y", "n") for w in (word, word.capitalize(), word.upper())
)
PLAIN_TAGS = {**dict.fromkeys(_NULLS, NULL_TAG), **dict.fromkeys(_BOOLS, BOOL_TAG), "<<": MERGE_TAG}


class Place(Protocol):
    """Where something starts in the file (0-based): an event's mark, or a node."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class Node:
    """A YAML node as the reader needs it: its tag, its value and where it starts (0-based).

    PyYAML's own nodes carry two position objects each; these carry two numbers.
    """

    __slots__ = ("column", "line", "tag", "value", "visited")

    def __init__(self, tag: str, value: Any, line: int, column: int) -> None:
        self.tag = tag
        self.value = value
        self.line = line
        self.column = column
        self.visited = False  # for a list or mapping: the reader has been through it


class ScalarNode(Node):
    __slots__ = ()
    value: str


class SequenceNode(Node):
    __slots__ = ()
    value: list[Node]


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


class Composed:
    """An event that stands for a node composed already: a value held for later, or a list or
    mapping inside one that is read again (walker.py reads both as it reads the file's events)."""

    __slots__ = ("node",)

    def __init__(self, node: Node) -> None:
        self.node = node


def opening(node: Node) -> Any:
    """The start event a composed list or mapping is read again from: no tag, no anchor (both
    were read when it was composed)."""
    mark = yaml.Mark("", 0, node.line, node.column, None, 0)
    start = yaml.SequenceStartEvent if isinstance(node, SequenceNode) else yaml.MappingStartEvent
    return start(None, None, True, mark, mark)


def events_of(node: Node) -> Iterator[Any]:
    """The events that follow `opening(node)`: its items (a list or mapping among them as one
    `Composed`), then its end."""
    if isinstance(node, SequenceNode):
        for item in node.value:
            yield _event_of(item)
        yield yaml.SequenceEndEvent()
        return
    for key, value in node.value:
        yield _event_of(key)
        yield _event_of(value)
    yield yaml.MappingEndEvent()


def _event_of(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        mark = yaml.Mark("", 0, node.line, node.column, None, 0)
        return yaml.ScalarEvent(None, node.tag, (False, False), node.value, mark, mark)
    return Composed(node)
