"""Render the README's picture of the HTML page: `python docs/page_picture.py docs`.

The page is what `mdl export-html` writes for the bundled course at a pinned moment (Monday of
week 6, so "this week" is highlighted), shown by headless Chromium (Debian's `chromium` package)
at a desktop and at a phone's width. A browser's pixels differ between its versions, so unlike
the terminal pictures these are not compared by the tests; run this again when the page changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from mdlcli.cli import app

NOW = "2019-02-25T12:00"
# The top of the page (this week, the subscribe link) at a desktop's and at a phone's width.
SHOTS = {"page": (1000, 760), "page-phone": (412, 860)}
# Chromium as a test harness: nothing from the network, no first-run or background traffic.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
    "--virtual-time-budget=3000",  # without it the screenshot may be taken before the first layout
]  # fmt: skip


def main(folder: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    result = CliRunner().invoke(
        app, ["export-html", "--now", NOW, "--ics-url", "https://example.edu/mathsdl-spring19.ics"]
    )
    if result.exit_code != 0:
        raise SystemExit(f"mdl export-html failed ({result.exit_code}): {result.stderr}")
    out = Path(folder).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "index.html"
        page.write_text(result.stdout, encoding="utf-8")
        for name, (width, height) in SHOTS.items():
            subprocess.run(  # noqa: S603 (the arguments are this script's own)
                [browser, *FLAGS, f"--user-data-dir={scratch}/profile", f"--window-size={width},{height}",
                 f"--screenshot={out / name}.png", page.as_uri()],
                check=True, timeout=120, capture_output=True,
            )  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
