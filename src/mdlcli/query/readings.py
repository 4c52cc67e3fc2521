"""Reading lists by lecture, week or id; references; search over the whole course."""

import re
from collections.abc import Iterator
from typing import Literal

from mdlcli.errors import UsageError, did_you_mean, quoted
from mdlcli.model import Course, ReadingList, Reference, Session
from mdlcli.record import Record

# -- reading lists -------------------------------------------------------------------------


class ReadingTarget(Record):
    """What a `mdl refs ID` names: the sessions it is about and the reading list they share."""

    sessions: tuple[Session, ...]
    reading_list: ReadingList | None


_WEEK_ID = r"(?:week|w)([0-9]{1,6})"  # compiled on first use: most commands never use it


def resolve_reading(course: Course, ident: str) -> ReadingTarget:
    """A lecture label (lec5: the session labelled Lec5), a week (week6, w6) or a reading-list id."""
    key = ident.strip().lower()
    by_label = [s for s in course.sessions if s.label and s.label.lower() == key]
    week_match = re.fullmatch(_WEEK_ID, key)
    if by_label:
        sessions = by_label
    elif week_match:
        sessions = [s for s in course.sessions if s.week == int(week_match.group(1))]
    else:
        sessions = [s for s in course.sessions if s.id.lower() == key]
    if sessions:
        list_id = next((s.refs for s in sessions if s.refs and s.kind != "break"), None)
        return ReadingTarget(tuple(sessions), course.reading_list(list_id) if list_id else None)
    reading_list = next((r for r in course.reading_lists if r.id.lower() == key), None)
    if reading_list is None:
        raise UsageError(_unknown_reading_id(course, ident))
    return ReadingTarget(tuple(course.sessions_reading(reading_list.id)), reading_list)


def _unknown_reading_id(course: Course, ident: str) -> str:
    labels = [s.label.lower() for s in course.sessions if s.label]
    weeks = sorted({s.week for s in course.sessions})
    lists = [r.id for r in course.reading_lists if r.id.lower() not in labels]
    candidates = labels + [f"week{w}" for w in weeks] + lists
    hint = did_you_mean(ident.lower()[:100], candidates)
    valid = ", ".join(
        part
        for part in (
            _span("lecture labels", labels),
            _span("weeks", [f"week{w}" for w in weeks]),
            _span("reading lists", lists),
        )
        if part
    )
    return f"no lecture, week or reading list {quoted(ident)}{hint} (valid: {valid})"


def _span(what: str, ids: list[str]) -> str:
    if not ids:
        return ""
    shown = ", ".join(ids) if len(ids) <= 4 else f"{ids[0]} … {ids[-1]}"
    return f"{what} {shown}"


class RefEntry(Record):
    """A reference in its place: list, group (main or further) and its number within the list."""

    reading_list: ReadingList
    group: Literal["main", "further"]
    number: int
    reference: Reference
    course: str = ""


def entries(reading_list: ReadingList, course: str = "") -> list[RefEntry]:
    main = [RefEntry(reading_list, "main", n, r, course) for n, r in enumerate(reading_list.main, start=1)]
    further = [
        RefEntry(reading_list, "further", n, r, course) for n, r in enumerate(reading_list.further, start=len(main) + 1)
    ]
    return main + further


def search_references(course: Course, text: str) -> list[RefEntry]:
    needle = text.casefold()
    return [
        e
        for r in course.reading_lists
        for e in entries(r, course.id)
        if needle in e.reference.title.casefold() or needle in (e.reference.authors or "").casefold()
    ]


# -- search everything ---------------------------------------------------------------------


class Hit(Record):
    section: str  # session, reference, syllabus, curriculum, deadline
    where: str
    text: str
    command: str
    course: str = ""


def search(course: Course, text: str, *, qualified: bool = False) -> list[Hit]:
    """Every hit of `text`; `qualified`: among several courses, each command names its course."""
    needle = text.casefold()
    if not needle.strip():
        raise UsageError("search: give some text to look for")
    return [
        hit._replace(course=course.id, command=_qualify(hit.command, course.id) if qualified else hit.command)
        for hit in _everything(course)
        if needle in hit.text.casefold() or needle in hit.where.casefold()
    ]


def _qualify(command: str, course_id: str) -> str:
    if command.startswith("mdl refs "):
        return f"mdl refs {course_id}:{command.removeprefix('mdl refs ')}"
    return f"{command} --course {course_id}"


def _everything(course: Course) -> Iterator[Hit]:
    """Every text the course shows, each with where it is and the command that shows it whole."""
    for person in course.people:
        yield Hit("person", person.role or "person", ", ".join(filter(None, (person.name, person.email))), "mdl info")
    for meeting in course.meetings:
        yield Hit("meeting", meeting.weekly, " — ".join(filter(None, (meeting.title, meeting.location))), "mdl info")
    for link in course.links:
        yield Hit("link", link.title, link.url, "mdl info")
    for s in course.sessions:
        name = f"week {s.week}" + (f" · {s.label}" if s.label else "")
        show = f"mdl refs {s.label.lower()}" if s.label else f"mdl schedule --week {s.week}"
        guest = ", ".join(filter(None, (s.speaker, s.affiliation)))
        speaker = f" — {guest}" if s.title and guest else ""
        where = f" — {s.location}" if s.location else ""
        yield Hit("session", name, s.display_title + speaker + where, show)
    for r in course.reading_lists:
        for e in entries(r):
            ref = e.reference
            yield Hit(
                "reference",
                f"{r.id} #{e.number}",
                ", ".join(filter(None, (ref.title, ref.authors))),
                f"mdl refs {r.id}",
            )
    for part in course.syllabus:
        yield Hit("syllabus", "syllabus", part.title, "mdl syllabus")
        for item in part.items:
            yield Hit("syllabus", part.title, item, "mdl syllabus")
    for curriculum in course.curricula:
        for c in curriculum.classes:
            where = f"{curriculum.title} class {c.number}"
            texts = [c.title, c.motivation or ""] + [r.text for r in c.required_reading + c.optional_reading]
            for piece in [t for t in texts if t] + list(c.questions):
                yield Hit("curriculum", where, piece, "mdl curriculum")
    for d in course.deadlines:
        yield Hit("deadline", d.id, " — ".join(filter(None, (d.title, d.submission, d.note))), "mdl deadlines")


def url_to_open(target: ReadingTarget | None, which: str) -> str:
    """The address `mdl refs ID --open N|slides` opens."""
    if target is None:
        raise UsageError("--open needs an ID: mdl refs lec5 --open 1")
    if which.strip().lower() == "slides":
        slides = next((s.slides for s in target.sessions if s.slides), None)
        if slides is None:
            raise UsageError("--open: this session has no slides")
        return slides
    numbered = entries(target.reading_list) if target.reading_list else []
    number = which.strip()
    # ASCII digits only: int() refuses a superscript ² that isdigit() accepts.
    if not (number.isascii() and number.isdecimal() and len(number) < 6) or not 1 <= int(number) <= len(numbered):
        valid = f"a number from 1 to {len(numbered)} or 'slides'" if numbered else "'slides' (there is no reading list)"
        raise UsageError(f"--open: {which!r} is not a reference here; use {valid}")
    url = numbered[int(number) - 1].reference.url
    if url is None:
        raise UsageError(f"--open: reference {which} has no address")
    return url
