"""The commands: each loads its courses, asks query, and prints what render builds.

Declared in the order `--help` lists them; the shell (cli.py) makes a command when it is run and is
the one error boundary. Start-up is a feature: YAML, Rich, dateutil and icalendar load inside the
commands that use them (ruff's TID253 enforces it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import run
from .errors import CourseInvalid, DataError, MdlError, OutputError, Unreadable, UsageError
from .textsafe import clean

if TYPE_CHECKING:
    from rich.console import Console

    from .model import Course
    from .render import Block


# The commands, in the order `--help` lists them; the shell makes each one only when it is run.
commands = typer.Typer()

# -- completion: values a shell offers after TAB; they run only when a shell asks -------------

# Characters that no shell reads as anything but themselves inside a word.
_LITERAL_IN_EVERY_SHELL = frozenset("-_.:+,@%=/")


def _offer(candidates: Iterable[str], incomplete: str) -> list[str]:
    """The candidates starting with `incomplete`, each as the shell that asked may insert it.

    They come from course text, so a candidate must be one printable line, and none may be
    read as code: Typer's zsh script escapes `$` and backticks but not `\\`, so a candidate
    holding one is not offered; bash inserts a candidate as it is, so for bash every character
    that is not literal in every shell is escaped (zsh and fish quote what they insert).
    """

    def escaped_for_bash(candidate: str) -> str:
        return "".join(c if c.isalnum() or c in _LITERAL_IN_EVERY_SHELL else "\\" + c for c in candidate)

    for_bash = os.environ.get("_MDL_COMPLETE") == "complete_bash"
    wanted = incomplete.lower()
    return [
        escaped_for_bash(candidate) if for_bash else candidate
        for candidate in dict.fromkeys(candidates)
        if candidate.isprintable() and "\\" not in candidate and candidate.lower().startswith(wanted)
    ]


def _complete_course(incomplete: str) -> list[str]:
    try:
        return _offer((c.id for c in run.run_config().courses), incomplete)
    except MdlError:
        return []


def _complete_zone(incomplete: str) -> list[str]:
    import zoneinfo

    return _offer(["local", *sorted(zoneinfo.available_timezones())], incomplete)


def _complete_kind(incomplete: str) -> list[str]:
    from .model import SESSION_KINDS

    return _offer(SESSION_KINDS, incomplete)


def _complete_export_kind(incomplete: str) -> list[str]:
    from .ics import kinds_of

    try:
        kinds = kinds_of(_courses(None))
    except MdlError:
        kinds = ("lectures", "labs", "exams", "deadlines", "breaks")
    return _offer(kinds, incomplete)


def _complete_reading(incomplete: str) -> list[str]:
    """What `mdl refs ID` takes: labels, weeks and reading-list ids, `COURSE:ID` among several courses."""
    try:
        courses = _courses(None)
    except MdlError:
        return []
    found = []
    for c in courses:
        ids = [s.label.lower() for s in c.sessions if s.label]
        ids += sorted({f"week{s.week}" for s in c.sessions}, key=lambda w: int(w[4:]))
        ids += [r.id for r in c.reading_lists]
        found += [f"{c.id}:{i}" for i in ids] if len(courses) > 1 else ids
    return _offer(found, incomplete)


# -- shared options ------------------------------------------------------------------------

CourseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--course",
        metavar="ID|PATH",
        help="A followed course's id, or a course file (repeatable). "
        "Default: $MDL_COURSE, else every followed course, else the bundled one.",
        show_default=False,
        autocompletion=_complete_course,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="DATETIME",
        help="Pretend it is this moment (ISO 8601; no offset means course time). Default: $MDL_NOW, else now.",
        show_default=False,
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Show times in this zone (IANA name, or 'local'). Default: $MDL_TZ, else the config's, else the course's.",
        show_default=False,
        autocompletion=_complete_zone,
    ),
]


FromOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="DATE", help="From this day: YYYY-MM-DD, today, tomorrow, +3d, -1w, friday."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", metavar="DATE", help="Until this day (included), in the same forms as --from."),
]
ClashWarningsOpt = Annotated[
    bool | None,
    typer.Option(
        "--clash-warnings/--no-clash-warnings",
        help="Warn of clashes between the courses. Default: the config's [warnings] clashes, else on.",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace a file that mdl did not write.")]


# -- helpers the commands share ------------------------------------------------------------


def _courses(course: list[str] | None) -> list[Course]:
    """The courses a command covers: --course (repeatable), else $MDL_COURSE, else every followed one."""
    from .semester import select

    environment = os.environ.get("MDL_COURSE")
    names = course or [n for n in (environment or "").split(os.pathsep) if n]
    try:
        return select(names, run.run_config(), run.places())
    except CourseInvalid:
        raise
    except DataError as exc:
        if not course and environment:
            raise DataError(f"$MDL_COURSE: {exc}") from None
        raise


def _one(course: list[str] | None) -> Course:
    """The one course a reference page (info, syllabus, curriculum, validate) shows."""
    courses = _courses(course)
    if len(courses) > 1:
        listed = ", ".join(c.id for c in courses)
        raise UsageError(f"this command shows one course; name it with --course ID (followed: {listed})")
    return courses[0]


def _setting(option: str | None, option_name: str, variable: str, key: str) -> tuple[str | None, str]:
    """A setting's value and where it came from: option > environment > config > built-in."""
    if option is not None:
        return option, option_name
    environment = os.environ.get(variable)
    if environment:
        return environment, f"${variable}"
    configured = getattr(run.run_config(), key)
    if configured is not None:
        return configured, f"{run.run_config().path}"
    return None, "built-in"


