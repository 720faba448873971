"""The English document: the translation alone, paragraph for paragraph.

Paragraph i of the output is paragraph i of the source, separated by blank
lines; a `date` metadata prefix is written back where the source had it, so
the document keeps its shape for whatever reads it next.
"""

from __future__ import annotations

from toolkit.document import Document

SUFFIX = ".en.txt"


def english_text(document: Document) -> str:
    paragraphs = [paragraph.target for paragraph in document.paragraphs]
    if "date" in document.metadata and paragraphs:
        paragraphs[0] = f"date {document.metadata['date']} {paragraphs[0]}".rstrip()
    return "\n\n".join(paragraphs) + "\n"
