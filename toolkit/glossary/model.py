"""The glossary's in-memory model: entries as a translator curates them.

One `Entry` is one concept: a Dutch headword, the required English, its kind,
the English variants that also count as correct, renderings that are wrong,
Dutch variant forms to match, a note saying why, and a review status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class TermKind(StrEnum):
    TERM = "term"  # a common noun or phrase: matched in any capitalisation
    NAME = "name"  # a proper name: a lowercase look-alike is not a match
    DO_NOT_TRANSLATE = "do-not-translate"  # kept as written in the English


@dataclass(frozen=True)
class Entry:
    source: str  # Dutch headword, e.g. "vazalstaat"
    target: str  # required English, e.g. "vassal state"
    kind: TermKind = TermKind.TERM
    target_variants: tuple[str, ...] = ()  # also correct: "vassal states"
    forbidden: tuple[str, ...] = ()  # wrong renderings: "vazal state"
    source_variants: tuple[str, ...] = ()  # Dutch forms to match: "vazalstaten"
    note: str = ""
    status: str = "approved"
    # line in the glossary file, for error messages; where an entry came from is not what it
    # is, so two entries differing only in line compare equal (round trips compare whole entries)
    line: int = field(default=0, compare=False)

    @property
    def allowed_targets(self) -> tuple[str, ...]:
        return (self.target, *self.target_variants)

    @property
    def source_forms(self) -> tuple[str, ...]:
        """The Dutch headword and its listed variants, headword first."""
        return (self.source, *self.source_variants)


# Review states an entry can be in; the file formats map each one to a standard value.
STATUSES = ("approved", "proposed")


def entry_sort_key(entry: Entry) -> str:
    """The order of entries in a glossary file: by Dutch headword, ignoring case."""
    return entry.source.casefold()


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    path: str = ""
    source_language: str = "nl"
    target_language: str = "en"


def group_by_target(pairs: Iterable[tuple[str, str, str, int]]) -> list[Entry]:
    """Entries from (Dutch, English, note, line) rows of a pair-only format such as CSV.

    Rows sharing English and note become one entry, in the order first seen: the first Dutch
    form is the headword, the others its source variants. Such entries are `proposed`: the
    format held no kind or review, so a translator has yet to look at them.
    """
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for dutch, english, note, line in pairs:
        grouped.setdefault((english, note), []).append((dutch, line))
    entries = []
    for (english, note), rows in grouped.items():
        forms = tuple(dict.fromkeys(dutch for dutch, _line in rows))
        entries.append(
            Entry(
                source=forms[0],
                target=english,
                source_variants=forms[1:],
                note=note,
                status="proposed",
                line=rows[0][1],
            )
        )
    return entries
