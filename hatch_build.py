"""Build the wheel with a snapshot of the bundled course: parsed and validated once, here.

A fresh install then answers its first command without loading PyYAML and parsing the course
(store.write_snapshot and load_course). An editable install gets none: its code changes under
it, so it parses the course like any other, and its cache keeps the result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# Run by the code being packaged (the checkout's src/ comes first on the path), not by an mdl that
# happens to be installed; it prints the name the snapshot has in the package's data folder.
MAKE_SNAPSHOT = """
import sys
from pathlib import Path
from mdlcli.store import SNAPSHOT_NAME, bundled_course_path, write_snapshot
write_snapshot(bundled_course_path(), Path(sys.argv[1]) / SNAPSHOT_NAME)
print(SNAPSHOT_NAME)
"""


class SnapshotHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = tempfile.mkdtemp(prefix="mdl-snapshot-")
        # Prepended, not replaced: a build front end may put the build's requirements on PYTHONPATH.
        path = os.pathsep.join(filter(None, [str(Path(self.root) / "src"), os.environ.get("PYTHONPATH")]))
        made = subprocess.run(  # noqa: S603 - this interpreter, running the code being packaged
            [sys.executable, "-c", MAKE_SNAPSHOT, self._folder],
            env={**os.environ, "PYTHONPATH": path},
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if made.returncode != 0:
            raise RuntimeError(f"the snapshot of the bundled course could not be made:\n{made.stderr}")
        name = made.stdout.strip()
        build_data["force_include"][str(Path(self._folder) / name)] = f"mdlcli/data/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if hasattr(self, "_folder"):
            shutil.rmtree(self._folder, ignore_errors=True)
