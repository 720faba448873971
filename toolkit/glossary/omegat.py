"""OmegaT's tab-separated glossary: `source TAB target TAB comment` per line, UTF-8.

`write_omegat` writes one line per Dutch form (headword and each source variant) with the
entry's note as the comment, which OmegaT shows beside the match. Kinds, statuses, English
variants and forbidden renderings are lost: OmegaT would offer any extra target as a
translation. With `for_review` (an OmegaT project's own glossary, which a translator reads
in the Glossary pane) the comment says everything once, on the headword line: the note and
the forbidden renderings. `read_omegat` groups lines sharing English and comment into one entry (see
`group_by_target`); lines starting with `#` are skipped as comments.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.glossary.model import Entry, Glossary, entry_sort_key, group_by_target, validated


def write_omegat(glossary: Glossary, path: Path | str, *, for_review: bool = False) -> None:
    """Write the glossary as an OmegaT glossary (`.txt` or `.utf8`), in headword order."""
    lines = []
    for entry in sorted(glossary.entries, key=entry_sort_key):
        for dutch in entry.source_forms:
            comment = entry.note
            if for_review:
                # a segment holding several forms listed the long note once per form
                comment = _review_comment(entry) if dutch == entry.source else ""
            cells = [dutch, entry.target] + ([comment] if comment else [])
            if any(char in cell for cell in cells for char in "\t\r\n"):
                raise UserError(f"entry {entry.source!r} holds a tab or line break", path=path)
            lines.append("\t".join(cells))
    write_atomic(Path(path), "".join(line + "\n" for line in lines))


def _review_comment(entry: Entry) -> str:
    forbidden = f"Not: {', '.join(entry.forbidden)}." if entry.forbidden else ""
    return " ".join(part for part in (entry.note, forbidden) if part)


def read_omegat(
    path: Path | str, source_language: str = "nl", target_language: str = "en"
) -> Glossary:
    """Read an OmegaT glossary; a line needs at least a source and a target."""
    path = Path(path)
    pairs = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise UserError(
                "expected a source and a target separated by a tab (and an optional comment)",
                path=path,
                line=number,
            )
        pairs.append((cells[0], cells[1], " ".join(cells[2:]).strip(), number))
    glossary = Glossary(group_by_target(pairs), str(path), source_language, target_language)
    return validated(glossary, pairs)
