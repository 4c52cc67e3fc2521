"""The IO edge: find the course file, read it (through a cache of validated courses), write files.

What the bytes are read as is sources.py's (a course file today); this module reads bytes, keeps a
cache keyed by the file's path, size, modification time and content hash, and writes files
atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__, sources
from .errors import DataError, OutputError
from .files import MAX_FILE_BYTES, read_regular, write_atomically
from .model import Course

# pickle's C implementation, without pickle.py around it: that takes a millisecond to import,
# which a warm run would spend for nothing. Protocol 5 is the newest of every Python mdl runs on.
try:
    from _pickle import dumps as _pickled
    from _pickle import loads as _unpickled
except ImportError:  # pragma: no cover - a Python without the C implementation
    from pickle import dumps as _pickled
    from pickle import loads as _unpickled
_PICKLE_PROTOCOL = 5

BUNDLED_NAME = "mathsdl-spring19.yaml"


STARTER_NAME = "starter-course.yaml"


def bundled_course_path() -> Path:
    """The course shipped with mdl: inside the wheel, or in the checkout for an editable install."""
    return bundled_file(BUNDLED_NAME)


def bundled_file(name: str) -> Path:
    """A file of mdl's data folder: inside the wheel, or in the checkout for an editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / name, here.parents[1] / "data" / name):
        if candidate.is_file():
            return candidate
    raise DataError(f"the bundled file {name} is missing from this installation")


def load_course(path: Path, cache_folder: Path | None = None, snapshot: Path | None = None) -> Course:
    """The validated course in a file; raise CourseInvalid listing every error, DataError if unreadable.

    With a cache folder, a course validated before is read back from there, unless anything about
    the file (path, size, modification and change times, inode) has changed since. A `snapshot`
    (see write_snapshot) fills an empty cache instead of a parse, if it was made of this very file
    by this very code.
    """
    cached = _from_cache(cache_folder, path) if cache_folder else None
    if cached is not None:
        # The entry was made by a run that may have named the file another way (a relative path
        # from another folder): messages and reports speak of the path this run was given.
        return _as_read_from(cached, str(path))
    data, status = read_regular(path, MAX_FILE_BYTES)
    course = _from_snapshot(snapshot, data) if cache_folder and snapshot else None
    if course is None:
        course = _parsed(path, data)
    if cache_folder:
        _to_cache(cache_folder, path, status, data, course)
    return _as_read_from(course, str(path))


def _parsed(path: Path, data: bytes) -> Course:
    return read_source(data, str(path))


def read_source(data: bytes, name: str) -> Course:
    """The course a source's bytes hold (a file's, a download's), made to last the run."""
    with _kept_for_the_run():
        return sources.read(data, name)


@contextlib.contextmanager
def _kept_for_the_run() -> Iterator[None]:
    """Make a course here: out of the cyclic collector's sight while it is made and after.

    A course is made of objects by the hundred thousand (800 000 for 15 000 sessions), with no
    cycle among them, and it lives as long as the command. The collector would rescan the growing
    heap while they are made (three quarters of the time to parse a large course), then all of
    them at its first collection and again whenever the views made enough garbage (a fifth of
    `schedule --json`). So it is off while they are made, and they are frozen (gc.freeze) before
    it is on again; the shell lets them go when the command ends.
    """
    with _collector_paused():
        try:
            yield
        finally:
            gc.freeze()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector off for a while: mdl's data has no cycle for it to find."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def read_course_bytes(path: Path) -> bytes:
    """A course file as it is, for publishing it beside the pages made from it."""
    return read_regular(path, MAX_FILE_BYTES)[0]


# -- the cache of validated courses ----------------------------------------------------------

# The cache holds pickles, which can run code when loaded: it is used only in a folder that this
# user owns and nobody else can write to. Each entry starts with a checksum of itself, so a
# damaged one (a crash, a full disk) is a miss and is never unpickled.
_CACHE_FORMAT = f"mdl {__version__} cache 3"
_MAGIC = b"mdl-cache-3\0"
# A file changed within this long after it was cached could have kept its size and times (they
# tick coarsely on some file systems): such an entry is trusted only after its content is compared.
_RACY_NS = 2_000_000_000

_Identity = tuple[str, str, int, int, int, int, int]


@cache
def code_fingerprint() -> str:
    """What identifies the code that builds a cache entry: the package's own source files.

    Their names, sizes and modification times (no reading: this runs on every command), with
    the Python version, whose pickles differ. Editing a module, upgrading mdl or Python changes it,
    so an entry made by other code is never served.
    """
    parts = [_CACHE_FORMAT, sys.version]
    for name, source in _source_files():
        with contextlib.suppress(OSError):
            status = source.stat()
            parts.append(f"{name}:{status.st_size}:{status.st_mtime_ns}")
    return "\0".join(parts)


