"""Punctuation and case that follow the Dutch: the same end mark (`.`, `?`, `!`, `:`),
an initial capital where the Dutch has one (and none where it has none), quotes and
brackets balanced when the Dutch's are, and no space before `.,;:!?`.

A missing end mark is the `dropped` check's (a cut-off sentence); this one reports a
different mark. Closing quotes and brackets are looked through, since English puts
the full stop inside a quotation and Dutch often outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.document import Paragraph
from toolkit.qa.base import Check, CheckOptions, end_mark, sentence_pairs

MARK_NAMES = {
    ".": "a full stop",
    "?": "a question mark",
    "!": "an exclamation mark",
    ":": "a colon",
}
# (opening, closing) pairs; a straight double quote opens and closes itself.
PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("“„", "”"), ("«", "»"), ('"', '"'))
# A space before a mark, but not an ellipsis (" ...") or a file extension (" .odt").
SPACE_BEFORE = re.compile(r"\w(\s+)([,;:!?]|\.(?!\.|\w))")


def find_punctuation(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:  # noqa: ARG001  (the Check signature)
    pairs = sentence_pairs(paragraph)
    for number, (dutch, english) in enumerate(pairs, 1):
        where = f"sentence {number} of the English" if len(pairs) > 1 else "the English"
        dutch_mark, english_mark = end_mark(dutch), end_mark(english)
        if dutch_mark and english_mark and dutch_mark != english_mark:
            yield (
                f"{where} ends with {MARK_NAMES[english_mark]}, "
                f"the Dutch with {MARK_NAMES[dutch_mark]}"
            )
        case = _initial_case(dutch), _initial_case(english)
        # English capitalises headings and UI labels that Dutch writes in lower case
        # ("integraal" -> "Integral"), so only a lower-case English start is judged there.
        title_case = paragraph.heading and case[1] == "upper case"
        if "" not in case and case[0] != case[1] and not title_case:
            yield f"{where} starts in {case[1]}, the Dutch in {case[0]}"
    for opening, closing in PAIRS:
        if _balanced(paragraph.source, opening, closing) and not _balanced(
            paragraph.target, opening, closing
        ):
            yield f"the English has unbalanced {opening[0]}{closing}, the Dutch's are balanced"
    source_spaced = {m.group(2) for m in SPACE_BEFORE.finditer(paragraph.source)}
    for match in SPACE_BEFORE.finditer(paragraph.target):
        if match.group(2) not in source_spaced:
            context = paragraph.target[max(0, match.start() - 15) : match.end()]
            yield f"a space before '{match.group(2)}' in the English ('…{context}')"
            break


def _initial_case(text: str) -> str:
    """'upper case' or 'lower case' for the first letter, '' when it is not a letter
    or the text opens with a name written in lower case on purpose (iPhone, 's-Hertogenbosch)."""
    if re.match(r"\s*['’][st]\b", text):
        return ""  # 's Avonds, 't: Dutch elisions that stay lower case
    stripped = text.lstrip(" \t\n")
    first = stripped[:1]
    if not first.isalpha():
        return ""  # a quoted example, a formula or a number opens it: no sentence case
    word = re.match(r"\w+", stripped)
    if word and any(c.isupper() for c in word.group()[1:]):
        return ""  # iPhone, eBay, LibreOffice: the word's own casing, not the sentence's
    return "upper case" if first.isupper() else "lower case"


def _balanced(text: str, opening: str, closing: str) -> bool:
    if opening == closing:
        return text.count(opening) % 2 == 0
    return sum(text.count(o) for o in opening) == text.count(closing)


CHECK = Check(
    name="punctuation",
    weight=0.10,
    description="end mark, initial case, balanced quotes and brackets, spacing as in the Dutch",
    find=find_punctuation,
)
