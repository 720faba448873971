"""A word-for-word "translation" engine for formatted-document tests: known Dutch words
become English, the rest stays; deterministic, instant, and never sees markup."""

from __future__ import annotations

import re
from collections.abc import Sequence

from toolkit.engines.base import EngineSettings, Hypothesis, Translation

WORDS = {
    "kernwapens": "nuclear weapons",
    "de": "the",
    "het": "the",
    "een": "a",
    "in": "in",
    "russische": "Russian",
    "president": "president",
    "zei": "said",
    "dat": "that",
    "wapens": "weapons",
    "staan": "are",
    "eerste": "first",
    "tweede": "second",
    "punt": "point",
    "met": "with",
    "vet": "bold",
    "over": "over",
    "twee": "two",
    "regels": "lines",
    "regel": "line",
    "zie": "see",
    "voor": "for",
    "meer": "more",
    "tekst": "text",
    "en": "and",
    "land": "country",
    "hoofdstad": "capital",
    "belgië": "Belgium",
    "brussel": "Brussels",
    "citaat": "quote",
    "van": "of",
    "iemand": "someone",
    "poetin": "Putin",
}


class WordEngine:
    name = "words"

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()

    def describe(self) -> str:
        return "word-for-word test engine"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        return [Translation((Hypothesis(self._words(s), None),)) for s in sources]

    @staticmethod
    def _words(source: str) -> str:
        def one(match: re.Match[str]) -> str:
            word = match.group()
            english = WORDS.get(word.casefold(), word)
            return english[0].upper() + english[1:] if word[0].isupper() else english

        return re.sub(r"\w+", one, source)
