"""The course page as one self-contained HTML file: no external assets, readable on a phone and
on paper, with the course as schema.org structured data (JSON-LD) for search engines.

Every piece of course text goes through `_t` (or `_href` for an address) on its way into the page:
that is the one place it is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .markdown import anchor
from .model import Course, Reference
from .page import (
    ScheduleRow,
    WeeklySchedule,
    deadline_rows,
    identity,
    meeting_lines,
    reference_details,
    schedule_rows,
    weekly_schedules,
)
from .query import entries, monday_of, zone_of
from .textsafe import clean

SIGNATURE = "<!-- Written by mdl"
_DOCTYPE = "<!DOCTYPE html>\n"

_STYLE = """
:root { color-scheme: light dark; --accent: #2a5db0; --mark: #fff3c4; --rule: #d0d4da; }
@media (prefers-color-scheme: dark) { :root { --accent: #8ab4f8; --mark: #4a4120; --rule: #444a52; } }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem;
  margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
a { color: var(--accent); }
h1 { margin-bottom: 0; } .subtitle { margin-top: .25rem; font-weight: 600; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); }
tr.this-week { background: var(--mark); }
.now { padding: .5rem .75rem; background: var(--mark); border-radius: .4rem; }
.badge { font-size: .8em; font-weight: 700; white-space: nowrap; }
.cancelled .topic { text-decoration: line-through; }
.subscribe { display: inline-block; padding: .4rem .8rem; border: 1px solid var(--accent); border-radius: .4rem; }
@media (max-width: 40rem) {
  body { padding: .5rem; font-size: 15px; }
  th, td { padding: .3rem .25rem; }
}
@media print {
  body { max-width: none; font-size: 11pt; }
  .subscribe { display: none; }
  tr.this-week, .now { background: none; }
  a { color: inherit; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; overflow-wrap: anywhere; }
  tr, li { break-inside: avoid; }
}
"""


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is a page mdl wrote (its second line says so), which an export may replace."""
    return data.startswith((_DOCTYPE + SIGNATURE).encode())


def _t(value: str) -> str:
    return html.escape(clean(value), quote=True)


def _href(url: str) -> str:
    return html.escape(url, quote=True)


def _a(title: str, url: str) -> str:
    return f'<a href="{_href(url)}">{_t(title)}</a>'


def to_html(course: Course, source: str, now: dt.datetime, ics_url: str | None = None) -> str:
    """The whole page; "this week" is the week of `now` in course time; `ics_url` adds a subscribe link."""
    return "\n".join(_page(course, source, now, ics_url)) + "\n"


def _page(course: Course, source: str, now: dt.datetime, ics_url: str | None) -> Iterator[str]:
    yield _DOCTYPE + f"{SIGNATURE} from {_t(source)}; edit the course file, not this page. -->"
    yield '<html lang="en">'
    yield "<head>"
    yield '<meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield '<meta name="generator" content="mdl">'
    yield f"<title>{_t(course.title)}</title>"
    yield f"<style>{_STYLE}</style>"
    yield '<script type="application/ld+json">'
    yield json_ld_text(course)
    yield "</script>"
    yield "</head>"
    yield "<body>"
    yield "<header>"
    yield f"<h1>{_t(course.title)}</h1>"
    subtitle = " · ".join(_t(x) for x in identity(course))
    if subtitle:
        yield f'<p class="subtitle">{subtitle}</p>'
    week = _week_of(course, now)
    this_week = [r for r in schedule_rows(course) if _in_week(r, week)]
    if this_week:
        shown = "; ".join(f"{_t(r.topic)} ({_t(', '.join(x for x in (r.date, r.times) if x))})" for r in this_week)
        yield f'<p class="now">This week: <a href="#this-week">{shown}</a></p>'
    if ics_url:
        yield _subscribe(ics_url)
    yield "</header>"
    yield "<main>"
    yield from _section("logistics", "Logistics", _logistics(course))
    yield from _section("people", "People", _people(course))
    yield from _section("links", "Links", _list(_a(k.title, k.url) for k in course.links))
    if course.description:
        yield from _section("description", "Description", _paragraphs(course.description))
    yield from _section("syllabus", "Syllabus", _syllabus(course))
    yield from _section("prerequisites", "Prerequisites", _prerequisites(course))
    grading = (f"<strong>{_t(g.component)}</strong>: {_t(g.detail)}" for g in course.grading)
    yield from _section("grading", "Grading", _list(grading))
    yield from _section("schedule", "Schedule", _schedule(course, week))
    yield from _section("reading-lists", "Reading lists", _reading_lists(course))
    yield from _section("deadlines", "Deadlines and exams", _deadlines(course))
    for curriculum in course.curricula:
        yield from _section(
            f"curriculum-{anchor(curriculum.id)}",
            f"Parallel curriculum: {_t(curriculum.title)}",
            _curriculum(course, curriculum.id),
        )
    yield "</main>"
    yield "</body>"
    yield "</html>"


def _subscribe(ics_url: str) -> str:
    scheme, separator, rest = ics_url.partition("://")
    if not separator or scheme not in ("http", "https"):
        return (
            f'<p><a class="subscribe" href="{_href(ics_url)}">Download the calendar</a> '
            "(iCalendar: import it into any calendar program).</p>"
        )
    # webcal:// asks the system's calendar to subscribe (and poll for updates) rather than import once.
    return (
        f'<p><a class="subscribe" href="webcal://{_href(rest)}">Subscribe to the calendar</a> '
        f'or <a href="{_href(ics_url)}">download it</a> (iCalendar: updates replace its events).</p>'
    )


def _section(ident: str, title: str, body: Iterable[str]) -> Iterator[str]:
    lines = list(body)
    if lines:
        yield f'<section id="{ident}">'
        yield f"<h2>{title}</h2>"
        yield from lines
        yield "</section>"


def _list(items: Iterable[str], tag: str = "ul") -> list[str]:
    shown = [f"<li>{item}</li>" for item in items]
    return [f"<{tag}>", *shown, f"</{tag}>"] if shown else []


def _paragraphs(value: str) -> list[str]:
    return [f"<p>{'<br>'.join(_t(line) for line in part.splitlines())}</p>" for part in value.split("\n\n") if part]


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, tuple[str, ...]]]) -> list[str]:
    """A table in a box that scrolls sideways on a narrow screen; each row is (its attributes, cells)."""
    lines = ['<div class="wide"><table>', "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>"]
    lines.append("<tbody>")
    lines += [
        f"<tr{attributes}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>" for attributes, cells in rows
    ]
    lines.append("</tbody></table></div>")
    return lines


