"""Terminology CSV as Amazon Translate custom terminology and Google's equivalent-term sets take it.

A header row of language codes (`nl,en`), then one row per Dutch form and its English. The
format holds pairs only, so `write_terms_csv` writes the headword and every source variant
each mapped to the required English, and loses notes, kinds, statuses, English variants and
forbidden renderings (Amazon accepts no columns other than languages). `read_terms_csv`
groups rows sharing an English into one entry with source variants (see `group_by_target`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.glossary.model import Glossary, entry_sort_key, group_by_target, validated


def write_terms_csv(glossary: Glossary, path: Path | str) -> None:
    """Write one `nl,en` row per Dutch form, in headword order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([glossary.source_language, glossary.target_language])
    for entry in sorted(glossary.entries, key=entry_sort_key):
        for dutch in entry.source_forms:
            writer.writerow([dutch, entry.target])
    write_atomic(Path(path), out.getvalue())


def read_terms_csv(
    path: Path | str, source_language: str = "nl", target_language: str = "en"
) -> Glossary:
    """Read a language-code-headed terminology CSV; other language columns are ignored."""
    path = Path(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        return _read_rows(reader, path, source_language, target_language)
    except csv.Error as err:  # a cell over 131,072 characters, a stray NUL...
        raise UserError(
            f"not a readable CSV file ({err}); a term is at most a few words",
            path=path,
            line=reader.line_num,
        ) from None


def _read_rows(reader: Any, path: Path, source_language: str, target_language: str) -> Glossary:
    header = [_language(cell) for cell in next(reader, [])]
    columns = []
    for language in (source_language, target_language):
        if language not in header:
            raise UserError(
                f"no {language!r} column in the header row {header}; the first row must name "
                f"the languages, e.g. {source_language},{target_language}",
                path=path,
                line=1,
            )
        columns.append(header.index(language))
    pairs = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise UserError(
                f"expected {len(header)} comma-separated cells, found {len(row)}; "
                "quote cells that hold commas",
                path=path,
                line=reader.line_num,
            )
        dutch, english = (row[index].strip() for index in columns)
        if dutch and english:  # a multilingual set may lack one of our two languages
            pairs.append((dutch, english, "", reader.line_num))
    glossary = Glossary(group_by_target(pairs), str(path), source_language, target_language)
    return validated(glossary, pairs)


def _language(cell: str) -> str:
    """`nl`, `NL`, `nl-NL`, `nl_BE` → `nl`."""
    return cell.strip().lower().replace("_", "-").split("-")[0]
