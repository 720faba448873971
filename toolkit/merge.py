"""Carrying a translator's reviewed work into a re-run of the same document.

Reviewed paragraphs whose Dutch is unchanged keep their translation, state
and translator comment untouched and are never sent to the engine. A
paragraph whose Dutch changed gets new machine output, stays fuzzy, and keeps
the old Dutch and translation for the reviewer (PO `#| msgid`, a note).
Paragraphs gone from the source are dropped and counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from toolkit.document import Document, Paragraph, ReviewState


@dataclass(frozen=True)
class MergeResult:
    kept: int  # reviewed translations carried over unchanged
    changed: int  # paragraphs whose Dutch changed since a translation was made
    removed: int  # previous paragraphs no longer in the source


def merge_previous(document: Document, previous: Document) -> MergeResult:
    """Apply `previous` (a file we wrote and a translator edited) to the fresh `document`."""
    by_source: dict[str, list[Paragraph]] = defaultdict(list)
    for old in previous.paragraphs:
        by_source[old.source].append(old)
    used: set[int] = set()
    unmatched: list[Paragraph] = []
    for paragraph in document.paragraphs:
        candidates = by_source.get(paragraph.source)
        if not candidates:
            unmatched.append(paragraph)
            continue
        old = candidates.pop(0)
        used.add(id(old))
        paragraph.translator_comment = old.translator_comment
        if old.state is ReviewState.REVIEWED:
            paragraph.target = old.target
            paragraph.state = ReviewState.REVIEWED
            for sentence in paragraph.sentences:
                sentence.target = ""  # the paragraph is the unit a translator edited
    by_index = {old.index: old for old in previous.paragraphs if id(old) not in used}
    changed = 0
    for paragraph in unmatched:
        old = by_index.pop(paragraph.index, None)
        if old is None:
            continue
        used.add(id(old))
        paragraph.translator_comment = old.translator_comment
        if old.target:
            changed += 1
            paragraph.previous_source = old.source
            paragraph.notes.append(f"Dutch changed; previous translation: {old.target}")
    kept = sum(p.state is ReviewState.REVIEWED for p in document.paragraphs)
    removed = sum(id(old) not in used for old in previous.paragraphs)
    return MergeResult(kept=kept, changed=changed, removed=removed)