def _now(courses: Sequence[Course], value: str | None, zone: dt.tzinfo) -> dt.datetime:
    """--now or $MDL_NOW, else the clock; without an offset it is course time (or the display zone's)."""
    from .query import zone_of
    from .timeutil import parse_now

    naive_zone = zone_of(courses[0]) if len(courses) == 1 else zone
    clock = dt.datetime.now(dt.UTC)
    if value is not None:
        return parse_now(value, naive_zone, "--now", clock)
    environment = os.environ.get("MDL_NOW")
    if environment:
        return parse_now(environment, naive_zone, "$MDL_NOW", clock)
    return clock


def _zone(courses: Sequence[Course], tz: str | None) -> dt.tzinfo:
    """Where times are shown: the tz setting, else the courses' own zone, else (zones differ) local time."""
    from .timeutil import display_zone

    name, source = _setting(tz, "--tz", "MDL_TZ", "tz")
    zones = {c.timezone for c in courses}
    if name is None and len(zones) > 1:
        name = "local"
        _tell_once_how_to_pick_a_zone(sorted(zones))
    return display_zone(name, zones.pop() if len(zones) == 1 else "UTC", source)


def _tell_once_how_to_pick_a_zone(zones: list[str]) -> None:
    """The first run over courses in several zones says where times are shown and how to choose;
    a mark in the data folder keeps later runs quiet (a mark that cannot be made: said again)."""
    mark = run.places().data / "told-how-to-pick-a-zone"
    if mark.exists():
        return
    sys.stderr.write(
        clean(
            f"note: your courses are in several time zones ({', '.join(zones)}), so times are shown in this "
            f'computer\'s zone; pick one with tz = "{zones[0]}" in {run.places().config}, --tz or $MDL_TZ'
        )
        + "\n"
    )
    with contextlib.suppress(OSError):
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()


def _moment_and_zone(courses: Sequence[Course], now: str | None, tz: str | None) -> tuple[dt.datetime, dt.tzinfo]:
    zone = _zone(courses, tz)
    return _now(courses, now, zone), zone


