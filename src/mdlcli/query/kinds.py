"""What `--include` and `--exclude` choose among: kinds of sessions, deadlines, weekly meetings."""

from collections.abc import Sequence

from mdlcli.errors import UsageError, did_you_mean
from mdlcli.model import Course

from .timetable import weekly_meetings

# What --include and --exclude call the sessions of each kind.
EXPORT_KIND = {
    "lecture": "lectures",
    "guest-lecture": "lectures",
    "review": "lectures",
    "lab": "labs",
    "exam": "exams",
    "break": "breaks",
}


def kinds_of(courses: Sequence[Course]) -> tuple[str, ...]:
    """What --include and --exclude choose from: session kinds, deadlines and each weekly meeting."""
    meetings = dict.fromkeys(m.id for c in courses for m in weekly_meetings(c))
    return ("lectures", "labs", "exams", *meetings, "deadlines", "breaks")


def choose_kinds(courses: Sequence[Course], include: Sequence[str], exclude: Sequence[str]) -> set[str]:
    known = kinds_of(courses)

    def parse(values: Sequence[str], option: str) -> set[str]:
        chosen = set()
        for part in (p.strip().lower() for value in values for p in value.split(",")):
            if not part:
                continue
            # Singular or plural alike: --include exam, --include lectures, --include guest-lecture.
            name = part if part in known else EXPORT_KIND.get(part, part + "s")
            if name not in known:
                hint = did_you_mean(part, known)
                raise UsageError(f"{option}: {part!r} is not a kind{hint} (use one of: {', '.join(known)})")
            chosen.add(name)
        return chosen

    included = parse(include, "--include") or set(known)
    return included - parse(exclude, "--exclude")
