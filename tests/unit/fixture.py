"""Small courses for the unit tests, built by the real parser from a few lines of YAML."""

from __future__ import annotations

from mdlcli.model import Course
from mdlcli.parse import parse_course


def course(course_id: str = "ml101", *, body: str = "", zone: str = "Europe/London") -> Course:
    """A two-week course across the end of British Summer Time (2024-10-27), with a lecture on
    Mondays, a break, a cancelled class, an exam and a homework."""
    head = (
        f"schema: 2\ncourse: {{id: {course_id}, title: Learning, timezone: {zone}, "
        "term_start: 2024-10-21, term_end: 2024-11-10}\n"
        "meetings:\n  - {id: lecture, weekday: monday, start: '10:00', end: '11:00', location: Hall A}\n"
    )
    sessions = (
        "sessions:\n"
        "  - {id: l1, date: 2024-10-21, title: Intro, label: Lec1, refs: r1}\n"
        "  - {id: l2, date: 2024-10-28, title: Gradients, cancelled: true, note: strike}\n"
        "  - {id: b, date: 2024-10-30, until: 2024-10-31, kind: break, title: Reading days}\n"
        "  - {id: x, date: 2024-11-04, kind: exam, title: Midterm, start: '14:00', end: '16:00', location: Gym}\n"
        "reading_lists:\n  - id: r1\n    main:\n      - {title: Deep learning, authors: LeCun, year: 2015}\n"
        "deadlines:\n  - {id: hw, title: Homework 1, due: 2024-10-25, time: '17:00'}\n"
    )
    return parse_course(head + (body or sessions), f"{course_id}.yaml")
