"""The course page in a real browser: Debian's Chromium, driven by Selenium through ChromeDriver,
at a desktop's and a phone's width, in light and dark mode and in print, with axe-core (from the
npm registry, tests/browser/) injected to check accessibility. `.ci/run` installs all three.

The site is what `mdl export-site` writes, served by a static web server on 127.0.0.1; Chromium
is started with nothing of its own on the network, so the page is all it loads.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import json
import os
import re
import runpy
import shutil
import struct
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from .conftest import BUNDLED, ROOT, Run

REAL = ROOT / "data" / "starter-course.yaml"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}
SCHEMES = ("light", "dark")
# The page is built on one day; the script must show the reader's week on any other.
BUILT = "2019-01-10T12:00"

pytestmark = pytest.mark.slow


def _needed(name: str, found: str | None) -> str:
    if found is None:
        pytest.fail(f"the browser tests need {name}: .ci/run installs it (see its comments)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    chromium = _needed("Debian's chromium", shutil.which("chromium"))
    driver_path = _needed("Debian's chromium-driver", shutil.which("chromedriver"))
    _needed("axe-core (npm ci --prefix tests/browser)", str(AXE) if AXE.exists() else None)
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: use the given browser and driver, fetch nothing
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--force-device-scale-factor=1",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    # Every load asks the server again, so that a test sees each request the page makes.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        yield driver
    finally:
        driver.quit()


class Site:
    """A folder of export-site's served on 127.0.0.1, with the paths the browser asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[str] = []
        site = self

        class Files(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Quiet: `requests` says what was asked."""

            def do_GET(self) -> None:
                site.requests.append(self.path)
                super().do_GET()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Files, directory=folder))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module", params=[BUNDLED, REAL], ids=["bundled", "starter"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from typer.testing import CliRunner

    from mdlcli.cli import app

    served = Site(tmp_path_factory.mktemp("site"))
    try:
        args = ["export-site", str(served.folder), "--course", str(request.param), "--base-url", served.base]
        result = CliRunner().invoke(app, [*args, "--now", BUILT])
        assert result.exit_code == 0, result.output
        yield served
    finally:
        served.close()


def look(driver: webdriver.Chrome, width: int, scheme: str = "light", media: str = "") -> None:
    """The window as a device of `width` CSS pixels would show the page, in a colour scheme."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    features = [{"name": "prefers-color-scheme", "value": scheme}]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media, "features": features})


def open_at(driver: webdriver.Chrome, url: str, moment: str | None = None) -> None:
    """Load the page; `moment` pins the clock its script reads (window.mdlClock) before it runs."""
    pinned = None
    if moment is not None:
        source = f"window.mdlClock = function () {{ return new Date({json.dumps(moment)}); }};"
        pinned = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    try:
        driver.get(url)
    finally:
        if pinned is not None:
            driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", pinned)


# Each word (a run of non-space characters) of each text node in a table, and whether its boxes
# lie on more than one line: a word broken inside, as `We|ek` or `slid|es`.
BROKEN_WORDS = """
const broken = [];
for (const table of document.querySelectorAll("table")) {
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
}
return broken;
"""

SMALL_TARGETS = """
return [...document.querySelectorAll("a[href]")].filter(a => !a.classList.contains("skip")).map(a => {
  const r = a.getBoundingClientRect();
  return [a.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)];
}).filter(([, w, h]) => w < 24 || h < 24);
"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", WIDTHS)
def test_tables_never_break_a_word_and_the_phone_never_scrolls_sideways(
    browser: webdriver.Chrome, site: Site, device: str, scheme: str
) -> None:
    look(browser, WIDTHS[device], scheme)
    open_at(browser, site.base)
    assert browser.execute_script(BROKEN_WORDS) == []
    width, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, "the page scrolls sideways"
    # A table wider than the screen scrolls inside its own box.
    boxes = browser.execute_script(
        "return [...document.querySelectorAll('table')].map(t => "
        "[getComputedStyle(t.parentElement).overflowX, t.parentElement.getBoundingClientRect().right])"
    )
    assert boxes and all(overflow == "auto" and right <= width for overflow, right in boxes)
    assert browser.execute_script(SMALL_TARGETS) == []


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe(driver: webdriver.Chrome, **options: Any) -> list[tuple[str, list[str]]]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(r.violations.map(v => [v.id, v.nodes.map(n => n.html)])),"
        " e => done([['axe failed', [String(e)]]]));",
        options,
    )
    return [(rule, nodes) for rule, nodes in found]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", WIDTHS)
def test_axe_finds_no_a_or_aa_violation(browser: webdriver.Chrome, site: Site, device: str, scheme: str) -> None:
    look(browser, WIDTHS[device], scheme)
    open_at(browser, site.base)
    assert axe(browser, runOnly={"type": "tag", "values": AXE_TAGS}) == []
    # Body text at AAA (7:1), in both schemes: the page's colours are all chosen for it.
    assert axe(browser, runOnly={"type": "rule", "values": ["color-contrast-enhanced"]}) == []


def test_dark_mode_is_the_browsers_own_canvas(browser: webdriver.Chrome, site: Site) -> None:
    colours = {}
    for scheme in SCHEMES:
        look(browser, 1280, scheme)
        open_at(browser, site.base)
        colours[scheme] = browser.execute_script(
            "const s = getComputedStyle(document.documentElement); return [s.backgroundColor, s.color];"
        )
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    assert colours["dark"] != colours["light"] and "rgba(0, 0, 0, 0)" not in colours["dark"]


def lines_of(element: Any) -> list[str]:
    """The text of each paragraph and list item in a block, as a reader sees it."""
    return [" ".join("".join(e.itertext()).split()) for e in element.iter() if e.tag in ("p", "li")]


def build_time_blocks(run: Run, course: Path, moment: str) -> list[list[str]]:
    """The "This week" and "Due soon" lines that export-html writes for `moment`, without a script."""
    page = run("export-html", "--course", str(course), "--now", moment)
    assert page.exit_code == 0, page.stderr
    document = html5lib.parse(page.stdout, namespaceHTMLElements=False)
    blocks = [document.find(f".//*[@id='{ident}']") for ident in ("week-now", "due-soon-now")]
    return [lines_of(block) if block is not None else [] for block in blocks]


SCRIPT_BLOCKS = """
return ["week-now", "due-soon-now"].map(id => document.getElementById(id)).map(block => block
  ? [...block.querySelectorAll("p, li")].map(e => e.textContent.split(/\\s+/).filter(Boolean).join(" ")) : []);
"""


PINNED = [
    (BUNDLED, "2019-02-27T12:00:00-05:00"),  # Lec5's week, before it
    (BUNDLED, "2019-03-02T12:00:00-05:00"),  # the Saturday after it: "next" is Lec6
    (BUNDLED, "2019-03-13T12:00:00-04:00"),  # Spring Break
    (BUNDLED, "2019-04-29T08:00:00-04:00"),  # the final project is due this week
    (BUNDLED, "2019-01-05T12:00:00-05:00"),  # before the term
    (BUNDLED, "2019-06-01T12:00:00-04:00"),  # after it
    (REAL, "2027-01-27T12:00:00-06:00"),  # a cancelled lecture, a homework and an announcement
    (REAL, "2027-02-08T09:00:00-06:00"),  # the midterm, in the lecture's place
]


@pytest.mark.parametrize(("course", "moment"), PINNED, ids=[f"{c.stem}-{m[:10]}" for c, m in PINNED])
def test_the_week_the_script_shows_is_mdl_agendas_and_the_built_pages(
    browser: webdriver.Chrome, run: Run, tmp_path: Path, course: Path, moment: str
) -> None:
    built = run("export-html", "--course", str(course), "--now", BUILT, "-o", str(tmp_path / "page.html"))
    assert built.exit_code == 0, built.stderr
    look(browser, 1280)
    open_at(browser, (tmp_path / "page.html").as_uri(), moment)
    items = browser.execute_script(
        "return [...document.querySelectorAll('#week-now li')].map(li => [li.textContent, li.className])"
    )
    # The same as the page built at that moment says without a script...
    assert browser.execute_script(SCRIPT_BLOCKS) == build_time_blocks(run, course, moment)
    # ...and the same items as `mdl agenda` over that week, Monday to Sunday, in its order.
    day = dt.datetime.fromisoformat(moment).date()
    monday = day - dt.timedelta(days=day.weekday())
    agenda = run(
        "agenda", "--course", str(course), "--json", "--now", moment,
        "--from", monday.isoformat(), "--to", (monday + dt.timedelta(days=6)).isoformat(),
    )  # fmt: skip
    expected = json.loads(agenda.stdout)
    assert len(items) == len(expected)
    for (text, classes), entry in zip(items, expected, strict=True):
        assert entry["title"] in text and entry["kind"].replace("-", " ") in text
        assert ("cancelled" in classes.split()) == entry["cancelled"] == text.endswith("cancelled")


def test_the_week_says_what_comes_next_and_outside_the_term_when_it_starts_or_ended(
    browser: webdriver.Chrome, tmp_path: Path, run: Run
) -> None:
    page = tmp_path / "page.html"
    assert run("export-html", "--now", BUILT, "-o", str(page)).exit_code == 0
    said = {}
    for moment in ("2019-01-05T12:00:00-05:00", "2019-03-02T12:00:00-05:00", "2019-06-01T12:00:00-04:00"):
        open_at(browser, page.as_uri(), moment)
        said[moment[:10]] = " ".join(browser.execute_script(SCRIPT_BLOCKS)[0])
    assert said["2019-01-05"] == (
        "The term starts on Mon 2019-01-21. Mon 2018-12-31 to Sun 2019-01-06: Nothing is on this week. "
        "Next: Wed 2019-01-23 19:10–21:00 EST guest lecture Guest Lecture: Arthur Szlam (Facebook), CIWW 102"
    )
    assert said["2019-03-02"].endswith(
        "Next: Wed 2019-03-06 19:10–21:00 EST lecture Lec6 Unsupervised Learning under Geometric Priors. Implicit vs Explicit models. Optimal Transport models. Microcanonical Models. Open Problems, CIWW 102"
    )
    assert said["2019-06-01"] == "The term ended on Sun 2019-05-05."
    clock = browser.execute_script("return document.getElementById('week-clock').textContent")
    assert "your device’s clock" in clock


def test_every_link_resolves_and_nothing_else_is_fetched(browser: webdriver.Chrome, site: Site) -> None:
    site.requests.clear()
    look(browser, 1280)
    open_at(browser, site.base)
    # The browser asked for the page alone: no favicon.ico, no font, no script from elsewhere.
    assert site.requests == ["/"]
    hrefs = browser.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    ids = set(browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)"))
    local = []
    for href in hrefs:
        parts = urllib.parse.urlsplit(href)
        if parts.fragment and href.startswith(site.base):
            assert urllib.parse.unquote(parts.fragment) in ids, href
        elif parts.scheme in ("http", "webcal") and parts.netloc == urllib.parse.urlsplit(site.base).netloc:
            local.append(urllib.parse.urlunsplit(("http", *parts[1:])))
        else:
            assert parts.scheme in ("https", "http", "mailto"), href  # the course's own links, not fetched
    published = sorted(p.name for p in site.folder.iterdir() if p.suffix in (".ics", ".bib", ".yaml"))
    assert sorted({urllib.parse.urlsplit(u).path.rsplit("/", 1)[-1] for u in local}) == published
    for url in set(local):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
            assert response.status == 200 and response.read() == (site.folder / url.rsplit("/", 1)[-1]).read_bytes()


PAPER = round((8.27 - 2 * 0.4) * 96)


def test_print_keeps_headings_with_their_text_and_prints_addresses(browser: webdriver.Chrome, site: Site) -> None:
    # The width of A4 paper within Chromium's default margins: no table word breaks there either,
    # and nothing is wider than the paper.
    look(browser, PAPER, media="print")
    open_at(browser, site.base)
    assert browser.execute_script(BROKEN_WORDS) == []
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PAPER
    style = browser.execute_script(
        "const h = getComputedStyle(document.querySelector('main h2')), p = getComputedStyle(document.querySelector('main p'));"
        "const a = document.querySelector('main a[href^=\"http\"]');"
        "return [h.breakAfter, p.orphans, p.widows, getComputedStyle(document.querySelector('.toc')).display,"
        " getComputedStyle(a, '::after').content];"
    )
    assert style[:4] == ["avoid-page", "3", "3", "none"]
    assert "attr(href)" in style[4] or "http" in style[4]
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    assert pdf["data"]  # Chromium lays the page out for paper without an error


def test_the_page_parses_without_an_error_and_names_itself(site: Site) -> None:
    page = (site.folder / "index.html").read_text(encoding="utf-8")
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    head = document.find("head")
    assert head is not None
    meta = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
    assert meta["og:url"] == site.base and meta["og:type"] == "website" and meta["description"]
    links = {link.get("rel"): str(link.get("href")) for link in head.iter("link")}
    assert links["canonical"] == site.base and links["icon"].startswith("data:image/svg+xml,")
    assert re.search(r'<a class="skip" href="#main">', page) and html.unescape(page).count('id="main"') == 1


def test_the_readmes_pictures_of_the_page_are_made_by_docs_screenshots(tmp_path: Path) -> None:
    script = runpy.run_path(str(ROOT / "docs" / "screenshots.py"))
    script["page_pictures"](tmp_path)
    for name, size in script["PAGES"].items():
        data = (tmp_path / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == size
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/page.png)" in readme and "(docs/page-phone.png)" in readme
