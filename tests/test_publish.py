"""Publishing a course: the Markdown and HTML pages, parsed back with real parsers, and the site folder."""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import json
import re
import threading
import urllib.request
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import bibtexparser
import html5lib
import icalendar
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .conftest import BUNDLED, FIXTURES, ROOT, Run, write_course
from .test_seed_facts import FACTS

REAL = ROOT / "data" / "starter-course.yaml"


def parse(page: str) -> list[Token]:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(page)


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    found: list[list[list[str]]] = []
    row: list[str] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            found.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type in ("th_open", "td_open"):
            row.append(tokens[i + 1].content if tokens[i + 1].type == "inline" else "")
        elif t.type == "tr_close":
            found[-1].append(row)
    return found


def links(tokens: list[Token]) -> list[str]:
    hrefs = []
    for t in tokens:
        for child in t.children or []:
            if child.type == "link_open":
                hrefs.append(str(child.attrs["href"]))
    return hrefs


def anchors(page: str) -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', page))


def urls_of(course: Path) -> set[str]:
    return set(re.findall(r"https?://[^\s\"']+", course.read_text(encoding="utf-8")))


@pytest.mark.parametrize("course", [BUNDLED, REAL, FIXTURES / "rich.yaml"], ids=lambda p: p.stem)
def test_the_page_parses_with_whole_tables_resolving_links_and_only_the_course_urls(run: Run, course: Path) -> None:
    page = run("export-md", "--course", str(course)).stdout
    tokens = parse(page)
    schedule = next(t for t in tables(tokens) if t[0][:3] == ["Week", "Date", "Topic"])
    sessions = len(
        re.findall(
            r"^  - id: ",
            course.read_text(encoding="utf-8").split("sessions:")[1].split("reading_lists:")[0],
            re.MULTILINE,
        )
    )
    assert len(schedule) == 1 + sessions
    assert all(len(row) == 5 for row in schedule)
    hrefs = links(tokens)
    internal = [h[1:] for h in hrefs if h.startswith("#")]
    assert internal and set(internal) <= anchors(page)
    external = {h for h in hrefs if not h.startswith("#")}
    assert external <= urls_of(course)


def test_the_bundled_page_carries_every_fact_of_the_original(run: Run) -> None:
    page = run("export-md").stdout
    for fact in (
        "# Mathematics of Deep Learning", "CSCI-GA 3033", "NYU", "Spring 2019", "Joan Bruna", "bruna@cims.nyu.edu",
        "Luca Venturi", "lv800@nyu.edu", "Mondays, 19:10–21:00", "CIWW 102", "Fridays, 11:00–12:15", "CIWW 101",
        "Tuesdays, 09:30–11:00", "Graph Neural Network Applications", "Spring Break", "Arthur Szlam", "Leon Bottou",
        "Behnam Neyshabur", "Final project", "Detailed project abstract", "TBA", "by email to the instructors",
        "Neural Message Passing for Quantum Chemistry", "Class 1: ", "surounding", "Multivariate Calculus",
    ):  # fmt: skip
        assert fact in page, fact
    assert urls_of(BUNDLED) <= set(re.findall(r"\((https?://[^)\s]+)\)", page)) | {
        u for u in urls_of(BUNDLED) if "(" in u or ")" in u
    }


def test_hostile_text_comes_out_inert(run: Run, tmp_path: Path) -> None:
    """Markdown and HTML in course text are text: no heading, link, image or raw HTML is made of them."""
    hostile = "# Title [x](https://evil.example) <script>alert(1)</script> **bold** | pipe"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("title: Introduction", f"title: {hostile!r}")
    text = text.replace("title: Demo Course", 'title: "<img src=x onerror=alert(1)>"')
    path = write_course(tmp_path, text)
    page = run("export-md", "--course", str(path)).stdout
    tokens = parse(page)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline") and "script" in t.content]
    assert all(t.type != "html_inline" for t in tokens for t in (t.children or []) if "img" in t.content)
    assert "https://evil.example" not in links(tokens)
    schedule = next(t for t in tables(tokens) if t[0][:3] == ["Week", "Date", "Topic"])
    assert len(schedule[1]) == 5  # the pipe in the title did not split the row
    assert [t.content for t in tokens if t.type == "inline" and t.map and t.content.startswith("<img")] == []


