"""Whether an English text carries the glossary's terms: the WMT 2021 exact-match rule.

An occurrence is satisfied when an allowed English form appears as whole words,
each output position used once (two source occurrences need two renderings);
a forbidden rendering anywhere is a violation. Used by enforcement, by
`review status` and by the term-accuracy benchmark, so all three agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.glossary.model import Entry, TermKind

# Dutch endings that make a term plural; names (kind NAME) have no plural here.
DUTCH_PLURAL_ENDINGS = ("en", "s", "'s", "’s")


@lru_cache(maxsize=4096)
def _form_pattern(form: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    body = r"\s+".join(re.escape(part) for part in form.split())
    # a hyphen is a boundary: "Ukraine-war" holds "Ukraine", as a tokenizer would split it
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def find_forms(text: str, forms: Iterable[str], case_sensitive: bool) -> list[tuple[int, int]]:
    """Spans of any of `forms` as whole words, longest form first, no span used twice."""
    taken: list[tuple[int, int]] = []
    for form in sorted(set(forms), key=len, reverse=True):
        for match in _form_pattern(form, case_sensitive).finditer(text):
            span = match.span()
            if all(span[1] <= a or span[0] >= b for a, b in taken):
                taken.append(span)
    return sorted(taken)


def english_plural(phrase: str) -> str:
    """The regular English plural of a phrase's last word (state → states, policy → policies)."""
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}".strip()


def is_dutch_plural(entry: Entry, surface: str) -> bool:
    """Does `surface` read as a plural of the entry's headword (vazalstaten, kernwapens)?"""
    if entry.kind is not TermKind.TERM:
        return False
    word, head = surface.lower(), entry.source.lower()
    if word == head or not word.endswith(DUTCH_PLURAL_ENDINGS):
        return False
    stem = head[:-2] if head[-2:-1] == head[-3:-2] else head  # staat → sta(a)t
    return word.startswith(stem[: max(3, len(stem) - 2)]) and len(word) > len(head) - 2


def required_forms(entry: Entry, surface: str) -> tuple[str, ...]:
    """The English forms that satisfy this occurrence, in the right number.

    A Dutch plural wants an English plural; a singular wants a form that is
    not a plural of the target, so "vassal states" does not count for
    "vazalstaat" and "vassal state" does not count for "vazalstaten".
    """
    allowed = entry.allowed_targets
    plurals = {english_plural(form) for form in allowed} & set(allowed)
    plurals.add(english_plural(entry.target))
    if is_dutch_plural(entry, surface):
        return tuple(sorted(plurals))
    return tuple(form for form in allowed if form not in plurals) or allowed


@dataclass(frozen=True)
class TermCheck:
    """One entry's requirement over a text: `needed` renderings, `found`, and violations."""

    entry: Entry
    forms: tuple[str, ...]
    needed: int
    found: int
    forbidden_found: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.found >= self.needed and not self.forbidden_found


def check_terms(target: str, occurrences: Sequence[tuple[Entry, str]]) -> list[TermCheck]:
    """Check a translation against (entry, Dutch surface) occurrences of its source."""
    grouped: dict[tuple[Entry, tuple[str, ...]], int] = {}
    for entry, surface in occurrences:
        key = (entry, required_forms(entry, surface))
        grouped[key] = grouped.get(key, 0) + 1
    checks = []
    for (entry, forms), needed in grouped.items():
        case_sensitive = entry.kind is not TermKind.TERM
        found = len(find_forms(target, forms, case_sensitive))
        forbidden = tuple(f for f in entry.forbidden if find_forms(target, [f], True))
        checks.append(TermCheck(entry, forms, needed, found, forbidden))
    return checks


def term_accuracy(pairs: Iterable[tuple[str, Sequence[tuple[Entry, str]]]]) -> tuple[int, int]:
    """(correct, total) occurrences over (translation, occurrences) pairs, WMT 2021 exact match."""
    correct = total = 0
    for target, occurrences in pairs:
        for check in check_terms(target, occurrences):
            total += check.needed
            correct += min(check.found, check.needed)
    return correct, total
