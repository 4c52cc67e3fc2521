"""The benchmark's course generator writes courses that mdl accepts (timings live in bench/, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, Run


@pytest.mark.parametrize("sessions", [1, 30, 301])
def test_generated_course_validates(run: Run, tmp_path: Path, sessions: int) -> None:
    """make_course.py N writes a course with N sessions, 10 references each and N/10 deadlines, without warnings."""
    path = tmp_path / "course.yaml"
    subprocess.run([sys.executable, ROOT / "bench" / "make_course.py", str(sessions), path], check=True, timeout=60)
    checked = run("validate", str(path))
    assert checked.exit_code == 0
    assert checked.stdout.endswith("valid (0 errors, 0 warnings)\n")
    shown = json.loads(run("schedule", "--json", "--course", str(path)).stdout)
    assert len(shown) == sessions
    references = json.loads(run("refs", "--json", "--course", str(path)).stdout)
    assert len(references) == 10 * sessions
    deadlines = json.loads(run("deadlines", "--json", "--course", str(path), "--now", "2030-01-01").stdout)
    assert len(deadlines) == max(1, sessions // 10)
