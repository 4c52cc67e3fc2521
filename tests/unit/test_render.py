"""The views (render/) as blocks, drawn plain and as JSON, from small query results."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from mdlcli import query, render

from .fixture import course

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_piped_deadlines_are_tab_separated_records_with_the_moment_in_one_style() -> None:
    now = dt.datetime(2024, 10, 25, 12, 0, tzinfo=LONDON)
    views = query.deadline_views(course(), now)
    lines = render.plain(render.deadlines(views, now, LONDON)).splitlines()
    row = next(line.split("\t") for line in lines if "Homework 1" in line)
    assert "Fri 2024-10-25 17:00 BST" in row


def test_the_json_of_deadlines_gives_iso_moments_in_the_display_zone() -> None:
    now = dt.datetime(2024, 10, 25, 12, 0, tzinfo=LONDON)
    data = json.loads(render.to_json(render.deadlines_json(query.deadline_views(course(), now), LONDON)))
    homework = next(d for d in data if d["id"] == "hw")
    assert homework["due"] == "2024-10-25T17:00:00+01:00"


def test_a_course_without_deadlines_says_so_in_one_line() -> None:
    empty = course(body="sessions: []\n")
    now = dt.datetime(2024, 10, 25, tzinfo=LONDON)
    assert render.plain(render.deadlines(query.deadline_views(empty, now), now, LONDON)) == (
        "This course has no deadlines.\n"
    )
