"""The week's study plan (`mdl week`), as blocks and as JSON."""

import datetime as dt
from typing import Any

from mdlcli.query.plan import Plan, PlannedSession, effort
from mdlcli.query.readings import RefEntry
from mdlcli.timeutil import format_day, format_duration, format_span

from .blocks import Block, Heading, Line, Records, Row, Style, count, due_cell, due_iso, iso, with_course


def week(plan: Plan, now: dt.datetime, zone: dt.tzinfo, pages_per_hour: int, *, multi: bool = False) -> list[Block]:
    """Day by day: each session with what to read before it, then what is due; a total at the end.
    A pipe gets one record a line, its kind first (its course first among several)."""
    span = f"{format_day(plan.first)} to {format_day(plan.last)}"
    blocks: list[Block] = [Heading(f"Week plan, {span}")]
    if not plan.days:
        return [*blocks, Line(f"Nothing to do from {span}: no session, reading or deadline.", "muted")]
    every_row: list[tuple[dt.date, Row, str]] = []
    for day in plan.days:
        for planned in day.sessions:
            every_row.append((day.day, _session_row(planned, zone), planned.placed.course))
            every_row += [(day.day, _reading_row(e, pages_per_hour), e.course) for e in planned.readings]
        for v in day.due:
            d = v.deadline
            if d.done or d.due is None:
                left = "✓ done" if d.done else "date TBA"
            else:
                left = "passed" if v.status == "passed" else f"in {format_duration(d.due - now)}"
            style: Style = "past" if d.done or v.status == "passed" else "urgent"
            when = due_cell(d.due, zone, day_only=d.day_only) if d.due else "TBA"
            every_row.append((day.day, Row((v.kind, d.title, when, left), style), v.course))
    columns = ("what", "title", "when", "to do")
    table = Records(columns, tuple(row for _, row, _ in every_row), flexible=("title",), header=False)
    if multi:
        table = with_course(table, [course for _, _, course in every_row])
    for day in plan.days:
        rows = tuple(row for (d, _, _), row in zip(every_row, table.rows, strict=True) if d == day.day)
        blocks.append(table._replace(rows=rows, title=format_day(day.day), aligned_with=table.rows))
    hours = f", about {format_duration(dt.timedelta(minutes=plan.minutes))}" if plan.minutes else ""
    total = f"{count(plan.readings, 'reading')} left{hours}; {count(plan.deadlines, 'deadline')} due"
    blocks.append(Line(total, None, "total"))
    return blocks


def _session_row(planned: PlannedSession, zone: dt.tzinfo) -> Row:
    p, s = planned.placed, planned.placed.session
    title = f"{s.label} {s.display_title}" if s.label else s.display_title
    when = format_span(p.start, p.end, zone) if p.start and p.end else ("all day" if p.start is None else "")
    if s.cancelled:
        return Row((f"cancelled {s.kind}", title, when, s.note or ""), "muted")
    todo = _todo(planned)
    return Row((s.kind.replace("-", " "), title, when, todo), None)


def _todo(planned: PlannedSession) -> str:
    if not planned.readings:
        return "nothing to read"
    # Short, so that it stays one line on 80 columns: the title is the column that wraps.
    said = f"{len(planned.readings)} to read"
    if planned.minutes:
        said += f", {format_duration(dt.timedelta(minutes=planned.minutes))}"
    if planned.unestimated:
        said += f", {planned.unestimated} untimed"
    return said


def _reading_row(e: RefEntry, pages_per_hour: int) -> Row:
    minutes = effort(e.reference, pages_per_hour)
    how_long = format_duration(dt.timedelta(minutes=minutes)) if minutes is not None else ""
    return Row(("reading", e.reference.title, how_long, f"{e.reading_list.id}:{e.number}"), None)


def week_json(plan: Plan, now: dt.datetime, zone: dt.tzinfo, pages_per_hour: int) -> dict[str, Any]:
    def reading(e: RefEntry) -> dict[str, Any]:
        r = e.reference
        return {"list": e.reading_list.id, "number": e.number, "title": r.title, "minutes": r.minutes,
                "pages": r.pages, "estimated_minutes": effort(r, pages_per_hour)}  # fmt: skip

    return {
        "from": plan.first.isoformat(),
        "to": plan.last.isoformat(),
        "days": [
            {
                "day": day.day.isoformat(),
                "sessions": [
                    {
                        "course": s.placed.course,
                        "id": s.placed.session.id,
                        "kind": s.placed.session.kind,
                        "title": s.placed.session.display_title,
                        "start": iso(s.placed.start, zone),
                        "end": iso(s.placed.end, zone),
                        "cancelled": s.placed.session.cancelled,
                        "readings": [reading(e) for e in s.readings],
                        "minutes": s.minutes,
                    }
                    for s in day.sessions
                ],
                "due": [
                    {
                        "course": v.course,
                        "id": v.deadline.id,
                        "kind": v.kind,
                        "title": v.deadline.title,
                        "due": due_iso(v.deadline.due, zone, day_only=v.deadline.day_only),
                        "seconds_left": v.seconds_left,
                        "done": v.deadline.done,
                    }
                    for v in day.due
                ],
            }
            for day in plan.days
        ],
        "total": {"readings": plan.readings, "minutes": plan.minutes, "deadlines": plan.deadlines},
        "now": now.astimezone(zone).isoformat(),
    }