@pytest.mark.parametrize(
    ("command", "name", "signature"),
    [
        ("export-md", "README.md", "<!-- Written by mdl from mathsdl-spring19.yaml"),
        ("export-html", "index.html", "<!DOCTYPE html>\n<!-- Written by mdl from mathsdl-spring19.yaml"),
    ],
)
def test_written_atomically_and_never_over_a_file_mdl_did_not_write(
    run: Run, tmp_path: Path, command: str, name: str, signature: str
) -> None:
    target = tmp_path / name
    target.write_text("my own notes\n", encoding="utf-8")
    refused = run(command, "-o", str(target))
    assert refused.exit_code == 1 and "was not written by mdl; --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    assert run(command, "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(signature)
    again = run(command, "-o", str(target))
    assert again.exit_code == 0 and again.stdout == f"wrote {target}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# -- the round trip: every fact of the page, as `mdl` prints it, is on the Markdown page --------------

# Kinds of session are the database's words for a row, not facts the page prints.
_KIND_WORDS = {"lecture", "guest-lecture", "break"}


def page_text(page: str) -> tuple[str, set[str]]:
    """The Markdown page as a reader sees it (rendered, tags gone, spaces folded) and its link targets."""
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", rendered))
    return " ".join(text.split()).casefold(), set(re.findall(r'href="([^"]+)"', html.unescape(rendered)))


def test_every_fact_probe_of_the_bundled_course_is_on_the_markdown_page(run: Run) -> None:
    text, hrefs = page_text(run("export-md").stdout)
    missing = [
        (command, field)
        for command, fact in FACTS
        for field in fact.split("\t")
        if field and field not in _KIND_WORDS and field.casefold() not in text and field not in hrefs
    ]
    assert missing == []


# -- export-html ---------------------------------------------------------------------------------------

COURSES = [BUNDLED, REAL, FIXTURES / "rich.yaml"]


