"""Dutch sentence boundaries inside one paragraph, as character spans into it.

pySBD's Dutch rules decide where sentences end; a few Dutch-news corrections sit on
top of them, each with the case it fixes. Spans exclude surrounding whitespace and
never lose or reorder text; time grows linearly with the paragraph's length.
"""

from __future__ import annotations

import functools
import re

import pysbd.abbreviation_replacer
import pysbd.lang.dutch
import pysbd.lang.english
import pysbd.lists_item_replacer
import pysbd.processor
from pysbd.utils import Text


class _LinearAbbreviations(pysbd.abbreviation_replacer.AbbreviationReplacer):
    """pySBD's abbreviation pass, same output, linear time (hand-rolled; measured); any language.

    pySBD rewrites the whole paragraph once per occurrence of each abbreviation
    (every word starting with "e" is an occurrence of "e"): quadratic, 18.6 s for
    80 KB. A rewrite only turns the periods right after that spelling of the
    abbreviation into "∯" and never creates a match for itself, so a repeat (or
    a duplicate list entry) is a no-op and each spelling is rewritten once. For
    an abbreviation of letters only, the spellings whose rewrite can change
    anything are word starts written right before a period, which one pass over
    the paragraph collects; rewrites of two such spellings touch different
    periods, so their order is free. pySBD's `abbr in text.lower()` test, run for
    1587 abbreviations, is itself a second per-character cost; dotted ones are
    looked up among the paragraph's few dotted words instead.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        # pySBD's next-character lookup matches a literal "{abbr} " (the braces of
        # its pattern are not a quantifier); without one, every occurrence is rewritten.
        before_periods = None if "{" in text else _words_before_periods(text)
        dotted_words = _dotted_words(lowered)
        for stripped, letters_only, in_one_word in _kinds(
            tuple(self.lang.Abbreviation.ABBREVIATIONS)
        ):
            if before_periods is not None and letters_only:
                candidates = before_periods.get(stripped)
                if not candidates or stripped not in lowered:
                    continue
                occurrence = _occurrence_pattern(stripped)
                spellings = [spelling for spelling in candidates if occurrence.fullmatch(spelling)]
            else:
                if stripped not in (dotted_words if in_one_word else lowered):
                    continue
                spellings = self._spellings_to_rewrite(text, stripped)
            for spelling in spellings:
                # pySBD prepends a space so that `\s` also matches at the start.
                text = self._rewrite_pattern(spelling).sub("∯", " " + text)[1:]
        return text

    def _spellings_to_rewrite(self, text: str, stripped: str) -> list[str]:
        """pySBD's per-occurrence decisions, each spelling kept at its first yes."""
        occurrences = _occurrence_pattern(stripped).findall(text)
        next_chars = _next_char_pattern(stripped).findall(text) if "{" in text else []
        prepositive = self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS
        spellings: list[str] = []
        for index, occurrence in enumerate(occurrences):
            spelling = occurrence.strip()
            char = next_chars[index] if index < len(next_chars) else ""
            if char.isupper() and spelling.lower() not in prepositive:
                continue
            if spelling not in spellings:
                spellings.append(spelling)
        return spellings

    def _rewrite_pattern(self, spelling: str) -> re.Pattern[str]:
        kind = spelling.lower()
        if kind in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
            return _prepositive_pattern(spelling)
        if kind in self.lang.Abbreviation.NUMBER_ABBREVIATIONS:
            return _pre_number_pattern(spelling)
        return _period_pattern(spelling)


class _Dutch(pysbd.lang.dutch.Dutch):
    class Abbreviation(pysbd.lang.dutch.Dutch.Abbreviation):
        # pySBD's Dutch list has no prepositive abbreviations, so it ends a sentence at
        # "mr. Jansen" or "bijv. Nederland" whenever a capital follows. Titles and these
        # introducers always stand before what they qualify, never last in a sentence.
        NEVER_LAST = ["dhr", "dr", "drs", "ing", "ir", "mevr", "mr", "mw", "prof"]
        NEVER_LAST += ["bijv", "ca", "vgl", "zgn"]
        ABBREVIATIONS = pysbd.lang.dutch.Dutch.Abbreviation.ABBREVIATIONS + NEVER_LAST
        PREPOSITIVE_ABBREVIATIONS = NEVER_LAST

    class AbbreviationReplacer(_LinearAbbreviations, pysbd.lang.dutch.Dutch.AbbreviationReplacer):
        """Dutch abbreviations, found in linear time."""


class _English(pysbd.lang.english.English):
    """pySBD's English rules with the linear abbreviation pass (the QA stage splits English)."""

    class AbbreviationReplacer(
        _LinearAbbreviations, pysbd.lang.english.English.AbbreviationReplacer
    ):
        """English abbreviations, found in linear time."""


