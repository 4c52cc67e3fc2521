"""What the student has done and read, and reminders that speak first: done, undone, read,
unread, remind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mdlcli import run
from mdlcli.errors import DataError, UsageError
from mdlcli.textsafe import clean

from .common import (
    CourseOpt,
    JsonFlag,
    NowOpt,
    chosen_courses,
    commands,
    now_for,
    show,
    show_json,
    shown_zone,
    with_marks,
)

if TYPE_CHECKING:
    from mdlcli.model import Course, Deadline
    from mdlcli.query import RefEntry
    from mdlcli.query.reminders import Reminder

DeadlineIds = Annotated[
    list[str], typer.Argument(metavar="ID...", help="Deadlines: hw-3, or COURSE:hw-3 among several courses.")
]
EXEC_TIMEOUT = 60  # seconds a --exec program may take for one reminder


@commands.command()
def done(ids: DeadlineIds, course: CourseOpt = None) -> None:
    """Mark deadlines done: the views stop counting down to them.

    Kept in the student's own state (not the course file), by course and item, so an edit of
    the course keeps the marks. `mdl undone ID` takes it back.
    """
    _mark(ids, course, done=True)


@commands.command()
def undone(ids: DeadlineIds, course: CourseOpt = None) -> None:
    """Take back `mdl done`: the deadlines count down again."""
    _mark(ids, course, done=False)


def _mark(ids: list[str], course: list[str] | None, *, done: bool) -> None:
    from mdlcli.model import item_uid

    courses = chosen_courses(course)
    found = [_deadline(courses, ident) for ident in ids]  # every id checked before anything is written
    said = "done" if done else "not done"
    _save_marks(
        {(c.id, item_uid(c.id, "deadline", d.id)) for c, d in found},
        "done",
        on=done,
        lines=[f"{said}: {d.title} ({f'{c.id}:{d.id}' if len(courses) > 1 else d.id})" for c, d in found],
    )


def _save_marks(items: set[tuple[str, str]], table: str, *, on: bool, lines: list[str]) -> None:
    """Set or take back marks in the student's state, in one transaction, then say what was marked."""
    from mdlcli.state import open_state

    state = open_state(run.places().state)
    try:
        state.mark(items, dt.datetime.now(dt.UTC), done=on, table=table)
    finally:
        state.close()
    sys.stdout.write("".join(clean(line) + "\n" for line in lines))


