"""The IO edge: find the course file, read it (through a cache of validated courses), write files.

Parsing and validation are parse.py's; this module reads bytes, keeps a cache keyed by the file's
path, size, modification time and content hash, and writes files atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import tempfile
from pathlib import Path

from . import __version__
from .errors import DataError, OutputError
from .model import Course

BUNDLED_NAME = "mathsdl-spring19.yaml"
# A department's course of 15 000 sessions with ten references each is about 20 MB; past 64 MB a file is
# refused before it is read, whatever it holds.
MAX_FILE_BYTES = 64 * 1024 * 1024


def bundled_course_path() -> Path:
    """The course shipped with mdl: inside the wheel, or in the checkout for an editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / BUNDLED_NAME, here.parents[1] / "data" / BUNDLED_NAME):
        if candidate.is_file():
            return candidate
    raise DataError(f"the bundled course {BUNDLED_NAME} is missing from this installation")


def load_course(path: Path, cache_folder: Path | None = None) -> Course:
    """The validated course in a file; raise CourseInvalid listing every error, DataError if unreadable.

    With a cache folder, a course validated before is read back from there, unless anything about
    the file (path, size, modification time, content) has changed since.
    """
    data, status = _read(path)
    key = _cache_key(path, status, data)
    cached = _from_cache(cache_folder, path, key) if cache_folder else None
    if cached is not None:
        return cached
    from .parse import parse_course

    # Building the node tree allocates an object per scalar; the cyclic garbage collector would
    # rescan the growing heap again and again (three quarters of the time for a large course),
    # and there is no cycle to find until the walk is over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        course = parse_course(_decode(path, data), str(path))
    finally:
        if collecting:
            gc.enable()
    if cache_folder:
        _to_cache(cache_folder, path, key, course)
    return course


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its status at the time they were read."""
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if status.st_size > MAX_FILE_BYTES:
                raise DataError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a course file")
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DataError(f"{path}: no such course file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a course file") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # a pipe or a device reports no size before it is read
        raise DataError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a course file")
    return data, status


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path}: is UTF-16 text; save the course file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    if "\x00" in text:
        raise DataError(f"{path}: contains NUL bytes; not a text file")
    return text.removeprefix("\ufeff")


# -- the cache of validated courses ----------------------------------------------------------

# The cache holds pickles, which can run code when loaded: it is used only in a folder that this
# user owns and nobody else can write to, and each entry is checked against a hash of itself.
_CACHE_FORMAT = f"mdl {__version__} cache 1"


def _cache_key(path: Path, status: os.stat_result, data: bytes) -> str:
    identity = f"{_CACHE_FORMAT}\0{path.resolve()}\0{status.st_size}\0{status.st_mtime_ns}\0"
    return hashlib.sha256(identity.encode() + hashlib.sha256(data).digest()).hexdigest()


def _cache_entry(folder: Path, path: Path) -> Path:
    # One entry per course file: a changed file replaces its entry instead of adding one.
    return folder / (hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32] + ".pickle")


def _private(folder: Path) -> bool:
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _from_cache(folder: Path, path: Path, key: str) -> Course | None:
    """The cached course, or None for a miss, a stale entry or any kind of damage."""
    import pickle

    entry = _cache_entry(folder, path)
    if not _private(folder):
        return None
    try:
        blob = entry.read_bytes()
        checksum, payload = blob[:32], blob[32:]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        stored_key, course = pickle.loads(payload)  # noqa: S301 - our own file, checked above
    except Exception:  # a damaged cache is a miss, whatever the damage
        return None
    return course if stored_key == key and isinstance(course, Course) else None


def _to_cache(folder: Path, path: Path, key: str, course: Course) -> None:
    """Save a validated course; a cache that cannot be written is no error, just no cache."""
    import pickle

    payload = pickle.dumps((key, course), protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError, OutputError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _private(folder):
            write_atomically(_cache_entry(folder, path), hashlib.sha256(payload).digest() + payload)


def resolve_course_path(option: Path | None, environment: str | None) -> Path:
    """The course to use: --course, else $MDL_COURSE, else the bundled course."""
    if option is not None:
        return option
    if environment:
        return Path(environment).expanduser()
    return bundled_course_path()


# -- writing -------------------------------------------------------------------------------


def read_own_file(path: Path, signature: bytes, force: bool) -> bytes | None:
    """The current content of a file mdl is about to replace, or None if there is none.

    A file that does not carry `signature` (mdl did not write it) is the user's: refused unless
    `force`, so that an export never destroys what it did not make.
    """
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise OutputError(f"{path}: is a directory; name a file to write") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the file in the way: {exc.strerror or exc}") from None
    if signature not in data[:4096] and not force:
        raise OutputError(f"{path}: exists and was not written by mdl; use --force to replace it")
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write all of `data` or nothing: a temporary file in the same folder, synced, then renamed."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder")
    _remove_stale_temporaries(path)
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(_mode_for(path))
        temporary.replace(path)
    except BaseException as exc:
        # Killed or failed midway: the old file is untouched, and the half-written copy goes.
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of an earlier write that was killed (SIGKILL leaves no chance to clean up)."""
    an_hour_ago = dt.datetime.now(dt.UTC).timestamp() - 3600
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < an_hour_ago:
                stale.unlink()


def _mode_for(path: Path) -> int:
    """The file's current permissions when it is replaced, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def modified_at(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).replace(microsecond=0)
