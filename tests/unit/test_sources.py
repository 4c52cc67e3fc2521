"""Sources (sources.py): bytes and a name in, a course out; the kind decided from the content."""

from __future__ import annotations

import pytest

from mdlcli import sources
from mdlcli.errors import CourseInvalid, Unreadable
from mdlcli.model import Course
from tests.conftest import FIXTURES


def test_a_course_file_is_read_from_its_bytes() -> None:
    course = sources.read(b"\xef\xbb\xbf" + (FIXTURES / "minimal.yaml").read_bytes(), "https://x.org/c")
    assert isinstance(course, Course) and course.path == "https://x.org/c"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("schema: 2\n".encode("utf-16"), "https://x.org/c: is UTF-16 text; save the course file as UTF-8"),
        (b"schema: 2\ntitle: \xff\n", "https://x.org/c:2: not UTF-8 text (byte 0xff)"),
        (b"schema: 2\x00\n", "https://x.org/c: contains NUL bytes; not a text file"),
    ],
)
def test_bytes_that_are_no_text_are_refused_in_the_sources_name(data: bytes, message: str) -> None:
    with pytest.raises(Unreadable) as raised:
        sources.read(data, "https://x.org/c")
    assert str(raised.value) == message


def test_the_kind_is_the_first_that_recognises_the_content(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    calendar = sources.Kind(
        "calendar", ("text/calendar",), lambda head: head.startswith("BEGIN:VCALENDAR"), lambda t, n: read.append(n)
    )
    monkeypatch.setattr(sources, "KINDS", (calendar, sources.COURSE_FILE))
    sources.read(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "feed.yaml")  # by content, whatever the name
    assert read == ["feed.yaml"]
    with pytest.raises(CourseInvalid):
        sources.read(b"schema: 2\n", "timetable.ics")
    assert sources.accepted().startswith("text/calendar, application/yaml, text/yaml")
