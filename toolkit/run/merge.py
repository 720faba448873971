"""Carrying a translator's reviewed work into a re-run of the same document.

Old and new paragraphs are aligned by content, the way msgmerge does it:
identical Dutch first, then the most similar Dutch above `FUZZY_THRESHOLD`
(a difflib ratio over words, or characters for short paragraphs),
position only breaking ties, each old paragraph used once. A reviewed
paragraph whose Dutch is unchanged keeps its translation, state and comment
and is never sent to the engine; a paragraph whose Dutch changed gets new
machine output, stays fuzzy, and keeps the old Dutch (PO `#| msgid`), the old
translation in a note and the translator's comment. Unmatched old paragraphs
are dropped and counted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from toolkit.document import Document, Origin, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.files import read_limited
from toolkit.formats import WRITE_ONLY, Format
from toolkit.run.outputs import output_paths

FUZZY_THRESHOLD = 0.6  # gettext's msgmerge uses the same similarity floor
# Fuzzy candidates are sought this many positions either side (after the exact matches),
# so a document rewritten throughout costs O(n * window), not O(n^2) string comparisons.
FUZZY_WINDOW = 200
# A cheap word-overlap floor before the character comparison: paragraphs of a few words
# or more that share fewer words than this do not reach the threshold in practice (short
# ones, such as a heading with one word changed, always get the character comparison).
WORD_OVERLAP_FLOOR = 0.2
WORD_OVERLAP_MIN_WORDS = 4
CHANGED_NOTE = "Dutch changed; previous translation: "


@dataclass(frozen=True)
class MergeResult:
    kept: int  # reviewed translations carried over unchanged
    changed: int  # paragraphs whose Dutch changed since a translation was made
    removed: int  # previous paragraphs no longer in the source


def merge_previous(document: Document, previous: Document) -> MergeResult:
    """Apply `previous` (a file we wrote and a translator edited) to the fresh `document`."""
    pairs = align(document.paragraphs, previous.paragraphs)
    changed = 0
    for paragraph, old in pairs:
        if paragraph.source == old.source:
            _carry_unchanged(paragraph, old)
        else:
            changed += _carry_changed(paragraph, old)
    kept = sum(p.state is ReviewState.REVIEWED for p in document.paragraphs)
    return MergeResult(kept=kept, changed=changed, removed=len(previous.paragraphs) - len(pairs))


def align(new: Sequence[Paragraph], old: Sequence[Paragraph]) -> list[tuple[Paragraph, Paragraph]]:
    """(new, old) pairs: identical sources in order, then the most similar above the threshold."""
    by_source: dict[str, list[int]] = defaultdict(list)
    for j, paragraph in enumerate(old):
        by_source[paragraph.source].append(j)
    exact: dict[int, int] = {}  # new position → old position
    for i, paragraph in enumerate(new):
        candidates = by_source.get(paragraph.source)
        if candidates:
            exact[i] = candidates.pop(0)
    free = sorted(set(range(len(old))) - set(exact.values()))
    words = {j: set(old[j].source.split()) for j in free}
    scored: list[tuple[float, int, int, int]] = []  # (-ratio, distance, new, old)
    anchor_new, anchor_old = -1, -1
    for i, paragraph in enumerate(new):
        if i in exact:
            # an insertion or deletion before here shifts every later position: the
            # nearest identical paragraph above says where this one used to be
            anchor_new, anchor_old = i, exact[i]
            continue
        expected = anchor_old + (i - anchor_new)
        new_words = set(paragraph.source.split())
        low = bisect_left(free, expected - FUZZY_WINDOW)
        high = bisect_right(free, expected + FUZZY_WINDOW)
        for j in free[low:high]:
            if _overlap(new_words, words[j]) < WORD_OVERLAP_FLOOR:
                continue
            ratio = _similarity(paragraph.source, old[j].source)
            if ratio >= FUZZY_THRESHOLD:
                scored.append((-ratio, abs(j - expected), i, j))
    pairs = [(new[i], old[j]) for i, j in exact.items()]
    taken_new, taken_old = set(), set()
    for _, _, i, j in sorted(scored):
        if i not in taken_new and j not in taken_old:
            taken_new.add(i)
            taken_old.add(j)
            pairs.append((new[i], old[j]))
    return pairs


def _overlap(a: set[str], b: set[str]) -> float:
    if min(len(a), len(b)) < WORD_OVERLAP_MIN_WORDS:
        return 1.0
    return len(a & b) / len(a | b)


def _similarity(a: str, b: str) -> float:
    """msgmerge-like ratio: over words for paragraphs of some length, characters for short ones.

    Words keep the comparison cheap (a paragraph is tens of words, hundreds of
    characters); characters let a heading with one word changed still match.
    """
    words_a, words_b = a.split(), b.split()
    matcher: SequenceMatcher[str]
    if min(len(words_a), len(words_b)) >= WORD_OVERLAP_MIN_WORDS:
        matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    else:
        # autojunk off: on strings over 200 items it would junk every common letter
        matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0  # both are upper bounds of ratio(), and cheap
    return matcher.ratio()


def _carry_unchanged(paragraph: Paragraph, old: Paragraph) -> None:
    paragraph.translator_comment = old.translator_comment
    if old.state is ReviewState.REVIEWED:
        paragraph.target = old.target
        paragraph.state = ReviewState.REVIEWED
        paragraph.origin = Origin.REVIEWED
        for sentence in paragraph.sentences:
            sentence.target = ""  # the paragraph is the unit a translator edited
        carry_tags(paragraph, old)
    elif old.previous_source:
        # still awaiting review after an earlier change: the old Dutch and translation stay
        paragraph.previous_source = old.previous_source
        paragraph.notes.extend(n for n in old.notes if n.startswith(CHANGED_NOTE))


def carry_tags(paragraph: Paragraph, old: Paragraph) -> None:
    """The reviewed English's tag places, where the old file's tags are the new document's.

    Otherwise (formatting changed, a tag lost in review) the tags are placed afresh.
    """
    same = [(t.id, t.kind, t.paired) for t in old.tags] == [
        (t.id, t.kind, t.paired) for t in paragraph.tags
    ]
    for tag in paragraph.tags:
        tag.target_start = tag.target_end = None
    if not same:
        return
    for tag, before in zip(paragraph.tags, old.tags, strict=True):
        tag.target_start, tag.target_end = before.target_start, before.target_end


def _carry_changed(paragraph: Paragraph, old: Paragraph) -> int:
    paragraph.translator_comment = old.translator_comment
    if not old.target:
        return 0
    paragraph.previous_source = old.source
    paragraph.notes.append(f"{CHANGED_NOTE}{old.target}")
    return 1


def load_previous(document: Document, folder: Path, formats: Sequence[Format]) -> Document | None:
    """The earlier output that holds the translator's work, if any.

    Every readable output of the chosen formats is read: the translator may
    have reviewed any of them. Two files with different reviewed work are a
    conflict only a person can settle, so the document is refused rather than
    one of them silently lost; an unreadable file is never overwritten either.
    """
    found: list[tuple[Path, Document]] = []
    for fmt, path in zip(formats, output_paths(document, folder, formats), strict=False):
        if not path.exists() or fmt.name in WRITE_ONLY:
            continue
        try:
            found.append((path, fmt.loads(read_limited(path).decode("utf-8"), str(path))))
        except (UserError, UnicodeDecodeError) as err:
            raise UserError(
                f"exists and cannot be read back ({err}); fix or move it before re-translating",
                path=path,
            ) from None
    reviewed = [(path, doc, work) for path, doc in found if (work := reviewed_work(doc))]
    for path, _, work in reviewed[1:]:
        if work != reviewed[0][2]:
            raise UserError(
                f"holds reviewed work that differs from {reviewed[0][0]}; keep the one you "
                "reviewed (move the other away) and run again",
                path=path,
            )
    if reviewed:
        return reviewed[0][1]
    return found[0][1] if found else None


def reviewed_work(document: Document) -> set[tuple[str, str]]:
    """The (Dutch, English) pairs a translator approved in `document`."""
    return {(p.source, p.target) for p in document.paragraphs if p.state is ReviewState.REVIEWED}
