"""Atomic writes: outputs readable by the team (umask, not 0600), orphaned temporaries cleaned."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit import files
from toolkit.files import write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture(autouse=True)
def fresh_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    # each test's folder is swept anew, as a new process would
    monkeypatch.setattr(files, "_swept", set())


@pytest.mark.parametrize(
    ("mask", "mode"),
    [
        (0o022, 0o644),  # the usual umask: a shared folder or web server can read outputs
        (0o027, 0o640),  # a group-only team keeps its umask
        (0o077, 0o600),  # a private user stays private
    ],
)
def test_outputs_follow_the_umask_not_mkstemp(tmp_path: Path, mask: int, mode: int) -> None:
    previous = os.umask(mask)
    try:
        target = tmp_path / "out" / "doc.nl-en.po"
        write_atomic(target, "één\n")
        write_atomic(target, "twee\n")  # replacing an existing file too
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8") == "twee\n"
    assert [p.name for p in target.parent.iterdir()] == ["doc.nl-en.po"]


def test_failed_write_keeps_the_old_file(
    tmp_path: Path, umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("old\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def _temp(folder: Path, name: str, host: str, pid: int, age: float = 0) -> Path:
    path = folder / f".{name}.{host}.{pid}.0123456789ab.tmp"
    path.write_text("half a file", encoding="utf-8")
    if age:
        moment = time.time() - age
        os.utime(path, (moment, moment))
    return path


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path: Path, umask: None) -> None:
    host = files._HOST
    dead = _temp(tmp_path, "a.po", host, _dead_pid())  # kill -9 left it: writer is gone
    old = _temp(tmp_path, "b.po", "elsewhere", 1, age=2 * 3600)  # another host, hours old
    live = _temp(tmp_path, "c.po", host, os.getpid())  # a writer still running here
    remote = _temp(tmp_path, "d.po", "elsewhere", 1)  # another host, recent: may be writing
    mine = tmp_path / ".notes.tmp"  # a user's own file that only looks temporary
    mine.write_text("keep", encoding="utf-8")
    write_atomic(tmp_path / "doc.po", "x")
    assert not dead.exists() and not old.exists()
    assert live.exists() and remote.exists() and mine.exists()
    assert (tmp_path / "doc.po").read_text(encoding="utf-8") == "x"


def test_a_long_name_still_gets_a_temporary_file(tmp_path: Path, umask: None) -> None:
    # the temporary name adds host and pid: it must stay under the 255-byte name limit
    target = tmp_path / ("ë" * 120 + ".nl-en.xlf")
    write_atomic(target, "x")
    assert target.read_text(encoding="utf-8") == "x"
