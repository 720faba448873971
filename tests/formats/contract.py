"""Contract tests every bilingual format inherits (translate-toolkit style).

A format's test module subclasses `FormatContract`, sets `fmt`, and
overrides `validate` (run the real validator) and `toolkit_units` (read the
file back with translate-toolkit) where the format has them. Round trips never
depend on the validator: without the schemas only `test_validator_accepts` skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.document import Document, Flag, Paragraph, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import Format, Provenance, comment_text, note_lines
from toolkit.formats.notes import reviewer_notes
from toolkit.segment import segment_text

NON_ASCII = "Zo’n “idee” van Oekraïne, België en Curaçao — 50% ‘echt’ & <vet>.\n\nTweede alinea."
DUPLICATES = "Dezelfde alinea.\n\nIets anders.\n\nDezelfde alinea."
# Characters that Python's str.splitlines (and so polib) takes for line breaks, a tab,
# DEL, C1 and non-breaking spaces: text pasted from Word and web pages holds them.
LINE_BREAK_LOOKALIKES = "Een\u2028regel\u2029alinea\x85NEL\ttab\x7fDEL\xa0nbsp\u202fsmal."
PROVENANCE = Provenance(engine="contract-engine 1.0", glossary="contract glossary")


def translated(text: str, name: str = "doc") -> Document:
    """A document whose targets are marked per paragraph, one of them reviewed."""
    document = segment_text(text, name, f"in/{name}.txt")
    for paragraph in document.paragraphs:
        for number, sentence in enumerate(paragraph.sentences, 1):
            sentence.target = f"EN{paragraph.index}.{number} {sentence.source[::-1]}"
        paragraph.target = " ".join(s.target for s in paragraph.sentences)
        paragraph.state = ReviewState.MACHINE
    if document.paragraphs:
        document.paragraphs[-1].state = ReviewState.REVIEWED
    return document


class FormatContract:
    fmt: Format

    def validate(self, path: Path) -> None:
        """Run the format's real validator on `path`; fail the test if it rejects it."""

    def toolkit_units(self, path: Path) -> list[tuple[str, str]] | None:
        """(source, target) pairs as translate-toolkit reads them, or None if it cannot."""
        return None

    def expected_units(self, document: Document) -> list[tuple[str, str]]:
        return [(p.source, p.target) for p in document.paragraphs]

    def expected_paragraph(self, document: Document, paragraph: Paragraph) -> tuple:
        """What reading a written paragraph must give: text, state, notes, comment."""
        return (
            paragraph.index,
            paragraph.source,
            paragraph.target,
            paragraph.state,
            note_lines(reviewer_notes(document, paragraph)),
            comment_text(paragraph.translator_comment),
            paragraph.previous_source,
        )

    def expected_metadata(self, document: Document) -> dict[str, str]:
        return document.metadata

    def _write(self, tmp_path: Path, document: Document) -> Path:
        path = tmp_path / f"{document.name}{self.fmt.suffix}"
        path.write_text(self.fmt.dumps(document, PROVENANCE), encoding="utf-8")
        return path

    def _round_trip(self, tmp_path: Path, document: Document) -> Document:
        path = self._write(tmp_path, document)
        units = self.toolkit_units(path)
        if units is not None:
            assert units == self.expected_units(document)
        return self.fmt.loads(path.read_text(encoding="utf-8"), str(path))

    def _assert_same(self, back: Document, original: Document) -> None:
        if original.paragraphs:  # the name is carried by the units (msgctxt, resname)
            assert back.name == original.name
        assert back.metadata == self.expected_metadata(original)
        assert [self.read_paragraph(p) for p in back.paragraphs] == [
            self.expected_paragraph(original, p) for p in original.paragraphs
        ]

    def read_paragraph(self, paragraph: Paragraph) -> tuple:
        """A read-back paragraph as `expected_paragraph` words it: its notes are already lines."""
        return (
            paragraph.index,
            paragraph.source,
            paragraph.target,
            paragraph.state,
            paragraph.notes,
            paragraph.translator_comment,
            paragraph.previous_source,
        )

    def test_round_trip(self, tmp_path: Path) -> None:
        original = translated("Eerste zin. Tweede zin.\n\nKop\n\nDerde alinea.")
        self._assert_same(self._round_trip(tmp_path, original), original)

    @pytest.mark.parametrize(
        "text",
        [
            "date 2023-04 Poetin sprak.\n\nKernwapens",  # metadata and a heading note
            NON_ASCII,
            DUPLICATES,
            LINE_BREAK_LOOKALIKES,
        ],
    )
    def test_validator_accepts(self, tmp_path: Path, text: str) -> None:
        # the only test that needs the official schemas; round trips run without them
        document = translated(text)
        document.paragraphs[0].translator_comment = "controleer\u2028dit"
        self.validate(self._write(tmp_path, document))

    def test_notes_comments_and_metadata_round_trip(self, tmp_path: Path) -> None:
        original = translated("date 2023-04-01 Poetin sprak.\n\nKernwapens\n\nDerde alinea.")
        original.paragraphs[0].notes.append("memory: exact match\nsecond line")
        original.paragraphs[0].flags.append(Flag.read("term 'Kiev' needs 'Kyiv'"))
        original.paragraphs[1].translator_comment = "check the heading style\n  indented"
        original.paragraphs[2].previous_source = "Derde alinea, oud."
        self._assert_same(self._round_trip(tmp_path, original), original)

    @pytest.mark.parametrize(
        ("comment", "stored"),
        [
            # a reviewed paragraph's comment pasted from Word: each break a line of its own
            ("eerst\u2028dan\u2029daarna\x85einde", "eerst\ndan\ndaarna\neinde"),
            # vertical tab, form feed and CR made PO files that could not be read back
            ("a\x0bb\x0cc\rd\r\ne", "a\nb\nc\nd\ne"),
            # a long comment was re-wrapped by polib: newlines appeared for spaces
            ("woord  " * 30, ("woord  " * 30).rstrip()),
        ],
    )
    def test_translator_comment_is_stored_safely(
        self, tmp_path: Path, comment: str, stored: str
    ) -> None:
        original = translated("Eerste zin.")
        original.paragraphs[0].translator_comment = comment
        back = self._round_trip(tmp_path, original)
        assert (
            self.read_paragraph(back.paragraphs[0])[5]
            == self.expected_paragraph(original, original.paragraphs[0])[5]
        )
        assert self.expected_paragraph(original, original.paragraphs[0])[5] in ("", stored)

    def test_line_separators_in_text_round_trip(self, tmp_path: Path) -> None:
        # polib split a\u2028b at the separator and read back only "b": reviewed work lost
        original = translated(LINE_BREAK_LOOKALIKES + "\n\nTweede.")
        back = self._round_trip(tmp_path, original)
        self._assert_same(back, original)
        assert back.paragraphs[0].state is ReviewState.MACHINE
        assert back.paragraphs[1].state is ReviewState.REVIEWED

    def test_document_name_with_a_newline_reads_back(self, tmp_path: Path) -> None:
        # a source file called "a\nb.txt" made a PO whose msgctxt no longer matched
        original = translated("Eerste zin.", name="twee\nregels met spatie")
        original.path = "in/twee\nregels met spatie*%.txt"
        self._assert_same(self._round_trip(tmp_path, original), original)

    def test_unsafe_character_in_a_file_is_refused_with_its_line(self, tmp_path: Path) -> None:
        # a form feed XML cannot carry must not reach the next writer through a reviewed file
        original = translated("Eerste zin.\n\nTweede zin.")
        original.paragraphs[1].target = "Second\x0csentence."
        try:
            text = self.fmt.dumps(original, PROVENANCE)
        except UserError:
            return  # refused when writing (XML formats): never a file that cannot be read
        with pytest.raises(UserError, match=r"holds U\+000C \(FORM FEED\)"):
            self.fmt.loads(text, "x")

    def test_non_ascii(self, tmp_path: Path) -> None:
        original = translated(NON_ASCII)
        self._assert_same(self._round_trip(tmp_path, original), original)

    def test_empty_document(self, tmp_path: Path) -> None:
        original = Document(name="empty", path="in/empty.txt", text="")
        assert self._round_trip(tmp_path, original).paragraphs == []

    def test_duplicate_paragraphs_stay_apart(self, tmp_path: Path) -> None:
        original = translated(DUPLICATES)
        back = self._round_trip(tmp_path, original)
        self._assert_same(back, original)
        assert back.paragraphs[0].source == back.paragraphs[2].source

    def test_untranslated_stays_untranslated(self, tmp_path: Path) -> None:
        original = segment_text("Nog niet vertaald.", "doc")
        back = self._round_trip(tmp_path, original)
        assert [(p.target, p.state) for p in back.paragraphs] == [("", ReviewState.UNTRANSLATED)]

    def test_notes_and_term_decisions_preserved(self, tmp_path: Path) -> None:
        original = translated("Poetin sprak in Kiev.")
        paragraph = original.paragraphs[0]
        paragraph.sentences[0].terms = [
            TermMatch(
                "Poetin",
                "Putin",
                "Poetin",
                0,
                6,
                TermOutcome.REPAIRED,
                "inject",
                "engine wrote 'Poetin'",
            ),
            TermMatch(
                "Kiev", "Kyiv", "Kiev", 16, 20, TermOutcome.MISSING, "", "no allowed rendering"
            ),
        ]
        paragraph.flags.append(Flag.read("term 'Kiev' needs 'Kyiv'"))
        text = self._write(tmp_path, original).read_text(encoding="utf-8")
        for needle in (
            "'Poetin' → 'Putin': repaired by inject",
            "FLAGGED: term 'Kiev' needs 'Kyiv'",
        ):
            assert needle.replace("'", "&apos;") in text or needle in text, needle
        # issue 15: a missing term was noted twice, as a term line and as its flag
        assert "'Kiev' → 'Kyiv': missing" not in text.replace("&apos;", "'")
        assert text.replace("&apos;", "'").count("FLAGGED: term 'Kiev' needs 'Kyiv'") == 1
