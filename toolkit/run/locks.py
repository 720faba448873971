"""One writer per output folder, and memory saves that never drop another run's entries.

A run holds an exclusive `flock` on `OUTDIR/.toolkit/lock` from start to end;
a second run into the same folder is refused at once with the first one's
pid. The translation memory may be shared by runs into different folders, so
saving it re-reads the file under a lock, adds this run's new entries, and
writes the union atomically.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import UserError
from toolkit.files import open_state_file
from toolkit.run.memory import TranslationMemory
from toolkit.run.outputs import STATE_FOLDER

LOCK_NAME = "lock"


@contextmanager
def output_lock(outdir: Path) -> Iterator[None]:
    """Hold the output folder for this process; `UserError` if another run holds it."""
    path = outdir / STATE_FOLDER / LOCK_NAME
    try:
        # never truncated before the lock is ours: the holder's pid must stay readable;
        # never a link: the pid would be written into whatever file it points at
        fd = open_state_file(outdir / STATE_FOLDER, path, os.O_RDWR | os.O_CREAT)
    except OSError as err:
        raise UserError(
            f"cannot create the run's lock file: {err.strerror}; give a writable folder with -o",
            path=path,
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise UserError(
                f"another toolkit run is writing to {outdir} (pid {holder}); "
                "wait for it or use another -o"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        # closing releases the lock; the file stays, because unlinking it would let a
        # third run lock a new file while a second still waits on the old one
        os.close(fd)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # blocking: a memory save takes milliseconds
        yield
    finally:
        os.close(fd)


def memory_lock_path(memory_path: Path) -> Path:
    """A hidden sibling: the TMX itself is replaced by rename, so it cannot carry the lock."""
    return memory_path.with_name(f".{memory_path.name}.lock")


def save_memory(memory: TranslationMemory, loaded: dict[str, str]) -> dict[str, str]:
    """Write `memory` merged with what is on disk now; returns the entries as saved.

    `loaded` is what this run read (or last saved): only entries that differ
    from it are this run's own, so another run's newer entries are never
    replaced by this run's stale copy of them.
    """
    if not memory.changed:
        return loaded
    ours = {s: t for s, t in memory.entries.items() if loaded.get(s) != t}
    memory.path.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(memory_lock_path(memory.path)):
        on_disk = TranslationMemory(memory.path)
        on_disk.entries.update(ours)
        on_disk.changed = True
        on_disk.save()
    memory.entries = dict(on_disk.entries)
    memory.changed = False
    return dict(on_disk.entries)
