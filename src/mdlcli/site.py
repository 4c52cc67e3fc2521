"""Everything an instructor publishes, made from one course file: the page (HTML and Markdown),
the calendar feed, the bibliography and the course file itself, named for a static host.

Pure: the caller reads what is already in the folder and writes what changed.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import yaml

from . import bibtex, htmlpage, ics, markdown
from .model import Course
from .query.kinds import choose_kinds


@dataclass(frozen=True)
class SiteFile:
    name: str
    is_ours: Callable[[bytes], bool]  # whether a file of this name in the folder may be replaced
    # Whether what is there says the same as what would be written: then it stays as it is.
    same: Callable[[bytes, bytes], bool]


def _equal(before: bytes, after: bytes) -> bool:
    return before == after


def site_files(course: Course) -> list[SiteFile]:
    """The files of a course's site, in the order they are written."""

    def same_course(data: bytes) -> bool:
        # The course file carries no signature of mdl's: a copy of the same course (by id) may be
        # replaced by the current one, any other YAML file is the user's.
        return course_id_of(data) == course.id

    return [
        SiteFile("index.html", htmlpage.written_by_mdl, htmlpage.same_apart_from_moment),
        SiteFile("README.md", markdown.written_by_mdl, _equal),
        SiteFile(f"{course.id}.ics", ics.written_by_mdl, ics.same_apart_from_stamp),
        SiteFile(f"{course.id}.bib", bibtex.written_by_mdl, _equal),
        SiteFile(f"{course.id}.yaml", same_course, _equal),
    ]


# How far into a YAML file its course.id is looked for: a course file gives it within its first
# few dozen events; a deeply nested or huge file of the user's is given up on at once.
_ID_SEARCH_EVENTS = 10_000
_ID_SEARCH_DEPTH = 64


class _NotACourse(Exception):
    pass


def course_id_of(data: bytes) -> str | None:
    """The `course.id` of a YAML file, read from its first events (nothing is composed), or None."""
    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(data)
    budget = [_ID_SEARCH_EVENTS]

    def take() -> yaml.Event:
        budget[0] -= 1
        if budget[0] < 0 or not parser.check_event():
            raise _NotACourse
        event: yaml.Event = parser.get_event()
        return event

    def skip_node() -> yaml.Event:
        """The first event of the next node; the rest of the node is read past."""
        first = take()
        depth = 1 if isinstance(first, yaml.CollectionStartEvent) else 0
        while depth:
            event = take()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _ID_SEARCH_DEPTH:
                    raise _NotACourse
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return first

    def value_of(wanted: str) -> None:
        """Read up to the value of key `wanted` of the mapping just opened."""
        while not parser.check_event(yaml.MappingEndEvent):
            key = skip_node()
            if isinstance(key, yaml.ScalarEvent) and key.value == wanted:
                return
            skip_node()
        raise _NotACourse

    try:
        for expected in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent):
            if not isinstance(take(), expected):
                return None
        value_of("course")
        if not isinstance(take(), yaml.MappingStartEvent):
            return None
        value_of("id")
        found = take()
        return found.value if isinstance(found, yaml.ScalarEvent) else None
    except (_NotACourse, yaml.YAMLError, ValueError):
        return None
    finally:
        parser.dispose()


@dataclass(frozen=True)
class SiteInput:
    course: Course
    source: bytes  # the course file as it is
    source_name: str
    modified: dt.datetime  # the course file's modification time
    now: dt.datetime
    base_url: str | None  # where the folder is published, ending in "/"


def site_content(given: SiteInput, before: Mapping[str, bytes]) -> dict[str, bytes]:
    """What each file of the site holds; `before` is what is in the folder now (the calendar's
    SEQUENCE numbers continue from it)."""
    course = given.course
    calendar_name = f"{course.id}.ics"
    # Without the folder's address the page links to the calendar beside it: downloading works,
    # subscribing needs the address (webcal:// is made from an absolute one). "./" and the
    # percent-encoded name: no file name can read as a scheme (a:b), a fragment (#) or a query (?).
    folder = given.base_url or "./"
    ics_url, bib_url, course_url = (
        folder + urllib.parse.quote(name, safe="") for name in (calendar_name, f"{course.id}.bib", f"{course.id}.yaml")
    )
    files = (
        ("the calendar (.ics)", ics_url),
        ("the reading lists (BibTeX)", bib_url),
        ("the course file (YAML, for mdl add)", course_url),
    )
    previous = ics.read_previous(before[calendar_name]) if calendar_name in before else None
    calendar = ics.export(
        [course],
        kinds=choose_kinds([course], [], []),
        stamp=given.now,
        modified={course.id: given.modified},
        previous=previous,
    )
    return {
        "index.html": htmlpage.to_html(
            course, given.source_name, given.now, ics_url, site=htmlpage.Site(given.base_url, files)
        ).encode(),
        "README.md": markdown.to_markdown(course, given.source_name).encode(),
        calendar_name: calendar.data,
        f"{course.id}.bib": bibtex.bibliography(course, given.source_name).encode(),
        f"{course.id}.yaml": given.source,
    }
