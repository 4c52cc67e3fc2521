"""A course file's YAML as nodes of mdl's own, each with its line and column.

The events of libyaml's parser (through PyYAML) are composed here into scalars, sequences and
mappings, never constructed into Python objects, so no tag can run code. The top mapping is read
as far as the reader asks (`TopMapping`), and the list it asks for is streamed, so a large course
is never all in memory as nodes. A scalar keeps the text the author wrote and the tag it would
have, so YAML 1.1 guesses (`no` as False, `19:10` as 1150) never reach the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import yaml

from .errors import CourseInvalid
from .model import Diagnostic

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
_PLAIN_TAGS = {**dict.fromkeys(_NULLS, NULL_TAG), **dict.fromkeys(_BOOLS, BOOL_TAG), "<<": MERGE_TAG}
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def scalar_tag(value: str, plain: bool) -> str:
    """The tag of an untagged scalar: only null, boolean, merge and text are told apart.

    Every scalar is read from the text its author wrote, so YAML 1.1's guesses (int, float,
    timestamp) are not needed; resolving them was two thirds of the loading time of a large
    course, spent in PyYAML's regular expressions.
    """
    return _PLAIN_TAGS.get(value, STR_TAG) if plain else STR_TAG


class Node:
    """A YAML node as the reader needs it: its tag, its value and where it starts (0-based).

    PyYAML's own nodes carry two position objects each; a course of 15 000 sessions made of
    them took 650 MB. These take a tenth, and only a top-level list's current item is held.
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
    """A list; a top-level list's value is an iterator that composes one item at a time."""

    __slots__ = ()
    value: Iterable[Node]


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


class Fields(dict[str, Node]):
    """A mapping's values by key, remembering the mapping's node to locate a missing key."""

    __slots__ = ("node",)  # one a mapping read: no second dict for the attribute

    def __init__(self, node: Node) -> None:  # made empty: dict's own __init__ has nothing to do
        self.node = node

    def in_file_order(self) -> Iterator[str]:
        yield from list(self)

    def hold(self, key: str) -> None:
        """Keep a value whole, to be read later (a read mapping is whole already)."""


class Events:
    """The YAML events of a course file (libyaml's parser, through PyYAML), composed into nodes.

    Composes nothing, constructs nothing: no tag can run code. A syntax error anywhere is raised
    (as PyYAML's MarkedYAMLError) when the reading gets there.
    """

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self._parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        self._anchors: dict[str, Node] = {}
        self._root: Node | None = None
        self._top: TopMapping | None = None

    def close(self) -> None:
        self._parser.dispose()

    def document(self) -> Node | TopMapping:
        """The root: a top-level mapping is read lazily, as `TopMapping`; anything else composed."""
        get, peek = self._parser.get_event, self._parser.peek_event
        get()  # the stream's start
        if isinstance(peek(), yaml.StreamEndEvent):
            empty = "the file is empty; a course file is a YAML mapping"
            raise CourseInvalid([Diagnostic("error", self.name, None, None, "", empty)])
        get()  # the document's start
        start = peek()
        if isinstance(start, yaml.MappingStartEvent) and start.anchor is None and start.tag in (None, "!", MAP_TAG):
            get()
            self._root = MappingNode(MAP_TAG, [], *position(start))
            self._top = TopMapping(self, self._root)
            return self._top
        self._root = self.node()
        self._end_of_stream()
        return self._root

    def finish(self) -> None:
        """Read what the reader did not ask for, so that every syntax error is found."""
        if self._top is not None:
            self._top.read_all()
            self._top = None
            self._end_of_stream()

    def _end_of_stream(self) -> None:
        get, peek = self._parser.get_event, self._parser.peek_event
        get()  # the document's end
        if not isinstance(peek(), yaml.StreamEndEvent):
            event = get()
            root = self._root
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                mark_of(self.name, root) if root else None,
                "but found another document",
                event.start_mark,
            )

    def at_mapping_end(self) -> bool:
        if isinstance(self._parser.peek_event(), yaml.MappingEndEvent):
            self._parser.get_event()
            return True
        return False

    def node(self) -> Node:
        """The next node, composed whole (without recursion: nesting is bounded by the parser only)."""
        get = self._parser.get_event
        scalar_event, plain_tags = yaml.ScalarEvent, _PLAIN_TAGS
        stack: list[Node] = []
        pending_keys: list[Node | None] = []
        while True:
            event = get()
            kind = type(event)
            # Scalars are most of a file: made here, with no call; the rest by _opened.
            if kind is scalar_event and event.anchor is None:
                tag, value, mark = event.tag, event.value, event.start_mark
                if tag is None or tag == "!":
                    tag = plain_tags.get(value, STR_TAG) if event.implicit[0] else STR_TAG
                done: Node = ScalarNode(tag, value, mark.line, mark.column)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                pending_keys.pop()
            else:
                done = self._opened(event)
                if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    stack.append(done)
                    pending_keys.append(None)
                    continue
            if not stack:
                return done
            parent = stack[-1]
            if type(parent) is SequenceNode:
                cast(list[Node], parent.value).append(done)
            elif pending_keys[-1] is None:
                pending_keys[-1] = done
            else:
                parent.value.append((pending_keys[-1], done))
                pending_keys[-1] = None

    def _opened(self, event: Any) -> Node:
        """The node an event starts (an alias: the node it names), registered under its anchor."""
        mark = event.start_mark
        line, column = position(event)
        if type(event) is yaml.AliasEvent:
            if event.anchor not in self._anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", mark)
            return self._anchors[event.anchor]
        tag = event.tag
        node: Node
        if type(event) is yaml.ScalarEvent:
            node = ScalarNode(
                tag if tag not in (None, "!") else scalar_tag(event.value, event.implicit[0]),
                event.value,
                mark.line,
                mark.column,
            )
        elif type(event) is yaml.SequenceStartEvent:
            node = SequenceNode(tag if tag not in (None, "!") else SEQ_TAG, [], line, column)
        else:
            node = MappingNode(tag if tag not in (None, "!") else MAP_TAG, [], line, column)
        if event.anchor is not None:
            if event.anchor in self._anchors:
                first = self._anchors[event.anchor]
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {event.anchor!r}; first occurrence",
                    mark_of(self.name, first),
                    "second occurrence",
                    mark,
                )
            self._anchors[event.anchor] = node
        return node

    def streamed(self) -> SequenceNode | None:
        """The next node as a list whose items are composed as they are read, if it is a plain list."""
        start = self._parser.peek_event()
        if (
            type(start) is not yaml.SequenceStartEvent
            or start.anchor is not None
            or start.tag not in (None, "!", SEQ_TAG)
        ):
            return None
        self._parser.get_event()
        return SequenceNode(SEQ_TAG, self._items(), *position(start))

    def _items(self) -> Iterator[Node]:
        while not isinstance(self._parser.peek_event(), yaml.SequenceEndEvent):
            yield self.node()
        self._parser.get_event()


