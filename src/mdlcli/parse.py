"""YAML text → the validated model. Pure: no files, no clock; every error located as file:line:column.

Course files are untrusted. They are read as YAML events (libyaml, through PyYAML) into nodes
of our own, never constructed into Python objects, so no tag can run code; every value is read
from its node, so every error carries the node's file:line:column; and a scalar is read from the
text the author wrote, so YAML 1.1 guesses (`no` as False, `19:10` as 1150) never reach the model.

Every mapping is read through its shape in schema.py, and an item is built only when nothing in
it had an error: an item that fails leaves no trace (no id, nothing that refers to it accepted).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Container, Iterator
from typing import Any, TypeVar

import yaml

from . import schema
from .crosschecks import CrossChecks
from .errors import CourseInvalid, did_you_mean
from .model import (
    SCHEMA_VERSIONS,
    WEEKDAYS,
    Course,
    Curriculum,
    CurriculumClass,
    Deadline,
    Diagnostic,
    GradingComponent,
    Link,
    Meeting,
    Person,
    PrerequisiteGroup,
    Reading,
    ReadingList,
    Reference,
    Session,
    Severity,
    SyllabusPart,
)
from .names import plain_name_problem
from .timeutil import FIRST_YEAR, LAST_YEAR, zone_named
from .yamlnodes import (
    BOOL_TAG,
    CLOCK,
    MERGE_TAG,
    NULL_TAG,
    SCALAR_TAGS,
    STANDARD_TAGS,
    STR_TAG,
    Events,
    Fields,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    TopMapping,
)

MAX_TEXT = 10_000  # characters in one value: a description is under 1 000
MAX_SERIES = 1_000  # deadlines in one series: a weekly homework for twenty years
T = TypeVar("T")
V = TypeVar("V")


class _Record(dict[str, Any]):
    """A mapping read through its shape without error: its values by key, and where they are.

    A dict itself, so that reading a value is no Python call: a large course reads millions.
    """

    __slots__ = ("fields", "path")
    fields: Fields
    path: str


def parse_course(text: str, name: str) -> Course:
    """Parse and validate a course; raise CourseInvalid listing every error and warning."""
    reader = _Reader(name)
    events = Events(text, name)
    try:
        course = reader.course(events.document())
        events.finish()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = "invalid YAML: " + " ".join(p for p in (exc.context, exc.problem) if p)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CourseInvalid([Diagnostic("error", name, line, column, "", what)]) from None
    except yaml.YAMLError as exc:
        raise CourseInvalid([Diagnostic("error", name, None, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        events.close()
    if reader.problems or course is None:
        raise CourseInvalid(reader.problems, reader.warnings)
    return course


class _Reader:
    """Walks the composed YAML, builds the model and collects located errors and warnings."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self._located: dict[int, tuple[Fields, str]] = {}
        # (shape, id) of items written in the file that had errors: what refers to them is
        # refused too, with a message that points at the real problem.
        self.broken: set[tuple[str, str]] = set()
        self._broken_named: set[tuple[str, str]] = set()
        self.version = SCHEMA_VERSIONS[-1]

    def keep(self, item: T, fields: Fields, path: str) -> T:
        """Remember where a model item came from, for the cross-checks that run after building.

        Only its own values' positions are kept: a list in it (a reading list's references) goes,
        so that what was read can be let go as the reading goes on.
        """
        where = Fields(Node(fields.node.tag, None, fields.node.line, fields.node.column))
        where.update((key, node) for key, node in fields.items() if type(node) is ScalarNode)
        self._located[id(item)] = (where, path)
        return item

    def given(self, item: object, key: str) -> bool:
        """Whether the file itself gives an item's key (not its default)."""
        return key in self._located[id(item)][0]

    def at(self, item: object, key: str) -> tuple[Node, str]:
        """The node of one of an item's fields (its mapping when the key is absent) and its path."""
        fields, path = self._located[id(item)]
        return fields.get(key, fields.node), f"{path}.{key}"

    # -- locating and reporting ------------------------------------------------------------

    def _diagnostic(self, severity: Severity, node: Node, field: str, message: str) -> Diagnostic:
        return Diagnostic(severity, self.name, node.line + 1, node.column + 1, field, message)

    def error(self, node: Node, field: str, message: str) -> None:
        self.problems.append(self._diagnostic("error", node, field, message))

    def warn(self, node: Node, field: str, message: str) -> None:
        self.warnings.append(self._diagnostic("warning", node, field, message))

    def refers(
        self, node: Node, field: str, shape: schema.Shape, ident: str, known: set[str], *, where: str = ""
    ) -> None:
        """An error unless `ident` names an item of `shape` that was built."""
        if ident in known:
            return
        if (shape.name, ident) in self.broken:
            # Said once: the item's own error already makes the file invalid, and one line per
            # session naming a broken meeting would bury it.
            if (shape.name, ident) not in self._broken_named:
                self._broken_named.add((shape.name, ident))
                self.error(node, field, f"the {shape.name} {ident!r} has errors of its own (see above)")
        else:
            self.error(node, field, f"no {shape.name} with id {ident!r}" + (f" in {where}" if where else ""))

    # -- items through their shapes --------------------------------------------------------

    def build(
        self, node: Node, path: str, shape: schema.Shape, make: Callable[[_Record], T | None], *, kept: bool = True
    ) -> T | None:
        """The item a mapping describes, or None (after its errors) when anything in it is wrong.

        `kept`: its place is remembered for the cross-checks (items inside items need none).
        """
        before = len(self.problems)
        record = self.record(node, path, shape)
        item = make(record) if record is not None else None
        if record is None or item is None or len(self.problems) > before:
            self._note_broken(node, shape)
            return None
        return self.keep(item, record.fields, path) if kept else item

    def build_all(
        self,
        fields: Fields,
        key: str,
        path: str,
        shape: schema.Shape,
        make: Callable[[_Record], T | None],
        *,
        kept: bool = True,
    ) -> tuple[T, ...]:
        built = []
        for node, item_path in self.items(fields.get(key), f"{path}.{key}" if path else key):
            item = self.build(node, item_path, shape, make, kept=kept)
            if item is not None:
                built.append(item)
        return tuple(built)

    def record(self, node: Node, path: str, shape: schema.Shape) -> _Record | None:
        before = len(self.problems)
        fields = self.fields(node, path, shape.names)
        if fields is None:
            return None
        values = _Record(_absent_values(shape))
        for key, convert in _read_plainly(shape):
            found = fields.get(key.name)
            if found is None and not key.required:
                continue  # absent: the value is the default already
            # Most values are plain text that reads without error: read here, with no call to
            # self.value, which reads the rest (and reports every error) as before.
            if convert is not None and type(found) is ScalarNode and found.tag is STR_TAG:
                text = found.value
                if "\r" not in text and len(text) <= MAX_TEXT and (text.strip() or not key.required):
                    try:
                        values[key.name] = convert(text)
                        continue
                    except ValueError:
                        pass
            values[key.name] = self.value(fields, key, path)
        if len(self.problems) != before:
            return None
        values.fields, values.path = fields, path
        return values

    def _note_broken(self, node: Node, shape: schema.Shape) -> None:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == "id" and isinstance(value_node, ScalarNode):
                    self.broken.add((shape.name, value_node.value))

    def value(self, fields: Fields, key: schema.Key, path: str) -> Any:
        """One key's value, read as its type says; None when it is absent (after an error if required)."""
        name, required = key.name, key.required
        found: Any
        if name not in fields and not required:  # most optional keys are absent: the short way
            return _ABSENT.get(key.type, key.default) if key.default is None else _default(key)
        read_scalar = _SCALAR_READERS.get(key.type)
        if read_scalar is not None:  # most keys: one lookup, not a walk down the list of types
            found = read_scalar(self, fields, name, path, required)
        elif key.type in ("list", "mapping"):
            found = fields.get(name)
            if required and (found is None or _is_null(found)):
                self.error(found or fields.node, f"{path}.{name}" if path else name, "is required")
        elif key.type == "texts":
            found = self.texts(fields, name, path)
        elif key.type == "boolean":
            found = self.flag(fields, name, path)
        else:
            found = self.choice(fields, name, path, key.choices, required)
        if found is None and key.default is not None:
            return _default(key)
        return found

    # -- generic readers -------------------------------------------------------------------

    def standard(self, node: Node, field: str) -> bool:
        """False (after an error) for a tag beyond plain YAML data, such as !!python/object."""
        if node.tag in STANDARD_TAGS:
            return True
        self.error(node, field, f"the tag {node.tag} is not allowed in course files")
        return False

    def fields(self, node: Node, field: str, allowed: tuple[str, ...]) -> Fields | None:
        """A mapping's values by key; duplicate and unknown keys are errors (typos must not vanish)."""
        if not self.standard(node, field):
            return None
        if not isinstance(node, MappingNode):
            self.error(node, field, f"expected a mapping (key: value lines), got {_describe(node)}")
            return None
        if not self._first_visit(node, field):
            return None
        out = Fields(node)
        known = _names(allowed)
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.tag is STR_TAG:  # a plain word: the common case
                key = key_node.value
                if key in known and key not in out:
                    out[key] = value_node
                    continue
            found = self.key_of(key_node, field, allowed, out)
            if found is not None:
                out[found] = value_node
        return out

    def key_of(self, key_node: Node, field: str, allowed: tuple[str, ...], taken: Container[str]) -> str | None:
        """A mapping's key, or None after an error: a merge key, a key that is no word, a key
        already in `taken` (the earlier value would be lost) or one the shape does not know."""
        if key_node.tag == MERGE_TAG:
            self.error(key_node, f"{field}.<<", "merge keys (<<: *name) are not supported; write the values out")
            return None
        if not isinstance(key_node, ScalarNode) or key_node.tag not in SCALAR_TAGS:
            self.error(key_node, field, "keys must be plain words")
            return None
        key = key_node.value
        if key in taken:
            self.error(key_node, f"{field}.{key}" if field else key, "duplicate key (the earlier value would be lost)")
            return None
        if key not in _names(allowed):
            hint = did_you_mean(key, allowed) or f"; expected one of: {', '.join(allowed)}"
            self.error(key_node, f"{field}.{key}" if field else key, f"unknown key '{key}'{hint}")
            return None
        return key

    def items(self, node: Node | None, field: str) -> Iterator[tuple[Node, str]]:
        if node is None or _is_null(node) or not self.standard(node, field):
            return
        if not isinstance(node, SequenceNode):
            self.error(node, field, f"expected a list (lines starting with '- '), got {_describe(node)}")
            return
        if not self._first_visit(node, field):
            return
        for index, item in enumerate(node.value):
            yield item, f"{field}[{index}]"

    def _first_visit(self, node: Node, field: str) -> bool:
        # A collection reached twice came through an alias; refusing it bounds the walk by the
        # file's size, so an alias bomb ("billion laughs") is one error, not an explosion.
        # The mark is on the node, not a set of ids: nodes read are let go, and their ids reused.
        if node.visited:
            self.error(node, field, "aliases (*name) of lists or mappings are not supported")
            return False
        node.visited = True
        return True

    def scalar(self, fields: Fields, key: str, field: str, required: bool) -> tuple[str, Node] | None:
        """The text the author wrote for a scalar, or None (after an error if it was required)."""
        node = fields.get(key)
        if type(node) is ScalarNode and node.tag is STR_TAG:  # the common case, with no path to spell out
            text = node.value
            if "\r" not in text and len(text) <= MAX_TEXT and (text.strip() or not required):
                return text, node
        path = f"{field}.{key}" if field else key
        if node is None or _is_null(node):
            if required:
                self.error(node or fields.node, path, "is required")
            return None
        if not self.standard(node, path):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, path, f"expected a single value, got {_describe(node)}")
            return None
        # One kind of line break inside, as RFC 5545 and terminals know only one.
        text = node.value.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_TEXT:
            self.error(node, path, f"is longer than {MAX_TEXT} characters")
            return None
        if required and not text.strip():
            self.error(node, path, "must not be empty")
            return None
        return text, node

    def text(self, fields: Fields, key: str, field: str, required: bool = False) -> str | None:
        found = self.scalar(fields, key, field, required)
        return found[0] if found else None

    def typed(
        self, fields: Fields, key: str, field: str, *, required: bool, convert: Callable[[str], V], problem: str
    ) -> V | None:
        """A scalar through `convert`; its ValueError is reported as `problem` (with {value} and {shown})."""
        found = self.scalar(fields, key, field, required)
        if found is None:
            return None
        value, node = found
        try:
            return convert(value)
        except ValueError as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], _Reason) else None
            shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
            self.error(node, f"{field}.{key}", reason or problem.format(value=value[:60], shown=shown))
            return None

    def ident(self, fields: Fields, key: str, field: str, required: bool = True) -> str | None:
        problem = "{shown} is not a valid id (letters, digits, '-', '_', '.')"
        return self.typed(fields, key, field, required=required, convert=_ident, problem=problem)

    def url(self, fields: Fields, key: str, field: str, required: bool = False) -> str | None:
        problem = "{shown} is not a web address (http:// or https://)"
        return self.typed(fields, key, field, required=required, convert=_url, problem=problem)

    def integer(self, fields: Fields, key: str, field: str, required: bool = False) -> int | None:
        problem = "{shown} is not a whole number"
        return self.typed(fields, key, field, required=required, convert=_whole_number, problem=problem)

    def date(self, fields: Fields, key: str, field: str, required: bool = False) -> dt.date | None:
        problem = "{value} is not a valid date (expected YYYY-MM-DD)"
        return self.typed(fields, key, field, required=required, convert=_date, problem=problem)

    def time(self, fields: Fields, key: str, field: str, required: bool = False) -> dt.time | None:
        problem = '{value} is not a valid time (expected HH:MM, quoted: "19:10")'
        return self.typed(fields, key, field, required=required, convert=_clock, problem=problem)

    def zone(self, fields: Fields, key: str, field: str, required: bool = False) -> zoneinfo.ZoneInfo | None:
        problem = "{shown} is not a known IANA time zone (e.g. America/New_York)"
        return self.typed(fields, key, field, required=required, convert=_zone, problem=problem)

    def flag(self, fields: Fields, key: str, field: str) -> bool:
        found = self.scalar(fields, key, field, required=False)
        if found is None:
            return False
        value, node = found
        if node.tag != BOOL_TAG:
            self.error(node, f"{field}.{key}", f"{value!r} is not true or false")
            return False
        return value.lower() in ("true", "yes", "on", "y")

    def choice(self, fields: Fields, key: str, field: str, options: tuple[str, ...], required: bool) -> str | None:
        found = self.scalar(fields, key, field, required)
        if found is None:
            return None
        value, node = found
        if value.lower() in options:
            return value.lower()
        hint = did_you_mean(value.lower(), options)
        self.error(node, f"{field}.{key}", f"{value!r} is not one of: {', '.join(options)}{hint}")
        return None

    def texts(self, fields: Fields, key: str, field: str) -> tuple[str, ...]:
        out = []
        for item, path in self.items(fields.get(key), f"{field}.{key}" if field else key):
            if isinstance(item, ScalarNode) and item.tag in SCALAR_TAGS and not _is_null(item):
                if len(item.value) > MAX_TEXT:
                    self.error(item, path, f"is longer than {MAX_TEXT} characters")
                else:
                    out.append(item.value)
            else:
                self.error(item, path, f"expected text, got {_describe(item)}")
        return tuple(out)

    # -- the course ------------------------------------------------------------------------

    def course(self, root: Node | TopMapping) -> Course | None:
        top: Fields | None
        key_problems: list[Diagnostic] = []
        if isinstance(root, TopMapping):

            def check_key(key_node: Node, seen: set[str]) -> str | None:
                before = len(self.problems)
                key = self.key_of(key_node, "", schema.COURSE_FILE.names, seen)
                key_problems.extend(self.problems[before:])
                del self.problems[before:]
                return key

            top, root.check_key = root, check_key
        else:
            top = self.fields(root, "", schema.COURSE_FILE.names)
        if top is None:
            return None
        course = self._read_course(top)
        if isinstance(top, TopMapping):
            top.read_all()
            # Reported first, as when the whole mapping was read before its sections.
            self.problems[:0] = key_problems
        return None if self.problems else course

    def _read_course(self, top: Fields) -> Course | None:
        version = self.integer(top, "schema", "", required=True)
        if version is not None and version not in SCHEMA_VERSIONS:
            self.error(top["schema"], "schema", f"version {version} is not supported (this mdl reads versions 1 and 2)")
        self.version = version if version in SCHEMA_VERSIONS else SCHEMA_VERSIONS[-1]
        about = None
        if "course" not in top or _is_null(top["course"]):
            self.error(top.get("course", top.node), "course", "is required")
        else:
            about = self.record(top["course"], "course", schema.ABOUT)
            self._check_course_id(about)
        # Everything is read even when the top has errors, so that one run reports them all.
        course = self._read_everything(top, about)
        if course is None:
            return None
        # Cross-checks run over what was built, so their errors come with the others; what
        # refers to a broken item is refused there, and a course with any error is not returned.
        CrossChecks(self).run(course, top)
        return None if self.problems else course._replace(warnings=tuple(self.warnings))

    def _check_course_id(self, about: _Record | None) -> None:
        """The course's id names its files (a downloaded copy, COURSE.ics, a site's): a plain name only."""
        course_id = about["id"] if about else None
        problem = plain_name_problem(course_id) if course_id else None
        if about and problem:
            self.error(about.fields["id"], "course.id", f"{course_id!r} {problem}; the course id names its files")

    def _read_everything(self, top: Fields, about: _Record | None = None) -> Course | None:
        zone: zoneinfo.ZoneInfo = about["timezone"] if about else zoneinfo.ZoneInfo("UTC")
        term_start = about["term_start"] if about else None
        built: dict[str, Any] = {}

        def sessions() -> tuple[Session, ...]:
            meetings: tuple[Meeting, ...] = built.get("meetings", ())
            default_meeting = "lecture" if self.version == 1 else (meetings[0].id if meetings else None)
            ids = {m.id for m in meetings}
            return self.build_all(
                top, "sessions", "", schema.SESSION, lambda r: self._session(r, term_start, default_meeting, ids)
            )

        def deadlines() -> tuple[Deadline, ...]:
            series = self.build_all(top, "deadlines", "", schema.DEADLINE, lambda r: self._deadlines(r, zone))
            return tuple(self.keep(d, *self._located[id(s)]) for s in series for d in s)

        def curricula() -> tuple[Curriculum, ...]:
            links = built.get("links", ())
            return self.build_all(top, "curricula", "", schema.CURRICULUM, lambda r: self._curriculum(r, links))

        sections: dict[str, Callable[[], Any]] = {
            "people": lambda: self.build_all(top, "people", "", schema.PERSON, _person),
            "meetings": lambda: self.build_all(top, "meetings", "", schema.MEETING, self._meeting),
            "links": lambda: self.build_all(top, "links", "", schema.LINK, _link),
            "description": lambda: self.text(top, "description", ""),
            "syllabus": lambda: self.build_all(top, "syllabus", "", schema.SYLLABUS_PART, _syllabus_part),
            "prerequisites": lambda: self._prerequisites(top),
            "grading": lambda: self.build_all(top, "grading", "", schema.GRADING, _grading),
            "deadlines": deadlines,
            "sessions": sessions,
            "reading_lists": lambda: self.build_all(top, "reading_lists", "", schema.READING_LIST, self._reading_list),
            "curricula": curricula,
        }
        # Sections are read in the order of the file, so that a large one streams through; one
        # that needs another not read yet waits for it (kept whole meanwhile).
        needs = {"sessions": "meetings", "curricula": "links"}
        waiting: list[str] = []
        for key in top.in_file_order():
            if key not in sections:
                continue
            need = needs.get(key)
            if need is not None and need not in built:
                top.hold(key)
                waiting.append(key)
                continue
            built[key] = sections[key]()
            for held in [k for k in waiting if needs[k] in built]:
                waiting.remove(held)
                built[held] = sections[held]()
        for key, read in sections.items():  # absent, or waiting for a section the file does not have
            if key not in built:
                built[key] = read()
        if about is None:
            return None
        return Course(
            path=self.name,
            schema=self.version,
            id=about["id"],
            title=about["title"],
            kind=about["kind"],
            code=about["code"],
            institution=about["institution"],
            term=about["term"],
            timezone=zone.key,
            term_start=about["term_start"],
            term_end=about["term_end"],
            people=built["people"],
            meetings=built["meetings"],
            links=built["links"],
            description=built["description"],
            syllabus=built["syllabus"],
            prerequisites=built["prerequisites"],
            grading=built["grading"],
            deadlines=built["deadlines"],
            sessions=built["sessions"],
            reading_lists=built["reading_lists"],
            curricula=built["curricula"],
            warnings=(),
        )

    def _meeting(self, r: _Record) -> Meeting | None:
        start, end, first, last = r["start"], r["end"], r["first"], r["last"]
        if start >= end:
            self.error(r.fields["end"], f"{r.path}.end", f"{end:%H:%M} is not after the start, {start:%H:%M}")
            return None
        if first and last and first > last:
            self.error(r.fields["last"], f"{r.path}.last", f"{last} is before first, {first}")
            return None
        return Meeting(
            id=r["id"],
            title=r["title"] or r["id"],
            weekday=WEEKDAYS.index(r["weekday"]),
            start=start,
            end=end,
            location=r["location"],
            optional=r["optional"],
            first=first,
            last=last,
        )

    def _prerequisites(self, top: Fields) -> tuple[PrerequisiteGroup, ...]:
        if "prerequisites" not in top or _is_null(top["prerequisites"]):
            return ()
        groups = self.record(top["prerequisites"], "prerequisites", schema.PREREQUISITES)
        if groups is None:
            return ()
        built = []
        for key in ("required", "nice_to_have"):
            if groups[key] is not None:

                def group(r: _Record, name: str = key) -> PrerequisiteGroup:
                    return PrerequisiteGroup(name.replace("_", " "), r["level"], r["topics"])

                found = self.build(groups[key], f"prerequisites.{key}", schema.PREREQUISITE_GROUP, group)
                if found is not None:
                    built.append(found)
        return tuple(built)

    def _deadlines(self, r: _Record, zone: zoneinfo.ZoneInfo) -> tuple[Deadline, ...] | None:
        """One deadline, or the deadlines of a series (`every: week`), numbered from 1."""
        day, clock = r["due"], r["time"]
        if clock is not None and day is None:
            self.error(r.fields["time"], f"{r.path}.time", "is given but the due date is not")
            return None
        days = self._series_days(r) if r["every"] or r["count"] is not None or r["until"] else [day]
        if days is None:
            return None

        def due(on: dt.date | None) -> dt.datetime | None:
            # Kept in UTC so that differences are true elapsed times across DST changes.
            return dt.datetime.combine(on, clock or dt.time(23, 59), tzinfo=zone).astimezone(dt.UTC) if on else None

        if len(days) == 1 and not r["every"]:
            return (Deadline(r["id"], r["title"], due(day), r["submission"], r["note"]),)
        return tuple(
            Deadline(f"{r['id']}-{n}", f"{r['title']} {n}", due(on), r["submission"], r["note"])
            for n, on in enumerate(days, start=1)
        )

    def _series_days(self, r: _Record) -> list[dt.date] | None:
        where = r.fields.get("every", r.fields.node)
        if not r["every"]:
            self.error(where, f"{r.path}.every", "is required with count or until (every: week)")
            return None
        if r["due"] is None:
            self.error(r.fields.get("due", r.fields.node), f"{r.path}.due", "is required for a series (its first day)")
            return None
        if (r["count"] is None) == (r["until"] is None):
            self.error(where, f"{r.path}.every", "a series needs either count or until, not both")
            return None
        if r["count"] is not None and not 1 <= r["count"] <= MAX_SERIES:
            self.error(r.fields["count"], f"{r.path}.count", f"{r['count']} is not between 1 and {MAX_SERIES}")
            return None
        if r["until"] is not None and r["until"] < r["due"]:
            self.error(r.fields["until"], f"{r.path}.until", f"{r['until']} is before the first due date, {r['due']}")
            return None
        count = r["count"] or (r["until"] - r["due"]).days // 7 + 1
        if count > MAX_SERIES:
            self.error(
                r.fields["until"], f"{r.path}.until", f"the series would have {count} deadlines; at most {MAX_SERIES}"
            )
            return None
        return [r["due"] + dt.timedelta(weeks=n) for n in range(count)]

    def _session(
        self, r: _Record, term_start: dt.date | None, default_meeting: str | None, meeting_ids: set[str]
    ) -> Session | None:
        if r["title"] is None and r["speaker"] is None:
            self.error(r.fields.node, f"{r.path}.title", "is required (a guest lecture may give its speaker instead)")
            return None
        blank = next((key for key in ("title", "speaker") if r[key] is not None and not r[key].strip()), None)
        if blank is not None:  # what names the session in every view
            self.error(r.fields[blank], f"{r.path}.{blank}", "must not be empty")
            return None
        day, until, kind = r["date"], r["until"], r["kind"]
        first_day = last_day = None
        if kind == "break":
            for key in ("location", "start", "end", "cancelled"):
                if r.fields.get(key) is not None:
                    hint = "; rooms and times belong to meetings and to the sessions held in them"
                    self.error(r.fields[key], f"{r.path}.{key}", f"a break has no {key}{hint}")
                    return None
            if until is not None and until < day:
                self.error(r.fields["until"], f"{r.path}.until", f"{until} is before the break's first day, {day}")
                return None
            if self.version == 1:  # a break covers whole weeks, Monday to Sunday
                first_day = day - dt.timedelta(days=day.weekday())
                last = until or day
                last_day = last + dt.timedelta(days=6 - last.weekday())
            else:
                first_day, last_day = day, until or day
        elif until is not None:
            self.error(r.fields["until"], f"{r.path}.until", "only a break has a last day (until)")
            return None
        derived = (day - term_start).days // 7 + 1 if term_start else 0
        meeting = r["meeting"] or (None if kind == "break" else default_meeting)
        if r["meeting"] is None and r["start"] and r["end"] and meeting not in meeting_ids:
            meeting = None  # a session with its own times needs no meeting
        return Session(
            id=r["id"],
            week=r["week"] if r["week"] is not None else derived,
            date=day,
            kind=kind,
            label=r["label"],
            title=r["title"],
            speaker=r["speaker"],
            affiliation=r["affiliation"],
            slides=r["slides"],
            refs=r["refs"],
            meeting=meeting,
            location=r["location"],
            start=r["start"],
            end=r["end"],
            cancelled=r["cancelled"],
            note=r["note"],
            first_day=first_day,
            last_day=last_day,
        )

    def _reference(self, r: _Record) -> Reference | None:
        year = r["year"]
        if year is not None and not 1000 <= year <= 9999:
            self.error(r.fields["year"], f"{r.path}.year", f"{year} is not a four-digit year")
            return None
        return Reference(r["title"], r["authors"], year, r["venue"], r["note"], r["url"])

    def _reading_list(self, r: _Record) -> ReadingList:
        main = self.build_all(r.fields, "main", r.path, schema.REFERENCE, self._reference, kept=False)
        further = self.build_all(r.fields, "further", r.path, schema.REFERENCE, self._reference, kept=False)
        return ReadingList(r["id"], r["title"], main, further)

    def _curriculum(self, r: _Record, links: tuple[Link, ...]) -> Curriculum:
        by_id = {link.id: link for link in links}
        for index, link_id in enumerate(r["links"]):
            node = r.fields["links"].value[index]
            self.refers(node, f"{r.path}.links[{index}]", schema.LINK, link_id, set(by_id), where="links")
        classes = self.build_all(
            r.fields, "classes", r.path, schema.CURRICULUM_CLASS, self._curriculum_class, kept=False
        )
        chosen = tuple(by_id[i] for i in r["links"] if i in by_id)
        return Curriculum(r["id"], r["title"], chosen, classes)

    def _curriculum_class(self, r: _Record) -> CurriculumClass:
        return CurriculumClass(
            number=r["number"],
            title=r["title"],
            motivation=r["motivation"],
            required_reading=self.build_all(r.fields, "required_reading", r.path, schema.READING, _reading, kept=False),
            optional_reading=self.build_all(r.fields, "optional_reading", r.path, schema.READING, _reading, kept=False),
            questions=r["questions"],
            notebook=r["notebook"],
        )

    # -- cross-checks ----------------------------------------------------------------------


