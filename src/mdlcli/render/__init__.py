"""Views: query results → blocks, shown as plain rows (piped), JSON, or Rich (see richview.py).

The blocks and the plain drawer are `blocks`; each area's views are a module of their own. This
package re-exports them all, so a command asks `render.schedule(...)` wherever it is built.
"""

from .about import curriculum, curriculum_json, info, info_json, syllabus, syllabus_json
from .blocks import (
    WEEKDAY_NAMES,
    Bar,
    Block,
    Cell,
    Heading,
    Line,
    Node,
    Records,
    Row,
    Short,
    Style,
    Tree,
    Url,
    count,
    iso,
    moment_cell,
    plain,
    to_json,
    with_course,
)
from .checks import diagnostics, diagnostics_json
from .deadlines import deadlines, deadlines_json
from .readings import all_readings, found_references, hits, hits_json, reading, reference_json
from .semester import clash_lines, clashes_json, settings, settings_json, status_json, statuses, updates_json
from .timetable import agenda, agenda_json, schedule, session_json, upcoming, upcoming_json

__all__ = [
    "WEEKDAY_NAMES",
    "Bar",
    "Block",
    "Cell",
    "Heading",
    "Line",
    "Node",
    "Records",
    "Row",
    "Short",
    "Style",
    "Tree",
    "Url",
    "agenda",
    "agenda_json",
    "all_readings",
    "clash_lines",
    "clashes_json",
    "count",
    "curriculum",
    "curriculum_json",
    "deadlines",
    "deadlines_json",
    "diagnostics",
    "diagnostics_json",
    "found_references",
    "hits",
    "hits_json",
    "info",
    "info_json",
    "iso",
    "moment_cell",
    "plain",
    "reading",
    "reference_json",
    "schedule",
    "session_json",
    "settings",
    "settings_json",
    "status_json",
    "statuses",
    "syllabus",
    "syllabus_json",
    "to_json",
    "upcoming",
    "upcoming_json",
    "updates_json",
    "with_course",
]