def parse_html(page: str) -> ElementTree.Element:
    """Parsed as a browser would, but strictly: any parse error (bad nesting, stray tag) fails."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def json_ld(document: ElementTree.Element) -> dict[str, Any]:
    [script] = [s for s in document.iter("script") if s.get("type") == "application/ld+json"]
    loaded: dict[str, Any] = json.loads(script.text or "")
    return loaded


@pytest.mark.parametrize("course", COURSES, ids=lambda p: p.stem)
def test_the_html_page_is_valid_self_contained_and_links_only_the_course(run: Run, course: Path) -> None:
    result = run("export-html", "--course", str(course), "--now", "2019-02-27")
    assert result.exit_code == 0, result.stderr
    document = parse_html(result.stdout)
    assert document.find("head/meta[@name='viewport']") is not None
    # Nothing is fetched to show it: no stylesheet, script, image, frame or font from elsewhere.
    assert [e.tag for e in document.iter() if e.get("src") is not None] == []
    # The icon is inline (the browser's favicon.ico probe is not made); no canonical without --base-url.
    assert [(e.get("rel"), str(e.get("href"))[:19]) for e in document.iter("link")] == [("icon", "data:image/svg+xml,")]
    # Scripts: the structured data, the facts of the week and the page's own, inline.
    assert [s.get("type") for s in document.iter("script")] == ["application/ld+json", "application/json", None]
    assert all(s.get("src") is None for s in document.iter("script"))
    hrefs = [str(a.get("href")) for a in document.iter("a")]
    ids = {str(e.get("id")) for e in document.iter() if e.get("id")}
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids
    external = {h for h in hrefs if h.startswith("http")}
    assert external == urls_of(course)
    # The same content as the Markdown page: every schedule row, every reading list.
    schedule = document.find(".//section[@id='schedule']//tbody")
    assert schedule is not None
    markdown_rows = next(
        t for t in tables(parse(run("export-md", "--course", str(course)).stdout)) if t[0][0] == "Week"
    )
    assert len(schedule.findall("tr")) == len(markdown_rows) - 1


def test_json_ld_describes_the_bundled_course_and_its_weekly_schedule(run: Run) -> None:
    data = json_ld(parse_html(run("export-html").stdout))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Course"
    assert (data["name"], data["courseCode"]) == ("Mathematics of Deep Learning", "CSCI-GA 3033")
    assert data["provider"] == {"@type": "Organization", "name": "NYU"}
    [instance] = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert [p["name"] for p in instance["instructor"]] == ["Joan Bruna", "Luca Venturi"]
    lecture, tutoring, office_hours = instance["courseSchedule"]
    # The lectures meet on the table's Wednesdays (as the calendar has them); Spring Break is off.
    assert lecture == {
        "@type": "Schedule",
        "name": "Lecture",
        "repeatFrequency": "P1W",
        "byDay": "https://schema.org/Wednesday",
        "startTime": "19:10",
        "endTime": "21:00",
        "scheduleTimezone": "America/New_York",
        "startDate": "2019-01-23",
        "endDate": "2019-05-01",
        "exceptDate": ["2019-03-13"],
    }
    assert (tutoring["byDay"], tutoring["startTime"], tutoring["exceptDate"]) == (
        "https://schema.org/Friday", "11:00", ["2019-03-15"],
    )  # fmt: skip
    assert (office_hours["byDay"], office_hours["endDate"], office_hours["exceptDate"]) == (
        "https://schema.org/Tuesday", "2019-04-30", ["2019-03-12"],
    )  # fmt: skip


def test_json_ld_of_a_course_with_an_exam_and_a_cancellation_leaves_those_days_out(run: Run) -> None:
    data = json_ld(parse_html(run("export-html", "--course", str(REAL)).stdout))
    schedules = {s["name"]: s for s in data["hasCourseInstance"][0]["courseSchedule"]}
    tuesday, thursday = schedules["Lecture"], schedules["Lecture (Thursday)"]
    assert "2027-02-09" in tuesday["exceptDate"]  # the midterm, 18:00-20:00, takes the lecture's place
    assert {"2027-01-28", "2027-02-11"} <= set(thursday["exceptDate"])  # cancelled; holiday
    assert all(s["scheduleTimezone"] == "America/Chicago" for s in schedules.values())


@pytest.mark.parametrize(
    ("now", "highlighted"),
    [
        ("2019-02-27T08:00", ["6"]),  # Lec5's week, before it
        ("2019-03-03T23:00", ["6"]),  # the Sunday ending that week
        ("2019-03-13", ["8"]),  # Spring Break
        ("2018-12-01", []),  # before the term: nothing is this week
    ],
)
def test_this_week_is_highlighted_relative_to_now(run: Run, now: str, highlighted: list[str]) -> None:
    document = parse_html(run("export-html", "--now", now).stdout)
    rows = [r for r in document.iter("tr") if "this-week" in (r.get("class") or "").split()]
    assert [r[0].text for r in rows] == highlighted
    assert (document.find(".//*[@id='this-week']") is not None) == bool(highlighted)


def test_the_subscribe_link_is_webcal_and_the_download_the_address_given(run: Run) -> None:
    document = parse_html(run("export-html", "--ics-url", "https://example.edu/mdl/course.ics").stdout)
    links = {a.text: a.get("href") for a in document.iter("a")}
    assert links["Subscribe to the calendar"] == "webcal://example.edu/mdl/course.ics"
    assert links["download it"] == "https://example.edu/mdl/course.ics"
    assert not any("Subscribe" in (a.text or "") for a in parse_html(run("export-html").stdout).iter("a"))
    refused = run("export-html", "--ics-url", "javascript:alert(1)")
    assert refused.exit_code == 2 and refused.stderr.startswith("error: --ics-url: ")


VALID_HOSTILE = [p for p in sorted((ROOT / "tests" / "hostile").glob("*.yaml")) if "expect: valid" in p.read_text()]


@pytest.mark.parametrize("course", VALID_HOSTILE, ids=lambda p: p.stem)
def test_hostile_text_is_inert_in_html_and_markdown(run: Run, course: Path) -> None:
    page = run("export-html", "--course", str(course))
    assert page.exit_code == 0, page.stderr
    document = parse_html(page.stdout)
    assert [e.tag for e in document.iter() if e.tag in ("img", "iframe", "object", "embed", "svg", "form")] == []
    assert [(e.tag, k) for e in document.iter() for k in e.attrib if k.startswith("on")] == []
    assert all(str(a.get("href")).startswith(("http://", "https://", "#", "mailto:")) for a in document.iter("a"))
    json_ld(document)  # the structured data still loads: nothing in it ended the script early
    tokens = parse(run("export-md", "--course", str(course)).stdout)
    assert [t.content for t in tokens if t.type == "html_block" or "html" in t.type] == [
        t.content for t in tokens if t.type == "html_block" and t.content.startswith(("<!-- Written by mdl", "<a id="))
    ]
    inline_html = [c.content for t in tokens for c in (t.children or []) if c.type == "html_inline"]
    assert all(re.fullmatch(r'<a id="[^"]+">|</a>', h) for h in inline_html), inline_html


def test_a_title_that_would_end_the_json_ld_script_stays_inside_it(run: Run, tmp_path: Path) -> None:
    title = '</script><script>alert(1)</script> & "quotes"'
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("title: Demo Course", f"title: {title!r}")
    document = parse_html(run("export-html", "--course", str(write_course(tmp_path, text))).stdout)
    assert json_ld(document)["name"] == title
    assert [s.get("type") for s in document.iter("script")] == ["application/ld+json", "application/json", None]
    assert json.loads(document.findall(".//script")[1].text or "")["zone"] == "Europe/Paris"
    assert document.findtext("head/title") == title


# -- export-site ------------------------------------------------------------------------------------

SITE_FILES = ["README.md", "index.html", "mathsdl-spring19.bib", "mathsdl-spring19.ics", "mathsdl-spring19.yaml"]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each file's bytes, modification time and inode: a rewrite shows in the last two even if the bytes agree."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in sorted(folder.iterdir())}


def test_the_site_holds_every_file_and_a_second_run_rewrites_nothing(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "public"
    first = run("export-site", str(site), "--base-url", "https://example.edu/mathsdl")
    assert first.exit_code == 0, first.stderr
    assert sorted(p.name for p in site.iterdir()) == SITE_FILES
    assert (site / "mathsdl-spring19.yaml").read_bytes() == BUNDLED.read_bytes()
    assert (site / "README.md").read_text(encoding="utf-8") == run("export-md").stdout
    links = {a.text: a.get("href") for a in parse_html((site / "index.html").read_text(encoding="utf-8")).iter("a")}
    assert links["Subscribe to the calendar"] == "webcal://example.edu/mathsdl/mathsdl-spring19.ics"
    calendar = icalendar.Calendar.from_ical((site / "mathsdl-spring19.ics").read_bytes())
    exported = icalendar.Calendar.from_ical(run("export-ics", "-o", "-").stdout_bytes)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [str(e["UID"]) for e in exported.walk("VEVENT")]
    assert len([e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-lec")]) == 12
    bib = bibtexparser.loads((site / "mathsdl-spring19.bib").read_text(encoding="utf-8"))
    every_reference = bibtexparser.loads(run("refs", "--bibtex").stdout)
    assert [e["ID"] for e in bib.entries] == [e["ID"] for e in every_reference.entries] != []
    before = snapshot(site)
    # A later moment in the same week: only DTSTAMP would differ, so the calendar stays too.
    second = run("export-site", str(site), "--base-url", "https://example.edu/mathsdl/", "--now", "2026-12-01")
    assert second.exit_code == 0, second.stderr
    assert second.stdout == f"{site}: wrote nothing (5 unchanged)\n"
    assert snapshot(site) == before


def test_an_edit_rewrites_only_what_it_changes_and_the_calendar_event_is_updated(run: Run, tmp_path: Path) -> None:
    course = write_course(tmp_path, REAL.read_text(encoding="utf-8"))
    site = tmp_path / "site"
    assert run("export-site", str(site), "--course", str(course)).exit_code == 0
    before = snapshot(site)
    course.write_text(course.read_text(encoding="utf-8").replace("title: Neural networks", "title: Deep networks"))
    again = run("export-site", str(site), "--course", str(course))
    assert again.exit_code == 0, again.stderr
    after = snapshot(site)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["README.md", "index.html", "intro-ml-2027.ics", "intro-ml-2027.yaml"]
    assert again.stdout == f"{site}: wrote index.html, README.md, intro-ml-2027.ics, intro-ml-2027.yaml (1 unchanged)\n"
    events = {
        str(e["UID"]): (int(e["SEQUENCE"]), str(e["SUMMARY"]))
        for e in icalendar.Calendar.from_ical(after["intro-ml-2027.ics"][0]).walk("VEVENT")
    }
    before_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(before["intro-ml-2027.ics"][0]).walk("VEVENT")}
    assert set(events) == before_uids  # the same events, updated in place
    assert [summary for sequence, summary in events.values() if sequence == 1] == ["L6: Deep networks"]
    assert {sequence for sequence, summary in events.values() if "Deep networks" not in summary} == {0}


def test_a_file_mdl_did_not_write_stops_the_site_before_anything_is_written(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "README.md").write_text("# my notes\n", encoding="utf-8")
    refused = run("export-site", str(site))
    assert refused.exit_code == 1
    assert refused.stderr == f"error: {site / 'README.md'}: exists and was not written by mdl; --force replaces it\n"
    assert sorted(p.name for p in site.iterdir()) == ["README.md"]
    other_course = (FIXTURES / "minimal.yaml").read_bytes()
    (site / "README.md").unlink()
    (site / "mathsdl-spring19.yaml").write_bytes(other_course)  # another course's file under this name
    assert run("export-site", str(site)).exit_code == 1
    assert (site / "mathsdl-spring19.yaml").read_bytes() == other_course
    forced = run("export-site", str(site), "--force")
    assert forced.exit_code == 0 and sorted(p.name for p in site.iterdir()) == SITE_FILES
    # An earlier copy of the same course is mdl's to replace.
    older = BUNDLED.read_text(encoding="utf-8").replace("term: Spring 2019", "term: Spring 19")
    (site / "mathsdl-spring19.yaml").write_text(older, encoding="utf-8")
    assert run("export-site", str(site)).stdout == f"{site}: wrote mathsdl-spring19.yaml (4 unchanged)\n"


def test_a_student_follows_the_published_site(run: Run, tmp_path: Path) -> None:
    """Served by a static web server on 127.0.0.1, the course file is one `mdl add` away."""
    site = tmp_path / "site"
    handler = functools.partial(QuietFiles, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert run("export-site", str(site), "--base-url", base).exit_code == 0
        added = run("add", base + "mathsdl-spring19.yaml")
        assert added.exit_code == 0, added.stderr
        with urllib.request.urlopen(base + "mathsdl-spring19.ics", timeout=10) as response:  # noqa: S310
            assert response.read() == (site / "mathsdl-spring19.ics").read_bytes()
    finally:
        server.shutdown()
        server.server_close()
    assert "mathsdl-spring19" in run("courses").stdout
    assert "lecture\tLec5 Graph Neural Network Applications" in run("next", "--now", "2019-02-26").stdout


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """Quiet: a test's output is its assertions."""