# What an absent optional key reads as, by type, when the schema gives it no default.
_ABSENT: dict[str, object] = {"texts": (), "boolean": False}
# The readers of the one-value types, which all take (fields, key, path, required).
_SCALAR_READERS: dict[str, Callable[[_Reader, Fields, str, str, bool], object]] = {
    "text": _Reader.text,
    "id": _Reader.ident,
    "url": _Reader.url,
    "integer": _Reader.integer,
    "date": _Reader.date,
    "time": _Reader.time,
    "zone": _Reader.zone,
}


def _default(key: schema.Key) -> object:
    return key.default == "true" if key.type == "boolean" else key.default


@functools.cache
def _absent_values(shape: schema.Shape) -> dict[str, object]:
    """What each key of a shape reads as when it is absent (a required one: None, after an error)."""
    return {key.name: _ABSENT.get(key.type) if key.default is None else _default(key) for key in shape.keys}


@functools.cache
def _names(allowed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(allowed)


def _person(r: _Record) -> Person:
    return Person(r["id"], r["role"] or "", r["name"], r["email"])


def _link(r: _Record) -> Link:
    return Link(r["id"], r["title"] or r["id"], r["url"])


def _syllabus_part(r: _Record) -> SyllabusPart:
    return SyllabusPart(r["title"], r["items"])


def _grading(r: _Record) -> GradingComponent:
    return GradingComponent(r["component"], r["detail"] or "")


def _reading(r: _Record) -> Reading:
    return Reading(r["text"], r["url"])


class _Reason(str):
    """A converter's explanation of why a value was refused, added to the message."""


def _ident(value: str) -> str:
    if not value or any(c in value for c in "/\\ ") or not value.isprintable():
        raise ValueError(value)
    return value


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or " " in value or not value.isprintable():
        raise ValueError(value)
    return value


def _whole_number(value: str) -> int:
    # ASCII digits only: no sign, no 0x, no 1_000, no 19:10, no superscript ²
    if not (value.isascii() and value.isdecimal()) or len(value) > 6:
        raise ValueError(value)
    return int(value)


def _date(value: str) -> dt.date:
    day = dt.date.fromisoformat(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_Reason(f"{value} is outside the years mdl handles ({FIRST_YEAR} to {LAST_YEAR})"))
    return day


def _clock(value: str) -> dt.time:
    if not CLOCK.fullmatch(value):  # HH:MM only: no seconds, no offset, no 19.10
        raise ValueError(value)
    return dt.time.fromisoformat(value)


def _zone(value: str) -> zoneinfo.ZoneInfo:
    found = zone_named(value)
    if found is None:
        raise ValueError(value)
    return found


# What the value of each one-value type is made from its text; ValueError if it cannot be. The
# readers above say why (their messages); record() uses these on text that reads without error.
_CONVERTERS: dict[str, Callable[[str], object]] = {
    "text": str,
    "id": _ident,
    "url": _url,
    "integer": _whole_number,
    "date": _date,
    "time": _clock,
    "zone": _zone,
}


@functools.cache
def _read_plainly(shape: schema.Shape) -> tuple[tuple[schema.Key, Callable[[str], object] | None], ...]:
    """A shape's keys, each with the converter of its text, if it is of a one-value type."""
    return tuple((key, _CONVERTERS.get(key.type)) for key in shape.keys)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    return f"{shown!r}" if value else "nothing"
