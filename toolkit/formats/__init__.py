"""The format registry: one module per file format, one entry here each.

The CLI builds its `--format` choices from `FORMATS`, so the two cannot drift.
"""

from __future__ import annotations

from toolkit.formats.base import Format, Provenance
from toolkit.formats.po import PoFormat

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (PoFormat(),)}

__all__ = ["FORMATS", "Format", "Provenance"]
