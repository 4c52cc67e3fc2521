"""The one rule for a course id, wherever it comes from: a plain name, safe as a file name.

A course id becomes file names (`ID.yaml` of a downloaded copy, `ID.ics`, the files of a
published site), so it is checked here and only here: for `course.id` in a course file, for
`mdl add --id`, and for the ids read from `config.toml`.
"""

import re


def plain_name_problem(name: str) -> str | None:
    """Why `name` is not a plain name (no folder, no link out of one, nothing hidden), or None."""
    if not name:
        return "is empty"
    if "/" in name or "\\" in name:
        return "holds a path separator ('/' or '\\\\')"
    if not name.isprintable():
        return "holds a control character"
    if name.startswith("."):
        return "starts with a dot"
    if ".." in name:
        return "holds '..'"
    return None


def followed_id_problem(course_id: str) -> str | None:
    """Why `course_id` cannot name a followed course, or None.

    A followed id is a plain name that also reads as one word in `COURSE:ID` and on a command line.
    """
    problem = plain_name_problem(course_id)
    if problem is None and (":" in course_id or any(c.isspace() for c in course_id)):
        problem = "holds ':' or a space"
    return problem


def plain_id(text: str) -> str:
    """`CS 101: Intro/Lab` → `cs-101-intro-lab`: an id made from a name (a calendar's, a course code)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")


FOLLOWED_ID_RULE = "letters, digits, '-', '_', '.'; no '/', '\\\\', ':', space, '..' or leading dot"
