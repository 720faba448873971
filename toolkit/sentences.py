"""Dutch sentence boundaries inside one paragraph, as character spans into it.

pySBD's Dutch rules decide where sentences end; a few Dutch-news corrections sit on
top of them, each with the case it fixes. Spans exclude surrounding whitespace and
never lose or reorder text.
"""

from __future__ import annotations

import re

import pysbd.lang.dutch
import pysbd.processor


class _Dutch(pysbd.lang.dutch.Dutch):
    class Abbreviation(pysbd.lang.dutch.Dutch.Abbreviation):
        # pySBD's Dutch list has no prepositive abbreviations, so it ends a sentence at
        # "mr. Jansen" or "bijv. Nederland" whenever a capital follows. Titles and these
        # introducers always stand before what they qualify, never last in a sentence.
        NEVER_LAST = ["dhr", "dr", "drs", "ing", "ir", "mevr", "mr", "mw", "prof"]
        NEVER_LAST += ["bijv", "ca", "vgl", "zgn"]
        ABBREVIATIONS = pysbd.lang.dutch.Dutch.Abbreviation.ABBREVIATIONS + NEVER_LAST
        PREPOSITIVE_ABBREVIATIONS = NEVER_LAST


CLOSING_QUOTES = "”’\"'»"
# pySBD misses a sentence end after a closing ’ or » ("‘Kom hier.’ Daarna ...").
_QUOTE_THEN_SENTENCE = re.compile(r"[.!?…][" + CLOSING_QUOTES + r"]+(\s+)(?=[„“‘\"'«(]?[^\W\d_])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of one paragraph, in order.

    text[start:end] is the sentence without surrounding whitespace.
    """
    if not text.strip():
        return []
    # pySBD breaks at every newline; a hard-wrapped paragraph must not. Same length,
    # so its sentences still line up with `text`.
    sentences = pysbd.processor.Processor(text.replace("\n", " "), _Dutch).process()
    spans = _align(text, sentences)
    spans = _attach_closing_quotes(text, spans)
    spans = _split_after_closing_quotes(text, spans)
    return [_strip(text, start, end) for start, end in spans]


def _align(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Spans that cover `text` end to end, one per pySBD sentence.

    pySBD's own char_span offsets are unreliable (a sentence that repeats can map
    to its first occurrence) and its output can drop whitespace ("reste .. Logiquement"),
    so each sentence is found by walking forward over its non-whitespace characters.
    """
    spans = []
    cursor = 0
    for sentence in sentences:
        visible = len("".join(sentence.split()))
        if not visible:
            continue
        start = cursor
        while visible and cursor < len(text):
            if not text[cursor].isspace():
                visible -= 1
            cursor += 1
        spans.append((start, cursor))
    if cursor < len(text):  # never drop text pySBD left out: it joins the last sentence
        spans[-1:] = [(spans[-1][0] if spans else 0, len(text))]
    return spans


def _attach_closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give a closing quote back to its sentence; join an attribution that follows it.

    pySBD ends "“We verdedigen.” Daarna" before the ”, and splits "„Wat doe je?” vroeg
    hij." in two although a lowercase attribution continues the sentence.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and text[start] in CLOSING_QUOTES and not text[start - 1].isspace():
            previous_start, _ = merged[-1]
            quote_end = start
            while quote_end < end and text[quote_end] in CLOSING_QUOTES:
                quote_end += 1
            merged[-1] = (previous_start, quote_end)
            rest = text[quote_end:end].lstrip()
            if not rest:
                merged[-1] = (previous_start, end)
                continue
            if rest[0].islower() or rest[0] in ",;:":
                merged[-1] = (previous_start, end)
                continue
            start = quote_end
        merged.append((start, end))
    return merged


def _split_after_closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result = []
    for start, end in spans:
        for gap in _QUOTE_THEN_SENTENCE.finditer(text, start, end):
            capital = text[gap.end(1) : gap.end(1) + 4].lstrip("„“‘\"'«(")[:1]
            if capital.isupper():
                result.append((start, gap.start(1)))
                start = gap.start(1)
        result.append((start, end))
    return result


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