def test_export_site_needs_a_web_address_for_its_base(run: Run, tmp_path: Path) -> None:
    refused = run("export-site", str(tmp_path / "s"), "--base-url", "example.edu")
    assert refused.exit_code == 2 and refused.stderr.startswith("error: --base-url: ")
    assert not (tmp_path / "s").exists()


def test_page_facts_and_json_ld_at_the_seam() -> None:
    """The shared page facts, and the JSON-LD text, without the command line."""
    from mdlcli.htmlpage import json_ld_text
    from mdlcli.page import schedule_rows, weekly_schedules
    from mdlcli.store import load_course

    course = load_course(REAL, None)
    rows = {r.session.id: r for r in schedule_rows(course)}
    assert (rows["midterm"].times, rows["midterm"].room, rows["midterm"].kind) == (
        "18:00–20:00 CST",
        "Exam Hall 1",
        "exam",
    )
    assert rows["holiday"].days == (dt.date(2027, 2, 11), dt.date(2027, 2, 11)) and rows["holiday"].times is None
    office = next(w for w in weekly_schedules(course) if w.title == "Office Hours")
    assert office.weekdays == ("Wednesday",) and all(d.weekday() == 2 for d in office.except_dates)
    text = json_ld_text(course)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == course.title


# -- what a course site has ------------------------------------------------------------------------


