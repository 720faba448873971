"""Does an engine's output loop? The test the Argos engine uses to decode a sentence again.

A small model outside its domain repeats itself: a word or phrase three times in a row
("The log log log log log"), or a piece of a word ("Witititit"). Only what the Dutch does not
repeat itself counts. Kept apart from the QA check (`qa.repetition`), which reports every
doubled word to the reviewer: here a false alarm costs a second decoding, so only clear
loops count.
"""

from __future__ import annotations

import re

_WORD_LOOP = re.compile(r"(?<!\w)(\w+(?:\W+\w+){0,3}?)(?:\W+\1(?!\w)){2,}", re.IGNORECASE)
_PIECE_LOOP = re.compile(r"(\w{2,6}?)\1{2,}", re.IGNORECASE)


def loops(source: str, target: str) -> bool:
    """Whether `target` repeats a word, a phrase or a piece of a word three times in a row
    where `source` does not."""
    return _has_loop(target) and not _has_loop(source)


def _has_loop(text: str) -> bool:
    if _PIECE_LOOP.search(text):
        return True
    return bool(_WORD_LOOP.search(text))
