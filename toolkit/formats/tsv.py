"""Tab-separated values: one row per sentence, for spreadsheets and scripts.

Columns are `document paragraph sentence dutch english status term_notes risk`;
`status` is the paragraph's review state, `term_notes` its term decisions
and flags, joined with " | ", and `risk` the QA stage's 0-100 score (empty when
none ran), so a spreadsheet sorts the worst first. Files without the `risk`
column (written before it) are read as well. A paragraph that cannot be rebuilt exactly from
its sentence rows (a translator edited it as a whole, or its Dutch is
hard-wrapped) is one row with sentence `*` holding the whole paragraph.
TSV carries no translator comments, paragraph notes, metadata or previous
source: review work that needs them belongs in PO, XLIFF or TMX.
"""

from __future__ import annotations

import csv
import io

from toolkit.document import Document, Flag, Paragraph, ReviewState, Sentence
from toolkit.errors import UserError
from toolkit.formats.base import Provenance, check_paragraph, line_number
from toolkit.formats.notes import reviewer_notes

HEADER = (
    "document", "paragraph", "sentence", "dutch", "english", "status", "term_notes", "risk",
)  # fmt: skip
HEADERS = {HEADER, HEADER[:-1]}  # the second: files written before the risk column
WHOLE_PARAGRAPH = "*"
NOTE_SEPARATOR = " | "
FLAG_PREFIX = "FLAGGED: "
# The paragraph is the unit of review: it is only as far along as its least reviewed row.
STATE_ORDER = (ReviewState.UNTRANSLATED, ReviewState.MACHINE, ReviewState.REVIEWED)


def _joined(parts: list[str]) -> str:
    """Sentences back into a paragraph, as toolkit.stages.process.assemble_paragraphs joins them."""
    return " ".join(part for part in parts if part)


def _splits_cleanly(paragraph: Paragraph) -> bool:
    """Do the sentence rows read back to exactly this paragraph's Dutch and English?"""
    sentences = paragraph.sentences
    return (
        bool(sentences)
        and " ".join(s.source for s in sentences) == paragraph.source
        and _joined([s.target for s in sentences]) == paragraph.target
    )


def _term_notes(document: Document, paragraph: Paragraph, sentences: list[Sentence]) -> str:
    # A stand-in paragraph holding only these sentences and the flags gives exactly the
    # term and flag lines of reviewer_notes, so TSV words them as every other format does.
    part = Paragraph(index=0, source="", line=0, start=0, sentences=sentences)
    part.flags = paragraph.flags
    return NOTE_SEPARATOR.join(reviewer_notes(document, part))