def _counted(n: int, kind: str) -> str:
    """`1 break`, `14 lectures`; a weekly meeting's id is a name, not a plural (`1 tutoring`)."""
    plural = kind in ("lectures", "labs", "exams", "breaks", "deadlines")
    return f"{n} {kind.removesuffix('s') if plural and n == 1 else kind}"


def _window(
    from_date: str | None, to_date: str | None, moment: dt.datetime, zone: dt.tzinfo
) -> tuple[dt.date | None, dt.date | None]:
    """--from and --to as days (relative forms count from `moment` in `zone`); --from after --to is an error."""
    from .timeutil import parse_date

    today = moment.astimezone(zone).date()
    first = parse_date(from_date, "--from", today) if from_date else None
    last = parse_date(to_date, "--to", today) if to_date else None
    if first and last and first > last:
        raise UsageError(f"--from {first} is after --to {last}; the window would be empty")
    return first, last


def _terminal() -> bool:
    """Whether to draw for a terminal (Rich) rather than write records for a pipe."""
    return run.color() == "always" or os.environ.get("TTY_COMPATIBLE") == "1" or sys.stdout.isatty()


# Narrower than a date and a time, nothing can be drawn (Rich prints nothing at COLUMNS=0, a letter a
# line at 1): such a width is a mistake in the environment, and the conventional 80 columns is used.
_NARROWEST, _FALLBACK_WIDTH = 20, 80


def _console() -> Console:
    from rich.console import Console

    color = run.color()
    console = Console(highlight=False, no_color=color == "never", force_terminal=color == "always" or None)
    if console.width < _NARROWEST:
        console.width = _FALLBACK_WIDTH
    return console


def _hyperlinks() -> bool:
    """Whether links may be OSC 8 hyperlinks: $MDL_HYPERLINKS (always, never), else not inside tmux
    or screen, which drop them unless configured to pass them on, and so hide the address."""
    chosen = os.environ.get("MDL_HYPERLINKS", "").lower()
    if chosen in ("always", "never"):
        return chosen == "always"
    return not (os.environ.get("TMUX") or os.environ.get("TERM", "").startswith(("screen", "tmux")))


def _show(blocks: list[Block]) -> None:
    if _terminal():
        from .richview import to_rich

        # Not cropped: an address written out whole may be wider than the terminal, which wraps it.
        _console().print(to_rich(blocks, hyperlinks=_hyperlinks()), crop=False)
    else:
        from .render import plain

        sys.stdout.write(plain(blocks))


def _warn_clashes(courses: Sequence[Course], zone: dt.tzinfo, wanted: bool | None) -> None:
    """Clash patterns between the courses, on stderr, unless the flag (else `[warnings] clashes`) says no."""
    if not (run.run_config().clash_warnings if wanted is None else wanted) or len(courses) < 2:
        return
    from .query import clashes
    from .render import clash_lines

    _warn(clash_lines(clashes(courses, zone), zone))


def _warn(lines: Sequence[str]) -> None:
    """Warnings go to stderr, so that a pipe's records stay records."""
    for line in lines:
        sys.stderr.write(f"warning: {clean(line)}\n")


def _show_json(data: object) -> None:
    from .render import to_json

    sys.stdout.write(to_json(data))


# -- commands, in the order --help lists them: what students run every week first -----------


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
            autocompletion=_complete_kind,
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
    from . import query, render

    courses = _courses(course)
    moment, zone = _moment_and_zone(courses, now, tz)
    first, last = _window(from_date, to_date, moment, zone)
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
        _show_json([render.session_json(p, zone) for p in shown])
    elif multi:
        each = [query.next_session([p for p in placed if p.course == c.id], moment) for c in courses]
        title = "Schedule: " + ", ".join(c.id for c in courses)
        _show(render.schedule(shown, None, moment, zone, title, multi=True, upcoming_each=[p for p in each if p]))
    else:
        title = f"{courses[0].title}: schedule"
        _show(render.schedule(shown, query.next_session(placed, moment), moment, zone, title))
    if multi:
        _warn_clashes(courses, zone, clash_warnings)


