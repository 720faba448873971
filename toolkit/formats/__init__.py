"""The format registry: one module per file format, one entry here each.

The CLI builds its `--format` choices from `FORMATS`, so the two cannot drift. Each format
class carries its name, its file extensions and whether it can be read back; the tables
here are derived from them. Shared code lives beside the formats: `base` (the contract and
text rules), `notes` (the reviewer's notes), `xml` (XLIFF and TMX parsing and markup).
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import UserError
from toolkit.formats.base import Format, Provenance
from toolkit.formats.html import HtmlFormat
from toolkit.formats.po import PoFormat
from toolkit.formats.tmx import TmxFormat
from toolkit.formats.tsv import TsvFormat
from toolkit.formats.xliff import XliffFormat

FORMATS: dict[str, Format] = {
    fmt.name: fmt for fmt in (PoFormat(), XliffFormat(), TmxFormat(), TsvFormat(), HtmlFormat())
}
WRITE_ONLY = frozenset(fmt.name for fmt in FORMATS.values() if not fmt.readable)
EXTENSIONS = {ext: fmt.name for fmt in FORMATS.values() if fmt.readable for ext in fmt.extensions}


def format_for_path(path: Path) -> Format:
    """The readable format a file is in, judged by its name."""
    for fmt in FORMATS.values():
        if path.name.endswith(fmt.suffix) and fmt.name not in WRITE_ONLY:
            return fmt
    name = EXTENSIONS.get(path.suffix.lower())
    if name in FORMATS:
        return FORMATS[name]
    known = ", ".join(sorted(EXTENSIONS))
    raise UserError(f"unknown file type; expected one of {known}", path=path)


__all__ = ["FORMATS", "WRITE_ONLY", "Format", "Provenance", "format_for_path"]
