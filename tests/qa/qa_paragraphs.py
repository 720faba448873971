"""Building the `Paragraph`s the QA tests check, as the pipeline leaves them after enforcement."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.document import Paragraph, Sentence, TermMatch


def paragraph(
    source: str,
    target: str,
    *,
    heading: bool = False,
    terms: Sequence[TermMatch] = (),
) -> Paragraph:
    """A one-sentence paragraph (a heading when asked), its English set as a whole."""
    sentence = Sentence(source=source, start=0, end=len(source), terms=list(terms))
    return Paragraph(
        index=1, source=source, line=1, start=0, sentences=[sentence], target=target,
        heading=heading,
    )  # fmt: skip


def sentences(sources: Sequence[str], target: str) -> Paragraph:
    """A paragraph of several Dutch sentences translated as a whole (a translator's edit)."""
    given = aligned(*((source, "") for source in sources))
    given.target = target
    return given


def aligned(*pairs: tuple[str, str]) -> Paragraph:
    """A paragraph of sentences with their own targets, joined as `assemble_paragraphs` does."""
    sentences, offset = [], 0
    for source, target in pairs:
        sentences.append(
            Sentence(source=source, start=offset, end=offset + len(source), target=target)
        )
        offset += len(source) + 1
    return Paragraph(
        index=1,
        source=" ".join(source for source, _ in pairs),
        line=1,
        start=0,
        sentences=sentences,
        target=" ".join(s.target for s in sentences if s.target),
    )