class _ListItemReplacer(pysbd.lists_item_replacer.ListItemReplacer):
    """pySBD's list-item pass with the same output in linear time (hand-rolled; measured).

    pySBD rewrites the whole paragraph for every list item it accepts ("e." in "o.a. en
    e.d." counts as one), 4.2 s of 8 s for 1 MB of news text. Those rewrites turn
    "e." into "\\re∯" or "1." into "1♨", after which they no longer match: a repeat for
    the same letter or number is a no-op, so it is skipped. (The parenthesised-letter
    rewrite adds a line break each time, so it is left as it is.)
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._done: set[tuple[object, ...]] = set()

    def replace_alphabet_list(self, a: str) -> str:
        if ("letter", a) in self._done:
            return str(self.text)
        self._done.add(("letter", a))
        return str(super().replace_alphabet_list(a))

    def substitute_found_list_items(
        self, regex: str, each: int, strip: bool, replacement: str
    ) -> None:
        if (regex, each, strip, replacement) in self._done:
            return
        self._done.add((regex, each, strip, replacement))
        super().substitute_found_list_items(regex, each, strip, replacement)


class _Processor(pysbd.processor.Processor):
    def process(self) -> list[str]:
        """pySBD's `Processor.process` as written, with the linear list-item pass."""
        text: str = self.text  # type: ignore[has-type]  # pySBD is untyped
        if not text:
            return []  # pySBD returns the empty text; split_sentences never passes one
        self.text = text.replace("\n", "\r")
        self.text = _ListItemReplacer(self.text).add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        self.text = Text(self.text).apply(
            self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
            self.lang.GeoLocationRule,
            self.lang.FileFormatRule,
        )
        sentences: list[str] = self.split_into_segments()
        return sentences


# `re` matches some letters case-insensitively that str.lower() does not turn into
# that letter; tests/test_sentences.py checks this table against every code point.
_RE_IGNORECASE_EXTRAS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


@functools.cache
def _kinds(abbreviations: tuple[str, ...]) -> tuple[tuple[str, bool, bool], ...]:
    """Each distinct abbreviation, whether it is letters only, and whether it is dotted
    inside one word: then `abbreviation in lowered`, pySBD's test, is the same as
    `abbreviation in dotted_words` (its inner period is inner to its word too)."""
    return tuple(
        (
            abbreviation,
            abbreviation.isalpha(),
            "." in abbreviation[1:-1] and not any(char.isspace() for char in abbreviation),
        )
        for abbreviation in dict.fromkeys(abbreviation.strip() for abbreviation in abbreviations)
    )


def _dotted_words(lowered: str) -> str:
    """The distinct words with a period inside (not at an end), one a line."""
    return "\n".join(dict.fromkeys(w for w in re.findall(r"\S+", lowered) if "." in w[1:-1]))


def _words_before_periods(text: str) -> dict[str, list[str]]:
    """The start of each word up to its first period, keyed by its lowercase form.

    These are the only letters-only spellings that a rewrite can change (a prefix
    up to a later period contains a period, so it is no letters-only spelling).
    """
    words: dict[str, list[str]] = {}
    for word in re.findall(r"\S+", text):
        period = word.find(".")
        if period > 0:
            spelling = word[:period]
            found = words.setdefault(spelling.translate(_RE_IGNORECASE_EXTRAS).lower(), [])
            if spelling not in found:
                found.append(spelling)
    return words


# The patterns of pysbd.abbreviation_replacer as the same strings (escaped or not
# as pySBD does), so that the rewrite above matches exactly what pySBD's would.
@functools.cache
def _occurrence_pattern(abbreviation: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|\s|\r|\n){abbreviation}", flags=re.IGNORECASE)


@functools.cache
def _next_char_pattern(abbreviation: str) -> re.Pattern[str]:
    return re.compile(r"(?<={" + str(re.escape(abbreviation)) + "} ).{1}")


@functools.cache
def _prepositive_pattern(abbreviation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=\s{abbreviation})\.(?=(\s|:\d+))")


@functools.cache
def _pre_number_pattern(abbreviation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=\s{abbreviation})\.(?=(\s\d|\s+\())")


@functools.cache
def _period_pattern(abbreviation: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<=\s{re.escape(abbreviation)})\.(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))"
    )


def english_segments(text: str) -> list[str]:
    """pySBD's English sentences of `text` (as its `Processor` gives them), in linear time."""
    return _Processor(text, _English).process() if text else []


CLOSING_QUOTES = "”’\"'»"
# pySBD misses a sentence end after a closing ’ or » ("‘Kom hier.’ Daarna ...").
_QUOTE_THEN_SENTENCE = re.compile(r"[.!?…][" + CLOSING_QUOTES + r"]+(\s+)(?=[„“‘\"'«(]?[^\W\d_])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of one paragraph, in order.

    text[start:end] is the sentence without surrounding whitespace.
    """
    if not text.strip():
        return []
    return _split(text)


def _split(
    text: str,
    language: type[pysbd.lang.dutch.Dutch] = _Dutch,
    processor: type[pysbd.processor.Processor] = _Processor,
) -> list[tuple[int, int]]:
    """split_sentences with these pySBD parts; the tests pass pySBD's own as the reference."""
    # pySBD breaks at every newline; a hard-wrapped paragraph must not. Same length,
    # so its sentences still line up with `text`.
    sentences = processor(text.replace("\n", " "), language).process()
    spans = _align(text, sentences)
    spans = _attach_closing_quotes(text, spans)
    spans = _split_after_closing_quotes(text, spans)
    return [_strip(text, start, end) for start, end in spans]


_VISIBLE = re.compile(r"\S")


def _align(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Spans that cover `text` end to end, one per pySBD sentence.

    pySBD's own char_span offsets are unreliable (a sentence that repeats can map
    to its first occurrence) and its output can drop whitespace ("reste .. Logiquement"),
    so each sentence is found by walking forward over its non-whitespace characters.
    """
    spans = []
    cursor = 0
    for sentence in sentences:
        body = sentence.strip()
        if not body:
            continue
        start = cursor
        first = _VISIBLE.search(text, cursor)
        if first and text.startswith(body, first.start()):
            # The usual case, found without a walk in Python over every character.
            cursor = first.start() + len(body)
            spans.append((start, cursor))
            continue
        visible = len("".join(body.split()))
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
