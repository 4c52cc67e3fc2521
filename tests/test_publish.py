"""Publishing a course: `mdl export-md` writes the course page, parsed back here with a real Markdown parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .conftest import BUNDLED, FIXTURES, ROOT, Run, write_course

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


def test_written_atomically_and_never_over_a_file_mdl_did_not_write(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("my own notes\n", encoding="utf-8")
    refused = run("export-md", "-o", str(target))
    assert refused.exit_code == 1 and "was not written by mdl; use --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    assert run("export-md", "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!-- Written by mdl from mathsdl-spring19.yaml")
    again = run("export-md", "-o", str(target))
    assert again.exit_code == 0 and again.stdout == f"wrote {target}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