def _deadline(courses: list[Course], ident: str) -> tuple[Course, Deadline]:
    """`hw-3` in the only course that has it, `COURSE:hw-3` in that course; else a usage error."""
    from mdlcli.errors import did_you_mean

    by_id = {c.id: c for c in courses}
    course_id, colon, rest = ident.partition(":")
    chosen = [by_id[course_id]] if colon and course_id in by_id else courses
    wanted = rest if colon and course_id in by_id else ident
    found = [(c, d) for c in chosen for d in c.deadlines if d.id == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        forms = ", ".join(f"{c.id}:{d.id}" for c, d in found)
        raise UsageError(f"{ident!r} is a deadline of several courses; name one: {forms}")
    known = [d.id if len(courses) == 1 else f"{c.id}:{d.id}" for c in chosen for d in c.deadlines]
    hint = did_you_mean(wanted, [d.id for c in chosen for d in c.deadlines]) or (
        f"; the deadlines are: {', '.join(known)}" if known else "; there are no deadlines"
    )
    raise UsageError(f"no deadline {ident!r}{hint}")


ReferenceIds = Annotated[
    list[str],
    typer.Argument(
        metavar="REF...",
        help="A reading list (lec5, week6, a list id: all its references) or one reference by the number "
        "`refs` shows (lec5:2); COURSE:lec5:2 among several courses.",
    ),
]


@commands.command()
def read(refs: ReferenceIds, course: CourseOpt = None) -> None:
    """Mark references read: `refs` shows them ✓ read, `refs --unread` lists what is left.

    Kept in the student's own state, by course, list and title, so an edit of the course keeps
    the marks. `mdl unread REF` takes it back.
    """
    _mark_read(refs, course, read=True)


@commands.command()
def unread(refs: ReferenceIds, course: CourseOpt = None) -> None:
    """Take back `mdl read`."""
    _mark_read(refs, course, read=False)


def _mark_read(idents: list[str], course: list[str] | None, *, read: bool) -> None:
    from mdlcli.model import reference_uid

    courses = chosen_courses(course)
    found = [entry for ident in idents for entry in _references(courses, ident)]  # all checked first
    several = len(courses) > 1
    said = "read" if read else "unread"
    _save_marks(
        {(c.id, reference_uid(c.id, e.reference)) for c, e in found},
        "read",
        on=read,
        lines=[f"{said}: {e.reference.title} ({f'{c.id}:' * several}{e.reading_list.id}:{e.number})" for c, e in found],
    )


def _references(courses: list[Course], ident: str) -> list[tuple[Course, RefEntry]]:
    """`lec5` (a whole list), `lec5:2` (its second reference), `COURSE:lec5:2`; else a usage error."""
    from mdlcli import query

    head, colon, last = ident.rpartition(":")
    number = int(last) if colon and last.isascii() and last.isdecimal() and len(last) <= 6 else None
    list_ident = head if number is not None else ident
    c, target = query.resolve_across(courses, list_ident)
    if target.reading_list is None:
        raise UsageError(f"{list_ident!r} has no reading list")
    found = query.entries(target.reading_list, c.id)
    if number is None:
        return [(c, e) for e in found]
    chosen = [e for e in found if e.number == number]
    if not chosen:
        span = f"1 to {len(found)}" if found else "none"
        raise UsageError(f"{ident!r}: the list {target.reading_list.id} has no reference {number} (it has {span})")
    return [(c, chosen[0])]


@commands.command()
def remind(
    course: CourseOpt = None,
    before: Annotated[
        list[str] | None,
        typer.Option(
            "--before",
            metavar="LEAD",
            help="How long before (repeatable: 1d, 3h, 45m). Default: the config's [remind] before, else 1d and 1h.",
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="KINDS",
            help="What to remind of: deadlines, exams, lectures, labs, a meeting's id. Default: deadlines,exams.",
        ),
    ] = None,
    exec_: Annotated[
        str | None,
        typer.Option(
            "--exec",
            metavar="CMD",
            help="Run CMD for each reminder (no shell): the title and the ISO moment as arguments, and MDL_TITLE, "
            "MDL_COURSE, MDL_WHEN, MDL_IN, MDL_KIND, MDL_URL in its environment.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would fire; mark nothing.")] = False,
    systemd: Annotated[
        bool, typer.Option("--systemd", help="Print a systemd user service and timer (every 5 minutes) that run this.")
    ] = False,
    cron: Annotated[
        bool, typer.Option("--cron", help="Print the crontab line that runs this every 5 minutes.")
    ] = False,
    now: NowOpt = None,
    json: JsonFlag = False,
) -> None:
    """Fire each reminder that has come due since the last run, exactly once, then exit.

    Made to run every few minutes (`--systemd`, `--cron`). A reminder is due a lead before an
    item (a deadline, an exam; `--include` for sessions); one missed while the machine was off
    fires at the next run if the item is still ahead; a done deadline, a cancelled session or a
    past item never fires; moving an item sets its reminders again. Without --exec, one line per
    reminder on stdout. A failing --exec program is reported, exit 1, and its reminder fires
    again next time.
    """
    if systemd or cron:
        sys.stdout.write(_units(cron=cron))
        return
    from mdlcli.query.kinds import choose_kinds
    from mdlcli.query.reminders import DEFAULT_KINDS, DEFAULT_LEADS, current_items, due_reminders
    from mdlcli.state import open_state
    from mdlcli.timeutil import parse_lead

    state = open_state(run.places().state)  # a damaged one is an error here, before anything is said
    try:
        courses = with_marks(chosen_courses(course), state.marks())
    except BaseException:
        state.close()
        raise
    zone = shown_zone(courses, None)
    moment = now_for(courses, now, zone)
    chosen_leads = before or list(run.run_config().remind_before)
    leads = [parse_lead(lead, "--before") for lead in chosen_leads] if chosen_leads else list(DEFAULT_LEADS)
    kinds = choose_kinds(courses, include, []) if include else set(DEFAULT_KINDS)
    due = due_reminders(courses, leads, kinds, moment)
    try:
        if dry_run:
            _say(due, moment, zone, json)
            return
        taken = state.claim(due, current_items(courses, kinds), {c.id for c in courses}, moment)
        failed = []
        if exec_ is not None:
            import shlex  # only a run with --exec splits a command line

            program = shlex.split(exec_)
            for reminder in taken:
                problem = _deliver(program, reminder, moment, zone)
                if problem is not None:
                    state.release(reminder)
                    failed.append(problem)
        else:
            _say(taken, moment, zone, json)
    finally:
        state.close()
    for problem in failed:
        sys.stderr.write(f"error: {clean(problem)}\n")
    if failed:
        raise typer.Exit(1)


def _say(reminders: list[Reminder], now: dt.datetime, zone: dt.tzinfo, json: bool) -> None:
    from mdlcli.query.reminders import in_words
    from mdlcli.render.blocks import Records, Row, due_cell

    if json:
        show_json([_facts(r, now, zone) | {"lead_seconds": int(r.lead.total_seconds())} for r in reminders])
        return
    if reminders:  # nothing due: nothing said, as a timer's run should be
        lines = tuple(
            Row(
                (
                    r.kind,
                    r.title,
                    due_cell(r.moment, zone, day_only=r.day_only),
                    f"in {in_words(r.moment - now)}",
                    r.course,
                )
            )
            for r in reminders
        )
        show([Records(("kind", "what", "when", "in", "course"), lines, flexible=("what",))])


def _facts(r: Reminder, now: dt.datetime, zone: dt.tzinfo) -> dict[str, str]:
    from mdlcli.query.reminders import in_words

    when = (r.moment - dt.timedelta(microseconds=1) if r.day_only else r.moment).astimezone(zone)
    return {
        "title": r.title,
        "course": r.course,
        "when": when.date().isoformat() if r.day_only else when.isoformat(),
        "in": in_words(r.moment - now),
        "kind": r.kind,
        "url": r.url or "",
        "item": r.item,
    }


def _deliver(program: list[str], reminder: Reminder, now: dt.datetime, zone: dt.tzinfo) -> str | None:
    """Run the --exec program for one reminder; what went wrong, or None."""
    facts = _facts(reminder, now, zone)
    environment = {**os.environ, **{f"MDL_{key.upper()}": value for key, value in facts.items() if key != "item"}}
    argv = [*program, facts["title"], facts["when"]]
    try:
        finished = subprocess.run(argv, env=environment, check=False, timeout=EXEC_TIMEOUT)  # noqa: S603 - the user's own program, no shell
    except FileNotFoundError:
        return f"--exec: {program[0]}: no such program; the reminder of {reminder.title!r} fires again next time"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"--exec: {program[0]}: {exc}; the reminder of {reminder.title!r} fires again next time"
    if finished.returncode != 0:
        return (
            f"--exec: {program[0]} exited with {finished.returncode} for {reminder.title!r}; it fires again next time"
        )
    return None


def _units(*, cron: bool) -> str:
    """A systemd user service and timer, or a crontab line, that run this mdl's `remind`."""
    import shlex

    mdl = _this_mdl()
    if cron:
        return f"*/5 * * * * {shlex.quote(str(mdl))} remind\n"
    return f"""# ~/.config/systemd/user/mdl-remind.service
[Unit]
Description=mdl: course reminders that fire once

[Service]
Type=oneshot
ExecStart={_systemd_quoted(str(mdl))} remind

# ~/.config/systemd/user/mdl-remind.timer
[Unit]
Description=mdl: check for course reminders every 5 minutes

[Timer]
OnCalendar=*:0/5
Persistent=true

[Install]
WantedBy=timers.target
"""


def _systemd_quoted(path: str) -> str:
    """A path as systemd reads it in ExecStart: quoted when it has a space (its own quoting rules)."""
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' if any(c in path for c in ' "\\') else path


def _this_mdl() -> Path:
    """The absolute path of this installation's `mdl` (beside its Python), else the one on PATH."""
    import shutil

    beside = Path(sys.executable).with_name("mdl")
    if beside.is_file():
        return beside.resolve()
    found = shutil.which("mdl")
    if found is None:
        raise DataError("cannot find the `mdl` program to run from the timer; install mdl on your PATH")
    return Path(found).resolve()
