"""The course as schema.org structured data (JSON-LD), which the course page carries for search
engines: a `Course` with one `CourseInstance` (the term, its people, its weekly runs) whose
`subEvent`s are the dated sessions, each an `Event`."""

from __future__ import annotations

import json
from typing import Any

from .model import Course
from .page import WeeklySchedule, weekly_schedules
from .query import placed_sessions, zone_of

LANGUAGE = "en"  # what mdl writes a page in


def json_ld(course: Course, url: str | None = None) -> dict[str, Any]:
    """`url`: where the page is published, when that is known."""
    instructors = [
        {"@type": "Person", "name": p.name, "jobTitle": p.role} | _given(email=p.email, url=p.website)
        for p in course.people
    ]
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": " · ".join([course.title, *([course.term] if course.term else [])]),
        "startDate": course.term_start.isoformat(),
        "endDate": course.term_end.isoformat(),
        "inLanguage": LANGUAGE,
        "instructor": instructors,
        "courseSchedule": [_schedule(course, w) for w in weekly_schedules(course)],
        "subEvent": _events(course),
    }
    rooms = list(dict.fromkeys(m.location for m in course.meetings if m.location))
    if rooms:
        instance["location"] = [_place(room) for room in rooms]
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Course", "name": course.title}
    data |= _given(url=url, courseCode=course.code, description=course.description)
    data["inLanguage"] = LANGUAGE
    data |= {"provider": {"@type": "Organization", "name": course.institution}} if course.institution else {}
    data["hasCourseInstance"] = [instance]
    return data


def _given(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value}


def _place(name: str) -> dict[str, str]:
    return {"@type": "Place", "name": name}


def _events(course: Course) -> list[dict[str, Any]]:
    zone = zone_of(course)
    events = []
    for p in placed_sessions(course):
        s = p.session
        if p.start is None or p.end is None:  # a break is no event
            continue
        event: dict[str, Any] = {
            "@type": "Event",
            "name": f"{s.label} {s.display_title}" if s.label else s.display_title,
            "startDate": p.start.astimezone(zone).isoformat(),
            "endDate": p.end.astimezone(zone).isoformat(),
            "eventStatus": f"https://schema.org/{'EventCancelled' if s.cancelled else 'EventScheduled'}",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        }
        if p.location:
            event["location"] = _place(p.location)
        if s.speaker:
            event["performer"] = {"@type": "Person", "name": s.speaker}
        events.append(event)
    return events


def _schedule(course: Course, w: WeeklySchedule) -> dict[str, Any]:
    days = [f"https://schema.org/{day}" for day in w.weekdays]
    return {
        "@type": "Schedule",
        "name": w.title,
        "repeatFrequency": "P1W",
        "byDay": days[0] if len(days) == 1 else days,
        "startTime": f"{w.start:%H:%M}",
        "endTime": f"{w.end:%H:%M}",
        "scheduleTimezone": course.timezone,
        "startDate": w.first.isoformat(),
        "endDate": w.last.isoformat(),
        "exceptDate": [d.isoformat() for d in w.except_dates],
    }


def script_text(data: object, *, compact: bool = False) -> str:
    """JSON for inside a <script> block, where only "</" could end it early: escaping <, > and &
    as JSON escapes keeps text that reads back the same. `compact`: for a script, not a reader."""
    text = json.dumps(data, ensure_ascii=False, **({"separators": (",", ":")} if compact else {"indent": 1}))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_ld_text(course: Course, url: str | None = None) -> str:
    return script_text(json_ld(course, url), compact=True)
