"""The cross-checks (crosschecks.py) over small built courses: what relates items to each other."""

from __future__ import annotations

import pytest

from mdlcli.errors import CourseInvalid
from mdlcli.parse import parse_course

HEAD = (
    "schema: 2\ncourse: {id: c, title: C, timezone: UTC, term_start: 2024-01-01, term_end: 2024-03-01}\n"
    "meetings:\n  - {id: lec, weekday: monday, start: '10:00', end: '11:00'}\n"
)


def problems(text: str) -> list[str]:
    with pytest.raises(CourseInvalid) as raised:
        parse_course(HEAD + text, "c.yaml")
    return [f"{p.field}: {p.message}" for p in raised.value.problems]


def test_ids_are_unique_within_a_section() -> None:
    text = "sessions:\n  - {id: s, date: 2024-01-01, title: A}\n  - {id: s, date: 2024-01-08, title: B}\n"
    assert problems(text) == ["sessions[1].id: duplicate id 's'"]


def test_dates_fall_inside_the_term() -> None:
    assert problems("sessions:\n  - {id: s, date: 2024-04-01, title: A}\n") == [
        "sessions[0].date: 2024-04-01 is outside the term (2024-01-01 to 2024-03-01)"
    ]


def test_what_a_session_names_must_exist_and_a_broken_item_is_named_once() -> None:
    text = "sessions:\n  - {id: s, date: 2024-01-01, title: A, refs: r, meeting: nope}\n"
    assert problems(text) == [
        "sessions[0].refs: no reading list with id 'r'",
        "sessions[0].meeting: no meeting with id 'nope'",
    ]
    broken = "reading_lists:\n  - {id: r, wrong: 1}\nsessions:\n"
    broken += "".join(f"  - {{id: s{n}, date: 2024-01-0{n}, title: A, refs: r}}\n" for n in (1, 2))
    assert problems(broken) == [
        "reading_lists[0].wrong: unknown key 'wrong'; expected one of: id, title, main, further",
        "sessions[0].refs: the reading list 'r' has errors of its own (see above)",
    ]


def test_a_week_must_match_the_date() -> None:
    assert problems("sessions:\n  - {id: s, date: 2024-01-15, week: 2, title: A}\n") == [
        "sessions[0].week: is 2, but 2024-01-15 is in week 3 of the term"
    ]
