"""Deadlines and exams with their countdowns, and the term's progress, as blocks."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from mdlcli.query import (
    DeadlineView,
    TermProgress,
)
from mdlcli.timeutil import format_age, format_duration, format_moment

from .blocks import Block, Heading, Line, Records, Row, Short, Style, due_cell, due_iso, with_course

# -- deadlines -----------------------------------------------------------------------------


def deadlines(
    views: Sequence[DeadlineView],
    now: dt.datetime,
    zone: dt.tzinfo,
    *,
    terms: Sequence[TermProgress] = (),
    multi: bool = False,
) -> list[Block]:
    """Each row: what is due, when, and the time left (or since); the term's progress once, above."""
    if not views:
        return [Line("This course has no deadlines.", "muted")]
    first_upcoming = next((v for v in views if v.status == "upcoming" and not v.deadline.done), None)
    rows = []
    for v in views:
        d = v.deadline
        note = "; ".join(x for x in (d.submission, d.note) if x)
        if d.due is None:
            # "TBA" says it already; where room is short the countdown's cell says nothing more.
            no_countdown = Short("no date, no countdown", "")
            rows.append(Row((d.id, d.title, "TBA", no_countdown, note or "date not given", v.kind), "muted"))
        elif d.done:
            rows.append(
                Row((d.id, d.title, due_cell(d.due, zone, day_only=d.day_only), "✓ done", note, v.kind), "past")
            )
        elif v.status == "passed":
            since = f"passed {format_age(d.due, now)} ago"
            rows.append(Row((d.id, d.title, due_cell(d.due, zone, day_only=d.day_only), since, note, v.kind), "past"))
        else:
            urgent = d.due - now <= dt.timedelta(hours=48)
            style: Style = "urgent" if urgent else ("next" if v is first_upcoming else None)
            left = f"{format_duration(d.due - now)} left"
            rows.append(Row((d.id, d.title, due_cell(d.due, zone, day_only=d.day_only), left, note, v.kind), style))
    columns = ("id", "what", "due", "time left", "how, note", "kind")
    # On a terminal the kind is worth its room only when there are exams among the deadlines.
    hidden = ("id",) if any(v.kind == "exam" for v in views) else ("id", "kind")
    table = Records(columns, tuple(rows), flexible=("what", "how, note"), hidden=hidden)
    blocks: list[Block] = [Heading(f"Deadlines, from {format_moment(now, zone)}")]
    blocks += [Heading(_term_line(t, multi)) for t in terms]
    blocks.append(with_course(table, [v.course for v in views]) if multi else table)
    if first_upcoming is None and any(v.status == "passed" for v in views) and not multi:
        blocks.append(Line("Every dated deadline of this course has passed.", "muted", "note"))
    return blocks


def _term_line(t: TermProgress, multi: bool) -> str:
    """`Term: ██████░░░░░░ 52%, week 8 of 15`: drawn once, on a terminal (a pipe gets the records)."""
    filled = round(t.fraction * 12)
    where = "not begun" if t.week < 1 else "over" if t.week > t.weeks else f"week {t.week} of {t.weeks}"
    name = f"{t.course} term" if multi else "Term"
    return f"{name}: {'█' * filled}{'░' * (12 - filled)} {round(t.fraction * 100)}% gone, {where}"


def deadlines_json(views: Sequence[DeadlineView], zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "course": v.course,
            "id": v.deadline.id,
            "kind": v.kind,
            "title": v.deadline.title,
            "due": due_iso(v.deadline.due, zone, day_only=v.deadline.day_only),
            "day_only": v.deadline.day_only,
            "status": v.status,
            "done": v.deadline.done,
            "seconds_left": v.seconds_left,
            "submission": v.deadline.submission,
            "note": v.deadline.note,
        }
        for v in views
    ]
