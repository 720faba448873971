"""The English is (mostly) the Dutch copied through: a heading such as
`Geen aantrekkelijk vooruitzicht` left as it was, or a sentence the engine echoed.

Per sentence pair (or the paragraph as one pair), the English words that also stand
in the Dutch are counted, leaving out names (capitalised inside the sentence) and
the glossary's English; half or more copied, with at least one of them a word only
Dutch has, is a flag. Shared words alone prove nothing: LibreOffice, Basic code and
function names are rightly copied.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from toolkit.document import Paragraph
from toolkit.lang.nl import looks_dutch
from toolkit.qa.base import Check, CheckOptions, sentence_pairs, words

COPIED_SHARE = 0.5  # of the English content words; see benchmarks/bench_qa.py
# Hyphenated compounds are one word ("en-dash" is not the Dutch "en"), and one-letter
# words (variables, list letters) say nothing about the language.
WORD = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*")


def find_untranslated(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:  # noqa: ARG001  (the Check signature)
    glossary_english = {w.lower() for t in paragraph.terms for w in words(t.target_term)}
    pairs = sentence_pairs(paragraph)
    for number, (source, target) in enumerate(pairs, 1):
        copied = copied_words(source, target, glossary_english)
        if copied is None:
            continue
        where = f"sentence {number} of the English" if len(pairs) > 1 else "the English"
        shown = ", ".join(f"'{w}'" for w in list(dict.fromkeys(copied))[:4])
        yield f"{where} is the Dutch left untranslated ({shown})"


def copied_words(source: str, target: str, ignore: Collection[str] = ()) -> list[str] | None:
    """The copied Dutch words when `target` reads as `source` left untranslated, else None."""
    source_words = {w.lower() for w in WORD.findall(source)}
    content = [
        w.lower()
        for i, w in enumerate(WORD.findall(target))
        if w.lower() not in ignore and (i == 0 or not w[:1].isupper())
    ]
    copied = [w for w in content if w in source_words]
    if not content or len(copied) < COPIED_SHARE * len(content):
        return None
    if not any(looks_dutch(w) for w in copied):
        return None
    return copied


CHECK = Check(
    name="untranslated",
    weight=0.45,
    description="English that is the Dutch copied through",
    find=find_untranslated,
)
