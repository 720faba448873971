"""The translation memory's failure edge: a memory it cannot save is one line, the old file kept."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from toolkit.document import Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.run import memory as memory_module
from toolkit.run.memory import TranslationMemory


def _reviewed(source: str, target: str) -> Paragraph:
    return Paragraph(
        index=1, source=source, line=1, start=0, target=target, state=ReviewState.REVIEWED
    )


def test_memory_round_trip(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "m.tmx")
    memory.learn([_reviewed("Hallo.", "Hello.")])
    memory.save()
    assert TranslationMemory(tmp_path / "m.tmx").lookup("Hallo.") == "Hello."


def _disk_full(path, content) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("name", "patch", "fragment"),
    [
        # the folder for the memory cannot be created (an unwritable output folder)
        ("blocker/m.tmx", None, "cannot save the translation memory: File exists"),
        # a full disk while writing the temporary file
        ("m.tmx", _disk_full, "cannot save the translation memory: No space left on device"),
    ],
)
def test_unsavable_memory_is_a_user_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name, patch, fragment
) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be")
    path = tmp_path / name
    if patch is None:
        memory = TranslationMemory(path)
    else:
        first = TranslationMemory(path)
        first.learn([_reviewed("Hallo.", "Hello.")])
        first.save()
        memory = TranslationMemory(path)
        monkeypatch.setattr(memory_module, "write_atomic", patch)
    before = path.read_bytes() if path.exists() else None
    memory.learn([_reviewed("Nee.", "No.")])
    with pytest.raises(UserError, match=fragment) as caught:
        memory.save()
    assert str(caught.value).startswith(f"{path}: ")
    assert "--no-memory" in str(caught.value)
    assert (path.read_bytes() if path.exists() else None) == before
