"""Packaging and start-up: the wheel carries the course; importing the CLI stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mdlcli import __version__

from .conftest import ROOT

HEAVY = ("yaml", "rich", "icalendar", "dateutil", "pydantic", "mdlcli.store", "mdlcli.render", "mdlcli.ics")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, offline, with the build backend the test extras install."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("mdl-*.whl")
    return built


def test_wheel_contains_the_bundled_course(wheel: Path) -> None:
    """The course database ships inside the package, so no checkout is needed to run mdl."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "mdlcli/data/mathsdl-spring19.yaml" in names
    assert "mdlcli/data/starter-course.yaml" in names  # what `mdl init` writes
    assert "mdlcli/cli.py" in names


def test_installed_wheel_runs_schedule_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    """Installed (not editable) and run from an unrelated folder, `mdl schedule` finds its course."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = "import sys, mdlcli; print(mdlcli.__file__); sys.argv = ['mdl', 'schedule']; from mdlcli.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    location, *rows = result.stdout.splitlines()
    assert location.startswith(str(target))  # the wheel's copy, not this checkout
    assert len(rows) == 15
    assert "Lec5\tGraph Neural Network Applications" in rows[5]


def test_importing_the_cli_loads_no_heavy_module() -> None:
    """Start-up is a feature: YAML, Rich, dateutil and icalendar load only in the commands that use them."""
    code = "import sys, mdlcli.cli; print('\\n'.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
    )
    assert not [m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY[:5]]


def test_version_loads_no_heavy_module() -> None:
    """`mdl --version` (the console script's fast path) prints the version and loads nothing heavy."""
    code = "import sys; sys.argv = ['mdl', '--version']\nfrom mdlcli.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint('\\n'.join(sorted(sys.modules)))"
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert printed.startswith(f"mdl {__version__}\n")
    loaded = set(printed.split())
    assert not [m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY[:5]]
    assert "mdlcli.commands" not in loaded  # the declarations of the commands, too, load only for a command
