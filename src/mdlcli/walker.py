"""The structural reading of a course file: one walk over its YAML events, driven by schema.py.

Every mapping is read through its shape and every value through its key's type: required keys,
defaults, allowed values, unknown and duplicate keys (with did-you-mean), tags, merge keys and
aliases, each error at its file:line:column. What relates items to each other is not here
(crosschecks.py), nor what makes the model of a record (parse.py, through `builders`).

The walk reads libyaml's events (through PyYAML) as they come and composes no node for a value
that reads plainly, which is almost all of a file: a large course is never in memory as YAML, and
reading it costs little more than parsing it. A value that needs a node (an anchor, an alias, a
tag, a section that waits for another) is composed into one (yamlnodes.py) and read again as
the events it was made of, by the same walk. No tag is ever constructed, so none can run code;
a scalar is read from the text the author wrote, so YAML 1.1 guesses (`no` as False, `19:10`
as 1150) never reach the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import yaml

from . import schema
from .errors import CourseInvalid, did_you_mean
from .model import Diagnostic, Severity
from .yamlnodes import (
    BOOL_TAG,
    MAP_TAG,
    MERGE_TAG,
    NULL_TAG,
    PLAIN_TAGS,
    SCALAR_TAGS,
    SEQ_TAG,
    STANDARD_TAGS,
    STR_TAG,
    Composed,
    MappingNode,
    Node,
    Place,
    ScalarNode,
    SequenceNode,
    events_of,
    opening,
)

MAX_TEXT = 10_000  # characters in one value: a description is under 1 000

# Events are read by their exact class (`type(e) is _Scalar`: no isinstance walk up the classes),
# as Any: every event of libyaml's parser has its marks, which PyYAML's types leave optional.
_Scalar: Any = yaml.ScalarEvent
_Alias: Any = yaml.AliasEvent
_MappingStart: Any = yaml.MappingStartEvent
_MappingEnd: Any = yaml.MappingEndEvent
_SequenceStart: Any = yaml.SequenceStartEvent
_SequenceEnd: Any = yaml.SequenceEndEvent
_UNTAGGED = (None, "!")  # what an event without a tag of its own says
_END = "\0end"  # what _other_key says at the end of a mapping: no key is spelt so


class Record(dict[str, Any]):
    """A mapping read through its shape without error: its values by key, and where they were.

    A dict itself, so that reading a value is no Python call: a large course reads millions.
    """

    __slots__ = ("path", "place", "places")
    places: dict[str, Place]  # where each value given in the file starts
    place: Place  # where the mapping starts: a missing key is reported there
    path: str


class Texts(tuple[str, ...]):
    """A list of texts, with where each one is (a curriculum's link ids are checked one by one)."""

    places: tuple[Place, ...] = ()

    def __reduce__(self) -> tuple[type[tuple[str, ...]], tuple[tuple[str, ...]]]:
        # Into the model and the cache as a plain tuple: loading a cached course must not need
        # this module (nor PyYAML, which it loads).
        return (tuple, (tuple(self),))


# Makes the model's item of a record, or None after reporting why it cannot.
Builder = Callable[[Record], Any]


class Walker:
    """Reads the events of one course file through the schema; collects located errors and warnings."""

    def __init__(self, name: str, text: str, builders: Mapping[str, Builder]) -> None:
        self.name = name
        self.builders = builders  # by shape name; a shape without one is read as its Record
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        # (shape, id) of items written in the file that had errors: what refers to them is
        # refused too, with a message that points at the real problem.
        self.broken: set[tuple[str, str]] = set()
        self._broken_named: set[tuple[str, str]] = set()
        self._located: dict[int, tuple[Record, str]] = {}
        self._parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        self._next: Callable[[], Any] = self._parser.get_event
        self._anchors: dict[str, Node] = {}

    def close(self) -> None:
        self._parser.dispose()

    # -- the document ----------------------------------------------------------------------

    def document(self) -> Any:
        """The first event of the document's one value (the top mapping's start, normally)."""
        get, peek = self._parser.get_event, self._parser.peek_event
        get()  # the stream's start
        if isinstance(peek(), yaml.StreamEndEvent):
            empty = "the file is empty; a course file is a YAML mapping"
            raise CourseInvalid([Diagnostic("error", self.name, None, None, "", empty)])
        get()  # the document's start
        self._root = first = get()
        return first

    def finish(self) -> None:
        """After the top value: one document only, and nothing after it."""
        get, peek = self._parser.get_event, self._parser.peek_event
        get()  # the document's end
        if not isinstance(peek(), yaml.StreamEndEvent):
            event = get()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", self._root.start_mark, "but found another document",
                event.start_mark,
            )  # fmt: skip

    # -- locating and reporting ------------------------------------------------------------

    def error(self, place: Place, field: str, message: str) -> None:
        self.problems.append(self._diagnostic("error", place, field, message))

    def warn(self, place: Place, field: str, message: str) -> None:
        self.warnings.append(self._diagnostic("warning", place, field, message))

    def _diagnostic(self, severity: Severity, place: Place, field: str, message: str) -> Diagnostic:
        return Diagnostic(severity, self.name, place.line + 1, place.column + 1, field, message)

    def place(self, first: Any) -> Place:
        """Where the value that starts with this event is."""
        return _place_of(first, self._anchors)

    def keep(self, item: object, like: object) -> None:
        """Locate `item` where `like` was read (a series' deadlines where the series is written)."""
        self._located[id(item)] = self._located[id(like)]

    def given(self, item: object, key: str) -> bool:
        """Whether the file itself gives an item's key (not its default)."""
        return key in self._located[id(item)][0].places

    def at(self, item: object, key: str) -> tuple[Place, str]:
        """Where one of an item's fields is (its mapping when the key is absent), and its path."""
        record, path = self._located[id(item)]
        return record.places.get(key, record.place), f"{path}.{key}"

    def refers(
        self, place: Place, field: str, shape: schema.Shape, ident: str, known: set[str], *, where: str = ""
    ) -> None:
        """An error unless `ident` names an item of `shape` that was built."""
        if ident in known:
            return
        if (shape.name, ident) in self.broken:
            # Said once: the item's own error already makes the file invalid, and one line per
            # session naming a broken meeting would bury it.
            if (shape.name, ident) not in self._broken_named:
                self._broken_named.add((shape.name, ident))
                self.error(place, field, f"the {shape.name} {ident!r} has errors of its own (see above)")
        else:
            self.error(place, field, f"no {shape.name} with id {ident!r}" + (f" in {where}" if where else ""))

    # -- mappings through their shapes -----------------------------------------------------

    def entries(self, first: Any, shape: schema.Shape, path: str = "") -> Iterator[tuple[schema.Key, Any]]:
        """A mapping's keys with the first event of each value, which the caller reads (`value`)
        or keeps (`held`) before asking for the next; at the end, the required keys not given."""
        if not _plain_start(first, _MappingStart):
            node = self._node_for(first, path, MappingNode)
            if node is None:
                return
            first, self._next, was = opening(node), events_of(node).__next__, self._next
        else:
            was = None
        keys, given = _keys(shape), set[str]()
        start = first.start_mark
        try:
            while True:
                # A top has a dozen keys: each read the long way, which is every way.
                name = self._other_key(self._next(), path, shape, given)
                if name is _END:
                    break
                if name is None:
                    continue
                given.add(name)
                yield keys[name], self._next()
            self._missing(start, path, shape, given)
        finally:
            if was is not None:
                self._next = was

    def record(self, first: Any, shape: schema.Shape, path: str, build: Builder | None) -> Any:
        """The item a mapping describes (its Record, without a builder), or None after its errors.

        An item with any error inside leaves no trace: no id, nothing that refers to it accepted.
        """
        if not _plain_start(first, _MappingStart):
            node = self._node_for(first, path, MappingNode)
            return None if node is None else self._again(node, lambda start: self.record(start, shape, path, build))
        problems, before = self.problems, len(self.problems)
        plan = _plan(shape)
        values = Record(_absent_values(shape))
        places: dict[str, Place] = {}
        following = self._next
        broken_id: str | None = None
        inside = 0  # errors in the items of its lists and mappings
        while True:
            event = following()
            name = event.value if type(event) is _Scalar and event.tag is None and event.anchor is None else None
            if name not in plan or name in places:
                name = self._other_key(event, path, shape, places)
                if name is _END:
                    break
                if name is None:
                    continue
            key, convert = plan[name]
            event = following()
            # Most values are plain text that reads without error: read here, with no call to
            # self.value, which reads the rest (and reports every error).
            if convert is not None and type(event) is _Scalar and event.tag is None and event.anchor is None:
                text = event.value
                if (
                    text not in PLAIN_TAGS
                    and "\r" not in text
                    and len(text) <= MAX_TEXT
                    and (text.strip() or not key.required)
                ):
                    try:
                        values[name] = convert(text)
                        places[name] = event.start_mark
                        continue
                    except ValueError:
                        pass
            places[name] = _place_of(event, self._anchors)
            was = len(problems)
            found = self.value(event, key, f"{path}.{name}" if path else name)
            if key.shape is not None:
                inside += len(problems) - was
            if found is not None:
                values[name] = found
            elif name == "id" and type(event) is _Scalar:
                broken_id = event.value
        self._missing(first.start_mark, path, shape, places)
        item = None
        # Errors in the items of its lists do not keep the builder from checking the rest (a
        # curriculum's links, when one of its classes is wrong); the item is not built anyway.
        if len(problems) - inside == before:
            values.places, values.place, values.path = places, first.start_mark, path
            item = build(values) if build is not None else values
        if item is None or len(problems) != before:
            ident = values.get("id") or broken_id
            if isinstance(ident, str):
                self.broken.add((shape.name, ident))
            return None
        if "id" in plan:  # what has an id is what the cross-checks look at again
            self._located[id(item)] = (values, path)
        return item

    def _other_key(self, event: Any, path: str, shape: schema.Shape, given: set[str] | dict[str, Place]) -> str | None:
        """What an event that is no plain known key is: the mapping's end (`_END`), a key that
        reads after all, or None when its value was passed after an error: a merge key, a key
        that is no word, a key given already (the earlier value would be lost), an unknown key."""
        if type(event) is _MappingEnd:
            return _END
        name = self._key(event, path, shape, given)
        if name is None:
            self.skip(self._next())
        return name

    def _key(self, event: Any, path: str, shape: schema.Shape, given: set[str] | dict[str, Place]) -> str | None:
        node = self.compose(event)
        if node.tag == MERGE_TAG:
            self.error(node, f"{path}.<<", "merge keys (<<: *name) are not supported; write the values out")
            return None
        if not isinstance(node, ScalarNode) or node.tag not in SCALAR_TAGS:
            self.error(node, path, "keys must be plain words")
            return None
        key, field = node.value, f"{path}.{node.value}" if path else node.value
        if key in given:
            self.error(node, field, "duplicate key (the earlier value would be lost)")
            return None
        if key not in shape.names:
            hint = did_you_mean(key, shape.names) or f"; expected one of: {', '.join(shape.names)}"
            self.error(node, field, f"unknown key '{key}'{hint}")
            return None
        return key

    def _missing(self, place: Place, path: str, shape: schema.Shape, given: set[str] | dict[str, Place]) -> None:
        for key in shape.keys:
            if key.required and key.name not in given:
                self.error(place, f"{path}.{key.name}" if path else key.name, "is required")

    # -- values by type --------------------------------------------------------------------

    def value(self, first: Any, key: schema.Key, field: str, build: Builder | None = None) -> Any:
        """One key's value from its first event, read as its type says; None when it is empty or
        wrong (after an error if it is required or wrong). `build` the items of a list or mapping
        (by default, their shape's builder)."""
        kind = key.type
        if kind in ("list", "mapping", "texts"):
            if _is_null(first, self._anchors):
                if type(first) is _Scalar and first.anchor is not None:
                    self.compose(first)  # an empty value may be named, and its name used later
                if key.required:
                    self.error(_place_of(first, self._anchors), field, "is required")
                    return None
                return {"texts": _NO_TEXTS, "list": ()}.get(kind)
            if kind == "texts":
                return self._texts(first, field)
            shape = key.shape
            assert shape is not None  # noqa: S101 - the schema gives every list and mapping a shape
            chosen = build or self.builders.get(shape.name)
            if kind == "mapping":
                return self.record(first, shape, field, chosen)
            return self.items(first, shape, field, chosen)
        found = self._scalar(first, field, key.required)
        if found is None:
            return _default(key)
        text, place, tag = found
        if kind == "boolean":
            if tag != BOOL_TAG:
                self.error(place, field, f"{text!r} is not true or false")
                return None
            return text.lower() in ("true", "yes", "on", "y")
        if kind == "choice":
            if text.lower() in key.choices:
                return text.lower()
            hint = did_you_mean(text.lower(), key.choices)
            self.error(place, field, f"{text!r} is not one of: {', '.join(key.choices)}{hint}")
            return None
        convert, problem = schema.TEXT_READERS[kind]
        try:
            return convert(text)
        except ValueError as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], schema.Reason) else None
            shown = repr(text) if len(text) <= 60 else repr(text[:57] + "...")
            self.error(place, field, reason or problem.format(value=text[:60], shown=shown))
            return None

    def items(self, first: Any, shape: schema.Shape, field: str, build: Builder | None) -> tuple[Any, ...]:
        """The items of a list of mappings of `shape` that were built without error."""
        if not _plain_start(first, _SequenceStart):
            node = self._node_for(first, field, SequenceNode)
            if node is None:
                return ()
            return self._again(node, lambda start: self.items(start, shape, field, build))  # type: ignore[no-any-return]
        built: list[Any] = []
        following, index = self._next, 0
        while True:
            event = following()
            if type(event) is _SequenceEnd:
                return tuple(built)
            item = self.record(event, shape, f"{field}[{index}]", build)
            if item is not None:
                built.append(item)
            index += 1

    def _texts(self, first: Any, field: str) -> Texts:
        if not _plain_start(first, _SequenceStart):
            node = self._node_for(first, field, SequenceNode)
            if node is None:
                return _NO_TEXTS
            return self._again(node, lambda start: self._texts(start, field))  # type: ignore[no-any-return]
        texts: list[str] = []
        places: list[Place] = []
        following, index = self._next, 0
        while (event := following()) and type(event) is not _SequenceEnd:
            node = self.compose(event)
            path = f"{field}[{index}]"
            index += 1
            if isinstance(node, ScalarNode) and node.tag in SCALAR_TAGS and node.tag != NULL_TAG:
                if len(node.value) > MAX_TEXT:
                    self.error(node, path, f"is longer than {MAX_TEXT} characters")
                else:
                    texts.append(node.value)
                    places.append(node)
            else:
                self.error(node, path, f"expected text, got {_describe(node)}")
        out = Texts(texts)
        out.places = tuple(places)
        return out

    def _scalar(self, first: Any, field: str, required: bool) -> tuple[str, Place, str] | None:
        """The text the author wrote for a scalar, where it is and its tag; None (after an error
        if it was required) when it is empty or no scalar."""
        node = self.compose(first)
        if _is_null(node, self._anchors):
            if required:
                self.error(node, field, "is required")
            return None
        if not self._standard(node, field):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, field, f"expected a single value, got {_describe(node)}")
            return None
        # One kind of line break inside, as RFC 5545 and terminals know only one.
        text = node.value.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_TEXT:
            self.error(node, field, f"is longer than {MAX_TEXT} characters")
            return None
        if required and not text.strip():
            self.error(node, field, "must not be empty")
            return None
        return text, node, node.tag

    # -- what needs a node -----------------------------------------------------------------

    def held(self, first: Any) -> Composed:
        """A value kept whole, to be read later (a section that needs one further on)."""
        return Composed(self.compose(first))

    def skip(self, first: Any) -> None:
        """Pass a value that is not read (its anchors are still known to later aliases)."""
        self.compose(first)

    def _node_for(self, first: Any, field: str, expected: type[Node]) -> Node | None:
        """The node of a list or mapping that did not start plainly, or None after an error:
        a tag beyond plain YAML data, a value of another kind, an alias of one read already."""
        node = self.compose(first)
        if not self._standard(node, field):
            return None
        if not isinstance(node, expected):
            if expected is MappingNode:
                self.error(node, field, f"expected a mapping (key: value lines), got {_describe(node)}")
            else:
                self.error(node, field, f"expected a list (lines starting with '- '), got {_describe(node)}")
            return None
        # A collection reached twice came through an alias; refusing it bounds the walk by the
        # file's size, so an alias bomb ("billion laughs") is one error, not an explosion.
        if node.visited:
            self.error(node, field, "aliases (*name) of lists or mappings are not supported")
            return None
        node.visited = True
        return node

    def _again(self, node: Node, read: Callable[[Any], Any]) -> Any:
        """`read` a composed node through the events it was made of, then go on where the file is."""
        was, self._next = self._next, events_of(node).__next__
        try:
            return read(opening(node))
        finally:
            self._next = was

    def _standard(self, node: Node, field: str) -> bool:
        """False (after an error) for a tag beyond plain YAML data, such as !!python/object."""
        if node.tag in STANDARD_TAGS:
            return True
        self.error(node, field, f"the tag {node.tag} is not allowed in course files")
        return False

    def compose(self, first: Any) -> Node:
        """The node a value's events make, from its first; without recursion, so that nesting is
        bounded by the parser only. Anchors are registered; an alias is the node it names."""
        stack: list[Node] = []
        pending_keys: list[Node | None] = []
        event = first
        while True:
            kind = type(event)
            done: Node
            if kind is _Scalar:
                tag = event.tag
                if tag in _UNTAGGED:
                    tag = PLAIN_TAGS.get(event.value, STR_TAG) if event.implicit[0] else STR_TAG
                mark = event.start_mark
                done = self._anchored(event, ScalarNode(tag, event.value, mark.line, mark.column))
            elif kind is _MappingEnd or kind is _SequenceEnd:
                done = stack.pop()
                pending_keys.pop()
            elif kind is Composed:
                done = event.node
            elif kind is _Alias:
                if event.anchor not in self._anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                done = self._anchors[event.anchor]
            else:
                mark, tag = event.start_mark, event.tag
                if kind is _SequenceStart:
                    opened: Node = SequenceNode(SEQ_TAG if tag in _UNTAGGED else tag, [], mark.line, mark.column)
                else:
                    opened = MappingNode(MAP_TAG if tag in _UNTAGGED else tag, [], mark.line, mark.column)
                stack.append(self._anchored(event, opened))
                pending_keys.append(None)
                event = self._next()
                continue
            if not stack:
                return done
            parent = stack[-1]
            if type(parent) is SequenceNode:
                parent.value.append(done)
            elif pending_keys[-1] is None:
                pending_keys[-1] = done
            else:
                parent.value.append((pending_keys[-1], done))
                pending_keys[-1] = None
            event = self._next()

    def _anchored(self, event: Any, node: Node) -> Node:
        anchor = event.anchor
        if anchor is not None:
            if anchor in self._anchors:
                first = self._anchors[anchor]
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {anchor!r}; first occurrence",
                    yaml.Mark(self.name, 0, first.line, first.column, None, 0),
                    "second occurrence",
                    event.start_mark,
                )
            self._anchors[anchor] = node
        return node