@commands.command("next")
def next_(course: CourseOpt = None, now: NowOpt = None, tz: TzOpt = None, json: JsonFlag = False) -> None:
    """What comes next, with countdowns.

    The next lecture, tutoring session, office hours and deadline.
    """
    from . import query, render

    courses = _courses(course)
    moment, zone = _moment_and_zone(courses, now, tz)
    items, ended = query.merged_next(courses, moment)
    if json:
        _show_json(render.upcoming_json(items, moment, zone, ended))
    else:
        _show(render.upcoming(items, moment, zone, ended, multi=len(courses) > 1))


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
    from . import query, render
    from .timeutil import check_year

    courses = _courses(course)
    moment, zone = _moment_and_zone(courses, now, tz)
    first, last = _window(from_date, to_date, moment, zone)
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
        _show_json(render.agenda_json(entries, zone))
    else:
        _show(render.agenda(entries, first, last, zone, multi=len(courses) > 1))


@commands.command()
def refs(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Lecture label (lec5), week (week6, w6) or reading-list id (lec1); COURSE:ID among several.",
            autocompletion=_complete_reading,
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", metavar="TEXT", help="References whose title or authors contain TEXT.")
    ] = None,
    bibtex: Annotated[bool, typer.Option("--bibtex", help="Print BibTeX entries.")] = False,
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
    from . import query, render

    courses = _courses(course)
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
    if json:
        _show_json([render.reference_json(e) for e in found])
    elif bibtex:
        from .bibtex import to_bibtex

        sys.stdout.write(to_bibtex(found))
    elif search is not None:
        _show(render.found_references(found, search, multi=multi))
    elif target is not None:
        _show(render.reading(target))
    else:
        _show(render.all_readings(courses))


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
    from . import query, render

    courses = _courses(course)
    multi = len(courses) > 1
    found = [hit for c in courses for hit in query.search(c, text, qualified=multi)]
    _show_json(render.hits_json(found)) if json else _show(render.hits(found, text, multi=multi))


@commands.command()
def deadlines(
    course: CourseOpt = None,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Hide deadlines that have passed.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Keep counting down, every second, until Ctrl-C.")] = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    json: JsonFlag = False,
) -> None:
    """Deadlines with countdowns and term progress.

    Due moment, time left (or how long ago it passed) and how much of the term has gone.
    """
    from . import query, render

    courses = _courses(course)
    moment, zone = _moment_and_zone(courses, now, tz)
    views = [v for v in query.merged_deadlines(courses, moment) if not (upcoming and v.status == "passed")]
    if watch:
        _watch_deadlines(courses, upcoming, zone, moment if now or os.environ.get("MDL_NOW") else None)
    elif json:
        _show_json(render.deadlines_json(views, zone))
    else:
        terms = [query.term_progress(c, moment) for c in courses]
        _show(render.deadlines(views, moment, zone, terms=terms, multi=len(courses) > 1))


def _watch_deadlines(courses: Sequence[Course], upcoming: bool, zone: dt.tzinfo, pinned: dt.datetime | None) -> None:
    if not sys.stdout.isatty():
        raise UsageError("--watch needs a terminal; without one, run `mdl deadlines` (or --json) instead")
    import time

    from rich.live import Live

    from . import query, render
    from .richview import to_rich

    started = dt.datetime.now(dt.UTC)

    def frame() -> Any:
        # A pinned --now keeps ticking from that moment, so a replayed term still counts down.
        moment = (pinned or started) + (dt.datetime.now(dt.UTC) - started)
        views = [v for v in query.merged_deadlines(courses, moment) if not (upcoming and v.status == "passed")]
        terms = [query.term_progress(c, moment) for c in courses]
        blocks = render.deadlines(views, moment, zone, terms=terms, multi=len(courses) > 1)
        return to_rich([*blocks, render.Line("Ctrl-C to stop.", "muted")])

    try:
        with Live(frame(), console=_console(), auto_refresh=False, transient=False) as live:
            while True:
                time.sleep(1 - dt.datetime.now(dt.UTC).microsecond / 1_000_000)
                live.update(frame(), refresh=True)
    except KeyboardInterrupt:
        return


