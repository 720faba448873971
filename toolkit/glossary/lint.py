"""Every problem in a glossary file at once: `lint_glossary(path) -> list[Problem]`.

Malformed rows are reported, not raised, and the rest of the file is still checked; only a
file that cannot be opened raises `UserError`. Every problem that stops the file from loading
(`entry_problems`) is reported with the reader's words. A clean curated glossary lints to `[]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserError
from toolkit.glossary.check import find_forms
from toolkit.glossary.model import Entry, TermKind, entry_problems, entry_sort_key
from toolkit.glossary.tsv import (
    COLUMNS,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    Row,
    entry_from_cells,
    read_rows,
    row_problems,
)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def lint_glossary(path: Path | str) -> list[Problem]:
    """All problems of the glossary file at `path`, in line order."""
    path = Path(path)
    try:
        rows, blanks = read_rows(path)
    except UserError as err:
        if err.line is None:
            raise  # missing or unreadable: there is nothing to lint
        return [Problem(str(path), err.line, err.message)]
    found: list[tuple[int, str]] = [(n, "blank line; delete it") for n in blanks]
    entries = []
    for row in rows:
        found.extend((row.line, message) for message in _row_messages(row))
        if not row_problems(row.cells):
            entries.append(entry_from_cells(row.cells, row.line))
    found.extend(entry_problems(entries))  # what keeps the file from loading, same words
    for check in (_order, _dutch_forms, _english_forms):
        found.extend(check(entries))
    found.sort(key=lambda problem: problem[0])  # stable: a line's problems keep their order
    return [Problem(str(path), line, message) for line, message in found]


def _row_messages(row: Row) -> Iterator[str]:
    problems = row_problems(row.cells)
    yield from problems
    if len(row.cells) != len(COLUMNS):
        return
    cells = dict(zip(COLUMNS, row.cells, strict=True))
    for name, cell in cells.items():
        if cell != cell.strip():
            yield f"whitespace at the edge of the {name} cell; remove it"
    for name in LIST_COLUMNS:
        items = cells[name].split(LIST_SEPARATOR) if cells[name].strip() else []
        for item in items:
            if not item.strip():
                yield f"empty item in the {name} cell; remove the extra '|'"
            elif item != item.strip() and cells[name] == cells[name].strip():
                yield f"whitespace around {item.strip()!r} in the {name} cell; remove it"
    if not cells["note"].strip():
        yield "empty note cell; say why the entry reads as it does"


def _order(entries: list[Entry]) -> Iterator[tuple[int, str]]:
    for previous, entry in zip(entries, entries[1:], strict=False):
        if entry_sort_key(entry) < entry_sort_key(previous):
            yield (
                entry.line,
                f"out of order: {entry.source!r} sorts before {previous.source!r} "
                f"(line {previous.line}); keep entries sorted by source, ignoring case",
            )


def _key(form: str) -> str:
    return " ".join(form.split()).casefold()


def _dutch_forms(entries: list[Entry]) -> Iterator[tuple[int, str]]:
    """Duplicate headwords, conflicting targets, and Dutch forms two entries claim."""
    claimed: dict[str, tuple[Entry, bool]] = {}  # form → (first entry, is its headword)
    for entry in entries:
        seen_here: set[str] = set()
        for index, form in enumerate(entry.source_forms):
            key = _key(form)
            if key in seen_here:
                yield entry.line, f"Dutch form {form!r} is listed twice in this entry"
                continue
            seen_here.add(key)
            if key not in claimed:
                claimed[key] = (entry, index == 0)
                continue
            first, first_is_headword = claimed[key]
            if first == entry or (first.kind is entry.kind and first.target != entry.target):
                continue  # an exact repeat or a conflict: entry_problems reports it
            if first_is_headword and index == 0:
                message = f"duplicate headword {form!r} (first at line {first.line})"
                if first.target != entry.target:
                    message += f"; its targets differ: {first.target!r} and {entry.target!r}"
                yield entry.line, message + "; merge the two entries"
            elif first.target != entry.target:
                yield (
                    entry.line,
                    (
                        f"conflicting targets for {form!r}: {entry.target!r} here, "
                        f"{first.target!r} at line {first.line}; keep one"
                    ),
                )
            else:
                yield (
                    entry.line,
                    (
                        f"Dutch form {form!r} is claimed by two entries (also line {first.line}); "
                        "list it in one"
                    ),
                )


def _english_forms(entries: list[Entry]) -> Iterator[tuple[int, str]]:
    """Forms listed twice, and forbidden renderings a correct translation would contain."""
    for entry in entries:
        for name, forms in (("allowed", entry.allowed_targets), ("forbidden", entry.forbidden)):
            for form in sorted({f for f in forms if forms.count(f) > 1}):
                yield entry.line, f"{name} English form {form!r} is listed twice"
    allowed = [(entry, form) for entry in entries for form in entry.allowed_targets]
    for entry in entries:
        for wrong in entry.forbidden:
            for owner, form in allowed:
                # the checker finds forbidden forms case-sensitively as whole words; a term's
                # allowed forms count in any capitalisation
                inside = find_forms(form, [wrong], case_sensitive=True)
                same = owner.kind is TermKind.TERM and wrong.casefold() == form.casefold()
                if inside or same:
                    where = "this entry" if owner is entry else f"line {owner.line}"
                    yield (
                        entry.line,
                        (
                            f"{wrong!r} is forbidden but the allowed {form!r} ({where}) contains "
                            "it, so a correct translation would be flagged"
                        ),
                    )
