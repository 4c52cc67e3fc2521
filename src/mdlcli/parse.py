"""YAML text → the validated model. Pure: no files, no clock; every error located as file:line:column.

Course files are untrusted. They are composed into YAML nodes, never constructed into Python
objects, so no tag can run code; every value is read from its node, so every error carries the
node's file:line:column; and a scalar is read from the text the author wrote, so YAML 1.1 guesses
(`no` as False, `19:10` as 1150) never reach the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import zoneinfo
from collections.abc import Callable, Iterator
from typing import TypeVar

import yaml

from .errors import CourseInvalid, DataError
from .model import (
    SESSION_KINDS,
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
    SessionKind,
    SyllabusPart,
)

MAX_TEXT = 10_000  # characters in one value: a description is under 1 000
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STANDARD_TAGS = {*_SCALAR_TAGS, _YAML + "map", _YAML + "seq"}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = frozenset(
    w for word in ("true", "false", "yes", "no", "on", "off", "y", "n") for w in (word, word.capitalize(), word.upper())
)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C loader, with a tag resolver that tells only null, boolean, merge and text apart.

    The store reads every scalar from the text its author wrote, so YAML 1.1's guesses (int,
    float, timestamp) are not needed; resolving them was two thirds of the loading time of a
    large course, spent in PyYAML's regular expressions.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value is not None:
                if value in _NULLS:
                    return _YAML + "null"
                if value in _BOOLS:
                    return _YAML + "bool"
                if value == "<<":
                    return _YAML + "merge"
            return _YAML + "str"
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")


T = TypeVar("T")
V = TypeVar("V")


class _Fields(dict[str, yaml.Node]):
    """A mapping's values by key, remembering the mapping's node to locate a missing key."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


def parse_course(text: str, name: str) -> Course:
    """Parse and validate a course; raise CourseInvalid listing every error, DataError if not YAML."""
    reader = _Reader(name)
    course = reader.course(_compose(text, name))
    if reader.problems or course is None:
        raise CourseInvalid(name, [str(p) for p in reader.problems], reader.warnings)
    return course


def _compose(text: str, name: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_Loader)  # composes nodes; constructs nothing
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise DataError(f"{where}: invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: invalid YAML: {exc}") from None
    if node is None:
        raise DataError(f"{name}: the file is empty; a course file is a YAML mapping")
    return node


