"""Where a document's outputs go and how they are written: every file atomically, or none.

All contents are rendered before the first file is written, so a document
that one format cannot serialise leaves its earlier outputs untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.document import Document
from toolkit.documents import BY_EXTENSION, english_suffix, write_english
from toolkit.files import write_atomic
from toolkit.formats import FORMATS, Format, Provenance
from toolkit.formats.english import SUFFIX as ENGLISH_SUFFIX
from toolkit.formats.english import english_text

OUTPUT_SUFFIXES = (
    ENGLISH_SUFFIX,
    *(f.suffix for f in FORMATS.values()),
    *(f".en{ext}" for ext in BY_EXTENSION),
)
STATE_FOLDER = ".toolkit"  # completion markers, cache and lock, inside the output folder


def output_paths(document: Document, folder: Path, formats: Sequence[Format]) -> list[Path]:
    """The bilingual files in the order of `formats`, then the English document."""
    suffixes = (*(f.suffix for f in formats), english_suffix(document))
    return [folder / f"{document.name}{suffix}" for suffix in suffixes]


def write_document(
    document: Document, folder: Path, formats: Sequence[Format], provenance: Provenance
) -> list[Path]:
    """Write the bilingual files and the English document (in the source's format), each
    atomically."""
    paths = output_paths(document, folder, formats)
    english = write_english(document) if document.source_format else english_text(document)
    contents = [fmt.dumps(document, provenance) for fmt in formats] + [english]
    for path, content in zip(paths, contents, strict=True):
        write_atomic(path, content)
    return paths
