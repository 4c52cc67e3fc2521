"""Write an LMS-shaped calendar feed of N events: weekly classes of several courses and their work.

    python bench/make_feed.py N [PATH]      (PATH defaults to stdout)

Shaped like a Canvas feed (its PRODID, `event-assignment-…` UIDs, `Title [CODE]` summaries, UTC
times, HTML descriptions): a tenth of the events are assignments, the rest single class events.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

CODES = ("ML101", "STAT200", "CS240", "MATH310", "PHYS150")


def feed(events: int) -> str:
    start = dt.datetime(2030, 1, 7, 14, 0, tzinfo=dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Instructure Inc.//Canvas LMS//EN",
        "X-WR-CALNAME:Generated feed",
    ]
    for n in range(events):
        code = CODES[n % len(CODES)]
        moment = start + dt.timedelta(hours=7 * n)
        stamp = f"{moment:%Y%m%dT%H%M%SZ}"
        if n % 10 == 9:
            uid, summary, end = f"event-assignment-{n}", f"Homework {n // 10} [{code}]", stamp
        else:
            uid, summary = f"event-calendar-event-{n}", f"Class {n} [{code}]"
            end = f"{moment + dt.timedelta(hours=1):%Y%m%dT%H%M%SZ}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20291201T000000Z",
            f"DTSTART:{stamp}",
            f"DTEND:{end}",
            f"SUMMARY:{summary}",
            "DESCRIPTION:<p>Read <b>chapter</b> 3 &amp; bring questions.</p>",
            f"LOCATION:Room {n % 40}",
            "SEQUENCE:0",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


if __name__ == "__main__":
    text = feed(int(sys.argv[1]))
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
