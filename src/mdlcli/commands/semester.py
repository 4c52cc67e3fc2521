"""The followed courses: list, follow, update, drop; and the settings in effect."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Annotated

import typer

from mdlcli import run
from mdlcli.errors import CourseInvalid, DataError
from mdlcli.textsafe import clean

from .common import (
    ClashWarningsOpt,
    JsonFlag,
    NowOpt,
    chosen_courses,
    commands,
    now_for,
    setting,
    show,
    show_json,
    shown_zone,
    warn_clashes,
)


@commands.command()
def courses(json: JsonFlag = False) -> None:
    """The courses you follow, with their status.

    Id, title, term, source, last update and status: ok, N warnings, or error with the first
    error. Then timetable clashes between them and things due within the same hour, one line a
    pattern (the same two meetings at the same weekday and time).
    """
    from mdlcli import query, render
    from mdlcli.semester import course_statuses

    config = run.run_config()
    statuses = [s for f in config.courses for s in course_statuses(f, config, run.places())]
    valid = [s.course for s in statuses if s.course is not None]
    zone = shown_zone(valid, None) if valid else dt.UTC
    clashes = query.clashes(valid, zone) if len(valid) > 1 else []
    if json:
        listed = [render.status_json(s) for s in statuses]
        show_json({"courses": listed, "clashes": render.clashes_json(clashes, zone)})
        return
    show(render.statuses(statuses, run.run_config().path, zone, clashes))


@commands.command()
def add(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE",
            help="A course file or a calendar (.ics: a timetable, an LMS feed): a path, or an http(s):// "
            "or webcal:// URL. The kind is read from the content.",
        ),
    ],
    course_id: Annotated[
        str | None,
        typer.Option(
            "--id", metavar="ID", help="The id to follow it under. Default: its course.id, or the calendar's name."
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The title to show for it. Default: its own.")
    ] = None,
    split_courses: Annotated[
        bool,
        typer.Option(
            "--split-courses",
            help="An LMS feed of several courses (Canvas: `Title [CODE]`; Moodle: CATEGORIES): follow it as one "
            "course per code, each named by its code (ml101), the code no longer repeated in titles.",
        ),
    ] = False,
    clash_warnings: ClashWarningsOpt = None,
) -> None:
    """Follow a course or a calendar: every view then covers it.

    A path is recorded, not copied, so the instructor's edits show up; a URL is downloaded
    (`mdl update` fetches it again). The course is validated first: an invalid one is refused
    with its errors, and nothing is recorded. A calendar's events become sessions, its items
    without a duration (and an LMS's graded work) deadlines; the token of a private feed URL is
    never shown.
    """
    from mdlcli.semester import add as follow

    try:
        added = follow(source, course_id, run.places(), dt.datetime.now(dt.UTC), title, split=split_courses)
    except CourseInvalid as exc:
        for problem in exc.problems[1:]:
            sys.stderr.write(f"error: {clean(str(problem))}\n")
        raise DataError(f"{exc.problems[0]} (not followed: the course does not validate)") from None
    followed, c = added.followed, added.course
    from mdlcli.redact import redacted

    shown = redacted(followed.source)
    run.run_config.cache_clear()
    if followed.split:
        from mdlcli.semester import courses_of

        parts = [p.id for p in courses_of(followed, run.run_config(), run.places())]
        message = f"following {followed.id} as {len(parts)} course{'s' * (len(parts) != 1)}: {', '.join(parts)}"
        sys.stdout.write(clean(f"{message}, from {shown}") + "\n")
    else:
        sys.stdout.write(clean(f"following {followed.id}: {c.title} ({c.term or c.term_start}), from {shown}") + "\n")
    courses = chosen_courses(None)
    warn_clashes(courses, shown_zone(courses, None), clash_warnings)


@commands.command()
def update(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ID]...", help="Followed courses. Default: all.")] = None,
    json: JsonFlag = False,
    now: NowOpt = None,
) -> None:
    """Download the followed URL courses again, when they changed.

    A conditional request: an unchanged course costs a 304 and nothing is rewritten. A failed
    download, or a published file that no longer validates, keeps the last good copy; the exit
    status is then 1. Says what changed, in the course's zone: weekly meetings (day, time,
    room), sessions added, moved, cancelled or in another room, deadlines moved, new warnings.
    """
    from mdlcli.render import updates_json
    from mdlcli.semester import update as refresh

    # The moment decides what of a windowed feed (Moodle's) is still ahead, and is kept.
    results = refresh(ids or [], run.places(), now_for([], now, dt.UTC))
    if json:
        show_json(updates_json(results))
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
    from mdlcli.semester import remove as drop

    dropped = drop(course_id, run.places())
    from mdlcli.redact import redacted

    sys.stdout.write(clean(f"no longer following {dropped.id} ({redacted(dropped.source)})") + "\n")


@commands.command("config")
def config_(json: JsonFlag = False) -> None:
    """The settings in effect, and where each comes from.

    Precedence: an option, then the environment ($MDL_TZ, NO_COLOR, FORCE_COLOR), then the
    config file ($XDG_CONFIG_HOME/mdl/config.toml), then the built-in default.
    """
    from mdlcli.render import settings, settings_json

    places, config = run.places(), run.run_config()
    tz, tz_source = setting(None, "--tz", "MDL_TZ", "tz")
    color_source = next((f"${v}" for v in ("NO_COLOR", "FORCE_COLOR") if os.environ.get(v)), None)
    rows = [
        ("tz", tz or "each course's own zone", tz_source),
        ("color", run.color(), color_source or (str(config.path) if config.color else "built-in")),
        ("config file", str(places.config), _origin("XDG_CONFIG_HOME")),
        ("courses followed", str(len(config.courses)), str(places.config)),
        ("downloaded courses", str(places.data / "courses"), _origin("XDG_DATA_HOME")),
        ("cache", str(places.cache) if places.cache else "off", _origin("MDL_NO_CACHE", "XDG_CACHE_HOME")),
        ("state", str(places.state), _origin("XDG_STATE_HOME")),
    ]
    show_json(settings_json(rows)) if json else show(settings(rows))


def _origin(*variables: str) -> str:
    return next((f"${v}" for v in variables if os.environ.get(v)), "built-in")