class _Reader:
    """Walks the composed YAML, builds the model and collects located errors and warnings."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self._seen_collections: set[int] = set()
        self._located: dict[int, tuple[_Fields, str]] = {}
        # Ids of meetings written in the file, valid or not: a session naming a meeting that has
        # its own error gets no second, misleading "no meeting with id" error.
        self._meeting_ids: set[str] = set()

    def keep(self, item: T, fields: _Fields, path: str) -> T:
        """Remember where a model item came from, for the cross-checks that run after building."""
        self._located[id(item)] = (fields, path)
        return item

    def at(self, item: object, key: str) -> tuple[yaml.Node, str]:
        """The node of one of an item's fields (its mapping when the key is absent) and its path."""
        fields, path = self._located[id(item)]
        return fields.get(key, fields.node), f"{path}.{key}"

    # -- locating and reporting ------------------------------------------------------------

    def where(self, node: yaml.Node) -> str:
        mark = node.start_mark
        return f"{self.name}:{mark.line + 1}:{mark.column + 1}"

    def error(self, node: yaml.Node, field: str, message: str) -> None:
        self.problems.append(Diagnostic(self.where(node), field, message))

    def warn(self, node: yaml.Node, field: str, message: str) -> None:
        self.warnings.append(Diagnostic(self.where(node), field, message))

    # -- generic readers -------------------------------------------------------------------

    def standard(self, node: yaml.Node, field: str) -> bool:
        """False (after an error) for a tag beyond plain YAML data, such as !!python/object."""
        if node.tag in _STANDARD_TAGS:
            return True
        self.error(node, field, f"the tag {node.tag} is not allowed in course files")
        return False

    def fields(self, node: yaml.Node, field: str, allowed: tuple[str, ...]) -> _Fields | None:
        """A mapping's values by key; duplicate and unknown keys are errors (typos must not vanish)."""
        if not self.standard(node, field):
            return None
        if not isinstance(node, yaml.MappingNode) or not self._first_visit(node, field):
            if isinstance(node, yaml.MappingNode):
                return None
            self.error(node, field, f"expected a mapping (key: value lines), got {_describe(node)}")
            return None
        out = _Fields(node)
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                self.error(key_node, f"{field}.<<", "merge keys (<<: *name) are not supported; write the values out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.error(key_node, field, "keys must be plain words")
                continue
            key = key_node.value
            path = f"{field}.{key}" if field else key
            if key in out:
                self.error(key_node, path, "duplicate key (the earlier value would be lost)")
            elif key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(allowed)}"
                self.error(key_node, path, f"unknown key '{key}'{hint}")
            else:
                out[key] = value_node
        return out

    def items(self, node: yaml.Node | None, field: str) -> Iterator[tuple[yaml.Node, str]]:
        if node is None or _is_null(node) or not self.standard(node, field):
            return
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, field, f"expected a list (lines starting with '- '), got {_describe(node)}")
            return
        if not self._first_visit(node, field):
            return
        for index, item in enumerate(node.value):
            yield item, f"{field}[{index}]"

    def _first_visit(self, node: yaml.Node, field: str) -> bool:
        # A collection reached twice came through an alias; refusing it bounds the walk by the
        # file's size, so an alias bomb ("billion laughs") is one error, not an explosion.
        if id(node) in self._seen_collections:
            self.error(node, field, "aliases (*name) of lists or mappings are not supported")
            return False
        self._seen_collections.add(id(node))
        return True

    def scalar(self, fields: _Fields, key: str, field: str, required: bool) -> tuple[str, yaml.Node] | None:
        """The text the author wrote for a scalar, or None (after an error if it was required)."""
        node = fields.get(key)
        path = f"{field}.{key}" if field else key
        if node is None or _is_null(node):
            if required:
                self.error(node or fields.node, path, "is required")
            return None
        if not self.standard(node, path):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, path, f"expected a single value, got {_describe(node)}")
            return None
        # One kind of line break inside, as RFC 5545 and terminals know only one.
        text: str = node.value.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_TEXT:
            self.error(node, path, f"is longer than {MAX_TEXT} characters")
            return None
        if required and not text.strip():
            self.error(node, path, "must not be empty")
            return None
        return text, node

    def text(self, fields: _Fields, key: str, field: str, required: bool = False) -> str | None:
        found = self.scalar(fields, key, field, required)
        return found[0] if found else None

    def typed(
        self, fields: _Fields, key: str, field: str, *, required: bool, convert: Callable[[str], V], problem: str
    ) -> V | None:
        """A scalar through `convert`; its ValueError is reported as `problem` (with {value} and {shown})."""
        found = self.scalar(fields, key, field, required)
        if found is None:
            return None
        value, node = found
        try:
            return convert(value)
        except ValueError:
            self.error(node, f"{field}.{key}", problem.format(value=value, shown=repr(value)))
            return None

    def ident(self, fields: _Fields, key: str, field: str, required: bool = True) -> str | None:
        problem = "{shown} is not a valid id (letters, digits, '-', '_', '.')"
        return self.typed(fields, key, field, required=required, convert=_ident, problem=problem)

    def url(self, fields: _Fields, key: str, field: str, required: bool = False) -> str | None:
        return self.typed(
            fields,
            key,
            field,
            required=required,
            convert=_url,
            problem="{shown} is not a web address (http:// or https://)",
        )

    def integer(self, fields: _Fields, key: str, field: str, required: bool = False) -> int | None:
        return self.typed(
            fields, key, field, required=required, convert=_whole_number, problem="{shown} is not a whole number"
        )

    def date(self, fields: _Fields, key: str, field: str, required: bool = False) -> dt.date | None:
        problem = "{value} is not a valid date (expected YYYY-MM-DD)"
        return self.typed(fields, key, field, required=required, convert=dt.date.fromisoformat, problem=problem)

    def time(self, fields: _Fields, key: str, field: str, required: bool = False) -> dt.time | None:
        problem = '{value} is not a valid time (expected HH:MM, quoted: "19:10")'
        return self.typed(fields, key, field, required=required, convert=_clock, problem=problem)

    def flag(self, fields: _Fields, key: str, field: str) -> bool:
        found = self.scalar(fields, key, field, required=False)
        if found is None:
            return False
        value, node = found
        if node.tag != _YAML + "bool":
            self.error(node, f"{field}.{key}", f"{value!r} is not true or false")
            return False
        return value.lower() in ("true", "yes", "on", "y")

    def choice(self, fields: _Fields, key: str, field: str, options: tuple[T, ...], default: T) -> T:
        found = self.scalar(fields, key, field, required=False)
        if found is None:
            return default
        value, node = found
        for option in options:
            if option == value.lower():
                return option
        self.error(node, f"{field}.{key}", f"{value!r} is not one of: {', '.join(map(str, options))}")
        return default

    def texts(self, fields: _Fields, key: str, field: str) -> tuple[str, ...]:
        out = []
        for item, path in self.items(fields.get(key), f"{field}.{key}" if field else key):
            if isinstance(item, yaml.ScalarNode) and item.tag in _SCALAR_TAGS and not _is_null(item):
                out.append(item.value)
            else:
                self.error(item, path, f"expected text, got {_describe(item)}")
        return tuple(out)

    # -- the schema ------------------------------------------------------------------------

    def course(self, root: yaml.Node) -> Course | None:
        top = self.fields(
            root,
            "",
            (
                "schema", "course", "people", "meetings", "links", "description", "syllabus",
                "prerequisites", "grading", "deadlines", "sessions", "reading_lists", "curricula",
            ),
        )  # fmt: skip
        if top is None:
            return None
        schema = self.integer(top, "schema", "", required=True)
        if schema is not None and schema != 1:
            self.error(top["schema"], "schema", f"version {schema} is not supported (this mdl reads version 1)")
        about = self.fields(top["course"], "course", _COURSE_KEYS) if "course" in top else None
        if about is None:
            if "course" not in top:
                self.error(root, "course", "is required")
            return None
        zone = self._zone(about)
        term_start = self.date(about, "term_start", "course", required=True)
        term_end = self.date(about, "term_end", "course", required=True)
        course_id = self.ident(about, "id", "course")
        title = self.text(about, "title", "course", required=True)
        links = tuple(self._links(top))
        meetings = tuple(self._meetings(top))
        reading_lists = tuple(self._reading_lists(top))
        sessions = tuple(self._sessions(top))
        if zone is None or term_start is None or term_end is None or course_id is None or title is None:
            return None
        course = Course(
            path=self.name,
            id=course_id,
            title=title,
            kind=self.text(about, "kind", "course"),
            code=self.text(about, "code", "course"),
            institution=self.text(about, "institution", "course"),
            term=self.text(about, "term", "course"),
            timezone=zone.key,
            term_start=term_start,
            term_end=term_end,
            people=tuple(self._people(top)),
            meetings=meetings,
            links=links,
            description=self.text(top, "description", ""),
            syllabus=tuple(self._syllabus(top)),
            prerequisites=tuple(self._prerequisites(top)),
            grading=tuple(self._grading(top)),
            deadlines=tuple(self._deadlines(top, zone)),
            sessions=sessions,
            reading_lists=reading_lists,
            curricula=tuple(self._curricula(top, links)),
            warnings=(),
        )
        self._cross_check(course, top)
        return dataclasses.replace(course, warnings=tuple(self.warnings))

    def _zone(self, about: _Fields) -> zoneinfo.ZoneInfo | None:
        found = self.scalar(about, "timezone", "course", required=True)
        if found is None:
            return None
        value, node = found
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.error(node, "course.timezone", f"{value!r} is not a known IANA time zone (e.g. America/New_York)")
            return None

    def _people(self, top: _Fields) -> Iterator[Person]:
        for node, path in self.items(top.get("people"), "people"):
            f = self.fields(node, path, ("id", "role", "name", "email"))
            if f is None:
                continue
            person_id, name = self.ident(f, "id", path), self.text(f, "name", path, required=True)
            if person_id and name:
                person = Person(person_id, self.text(f, "role", path) or "", name, self.text(f, "email", path))
                yield self.keep(person, f, path)

    def _meetings(self, top: _Fields) -> Iterator[Meeting]:
        allowed = ("id", "title", "weekday", "start", "end", "location", "optional", "first", "last")
        for node, path in self.items(top.get("meetings"), "meetings"):
            f = self.fields(node, path, allowed)
            if f is None:
                continue
            meeting_id = self.ident(f, "id", path)
            self._meeting_ids.add(meeting_id or "")
            weekday = self.choice(f, "weekday", path, WEEKDAYS, "")
            if "weekday" not in f:
                self.error(node, f"{path}.weekday", "is required")
            start, end = self.time(f, "start", path, required=True), self.time(f, "end", path, required=True)
            if start and end and start >= end:
                self.error(f["end"], f"{path}.end", f"{end:%H:%M} is not after the start, {start:%H:%M}")
                continue
            first, last = self.date(f, "first", path), self.date(f, "last", path)
            if first and last and first > last:
                self.error(f["last"], f"{path}.last", f"{last} is before first, {first}")
                continue
            if meeting_id and weekday and start and end:
                yield self.keep(
                    Meeting(
                        id=meeting_id,
                        title=self.text(f, "title", path) or meeting_id,
                        weekday=WEEKDAYS.index(weekday),
                        start=start,
                        end=end,
                        location=self.text(f, "location", path),
                        optional=self.flag(f, "optional", path),
                        first=first,
                        last=last,
                    ),
                    f,
                    path,
                )

    def _link(self, node: yaml.Node, path: str) -> Link | None:
        f = self.fields(node, path, ("id", "title", "url"))
        if f is None:
            return None
        link_id, url = self.ident(f, "id", path), self.url(f, "url", path, required=True)
        if link_id is None or url is None:
            return None
        return self.keep(Link(link_id, self.text(f, "title", path) or link_id, url), f, path)

    def _links(self, top: _Fields) -> Iterator[Link]:
        for node, path in self.items(top.get("links"), "links"):
            link = self._link(node, path)
            if link:
                yield link

    def _syllabus(self, top: _Fields) -> Iterator[SyllabusPart]:
        for node, path in self.items(top.get("syllabus"), "syllabus"):
            f = self.fields(node, path, ("title", "items"))
            if f is None:
                continue
            title = self.text(f, "title", path, required=True)
            if title:
                yield SyllabusPart(title, self.texts(f, "items", path))

    def _prerequisites(self, top: _Fields) -> Iterator[PrerequisiteGroup]:
        if "prerequisites" not in top:
            return
        groups = self.fields(top["prerequisites"], "prerequisites", ("required", "nice_to_have"))
        for key in ("required", "nice_to_have"):
            if groups is not None and key in groups:
                path = f"prerequisites.{key}"
                f = self.fields(groups[key], path, ("level", "topics"))
                if f is not None:
                    yield PrerequisiteGroup(
                        key.replace("_", " "), self.text(f, "level", path), self.texts(f, "topics", path)
                    )

    def _grading(self, top: _Fields) -> Iterator[GradingComponent]:
        for node, path in self.items(top.get("grading"), "grading"):
            f = self.fields(node, path, ("component", "detail"))
            if f is None:
                continue
            component = self.text(f, "component", path, required=True)
            if component:
                yield GradingComponent(component, self.text(f, "detail", path) or "")

    def _deadlines(self, top: _Fields, zone: zoneinfo.ZoneInfo) -> Iterator[Deadline]:
        for node, path in self.items(top.get("deadlines"), "deadlines"):
            f = self.fields(node, path, ("id", "title", "due", "time", "submission", "note"))
            if f is None:
                continue
            deadline_id, title = self.ident(f, "id", path), self.text(f, "title", path, required=True)
            day = self.date(f, "due", path)
            at = self.time(f, "time", path)
            if at is not None and day is None:
                self.error(f["time"], f"{path}.time", "is given but the due date is not")
            # Kept in UTC so that differences are true elapsed times across DST changes.
            due = dt.datetime.combine(day, at or dt.time(23, 59), tzinfo=zone).astimezone(dt.UTC) if day else None
            if deadline_id and title:
                deadline = Deadline(
                    deadline_id, title, due, self.text(f, "submission", path), self.text(f, "note", path)
                )
                yield self.keep(deadline, f, path)

    def _sessions(self, top: _Fields) -> Iterator[Session]:
        allowed = (
            "id", "week", "date", "kind", "label", "title", "speaker", "affiliation", "slides", "refs", "meeting",
        )  # fmt: skip
        if "sessions" not in top:
            return
        for node, path in self.items(top["sessions"], "sessions"):
            f = self.fields(node, path, allowed)
            if f is None:
                continue
            session_id = self.ident(f, "id", path)
            week = self.integer(f, "week", path, required=True)
            day = self.date(f, "date", path, required=True)
            kind: SessionKind = self.choice(f, "kind", path, SESSION_KINDS, "lecture")
            title = self.text(f, "title", path)
            speaker = self.text(f, "speaker", path)
            if title is None and speaker is None:
                self.error(node, f"{path}.title", "is required (a guest lecture may give its speaker instead)")
            if session_id is None or week is None or day is None:
                continue
            yield self.keep(
                Session(
                    id=session_id,
                    week=week,
                    date=day,
                    kind=kind,
                    label=self.text(f, "label", path),
                    title=title,
                    speaker=speaker,
                    affiliation=self.text(f, "affiliation", path),
                    slides=self.url(f, "slides", path),
                    refs=self.ident(f, "refs", path, required=False),
                    meeting=self.ident(f, "meeting", path, required=False) or "lecture",
                ),
                f,
                path,
            )

    def _references(self, f: _Fields, key: str, path: str) -> Iterator[Reference]:
        allowed = ("title", "authors", "year", "venue", "note", "url")
        for node, item_path in self.items(f.get(key), f"{path}.{key}"):
            ref = self.fields(node, item_path, allowed)
            if ref is None:
                continue
            title = self.text(ref, "title", item_path, required=True)
            year = self.integer(ref, "year", item_path)
            if year is not None and not 1000 <= year <= 9999:
                self.error(ref["year"], f"{item_path}.year", f"{year} is not a four-digit year")
            if title:
                yield Reference(
                    title=title,
                    authors=self.text(ref, "authors", item_path),
                    year=year,
                    venue=self.text(ref, "venue", item_path),
                    note=self.text(ref, "note", item_path),
                    url=self.url(ref, "url", item_path),
                )

    def _reading_lists(self, top: _Fields) -> Iterator[ReadingList]:
        for node, path in self.items(top.get("reading_lists"), "reading_lists"):
            f = self.fields(node, path, ("id", "title", "main", "further"))
            if f is None:
                continue
            list_id = self.ident(f, "id", path)
            main, further = tuple(self._references(f, "main", path)), tuple(self._references(f, "further", path))
            if list_id:
                yield self.keep(ReadingList(list_id, self.text(f, "title", path), main, further), f, path)

    def _readings(self, f: _Fields, key: str, path: str) -> Iterator[Reading]:
        for node, item_path in self.items(f.get(key), f"{path}.{key}"):
            reading = self.fields(node, item_path, ("text", "url"))
            if reading is None:
                continue
            text = self.text(reading, "text", item_path, required=True)
            if text:
                yield Reading(text, self.url(reading, "url", item_path))

    def _curricula(self, top: _Fields, links: tuple[Link, ...]) -> Iterator[Curriculum]:
        by_id = {link.id: link for link in links}
        class_keys = (
            "number", "title", "motivation", "required_reading", "optional_reading", "questions", "notebook",
        )  # fmt: skip
        for node, path in self.items(top.get("curricula"), "curricula"):
            f = self.fields(node, path, ("id", "title", "links", "classes"))
            if f is None:
                continue
            curriculum_links = []
            for link_node, link_path in self.items(f.get("links"), f"{path}.links"):
                link_id = link_node.value if isinstance(link_node, yaml.ScalarNode) else None
                if link_id in by_id:
                    curriculum_links.append(by_id[link_id])
                else:
                    self.error(link_node, link_path, f"no link with id {link_id!r} in links")
            classes = []
            for class_node, class_path in self.items(f.get("classes"), f"{path}.classes"):
                c = self.fields(class_node, class_path, class_keys)
                if c is None:
                    continue
                number = self.integer(c, "number", class_path, required=True)
                title = self.text(c, "title", class_path, required=True)
                if number is not None and title:
                    classes.append(
                        CurriculumClass(
                            number=number,
                            title=title,
                            motivation=self.text(c, "motivation", class_path),
                            required_reading=tuple(self._readings(c, "required_reading", class_path)),
                            optional_reading=tuple(self._readings(c, "optional_reading", class_path)),
                            questions=self.texts(c, "questions", class_path),
                            notebook=self.url(c, "notebook", class_path),
                        )
                    )
            curriculum_id, title = self.ident(f, "id", path), self.text(f, "title", path, required=True)
            if curriculum_id and title:
                curriculum = Curriculum(curriculum_id, title, tuple(curriculum_links), tuple(classes))
                yield self.keep(curriculum, f, path)

    # -- cross-checks ----------------------------------------------------------------------

    def _cross_check(self, course: Course, top: _Fields) -> None:
        for group in (
            course.people, course.meetings, course.links, course.deadlines, course.sessions,
            course.reading_lists, course.curricula,
        ):  # fmt: skip
            self._unique(group)
        if course.term_start > course.term_end:
            self.error(top["course"], "course.term_end", f"{course.term_end} is before term_start, {course.term_start}")
            return
        for meeting in course.meetings:
            for key, day in (("first", meeting.first), ("last", meeting.last)):
                if day and not course.term_start <= day <= course.term_end:
                    self.error(*self.at(meeting, key), f"{day} is outside the term ({_term(course)})")
        self._check_sessions(course)

    def _unique(
        self, group: tuple[Person | Meeting | Link | Deadline | Session | ReadingList | Curriculum, ...]
    ) -> None:
        seen: set[str] = set()
        for item in group:
            if item.id in seen:
                self.error(*self.at(item, "id"), f"duplicate id {item.id!r}")
            seen.add(item.id)

    def _check_sessions(self, course: Course) -> None:
        list_ids = {r.id for r in course.reading_lists}
        meetings = {m.id: m for m in course.meetings}
        labels: set[str] = set()
        for session in course.sessions:
            if session.refs and session.refs not in list_ids:
                self.error(*self.at(session, "refs"), f"no reading list with id {session.refs!r}")
            if session.label:
                if session.label.lower() in labels:
                    self.error(*self.at(session, "label"), f"duplicate label {session.label!r}")
                labels.add(session.label.lower())
            if not course.term_start <= session.date <= course.term_end:
                self.error(*self.at(session, "date"), f"{session.date} is outside the term ({_term(course)})")
                continue
            week = (session.date - course.term_start).days // 7 + 1
            if week != session.week:
                self.error(
                    *self.at(session, "week"), f"is {session.week}, but {session.date} is in week {week} of the term"
                )
            meeting = meetings.get(session.meeting)
            if meeting is None and session.meeting not in self._meeting_ids:
                self.error(*self.at(session, "meeting"), f"no meeting with id {session.meeting!r}")
            elif meeting is not None and session.date.weekday() != meeting.weekday:
                day, meets = WEEKDAYS[session.date.weekday()], WEEKDAYS[meeting.weekday]
                message = f"{session.date} is a {day.capitalize()}, but the {meeting.id} meets on {meets.capitalize()}s"
                self.warn(*self.at(session, "date"), message)
            if session.kind == "break" and session.refs:
                message = f"a break links reading list {session.refs!r}; a break has no readings"
                self.warn(*self.at(session, "refs"), message)


_COURSE_KEYS = ("id", "title", "kind", "code", "institution", "term", "timezone", "term_start", "term_end")


def _ident(value: str) -> str:
    if not value or any(c in value for c in "/\\ ") or not value.isprintable():
        raise ValueError(value)
    return value


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or " " in value or not value.isprintable():
        raise ValueError(value)
    return value


def _whole_number(value: str) -> int:
    if not value.isdigit() or len(value) > 6:  # isdigit: no sign, no 0x, no 1_000, no 19:10
        raise ValueError(value)
    return int(value)


def _clock(value: str) -> dt.time:
    parsed = dt.time.fromisoformat(value)
    if len(value) != 5:  # HH:MM only: no seconds, no offset
        raise ValueError(value)
    return parsed


def _term(course: Course) -> str:
    return f"{course.term_start} to {course.term_end}"


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _YAML + "null"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    return f"{shown!r}" if value else "nothing"
