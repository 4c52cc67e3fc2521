"""Packaging and start-up: the wheel carries the course; importing the CLI stays light."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mdlcli import __version__

from .conftest import ROOT

pytestmark = pytest.mark.slow  # builds and installs the wheel

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


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (not editable) into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    return target


# Runs mdl as its console script does, then reports where mdlcli came from and whether PyYAML loaded.
RUN_AND_REPORT = """
import sys, mdlcli
sys.argv = ["mdl", *sys.argv[1:]]
from mdlcli.cli import main
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print(mdlcli.__file__, "yaml" in sys.modules, file=sys.stderr)
"""


def run_installed(site: Path, tmp_path: Path, *args: str, **env: str) -> tuple[str, str, bool]:
    """stdout, where mdlcli was imported from, and whether PyYAML was loaded, run from an unrelated folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_REPORT, *args],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    location, yaml_loaded = result.stderr.split()
    return result.stdout, location, yaml_loaded == "True"


def test_installed_wheel_runs_schedule_from_another_directory(installed: Path, tmp_path: Path) -> None:
    """Installed (not editable) and run from an unrelated folder, `mdl schedule` finds its course."""
    shown, location, _ = run_installed(installed, tmp_path, "schedule")
    assert location.startswith(str(installed))  # the wheel's copy, not this checkout
    rows = shown.splitlines()
    assert len(rows) == 15
    assert "Lec5\tGraph Neural Network Applications" in rows[5]


def test_a_fresh_install_answers_from_the_snapshot_made_when_the_wheel_was_built(
    wheel: Path, installed: Path, tmp_path: Path
) -> None:
    """The first run of an installed mdl (empty cache) loads no YAML, and says what a parse says."""
    assert "mdlcli/data/mathsdl-spring19.pickle" in zipfile.ZipFile(wheel).namelist()
    for command in (["schedule"], ["refs", "lec5"], ["validate"]):
        fresh, _, yaml_loaded = run_installed(installed, tmp_path, *command, XDG_CACHE_HOME=str(tmp_path / "new"))
        assert not yaml_loaded
        parsed, _, yaml_loaded = run_installed(installed, tmp_path, *command, MDL_NO_CACHE="1")
        assert yaml_loaded  # no cache: no snapshot either, the course file is parsed
        assert fresh == parsed
        shutil.rmtree(tmp_path / "new")


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


def test_the_console_script_spares_its_exit_a_collection_of_every_object() -> None:
    """At exit, what the run made is frozen: Python's exit-time collection would scan all of it (6 ms)."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_freeze_count(), len(gc.get_objects(2)), file=sys.stderr))\n"
        "sys.argv = ['mdl', 'refs', 'lec5']\n"
        "from mdlcli.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("session\tLec5 Graph Neural Network Applications\n")
    frozen, left_in_the_oldest_generation = (int(n) for n in done.stderr.split())
    assert frozen > 20_000
    assert left_in_the_oldest_generation == 0
