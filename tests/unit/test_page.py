"""The course page's parts at the seam: the week and what is due soon (pageweek), the structured
data (jsonld), the announcements query, and the HTML page's own rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from mdlcli import htmlpage, jsonld, pageweek
from mdlcli.query import latest_announcements

from .fixture import course

LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time, before 2024-10-27
GMT = dt.UTC


def test_the_week_holds_that_weeks_items_in_the_agendas_order_and_marks_the_cancelled() -> None:
    c = course()
    items = pageweek.week_items(c)
    view = pageweek.week_view(c, items, dt.datetime(2024, 10, 29, 9, 0, tzinfo=GMT))  # a Tuesday
    assert (view.first, view.last) == ("Mon 2024-10-28", "Sun 2024-11-03")
    shown = [(i["date"], i["when"], i["kind"], i["title"], i["cancelled"]) for i in view.items]
    assert shown == [
        ("Mon 2024-10-28", "10:00–11:00 GMT", "lecture", "Gradients", True),
        ("Wed 2024-10-30", "all day", "break", "Reading days", False),
        ("Thu 2024-10-31", "all day", "break", "Reading days", False),
    ]
    # This week's only class was cancelled: the next session is pointed at, the exam.
    assert view.next is not None and (view.next["title"], view.next["kind"]) == ("Midterm", "exam")
    assert (view.before, view.after) == (None, None)


def test_next_appears_only_once_this_weeks_sessions_are_over() -> None:
    c = course()
    items = pageweek.week_items(c)
    before_class = pageweek.week_view(c, items, dt.datetime(2024, 10, 21, 8, 0, tzinfo=GMT))
    after_class = pageweek.week_view(c, items, dt.datetime(2024, 10, 26, 12, 0, tzinfo=GMT))
    assert before_class.next is None
    # Lec2 is cancelled, so after Saturday the next held session is the exam.
    assert after_class.next is not None and after_class.next["title"] == "Midterm"


def test_before_and_after_the_term_the_week_says_so() -> None:
    c = course()
    items = pageweek.week_items(c)
    before = pageweek.week_view(c, items, dt.datetime(2024, 10, 1, tzinfo=GMT))
    after = pageweek.week_view(c, items, dt.datetime(2024, 12, 1, tzinfo=GMT))
    assert before.before == "Mon 2024-10-21" and before.items == [] and before.next is not None
    assert after.after == "Sun 2024-11-10" and after.items == [] and after.next is None


def test_due_soon_counts_down_to_deadlines_and_exams_of_the_next_two_weeks() -> None:
    c = course()
    items = pageweek.week_items(c)
    now = dt.datetime(2024, 10, 22, 16, 0, tzinfo=GMT)
    due = [(i["title"], words) for i, words in pageweek.due_soon(items, now)]
    assert due == [("Homework 1", "in 3 days"), ("Midterm", "in 13 days")]
    assert pageweek.due_soon(items, dt.datetime(2024, 11, 5, tzinfo=GMT)) == []


def test_the_facts_for_the_script_leave_out_what_it_works_out_itself() -> None:
    c = course()
    facts = pageweek.week_facts(c, pageweek.week_items(c))
    assert (facts["zone"], facts["term"], facts["soon_days"]) == ("Europe/London", ["2024-10-21", "2024-11-10"], 14)
    first = facts["items"][0]
    assert first == {
        "day": "2024-10-21",
        "when": "10:00–11:00 BST",
        "kind": "lecture",
        "title": "Lec1 Intro",
        "where": "Hall A",
        "session": True,
        "start": "2024-10-21T10:00:00+01:00",
    }


ANNOUNCED = """
announcements:
  - {date: 2024-10-20, title: Welcome}
  - {date: 2024-10-28, title: Lecture cancelled, text: "The staff are on strike."}
  - {date: 2024-11-30, title: Results}
