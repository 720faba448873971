"""The canonical glossary file: UTF-8, tab-separated, one entry per line, sorted by headword.

`read_glossary` raises a `UserError` naming file and line at the first row it cannot read;
`write_glossary` writes entries sorted by Dutch headword (ignoring case) through a temporary
file, so the file is diff-friendly and never half-written. Lint reuses `read_rows` and
`row_problems` to report every problem at once instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.glossary.model import STATUSES, Entry, Glossary, TermKind, entry_sort_key, validated

COLUMNS = (
    "source",
    "target",
    "kind",
    "target_variants",
    "forbidden",
    "source_variants",
    "note",
    "status",
)
LIST_COLUMNS = ("target_variants", "forbidden", "source_variants")
# Cells the reader cannot do without; an empty note is readable but lint reports it.
REQUIRED_COLUMNS = ("source", "target", "kind", "status")
LIST_SEPARATOR = "|"
KINDS = tuple(kind.value for kind in TermKind)


@dataclass(frozen=True)
class Row:
    """One non-blank line after the header, split on tabs but otherwise as written."""

    line: int
    cells: tuple[str, ...]


def read_rows(path: Path) -> tuple[list[Row], list[int]]:
    """The rows of a glossary file and the numbers of its blank lines; checks the header.

    Raises `UserError` for a missing or non-UTF-8 file and for a wrong header, since
    nothing after a wrong header can be read reliably.
    """
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise UserError(
            f"bad header: expected the tab-separated columns {' '.join(COLUMNS)}, "
            f"found {_header_summary(lines[0] if lines else None)}",
            path=path,
            line=1,
        )
    rows, blanks = [], []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            rows.append(Row(number, tuple(line.split("\t"))))
        else:
            blanks.append(number)
    return rows, blanks


def _header_summary(first: str | None) -> str:
    """What the first line holds, named by the expected columns only: a glossary path may come
    from a project's configuration, and its error must never print another file's contents
    (`glossary = "/etc/shadow"` would show a password line)."""
    if first is None:
        return "an empty file"
    fields = first.split("\t")
    if len(fields) < 2:
        return "no tab-separated header (is it a glossary TSV file?)"
    present = [c for c in COLUMNS if c in fields]
    missing = [c for c in COLUMNS if c not in fields]
    shown = f"{len(fields)} columns"
    if present:
        shown += f" with {', '.join(present)}"
    return f"{shown}; missing or misplaced: {', '.join(missing) or 'the column order'}"


def row_problems(cells: tuple[str, ...]) -> list[str]:
    """What keeps a row from being read as an entry (empty when it can be read)."""
    if len(cells) != len(COLUMNS):
        return [
            f"expected {len(COLUMNS)} tab-separated cells, found {len(cells)}; "
            "put a tab between every column, even empty ones"
        ]
    cell = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
    problems = [f"empty {name} cell; fill it in" for name in REQUIRED_COLUMNS if not cell[name]]
    if cell["kind"] and cell["kind"] not in KINDS:
        problems.append(f"unknown kind {cell['kind']!r}; use one of {', '.join(KINDS)}")
    if cell["status"] and cell["status"] not in STATUSES:
        problems.append(f"unknown status {cell['status']!r}; use one of {', '.join(STATUSES)}")
    return problems


def entry_from_cells(cells: tuple[str, ...], line: int) -> Entry:
    """The entry a row holds; call only when `row_problems(cells)` is empty."""
    cell = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
    lists = {name: split_list(cell[name]) for name in LIST_COLUMNS}
    return Entry(
        source=cell["source"],
        target=cell["target"],
        kind=TermKind(cell["kind"]),
        note=cell["note"],
        status=cell["status"],
        line=line,
        **lists,
    )


def split_list(cell: str) -> tuple[str, ...]:
    """A `|`-separated cell as its items, each stripped, empty items dropped."""
    return tuple(item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip())


def read_glossary(path: Path | str) -> Glossary:
    """Read the TSV glossary at `path`; the first unreadable row or unusable entry
    (see `entry_problems`) raises `UserError`."""
    path = Path(path)
    rows, _blanks = read_rows(path)
    entries = []
    for row in rows:
        problems = row_problems(row.cells)
        if problems:
            raise UserError(problems[0], path=path, line=row.line)
        entries.append(entry_from_cells(row.cells, row.line))
    return validated(Glossary(entries=entries, path=str(path)))


def format_glossary(glossary: Glossary) -> str:
    """The file text of a glossary: header, then one line per entry in headword order."""
    lines = ["\t".join(COLUMNS)]
    for entry in sorted(glossary.entries, key=entry_sort_key):
        cells = (
            entry.source,
            entry.target,
            entry.kind.value,
            LIST_SEPARATOR.join(entry.target_variants),
            LIST_SEPARATOR.join(entry.forbidden),
            LIST_SEPARATOR.join(entry.source_variants),
            entry.note,
            entry.status,
        )
        problem = next(_unwritable(entry), None)
        if problem is not None:
            raise UserError(f"cannot write entry {entry.source!r}: {problem}")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _unwritable(entry: Entry) -> Iterator[str]:
    for text in (entry.source, entry.target, entry.note, entry.status):
        if any(char in text for char in "\t\r\n"):
            yield f"{text!r} holds a tab or line break, which a TSV cell cannot"
    for name in LIST_COLUMNS:
        for item in getattr(entry, name):
            if LIST_SEPARATOR in item or any(char in item for char in "\t\r\n"):
                yield f"{name} item {item!r} holds '|', a tab or a line break"


def write_glossary(glossary: Glossary, path: Path | str) -> None:
    """Write `glossary` to `path` as sorted TSV, replacing the file in one rename."""
    path = Path(path)
    try:
        text = format_glossary(glossary)
    except UserError as err:
        raise UserError(err.message, path=path) from None
    write_atomic(path, text)
