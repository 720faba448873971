"""The glossary's in-memory model: entries as a translator curates them.

One `Entry` is one concept: a Dutch headword, the required English, its kind,
the English variants that also count as correct, renderings that are wrong,
Dutch variant forms to match, a note saying why, and a review status. Every reader
passes what it read through `validated`, so no glossary with unusable entries loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from toolkit.errors import UserError
from toolkit.lang import nl


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


# Dutch words so common that a term matching them would be found in every sentence.
MIN_TERM_LENGTH = 2  # letters or digits; "e" would match inside ordinary text


def _key(form: str) -> str:
    """A Dutch form as the matcher compares it: any capitalisation, spaces collapsed."""
    return " ".join(form.split()).casefold()


def entry_problems(
    entries: Sequence[Entry], pairs: Iterable[tuple[str, str, str, int]] = ()
) -> list[tuple[int, str]]:
    """(line, message) for every entry the matcher cannot use as written, in line order.

    Degenerate terms (too short, or matching a common Dutch function word through the
    inflections the matcher generates), exact repeats, and one Dutch term of one kind with
    two required English forms. `pairs` are the rows of a pair format (Dutch, English, note,
    line) before grouping, where a repeated row would otherwise vanish into its group.
    """
    found: list[tuple[int, str]] = []
    for entry in entries:
        found.extend((entry.line, message) for message in _degenerate(entry))
    found.extend(_repeats(entries, pairs))
    found.sort(key=lambda problem: problem[0])  # stable: a line's problems keep their order
    return found


def validated(glossary: Glossary, pairs: Iterable[tuple[str, str, str, int]] = ()) -> Glossary:
    """`glossary` itself; the first of its `entry_problems` raises `UserError` at its line."""
    problems = entry_problems(glossary.entries, pairs)
    if problems:
        line, message = problems[0]
        raise UserError(message, path=glossary.path or None, line=line or None)
    return glossary


def _degenerate(entry: Entry) -> Iterator[str]:
    english = [("English", form) for form in entry.allowed_targets]
    english += [("forbidden English", form) for form in entry.forbidden]
    for language, form in [("Dutch", form) for form in entry.source_forms] + english:
        if sum(char.isalnum() for char in form) < MIN_TERM_LENGTH:
            yield (
                f"{language} term {form!r} is shorter than {MIN_TERM_LENGTH} letters, so it "
                "would match inside ordinary words; write the term out in full or delete it"
            )
    for form in entry.source_forms:
        if _key(form) in nl.UBIQUITOUS_WORDS:
            yield (
                f"Dutch term {form!r} is the function word {_key(form)!r}, found in nearly "
                "every sentence; use a longer, unambiguous term or delete the entry"
            )
            continue
        common = sorted({_key(f) for f in _inflections(form, entry.kind)} & nl.UBIQUITOUS_WORDS)
        if common:
            words = ", ".join(repr(word) for word in common)
            yield (
                f"Dutch term {form!r} would also match the common word {words} as one of its "
                "inflected forms; use a longer, unambiguous term or delete the entry"
            )


def _repeats(
    entries: Sequence[Entry], pairs: Iterable[tuple[str, str, str, int]]
) -> Iterator[tuple[int, str]]:
    seen_rows: dict[tuple[str, str, str], int] = {}
    for dutch, english, note, line in pairs:
        first_line = seen_rows.setdefault((dutch, english, note), line)
        if first_line != line:
            yield line, f"repeats line {first_line} exactly; delete one of the two"
    seen: dict[Entry, Entry] = {}  # equality ignores the line
    claimed: dict[tuple[str, TermKind], Entry] = {}
    for entry in entries:
        repeated = seen.setdefault(entry, entry)
        if repeated is not entry:
            yield entry.line, f"repeats line {repeated.line} exactly; delete one of the two"
            continue
        for form in entry.source_forms:
            first = claimed.setdefault((_key(form), entry.kind), entry)
            if first.target != entry.target:
                yield (
                    entry.line,
                    f"conflicting English for the Dutch {entry.kind.value} {form!r}: "
                    f"{entry.target!r} here, {first.target!r} at line {first.line}; keep one "
                    "entry and list the other English in its target_variants",
                )
                break


def _inflections(form: str, kind: TermKind) -> set[str]:
    return nl.inflections(" ".join(form.split()), name=kind is TermKind.NAME)