def _plain_start(event: Any, kind: Any) -> bool:
    """Whether an event opens a list or mapping (as `kind`) with no anchor and no tag of its own."""
    return type(event) is kind and event.anchor is None and event.tag in _UNTAGGED


def _place_of(event: Any, anchors: dict[str, Node]) -> Place:
    if type(event) is _Alias:
        return anchors.get(event.anchor) or event.start_mark
    if type(event) is Composed:
        return event.node
    return event.start_mark  # type: ignore[no-any-return]


def _is_null(event: Any, anchors: dict[str, Node]) -> bool:
    """Whether a value is empty (`~`, `null` or nothing), from its first event or its node."""
    if isinstance(event, Node):
        return event.tag == NULL_TAG
    if type(event) is _Scalar:
        if event.tag in _UNTAGGED:
            return bool(event.implicit[0]) and PLAIN_TAGS.get(event.value) == NULL_TAG
        return event.tag == NULL_TAG  # type: ignore[no-any-return]
    if type(event) is _Alias:
        node = anchors.get(event.anchor)
        return node is not None and node.tag == NULL_TAG
    return type(event) is Composed and event.node.tag == NULL_TAG


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    return f"{shown!r}" if value else "nothing"


# -- what each type's text reads as --------------------------------------------------------


def _default(key: schema.Key) -> object:
    if key.default is None:
        return None
    return key.default == "true" if key.type == "boolean" else key.default


# What an absent optional key reads as, by type, when the schema gives it no default.
_NO_TEXTS = Texts()
_ABSENT: dict[str, object] = {"texts": _NO_TEXTS, "list": (), "boolean": False}


@functools.cache
def _absent_values(shape: schema.Shape) -> dict[str, object]:
    """What each key of a shape reads as when it is absent (a required one: None, after an error)."""
    return {key.name: _ABSENT.get(key.type) if key.default is None else _default(key) for key in shape.keys}


@functools.cache
def _keys(shape: schema.Shape) -> dict[str, schema.Key]:
    return {key.name: key for key in shape.keys}


@functools.cache
def _plan(shape: schema.Shape) -> dict[str, tuple[schema.Key, Callable[[str], object] | None]]:
    """A shape's keys by name, each with the converter of its text if it is of a one-value type
    (a choice, a boolean or a list is read by `value`)."""
    readers = schema.TEXT_READERS
    return {key.name: (key, readers[key.type][0] if key.type in readers else None) for key in shape.keys}