def shown(element: ElementTree.Element) -> str:
    """An element's text as a browser lays it out in a line: a line break or tag between words is a space."""
    markup = ElementTree.tostring(element, encoding="unicode", method="html")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_page_opens_with_announcements_newest_first_then_the_week_and_contents(run: Run) -> None:
    document = parse_html(run("export-html", "--course", str(REAL), "--now", "2027-01-27T12:00").stdout)
    main = document.find(".//main")
    assert main is not None
    sections = [str(s.get("id")) for s in main.findall("section")]
    assert sections[:3] == ["announcements", "due-soon", "logistics"]
    assert sections.index("deadlines") < sections.index("reading-lists")  # deadlines before the 60 references
    announced = [shown(li) for li in main.iter("li") if li.find("time") is not None]
    assert announced == [
        "Wed 2027-01-20 Homework 1 is out Due Friday 22 January at 17:00, on the forum.",
        "Mon 2027-01-11 Welcome The first lecture is on Tuesday 19 January in Hall A.",
    ]
    toc = document.find(".//nav[@aria-label='Contents']")
    assert toc is not None
    assert [a.get("href") for a in toc.iter("a")] == [f"#{s}" for s in sections]
    # Each section's heading is its own anchor; the skip link leads past the header.
    assert all(
        s.find("h2/a") is not None and s.find("h2/a").get("href") == f"#{s.get('id')}" for s in main.findall("section")
    )  # type: ignore[union-attr]
    assert document.find(".//body/a[@class='skip']").get("href") == "#main"  # type: ignore[union-attr]
    due = document.find(".//*[@id='due-soon-now']")
    assert due is not None
    assert [shown(li) for li in due.iter("li")] == [
        "Fri 2027-01-29 due 17:00 CST deadline Homework 2 (on the forum) (in 2 days)",
        "Fri 2027-02-05 due 17:00 CST deadline Homework 3 (on the forum) (in 9 days)",
        "Tue 2027-02-09 18:00–20:00 CST exam Midterm Written exam on weeks 1 to 3, Exam Hall 1 (in 13 days)",
    ]


