"""Everything an instructor publishes, made from one course file: the page (HTML and Markdown),
the calendar feed, the bibliography and the course file itself, named for a static host.

Pure: the caller reads what is already in the folder and writes what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import yaml

from . import bibtex, htmlpage, ics, markdown
from .model import Course


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
        try:
            loaded = yaml.safe_load(data)
        except (yaml.YAMLError, ValueError):
            return False
        section = loaded.get("course") if isinstance(loaded, dict) else None
        return isinstance(section, dict) and section.get("id") == course.id

    return [
        SiteFile("index.html", htmlpage.written_by_mdl, _equal),
        SiteFile("README.md", markdown.written_by_mdl, _equal),
        SiteFile(f"{course.id}.ics", ics.written_by_mdl, ics.same_apart_from_stamp),
        SiteFile(f"{course.id}.bib", bibtex.written_by_mdl, _equal),
        SiteFile(f"{course.id}.yaml", same_course, _equal),
    ]


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
    # subscribing needs the address (webcal:// is made from an absolute one).
    ics_url = (given.base_url or "") + calendar_name
    previous = ics.read_previous(before[calendar_name]) if calendar_name in before else None
    calendar = ics.export(
        [course],
        kinds=ics.choose_kinds([course], [], []),
        stamp=given.now,
        modified={course.id: given.modified},
        previous=previous,
    )
    return {
        "index.html": htmlpage.to_html(course, given.source_name, given.now, ics_url).encode(),
        "README.md": markdown.to_markdown(course, given.source_name).encode(),
        calendar_name: calendar.data,
        f"{course.id}.bib": bibtex.bibliography(course, given.source_name).encode(),
        f"{course.id}.yaml": given.source,
    }
