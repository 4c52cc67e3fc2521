"""The courses as an iCalendar file, or one file per course."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mdlcli.errors import UsageError
from mdlcli.textsafe import clean

from .common import (
    CourseOpt,
    ForceOpt,
    NowOpt,
    chosen_courses,
    commands,
    complete_export_kind,
    counted,
    now_for,
    with_marks,
    write_export,
)

if TYPE_CHECKING:
    from mdlcli.model import Course


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
            autocompletion=complete_export_kind,
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="KINDS", help="Leave these out.", autocompletion=complete_export_kind),
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
    from mdlcli import ics
    from mdlcli.query.kinds import choose_kinds

    courses = chosen_courses(course)
    kinds = choose_kinds(courses, include or [], exclude or [])
    alarms = [ics.parse_alarm(a) for a in alarm] if alarm else ics.DEFAULT_ALARMS
    if split is not None:
        if output is not None:
            raise UsageError("--split writes one file per course into a folder; it does not go with -o")
        from mdlcli.files import make_folder

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
    from mdlcli import ics
    from mdlcli.files import make_folder, output_target, read_own_file, write_atomically
    from mdlcli.store import modified_at

    destination = output_target(target) if target else None
    before = read_own_file(destination, ics.written_by_mdl, force) if destination else None
    made = ics.export(
        courses,
        kinds=kinds,
        alarms=alarms,
        expand=expand,
        stamp=now_for(courses, now, dt.UTC),
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
    counts = ", ".join(counted(n, kind) for kind, n in made.counts.items()) or "no events"
    report.write(clean(f"wrote {target or 'stdout'}: {counts}") + "\n")
    if made.left_out:
        report.write(clean(f"left out, no date yet: {'; '.join(made.left_out)}") + "\n")


@commands.command("export-todo")
def export_todo(
    course: CourseOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Where to write ('-': stdout). Default: todo.ics, todo.json or todo.txt here.",
        ),
    ] = None,
    format_: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="ics|taskwarrior|todotxt",
            help="VTODOs (todoman, Thunderbird), Taskwarrior's `task import` JSON, or todo.txt.",
        ),
    ] = "ics",
    split: Annotated[
        Path | None,
        typer.Option("--split", metavar="DIR", help="ics: one file per to-do in DIR (a vdir, as todoman reads)."),
    ] = None,
    force: ForceOpt = False,
    now: NowOpt = None,
) -> None:
    """Write the deadlines for your task tool, done ones as completed.

    Each keeps its identity (a UID, a Taskwarrior UUID), so importing again updates instead of
    duplicating. A file mdl did not write is kept unless --force.
    """
    from mdlcli import todos
    from mdlcli.files import make_folder

    if format_ not in todos.FORMATS:
        raise UsageError(f"--format: {format_!r} is not one of: {', '.join(todos.FORMATS)}")
    courses = with_marks(chosen_courses(course))
    stamp = now_for(courses, now, dt.UTC)
    if split is not None:
        if format_ != "ics" or output is not None:
            raise UsageError("--split writes one .ics per to-do into a folder; it goes with --format ics, without -o")
        make_folder(split)
        files = todos.vtodos(courses, stamp)
        for uid, data in files:
            write_export(data, split / f"{uid}.ics", todos.written_by_mdl, force)
        sys.stdout.write(clean(f"wrote {len(files)} to-dos into {split}") + "\n")
        return
    target = None if output == "-" else Path(output or f"todo.{todos.SUFFIXES[format_]}")
    write_export(todos.WRITERS[format_](courses, stamp), target, todos.written_by_mdl, force)
    if target is None:
        return
    dated = sum(1 for c in courses for d in c.deadlines if d.due is not None)
    sys.stdout.write(clean(f"wrote {target}: {counted(dated, 'deadlines')} ({format_})") + "\n")
