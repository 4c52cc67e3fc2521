"""What a course is: identity, people and meetings; syllabus; the parallel curriculum."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .common import CourseOpt, JsonFlag, commands, one_course, show, show_json

if TYPE_CHECKING:
    from mdlcli.model import Course
    from mdlcli.render import Block


@commands.command()
def info(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """Course identity, people, weekly meetings, links."""
    from mdlcli import render
    from mdlcli.query import zone_of

    _page(course, json, lambda c: render.info(c, zone_of(c)), render.info_json)


@commands.command()
def syllabus(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """Description, syllabus, prerequisites, grading."""
    from mdlcli import render

    _page(course, json, render.syllabus, render.syllabus_json)


@commands.command()
def curriculum(course: CourseOpt = None, json: JsonFlag = False) -> None:
    """The parallel curriculum, class by class.

    Motivation, required and optional reading, questions and links of each class.
    """
    from mdlcli import render

    _page(course, json, render.curriculum, render.curriculum_json)


def _page(
    course: list[str] | None,
    json: bool,
    view: Callable[[Course], list[Block]],
    as_json: Callable[[Course], object],
) -> None:
    """A reference page of one course, drawn or as JSON."""
    c = one_course(course)
    show_json(as_json(c)) if json else show(view(c))