def _cell(text: str) -> str:
    # QUOTE_MINIMAL with a "\n" terminator leaves a bare "\r" unquoted, which no reader
    # survives; toolkit.files.read_text normalises newlines the same way on the way in.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TsvFormat:
    name = "tsv"
    suffix = ".nl-en.tsv"
    extensions: tuple[str, ...] = (".tsv",)  # any file so named is in this format
    readable = True

    def dumps(self, document: Document, provenance: Provenance) -> str:  # noqa: ARG002  (the Format protocol)
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(HEADER)
        for paragraph in document.paragraphs:
            status = paragraph.state.value
            if _splits_cleanly(paragraph):
                rows = [
                    (str(number), s.source, s.target, _term_notes(document, paragraph, [s]))
                    for number, s in enumerate(paragraph.sentences, 1)
                ]
            else:
                notes = _term_notes(document, paragraph, paragraph.sentences)
                rows = [(WHOLE_PARAGRAPH, paragraph.source, paragraph.target, notes)]
            for sentence, dutch, english, notes in rows:
                writer.writerow(
                    [
                        _cell(document.name),
                        str(paragraph.index),
                        sentence,
                        _cell(dutch),
                        _cell(english),
                        status,
                        _cell(notes),
                        "" if paragraph.risk is None else str(paragraph.risk),
                    ]
                )
        return out.getvalue()

    def loads(self, text: str, path: str) -> Document:
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter="\t")
        document = Document(name="", path=path, text="")
        groups: dict[int, list[tuple[int, list[str]]]] = {}
        header_seen = False
        width = len(HEADER)
        line = 1  # where the current row starts; a quoted cell may span lines
        try:
            for row in reader:
                if not row:
                    pass  # a blank line, e.g. at the end of a hand-edited file
                elif not header_seen:
                    if tuple(row) not in HEADERS:
                        raise UserError(
                            "not a toolkit TSV file: the first row must be the header "
                            + " ".join(HEADER)
                            + " (tab-separated)",
                            path=path,
                            line=line,
                        )
                    header_seen = True
                    width = len(row)
                else:
                    self._check_row(row, line, path, width)
                    if document.name and row[0] != document.name:
                        raise UserError(
                            f"row belongs to document {row[0]!r}, the file to "
                            f"{document.name!r}; keep one document per file",
                            path=path,
                            line=line,
                        )
                    document.name = row[0]
                    groups.setdefault(int(row[1]), []).append((line, row))
                line = reader.line_num + 1
        except csv.Error as err:
            raise UserError(
                f"unreadable row ({err}); check the double quotes", path=path, line=line
            ) from None
        if not header_seen:
            raise UserError(
                "is empty; a toolkit TSV file starts with its header row", path=path, line=1
            )
        document.paragraphs = [
            self._paragraph(index, group, path) for index, group in groups.items()
        ]
        return document

    def _check_row(self, row: list[str], line: int, path: str, width: int) -> None:
        if len(row) != width:
            raise UserError(
                f"row has {len(row)} fields, expected {width} ({', '.join(HEADER[:width])}); "
                "a tab inside a cell needs the cell in double quotes",
                path=path,
                line=line,
            )
        if not line_number(row[1]):
            raise UserError(
                f"paragraph must be a number from 1 up, not {row[1]!r}", path=path, line=line
            )
        if row[2] != WHOLE_PARAGRAPH and not line_number(row[2]):
            raise UserError(
                f"sentence must be a number from 1 up or {WHOLE_PARAGRAPH!r}, not {row[2]!r}",
                path=path,
                line=line,
            )
        if row[5] not in {state.value for state in ReviewState}:
            known = ", ".join(state.value for state in ReviewState)
            raise UserError(f"unknown status {row[5]!r}; use one of {known}", path=path, line=line)

    def _paragraph(self, index: int, group: list[tuple[int, list[str]]], path: str) -> Paragraph:
        whole = [line for line, row in group if row[2] == WHOLE_PARAGRAPH]
        if whole and len(group) > 1:
            raise UserError(
                f"paragraph {index} has a {WHOLE_PARAGRAPH!r} row and other rows; "
                "keep either the whole paragraph or its sentences",
                path=path,
                line=whole[0],
            )
        for number, (line, row) in enumerate(group, 1):
            if not whole and int(row[2]) != number:
                raise UserError(
                    f"paragraph {index}: expected sentence {number}, found {row[2]}; "
                    "keep the sentences of a paragraph together and in order",
                    path=path,
                    line=line,
                )
        paragraph = Paragraph(index=index, source="", line=0, start=-1)
        if whole:
            # The sentence split of a paragraph edited as a whole is unknown, as in a PO file.
            paragraph.source, paragraph.target = group[0][1][3], group[0][1][4]
        else:
            offset = 0
            for _, row in group:
                end = offset + len(row[3])
                paragraph.sentences.append(Sentence(row[3], offset, end, target=row[4]))
                offset = end + 1
            paragraph.source = " ".join(s.source for s in paragraph.sentences)
            paragraph.target = _joined([s.target for s in paragraph.sentences])
        states = [ReviewState(row[5]) for _, row in group]
        paragraph.state = min(states, key=STATE_ORDER.index)
        if not paragraph.target:
            paragraph.state = ReviewState.UNTRANSLATED
        for _, row in group:
            for note in filter(None, row[6].split(NOTE_SEPARATOR)):
                if note.startswith(FLAG_PREFIX):
                    flag = Flag.read(note.removeprefix(FLAG_PREFIX))
                    if flag not in paragraph.flags:  # every row repeats its paragraph's flags
                        paragraph.flags.append(flag)
                else:
                    paragraph.notes.append(note)
        check_paragraph(paragraph, path, group[0][0])
        return paragraph
