"""Completion candidates come from course text: in every real shell they complete as text and run nothing.

Each shell runs the script `mdl` prints for it and completes against tests/hostile/completion-labels.yaml,
whose labels hold a command substitution, backticks, a backslash before `$(` and terminal controls
with a line break. The completed command line is then run the way the user would run it, but with
`mdl` replaced by a printer, so the test sees the words the shell would pass.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real bash, zsh and fish, one on a pseudo-terminal

HOSTILE = Path(__file__).parent / "hostile" / "completion-labels.yaml"
BIN = Path(sys.executable).parent
TYPED_AS_TEXT = ["lec1$(touch pwned-dollar)", "lec2`touch pwned-backtick`"]


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """An empty home and working folder; every file a hostile label could create would land here."""
    yield tmp_path
    assert sorted(p.name for p in tmp_path.rglob("*pwned*")) == [], "a completion candidate ran a command"
    assert sorted(p.name for p in tmp_path.rglob("*PWNED*")) == [], "a completion candidate ran a command"


def shell_env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "SYSTEMROOT")}
    return {
        **keep,
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "MDL_COURSE": str(HOSTILE),
        "TERM": "dumb",
    }


def require(shell: str) -> str:
    found = shutil.which(shell)
    assert found, f"{shell} is needed for this test (.ci/run installs it from Debian's packages)"
    return found


def printed_by(argv: list[str], home: Path) -> list[str]:
    """The words a shell script printed as `[word]` lines, once it ran to the end."""
    result = subprocess.run(
        argv, cwd=home, env=shell_env(home), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("[").removesuffix("]") for line in result.stdout.splitlines()]


def test_bash_inserts_each_label_escaped_so_running_the_line_passes_it_as_text(home: Path) -> None:
    script = r"""
source <(_MDL_COMPLETE=source_bash mdl)
COMP_WORDS=(mdl refs le); COMP_CWORD=2
_mdl_completion mdl
for inserted in "${COMPREPLY[@]}"; do eval "printf '[%s]\n' $inserted"; done
"""
    assert printed_by([require("bash"), "--norc", "--noprofile", "-c", script], home) == TYPED_AS_TEXT


def test_fish_offers_labels_as_text_and_quotes_them_when_inserted(home: Path) -> None:
    script = """
source (env _MDL_COMPLETE=source_fish mdl | psub)
for candidate in (complete -C 'mdl refs le')
    eval "printf '[%s]\\n' "(string escape -- $candidate)
end
"""
    assert printed_by([require("fish"), "--no-config", "-c", script], home) == TYPED_AS_TEXT


class Terminal:
    """An interactive shell on a pseudo-terminal, read with a deadline so a test never hangs."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.leader, follower = pty.openpty()
        self.process = subprocess.Popen(
            argv, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd, start_new_session=True
        )
        os.close(follower)
        self.seen = b""

    def send(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def wait_for(self, text: str, after: str = "", seconds: float = 30) -> str:
        """All the shell has shown, once `text` appears (after the last `after`, when given)."""
        deadline = time.monotonic() + seconds
        while not self._shown(text, after):
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} from the shell; it showed {self.seen[-2000:]!r}"
            if select.select([self.leader], [], [], left)[0]:
                try:
                    self.seen += os.read(self.leader, 65536)
                except OSError:  # the shell exited
                    break
        return self.seen.decode(errors="replace")

    def _shown(self, text: str, after: str) -> bool:
        start = self.seen.rfind(after.encode()) if after else 0
        return start >= 0 and text.encode() in self.seen[start:]

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.leader)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("lec1", "lec1$(touch pwned-dollar)"),
        ("lec2", "lec2`touch pwned-backtick`"),
        ("lec3", "lec3"),  # the label with a backslash is not offered: nothing is inserted
        ("lec4", "lec4"),  # nor the one with controls and a line break
    ],
)
def test_zsh_completes_each_label_as_text_and_runs_nothing(home: Path, typed: str, printed: str) -> None:
    """Real zsh completion (compinit, the script mdl prints, TAB), then the line is run by `print`."""
    terminal = Terminal([require("zsh"), "-f", "-i"], {**shell_env(home), "PS1": "ready> "}, home)
    try:
        terminal.wait_for("ready> ")
        terminal.send("autoload -Uz compinit && compinit -u -D && source <(_MDL_COMPLETE=source_zsh mdl)\r")
        terminal.send("print -r -- '<'; print -r -- '>'\r")
        terminal.wait_for("<\r\n>")
        # TAB completes; Ctrl-A goes to the line's start, where a printer takes mdl's place.
        terminal.send(f"mdl refs {typed}\t")
        time.sleep(1.5)
        terminal.send("\x01print -r -- RAN \r")
        shown = terminal.wait_for("ready> ", after="\nRAN mdl refs ")
        ran = shown[shown.rindex("\nRAN mdl refs ") + 1 :].splitlines()[0]
        assert ran.rstrip() == f"RAN mdl refs {printed}"
    finally:
        terminal.close()