def _logistics(course: Course) -> list[str]:
    items = [f"Term: {course.term_start} to {course.term_end}; all times are {_t(course.timezone)} time."]
    for m in meeting_lines(course):
        parts = [f"<strong>{_t(m.title)}</strong>: {m.days}, {_t(m.times)}", _t(m.room) if m.room else "no room given"]
        parts += [m.extent] if m.extent else []
        items.append(", ".join(parts) + (" (optional)" if m.optional else ""))
    return _list(items)


def _people(course: Course) -> list[str]:
    rows = (("", (_t(p.role), _t(p.name), _a(p.email, f"mailto:{p.email}") if p.email else "")) for p in course.people)
    return _table(("Role", "Name", "Email"), rows) if course.people else []


def _syllabus(course: Course) -> list[str]:
    return _list(
        f"<strong>{_t(part.title)}</strong>" + "".join(_list(_t(i) for i in part.items)) for part in course.syllabus
    )


def _prerequisites(course: Course) -> list[str]:
    return _list(
        f"<strong>{_t(g.name.capitalize())}</strong>" + (f" ({_t(g.level)})" if g.level else "")
        + ": " + ", ".join(_t(t) for t in g.topics)
        for g in course.prerequisites
    )  # fmt: skip


def _week_of(course: Course, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week that holds `now`, in course time."""
    monday = monday_of(now.astimezone(zone_of(course)).date())
    return monday, monday + dt.timedelta(days=6)


def _in_week(r: ScheduleRow, week: tuple[dt.date, dt.date]) -> bool:
    return r.days[0] <= week[1] and r.days[1] >= week[0]


def _schedule(course: Course, week: tuple[dt.date, dt.date]) -> list[str]:
    rows = []
    first_this_week = True
    for r in schedule_rows(course):
        this_week = _in_week(r, week)
        classes = " ".join(
            c for c in ("this-week" if this_week else "", "cancelled" if r.session.cancelled else "") if c
        )
        attributes = f' class="{classes}"' if classes else ""
        if this_week and first_this_week:
            attributes += ' id="this-week" aria-current="date"'
            first_this_week = False
        badge = ' <span class="badge">this week</span>' if this_week else ""
        rows.append((attributes, _schedule_cells(r, badge)))
    return _table(("Week", "Date", "Topic", "Slides", "References"), rows)


def _schedule_cells(r: ScheduleRow, badge: str) -> tuple[str, ...]:
    s = r.session
    when = "<br>".join(_t(x) for x in (r.date, r.times, r.room) if x) + badge
    topic = f'<span class="topic">{_t(r.topic)}</span>'
    topic += (f"<br>guest: {_t(r.guest)}" if r.guest else "") + (f" ({r.kind})" if r.kind else "")
    topic += " <strong>cancelled</strong>" if s.cancelled else ""
    topic += f"<br><em>{_t(s.note)}</em>" if s.note else ""
    slides = _a("slides", s.slides) if s.slides else ""
    refs = f'<a href="#{anchor(r.reading_list)}">{_t(r.reading_list)}</a>' if r.reading_list else ""
    return (str(s.week), when, topic, slides, refs)


def _reading_lists(course: Course) -> Iterator[str]:
    for r in course.reading_lists:
        yield f'<h3 id="{anchor(r.id)}">{_t(r.id)}' + (f": {_t(r.title)}" if r.title else "") + "</h3>"
        numbered = entries(r)
        for group, heading in (("main", "Main references"), ("further", "Further references")):
            chosen = [e for e in numbered if e.group == group]
            if chosen:
                yield f"<p>{heading}:</p>"
                yield f'<ol start="{chosen[0].number}">'
                yield from (f"<li>{_reference(e.reference)}</li>" for e in chosen)
                yield "</ol>"


def _reference(ref: Reference) -> str:
    return (_a(ref.title, ref.url) if ref.url else _t(ref.title)) + _t(reference_details(ref))


def _deadlines(course: Course) -> list[str]:
    rows = [("", (d.kind, _t(d.title), _t(d.due), _t(d.how))) for d in deadline_rows(course)]
    return _table(("Kind", "What", "Due", "How, note"), rows) if rows else []


def _curriculum(course: Course, curriculum_id: str) -> Iterator[str]:
    curriculum = next(c for c in course.curricula if c.id == curriculum_id)
    if curriculum.links:
        yield "<p>" + " · ".join(_a(k.title, k.url) for k in curriculum.links) + "</p>"
    for c in curriculum.classes:
        yield f"<h3>Class {c.number}: {_t(c.title)}</h3>"
        if c.motivation:
            yield from _paragraphs(c.motivation)
        for heading, readings in (("Required reading", c.required_reading), ("Optional reading", c.optional_reading)):
            if readings:
                yield f"<p>{heading}:</p>"
                yield from _list(_a(r.text, r.url) if r.url else _t(r.text) for r in readings)
        if c.questions:
            yield "<p>Questions:</p>"
            yield from _list(_t(q) for q in c.questions)
        if c.notebook:
            yield f"<p>Notebook: {_a(c.notebook, c.notebook)}</p>"


def json_ld(course: Course) -> dict[str, Any]:
    """The course as schema.org's `Course` with one `CourseInstance`: the term, its people and its weekly runs."""
    instructors = [{"@type": "Person", "name": p.name, "jobTitle": p.role} | _email(p.email) for p in course.people]
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": " · ".join([course.title, *([course.term] if course.term else [])]),
        "startDate": course.term_start.isoformat(),
        "endDate": course.term_end.isoformat(),
        "instructor": instructors,
        "courseSchedule": [_schedule_ld(course, w) for w in weekly_schedules(course)],
    }
    rooms = list(dict.fromkeys(m.location for m in course.meetings if m.location))
    if rooms:
        instance["location"] = [{"@type": "Place", "name": room} for room in rooms]
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Course", "name": course.title}
    data |= {"courseCode": course.code} if course.code else {}
    data |= {"description": course.description} if course.description else {}
    data |= {"provider": {"@type": "Organization", "name": course.institution}} if course.institution else {}
    data["hasCourseInstance"] = [instance]
    return data


def _email(address: str | None) -> dict[str, str]:
    return {"email": address} if address else {}


def _schedule_ld(course: Course, w: WeeklySchedule) -> dict[str, Any]:
    days = [f"https://schema.org/{day}" for day in w.weekdays]
    return {
        "@type": "Schedule",
        "name": w.title,
        "repeatFrequency": "P1W",
        "byDay": days[0] if len(days) == 1 else days,
        "startTime": f"{w.start:%H:%M}",
        "endTime": f"{w.end:%H:%M}",
        "scheduleTimezone": course.timezone,
        "startDate": w.first.isoformat(),
        "endDate": w.last.isoformat(),
        "exceptDate": [d.isoformat() for d in w.except_dates],
    }


def json_ld_text(course: Course) -> str:
    # Inside <script> only "</" could end the block early; escaping <, > and & as JSON escapes
    # keeps the text JSON that reads back the same.
    text = json.dumps(json_ld(course), ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
