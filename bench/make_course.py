"""Write a valid course with N sessions, a 10-reference reading list per session and N/10 deadlines.

    python bench/make_course.py N [PATH]      (PATH defaults to stdout)

Sessions are spread over a term of N/3 weeks, three a week (Monday, Wednesday, Friday), so the
file passes `mdl validate` with no warning; the text is made up but shaped like the real course.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

WEEKDAYS = ("monday", "wednesday", "friday")
OFFSETS = (0, 2, 4)
ARXIV = "https://arxiv.org/abs/1901."


def course(sessions: int) -> str:
    start = dt.date(2030, 1, 7)  # a Monday
    # The term ends on the day of the last session, so no meeting has a week without its session.
    week, slot = divmod(max(0, sessions - 1), 3)
    end = start + dt.timedelta(weeks=week, days=OFFSETS[slot])
    out = [
        "schema: 1",
        "course:",
        f"  id: generated-{sessions}",
        f"  title: Generated course with {sessions} sessions",
        "  timezone: America/New_York",
        f"  term_start: {start}",
        f"  term_end: {end}",
        "meetings:",
    ]
    for day in WEEKDAYS:
        out += [
            f"  - id: {day}",
            f"    weekday: {day}",
            '    start: "19:10"',
            '    end: "21:00"',
            "    location: Room 102",
        ]
    out += ["  - id: office-hours", "    weekday: tuesday", '    start: "09:30"', '    end: "11:00"']
    out.append("sessions:")
    for n in range(sessions):
        week, slot = divmod(n, 3)
        date = start + dt.timedelta(weeks=week, days=OFFSETS[slot])
        out += [
            f"  - id: s{n}",
            f"    week: {week + 1}",
            f"    date: {date}",
            f"    meeting: {WEEKDAYS[slot]}",
            f"    label: L{n}",
            f"    title: Session {n} on the geometry of optimization",
            f"    slides: https://example.org/slides/{n}.pdf",
            f"    refs: r{n}",
        ]
    out.append("reading_lists:")
    for n in range(sessions):
        out += [f"  - id: r{n}", "    main:"]
        out += [
            f"      - {{title: Reference {k} of session {n}, authors: A. Author et al, url: {ARXIV}{n % 10000:04d}{k}}}"
            for k in range(10)
        ]
    out.append("deadlines:")
    for n in range(max(1, sessions // 10)):
        day = start + dt.timedelta(days=(n * 7) % max(1, (end - start).days))
        out += [f"  - id: d{n}", f"    title: Assignment {n}", f"    due: {day}", '    time: "23:59"']
    return "\n".join(out) + "\n"


def main() -> None:
    sessions = int(sys.argv[1])
    text = course(sessions)
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
