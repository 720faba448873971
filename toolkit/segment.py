"""Turning Dutch source text into the document model: metadata, paragraphs, sentences.

A paragraph is a block separated by blank lines (a hard-wrapped block stays
one paragraph); a short line on its own without closing punctuation is a
heading ("Kernwapens", "Sovjet-Unie 2.0") and is never split into sentences.
A leading `date YYYY-MM[-DD]` prefix is document metadata, not prose. Every
paragraph and sentence keeps its offsets so it maps back to the source text.
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.document import Document, Paragraph, Sentence
from toolkit.errors import UserError
from toolkit.files import read_text
from toolkit.sentences import split_sentences

METADATA_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*")
BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")  # non-blank lines in a row
HEADING_MAX_CHARS = 80
CLOSING_PUNCTUATION = tuple('.!?:;…"”’)')


def read_document(path: Path, name: str | None = None) -> Document:
    """Read and segment one UTF-8 text file; raise `UserError` for unusable input."""
    text = read_text(path)
    if not text.strip():
        raise UserError("is empty (no text to translate); remove it from the inputs", path=path)
    return segment_text(text, name=name or path.stem, path=str(path))


def segment_text(text: str, name: str, path: str = "") -> Document:
    """Build a document from already decoded text."""
    document = Document(name=name, path=path or name, text=text)
    body_start = 0
    prefix = METADATA_PREFIX.match(text)
    if prefix:
        document.metadata["date"] = prefix.group(1)
        body_start = prefix.end()
    for block in BLOCK.finditer(text, body_start):
        source = block.group().strip()
        start = block.start() + len(block.group()) - len(block.group().lstrip())
        paragraph = Paragraph(
            index=len(document.paragraphs) + 1,
            source=source,
            line=text.count("\n", 0, start) + 1,
            start=start,
            heading=is_heading(source),
        )
        paragraph.sentences = _sentences(paragraph)
        document.paragraphs.append(paragraph)
    return document


def is_heading(line: str) -> bool:
    """A short single line without closing punctuation reads as a heading."""
    line = line.strip()
    return (
        "\n" not in line
        and len(line) <= HEADING_MAX_CHARS
        and not line.endswith(CLOSING_PUNCTUATION)
    )


def _sentences(paragraph: Paragraph) -> list[Sentence]:
    spans = [(0, len(paragraph.source))] if paragraph.heading else split_sentences(paragraph.source)
    return [Sentence(source=paragraph.source[s:e], start=s, end=e) for s, e in spans]
