"""`english_sentences` returns exactly what pySBD's own `Segmenter.segment` gives, in linear
time: pySBD compiles one regex per sentence to map it back onto the text, which was most of
the QA stage's time (the `dropped` check splits every paragraph's English)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pysbd  # type: ignore[import-untyped]
import pytest

from toolkit.qa.base import english_sentences


def pysbd_sentences(text: str) -> list[str]:
    """The reference: pySBD's full segment(), stripped as `english_sentences` strips it."""
    if not text.strip():
        return []
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for s in segmenter.segment(text) if s.strip()]


CASES = [
    # the plain case: two sentences, the space between them belongs to the first
    "The sun shone. It was warm.",
    # a sentence repeated: each copy must map onto its own place, not the first one's
    "Yes. Yes. Yes. No.",
    # an abbreviation pySBD keeps inside its sentence
    "Dr. Smith went to Washington D.C. yesterday. He came back today.",
    # a non-breaking space and a tab after a sentence: \s matches them, str.isspace too
    "First one.\u00a0Second one.\tThird one.",
    # ASCII separators 0x1c-0x1f count as whitespace for both \s and str.isspace
    "One.\x1cTwo.\x1fThree.",
    # numbers and an ellipsis, where pySBD rewrites the text while processing it
    "It cost 1.5 million... Then 2.000 more! Why? Nobody knows.",
    # quotes and brackets around sentence ends
    'He said "Stop." (Then he left.) She stayed.',
    # leading and trailing whitespace, and blank lines inside
    "  Leading space.\n\n  Trailing space.   ",
    # a list, where pySBD's list-item pass changes the text
    "1. First item. 2. Second item. 3. Third item.",
    # gibberish with no end mark at all (what the seeded test model writes)
    "kraakdraut brovelt snijmaat gruntel vlaks",
    # only whitespace: nothing to split
    " \n\t ",
]


@pytest.mark.parametrize("text", CASES)
def test_english_sentences_match_pysbd_segment(text: str) -> None:
    assert english_sentences(text) == pysbd_sentences(text)


def test_english_sentences_match_pysbd_segment_on_random_paragraphs() -> None:
    # random mixes of the pieces above: repeats, abbreviations, odd spaces, quotes, numbers
    pieces = ["The sun shone.", "Yes.", "Dr. Smith left.", "It cost 1.5 million.", '"Stop."',
              "(Then he left.)", "Why?", "Wow!", "etc.", "U.S. troops", "and so on"]  # fmt: skip
    spaces = [" ", "  ", "\u00a0", "\n", "\t", ""]
    rng = random.Random(14)
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(1, 9)))
        assert english_sentences(text) == pysbd_sentences(text), text


def test_english_sentences_compile_no_regex_per_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    # pySBD's last pass compiled `re.escape(sentence) + r"\s*"` for every sentence of every
    # paragraph (distinct sentences never hit re's cache): 63% of the QA stage's splitting
    def refuse(self: object, sentences: list[str]) -> list[str]:
        raise AssertionError("pySBD's regex-per-sentence pass ran")

    monkeypatch.setattr(pysbd.Segmenter, "sentences_with_char_spans", refuse)
    text = " ".join(f"Sentence number {n} ends here." for n in range(50))
    assert english_sentences(text) == [f"Sentence number {n} ends here." for n in range(50)]


@pytest.mark.parametrize(
    "unit",
    [
        # one sentence repeated: each copy was searched for from the paragraph's start (74 s
        # for 100 KB before; issue 23)
        "Yes. ",
        # abbreviations: pySBD rewrote the whole paragraph once per occurrence (80 s for 200 KB)
        "Dr. Smith met the U.S. envoy at 5 p.m. and e.g. talked. It cost 1.5 million... Why? ",
    ],
)
def test_english_sentences_of_a_long_paragraph_take_linear_time(unit: str) -> None:
    assert english_sentences(unit * 3)[0] == unit.split(". ")[0] + "." or unit.startswith("Dr.")
    small, large = (
        _seconds(english_sentences, (unit * (n // len(unit) + 1))[:n]) for n in (15_000, 60_000)
    )
    # four times the text: about four times the time when linear, sixteen when quadratic (the
    # margin absorbs a busy machine: before the fix, 15 KB took 2 s and 60 KB 35 s)
    assert large < 12 * small + 1.5, f"{small:.2f} s for 15 KB, {large:.2f} s for 60 KB"


def _seconds(function: Callable[[str], object], text: str) -> float:
    """The best of two timings: a busy machine only ever adds time."""
    timings = []
    for _ in range(2):
        began = time.perf_counter()
        function(text)
        timings.append(time.perf_counter() - began)
    return min(timings)
