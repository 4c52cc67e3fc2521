"""Trust, round 3: what a course's text or the files already in a folder can do to what mdl publishes."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from mdlcli.markdown import link
from mdlcli.site import SiteInput, course_id_of, site_content
from mdlcli.store import load_course

from .conftest import BUNDLED, FIXTURES, Run, one_clear_error
from .test_publish import SITE_FILES, links, parse, parse_html, tables

# -- 9. links are exact ----------------------------------------------------------------------------


@pytest.mark.parametrize("course_id", ["javascript:alert(1)", "week#1", "a?b", "x y"])
def test_the_page_links_its_calendar_as_a_file_beside_it(course_id: str) -> None:
    """Even an id that would read as a scheme, a fragment or a query opens the written calendar."""
    course = load_course(FIXTURES / "minimal.yaml")._replace(id=course_id)
    given = SiteInput(course, b"", "course.yaml", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime.now(dt.UTC), None)
    content = site_content(given, {})
    [subscribe] = [a for a in parse_html(content["index.html"].decode()).iter("a") if a.get("class") == "subscribe"]
    href = str(subscribe.get("href"))
    assert href.startswith("./") and "/" not in href[2:] and not set("#?: ") & set(href)
    from urllib.parse import unquote

    assert unquote(href[2:]) in content


def test_the_site_page_links_its_calendar(run: Run, tmp_path: Path) -> None:
    assert run("export-site", str(tmp_path / "site")).exit_code == 0
    page = parse_html((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert [a.get("href") for a in page.iter("a") if a.get("class") == "subscribe"] == ["./mathsdl-spring19.ics"]


URLS = [
    "https://x.example/a|b",
    "https://x.example/dir\\file",
    "https://x.example/?q=1&copy=2&amp;x",
    "https://x.example/*bold*",
    "https://x.example/<tag>",
    "https://x.example/with space",
    "https://x.example/(paren",
    "https://x.example/wiki/A_(b)",
    "https://x.example/a]b[c`d",
]


@pytest.mark.parametrize("url", URLS)
def test_a_markdown_link_points_exactly_at_its_url_and_keeps_its_table_row(url: str) -> None:
    from urllib.parse import unquote

    row = f"| {link('Title', url)} | after |"
    tokens = parse(f"| a | b |\n|---|---|\n{row}\n")
    [[_, cells]] = tables(tokens)
    assert len(cells) == 2 and cells[1] == "after"
    [href] = links(tokens)
    # markdown-it percent-encodes what a URL may not hold; decoded, it is the course's URL.
    assert unquote(href) == url


def test_export_md_links_survive_hostile_urls(run: Run, tmp_path: Path) -> None:
    from urllib.parse import unquote

    text = (FIXTURES / "rich.yaml").read_text(encoding="utf-8")
    first_url = next(line.split("url: ", 1)[1] for line in text.splitlines() if "url: https" in line)
    hostile = "https://x.example/a|b\\c&copy=(1)*"
    course = tmp_path / "course.yaml"
    course.write_text(text.replace(first_url, json.dumps(hostile), 1), encoding="utf-8")
    page = run("export-md", "--course", str(course))
    assert page.exit_code == 0, page.stderr
    assert hostile in [unquote(h) for h in links(parse(page.stdout))]


# -- 10. a foreign COURSE.yaml, recognised boundedly -----------------------------------------------


FOREIGN = {
    "deep": b"course: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "deep-unclosed": b"notes: " + b"{a: " * 100_000 + b"\n",
    "3-MB": b"notes:\n" + b"  - line of the user's notes\n" * 110_000 + b"course:\n  id: mathsdl-spring19\n",
    "3-MB-scalar": b"notes: |\n  " + b"x" * 3_000_000 + b"\n",
    "aliases": b"a: &a [x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\ncourse: *c\n",
}


@pytest.mark.parametrize("name", list(FOREIGN))
def test_a_foreign_course_yaml_is_refused_quickly(run: Run, tmp_path: Path, name: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    mine = site / "mathsdl-spring19.yaml"
    mine.write_bytes(FOREIGN[name])
    started = time.monotonic()
    error = one_clear_error(run("export-site", str(site)))
    assert time.monotonic() - started < 1.0
    assert "not written by mdl; --force" in error
    assert mine.read_bytes() == FOREIGN[name] and sorted(p.name for p in site.iterdir()) == [mine.name]


def test_the_course_id_is_read_from_the_first_events_only() -> None:
    assert course_id_of(BUNDLED.read_bytes()) == "mathsdl-spring19"
    assert course_id_of(b"{course: {title: T, id: 'x'}}") == "x"
    assert course_id_of(b"course: {id: [x]}") is None
    for data in FOREIGN.values():
        started = time.monotonic()
        assert course_id_of(data) is None
        assert time.monotonic() - started < 0.5


# -- 11. nothing outside DIR is written; -o follows the user's link ----------------------------------


def test_a_symlink_in_the_site_folder_is_replaced_by_a_file_never_written_through(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    outside = tmp_path / "precious.html"
    outside.write_text("mine\n", encoding="utf-8")
    (site / "index.html").symlink_to(outside)
    refused = one_clear_error(run("export-site", str(site)))
    assert "is a symbolic link, not written by mdl; --force" in refused
    assert run("export-site", str(site), "--force").exit_code == 0
    assert outside.read_text(encoding="utf-8") == "mine\n"
    assert not (site / "index.html").is_symlink() and "<html" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in site.iterdir()) == SITE_FILES


@pytest.mark.parametrize("command", [["export-ics"], ["export-md"], ["export-html"]])
def test_o_follows_a_link_and_the_ownership_rule_holds_for_the_file_behind_it(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("the user's own\n", encoding="utf-8")
    link_path = tmp_path / "out"
    link_path.symlink_to(theirs)
    assert "not written by mdl; --force" in one_clear_error(run(*command, "-o", str(link_path)))
    assert theirs.read_text(encoding="utf-8") == "the user's own\n"
    assert run(*command, "-o", str(link_path), "--force").exit_code == 0
    assert link_path.is_symlink() and theirs.read_text(encoding="utf-8") != "the user's own\n"
    assert run(*command, "-o", str(link_path)).exit_code == 0  # now mdl's: replaced without --force
    assert link_path.is_symlink()
