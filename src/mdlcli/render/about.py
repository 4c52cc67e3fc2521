"""What a course is, as blocks: `info`, `syllabus`, `curriculum`."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mdlcli.model import WEEKDAYS, Course, Meeting
from mdlcli.query import (
    meeting_times,
)

from .blocks import Block, Heading, Line, Node, Records, Row, Tree, Url

# -- info ----------------------------------------------------------------------------------


def info(course: Course, zone: dt.tzinfo) -> list[Block]:
    identity = " · ".join(p for p in (course.kind, course.code, course.institution, course.term) if p)
    blocks: list[Block] = [
        Heading(course.title, "title"),
        Line(identity or course.id, record="course"),
        Line(f"time zone {course.timezone}; term {course.term_start} to {course.term_end}", "muted", "term"),
        Records(
            ("role", "name", "email"),
            tuple(Row((p.role, p.name, p.email or "")) for p in course.people),
            title="People",
            record="person",
        ),
        Records(
            ("meeting", "when", "time", "where", ""),
            tuple(_meeting_row(course, m, zone) for m in course.meetings),
            title="Weekly meetings",
            record="meeting",
        ),
        Records(
            ("link", "address"),
            tuple(Row((link.title, Url(link.url, link.url))) for link in course.links),
            title="Links",
            record="link",
        ),
    ]
    return blocks


def _meeting_row(course: Course, meeting: Meeting, zone: dt.tzinfo) -> Row:
    times = meeting_times(course, meeting, zone)
    weekday = WEEKDAYS[meeting.weekday].capitalize() + "s"
    return Row(
        (
            meeting.title,
            weekday,
            times,
            meeting.location or "no room given",
            "optional" if meeting.optional else "",
        )
    )


def info_json(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "kind": course.kind,
        "code": course.code,
        "institution": course.institution,
        "term": course.term,
        "timezone": course.timezone,
        "term_start": course.term_start.isoformat(),
        "term_end": course.term_end.isoformat(),
        "people": [{"id": p.id, "role": p.role, "name": p.name, "email": p.email} for p in course.people],
        "meetings": [
            {
                "id": m.id,
                "title": m.title,
                "weekday": WEEKDAYS[m.weekday],
                "start": f"{m.start:%H:%M}",
                "end": f"{m.end:%H:%M}",
                "location": m.location,
                "optional": m.optional,
                "first": m.first.isoformat() if m.first else None,
                "last": m.last.isoformat() if m.last else None,
            }
            for m in course.meetings
        ],
        "links": [{"id": link.id, "title": link.title, "url": link.url} for link in course.links],
    }


# -- syllabus ------------------------------------------------------------------------------


def syllabus(course: Course) -> list[Block]:
    blocks: list[Block] = [Heading(f"{course.title}: syllabus")]
    if course.description:
        blocks.append(Line(course.description, record="description"))
    parts = tuple(Node(p.title, tuple(Node(i) for i in p.items), "bold") for p in course.syllabus)
    blocks.append(Tree(Node("Detailed syllabus", parts, "title"), "syllabus"))
    prerequisites = tuple(
        Node(
            f"{g.name.capitalize()}" + (f" ({g.level})" if g.level else ""),
            tuple(Node(t) for t in g.topics),
            "bold",
        )
        for g in course.prerequisites
    )
    blocks.append(Tree(Node("Prerequisites", prerequisites, "title"), "prerequisite"))
    blocks.append(
        Records(
            ("component", "detail"),
            tuple(Row((g.component, g.detail)) for g in course.grading),
            title="Grading",
            record="grading",
        )
    )
    return blocks


def syllabus_json(course: Course) -> dict[str, Any]:
    return {
        "description": course.description,
        "syllabus": [{"title": p.title, "items": list(p.items)} for p in course.syllabus],
        "prerequisites": [{"group": g.name, "level": g.level, "topics": list(g.topics)} for g in course.prerequisites],
        "grading": [{"component": g.component, "detail": g.detail} for g in course.grading],
    }


# -- curriculum ----------------------------------------------------------------------------


def curriculum(course: Course) -> list[Block]:
    blocks: list[Block] = []
    for c in course.curricula:
        blocks.append(Heading(f"Parallel curriculum: {c.title}", "curriculum"))
        blocks.extend(Line(Url(link.title, link.url), record="link") for link in c.links)
        for k in c.classes:
            sections: list[Node] = []
            if k.motivation:
                sections.append(Node("Motivation", (Node(k.motivation),), "bold"))
            for name, readings in (("Required reading", k.required_reading), ("Optional reading", k.optional_reading)):
                if readings:
                    nodes = tuple(Node(Url(r.text, r.url) if r.url else r.text) for r in readings)
                    sections.append(Node(name, nodes, "bold"))
            if k.questions:
                sections.append(Node("Questions", tuple(Node(q) for q in k.questions), "bold"))
            if k.notebook:
                sections.append(Node("Notebook", (Node(Url(k.notebook, k.notebook)),), "bold"))
            blocks.append(
                Tree(
                    Node(f"Class {k.number}: {k.title}", tuple(sections), "title"),
                    f"{c.id}\tclass {k.number}: {k.title}",
                )
            )
    if not course.curricula:
        blocks.append(Line("This course has no parallel curriculum.", "muted"))
    return blocks


def curriculum_json(course: Course) -> list[dict[str, Any]]:
    def readings(items: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"text": r.text, "url": r.url} for r in items]

    return [
        {
            "id": c.id,
            "title": c.title,
            "links": [{"id": link.id, "title": link.title, "url": link.url} for link in c.links],
            "classes": [
                {
                    "number": k.number,
                    "title": k.title,
                    "motivation": k.motivation,
                    "required_reading": readings(k.required_reading),
                    "optional_reading": readings(k.optional_reading),
                    "questions": list(k.questions),
                    "notebook": k.notebook,
                }
                for k in c.classes
            ],
        }
        for c in course.curricula
    ]
