"""The file system edge: the one guard for reading a file, the one way of writing a file mdl owns.

Reading: regular files only, bounded in size (read_regular). Writing: all or nothing through a
temporary file in the same folder (write_atomically); an export replaces only a file mdl wrote
(read_own_file), follows a link the user named to its file (output_target), and writes the
entries of a folder it publishes by plain names, never through a link (entry_in).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError, Unreadable
from .names import plain_name_problem

# A department's course of 15 000 sessions with ten references each is about 20 MB; past 64 MB a file is
# refused before it is read, whatever it holds.
MAX_FILE_BYTES = 64 * 1024 * 1024


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, for messages."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class Missing(Unreadable):
    """A file that is not there."""


def read_regular(path: Path, limit: int, what: str = "course file") -> tuple[bytes, os.stat_result]:
    """The bytes of a file mdl reads (a course, the config) and its status at the time they were read.

    Only regular files are read: a named pipe or a device could block forever or never end, so
    anything else is refused from its status alone, before it is opened. Past `limit` bytes a file
    is refused before it is read, whatever it holds.
    """
    too_large = f"larger than {_size(limit)}; not a {what}"
    try:
        before = path.stat()
        if not stat.S_ISREG(before.st_mode):
            raise Unreadable(str(path), f"is {file_kind(before.st_mode)}, not a {what}")
        # O_NONBLOCK: should the path be swapped for a pipe after the check, opening it cannot hang.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise Unreadable(str(path), f"is {file_kind(status.st_mode)}, not a {what}")
            if status.st_size > limit:
                raise Unreadable(str(path), too_large)
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise Missing(str(path), f"no such {what}") from None
    except NotADirectoryError:
        raise Missing(str(path), f"no such {what} (a part of the path is not a folder)") from None
    except PermissionError:
        raise Unreadable(str(path), "permission denied") from None
    except OSError as exc:
        raise Unreadable(str(path), f"cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte in the path
        raise Unreadable(str(path), "not a usable file name") from None
    if len(data) > limit:  # the file grew while it was read
        raise Unreadable(str(path), too_large)
    return data, status


def _size(limit: int) -> str:
    mebibytes = limit / (1024 * 1024)
    return f"{mebibytes:g} MB" if mebibytes >= 1 else f"{limit // 1024} KB"


def output_target(path: Path) -> Path:
    """The file an export writes: a link is followed to its file, which is replaced, not the link.

    Only a regular file (or none yet) can be replaced: writing to a pipe or a device could block
    forever, and a folder is no file.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    except ValueError:
        raise OutputError(f"{path}: not a usable file name") from None
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{path}: is a directory; name a file to write")
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"{path}: is {file_kind(status.st_mode)}; name a regular file, or '-' for stdout")
    return path.resolve() if path.is_symlink() else path


def write_new_file(path: Path, data: bytes, force: bool) -> None:
    """Write a file that must not replace anything the user has, unless `force`."""
    destination = output_target(path)
    if not force and destination.exists():
        raise OutputError(f"{path}: exists; --force replaces it")
    write_atomically(destination, data)


def read_own_file(path: Path, is_ours: Callable[[bytes], bool], force: bool, *, follow: bool = True) -> bytes | None:
    """The current content of a regular file mdl is about to replace, or None if there is none.

    A file that `is_ours` does not recognise (mdl did not write it) is the user's: refused
    unless `force`, so that an export never destroys what it did not make. With `follow=False`
    (an entry of a folder mdl publishes) a symbolic link is never read through: it is not mdl's,
    and with `force` it is replaced by a file, its target left alone.
    """
    no_follow = 0 if follow else os.O_NOFOLLOW
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | no_follow)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise OutputError(f"{path}: not a regular file; name a regular file, or '-' for stdout")
            data = stream.read(MAX_FILE_BYTES)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise OutputError(f"{path}: is a directory; name a file to write") from None
    except OSError as exc:
        if not follow and exc.errno == errno.ELOOP:  # a symbolic link in mdl's folder
            if force:
                return None
            raise OutputError(
                f"{path}: is a symbolic link, not written by mdl; --force replaces it with a file"
            ) from None
        raise OutputError(f"{path}: cannot read the file in the way: {exc.strerror or exc}") from None
    if not force and not is_ours(data):
        raise OutputError(f"{path}: exists and was not written by mdl; --force replaces it")
    return data


def entry_in(folder: Path, name: str) -> Path:
    """The file `name` in `folder`, which mdl writes: a plain name only, so it cannot lead out of the folder."""
    if plain_name_problem(name) is not None:
        raise OutputError(f"{folder}: {name!r} is not a plain file name; nothing is written outside the folder")
    return folder / name


def make_folder(folder: Path) -> Path:
    """`folder`, made with its missing parents, as `mkdir -p` would: an export names where it goes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot make the folder: {exc.strerror or exc}") from None
    return folder


def write_atomically(path: Path, data: bytes, *, durable: bool = True, mode: int | None = None) -> None:
    """Write all of `data` or nothing: a temporary file in the same folder, synced, then renamed.

    `durable=False` skips the sync, for files that may be lost in a crash (the cache: a torn
    entry fails its checksum and is a miss). `mode`: the new file's permissions (default: the
    old file's, else the umask's).
    """
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder")
    prefix = _temporary_prefix(path)
    _remove_stale_temporaries(folder, prefix)
    handle, temporary = _new_temporary(folder, prefix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        temporary.chmod(_mode_for(path) if mode is None else mode)
        temporary.replace(path)
    except BaseException as exc:
        # Killed or failed midway: the old file is untouched, and the half-written copy goes.
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _new_temporary(folder: Path, prefix: str) -> tuple[int, Path]:
    """A new file only this process can have opened (as tempfile.mkstemp makes, without its import)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = folder / f"{prefix}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
    raise OutputError(f"{folder}: cannot write here: no free name for a temporary file")


# A file name may take all of the 255 bytes a folder entry allows; the temporary's name adds to
# it, so a long name is replaced by its hash there.
_LONGEST_NAME_IN_PREFIX = 160


def _temporary_prefix(path: Path) -> str:
    name = path.name
    if len(os.fsencode(name)) > _LONGEST_NAME_IN_PREFIX:
        import hashlib

        name = hashlib.sha256(os.fsencode(name)).hexdigest()[:32]
    return f".{name}."


def _remove_stale_temporaries(folder: Path, prefix: str) -> None:
    """Temporary files of an earlier write that was killed (SIGKILL leaves no chance to clean up)."""
    an_hour_ago = dt.datetime.now(dt.UTC).timestamp() - 3600
    # Names are compared as text: the user's file name may hold * or [, which a pattern would read.
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < an_hour_ago:
                        Path(entry.path).unlink()


def _mode_for(path: Path) -> int:
    """The file's current permissions when it is replaced, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
