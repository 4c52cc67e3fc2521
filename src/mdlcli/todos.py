"""Deadlines for the student's task tool (`mdl export-todo`): iCalendar VTODOs (todoman, Thunderbird,
Apple Reminders), Taskwarrior's import JSON, or todo.txt lines.

Each deadline keeps one identity across exports, distinct from its calendar event's: the UID
`todo-ID@COURSE.mdl`, and for Taskwarrior a UUID made from it, so that importing again updates
the tasks instead of adding them twice. A done deadline (`mdl done`) is written as completed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo
from collections.abc import Iterator, Sequence

import icalendar

from . import __version__
from .model import Course, Deadline, item_uid
from .textsafe import without_controls

FORMATS = ("ics", "taskwarrior", "todotxt")
SUFFIXES = {"ics": "ics", "taskwarrior": "json", "todotxt": "txt"}
PRODID = f"-//mdl//mdl {__version__} todos//EN"


def _deadlines(courses: Sequence[Course]) -> Iterator[tuple[Course, Deadline]]:
    for course in courses:
        for deadline in course.deadlines:
            if deadline.due is not None:
                yield course, deadline


def todo_uid(course: Course, deadline: Deadline) -> str:
    return item_uid(course.id, "todo", deadline.id)


def _url(deadline: Deadline) -> str | None:
    return deadline.submission if (deadline.submission or "").startswith(("https://", "http://")) else None


def vtodos(courses: Sequence[Course], stamp: dt.datetime) -> list[tuple[str, bytes]]:
    """Each deadline as its own calendar of one VTODO (a vdir's file), by UID."""
    return [(todo_uid(c, d), _calendar([(c, d)], stamp)) for c, d in _deadlines(courses)]


def ics(courses: Sequence[Course], stamp: dt.datetime) -> bytes:
    return _calendar(list(_deadlines(courses)), stamp)


def _calendar(items: Sequence[tuple[Course, Deadline]], stamp: dt.datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    for course, deadline in items:
        calendar.add_component(_vtodo(course, deadline, stamp))
    calendar.add_missing_timezones()  # each DUE keeps its zone, described for every reader
    written: bytes = calendar.to_ical()
    return written


def _vtodo(course: Course, deadline: Deadline, stamp: dt.datetime) -> icalendar.Todo:
    zone = zoneinfo.ZoneInfo(course.timezone)
    todo = icalendar.Todo()
    todo.add("UID", todo_uid(course, deadline))
    todo.add("DTSTAMP", stamp.astimezone(dt.UTC))
    todo.add("SUMMARY", without_controls(deadline.title))
    due = deadline.due
    assert due is not None  # noqa: S101 - only dated deadlines are written
    todo.add("DUE", deadline.day(zone) if deadline.day_only else due.astimezone(zone))
    todo.add("CATEGORIES", [course.id])
    url = _url(deadline)
    if url:
        todo.add("URL", url)
    notes = [x for x in (deadline.submission if not url else None, deadline.note, course.title) if x]
    todo.add("DESCRIPTION", without_controls("\n".join(notes)))
    if deadline.done:
        todo.add("STATUS", "COMPLETED")
        todo.add("COMPLETED", stamp.astimezone(dt.UTC))
        todo.add("PERCENT-COMPLETE", 100)
    else:
        todo.add("STATUS", "NEEDS-ACTION")
    return todo


def taskwarrior(courses: Sequence[Course], stamp: dt.datetime) -> bytes:
    """What `task import` reads: one JSON object a task, its UUID stable, so a second import updates."""
    tasks = []
    for course, deadline in _deadlines(courses):
        due = deadline.due
        assert due is not None  # noqa: S101 - only dated deadlines are written
        task: dict[str, object] = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "mdl:" + todo_uid(course, deadline))),
            "description": without_controls(deadline.title),
            "project": course.id,
            "due": due.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"),
            "entry": stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"),
            "status": "completed" if deadline.done else "pending",
            "tags": ["mdl"],
        }
        if deadline.done:
            task["end"] = task["entry"]
        tasks.append(task)
    return (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode()


def todotxt(courses: Sequence[Course], stamp: dt.datetime) -> bytes:
    """todo.txt: `x` for done, the title, `+course`, `due:YYYY-MM-DD` (in the course's zone)."""
    lines = []
    for course, deadline in _deadlines(courses):
        zone = zoneinfo.ZoneInfo(course.timezone)
        title = " ".join(without_controls(deadline.title).split())
        project = "+" + "".join(course.id.split())
        done = f"x {stamp.astimezone(zone).date()} " if deadline.done else ""
        day = deadline.day(zone)
        lines.append(f"{done}{title} {project} due:{day}")
    return ("\n".join(lines) + "\n").encode() if lines else b""


WRITERS = {"ics": ics, "taskwarrior": taskwarrior, "todotxt": todotxt}


_TODOTXT_LINE = re.compile(r"(x \d{4}-\d\d-\d\d )?.* \+\S+ due:\d{4}-\d\d-\d\d")


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is one of these exports (replaced freely) or the user's (kept without --force):
    mdl's PRODID, tasks all tagged mdl, or todo.txt lines all of the shape written here."""
    text = data.decode("utf-8", errors="replace")
    if not text.strip() or "-//mdl//" in text[:4096]:
        return True
    try:
        tasks = json.loads(text)
    except ValueError:
        return all(_TODOTXT_LINE.fullmatch(line) for line in text.splitlines() if line.strip())
    return isinstance(tasks, list) and all(isinstance(t, dict) and "mdl" in t.get("tags", []) for t in tasks)
