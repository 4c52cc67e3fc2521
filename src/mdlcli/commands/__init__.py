"""The commands, one module per area: each loads its courses, asks query, and prints what render
builds.

The shell (cli.py) makes a command when it is run and is the one error boundary; nothing here
imports it. Start-up is a feature: YAML, Rich, dateutil and icalendar load inside the commands
that use them (ruff's TID253 enforces it). `--help` lists the commands in the order they are
declared, so the areas load in this order:
"""

import importlib

from .common import commands

AREAS = ("views", "calendar_export", "publishing", "semester", "student", "about", "authoring")
for _area in AREAS:
    importlib.import_module(f"{__name__}.{_area}")

__all__ = ["commands"]
