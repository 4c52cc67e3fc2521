"""For instructors: check a course file, start one, and the schema it follows."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mdlcli.errors import CourseInvalid, Unreadable, UsageError
from mdlcli.textsafe import clean

from .common import CourseOpt, JsonFlag, commands, one_course, show, show_json


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
    from mdlcli import render
    from mdlcli.model import Diagnostic

    starter = Path("course.yaml")
    if path is None and not course and not os.environ.get("MDL_COURSE") and starter.is_file():
        path = starter
    try:
        c = one_course([str(path)] if path else course)
        errors, warnings, shown_path = [], list(c.warnings), c.path
    except CourseInvalid as exc:
        errors, warnings, shown_path = exc.problems, exc.warnings, exc.path
    except Unreadable as exc:
        errors, warnings, shown_path = [Diagnostic("error", exc.path, exc.line, None, "", exc.reason)], [], exc.path
    if json:
        show_json(render.diagnostics_json(shown_path, errors, warnings, strict))
    else:
        show(render.diagnostics(shown_path, errors, warnings, strict))
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
    from mdlcli.files import write_new_file
    from mdlcli.store import STARTER_NAME, bundled_file

    write_new_file(path, bundled_file(STARTER_NAME).read_bytes(), force)
    sys.stdout.write(clean(f"wrote {path}: edit it, then check it with `mdl validate {path}`") + "\n")


@commands.command("import")
def import_(
    calendar: Annotated[Path, typer.Argument(metavar="FILE.ics", help="The calendar to write as a course file.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the course file.")
    ] = Path("course.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a course file from a calendar (a timetable's .ics), to keep the course in mdl.

    Weekly series become meetings and their occurrences sessions (a moved one keeps its own
    time and room, a cancelled one is marked), single events sessions with their own time,
    day-long items breaks, items without a duration deadlines; the term runs from the first
    item to the last. Comments say what was guessed. The file validates; an existing one is
    kept unless --force.
    """
    from mdlcli.files import MAX_FILE_BYTES, read_regular, write_new_file
    from mdlcli.importing import course_file
    from mdlcli.sources import decoded

    data = read_regular(calendar, MAX_FILE_BYTES)[0]
    text = decoded(data, str(calendar))
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise UsageError(f"{calendar}: not an iCalendar file (it does not begin with BEGIN:VCALENDAR)")
    write_new_file(output, course_file(text, str(calendar)).encode(), force)
    sys.stdout.write(clean(f"wrote {output} from {calendar}: check it with `mdl validate {output}`") + "\n")


@commands.command("schema")
def schema_(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the table of keys instead.")] = False,
) -> None:
    """Print the course file's JSON Schema, for editors.

    Save it beside your course (`mdl schema > course.schema.json`) and put the line
    `# yaml-language-server: $schema=course.schema.json` at the top of the course file: editors
    with the YAML language server then complete and check it as you type.
    """
    from mdlcli import schema

    if markdown:
        sys.stdout.write(schema.markdown_table())
    else:
        show_json(schema.json_schema())