def test_people_show_pronouns_web_page_and_their_office_hours(run: Run) -> None:
    document = parse_html(run("export-html", "--course", str(REAL)).stdout)
    table = document.find(".//section[@id='people']//table")
    assert table is not None
    header = ["".join(th.itertext()) for th in table.iter("th")]
    assert header == ["Name", "Role", "Contact", "Office hours"]
    ada = [shown(td) for td in table.find("tbody/tr")]  # type: ignore[union-attr]
    assert ada == [
        "Ada Lovelace (she/her)",
        "Instructor",
        "ada@example.edu web page",
        "Wednesdays, 09:00–10:00 CST, no room given, from 2027-01-20 to 2027-02-17",
    ]
    hrefs = {a.text: a.get("href") for a in table.iter("a")}
    assert hrefs["web page"] == "https://people.example.edu/lovelace"


def test_the_weekly_grid_puts_each_regular_meeting_at_its_day_and_time(run: Run) -> None:
    document = parse_html(run("export-html").stdout)
    grids = [t for t in document.iter("table") if (t.findtext("caption") or "").startswith("Every week")]
    assert len(grids) == 1
    cells = [[shown(c) for c in row] for row in grids[0].iter("tr")]
    assert cells == [
        ["Time", "Tuesday", "Wednesday", "Friday"],
        ["09:30–11:00", "Office Hours", "", ""],
        ["11:00–12:15", "", "", "Tutoring Session with Parallel Curricula (CIWW 101) optional"],
        ["19:10–21:00", "", "Lecture (CIWW 102)", ""],
    ]


