"""Feed tokens (redact.py): hidden wherever a source is shown, whatever the LMS puts them in."""

from __future__ import annotations

import pytest

from mdlcli.redact import holds_secret, redacted


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            "https://canvas.example.edu/feeds/calendars/user_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d.ics",
            "https://canvas.example.edu/feeds/calendars/user_…ics",
        ),
        (
            "https://moodle.example.edu/calendar/export_execute.php?userid=5&authtoken=3f2a9c0e1b7d&preset_what=all",
            "https://moodle.example.edu/calendar/export_execute.php?userid=5&authtoken=…&preset_what=all",
        ),
        ("https://me:hunter2@dav.example.org/cal.ics", "https://dav.example.org/cal.ics"),
        ("https://uni.example.edu/timetable/autumn.ics", "https://uni.example.edu/timetable/autumn.ics"),
        ("/home/me/courses/ml101.yaml", "/home/me/courses/ml101.yaml"),
    ],
)
def test_a_token_is_hidden_and_the_rest_kept(source: str, shown: str) -> None:
    assert redacted(source) == shown
    assert holds_secret(source) == (source != shown)
