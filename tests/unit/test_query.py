"""The use-cases (query/) on small courses: time, breaks, cancellations, deadlines, clashes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from mdlcli import query

from .fixture import course

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_sessions_are_placed_in_the_courses_zone_across_a_change_of_offset() -> None:
    placed = {p.session.id: p for p in query.placed_sessions(course())}
    assert placed["l1"].start == dt.datetime(2024, 10, 21, 9, 0, tzinfo=dt.UTC)  # BST, UTC+1
    assert placed["l2"].start == dt.datetime(2024, 10, 28, 10, 0, tzinfo=dt.UTC)  # GMT after the change
    assert placed["x"].location == "Gym" and placed["l1"].location == "Hall A"
    assert placed["b"].start is None  # a break has days, not times


def test_the_agenda_lists_each_day_of_a_break_and_marks_a_cancelled_class() -> None:
    entries = query.agenda([course()], dt.date(2024, 10, 28), dt.date(2024, 10, 31), LONDON)
    assert [(e.day.isoformat(), e.kind, e.cancelled) for e in entries] == [
        ("2024-10-28", "lecture", True),
        ("2024-10-30", "break", False),
        ("2024-10-31", "break", False),
    ]


def test_deadlines_and_exams_count_down_in_true_elapsed_time() -> None:
    now = dt.datetime(2024, 10, 25, 12, 0, tzinfo=LONDON)
    views = query.deadline_views(course(), now)
    assert [(v.deadline.id, v.kind, v.status, v.seconds_left) for v in views] == [
        ("hw", "deadline", "upcoming", 5 * 3600),
        ("x", "exam", "upcoming", int((dt.datetime(2024, 11, 4, 14, tzinfo=dt.UTC) - now).total_seconds())),
    ]


def test_whats_next_shows_a_cancelled_class_as_cancelled_with_its_note() -> None:
    items, _ = query.whats_next(course(), dt.datetime(2024, 10, 26, tzinfo=LONDON))
    assert [(i.title, i.cancelled, i.note) for i in items] == [("Gradients", True, "strike"), ("Midterm", False, None)]


def test_two_courses_at_the_same_times_clash_in_class_and_in_what_is_due() -> None:
    found = query.clashes([course(), course("stats200")], LONDON)
    assert sorted((c.kind, c.first.what, c.second.course) for c in found) == [
        ("due", "Homework 1", "stats200"),
        ("due", "Midterm", "stats200"),
        ("timetable", "Lec1", "stats200"),
        ("timetable", "Midterm", "stats200"),
    ]
