"""What `mdl validate` found, as blocks."""

from collections.abc import Sequence
from typing import Any

from mdlcli.model import Diagnostic

from .blocks import Block, Line, count

# -- validate ------------------------------------------------------------------------------


def diagnostics(path: str, errors: Sequence[Diagnostic], warnings: Sequence[Diagnostic], strict: bool) -> list[Block]:
    blocks: list[Block] = [Line(f"{d.severity}: {d}", d.severity, None) for d in (*errors, *warnings)]
    failed = bool(errors) or (strict and bool(warnings))
    verdict = "invalid" if failed else "valid"
    counts = f"{count(len(errors), 'error')}, {count(len(warnings), 'warning')}"
    blocks.append(Line(f"{path}: {verdict} ({counts})", "error" if failed else "bold"))
    return blocks


def diagnostics_json(
    path: str, errors: Sequence[Diagnostic], warnings: Sequence[Diagnostic], strict: bool
) -> dict[str, Any]:
    return {
        "file": path,
        "valid": not errors and not (strict and warnings),
        "errors": [d.to_json() for d in errors],
        "warnings": [d.to_json() for d in warnings],
    }
