"""Shared test helpers: run `mdl` in-process with a pinned environment, and course fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mdlcli.cli import app

from .servers import publisher  # noqa: F401 - a fixture for every test module: a web server on 127.0.0.1

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "data" / "mathsdl-spring19.yaml"

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test starts from the same environment: no overrides, a piped stdout, empty folders of its own."""
    for name in ("MDL_COURSE", "MDL_NOW", "MDL_TZ", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "MDL_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    # A cache, settings and followed courses of its own: nothing of the machine's user leaks in.
    for variable in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(variable, str(tmp_path_factory.mktemp(variable.lower())))


@pytest.fixture
def run() -> Run:
    """Invoke the CLI as a user would; `env` adds variables, like a shell prefix."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(app, list(args), env=env, prog_name="mdl")

    return invoke


def write_course(tmp_path: Path, text: str, name: str = "course.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(output: str) -> list[list[str]]:
    """Piped output as records: one a line, fields split on tabs."""
    return [line.split("\t") for line in output.splitlines()]


def one_clear_error(result: Result, status: int = 1) -> str:
    """The one `error:` line a user error gives on stderr, with its exit status and no traceback."""
    assert result.exit_code == status, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    stderr = result.stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    return stderr
