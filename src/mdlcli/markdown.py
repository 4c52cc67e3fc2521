"""The course page in GitHub-flavoured Markdown, shaped like the original page.

Course text is data: every character Markdown or HTML would read as syntax is escaped, line
breaks inside a table cell become spaces, and each reading list has an explicit anchor that the
schedule links to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from .model import WEEKDAYS, Course, Meeting, Reference, Session
from .query import deadline_views, entries, place, placed_sessions, zone_of
from .textsafe import clean

SIGNATURE = "<!-- Written by mdl"
# What Markdown or HTML could read as syntax inside a line; an underscore only at a word's edge
# (GitHub does not read New_York as emphasis).
_SPECIAL = re.compile(r"([\\`*\[\]<>|~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What would make a line of a paragraph a heading, a quote, a list item or a rule.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|[0-9]+[.)])")


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is a page mdl wrote (its first line says so), which an export may replace."""
    return data.startswith(SIGNATURE.encode())


def text(value: str) -> str:
    """Course text as Markdown text: syntax characters escaped, HTML inert, one line."""
    escaped = clean(value).replace("&", "&amp;")
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), escaped)


def paragraph(value: str) -> str:
    """A paragraph of course text: its line breaks kept, everything else as `text`."""
    return "\n".join(_LINE_START.sub(_inert_start, text(line)) for line in value.splitlines())


def _inert_start(m: re.Match[str]) -> str:
    indent, mark = m.groups()
    return f"{indent}{mark[:-1]}\\{mark[-1]}" if mark[0].isdigit() else f"{indent}\\{mark}"


def anchor(list_id: str) -> str:
    """A reading list's anchor: its id with anything beyond letters, digits, - and _ spelled out."""
    return re.sub(r"[^A-Za-z0-9_-]", lambda m: f"-{ord(m.group()):x}-", list_id)


def link(title: str, url: str) -> str:
    # An address with a parenthesis or space would end the link early: those are percent-encoded.
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text(title)}]({target})"


def to_markdown(course: Course, source: str) -> str:
    """The whole page; `source` names the course file in the page's first line."""
    return "\n".join(_page(course, source)).rstrip("\n") + "\n"


def _page(course: Course, source: str) -> Iterator[str]:
    yield f"{SIGNATURE} from {text(source)}; edit the course file, not this page. -->"
    yield f"# {text(course.title)}"
    yield ""
    identity = " · ".join(text(x) for x in (course.code, course.kind, course.institution, course.term) if x)
    if identity:
        yield f"**{identity}**"
        yield ""
    yield from _section("Logistics", _logistics(course))
    yield from _section("People", _people(course))
    yield from _section("Links", [f"- {link(k.title, k.url)}" for k in course.links])
    if course.description:
        yield from _section("Description", [paragraph(course.description)])
    yield from _section("Syllabus", _syllabus(course))
    yield from _section("Prerequisites", _prerequisites(course))
    yield from _section("Grading", [f"- **{text(g.component)}**: {text(g.detail)}" for g in course.grading])
    yield from _section("Schedule", _schedule(course))
    yield from _section("Reading lists", _reading_lists(course))
    yield from _section("Deadlines and exams", _deadlines(course))
    for curriculum in course.curricula:
        yield from _section(f"Parallel curriculum: {text(curriculum.title)}", _curriculum(course, curriculum.id))


def _section(title: str, lines: Iterable[str]) -> Iterator[str]:
    body = list(lines)
    if body:
        yield f"## {title}"
        yield ""
        yield from body
        yield ""


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def _logistics(course: Course) -> list[str]:
    lines = [f"- Term: {course.term_start} to {course.term_end}; all times are {text(course.timezone)} time."]
    return lines + [f"- {_meeting(course, m)}" for m in course.meetings]


def _meeting(course: Course, m: Meeting) -> str:
    days = f"{WEEKDAYS[m.weekday].capitalize()}s, {m.start:%H:%M}–{m.end:%H:%M} ({text(course.timezone)})"
    parts = [f"**{text(m.title)}**: {days}", text(m.location) if m.location else "no room given"]
    if m.first or m.last:
        parts.append(f"from {m.first or course.term_start} to {m.last or course.term_end}")
    return ", ".join(parts) + (" (optional)" if m.optional else "")


def _people(course: Course) -> list[str]:
    if not course.people:
        return []
    rows = ((text(p.role), text(p.name), text(p.email or "")) for p in course.people)
    return _table(("Role", "Name", "Email"), rows)