def _source_files() -> list[tuple[str, os.DirEntry[str]]]:
    """The package's own modules, its subpackages' included, each by its path in the package."""
    # scandir, not Path.glob: the glob compiles a pattern, and this runs on every command.
    found: list[tuple[str, os.DirEntry[str]]] = []
    folders = [("", str(Path(__file__).resolve().parent))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    found.append((prefix + entry.name, entry))
                elif entry.is_dir() and (Path(entry.path) / "__init__.py").exists():
                    folders.append((f"{prefix}{entry.name}/", entry.path))
    return sorted(found, key=lambda named: named[0])


def _identity(path: Path, status: os.stat_result) -> _Identity:
    """What a course file's entry is valid for: this code, this file, and the file's status."""
    return (
        code_fingerprint(),
        str(path.resolve()),
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    )


def _content_digest(data: bytes) -> bytes:
    # Compared only when a file changed moments before it was cached, to tell an edit that kept
    # the size and times: two checksums of the content, and no cryptographic module to load.
    return zlib.crc32(data).to_bytes(4) + zlib.adler32(data).to_bytes(4)


def _as_read_from(course: Course, name: str) -> Course:
    if course.path == name:
        return course
    warnings = tuple(w._replace(file=name) for w in course.warnings)
    return course._replace(path=name, warnings=warnings)


def _cache_entry(folder: Path, path: Path) -> Path:
    # One entry per course file: a changed file replaces its entry instead of adding one. Two
    # paths with the same name only take each other's place (the entry names its file in full).
    resolved = os.fsencode(path.resolve())
    return folder / f"{zlib.crc32(resolved):08x}{zlib.adler32(resolved):08x}.pickle"


def _private(folder: Path) -> bool:
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _from_cache(folder: Path, path: Path) -> Course | None:
    """The cached course, or None for a miss, a stale entry or any kind of damage.

    A warm run reads the file's status, not the file: only an entry made within moments of the
    file's last change has the content compared too.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or not os.access(path, os.R_OK) or not _private(folder):
            return None  # loading the file itself then says what is wrong with it
        identity, digest, written_ns, course = _unframed(_MAGIC, _cache_entry(folder, path))
    except Exception:  # a damaged cache is a miss, whatever the damage
        return None
    if identity != _identity(path, status) or not isinstance(course, Course):
        return None
    if written_ns - status.st_mtime_ns < _RACY_NS:
        data, now_status = read_regular(path, MAX_FILE_BYTES)
        if _content_digest(data) != digest or _identity(path, now_status) != identity:
            return None
        if time.time_ns() - status.st_mtime_ns >= _RACY_NS:  # from now on its status is enough
            _to_cache(folder, path, now_status, data, course)
    return course


def _to_cache(folder: Path, path: Path, status: os.stat_result, data: bytes, course: Course) -> None:
    """Save a validated course; a cache that cannot be written is no error, just no cache."""
    entry = (_identity(path, status), _content_digest(data), time.time_ns(), course)
    framed = _framed(_MAGIC, entry)
    with contextlib.suppress(OSError, OutputError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _private(folder):
            write_atomically(_cache_entry(folder, path), framed, durable=False)


def _framed(magic: bytes, value: object) -> bytes:
    """A pickle behind its magic and its checksum, so that a damaged or foreign file is never unpickled."""
    # The pickler keeps every tuple it is handed (two a record) until it is done: the collector
    # rescanned them again and again, 40% of the time to pickle a large course.
    with _collector_paused():
        payload = _pickled(value, protocol=_PICKLE_PROTOCOL)
    return magic + zlib.crc32(payload).to_bytes(4) + payload


def _unframed(magic: bytes, file: Path) -> Any:
    """What _framed wrote to a file; ValueError if it is not that (OSError if it cannot be read)."""
    blob = memoryview(file.read_bytes())
    header = len(magic) + 4
    if blob[: len(magic)] != magic or int.from_bytes(blob[len(magic) : header]) != zlib.crc32(blob[header:]):
        raise ValueError(f"{file}: damaged or not mdl's")
    with _kept_for_the_run():
        return _unpickled(blob[header:])  # noqa: S301 - mdl's own file, its checksum checked


# -- the snapshot of the bundled course --------------------------------------------------------

# The bundled course is parsed and validated when the wheel is built (hatch_build.py), and the
# result ships beside it: a fresh install then answers without loading PyYAML and parsing, which
# were a third of its first run. A snapshot is a pickle like a cache entry, read only from mdl's
# own package folder, and it serves only the file and the code it was made of.
SNAPSHOT_NAME = BUNDLED_NAME.removesuffix(".yaml") + ".pickle"
_SNAPSHOT_MAGIC = b"mdl-snapshot-1\0"


def bundled_snapshot() -> Path:
    """Where an installed wheel keeps the snapshot of its course (a checkout has none)."""
    return Path(__file__).resolve().parent / "data" / SNAPSHOT_NAME


def write_snapshot(course: Path, target: Path) -> None:
    """Parse and validate a course file and save the result for load_course(snapshot=target)."""
    data, _ = read_regular(course, MAX_FILE_BYTES)
    # Where it was made is not kept (warnings name the file as load_course is given it): a wheel's
    # content does not depend on the folder it was built in.
    made = _as_read_from(_parsed(course, data), "")
    write_atomically(target, _framed(_SNAPSHOT_MAGIC, (__version__, _source_digest(), _content_digest(data), made)))


def _from_snapshot(snapshot: Path, data: bytes) -> Course | None:
    """The course a snapshot holds, if it was made of `data` by this code; else None."""
    try:
        version, sources, digest, course = _unframed(_SNAPSHOT_MAGIC, snapshot)
    except Exception:  # missing or damaged: the course is parsed instead
        return None
    if (version, digest) != (__version__, _content_digest(data)) or not isinstance(course, Course):
        return None
    return course if sources == _source_digest() else None


def _source_digest() -> bytes:
    """mdl's source files, names and content: a snapshot serves only the code that made it.

    Content, not times (code_fingerprint's): installing a wheel gives its files new times.
    """
    digest = 0
    for name, source in _source_files():
        with open(source.path, "rb") as stream:  # noqa: PTH123 - a scandir entry's path
            digest = zlib.crc32(name.encode() + b"\0" + stream.read(), digest)
    return digest.to_bytes(4)


def resolve_course_path(option: Path | None, environment: str | None) -> Path:
    """The course to use: --course, else $MDL_COURSE, else the bundled course."""
    if option is not None:
        return option
    if environment:
        return Path(environment).expanduser()
    return bundled_course_path()


def modified_at(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).replace(microsecond=0)
