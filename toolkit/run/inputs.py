"""Which files a run translates: folders expanded recursively, list files read, outputs excluded.

A folder's files that the include pattern leaves out are listed too (`InputFiles.ignored`),
so a run can say how many it did not translate instead of skipping them without a word.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

from toolkit.documents import DEFAULT_INCLUDE
from toolkit.files import read_text
from toolkit.run.outputs import OUTPUT_SUFFIXES, STATE_FOLDER

# A document is held in memory with all its outputs at once, and the merge compares its
# paragraphs pairwise: a larger input fails alone (`--max-document-bytes`) instead.
MAX_DOCUMENT_BYTES = 2_000_000


class InputFiles(list[tuple[Path, Path]]):
    """(file, output subfolder) pairs, plus the files of input folders that were left out."""

    def __init__(self) -> None:
        super().__init__()
        self.ignored: list[Path] = []  # not matching the include pattern (hidden files aside)


def matches(name: str, include: str) -> bool:
    """The include globs (comma-separated) on a file name, any capitalisation (`UPPER.TXT`
    is a `*.txt`)."""
    return any(
        fnmatch.fnmatchcase(name.casefold(), glob.strip().casefold())
        for glob in include.split(",")
        if glob.strip()
    )


def collect_inputs(inputs: Iterable[Path], include: str = DEFAULT_INCLUDE) -> InputFiles:
    """Expand folders to their matching files (never our own outputs), recursively.

    Returns (file, output subfolder) pairs, so a folder's tree is mirrored and
    two `a.txt` in different folders never write to the same output.
    """
    found = InputFiles()
    for item in inputs:
        if not item.is_dir():
            found.append((item, Path(".")))
            continue
        for path in sorted(item.rglob("*")):
            relative = path.relative_to(item)
            if (
                not path.is_file()
                or path.name.casefold().endswith(OUTPUT_SUFFIXES)
                or STATE_FOLDER in relative.parts
            ):
                continue
            if matches(path.name, include):
                found.append((path, path.parent.relative_to(item)))
            elif not any(part.startswith(".") for part in relative.parts):
                found.ignored.append(path)
    return found


def read_file_list(path: Path) -> list[Path]:
    """Inputs listed one per line in a file (blank lines and `#` comments ignored)."""
    lines = read_text(path).splitlines()
    return [Path(line.strip()) for line in lines if line.strip() and not line.startswith("#")]