"""


def test_the_latest_announcement_is_the_newest_of_the_last_two_weeks_and_none_ahead() -> None:
    c = course(body=ANNOUNCED)
    assert [a.title for a in c.announcements] == ["Results", "Lecture cancelled", "Welcome"]  # newest first
    latest = latest_announcements([c], dt.datetime(2024, 10, 29, tzinfo=GMT), GMT)
    assert [(x.course, x.announcement.title) for x in latest] == [("ml101", "Lecture cancelled")]
    assert latest_announcements([c], dt.datetime(2024, 11, 20, tzinfo=GMT), GMT) == []


def ld(c: Any, url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(jsonld.json_ld_text(c, url))
    return data


# The properties schema.org defines for each type used (with those inherited from Thing,
# CreativeWork and Event), and the enumeration members used.
SCHEMA_ORG = {
    "Course": {"@context", "@type", "name", "url", "courseCode", "description", "inLanguage", "provider",
               "hasCourseInstance"},
    "CourseInstance": {"@type", "name", "startDate", "endDate", "inLanguage", "instructor", "courseSchedule",
                       "subEvent", "location"},
    "Event": {"@type", "name", "startDate", "endDate", "eventStatus", "eventAttendanceMode", "location", "performer"},
    "Schedule": {"@type", "name", "repeatFrequency", "byDay", "startTime", "endTime", "scheduleTimezone",
                 "startDate", "endDate", "exceptDate"},
    "Person": {"@type", "name", "jobTitle", "email", "url"},
    "Place": {"@type", "name"},
    "Organization": {"@type", "name"},
}  # fmt: skip


def typed_nodes(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value] * ("@type" in value) + [n for v in value.values() for n in typed_nodes(v)]
    if isinstance(value, list):
        return [n for v in value for n in typed_nodes(v)]
    return []


def test_json_ld_uses_only_schema_orgs_properties_and_gives_each_session_as_an_event() -> None:
    data = ld(course(), "https://example.edu/ml/")
    for node in typed_nodes(data):
        assert set(node) <= SCHEMA_ORG[node["@type"]], node["@type"]
    assert (data["url"], data["inLanguage"]) == ("https://example.edu/ml/", "en")
    [instance] = data["hasCourseInstance"]
    events = {e["name"]: e for e in instance["subEvent"]}
    assert sorted(events) == ["Gradients", "Lec1 Intro", "Midterm"]  # a break is no event
    assert events["Lec1 Intro"]["startDate"] == "2024-10-21T10:00:00+01:00"
    assert events["Gradients"]["startDate"] == "2024-10-28T10:00:00+00:00"  # after the clocks went back
    assert events["Gradients"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events["Midterm"]["eventStatus"] == "https://schema.org/EventScheduled"
    assert events["Midterm"]["location"] == {"@type": "Place", "name": "Gym"}
    assert "url" not in ld(course())


def test_a_page_differs_from_its_rebuild_a_week_later_only_in_what_it_says_of_the_moment() -> None:
    c = course()
    first = htmlpage.to_html(c, "ml101.yaml", dt.datetime(2024, 10, 22, tzinfo=GMT)).encode()
    later = htmlpage.to_html(c, "ml101.yaml", dt.datetime(2024, 10, 29, tzinfo=GMT)).encode()
    assert first != later and htmlpage.same_apart_from_moment(first, later)
    edited = htmlpage.to_html(c._replace(title="Deep Learning"), "ml101.yaml", dt.datetime(2024, 10, 29, tzinfo=GMT))
    assert not htmlpage.same_apart_from_moment(first, edited.encode())


def test_table_words_that_a_browser_could_break_are_kept_whole() -> None:
    page = htmlpage.to_html(course(), "x.yaml", dt.datetime(2024, 10, 22, tzinfo=GMT))
    assert (
        '<td>Mon <span class="nw">2024-10-21</span><br><span class="nw">10:00–11:00</span> BST<br>Hall A</td>' in page
    )
    page = htmlpage.to_html(course(body=ANNOUNCED), "x.yaml", dt.datetime(2024, 10, 22, tzinfo=GMT))
    assert '<time datetime="2024-10-28">Mon 2024-10-28</time> <strong>Lecture cancelled</strong><br>The staff' in page
