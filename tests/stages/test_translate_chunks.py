"""How the translate stage cuts a batch's sentences into engine calls.

Regression: chunks were cut in document order at 256 sentences, so 519 sentences went out as
256 + 256 + 7 (the last call keeps one CTranslate2 worker busy while the others wait), and
each call mixed short and long sentences (a batch decodes until its longest is done).
"""

from __future__ import annotations

import pytest

from toolkit.engines.base import Hypothesis, Translation
from toolkit.segment import segment_text
from toolkit.stages.process import TRANSLATE_CHUNK, length_sorted_chunks, translate


class RecordingEngine:
    """Echoes each source and records the sources of every call."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def describe(self) -> str:
        return "recording engine"

    def translate(self, sources, num_hypotheses=1):
        self.calls.append(list(sources))
        return [Translation((Hypothesis(f"EN {s}", -1.0),)) for s in sources]


def document_of(sentences: int):
    # lengths cycle 1..9 extra words, so document order is not length order
    text = "\n\n".join(f"Zin {n}{' woord' * (n * 7 % 9)}." for n in range(sentences))
    return segment_text(text, "doc")


# (sentences, call sizes, why)
CHUNK_CASES = [
    (519, [173, 173, 173]),  # the benchmark's 200 paragraphs: was 256, 256, 7
    (257, [129, 128]),  # one past a chunk: was 256, 1
    (256, [256]),  # exactly one chunk: one call
    (3, [3]),  # a small run: one call
    (0, []),  # nothing pending: no call at all
]


@pytest.mark.parametrize(("sentences", "sizes"), CHUNK_CASES)
def test_translate_calls_are_near_equal_and_length_sorted(sentences: int, sizes: list[int]) -> None:
    document = document_of(sentences)
    engine = RecordingEngine()
    translate([document], engine)
    assert [len(call) for call in engine.calls] == sizes
    lengths = [len(source) for call in engine.calls for source in call]
    assert lengths == sorted(lengths, reverse=True)  # longest first, across calls too
    # every sentence still gets its own translation, whatever order it was decoded in
    assert [s.target for s in document.sentences] == [f"EN {s.source}" for s in document.sentences]


def test_length_sorted_chunks_keep_every_source_once_and_ties_in_order() -> None:
    sources = [f"{n:03d}" + "x" * (n % 4) for n in range(2 * TRANSLATE_CHUNK + 5)]
    chunks = length_sorted_chunks(sources)
    flat = [s for chunk in chunks for s in chunk]
    assert sorted(flat) == sorted(sources)
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    assert flat == sorted(sources, key=len, reverse=True)  # stable: ties in document order


class WorkersEngine(RecordingEngine):
    """Decodes `batch_granule` sentences at once, as CTranslate2 with 2 workers × 16 does."""

    batch_granule = 32


@pytest.mark.parametrize(
    ("sentences", "sizes"),
    [
        # measured: three calls of 173 on 2 workers × 16 took 1.15× one call of 519 (each call
        # ends with one worker idle); 192 + 192 + 135 idle once, like one call
        (519, [192, 192, 135]),
        (257, [160, 97]),
        (29, [29]),  # a small run: one call
    ],
)
def test_calls_are_whole_rounds_of_the_engines_workers(sentences: int, sizes: list[int]) -> None:
    engine = WorkersEngine()
    translate([document_of(sentences)], engine)
    assert [len(call) for call in engine.calls] == sizes


def test_an_engine_that_decodes_in_rounds_gets_term_and_plain_sentences_in_one_call() -> None:
    """Regression: a glossary run decoded plain sentences and sentences with terms in separate
    calls, so 10 paragraphs took two rounds of the workers where a plain run took one."""
    from toolkit.glossary.match import TermMatcher
    from toolkit.glossary.model import Entry
    from toolkit.stages.process import match_terms

    document = segment_text("De kernwapen is hier.\n\nHet regent.\n\nDe kernwapen is daar.", "d")
    match_terms([document], TermMatcher([Entry("kernwapen", "nuclear weapon")]))
    engine = WorkersEngine()
    translate([document], engine, n_best=4)
    assert [sorted(call) for call in engine.calls] == [
        sorted(["De kernwapen is hier.", "Het regent.", "De kernwapen is daar."])
    ]
    with_term, plain, _ = document.sentences
    assert plain.alternatives == [] and with_term.target == "EN De kernwapen is hier."