@commands.command("export-ics")
def export_ics(
    course: CourseOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Where to write ('-': stdout). Default: <course-id>.ics here (several courses: semester.ics).",
        ),
    ] = None,
    force: ForceOpt = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="KINDS",
            help="Only these: lectures, labs, exams, breaks, deadlines, or a weekly meeting id (singular or plural).",
            autocompletion=_complete_export_kind,
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="KINDS", help="Leave these out.", autocompletion=_complete_export_kind),
    ] = None,
    alarm: Annotated[
        list[str] | None,
        typer.Option(
            "--alarm",
            metavar="DURATION",
            help="Remind this long before a deadline (2d, 3h; repeatable). Default: 1w and 1d.",
        ),
    ] = None,
    expand: Annotated[
        bool, typer.Option("--expand", help="Weekly meetings as single events (for clients that drop EXDATE).")
    ] = False,
    split: Annotated[
        Path | None,
        typer.Option("--split", metavar="DIR", help="One file per course in DIR (<course-id>.ics), not one calendar."),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Write the course as an iCalendar file.

    Calendar programs import it, and importing a newer export updates the events instead of
    duplicating them.
    """
    from . import ics

    courses = _courses(course)
    kinds = ics.choose_kinds(courses, include or [], exclude or [])
    alarms = [ics.parse_alarm(a) for a in alarm] if alarm else ics.DEFAULT_ALARMS
    if split is not None:
        if output is not None:
            raise UsageError("--split writes one file per course into a folder; it does not go with -o")
        from .files import make_folder

        make_folder(split)
        for c in courses:
            _write_calendar([c], split / f"{c.id}.ics", kinds, alarms, expand, now, force)
        return
    default = f"{courses[0].id}.ics" if len(courses) == 1 else "semester.ics"
    target = None if output == "-" else Path(output or default)
    _write_calendar(courses, target, kinds, alarms, expand, now, force)


def _write_calendar(
    courses: Sequence[Course],
    target: Path | None,
    kinds: set[str],
    alarms: Sequence[dt.timedelta],
    expand: bool,
    now: str | None,
    force: bool,
) -> None:
    """One calendar to a file (None: stdout), replacing only a calendar mdl wrote, and say what it holds."""
    from . import ics
    from .files import make_folder, output_target, read_own_file, write_atomically
    from .store import modified_at

    destination = output_target(target) if target else None
    before = read_own_file(destination, ics.written_by_mdl, force) if destination else None
    made = ics.export(
        courses,
        kinds=kinds,
        alarms=alarms,
        expand=expand,
        stamp=_now(courses, now, dt.UTC),
        modified={c.id: modified_at(Path(c.path)) for c in courses},
        previous=ics.read_previous(before) if before else None,
    )
    if destination is None:
        sys.stdout.buffer.write(made.data)
        sys.stdout.flush()
    else:
        make_folder(destination.parent)
        write_atomically(destination, made.data)
    report = sys.stderr if target is None else sys.stdout
    counts = ", ".join(_counted(n, kind) for kind, n in made.counts.items()) or "no events"
    report.write(clean(f"wrote {target or 'stdout'}: {counts}") + "\n")
    if made.left_out:
        report.write(clean(f"left out, no date yet: {'; '.join(made.left_out)}") + "\n")


OutputOpt = Annotated[
    str | None, typer.Option("-o", "--output", metavar="PATH", help="Where to write. Default: stdout.")
]


@commands.command("export-md")
def export_md(course: CourseOpt = None, output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Write the course page as GitHub-flavoured Markdown.

    Logistics, people, links, description, syllabus, prerequisites, grading, the schedule with
    links to each reading list, the reading lists, deadlines and exams, the parallel curriculum.
    """
    from .markdown import to_markdown, written_by_mdl

    c = _one(course)
    _write_page(to_markdown(c, Path(c.path).name).encode(), output, written_by_mdl, force)


def _web_address(value: str | None, option: str) -> str | None:
    if value is not None and (not value.startswith(("https://", "http://")) or not value.isprintable()):
        raise UsageError(f"{option}: {value!r} is not a web address (http:// or https://)")
    return value


@commands.command("export-html")
def export_html(
    course: CourseOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    ics_url: Annotated[
        str | None,
        typer.Option(
            "--ics-url",
            metavar="URL",
            help="Where the course calendar is published: the page links to it for subscribing (webcal://).",
        ),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Write the course page as one self-contained HTML file.

    The same content as export-md, with this week's sessions highlighted, readable on a phone and
    printed, and the course as schema.org structured data (JSON-LD) for search engines.
    """
    from .htmlpage import to_html, written_by_mdl

    c = _one(course)
    page = to_html(c, Path(c.path).name, _now([c], now, dt.UTC), _web_address(ics_url, "--ics-url"))
    _write_page(page.encode(), output, written_by_mdl, force)


def _write_page(page: bytes, output: str | None, is_ours: Callable[[bytes], bool], force: bool) -> None:
    """A page to stdout, or atomically to a file that is new or one mdl wrote (--force: any file)."""
    from .files import make_folder, output_target, read_own_file, write_atomically

    if output is None or output == "-":
        sys.stdout.buffer.write(page)
        sys.stdout.flush()
        return
    destination = output_target(Path(output))
    read_own_file(destination, is_ours, force)
    make_folder(destination.parent)
    write_atomically(destination, page)
    sys.stdout.write(clean(f"wrote {output}") + "\n")


@commands.command("export-site")
def export_site(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to publish (made if missing).")],
    course: CourseOpt = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where DIR will be served from: the page then offers a webcal:// subscription to the calendar.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files in DIR that mdl did not write.")] = False,
    now: NowOpt = None,
) -> None:
    """Write everything to publish a course into one folder, ready for any static host.

    index.html (the page), README.md (the same page in Markdown), COURSE.ics (the calendar),
    COURSE.bib (every reading list) and COURSE.yaml (the course file, for `mdl add URL`), where
    COURSE is the course id. A file whose content would not change is not rewritten.
    """
    from .files import entry_in, make_folder, read_own_file, write_atomically
    from .site import SiteInput, site_content, site_files
    from .store import modified_at, read_course_bytes

    c = _one(course)
    base = _web_address(base_url, "--base-url")
    make_folder(folder)
    files = site_files(c)
    # Every file in the way is checked before any is written: a refusal leaves the folder as it was.
    before = {}
    for f in files:
        found = read_own_file(entry_in(folder, f.name), f.is_ours, force, follow=False)
        if found is not None:
            before[f.name] = found
    path = Path(c.path)
    given = SiteInput(
        course=c,
        source=read_course_bytes(path),
        source_name=path.name,
        modified=modified_at(path),
        now=_now([c], now, dt.UTC),
        base_url=base if base is None or base.endswith("/") else base + "/",
    )
    content = site_content(given, before)
    written = []
    for f in files:
        if f.name in before and f.same(before[f.name], content[f.name]):
            continue
        write_atomically(entry_in(folder, f.name), content[f.name])
        written.append(f.name)
    unchanged = len(files) - len(written)
    summary = f"wrote {', '.join(written)}" if written else "wrote nothing"
    sys.stdout.write(clean(f"{folder}: {summary}" + (f" ({unchanged} unchanged)" if unchanged else "")) + "\n")


@commands.command()
def courses(json: JsonFlag = False) -> None:
    """The courses you follow, with their status.

    Id, title, term, source, last update and status: ok, N warnings, or error with the first
    error. Then timetable clashes between them and things due within the same hour, one line a
    pattern (the same two meetings at the same weekday and time).
    """
    from . import query, render
    from .semester import course_status

    statuses = [course_status(f, run.places()) for f in run.run_config().courses]
    valid = [s.course for s in statuses if s.course is not None]
    zone = _zone(valid, None) if valid else dt.UTC
    clashes = query.clashes(valid, zone) if len(valid) > 1 else []
    if json:
        listed = [render.status_json(s) for s in statuses]
        _show_json({"courses": listed, "clashes": render.clashes_json(clashes, zone)})
        return
    _show(render.statuses(statuses, run.run_config().path, zone, clashes))


@commands.command()
def add(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="A course file's path, or the http(s) URL of one.")],
    course_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="The id to follow it under. Default: its course.id.")
    ] = None,
    clash_warnings: ClashWarningsOpt = None,
) -> None:
    """Follow a course: every view then covers it.

    A path is recorded, not copied, so the instructor's edits show up; a URL is downloaded
    (`mdl update` fetches it again). The course is validated first: an invalid one is refused
    with its errors, and nothing is recorded.
    """
    from .semester import add as follow

    try:
        added = follow(source, course_id, run.places(), dt.datetime.now(dt.UTC))
    except CourseInvalid as exc:
        for problem in exc.problems[1:]:
            sys.stderr.write(f"error: {clean(str(problem))}\n")
        raise DataError(f"{exc.problems[0]} (not followed: the course does not validate)") from None
    followed, c = added.followed, added.course
    sys.stdout.write(clean(f"following {followed.id}: {c.title} ({c.term or c.term_start}), from {source}") + "\n")
    run.run_config.cache_clear()
    courses = _courses(None)
    _warn_clashes(courses, _zone(courses, None), clash_warnings)


@commands.command()
def update(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ID]...", help="Followed courses. Default: all.")] = None,
    json: JsonFlag = False,
) -> None:
    """Download the followed URL courses again, when they changed.

    A conditional request: an unchanged course costs a 304 and nothing is rewritten. A failed
    download, or a published file that no longer validates, keeps the last good copy; the exit
    status is then 1. Says what changed, in the course's zone: weekly meetings (day, time,
    room), sessions added, moved, cancelled or in another room, deadlines moved, new warnings.
    """
    from .render import updates_json
    from .semester import update as refresh

    results = refresh(ids or [], run.places(), dt.datetime.now(dt.UTC))
    if json:
        _show_json(updates_json(results))
    else:
        for result in results:
            line = f"{result.id}: {result.outcome}" + (f" ({result.message})" if result.message else "")
            (sys.stderr if result.outcome == "failed" else sys.stdout).write(clean(line) + "\n")
            for change in result.changes:
                sys.stdout.write(clean(f"  {change.text}") + "\n")
        if not results:
            sys.stdout.write("no followed course; follow one with `mdl add SOURCE`\n")
    if any(r.outcome == "failed" for r in results):
        raise typer.Exit(1)


@commands.command()
def remove(course_id: Annotated[str, typer.Argument(metavar="ID", help="The followed course's id.")]) -> None:
    """Stop following a course.

    A downloaded copy goes; a course file of yours is never touched.
    """
    from .semester import remove as drop

    dropped = drop(course_id, run.places())
    sys.stdout.write(clean(f"no longer following {dropped.id} ({dropped.source})") + "\n")


@commands.command("config")
def config_(json: JsonFlag = False) -> None:
    """The settings in effect, and where each comes from.

    Precedence: an option, then the environment ($MDL_TZ, NO_COLOR, FORCE_COLOR), then the
    config file ($XDG_CONFIG_HOME/mdl/config.toml), then the built-in default.
    """
    from .render import settings, settings_json

    places, config = run.places(), run.run_config()
    tz, tz_source = _setting(None, "--tz", "MDL_TZ", "tz")
    color_source = next((f"${v}" for v in ("NO_COLOR", "FORCE_COLOR") if os.environ.get(v)), None)
    rows = [
        ("tz", tz or "each course's own zone", tz_source),
        ("color", run.color(), color_source or (str(config.path) if config.color else "built-in")),
        ("config file", str(places.config), _origin("XDG_CONFIG_HOME")),
        ("courses followed", str(len(config.courses)), str(places.config)),
        ("downloaded courses", str(places.data / "courses"), _origin("XDG_DATA_HOME")),
        ("cache", str(places.cache) if places.cache else "off", _origin("MDL_NO_CACHE", "XDG_CACHE_HOME")),
    ]
    _show_json(settings_json(rows)) if json else _show(settings(rows))


def _origin(*variables: str) -> str:
    return next((f"${v}" for v in variables if os.environ.get(v)), "built-in")


@commands.command()
def info(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """Course identity, people, weekly meetings, links."""
    from . import render
    from .query import zone_of

    _page(course, json, lambda c: render.info(c, zone_of(c)), render.info_json)


@commands.command()
def syllabus(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """Description, syllabus, prerequisites, grading."""
    from . import render

    _page(course, json, render.syllabus, render.syllabus_json)


@commands.command()
def curriculum(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """The parallel curriculum, class by class.

    Motivation, required and optional reading, questions and links of each class.
    """
    from . import render

    _page(course, json, render.curriculum, render.curriculum_json)


def _page(
    course: list[str] | None,
    json: bool,
    view: Callable[[Course], list[Block]],
    as_json: Callable[[Course], object],
) -> None:
    """A reference page of one course, drawn or as JSON."""
    c = _one(course)
    _show_json(as_json(c)) if json else _show(view(c))


@commands.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Course file to check. Default: ./course.yaml when there is one (what `mdl init` writes), "
            "else as --course.",
            show_default=False,
        ),
    ] = None,
    course: CourseOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    json: JsonFlag = False,
) -> None:
    """Check a course file for errors and warnings.

    Each finding names file:line:column and the field. Exit 1 on errors (with --strict, on
    warnings too).
    """
    from . import render
    from .model import Diagnostic

    starter = Path("course.yaml")
    if path is None and not course and not os.environ.get("MDL_COURSE") and starter.is_file():
        path = starter
    try:
        c = _one([str(path)] if path else course)
        errors, warnings, shown_path = [], list(c.warnings), c.path
    except CourseInvalid as exc:
        errors, warnings, shown_path = exc.problems, exc.warnings, exc.path
    except Unreadable as exc:
        errors, warnings, shown_path = [Diagnostic("error", exc.path, exc.line, None, "", exc.reason)], [], exc.path
    if json:
        _show_json(render.diagnostics_json(shown_path, errors, warnings, strict))
    else:
        _show(render.diagnostics(shown_path, errors, warnings, strict))
    if errors or (strict and warnings):
        raise typer.Exit(1)


@commands.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the course file.")] = Path("course.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter course file to edit.

    It shows every feature of the newest schema: two lecture meetings, a lab, an exam with its
    own room and time, a cancelled class, a one-day holiday, a homework series. It validates
    with no warning. An existing file is kept unless --force.
    """
    from .files import write_new_file
    from .store import STARTER_NAME, bundled_file

    write_new_file(path, bundled_file(STARTER_NAME).read_bytes(), force)
    sys.stdout.write(clean(f"wrote {path}: edit it, then check it with `mdl validate {path}`") + "\n")


@commands.command("schema")
def schema_(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the table of keys instead.")] = False,
) -> None:
    """Print the course file's JSON Schema, for editors.

    Save it beside your course (`mdl schema > course.schema.json`) and put the line
    `# yaml-language-server: $schema=course.schema.json` at the top of the course file: editors
    with the YAML language server then complete and check it as you type.
    """
    from . import schema

    if markdown:
        sys.stdout.write(schema.markdown_table())
    else:
        _show_json(schema.json_schema())
