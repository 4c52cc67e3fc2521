"""The course page as one self-contained HTML file: no external assets, readable on a phone and
on paper, with the course as schema.org structured data (JSON-LD) for search engines.

Every piece of course text goes through `_t` (or `_href` for an address) on its way into the page:
that is the one place it is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path

from .jsonld import LANGUAGE, json_ld_text, script_text
from .markdown import anchor
from .model import WEEKDAYS, Course, Reference
from .page import (
    MeetingLine,
    ScheduleRow,
    deadline_rows,
    identity,
    meeting_lines,
    reference_details,
    schedule_rows,
    weekly_schedules,
)
from .pageweek import DUE_SOON, WeekItem, due_soon, week_facts, week_items, week_view
from .query import entries, monday_of, zone_of
from .record import Record
from .textsafe import clean
from .timeutil import format_day, format_moment

WEEKDAY_NAMES = tuple(day.capitalize() for day in WEEKDAYS)  # as weekly_schedules names them

SIGNATURE = "<!-- Written by mdl"
_DOCTYPE = "<!DOCTYPE html>\n"


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is a page mdl wrote (its second line says so), which an export may replace."""
    return data.startswith((_DOCTYPE + SIGNATURE).encode())


# What a page says about the moment it was made: its "This week" block, when it was made, what
# was due soon, which schedule rows were that week's. Two pages that differ only there say the same.
_OF_THE_MOMENT = re.compile(
    r'<section class="now".*?</section>\n|<p class="built">.*?</p>\n|<div id="due-soon-now">.*?</div>\n'
    r'| id="this-week" aria-current="date"| class="this-week"|(?<=class=")this-week ',
    re.DOTALL,
)


def same_apart_from_moment(before: bytes, after: bytes) -> bool:
    """Whether two pages differ only in what they say about the moment each was made; the
    older then stays, so a site republished later rewrites nothing (its script shows the reader's week)."""
    return _OF_THE_MOMENT.sub("", before.decode(errors="replace")) == _OF_THE_MOMENT.sub("", after.decode())


def _t(value: str) -> str:
    return html.escape(clean(value), quote=True)


def _href(url: str) -> str:
    return html.escape(url, quote=True)


def _a(title: str, url: str) -> str:
    return f'<a href="{_href(url)}">{_t(title)}</a>'


def to_html(
    course: Course, source: str, now: dt.datetime, ics_url: str | None = None, *, site: Site | None = None
) -> str:
    """The whole page as of `now` (the script brings "this week" up to the reader's clock);
    `ics_url` adds a subscribe link, `site` what a published folder holds beside the page."""
    return "\n".join(_page(course, source, now, ics_url, site)) + "\n"


class Site(Record):
    """What a published folder gives the page: its address and the files beside it."""

    base_url: str | None  # where the folder is served from, ending in "/"
    files: tuple[tuple[str, str], ...]  # (what it is, its address relative to the page)


