"""The week's plan (query/plan.py) on small courses: two courses, a break, a cancelled class, a
reading list shared by two sessions, read and done marks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from mdlcli.model import Course
from mdlcli.query.plan import Plan, effort, week_plan

from .fixture import course

LONDON = zoneinfo.ZoneInfo("Europe/London")
BODY = (
    "sessions:\n"
    "  - {id: l1, date: 2024-10-21, title: Intro, refs: shared}\n"
    "  - {id: l2, date: 2024-10-23, title: Again, refs: shared, start: '10:00', end: '11:00'}\n"
    "  - {id: l3, date: 2024-10-25, title: Off, refs: other, cancelled: true, start: '10:00', end: '11:00'}\n"
    "  - {id: b, date: 2024-10-24, kind: break, title: Reading day}\n"
    "reading_lists:\n"
    "  - id: shared\n    main:\n      - {title: A, minutes: 30}\n      - {title: B, pages: 20}\n      - {title: C}\n"
    "  - id: other\n    main:\n      - {title: D, minutes: 10}\n"
    "deadlines:\n  - {id: hw, title: Homework, due: 2024-10-25, time: '17:00'}\n"
)
NOW = dt.datetime(2024, 10, 20, 12, tzinfo=LONDON)
WEEK = (dt.date(2024, 10, 21), dt.date(2024, 10, 27))


def plan_of(*courses: Course, pages_per_hour: int = 10) -> Plan:
    return week_plan(list(courses), *WEEK, LONDON, now=NOW, pages_per_hour=pages_per_hour)


def test_a_shared_list_is_read_before_its_first_session_and_a_cancelled_one_needs_none() -> None:
    plan = plan_of(course(body=BODY))
    sessions = {s.placed.session.id: s for d in plan.days for s in d.sessions}
    assert [e.reference.title for e in sessions["l1"].readings] == ["A", "B", "C"]
    assert sessions["l2"].readings == () and sessions["l3"].readings == ()
    assert (sessions["l1"].minutes, sessions["l1"].unestimated) == (30 + 120, 1)  # 20 pages at 10 an hour
    assert "b" not in sessions  # a break is no session to prepare
    assert (plan.readings, plan.minutes, plan.deadlines) == (3, 150, 1)


def test_read_references_and_done_deadlines_are_not_left_to_do() -> None:
    c = course(body=BODY)
    lists = tuple(r._replace(main=tuple(x._replace(read=x.title == "A") for x in r.main)) for r in c.reading_lists)
    c = c._replace(reading_lists=lists, deadlines=tuple(d._replace(done=True) for d in c.deadlines))
    plan = plan_of(c)
    assert plan.readings == 2 and plan.deadlines == 0
    assert [v.deadline.done for d in plan.days for v in d.due] == [True]


def test_two_courses_share_the_days_and_the_pace_is_the_students() -> None:
    plan = plan_of(course("a", body=BODY), course("b", body=BODY), pages_per_hour=40)
    assert plan.readings == 6 and plan.minutes == 2 * (30 + 30)
    assert {s.placed.course for d in plan.days for s in d.sessions} == {"a", "b"}


def test_effort_is_minutes_or_pages_at_a_pace_or_unknown() -> None:
    reading_list = course(body=BODY).reading_list("shared")
    assert reading_list is not None
    assert [effort(r, 10) for r in reading_list.main] == [30, 120, None]


def test_an_empty_week_has_no_days() -> None:
    plan = week_plan([course(body="sessions: []\n")], *WEEK, LONDON, now=NOW, pages_per_hour=10)
    assert plan.days == () and (plan.readings, plan.deadlines) == (0, 0)
