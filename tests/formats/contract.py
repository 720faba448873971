"""Contract tests every bilingual format inherits (translate-toolkit style).

A format's test module subclasses `FormatContract`, sets `fmt`, and
overrides `validate` (run the real validator) and `toolkit_units` (read the
file back with translate-toolkit) where the format has them.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import Document, ReviewState, TermMatch, TermOutcome
from toolkit.formats.base import Format, Provenance
from toolkit.segment import segment_text

NON_ASCII = "Zo’n “idee” van Oekraïne, België en Curaçao — 50% ‘echt’ & <vet>.\n\nTweede alinea."
DUPLICATES = "Dezelfde alinea.\n\nIets anders.\n\nDezelfde alinea."
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

    def _write(self, tmp_path: Path, document: Document) -> Path:
        path = tmp_path / f"{document.name}{self.fmt.suffix}"
        path.write_text(self.fmt.dumps(document, PROVENANCE), encoding="utf-8")
        return path

    def _round_trip(self, tmp_path: Path, document: Document) -> Document:
        path = self._write(tmp_path, document)
        self.validate(path)
        units = self.toolkit_units(path)
        if units is not None:
            assert units == self.expected_units(document)
        return self.fmt.loads(path.read_text(encoding="utf-8"), str(path))

    def _assert_same(self, back: Document, original: Document) -> None:
        assert [(p.index, p.source, p.target, p.state) for p in back.paragraphs] == [
            (p.index, p.source, p.target, p.state) for p in original.paragraphs
        ]

    def test_round_trip(self, tmp_path: Path) -> None:
        original = translated("Eerste zin. Tweede zin.\n\nKop\n\nDerde alinea.")
        self._assert_same(self._round_trip(tmp_path, original), original)

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
        paragraph.flags.append("term 'Kiev' needs 'Kyiv'")
        text = self._write(tmp_path, original).read_text(encoding="utf-8")
        for needle in (
            "'Poetin' → 'Putin': repaired by inject",
            "'Kiev' → 'Kyiv': missing",
            "FLAGGED: term 'Kiev' needs 'Kyiv'",
        ):
            assert needle.replace("'", "&apos;") in text or needle in text, needle
