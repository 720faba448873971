"""NMT loops: a word or phrase doubled (`the the`, `of the of the`) or repeated three or
more times in a row (`the war, the war, the war`), when the Dutch has no repeat itself.

Words compare case-insensitively. A double counts only with nothing but spaces
between (`minus, minus` and `name: Name` are fine English); three in a row count
across punctuation. Repeats far apart are normal prose ("the length of the side
opposite the angle to the length of the side adjacent to the angle") and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.document import Paragraph
from toolkit.lang import en
from toolkit.qa.base import Check, CheckOptions

GRAMMATICAL_DOUBLES = en.GRAMMATICAL_DOUBLES  # "that that", "had had": no loop
MAX_PHRASE = 8  # words; a longer loop contains a shorter repeated phrase anyway
LOOP_COUNT = 3  # a phrase this many times in a row is a loop whatever stands between
TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def find_repetition(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:  # noqa: ARG001  (the Check signature)
    if repeats(paragraph.source):
        return  # the Dutch repeats itself (a menu path, code): its English may too
    reported: list[str] = []
    for phrase, count in repeats(paragraph.target):
        if phrase in GRAMMATICAL_DOUBLES or any(phrase in seen for seen in reported):
            continue
        reported.append(phrase)
        shown = " ".join([phrase] * count)
        yield f"'{shown}' repeats itself {count} times in a row"


def repeats(text: str) -> list[tuple[str, int]]:
    """(phrase, times) for each phrase of 1 to MAX_PHRASE words, not all numbers, that
    follows itself: twice with only spaces between, or LOOP_COUNT times or more."""
    matches = list(TOKEN.finditer(text))
    tokens = [m.group().lower() for m in matches]
    # gaps[i]: is the text between token i-1 and token i only whitespace?
    spaced = [True] + [
        not text[a.end() : b.start()].strip() for a, b in zip(matches, matches[1:], strict=False)
    ]
    found: list[tuple[str, int]] = []
    for size in range(1, MAX_PHRASE + 1):
        start = 0
        while start + 2 * size <= len(tokens):
            phrase = tokens[start : start + size]
            times = 1
            while tokens[start + times * size : start + (times + 1) * size] == phrase:
                times += 1
            loop = times >= LOOP_COUNT
            double = times == 2 and all(spaced[start + 1 : start + 2 * size])
            if (loop or double) and not any(t.isdigit() for t in phrase):
                found.append((" ".join(phrase), times))
                start += times * size
            else:
                start += 1
    return found


CHECK = Check(
    name="repetition",
    weight=0.35,
    description="words or phrases looping in the English but not in the Dutch",
    find=find_repetition,
)