def test_a_deadline_shows_in_the_schedule_row_of_its_week(run: Run) -> None:
    document = parse_html(run("export-html", "--course", str(REAL)).stdout)
    rows = {row.get("data-days"): shown(row) for row in document.iter("tr")}
    first_of_week_2 = rows["2027-01-26 2027-01-26"]
    assert "Due: Homework 2, Fri 2027-01-29 17:00 CST" in first_of_week_2
    assert sum("Homework 2," in text for text in rows.values()) == 1


def test_export_site_links_its_files_and_names_its_address(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "public"
    assert run("export-site", str(site), "--base-url", "https://example.edu/maths dl").exit_code == 0
    document = parse_html((site / "index.html").read_text(encoding="utf-8"))
    base = "https://example.edu/maths%20dl/"
    assert document.find("head/link[@rel='canonical']").get("href") == base  # type: ignore[union-attr]
    assert document.find("head/meta[@property='og:url']").get("content") == base  # type: ignore[union-attr]
    assert json_ld(document)["url"] == base
    hrefs = {a.text: a.get("href") for a in document.iter("a")}
    assert hrefs["the calendar (.ics)"] == base + "mathsdl-spring19.ics"
    assert hrefs["the reading lists (BibTeX)"] == base + "mathsdl-spring19.bib"
    assert hrefs["the course file (YAML, for mdl add)"] == base + "mathsdl-spring19.yaml"
    assert hrefs["Subscribe to the calendar"] == "webcal://example.edu/maths%20dl/mathsdl-spring19.ics"
    # Without --base-url the files are linked beside the page, and there is no canonical address.
    assert run("export-site", str(tmp_path / "local")).exit_code == 0
    local = parse_html((tmp_path / "local" / "index.html").read_text(encoding="utf-8"))
    assert {a.get("href") for a in local.iter("a")} >= {"./mathsdl-spring19.bib", "./mathsdl-spring19.yaml"}
    assert local.find("head/link[@rel='canonical']") is None and "url" not in json_ld(local)


@pytest.mark.parametrize("address", ["https://example.edu/c/?term=2019", "https://example.edu/c/#top"])
def test_a_base_url_with_a_query_or_fragment_is_refused(run: Run, tmp_path: Path, address: str) -> None:
    refused = run("export-site", str(tmp_path / "s"), "--base-url", address)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: --base-url: {address!r} has a query or a fragment; give the folder's address (https://example.edu/course/)\n"
    )
    assert not (tmp_path / "s").exists()


def test_the_page_describes_itself_for_search_and_link_previews(run: Run) -> None:
    document = parse_html(run("export-html").stdout)
    meta = {m.get("name") or m.get("property"): str(m.get("content")) for m in document.iter("meta")}
    assert meta["description"].startswith("This Graduate-level topics course aims at offering a glimpse")
    assert meta["description"].endswith("(Topics course · CSCI-GA 3033 · NYU · Spring 2019)")
    assert len(meta["description"]) < 260
    assert (meta["og:title"], meta["og:type"]) == ("Mathematics of Deep Learning", "website")
    built = document.find(".//p[@class='built']")
    assert built is not None and "This page was made on" in "".join(built.itertext())
