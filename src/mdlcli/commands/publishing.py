"""The course page as Markdown, as HTML, and the whole folder to publish."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from mdlcli.errors import UsageError
from mdlcli.textsafe import clean

from .common import CourseOpt, ForceOpt, NowOpt, commands, now_for, one_course, write_export

OutputOpt = Annotated[
    str | None, typer.Option("-o", "--output", metavar="PATH", help="Where to write. Default: stdout.")
]


@commands.command("export-md")
def export_md(course: CourseOpt = None, output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Write the course page as GitHub-flavoured Markdown.

    Logistics, people, links, description, syllabus, prerequisites, grading, the schedule with
    links to each reading list, the reading lists, deadlines and exams, the parallel curriculum.
    """
    from mdlcli.markdown import to_markdown, written_by_mdl

    c = one_course(course)
    _write_page(to_markdown(c, Path(c.path).name).encode(), output, written_by_mdl, force)


def _web_address(value: str | None, option: str) -> str | None:
    """An http(s) address, percent-encoded where a browser would need it (a space, a letter
    beyond ASCII), so that every link made from it works; one that is no address is refused."""
    if value is None:
        return None
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(value)
        # Reading the port checks it: a port that is no number raises, as an unclosed IPv6 bracket does.
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid or not value.isprintable() or " " in parts.netloc or not parts.netloc.isascii():
        raise UsageError(f"{option}: {value!r} is not a web address (http:// or https://)")
    path, query = (urllib.parse.quote(x, safe="/%:@!$&'()*+,;=~") for x in (parts.path, parts.query))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def _folder_address(value: str | None) -> str | None:
    """--base-url: where a folder is served from, so that its files' addresses are made by
    appending their names: with no query or fragment, and ending in "/"."""
    address = _web_address(value, "--base-url")
    if address is None:
        return None
    if "?" in address or "#" in address:
        raise UsageError(
            f"--base-url: {value!r} has a query or a fragment; give the folder's address (https://example.edu/course/)"
        )
    return address if address.endswith("/") else address + "/"


@commands.command("export-html")
def export_html(
    course: CourseOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    ics_url: Annotated[
        str | None,
        typer.Option(
            "--ics-url",
            metavar="URL",
            help="Where the course calendar is published: the page links to it for subscribing (webcal://).",
        ),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Write the course page as one self-contained HTML file.

    The same content as export-md, with this week's sessions highlighted, readable on a phone and
    printed, and the course as schema.org structured data (JSON-LD) for search engines.
    """
    from mdlcli.htmlpage import to_html, written_by_mdl

    c = one_course(course)
    page = to_html(c, Path(c.path).name, now_for([c], now, dt.UTC), _web_address(ics_url, "--ics-url"))
    _write_page(page.encode(), output, written_by_mdl, force)


def _write_page(page: bytes, output: str | None, is_ours: Callable[[bytes], bool], force: bool) -> None:
    """A page to stdout, or to a file that is new or one mdl wrote (--force: any file)."""
    target = None if output is None or output == "-" else Path(output)
    write_export(page, target, is_ours, force)
    if target is not None:
        sys.stdout.write(clean(f"wrote {output}") + "\n")


@commands.command("export-site")
def export_site(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to publish (made if missing).")],
    course: CourseOpt = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where DIR will be served from: the page then offers a webcal:// subscription to the calendar.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files in DIR that mdl did not write.")] = False,
    now: NowOpt = None,
) -> None:
    """Write everything to publish a course into one folder, ready for any static host.

    index.html (the page), README.md (the same page in Markdown), COURSE.ics (the calendar),
    COURSE.bib (every reading list) and COURSE.yaml (the course file, for `mdl add URL`), where
    COURSE is the course id. A file whose content would not change is not rewritten.
    """
    from mdlcli.files import entry_in, make_folder, read_own_file, write_atomically
    from mdlcli.site import SiteInput, site_content, site_files
    from mdlcli.store import modified_at, read_course_bytes

    c = one_course(course)
    base = _folder_address(base_url)
    make_folder(folder)
    files = site_files(c)
    # Every file in the way is checked before any is written: a refusal leaves the folder as it was.
    before = {}
    for f in files:
        found = read_own_file(entry_in(folder, f.name), f.is_ours, force, follow=False)
        if found is not None:
            before[f.name] = found
    path = Path(c.path)
    given = SiteInput(
        course=c,
        source=read_course_bytes(path),
        source_name=path.name,
        modified=modified_at(path),
        now=now_for([c], now, dt.UTC),
        base_url=base,
    )
    content = site_content(given, before)
    written = []
    for f in files:
        if f.name in before and f.same(before[f.name], content[f.name]):
            continue
        write_atomically(entry_in(folder, f.name), content[f.name])
        written.append(f.name)
    unchanged = len(files) - len(written)
    summary = f"wrote {', '.join(written)}" if written else "wrote nothing"
    sys.stdout.write(clean(f"{folder}: {summary}" + (f" ({unchanged} unchanged)" if unchanged else "")) + "\n")
