"""What students run every week: the schedule, what is next, the agenda, reading lists, search, deadlines."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mdlcli import run
from mdlcli.errors import OutputError, UsageError

from .common import (
    ClashWarningsOpt,
    CourseOpt,
    FromOpt,
    JsonFlag,
    NowOpt,
    ToOpt,
    TzOpt,
    chosen_courses,
    commands,
    complete_kind,
    complete_reading,
    moment_and_zone,
    show,
    show_json,
    terminal_console,
    warn_clashes,
    window,
    with_marks,
)

if TYPE_CHECKING:
    from mdlcli.model import Course


@commands.command()
def schedule(
    course: CourseOpt = None,
    week: Annotated[
        list[str] | None,
        typer.Option("--week", metavar="N|N-M", help="Only these weeks of the term: 6, 9-11 (repeatable)."),
    ] = None,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Only sessions not over yet.")] = False,
    from_date: FromOpt = None,
    to_date: ToOpt = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only these kinds: lecture, guest-lecture, exam, lab, review, break (repeatable).",
            autocompletion=complete_kind,
        ),
    ] = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    json: JsonFlag = False,
    clash_warnings: ClashWarningsOpt = None,
) -> None:
    """The weekly sessions, past dimmed and next marked.

    Week, date, time, kind, label, title, guest speaker, slides and reading list of each session.
    """
    from mdlcli import query, render

    courses = with_marks(chosen_courses(course))
    moment, zone = moment_and_zone(courses, now, tz)
    first, last = window(from_date, to_date, moment, zone)
    placed = query.merged_sessions(courses)
    shown = query.filter_sessions(
        placed,
        weeks=query.parse_weeks(week, courses) if week else None,
        from_date=first,
        to_date=last,
        kinds=query.parse_kinds(kind or []),
        after=moment if upcoming else None,
    )
    multi = len(courses) > 1
    if json:
        show_json([render.session_json(p, zone) for p in shown])
    elif multi:
        each = [query.next_session([p for p in placed if p.course == c.id], moment) for c in courses]
        title = "Schedule: " + ", ".join(c.id for c in courses)
        show(render.schedule(shown, None, moment, zone, title, multi=True, upcoming_each=[p for p in each if p]))
    else:
        title = f"{courses[0].title}: schedule"
        show(render.schedule(shown, query.next_session(placed, moment), moment, zone, title))
    if multi:
        warn_clashes(courses, zone, clash_warnings)


@commands.command("next")
def next_(course: CourseOpt = None, now: NowOpt = None, tz: TzOpt = None, json: JsonFlag = False) -> None:
    """What comes next, with countdowns.

    The next lecture, tutoring session, office hours and deadline.
    """
    from mdlcli import query, render

    courses = with_marks(chosen_courses(course))
    moment, zone = moment_and_zone(courses, now, tz)
    items, ended = query.merged_next(courses, moment)
    latest = query.latest_announcements(courses, moment, zone)
    if json:
        show_json(render.upcoming_json(items, moment, zone, ended, latest))
    else:
        show(render.upcoming(items, moment, zone, ended, multi=len(courses) > 1, latest=latest))


@commands.command()
def agenda(
    course: CourseOpt = None,
    from_date: FromOpt = None,
    to_date: ToOpt = None,
    days: Annotated[
        int | None, typer.Option("--days", metavar="N", min=1, max=366, help="How many days. Default: 7.")
    ] = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    json: JsonFlag = False,
) -> None:
    """Day by day: everything in the next days.

    Lectures, exams, labs, tutoring, office hours, deadlines and breaks, grouped by day: today
    and the next 6 days, or --from, --to, --days N.
    """
    from mdlcli import query, render
    from mdlcli.timeutil import check_year

    courses = with_marks(chosen_courses(course))
    moment, zone = moment_and_zone(courses, now, tz)
    first, last = window(from_date, to_date, moment, zone)
    if days is not None and last is not None:
        raise UsageError("--days and --to both end the window; give one of them")
    first = first or moment.astimezone(zone).date()
    if last is None:
        last = first + dt.timedelta(days=(days or 7) - 1)
        check_year(last, "--days" if days else "--from")
    if (last - first).days >= 366:
        raise UsageError(f"--from {first} to --to {last} is more than a year; the agenda shows at most 366 days")
    entries = query.agenda(courses, first, last, zone)
    if json:
        show_json(render.agenda_json(entries, zone))
    else:
        latest = query.latest_announcements(courses, moment, zone)
        show(render.agenda(entries, first, last, zone, multi=len(courses) > 1, latest=latest))


@commands.command()
def week(
    course: CourseOpt = None,
    from_date: FromOpt = None,
    weeks: Annotated[int, typer.Option("--weeks", metavar="N", min=1, max=52, help="How many weeks. Default: 1.")] = 1,
    now: NowOpt = None,
    tz: TzOpt = None,
    json: JsonFlag = False,
) -> None:
    """The week's study plan: what to read before each session, and what is due.

    For each day, across every course: each session with its unread readings (the reading list
    linked to it) and their estimated time (`minutes:`, or `pages:` at the config's
    [study] pages_per_hour, default 10); each deadline and exam with its countdown and done
    state; a total at the end. This week, Monday to Sunday, or from --from; --weeks N.
    """
    from mdlcli import query
    from mdlcli.query.plan import week_plan
    from mdlcli.render.plan import week as week_blocks
    from mdlcli.render.plan import week_json

    courses = with_marks(chosen_courses(course))
    moment, zone = moment_and_zone(courses, now, tz)
    first, _ = window(from_date, None, moment, zone)
    first = first or query.monday_of(moment.astimezone(zone).date())
    last = first + dt.timedelta(days=7 * weeks - 1)
    pace = run.run_config().pages_per_hour
    plan = week_plan(courses, first, last, zone, now=moment, pages_per_hour=pace)
    if json:
        show_json(week_json(plan, moment, zone, pace))
    else:
        show(week_blocks(plan, moment, zone, pace, multi=len(courses) > 1))


@commands.command()
def refs(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Lecture label (lec5), week (week6, w6) or reading-list id (lec1); COURSE:ID among several.",
            autocompletion=complete_reading,
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", metavar="TEXT", help="References whose title or authors contain TEXT.")
    ] = None,
    bibtex: Annotated[bool, typer.Option("--bibtex", help="Print BibTeX entries.")] = False,
    unread: Annotated[bool, typer.Option("--unread", help="Only what is left to read (`mdl read` marks).")] = False,
    open_: Annotated[
        str | None, typer.Option("--open", metavar="N|slides", help="Open reference N, or the slides, in the browser.")
    ] = None,
    course: CourseOpt = None,
    json: JsonFlag = False,
) -> None:
    """Reading lists: one lecture's, all of them, or a search.

    lec5 is the session labelled Lec5 (week 6); week5 or w5 is the session in week 5; lec1
    names the reading list of the week-1 guest lecture.
    """
    from mdlcli import query, render

    courses = with_marks(chosen_courses(course))
    multi = len(courses) > 1
    c, target = query.resolve_across(courses, ident) if ident else (courses[0], None)
    if open_ is not None:
        _open(query.url_to_open(target, open_))
        return
    if search is not None:
        found = [e for each in courses for e in query.search_references(each, search)]
    elif target is not None:
        found = query.entries(target.reading_list, c.id) if target.reading_list else []
    else:
        found = [e for each in courses for r in each.reading_lists for e in query.entries(r, each.id)]
    if unread:
        found = [e for e in found if not e.reference.read]
        if not json and not bibtex:
            show(render.found_references(found, "", multi=multi, title="Left to read"))
            return
    if json:
        show_json([render.reference_json(e) for e in found])
    elif bibtex:
        from mdlcli.bibtex import to_bibtex

        sys.stdout.write(to_bibtex(found))
    elif search is not None:
        show(render.found_references(found, search, multi=multi))
    elif target is not None:
        show(render.reading(target))
    else:
        show(render.all_readings(courses))


def _open(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url):
        raise OutputError(f"no web browser could be started; the address is {url}")
    sys.stdout.write(f"opened {url}\n")


@commands.command("search")
def search_(
    text: Annotated[str, typer.Argument(help="Text to look for (case-insensitive).")],
    course: CourseOpt = None,
    json: JsonFlag = False,
) -> None:
    """Search the whole course.

    Sessions, reading lists, syllabus, curriculum and deadlines, each hit with the command
    that shows it in full.
    """
    from mdlcli import query, render

    courses = chosen_courses(course)
    multi = len(courses) > 1
    found = [hit for c in courses for hit in query.search(c, text, qualified=multi)]
    show_json(render.hits_json(found)) if json else show(render.hits(found, text, multi=multi))


@commands.command()
def deadlines(
    course: CourseOpt = None,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Hide deadlines that have passed.")] = False,
    pending: Annotated[bool, typer.Option("--pending", help="Hide deadlines marked done (`mdl done`).")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Keep counting down, every second, until Ctrl-C.")] = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    json: JsonFlag = False,
) -> None:
    """Deadlines with countdowns and term progress.

    Due moment, time left (or how long ago it passed) and how much of the term has gone.
    """
    from mdlcli import query, render

    courses = with_marks(chosen_courses(course))
    moment, zone = moment_and_zone(courses, now, tz)
    views = [
        v
        for v in query.merged_deadlines(courses, moment)
        if not (upcoming and v.status == "passed") and not (pending and v.deadline.done)
    ]
    if watch:
        _watch_deadlines(courses, upcoming, zone, moment if now or os.environ.get("MDL_NOW") else None)
    elif json:
        show_json(render.deadlines_json(views, zone))
    else:
        terms = [query.term_progress(c, moment) for c in courses]
        show(render.deadlines(views, moment, zone, terms=terms, multi=len(courses) > 1))


def _watch_deadlines(courses: Sequence[Course], upcoming: bool, zone: dt.tzinfo, pinned: dt.datetime | None) -> None:
    if not sys.stdout.isatty():
        raise UsageError("--watch needs a terminal; without one, run `mdl deadlines` (or --json) instead")
    import time

    from rich.live import Live

    from mdlcli import query, render
    from mdlcli.richview import to_rich

    started = dt.datetime.now(dt.UTC)

    def frame() -> Any:
        # A pinned --now keeps ticking from that moment, so a replayed term still counts down.
        moment = (pinned or started) + (dt.datetime.now(dt.UTC) - started)
        views = [v for v in query.merged_deadlines(courses, moment) if not (upcoming and v.status == "passed")]
        terms = [query.term_progress(c, moment) for c in courses]
        blocks = render.deadlines(views, moment, zone, terms=terms, multi=len(courses) > 1)
        return to_rich([*blocks, render.Line("Ctrl-C to stop.", "muted")])

    try:
        with Live(frame(), console=terminal_console(), auto_refresh=False, transient=False) as live:
            while True:
                time.sleep(1 - dt.datetime.now(dt.UTC).microsecond / 1_000_000)
                live.update(frame(), refresh=True)
    except KeyboardInterrupt:
        return
