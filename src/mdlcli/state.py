"""The student's own state: what they have done, and what mdl has reminded them of.

Their data, kept apart from course files: one SQLite database (the standard library's sqlite3)
at $XDG_STATE_HOME/mdl/state.sqlite, in WAL mode so that a timer's `mdl remind` and a terminal's
`mdl done` never block each other's reads, every change in one transaction. Items are keyed by
course id and the UID `export-ics` writes for them, so an edit of the course keeps the marks of
the items it did not change, and a moved item is a new reminder (its moment is in the key).

A database that cannot be read (damaged, locked for too long, not SQLite) is one `error:` line
for the commands that write it; the views read without it (`marks` says nothing is done).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .errors import DataError
from .query.reminders import Reminder

WAIT_SECONDS = 5.0  # for another run's transaction: remind and done take milliseconds
# Each migration takes the database from the version before it to its own (the list's index + 1).
_MIGRATIONS = (
    """
    CREATE TABLE done (course TEXT NOT NULL, item TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (course, item));
    CREATE TABLE sent (
        course TEXT NOT NULL, item TEXT NOT NULL, moment TEXT NOT NULL, lead INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (course, item, moment, lead)
    );
    """,
    "CREATE TABLE read (course TEXT NOT NULL, item TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (course, item));",
)


class State:
    """An open state database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @contextlib.contextmanager
    def changing(self) -> Iterator[sqlite3.Connection]:
        """One transaction, taken before anything is read (BEGIN IMMEDIATE): two runs at once
        change one after the other, and neither loses or doubles an entry."""
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise _unusable(self.path, exc) from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise

    def marks(self) -> set[tuple[str, str]]:
        """The (course, UID) of what is done: deadlines marked done, references marked read."""
        try:
            rows = self.connection.execute("SELECT course, item FROM done UNION SELECT course, item FROM read")
            return {(c, i) for c, i in rows}
        except sqlite3.Error as exc:
            raise _unusable(self.path, exc) from None

    def mark(self, items: Iterable[tuple[str, str]], now: dt.datetime, *, done: bool, table: str = "done") -> None:
        """Mark items done (`table` "done": deadlines; "read": references), or take it back."""
        if table not in ("done", "read"):
            raise ValueError(table)
        with self.changing() as db:
            if done:
                at = now.astimezone(dt.UTC).isoformat()
                db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?)", [(c, i, at) for c, i in items])  # noqa: S608 - one of two names
            else:
                db.executemany(f"DELETE FROM {table} WHERE course = ? AND item = ?", list(items))  # noqa: S608

    def claim(
        self, reminders: Sequence[Reminder], current: set[tuple[str, str]], courses: set[str], now: dt.datetime
    ) -> list[Reminder]:
        """The reminders not said yet, each taken (its leads marked said) in one transaction with
        the others, so that two runs at once say each once; items the courses no longer have are
        forgotten. A reminder whose delivery fails is given back (`release`)."""
        at = now.astimezone(dt.UTC).isoformat()
        taken = []
        with self.changing() as db:
            for course, item in db.execute("SELECT DISTINCT course, item FROM sent").fetchall():
                if course in courses and (course, item) not in current:
                    db.execute("DELETE FROM sent WHERE course = ? AND item = ?", (course, item))
            for r in reminders:
                key = (r.course, r.item, r.key, _seconds(r.lead))
                if db.execute("SELECT 1 FROM sent WHERE course=? AND item=? AND moment=? AND lead=?", key).fetchone():
                    continue
                rows = [(r.course, r.item, r.key, _seconds(lead), at) for lead in r.leads]
                db.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?, ?)", rows)
                taken.append(r)
        return taken

    def release(self, reminder: Reminder) -> None:
        """A reminder that could not be delivered: not said, so the next run says it."""
        with self.changing() as db:
            rows = [(reminder.course, reminder.item, reminder.key, _seconds(lead)) for lead in reminder.leads]
            db.executemany("DELETE FROM sent WHERE course=? AND item=? AND moment=? AND lead=?", rows)

    def close(self) -> None:
        self.connection.close()


def open_state(path: Path) -> State:
    """The state database, made (and migrated) when needed; DataError when it cannot be used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _unusable(path, exc) from None
    state = State(connection, path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA busy_timeout = {int(WAIT_SECONDS * 1000)}")
        _migrate(state)
    except sqlite3.Error as exc:
        connection.close()
        raise _unusable(path, exc) from None
    except BaseException:
        connection.close()
        raise
    return state


def _migrate(state: State) -> None:
    with state.changing() as db:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else 0
        if version > len(_MIGRATIONS):
            raise DataError(
                f"{state.path}: made by a newer mdl (state version {version}); this mdl reads up to {len(_MIGRATIONS)}"
            )
        for script in _MIGRATIONS[version:]:
            for statement in filter(str.strip, script.split(";")):
                db.execute(statement)
        if row is None:
            db.execute("INSERT INTO schema_version VALUES (?)", (len(_MIGRATIONS),))
        else:
            db.execute("UPDATE schema_version SET version = ?", (len(_MIGRATIONS),))


def _seconds(lead: dt.timedelta) -> int:
    return int(lead.total_seconds())


def _unusable(path: Path, exc: BaseException) -> DataError:
    reason = getattr(exc, "strerror", None) or str(exc)
    if "locked" in reason:
        reason += f" (another mdl held it for more than {WAIT_SECONDS:g} s)"
    return DataError(f"{path}: the state database cannot be used: {reason}")
