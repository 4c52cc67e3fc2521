"""The course page in GitHub-flavoured Markdown, shaped like the original page.

Course text is data: every character Markdown or HTML would read as syntax is escaped, line
breaks inside a table cell become spaces, and each reading list has an explicit anchor that the
schedule links to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .model import Course, Reference
from .page import MeetingLine, ScheduleRow, deadline_rows, identity, meeting_lines, reference_details, schedule_rows
from .query import entries
from .textsafe import clean
from .timeutil import format_day

SIGNATURE = "<!-- Written by mdl"
# What Markdown or HTML could read as syntax inside a line; an underscore only at a word's edge
# (GitHub does not read New_York as emphasis).
_SPECIAL = re.compile(r"([\\`*\[\]<>|~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What a link destination escapes: each could end it, start an entity or split a table row.
_DESTINATION = re.compile(r"[\\()<>\[\]&|*`]")
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
    """A link whose destination a CommonMark reader gives back as exactly `url`."""
    # Backslash escapes hold in a destination: a parenthesis or bracket cannot end it, `&` starts
    # no entity, `|` does not split a table row. A space needs the <…> form; percent-encoding
    # would change an address (%26 is not &, and a browser reads \ as / but %5C as itself).
    target = _DESTINATION.sub(lambda m: "\\" + m.group(0), clean(url))
    return f"[{text(title)}](<{target}>)" if " " in target else f"[{text(title)}]({target})"


def to_markdown(course: Course, source: str) -> str:
    """The whole page; `source` names the course file in the page's first line."""
    return "\n".join(_page(course, source)).rstrip("\n") + "\n"


def _page(course: Course, source: str) -> Iterator[str]:
    yield f"{SIGNATURE} from {text(source)}; edit the course file, not this page. -->"
    yield f"# {text(course.title)}"
    yield ""
    subtitle = " · ".join(text(x) for x in identity(course))
    if subtitle:
        yield f"**{subtitle}**"
        yield ""
    yield from _section("Announcements", _announcements(course))
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
    return lines + [f"- {_meeting(m)}" for m in meeting_lines(course)]


def _meeting(m: MeetingLine) -> str:
    parts = [f"**{text(m.title)}**: {m.days}, {m.times}", text(m.room) if m.room else "no room given"]
    if m.extent:
        parts.append(m.extent)
    return ", ".join(parts) + (" (optional)" if m.optional else "")


def _announcements(course: Course) -> list[str]:
    return [
        f"- **{format_day(a.date)}: {text(a.title)}**" + (f" {text(' '.join(a.text.split()))}" if a.text else "")
        for a in course.announcements
    ]


def _people(course: Course) -> list[str]:
    if not course.people:
        return []
    meetings = meeting_lines(course)
    rows = [
        (
            text(p.role),
            text(p.name) + (f" ({text(p.pronouns)})" if p.pronouns else ""),
            text(p.email or ""),
            link("web page", p.website) if p.website else "",
            "; ".join(
                f"{m.days}, {m.times}" + (f", {text(m.room)}" if m.room else "") for m in meetings if m.person == p.id
            ),
        )
        for p in course.people
    ]
    # The web page and office hours columns only where someone has them.
    shown = [i for i in range(5) if i < 3 or any(r[i] for r in rows)]
    header = ("Role", "Name", "Email", "Web page", "Office hours")
    return _table(tuple(header[i] for i in shown), (tuple(r[i] for i in shown) for r in rows))


def _syllabus(course: Course) -> Iterator[str]:
    for part in course.syllabus:
        yield f"- **{text(part.title)}**"
        yield from (f"  - {text(item)}" for item in part.items)


def _prerequisites(course: Course) -> Iterator[str]:
    for group in course.prerequisites:
        level = f" ({text(group.level)})" if group.level else ""
        yield f"- **{text(group.name.capitalize())}**{level}: {', '.join(text(t) for t in group.topics)}"


def _schedule(course: Course) -> list[str]:
    rows = (
        (
            str(r.session.week),
            ", ".join(text(x) for x in (r.date, r.times, r.room) if x),
            _topic(r),
            link("slides", r.session.slides) if r.session.slides else "",
            f"[{text(r.reading_list)}](#{anchor(r.reading_list)})" if r.reading_list else "",
        )
        for r in schedule_rows(course)
    )
    return _table(("Week", "Date", "Topic", "Slides", "References"), rows)


def _topic(r: ScheduleRow) -> str:
    s = r.session
    topic = text(r.topic) + (f" — guest: {text(r.guest)}" if r.guest else "") + (f" ({r.kind})" if r.kind else "")
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
    return (link(ref.title, ref.url) if ref.url else text(ref.title)) + text(reference_details(ref))


def _deadlines(course: Course) -> list[str]:
    rows = [(d.kind, text(d.title), d.due, text(d.how)) for d in deadline_rows(course)]
    return _table(("Kind", "What", "Due", "How, note"), rows) if rows else []


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