def _page(course: Course, source: str, now: dt.datetime, ics_url: str | None, site: Site | None) -> Iterator[str]:
    zone = zone_of(course)
    items = week_items(course)
    base_url = site.base_url if site else None
    sections = [
        ("announcements", "Announcements", _announcements(course)),
        ("due-soon", "Due soon", _due_soon(items, now)),
        ("logistics", "Logistics", _logistics(course)),
        ("people", "People", _people(course)),
        ("links", "Links", _list(_a(k.title, k.url) for k in course.links)),
        ("description", "Description", _paragraphs(course.description) if course.description else []),
        ("syllabus", "Syllabus", _syllabus(course)),
        ("prerequisites", "Prerequisites", _prerequisites(course)),
        ("grading", "Grading", _list(f"<strong>{_t(g.component)}</strong>: {_t(g.detail)}" for g in course.grading)),
        ("schedule", "Schedule", _schedule(course, now)),
        ("deadlines", "Deadlines and exams", _deadlines(course)),
        ("reading-lists", "Reading lists", list(_reading_lists(course))),
    ]
    sections += [
        (f"curriculum-{anchor(c.id)}", f"Parallel curriculum: {_t(c.title)}", list(_curriculum(course, c.id)))
        for c in course.curricula
    ]
    sections = [(ident, title, body) for ident, title, body in sections if body]
    yield _DOCTYPE + f"{SIGNATURE} from {_t(source)}; edit the course file, not this page. -->"
    yield f'<html lang="{LANGUAGE}">'
    yield "<head>"
    yield from _head(course, base_url)
    yield "</head>"
    yield "<body>"
    yield '<a class="skip" href="#main">Skip to the content</a>'
    yield "<header>"
    yield f"<h1>{_t(course.title)}</h1>"
    subtitle = " · ".join(_t(x) for x in identity(course))
    if subtitle:
        yield f'<p class="subtitle">{subtitle}</p>'
    yield from _week(course, items, now)
    yield f'<p class="built">This page was made on {_t(format_moment(now, zone))} from {_t(source)}. '
    yield '<span id="week-clock">“This week” and “Due soon” are as of that moment.</span></p>'
    if ics_url:
        yield _subscribe(ics_url)
    if site and site.files:
        yield "<p>Published with this page: " + " · ".join(_a(what, href) for what, href in site.files) + ".</p>"
    yield '<nav class="toc" aria-label="Contents"><ol>'
    yield from (f'<li><a href="#{ident}">{title}</a></li>' for ident, title, _ in sections)
    yield "</ol></nav>"
    yield "</header>"
    yield '<main id="main">'
    for ident, title, body in sections:
        yield f'<section id="{ident}">'
        yield f'<h2><a href="#{ident}">{title}</a></h2>'
        yield from body
        yield "</section>"
    yield "</main>"
    yield '<script type="application/json" id="mdl-week-facts">'
    yield script_text(week_facts(course, items), compact=True)
    yield "</script>"
    yield f"<script>{_asset('week.js')}</script>"
    yield "</body>"
    yield "</html>"


def _asset(name: str) -> str:
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


# A mark on a tab: the course page's own icon, inline, so the browser asks the server for none.
_ICON = "data:image/svg+xml," + urllib.parse.quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' "
    "fill='#1f4f9e'/><path d='M3.5 12V4.5l4.5 4 4.5-4V12' fill='none' stroke='#fff' stroke-width='1.8'/></svg>",
    safe=":/=' ",
).replace(" ", "%20")


def _head(course: Course, base_url: str | None) -> Iterator[str]:
    description = _summary(course)
    yield '<meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield '<meta name="generator" content="mdl">'
    yield f"<title>{_t(course.title)}</title>"
    yield f'<meta name="description" content="{_t(description)}">'
    yield '<meta property="og:type" content="website">'
    yield f'<meta property="og:title" content="{_t(course.title)}">'
    yield f'<meta property="og:description" content="{_t(description)}">'
    if base_url:
        yield f'<meta property="og:url" content="{_href(base_url)}">'
        yield f'<link rel="canonical" href="{_href(base_url)}">'
    yield f'<link rel="icon" href="{_ICON}">'
    yield f"<style>{_asset('page.css')}</style>"
    yield '<script type="application/ld+json">'
    yield json_ld_text(course, base_url)
    yield "</script>"


def _summary(course: Course) -> str:
    """The page in a sentence or two, for search results and link previews."""
    facts = " · ".join(identity(course))
    if not course.description:
        return facts or course.title
    words = " ".join(course.description.split())
    return (words if len(words) <= 200 else words[:199].rsplit(" ", 1)[0] + "…") + (f" ({facts})" if facts else "")


def _week(course: Course, items: list[WeekItem], now: dt.datetime) -> Iterator[str]:
    """The "This week" block as of `now`; week.js draws the same from the reader's clock."""
    view = week_view(course, items, now)
    yield '<section class="now" aria-labelledby="week-title">'
    yield '<h2 id="week-title">This week</h2>'
    yield '<div id="week-now">'
    if view.before:
        yield f"<p>The term starts on {view.before}.</p>"
    if view.after:
        yield f"<p>The term ended on {view.after}.</p>"
    else:
        yield f"<p>{view.first} to {view.last}:</p>"
        yield from (_list(_entry(i) for i in view.items) if view.items else ["<p>Nothing is on this week.</p>"])
    if view.next:
        yield f"<p>Next: {_entry(view.next)}</p>"
    yield "</div>"
    yield "</section>"


