"""The glossary's in-memory model: entries as a translator curates them.

One `Entry` is one concept: a Dutch headword, the required English, its kind,
the English variants that also count as correct, renderings that are wrong,
Dutch variant forms to match, a note saying why, and a review status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class TermKind(str, Enum):
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
    line: int = 0  # line in the glossary file, for error messages

    @property
    def allowed_targets(self) -> tuple[str, ...]:
        return (self.target, *self.target_variants)


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    path: str = ""
    source_language: str = "nl"
    target_language: str = "en"