def _syllabus(course: Course) -> Iterator[str]:
    for part in course.syllabus:
        yield f"- **{text(part.title)}**"
        yield from (f"  - {text(item)}" for item in part.items)


def _prerequisites(course: Course) -> Iterator[str]:
    for group in course.prerequisites:
        level = f" ({text(group.level)})" if group.level else ""
        yield f"- **{text(group.name.capitalize())}**{level}: {', '.join(text(t) for t in group.topics)}"


def _schedule(course: Course) -> list[str]:
    lists = {r.id for r in course.reading_lists}
    zone = zone_of(course)
    rows = []
    for p in placed_sessions(course):
        s = p.session
        rows.append(
            (
                str(s.week),
                _when(course, s, zone),
                _topic(s),
                link("slides", s.slides) if s.slides else "",
                f"[{text(s.refs)}](#{anchor(s.refs)})" if s.refs in lists and s.kind != "break" else "",
            )
        )
    return _table(("Week", "Date", "Topic", "Slides", "References"), rows)


def _when(course: Course, s: Session, zone: dt.tzinfo) -> str:
    if s.kind == "break":
        first, last = s.first_day or s.date, s.last_day or s.date
        return f"{first:%a %Y-%m-%d}" + (f" – {last:%a %Y-%m-%d}" if last != first else "")
    p = place(course, s)
    start, end = (p.start or p.over).astimezone(zone), p.over.astimezone(zone)
    room = f", {text(p.location)}" if p.location else ""
    return f"{start:%a %Y-%m-%d}, {start:%H:%M}–{end:%H:%M}{room}"


def _topic(s: Session) -> str:
    title = text(s.display_title)
    label = f"{text(s.label)} " if s.label else ""
    speaker = (
        f" — guest: {text(', '.join(x for x in (s.speaker, s.affiliation) if x))}" if s.title and s.speaker else ""
    )
    kind = {"exam": " (exam)", "lab": " (lab)", "review": " (review)"}.get(s.kind, "")
    topic = f"{label}{title}{speaker}{kind}"
    if s.cancelled:
        return f"~~{topic}~~ **cancelled**" + (f": {text(s.note)}" if s.note else "")
    return topic + (f" ({text(s.note)})" if s.note else "")


def _reading_lists(course: Course) -> Iterator[str]:
    for r in course.reading_lists:
        yield f'<a id="{anchor(r.id)}"></a>'
        yield f"### {text(r.id)}" + (f": {text(r.title)}" if r.title else "")
        yield ""
        numbered = entries(r)
        for group, heading in (("main", "Main references"), ("further", "Further references")):
            chosen = [e for e in numbered if e.group == group]
            if chosen:
                yield f"{heading}:"
                yield ""
                yield from (f"{e.number}. {_reference(e.reference)}" for e in chosen)
                yield ""


def _reference(ref: Reference) -> str:
    title = link(ref.title, ref.url) if ref.url else text(ref.title)
    details = ", ".join(text(x) for x in (ref.authors, ref.venue, ref.note) if x)
    year = f" ({ref.year})" if ref.year else ""
    return title + (f", {details}" if details else "") + year


def _deadlines(course: Course) -> list[str]:
    zone = zone_of(course)
    views = deadline_views(course, dt.datetime.min.replace(tzinfo=dt.UTC))
    if not views:
        return []
    rows = []
    for v in views:
        d = v.deadline
        due = f"{d.due.astimezone(zone):%a %Y-%m-%d %H:%M %Z}" if d.due else "TBA"
        how = "; ".join(text(x) for x in (d.submission, d.note) if x)
        rows.append((v.kind, text(d.title), due, how))
    return _table(("Kind", "What", "Due", "How, note"), rows)


def _curriculum(course: Course, curriculum_id: str) -> Iterator[str]:
    curriculum = next(c for c in course.curricula if c.id == curriculum_id)
    if curriculum.links:
        yield " · ".join(link(k.title, k.url) for k in curriculum.links)
        yield ""
    for c in curriculum.classes:
        yield f"### Class {c.number}: {text(c.title)}"
        yield ""
        if c.motivation:
            yield paragraph(c.motivation)
            yield ""
        for heading, readings in (("Required reading", c.required_reading), ("Optional reading", c.optional_reading)):
            if readings:
                yield f"{heading}:"
                yield ""
                yield from (f"- {link(r.text, r.url) if r.url else text(r.text)}" for r in readings)
                yield ""
        if c.questions:
            yield "Questions:"
            yield ""
            yield from (f"- {text(q)}" for q in c.questions)
            yield ""
        if c.notebook:
            yield f"Notebook: {link(c.notebook, c.notebook)}"
            yield ""
