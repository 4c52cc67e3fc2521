"""What a run knows, read once and reset by the shell at the start of each run: where the
user's things are, the config, and the colour chosen.

Below the shell (cli.py) and the commands alike, so that the commands need nothing of the shell.
"""

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config
    from .semester import Places


def reset() -> None:
    run_config.cache_clear()
    _chosen_color.clear()


def places() -> "Places":
    """Where this run reads its settings, keeps followed courses and caches validated ones."""
    from .semester import Places

    return Places(
        config=_xdg("XDG_CONFIG_HOME", ".config") / "mdl" / "config.toml",
        data=_xdg("XDG_DATA_HOME", ".local/share") / "mdl",
        cache=cache_folder(),
        state=_xdg("XDG_STATE_HOME", ".local/state") / "mdl" / "state.sqlite",
    )


def _xdg(variable: str, under_home: str) -> Path:
    base = os.environ.get(variable)
    return Path(base) if base else Path("~").expanduser() / under_home


@functools.cache
def run_config() -> "Config":
    from .config import read_config

    return read_config(places().config)


def cache_folder() -> Path | None:
    """Where validated courses are kept between runs: $XDG_CACHE_HOME/mdl; MDL_NO_CACHE=1 turns it off."""
    if os.environ.get("MDL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: run without a cache
            return None
    return Path(base) / "mdl"


# What --color said in this run (a list, so that the option's callback can set it).
_chosen_color: list[str] = []


def choose_color(value: str) -> None:
    _chosen_color[:] = [value]


def color() -> str:
    """auto, always or never: --color, else NO_COLOR, FORCE_COLOR, else the config's color, else auto."""
    if _chosen_color:
        return _chosen_color[0]
    if os.environ.get("NO_COLOR"):
        return "never"
    if os.environ.get("FORCE_COLOR"):
        return "always"
    return run_config().color or "auto"
