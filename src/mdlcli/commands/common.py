"""What the commands share: the Typer object they are declared on, completion, the options
several take, and the helpers of a command's three steps (load the courses, ask, show)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mdlcli import run
from mdlcli.errors import CourseInvalid, DataError, MdlError, UsageError
from mdlcli.textsafe import clean

if TYPE_CHECKING:
    from rich.console import Console

    from mdlcli.model import Course, ReadingList
    from mdlcli.render import Block


# The commands, in the order `--help` lists them; the shell makes each one only when it is run.
commands = typer.Typer()

# -- completion: values a shell offers after TAB; they run only when a shell asks -------------

# Characters that no shell reads as anything but themselves inside a word.
_LITERAL_IN_EVERY_SHELL = frozenset("-_.:+,@%=/")


def offer(candidates: Iterable[str], incomplete: str) -> list[str]:
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


def complete_course(incomplete: str) -> list[str]:
    try:
        return offer((c.id for c in run.run_config().courses), incomplete)
    except MdlError:
        return []


def complete_zone(incomplete: str) -> list[str]:
    import zoneinfo

    return offer(["local", *sorted(zoneinfo.available_timezones())], incomplete)


def complete_kind(incomplete: str) -> list[str]:
    from mdlcli.model import SESSION_KINDS

    return offer(SESSION_KINDS, incomplete)


def complete_export_kind(incomplete: str) -> list[str]:
    from mdlcli.query.kinds import kinds_of

    try:
        kinds = kinds_of(chosen_courses(None))
    except MdlError:
        kinds = ("lectures", "labs", "exams", "deadlines", "breaks")
    return offer(kinds, incomplete)


def complete_reading(incomplete: str) -> list[str]:
    """What `mdl refs ID` takes: labels, weeks and reading-list ids, `COURSE:ID` among several courses."""
    try:
        courses = chosen_courses(None)
    except MdlError:
        return []
    found = []
    for c in courses:
        ids = [s.label.lower() for s in c.sessions if s.label]
        ids += sorted({f"week{s.week}" for s in c.sessions}, key=lambda w: int(w[4:]))
        ids += [r.id for r in c.reading_lists]
        found += [f"{c.id}:{i}" for i in ids] if len(courses) > 1 else ids
    return offer(found, incomplete)


# -- shared options ------------------------------------------------------------------------

CourseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--course",
        metavar="ID|PATH",
        help="A followed course's id, or a course file (repeatable). "
        "Default: $MDL_COURSE, else every followed course, else the bundled one.",
        show_default=False,
        autocompletion=complete_course,
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
        autocompletion=complete_zone,
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


def write_export(data: bytes, target: Path | None, is_ours: Callable[[bytes], bool], force: bool) -> None:
    """An export to stdout (no target), or atomically to a file that is new or one mdl wrote
    (`is_ours` recognises it; --force: any file), its folder made when missing."""
    from mdlcli.files import make_folder, output_target, read_own_file, write_atomically

    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    destination = output_target(target)
    read_own_file(destination, is_ours, force)
    make_folder(destination.parent)
    write_atomically(destination, data)


def with_marks(courses: list[Course], marks: set[tuple[str, str]] | None = None) -> list[Course]:
    """The courses with what the student marked done (`mdl done`) or read (`mdl read`) marked so:
    `marks`, or those of the state database.

    No database yet: nothing to read, and sqlite3 is not even loaded. One that cannot be read is
    said once on stderr, and the views go on without it.
    """
    if marks is None:
        marks = _done_marks()
    if not marks:
        return courses
    from mdlcli.model import item_uid, reference_uid

    def marked(course: Course) -> Course:
        def done(deadline_id: str) -> bool:
            return (course.id, item_uid(course.id, "deadline", deadline_id)) in marks

        def read(lists: tuple[ReadingList, ...]) -> Iterator[ReadingList]:
            for r in lists:
                main, further = (
                    tuple(x._replace(read=(course.id, reference_uid(course.id, x)) in marks) for x in group)
                    for group in (r.main, r.further)
                )
                yield r._replace(main=main, further=further)

        deadlines = tuple(d._replace(done=done(d.id)) for d in course.deadlines)
        return course._replace(deadlines=deadlines, reading_lists=tuple(read(course.reading_lists)))

    return [marked(c) for c in courses]


def _done_marks() -> set[tuple[str, str]]:
    path = run.places().state
    if not path.is_file():
        return set()
    from mdlcli.state import open_state

    try:
        state = open_state(path)
        try:
            return state.marks()
        finally:
            state.close()
    except DataError as exc:
        warn([f"{exc}; shown without done marks"])
        return set()


def chosen_courses(course: list[str] | None) -> list[Course]:
    """The courses a command covers: --course (repeatable), else $MDL_COURSE, else every followed one."""
    from mdlcli.semester import select

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


def one_course(course: list[str] | None) -> Course:
    """The one course a reference page (info, syllabus, curriculum, validate) shows."""
    courses = chosen_courses(course)
    if len(courses) > 1:
        listed = ", ".join(c.id for c in courses)
        raise UsageError(f"this command shows one course; name it with --course ID (followed: {listed})")
    return courses[0]


def setting(option: str | None, option_name: str, variable: str, key: str) -> tuple[str | None, str]:
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


def now_for(courses: Sequence[Course], value: str | None, zone: dt.tzinfo) -> dt.datetime:
    """--now or $MDL_NOW, else the clock; without an offset it is course time (or the display zone's)."""
    from mdlcli.query import zone_of
    from mdlcli.timeutil import parse_now

    naive_zone = zone_of(courses[0]) if len(courses) == 1 else zone
    clock = dt.datetime.now(dt.UTC)
    if value is not None:
        return parse_now(value, naive_zone, "--now", clock)
    environment = os.environ.get("MDL_NOW")
    if environment:
        return parse_now(environment, naive_zone, "$MDL_NOW", clock)
    return clock


def shown_zone(courses: Sequence[Course], tz: str | None) -> dt.tzinfo:
    """Where times are shown: the tz setting, else the courses' own zone, else (zones differ) local time."""
    from mdlcli.timeutil import display_zone

    name, source = setting(tz, "--tz", "MDL_TZ", "tz")
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


def moment_and_zone(courses: Sequence[Course], now: str | None, tz: str | None) -> tuple[dt.datetime, dt.tzinfo]:
    zone = shown_zone(courses, tz)
    return now_for(courses, now, zone), zone


def counted(n: int, kind: str) -> str:
    """`1 break`, `14 lectures`; a weekly meeting's id is a name, not a plural (`1 tutoring`)."""
    plural = kind in ("lectures", "labs", "exams", "breaks", "deadlines")
    return f"{n} {kind.removesuffix('s') if plural and n == 1 else kind}"


def window(
    from_date: str | None, to_date: str | None, moment: dt.datetime, zone: dt.tzinfo
) -> tuple[dt.date | None, dt.date | None]:
    """--from and --to as days (relative forms count from `moment` in `zone`); --from after --to is an error."""
    from mdlcli.timeutil import parse_date

    today = moment.astimezone(zone).date()
    first = parse_date(from_date, "--from", today) if from_date else None
    last = parse_date(to_date, "--to", today) if to_date else None
    if first and last and first > last:
        raise UsageError(f"--from {first} is after --to {last}; the window would be empty")
    return first, last


def on_terminal() -> bool:
    """Whether to draw for a terminal (Rich) rather than write records for a pipe."""
    return run.color() == "always" or os.environ.get("TTY_COMPATIBLE") == "1" or sys.stdout.isatty()


# Narrower than a date and a time, nothing can be drawn (Rich prints nothing at COLUMNS=0, a letter a
# line at 1): such a width is a mistake in the environment, and the conventional 80 columns is used.
_NARROWEST, _FALLBACK_WIDTH = 20, 80


def terminal_console() -> Console:
    from rich.console import Console

    color = run.color()
    console = Console(highlight=False, no_color=color == "never", force_terminal=color == "always" or None)
    if console.width < _NARROWEST:
        console.width = _FALLBACK_WIDTH
    return console


def hyperlinks_allowed() -> bool:
    """Whether links may be OSC 8 hyperlinks: $MDL_HYPERLINKS (always, never), else not inside tmux
    or screen, which drop them unless configured to pass them on, and so hide the address."""
    chosen = os.environ.get("MDL_HYPERLINKS", "").lower()
    if chosen in ("always", "never"):
        return chosen == "always"
    return not (os.environ.get("TMUX") or os.environ.get("TERM", "").startswith(("screen", "tmux")))


def show(blocks: list[Block]) -> None:
    if on_terminal():
        from mdlcli.richview import to_rich

        # Not cropped: an address written out whole may be wider than the terminal, which wraps it.
        terminal_console().print(to_rich(blocks, hyperlinks=hyperlinks_allowed()), crop=False)
    else:
        from mdlcli.render import plain

        sys.stdout.write(plain(blocks))


def warn_clashes(courses: Sequence[Course], zone: dt.tzinfo, wanted: bool | None) -> None:
    """Clash patterns between the courses, on stderr, unless the flag (else `[warnings] clashes`) says no."""
    if not (run.run_config().clash_warnings if wanted is None else wanted) or len(courses) < 2:
        return
    from mdlcli.query import clashes
    from mdlcli.render import clash_lines

    warn(clash_lines(clashes(courses, zone), zone))


def warn(lines: Sequence[str]) -> None:
    """Warnings go to stderr, so that a pipe's records stay records."""
    for line in lines:
        sys.stderr.write(f"warning: {clean(line)}\n")


def show_json(data: object) -> None:
    from mdlcli.render import to_json

    sys.stdout.write(to_json(data))