def position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line, mark.column) if mark else (0, 0)


def mark_of(name: str, node: Node) -> yaml.Mark:
    """A node's position as PyYAML's errors give it."""
    return yaml.Mark(name, 0, node.line, node.column, None, 0)


class TopMapping(Fields):
    """The top-level mapping of a course file, read as far as the reader has asked.

    The reader asks for the sections in its own order. Sections it passes on the way are
    composed and kept; the one it asks for, if a plain list, is handed over as a stream of
    items, so that a large course is never all in memory as nodes. Its keys are checked as
    they come (unknown, duplicate, merge), and those errors are reported first, as if the whole
    mapping had been read at once.
    """

    def __init__(self, events: Events, node: MappingNode) -> None:
        super().__init__(node)
        self._events = events
        self._seen: set[str] = set()
        self._streaming: SequenceNode | None = None
        self._ended = False
        # Set by the reader: whether a key may be used (None, after an error, if not), given the keys seen.
        self.check_key: Callable[[Node, set[str]], str | None] | None = None

    def _advance(self, wanted: str | None, *, one: bool = False) -> Node | None:
        """Read on to the key `wanted` (None: to the end; `one`: the next key) and give its value."""
        if self._streaming is not None:  # the reader left a list unfinished: read past it
            for _ in self._streaming.value:
                pass
            self._streaming = None
        events = self._events
        while not self._ended:
            if events.at_mapping_end():
                self._ended = True
                break
            key_node = events.node()
            key = self._key(key_node)
            if key is not None and (key == wanted or one):
                streamed = events.streamed()
                if streamed is not None:
                    self._streaming = streamed
                    self[key] = streamed
                    return streamed
            value = events.node()
            if key is not None:
                self[key] = value
                if key == wanted:
                    return value
            if one:
                return None
        return None

    def _key(self, key_node: Node) -> str | None:
        """The key, or None (after an error) for one that cannot be used; its value is then skipped."""
        if self.check_key is None:
            raise RuntimeError("the top of a course file is read with a reader's key check")
        key = self.check_key(key_node, self._seen)
        if key is not None:
            self._seen.add(key)
        return key

    def read_all(self) -> None:
        self._advance(None)

    def in_file_order(self) -> Iterator[str]:
        """The keys, in the order of the file, each value read when its key is given."""
        yield from list(self)  # those read already (on the way to an earlier request)
        while not self._ended:
            before = set(self)
            self._advance(None, one=True)
            yield from [key for key in self if key not in before]

    def hold(self, key: str) -> None:
        if self._streaming is not None and self.get(key) is self._streaming:
            self._streaming.value = list(self._streaming.value)
            self._streaming = None

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.keys():
            return dict.get(self, key)
        found = self._advance(key)
        return default if found is None else found

    def __getitem__(self, key: str) -> Node:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return cast("Node", found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None