def _entry(item: WeekItem, countdown: str | None = None) -> str:
    """One item of the week or of what is due, marked up as week.js marks it up."""
    text = f'<span class="when">{_t(item["date"])} {_t(item["when"])}</span> '
    text += (
        f'<span class="kind">{_t(item["kind"])}</span> '
        + _t(item["title"])
        + (f", {_t(item['where'])}" if item["where"] else "")
    )
    text += " <strong>cancelled</strong>" if item["cancelled"] else ""
    return text + (f'<span class="countdown"> ({countdown})</span>' if countdown else "")


def _due_soon(items: list[WeekItem], now: dt.datetime) -> list[str]:
    due = due_soon(items, now)
    shown = _list(_entry(i, countdown) for i, countdown in due) or [
        f"<p>Nothing is due in the next {DUE_SOON.days} days.</p>"
    ]
    return ['<div id="due-soon-now">', *shown, "</div>"] if any(i["due"] for i in items) else []


def _announcements(course: Course) -> list[str]:
    return _list(
        f'<time datetime="{a.date.isoformat()}">{format_day(a.date)}</time> <strong>{_t(a.title)}</strong>'
        + ("".join(f"<br>{_t(line)}" for line in a.text.splitlines()) if a.text else "")
        for a in course.announcements
    )


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


def _list(items: Iterable[str], tag: str = "ul") -> list[str]:
    shown = [f"<li>{item}</li>" for item in items]
    return [f"<{tag}>", *shown, f"</{tag}>"] if shown else []


def _paragraphs(value: str) -> list[str]:
    return [f"<p>{'<br>'.join(_t(line) for line in part.splitlines())}</p>" for part in value.split("\n\n") if part]


# A run of characters a browser may break a line inside of (after a hyphen, a dash or a slash:
# Chromium breaks 2019-05-03 after its second hyphen).
_BREAKABLE_WORD = re.compile(r"\S*[-\u2010\u2013\u2014/]\S*")


def _words(value: str) -> str:
    """Course text whose words are kept whole (a table cell, a line of dates): it wraps between them only."""
    return _BREAKABLE_WORD.sub(lambda m: f'<span class="nw">{m.group()}</span>', _t(value))


def _table(
    label: str, header: tuple[str, ...], rows: Iterable[tuple[str, tuple[str, ...]]], caption: str = ""
) -> list[str]:
    """A table in a box of its own that scrolls sideways when the screen is narrower than the
    table's words (reachable from the keyboard); each row is (its attributes, cells)."""
    lines = [f'<div class="wide" role="region" aria-label="{label}" tabindex="0"><table>']
    lines += [f"<caption>{caption}</caption>"] if caption else []
    lines.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in header) + "</tr></thead>")
    lines.append("<tbody>")
    lines += [
        f"<tr{attributes}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>" for attributes, cells in rows
    ]
    lines.append("</tbody></table></div>")
    return lines


def _meeting(m: MeetingLine, *, named: bool = True) -> str:
    parts = [f"{m.days}, {_words(m.times)}", _t(m.room) if m.room else "no room given"]
    parts += [_words(m.extent)] if m.extent else []
    title = f"<strong>{_t(m.title)}</strong>: " if named else ""
    return title + ", ".join(parts) + (" (optional)" if m.optional else "")


def _logistics(course: Course) -> list[str]:
    term = _words(f"{course.term_start} to {course.term_end}")
    items = [f"Term: {term}; all times are {_t(course.timezone)} time."]
    items += [_meeting(m) for m in meeting_lines(course)]
    return _list(items) + _week_grid(course)


def _week_grid(course: Course) -> list[str]:
    """The regular meetings at a glance: a row per time of day, a column per weekday."""
    runs = weekly_schedules(course)
    if not runs:
        return []
    days = [d for d in WEEKDAY_NAMES if any(d in w.weekdays for w in runs)]
    times = sorted({(w.start, w.end) for w in runs})
    rows = []
    for start, end in times:
        cells = []
        for day in days:
            here = [w for w in runs if (w.start, w.end) == (start, end) and day in w.weekdays]
            cells.append(
                "<br>".join(
                    _words(w.title) + (f" ({_words(w.location)})" if w.location else "") + (" optional" * w.optional)
                    for w in here
                )
            )
        rows.append(("", (f'<span class="nw">{start:%H:%M}–{end:%H:%M}</span>', *cells)))
    caption = f"Every week ({_t(course.timezone)} time)"
    return _table("Every week", ("Time", *days), rows, caption)


