"""The format registry: one module per file format, one entry here each.

The CLI builds its `--format` choices from `FORMATS`, so the two cannot drift.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import UserError
from toolkit.formats.base import Format, Provenance
from toolkit.formats.po import PoFormat

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (PoFormat(),)}
EXTENSIONS = {".po": "po", ".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx", ".tsv": "tsv"}


def format_for_path(path: Path) -> Format:
    """The readable format a file is in, judged by its name."""
    for fmt in FORMATS.values():
        if path.name.endswith(fmt.suffix):
            return fmt
    name = EXTENSIONS.get(path.suffix.lower())
    if name in FORMATS:
        return FORMATS[name]
    known = ", ".join(sorted(EXTENSIONS))
    raise UserError(f"unknown file type; expected one of {known}", path=path)


__all__ = ["FORMATS", "Format", "Provenance", "format_for_path"]
