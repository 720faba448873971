"""The contract every bilingual file format implements over the document model.

Also the text rules all formats share, so a document reads back the same from
any of them: how translator comments and notes are split into lines, and which
characters a file from outside may bring in (`check_paragraph`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from toolkit import __version__
from toolkit.document import Document, Paragraph
from toolkit.files import check_characters

# Everything some reader treats as a line break (Python's str.splitlines splits on all
# of these; gettext and XML only on \n): in comments and notes each one is a new line.
LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Provenance:
    """What produced a file, for its header: reviewers and scripts need to know."""

    engine: str = "none"
    glossary: str = ""
    toolkit_version: str = __version__
    # said first in every header where the English is not fit to use (a domain model outside
    # its domain, most paragraphs high risk): "WARNING: the English is unusable …"
    caveat: str = ""

    @property
    def generator(self) -> str:
        return f"toolkit {self.toolkit_version}; engine: {self.engine}"


class Format(Protocol):
    """A file format: writes a document to text and reads one back."""

    name: str  # the `--format` choice
    suffix: str  # appended to the document name: NAME + suffix
    extensions: tuple[str, ...]  # file name endings of this format, from any tool
    readable: bool  # False: write-only (the review page); `loads` is never asked

    def dumps(self, document: Document, provenance: Provenance) -> str: ...

    def loads(self, text: str, path: str) -> Document: ...


def comment_text(text: str) -> str:
    """A translator comment as every format stores it: lines split at any line break,
    trailing spaces trimmed (PO readers drop them), no blank lines at either end."""
    lines = [line.rstrip() for line in LINE_BREAKS.split(text)]
    return "\n".join(lines).strip("\n")


def note_lines(notes: Iterable[str]) -> list[str]:
    """Reviewer notes as every format reads them back: one per non-blank line."""
    return [line.rstrip() for note in notes for line in LINE_BREAKS.split(note) if line.strip()]


def one_line(text: str) -> str:
    """`text` with every line break made a space, for single-line header fields."""
    return LINE_BREAKS.sub(" ", text)


def check_paragraph(paragraph: Paragraph, path: str, line: int | None) -> None:
    """Refuse a paragraph read from a file if it holds a character the formats cannot carry."""
    for text in (
        paragraph.source,
        paragraph.target,
        paragraph.previous_source,
        paragraph.translator_comment,
        *paragraph.notes,
        *(s.source for s in paragraph.sentences),
        *(s.target for s in paragraph.sentences),
    ):
        # The unit's own line, not lines inside its text: that is where an editor finds it.
        check_characters(text.replace("\n", " "), path, line or 1)


_COUNT = re.compile(r"[0-9]{1,9}")


def line_number(text: str | None) -> int | None:
    """A line number or index as a file writes it: ASCII digits, at most nine of them.

    `str.isdigit` accepts "²" and `int` refuses it; `int` also refuses a number of more
    than 4,300 digits. Either was a traceback; here it is None, for the reader's one line.
    """
    text = (text or "").strip()
    return int(text) if _COUNT.fullmatch(text) else None
