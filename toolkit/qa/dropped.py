"""Content lost on the way: no English at all, a sentence missing, English far shorter
or longer than the Dutch, or a sentence cut off (no end mark where the Dutch has
one, or exactly as many tokens as the engine may decode).

The bands are measured on professional translations (benchmarks/bench_qa.py): short
texts vary too much to judge by length, so length is only read from MIN_CHARS on.
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.document import Paragraph
from toolkit.qa.base import (
    TRAILING_CLOSERS,
    Check,
    CheckOptions,
    end_mark,
    english_sentences,
    estimate_tokens,
    sentence_pairs,
)

MIN_CHARS = 30  # below this a length ratio says little ("Macro's" -> "Macros")
# English/Dutch characters: 0.1% of 2,100 professional paragraphs fall below 0.48,
# none above 1.44; NMT that drops a clause or loops lands outside this band.
LOW_RATIO, HIGH_RATIO = 0.45, 1.8
# One sentence fewer than the Dutch is a dropped sentence only when the English is
# also short: translators merge two short sentences into one of the same length.
MERGED_RATIO = 0.75


def find_dropped(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:
    source, target = paragraph.source, paragraph.target
    if not target.strip():
        yield "the English is empty"
        return
    yield from _empty_sentences(paragraph)
    ratio = len(target) / max(1, len(source))
    dutch_count = 1 if paragraph.heading else max(1, len(paragraph.sentences))
    # the English is split only when it is short: most of this check's time went there
    if ratio < MERGED_RATIO and (english_count := len(english_sentences(target))) < dutch_count:
        yield (
            f"the English has {english_count} sentence{'s' * (english_count != 1)} "
            f"where the Dutch has {dutch_count}, at {ratio:.0%} of its length"
        )
    elif len(source) >= MIN_CHARS and not LOW_RATIO <= ratio <= HIGH_RATIO:
        yield f"the English is {ratio:.0%} of the Dutch's length (usual: 50-140%)"
    pairs = sentence_pairs(paragraph)
    for number, (dutch, english) in enumerate(pairs, 1):
        where = f"sentence {number} of the English" if len(pairs) > 1 else "the English"
        if _cut_off(dutch, english):
            yield (
                f"{where} stops without an end mark ('…{english[-20:]}'); "
                f"the Dutch ends with '{end_mark(dutch)}'"
            )
        if options.max_decoding_length and _at_length_limit(english, options):
            yield (
                f"{where} has the maximum {options.max_decoding_length} tokens: "
                "the engine probably cut it off"
            )


def _empty_sentences(paragraph: Paragraph) -> Iterator[str]:
    """Sentences the engine returned nothing for, while the paragraph is machine output."""
    targets = [s.target for s in paragraph.sentences]
    joined = " ".join(t for t in targets if t)
    if len(targets) > 1 and joined == paragraph.target:
        for number, sentence in enumerate(paragraph.sentences, 1):
            if not sentence.target.strip() and sentence.source.strip():
                yield f"sentence {number} ('{sentence.source[:40]}') has no English"


def _cut_off(dutch: str, english: str) -> bool:
    """The Dutch ends a sentence and the English stops on a word or a comma.

    A Dutch colon is left out: it introduces what follows, and English headings drop it
    ("Zo voegt u een paginanummer in:" -> "To Insert Page Numbers").
    """
    if end_mark(dutch) in ("", ":") or end_mark(english):
        return False
    last = english.rstrip(TRAILING_CLOSERS)[-1:]
    return last.isalnum() or last in ",;-–"


def _at_length_limit(english: str, options: CheckOptions) -> bool:
    limit = options.max_decoding_length
    if options.count_tokens is not None:
        return options.count_tokens(english) == limit
    # Without the engine's tokenizer only a lower bound is known: it reaching the
    # limit means the real count did too (decoding never exceeds it).
    return limit is not None and estimate_tokens(english) >= limit


CHECK = Check(
    name="dropped",
    weight=0.45,
    description="empty, shortened or cut-off English, or a sentence missing",
    find=find_dropped,
)