_PEOPLE_COLUMNS = ("Name", "Role", "Contact", "Office hours")


def _people(course: Course) -> list[str]:
    hours = meeting_lines(course)
    rows = []
    for p in course.people:
        name = _words(p.name) + (f' <span class="nw">({_t(p.pronouns)})</span>' if p.pronouns else "")
        contact = ([_a(p.email, f"mailto:{p.email}")] if p.email else []) + (
            [_a("web page", p.website)] if p.website else []
        )
        office = "<br>".join(_meeting(m, named=False) for m in hours if m.person == p.id)
        rows.append((name, _words(p.role), "<br>".join(contact), office))
    # Contact and office hours only where someone has them.
    shown = [i for i in range(len(_PEOPLE_COLUMNS)) if i < 2 or any(r[i] for r in rows)]
    header = tuple(_PEOPLE_COLUMNS[i] for i in shown)
    return _table("People", header, (("", tuple(r[i] for i in shown)) for r in rows)) if rows else []


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


def _schedule(course: Course, now: dt.datetime) -> list[str]:
    """Every session, this week's marked (week.js marks the reader's), and in the first row of
    each week what is due in it."""
    zone = zone_of(course)
    monday = monday_of(now.astimezone(zone).date())
    week = (monday, monday + dt.timedelta(days=6))
    due: dict[dt.date, list[str]] = {}
    for d in course.deadlines:
        day = d.day(zone)
        if day is not None and d.due is not None:
            when = format_day(day) if d.day_only else format_moment(d.due, zone)
            due.setdefault(monday_of(day), []).append(
                f'<br><span class="due">Due: {_words(d.title)}, {_words(when)}</span>'
            )
    rows = []
    first_this_week = True
    for r in schedule_rows(course):
        this_week = r.days[0] <= week[1] and r.days[1] >= week[0]
        classes = " ".join(c for c in ("this-week" * this_week, "cancelled" * r.session.cancelled) if c)
        attributes = f' data-days="{r.days[0]} {r.days[1]}"' + (f' class="{classes}"' if classes else "")
        if this_week and first_this_week:
            attributes += ' id="this-week" aria-current="date"'
            first_this_week = False
        rows.append((attributes, _schedule_cells(r, due.pop(monday_of(r.days[0]), []))))
    return _table("Schedule", ("Week", "Date", "Topic", "Slides", "References"), rows)


def _schedule_cells(r: ScheduleRow, due: list[str]) -> tuple[str, ...]:
    s = r.session
    when = "<br>".join(_words(x) for x in (r.date, r.times, r.room) if x)
    topic = f'<span class="topic">{_words(r.topic)}</span>'
    topic += (f"<br>guest: {_words(r.guest)}" if r.guest else "") + (f" ({r.kind})" if r.kind else "")
    topic += " <strong>cancelled</strong>" if s.cancelled else ""
    topic += f"<br><em>{_words(s.note)}</em>" if s.note else ""
    topic += "".join(due)
    slides = _a("slides", s.slides) if s.slides else ""
    refs = f'<a href="#{anchor(r.reading_list)}">{_words(r.reading_list)}</a>' if r.reading_list else ""
    return (str(s.week), when, topic, slides, refs)


def _reading_lists(course: Course) -> Iterator[str]:
    for r in course.reading_lists:
        ident = anchor(r.id)
        yield f'<h3 id="{ident}"><a href="#{ident}">{_t(r.id)}' + (f": {_t(r.title)}" if r.title else "") + "</a></h3>"
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
    # A due moment is one phrase, as a countdown is in the terminal: it never wraps.
    rows = [
        ("", (_words(d.kind), _words(d.title), f'<span class="nw">{_t(d.due)}</span>', _words(d.how)))
        for d in deadline_rows(course)
    ]
    return _table("Deadlines and exams", ("Kind", "What", "Due", "How, note"), rows) if rows else []


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
