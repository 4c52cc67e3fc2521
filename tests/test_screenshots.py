"""The README's pictures are produced by the real commands and kept current."""

from __future__ import annotations

import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_pictures_are_regenerated_identically(tmp_path: Path) -> None:
    """Running docs/screenshots.py gives exactly the committed SVGs (else: `make screenshots`)."""
    script = runpy.run_path(str(DOCS / "screenshots.py"))
    script["main"](str(tmp_path), pages=False)  # the page's pictures: tests/test_page_browser.py
    made = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert made == ["deadlines.svg", "next.svg", "refs.svg", "schedule.svg"]
    for name in made:
        svg = (tmp_path / name).read_text(encoding="utf-8")
        ET.fromstring(svg)  # noqa: S314 - our own output, checked to be well-formed
        assert svg == (DOCS / name).read_text(encoding="utf-8"), f"docs/{name} is stale: run `make screenshots`"


def test_pictures_show_the_views() -> None:
    """Each picture shows its view's content (in SVG, spaces are &#160;)."""
    assert "Lec5" in (DOCS / "schedule.svg").read_text(encoding="utf-8")
    assert "Neural&#160;Message&#160;Passing" in (DOCS / "refs.svg").read_text(encoding="utf-8")
    assert "CIWW" in (DOCS / "next.svg").read_text(encoding="utf-8")
    assert "Final" in (DOCS / "deadlines.svg").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/{name}.svg" in readme for name in ("schedule", "next", "refs", "deadlines"))
