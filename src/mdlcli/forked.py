"""Work split over forked copies of this process, one part a core, with the result the same as
if this process had done it all (a copy that fails or hangs only costs time)."""

import os
import signal
import struct
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

PATIENCE = 10.0  # seconds a copy may take beyond three times what this process took


def parts(items: list[T], worth_it_from: int) -> list[list[T]]:
    """`items` in one part a core (at most four), or one part below `worth_it_from` items or without fork."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    count = min(available, 4) if len(items) >= worth_it_from and hasattr(os, "fork") else 1
    size = max(1, -(-len(items) // count))  # nothing to do is one empty part
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def in_parallel(work: Callable[[Sequence[T]], bytes], parts: list[list[T]]) -> list[bytes]:
    """`work` done on each part, the first here and the others in forked copies of this process.

    For work that needs nothing from the other parts (the events of a large export), so it runs on
    every core. A copy that fails, for whatever reason, only costs time: its part is done again
    here, so the result is the same whether or not any copy could help.
    """
    children: list[tuple[int, int]] = []
    for part in parts[1:]:
        out = _scratch_file()
        pid = os.fork()
        if pid == 0:  # the copy: write its part to the scratch file and leave at once, silently
            status = 1
            try:
                data = work(part)
                with os.fdopen(os.dup(out), "wb") as stream:
                    stream.write(struct.pack("<Q", 0))  # the length, written last, when all is there
                    stream.write(data)
                    stream.flush()
                    os.pwrite(out, struct.pack("<Q", len(data)), 0)
                status = 0
            finally:
                os._exit(status)
        children.append((pid, out))
    started = time.monotonic()
    results = [work(parts[0])]
    # The copies do as much as this process did: one far slower than that is stuck (a lock held
    # by another thread at the fork, say), and is stopped rather than waited for.
    deadline = time.monotonic() + 3 * (time.monotonic() - started) + PATIENCE
    for (pid, out), part in zip(children, parts[1:], strict=True):
        finished = _finished(pid, deadline)
        collected = _read_scratch(out) if finished else None
        results.append(collected if collected is not None else work(part))
        os.close(out)
    return results


def _finished(pid: int, deadline: float) -> bool:
    """Whether a copy ended well by the deadline; one still running then is killed."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False
        time.sleep(0.005)


def _scratch_file() -> int:
    """An open file no one else can see (removed at once), shared with a forked copy."""
    handle, name = tempfile.mkstemp(prefix="mdl-export-")
    Path(name).unlink()
    return handle


def _read_scratch(handle: int) -> bytes | None:
    size = struct.unpack("<Q", os.pread(handle, 8, 0))[0]
    data = os.pread(handle, size, 8) if size else b""
    return data if len(data) == size else None
