"""TSV output: Python's csv module and translate-toolkit read it back to the same sentences."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from contract import PROVENANCE, FormatContract, translated

from toolkit.document import Document, Flag, Paragraph, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import note_lines
from toolkit.formats.notes import reviewer_notes
from toolkit.formats.tsv import HEADER, TsvFormat
from toolkit.segment import segment_text

# translate-toolkit's CSV store names its columns itself; these are ours in its words.
TOOLKIT_COLUMNS = ["context", "id", "location", "source", "target", "fuzzy", "developer_comments"]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter="\t"))


class TestTsvContract(FormatContract):
    fmt = TsvFormat()

    def validate(self, path: Path) -> None:
        rows = _rows(path.read_text(encoding="utf-8"))
        assert tuple(rows[0]) == HEADER
        assert all(len(row) == len(HEADER) for row in rows), rows

    def toolkit_units(self, path: Path) -> list[tuple[str, str]]:
        from translate.storage.csvl10n import csvfile

        store = csvfile(fieldnames=TOOLKIT_COLUMNS)
        store.parse(path.read_bytes(), dialect="excel-tab")
        return [(u.source, u.target) for u in store.units[1:]]  # [0] is our header row

    def expected_units(self, document: Document) -> list[tuple[str, str]]:
        return [(s.source, s.target) for s in document.sentences]

    def expected_paragraph(self, document: Document, paragraph: Paragraph) -> tuple:
        # TSV holds term decisions and flags only: no comment, paragraph notes, metadata
        part = Paragraph(index=0, source="", line=0, start=0, sentences=paragraph.sentences)
        part.flags = paragraph.flags
        notes = note_lines(reviewer_notes(document, part))
        return (paragraph.index, paragraph.source, paragraph.target, paragraph.state, notes, "", "")

    def read_paragraph(self, paragraph: Paragraph) -> tuple:
        notes = paragraph.notes + [f"FLAGGED: {flag}" for flag in paragraph.flags]
        return (paragraph.index, paragraph.source, paragraph.target, paragraph.state, notes, "", "")

    def expected_metadata(self, document: Document) -> dict[str, str]:
        return {}


def _dumps(document: Document) -> str:
    return TsvFormat().dumps(document, PROVENANCE)


def _round_trip(document: Document) -> Document:
    fmt = TsvFormat()
    return fmt.loads(fmt.dumps(document, PROVENANCE), "x.nl-en.tsv")


def test_one_row_per_sentence() -> None:
    rows = _rows(_dumps(translated("Eerste zin. Tweede zin.\n\nKop")))
    assert rows == [
        list(HEADER),
        ["doc", "1", "1", "Eerste zin.", "EN1.1 .niz etsreE", "machine", "", ""],
        ["doc", "1", "2", "Tweede zin.", "EN1.2 .niz edeewT", "machine", "", ""],
        ["doc", "2", "1", "Kop", "EN2.1 poK", "reviewed", "", ""],
    ]


def test_paragraph_edited_as_a_whole_is_one_star_row() -> None:
    document = translated("Eerste zin. Tweede zin.")
    document.paragraphs[0].target = "One sentence now."
    rows = _rows(_dumps(document))
    assert rows[1:] == [
        ["doc", "1", "*", "Eerste zin. Tweede zin.", "One sentence now.", "reviewed", "", ""]
    ]
    back = _round_trip(document).paragraphs[0]
    assert (back.source, back.target, back.state) == (
        "Eerste zin. Tweede zin.",
        "One sentence now.",
        ReviewState.REVIEWED,
    )


def test_hard_wrapped_dutch_survives_as_a_star_row() -> None:
    # regression: sentence rows joined with one space turned the wrap into a space, so
    # the Dutch no longer matched the source and merging lost the reviewed translation
    document = translated("Eerste zin\nloopt door. Tweede zin.\nDerde zin.")
    rows = _rows(_dumps(document))
    assert [row[2] for row in rows[1:]] == ["*"]
    assert _round_trip(document).paragraphs[0].source == document.paragraphs[0].source


def test_paragraph_read_from_a_po_file_has_no_sentences_but_still_a_row() -> None:
    document = translated("Eerste zin.")
    document.paragraphs[0].sentences = []
    assert [row[2:5] for row in _rows(_dumps(document))[1:]] == [
        ["*", "Eerste zin.", "EN1.1 .niz etsreE"]
    ]


@pytest.mark.parametrize(
    "english",
    [
        "a\ttab",  # the delimiter inside a cell
        "two\nlines",  # a newline inside a cell
        'a "quoted" word',  # the quote character inside a cell
        '"starts with a quote',  # a leading quote must not open an unterminated cell
    ],
)
def test_awkward_cells_are_quoted_and_read_back(english: str) -> None:
    document = translated("Een zin.")
    document.paragraphs[0].sentences[0].target = english
    document.paragraphs[0].target = english
    rows = _rows(_dumps(document))
    assert all(len(row) == len(HEADER) for row in rows)
    assert rows[1][4] == english
    assert _round_trip(document).paragraphs[0].target == english


def test_term_notes_per_sentence_and_flags_on_every_row() -> None:
    document = translated("Poetin sprak. Hij ging naar Kiev.")
    first, second = document.paragraphs[0].sentences
    first.terms = [TermMatch("Poetin", "Putin", "Poetin", 0, 6, TermOutcome.REPAIRED, "inject")]
    second.terms = [TermMatch("Kiev", "Kyiv", "Kiev", 14, 18, TermOutcome.MISSING)]
    document.paragraphs[0].flags = [Flag.read("term 'Kiev' needs 'Kyiv'")]
    rows = _rows(_dumps(document))
    assert [row[6] for row in rows[1:]] == [
        "FLAGGED: term 'Kiev' needs 'Kyiv' | term 'Poetin' → 'Putin': repaired by inject",
        "FLAGGED: term 'Kiev' needs 'Kyiv'",  # the missing term said once, by its flag
    ]
    back = _round_trip(document).paragraphs[0]
    assert back.flags == ["term 'Kiev' needs 'Kyiv'"]
    assert back.notes == ["term 'Poetin' → 'Putin': repaired by inject"]


def test_spreadsheet_edits_rebuild_the_paragraph() -> None:
    text = _dumps(translated("Eerste zin. Tweede zin.\n\nDerde."))
    rows = _rows(text)
    rows[2][4] = "Second sentence, edited."
    rows[1][5] = rows[2][5] = "reviewed"
    rows[3][5] = "machine"
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)  # as Excel saves
    back = TsvFormat().loads(out.getvalue(), "x.tsv")
    assert [(p.target, p.state) for p in back.paragraphs] == [
        ("EN1.1 .niz etsreE Second sentence, edited.", ReviewState.REVIEWED),
        ("EN2.1 .edreD", ReviewState.MACHINE),
    ]
    assert [s.target for s in back.paragraphs[0].sentences] == [
        "EN1.1 .niz etsreE",
        "Second sentence, edited.",
    ]


def test_paragraph_is_only_as_reviewed_as_its_least_reviewed_sentence() -> None:
    rows = _rows(_dumps(translated("Eerste zin. Tweede zin.")))
    rows[1][5], rows[2][5] = "reviewed", "machine"
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    assert TsvFormat().loads(out.getvalue(), "x.tsv").paragraphs[0].state is ReviewState.MACHINE


def test_untranslated_rows_have_empty_english() -> None:
    rows = _rows(_dumps(segment_text("Nog niet. Echt niet.", "doc")))
    assert [row[3:6] for row in rows[1:]] == [
        ["Nog niet.", "", "untranslated"],
        ["Echt niet.", "", "untranslated"],
    ]


HEAD = "\t".join(HEADER[:-1]) + "\n"  # files from before the risk column are still read


@pytest.mark.parametrize(
    ("tsv", "message"),
    [
        # a CSV from elsewhere, or a TSV saved with commas
        ("source\ttarget\n", "x.tsv:1: not a toolkit TSV file"),
        # nothing at all
        ("", "x.tsv:1: is empty"),
        # a tab typed into a cell without quotes shifts every column after it
        (HEAD + "d\t1\t1\tDe\tzin.\tThe\tmachine\t\n", "x.tsv:2: row has 8 fields, expected 7"),
        # a typo in the status column
        (HEAD + "d\t1\t1\tZin.\tS.\tdone\t\n", "x.tsv:2: unknown status 'done'"),
        # the line number counts the lines of a multi-line cell above
        (
            HEAD + 'd\t1\t1\t"Twee\nregels."\tT.\tmachine\t\nd\t2\tx\tZin.\tS.\tmachine\t\n',
            "x.tsv:4: sentence must be a number from 1 up or '*', not 'x'",
        ),
        # sorting the sheet by another column scrambles the sentences of a paragraph
        (
            HEAD + "d\t1\t2\tB.\tB.\tmachine\t\nd\t1\t1\tA.\tA.\tmachine\t\n",
            "x.tsv:2: paragraph 1: expected sentence 1, found 2",
        ),
        # a whole-paragraph row next to sentence rows of the same paragraph is ambiguous
        (
            HEAD + "d\t1\t*\tA. B.\tAB.\tmachine\t\nd\t1\t2\tB.\tB.\tmachine\t\n",
            "x.tsv:2: paragraph 1 has a '*' row and other rows",
        ),
        # rows pasted in from another document's sheet
        (
            HEAD + "d\t1\t1\tA.\tA.\tmachine\t\ne\t2\t1\tB.\tB.\tmachine\t\n",
            "x.tsv:3: row belongs to document 'e'",
        ),
    ],
)
def test_bad_tsv_names_file_and_line(tsv: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        TsvFormat().loads(tsv, "x.tsv")
    assert str(caught.value).startswith(message), str(caught.value)


def test_risk_column_lets_a_sheet_sort_worst_first() -> None:
    # issue 10: the QA risk score had no place in TSV
    document = translated("Eerste zin. Tweede zin.\n\nKop")
    document.paragraphs[0].risk = 72
    rows = _rows(_dumps(document))
    assert rows[0][-1] == "risk"
    assert [row[-1] for row in rows[1:]] == ["72", "72", ""]  # no QA ran on the heading
    assert [(p.target, p.notes) for p in _round_trip(document).paragraphs] == [
        (p.target, []) for p in document.paragraphs
    ]
