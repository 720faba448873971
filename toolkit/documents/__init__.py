"""Formatted source documents: DOCX, ODT, HTML and Markdown in, the same format out in English.

One module per format, one registry here (by file extension), as for the
bilingual formats. `read_source` turns a file into the document model with
inline tags; `write_english` puts a translated document back into its file.
Plain text (`.txt`) stays with `toolkit.segment`.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import Document
from toolkit.documents.base import DocumentFormat, build_document, write_translation
from toolkit.documents.docx import DocxFormat
from toolkit.documents.html import HtmlFormat
from toolkit.documents.markdown import MarkdownFormat
from toolkit.documents.odt import OdtFormat
from toolkit.errors import UserError

DOCUMENT_FORMATS: dict[str, DocumentFormat] = {
    fmt.name: fmt for fmt in (DocxFormat(), OdtFormat(), HtmlFormat(), MarkdownFormat())
}
BY_EXTENSION = {ext: fmt for fmt in DOCUMENT_FORMATS.values() for ext in fmt.extensions}
TEXT_EXTENSIONS = (".txt",)
SUPPORTED_EXTENSIONS = (*TEXT_EXTENSIONS, *BY_EXTENSION)
DEFAULT_INCLUDE = ",".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
# what a user might hand us that we cannot read, and what to do instead
CONVERT_HINTS = {
    ".doc": "save it as .docx or convert it: soffice --headless --convert-to docx FILE.doc",
    ".rtf": "convert it: soffice --headless --convert-to docx",
    ".pdf": "convert it to text first (pdftotext FILE.pdf) or translate its DOCX/ODT source",
    ".odp": "export the text as .odt or .docx",
    ".pptx": "export the text as .odt or .docx",
    ".xlsx": "export the text as .odt or .docx",
    ".ods": "export the text as .odt or .docx",
    ".epub": "convert it: ebook-convert FILE.epub FILE.docx (Calibre)",
}


def document_format(path: Path) -> DocumentFormat | None:
    """The formatted-document reader for a file name, or None for plain text."""
    return BY_EXTENSION.get(path.suffix.lower())


def read_source(path: Path, data: bytes, name: str | None = None) -> Document:
    """The document model of a DOCX, ODT, HTML or Markdown file's bytes."""
    fmt = document_format(path)
    if fmt is None:
        raise UserError("is not a DOCX, ODT, HTML or Markdown file", path=path)
    document = build_document(
        fmt.parse(data, str(path)), name or path.stem, str(path), fmt.name, data
    )
    if not document.paragraphs:
        raise UserError("has no text to translate; remove it from the inputs", path=path)
    return document


def read_any(path: Path) -> Document:
    """Any input the toolkit translates: a formatted document, or a UTF-8 text file."""
    from toolkit.files import read_limited
    from toolkit.segment import read_document

    fmt = document_format(path)
    if fmt is not None:
        return read_source(path, read_limited(path), name=path.stem)
    hint = CONVERT_HINTS.get(path.suffix.lower())
    if hint is not None:
        raise UserError(
            f"is a {path.suffix.lower()} file, which the toolkit does not read; {hint}", path=path
        )
    return read_document(path)


def english_suffix(document: Document) -> str:
    """`.en.docx` for a DOCX, `.en.md` for Markdown...; `.en.txt` for plain text."""
    if not document.source_format:
        return ".en.txt"
    fmt = DOCUMENT_FORMATS[document.source_format]
    ext = Path(document.path).suffix.lower()
    return ".en" + (ext if ext in fmt.extensions else fmt.extensions[0])


def write_english(document: Document) -> bytes:
    """The translated document in its own format (see `write_translation`)."""
    return write_translation(DOCUMENT_FORMATS[document.source_format], document)


__all__ = [
    "DEFAULT_INCLUDE",
    "DOCUMENT_FORMATS",
    "SUPPORTED_EXTENSIONS",
    "document_format",
    "english_suffix",
    "read_any",
    "read_source",
    "write_english",
]
