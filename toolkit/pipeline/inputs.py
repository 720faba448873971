"""Which files a run translates: folders expanded recursively, list files read, outputs excluded."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

from toolkit.files import read_text
from toolkit.pipeline.outputs import OUTPUT_SUFFIXES, STATE_FOLDER

# A document is held in memory with all its outputs at once, and the merge compares its
# paragraphs pairwise: a larger input fails alone (`--max-document-bytes`) instead.
MAX_DOCUMENT_BYTES = 2_000_000


def collect_inputs(inputs: Iterable[Path], include: str = "*.txt") -> list[tuple[Path, Path]]:
    """Expand folders to their matching files (never our own outputs), recursively.

    Returns (file, output subfolder) pairs, so a folder's tree is mirrored and
    two `a.txt` in different folders never write to the same output.
    """
    pairs: list[tuple[Path, Path]] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if (
                    path.is_file()
                    and fnmatch.fnmatch(path.name, include)
                    and not path.name.endswith(OUTPUT_SUFFIXES)
                    and STATE_FOLDER not in path.relative_to(item).parts
                ):
                    pairs.append((path, path.parent.relative_to(item)))
        else:
            pairs.append((item, Path(".")))
    return pairs


def read_file_list(path: Path) -> list[Path]:
    """Inputs listed one per line in a file (blank lines and `#` comments ignored)."""
    lines = read_text(path).splitlines()
    return [Path(line.strip()) for line in lines if line.strip() and not line.startswith("#")]
