"""What every QA check shares: the flag it raises, the check's shape, its options.

A check reads one `Paragraph` after enforcement and returns one-line reasons; the
`Check` wrapper turns them into `QAFlag`s carrying its name. Helpers here read a
paragraph as aligned (Dutch, English) sentence pairs when its sentence targets
still add up to the paragraph's English, and as one pair when they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from toolkit.document import Paragraph
from toolkit.sentences import english_segments


@dataclass(frozen=True)
class QAFlag:
    """One reason a reviewer should look at a paragraph."""

    check: str  # the name of the check that raised it, a key of `CHECKS`
    reason: str  # one line, e.g. "1.000 in the Dutch has no 1,000 in the English"

    def __str__(self) -> str:
        return f"{self.check}: {self.reason}"


@dataclass(frozen=True)
class CheckOptions:
    """What the run knows beyond the paragraph itself."""

    # The engine's cap on output tokens: a sentence of exactly this many tokens was cut off.
    max_decoding_length: int | None = None
    # Counts a sentence's tokens as the engine does (its SentencePiece model). Without it
    # a lower bound is used (see `estimate_tokens`), which only fires on clear cases.
    count_tokens: Callable[[str], int] | None = None


@dataclass(frozen=True)
class Check:
    """A named check and the weight its flags carry in the risk score (see `risk.py`)."""

    name: str
    weight: float  # 0-1: how likely one flag of this check means a real defect
    description: str  # one line for listings and the report
    find: Callable[[Paragraph, CheckOptions], Iterable[str]]

    def run(self, paragraph: Paragraph, options: CheckOptions | None = None) -> list[QAFlag]:
        found = self.find(paragraph, options or CheckOptions())
        return [QAFlag(self.name, reason) for reason in found]


def sentence_pairs(paragraph: Paragraph) -> list[tuple[str, str]]:
    """(Dutch, English) pairs: per sentence while the sentence targets add up to the
    paragraph's English, else the whole paragraph as one pair (a translator edited it)."""
    targets = [s.target for s in paragraph.sentences]
    if (
        len(targets) > 1
        and all(t.strip() for t in targets)
        and " ".join(targets) == paragraph.target
    ):
        return [(s.source, s.target) for s in paragraph.sentences]
    return [(paragraph.source, paragraph.target)]


def english_sentences(text: str) -> list[str]:
    """The sentences of English text (pySBD's English rules)."""
    if not text.strip():
        return []
    # What Segmenter.segment returns, without its last pass: that maps each sentence back
    # onto the text with a regex compiled per sentence, most of its time on a paragraph.
    # pySBD's abbreviation and list-item passes are quadratic (80 s for 200 KB); the
    # Dutch splitter's linear ones give the same sentences.
    sentences = english_segments(text)
    return [s.strip() for s in _with_trailing_space(sentences, text) if s.strip()]


def _with_trailing_space(sentences: Iterable[str], text: str) -> list[str]:
    """pySBD's `sentences_with_char_spans` by `str.find`: each sentence's first occurrence
    (with the whitespace after it) that ends past the previous one's; unfound ones dropped.

    Each distinct sentence's occurrences are walked once, resumed where its last copy was
    found (an occurrence ending before the previous sentence can never be taken later), and
    begun near the previous end: 20,000 repeats of "Yes." cost 20,000 finds, not 20,000².
    """
    found: list[str] = []
    prior = 0
    walks: dict[str, Iterator[tuple[int, int]]] = {}
    for sentence in sentences:
        walk = walks.get(sentence)
        if walk is None:
            begin = max(0, prior - len(sentence))
            walk = _occurrences(sentence, text, begin) if sentence else _blank_runs(text, begin)
            walks[sentence] = walk
        for start, end in walk:
            if end > prior:
                found.append(text[start:end])
                prior = end
                break
    return found


def _occurrences(sentence: str, text: str, begin: int) -> Iterator[tuple[int, int]]:
    r"""Non-overlapping matches of `re.escape(sentence) + r"\s*"`, left to right from `begin`."""
    start = text.find(sentence, begin)
    while start >= 0:
        end = start + len(sentence)
        while end < len(text) and text[end].isspace():  # \s is str.isspace, char by char
            end += 1
        yield start, end
        start = text.find(sentence, end)


def _blank_runs(text: str, begin: int) -> Iterator[tuple[int, int]]:
    return (match.span() for match in _BLANK_RUN.finditer(text, begin))


_BLANK_RUN = re.compile(r"\s*")


# Closing quotes and brackets sit outside a sentence's end mark in one language and
# inside in the other ("foo". / "foo."), so they are looked through, not compared.
TRAILING_CLOSERS = "\"'”’»)]} \t\n"
END_MARKS = {".": ".", "?": "?", "!": "!", ":": ":", "…": "."}


def end_mark(text: str) -> str:
    """The sentence-final mark of `text` ('.', '?', '!', ':'), '' when there is none.

    An ellipsis counts as '.', since both close a sentence.
    """
    stripped = text.rstrip(TRAILING_CLOSERS)
    return END_MARKS.get(stripped[-1:], "") if stripped else ""


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Alphabetic words in order, apostrophes inside a word kept (Joe's, macro's)."""
    return WORD.findall(text)


def estimate_tokens(text: str) -> int:
    """A lower bound on a SentencePiece token count: words and punctuation marks.

    Subword models split words, never join them, so this never overestimates.
    """
    return len(re.findall(r"\w+|[^\w\s]", text))
