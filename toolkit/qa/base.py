"""What every QA check shares: the flag it raises, the check's shape, its options.

A check reads one `Paragraph` after enforcement and returns one-line reasons; the
`Check` wrapper turns them into `QAFlag`s carrying its name. Helpers here read a
paragraph as aligned (Dutch, English) sentence pairs when its sentence targets
still add up to the paragraph's English, and as one pair when they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import pysbd  # type: ignore[import-untyped]  # pySBD ships no type hints

from toolkit.document import Paragraph


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


@cache
def _english_segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def english_sentences(text: str) -> list[str]:
    """The sentences of English text (pySBD's English rules)."""
    if not text.strip():
        return []
    return [s.strip() for s in _english_segmenter().segment(text) if s.strip()]


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
