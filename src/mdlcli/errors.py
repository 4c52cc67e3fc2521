"""The one exception hierarchy of mdl; each class carries the exit status the shell returns."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Diagnostic


class MdlError(Exception):
    """An error the user can act on: printed as one `error: …` line, never as a traceback."""

    exit_code = 1


class UsageError(MdlError):
    """A bad option value or argument (exit 2, like the option parser's own errors)."""

    exit_code = 2


class DataError(MdlError):
    """A course file that cannot be read or does not validate (exit 1)."""


class OutputError(MdlError):
    """A file that cannot be written, or a terminal that is needed and missing (exit 1)."""


class Unreadable(DataError):
    """A course file that cannot be read as text at all (missing, a device, not UTF-8)."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class CourseInvalid(DataError):
    """A course file with one or more errors; the message is the first, all are kept."""

    def __init__(self, problems: Sequence["Diagnostic"], warnings: Sequence["Diagnostic"] = ()) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings)
        self.path = problems[0].file
        more = len(problems) - 1
        suffix = f" (and {more} more error{'s' if more > 1 else ''}; see `mdl validate`)" if more else ""
        super().__init__(str(problems[0]) + suffix)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """ "; did you mean 'x'?" when an option is close to a mistyped word, else "".

    difflib loads here, for a mistake, not with every module that may meet one.
    """
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def quoted(text: str, longest: int = 60) -> str:
    """`text` quoted for an error, cut to `longest` characters: the error stays one readable line."""
    return repr(text if len(text) <= longest else text[:longest] + "…")
