"""Render the README's pictures from the real commands: `python docs/screenshots.py docs`.

The terminal pictures are what `mdl` prints on an 80-column terminal (the default) at a pinned
moment (Monday of week 6), recorded with Rich and saved as SVG. The test suite runs this script and
compares them with the committed pictures, so a picture can never show a command that no longer works.

The course page's pictures are what `mdl export-html` writes, shown by headless Chromium
(Debian's `chromium` and `chromium-driver`, driven by Selenium) at a desktop's and a phone's
width, with the page's clock pinned to the same moment so that "This week" is week 6. A browser's
pixels differ between its versions, so the tests check that these are made, not their pixels.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from typer.testing import CliRunner

from mdlcli.cli import app

NOW = "2019-02-25T12:00"
WIDTH = 80
PICTURES = {
    "schedule": ["schedule", "--now", NOW],
    "next": ["next", "--now", NOW],
    "refs": ["refs", "lec5"],
    "deadlines": ["deadlines", "--now", "2019-04-30T12:00"],
}
# The top of the page (this week, due soon, the contents) at a desktop's and at a phone's width.
PAGES = {"page": (1000, 760), "page-phone": (390, 844)}
# Chromium as a picture maker: nothing from the network, no first-run or background traffic.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
)  # fmt: skip


def _mdl(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, args, env=env, prog_name="mdl")
    if result.exit_code != 0:
        raise SystemExit(f"mdl {' '.join(args)} failed ({result.exit_code}): {result.stderr}")
    return result.stdout


def render(args: list[str]) -> str:
    env = {"FORCE_COLOR": "1", "COLUMNS": str(WIDTH), "NO_COLOR": "", "MDL_NOW": "", "MDL_COURSE": ""}
    console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(Text.from_ansi(_mdl(args, env)), end="")
    return console.export_svg(title=f"mdl {' '.join(args)}")


def terminal_pictures(out: Path) -> None:
    for name, args in PICTURES.items():
        (out / f"{name}.svg").write_text(render(args), encoding="utf-8")


def page_pictures(out: Path) -> None:
    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver_path is None:
        raise SystemExit("needs Chromium and its driver: apt-get install chromium chromium-driver")
    os.environ["SE_OFFLINE"] = "true"  # use this browser and driver; Selenium Manager fetches nothing
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    page = _mdl(["export-html", "--now", NOW, "--ics-url", "https://example.edu/mathsdl-spring19.ics"])
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        clock = f"window.mdlClock = function () {{ return new Date('{NOW}:00-05:00'); }};"
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": clock})
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "index.html"
            path.write_text(page, encoding="utf-8")
            for name, (width, height) in PAGES.items():
                metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                driver.get(path.as_uri())
                (out / f"{name}.png").write_bytes(driver.get_screenshot_as_png())
    finally:
        driver.quit()


def main(folder: str, *, pages: bool = True) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    terminal_pictures(out)
    if pages:
        page_pictures(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
