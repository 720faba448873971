"""Inline tags: built by the document readers, placed in the English, checked and rendered.

A reader turns a block's formatted content into plain text (what the engine,
the glossary and the QA checks see) plus `InlineTag`s with offsets into it
(`TaggedTextBuilder`). After translation `place_tags` puts each tag at the
aligned place in the English: the same words where the tagged text is copied
verbatim (names, numbers, URLs), else the model's cross-attention where the
engine can read it (`PlacingEngine.locate`), else a proportional word
alignment; paired tags always come out well nested. `pieces` turns text and
placed tags into the open/close/standalone sequence every writer consumes,
and `tag_problems` says what a reviewer's edit did to the tags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.document import InlineTag, Paragraph

WORD = re.compile(r"\S+")
TRAILING_PUNCTUATION = ".,;:!?…)]}\"'»”’"
# standalone tags that read as a word of their own (kept apart from their neighbours)
WORDLIKE = frozenset({"code", "field", "image", "url", "math", "html"})


class TaggedTextBuilder:
    """Collects a block's text and tags while a reader walks its markup.

    Whitespace runs become one space and the ends are trimmed, as a browser or a word
    processor shows them, so the offsets index the text the engine is given.
    """

    def __init__(self) -> None:
        self._text: list[str] = []
        self._length = 0
        self._space = False  # whitespace seen since the last character kept
        self.tags: list[InlineTag] = []
        self._open: list[InlineTag] = []

    def text(self, text: str) -> None:
        for chunk in re.split(r"(\s+)", text):
            if not chunk:
                continue
            if chunk.isspace():
                self._space = True
                continue
            self._flush_space()
            self._text.append(chunk)
            self._length += len(chunk)

    def _flush_space(self) -> None:
        if self._space:
            if not self._length or self._text[-1].endswith(" "):
                # a standalone tag sits between two spaces: one space in the text, and the
                # tag remembers the other
                for tag in self.tags:
                    if not tag.paired and tag.start == self._length and tag.kind in WORDLIKE:
                        tag.space_after = True
            else:
                self._text.append(" ")
                self._length += 1
        self._space = False

    def open(self, kind: str, content: str = "") -> int:
        """Start a paired tag; returns its id (the reader's key to what it means)."""
        self._flush_space()
        tag = InlineTag(len(self.tags) + 1, kind, self._length, self._length, True, content)
        self.tags.append(tag)
        self._open.append(tag)
        return tag.id

    def close(self) -> None:
        tag = self._open.pop()
        tag.end = self._length

    def standalone(self, kind: str, content: str = "") -> int:
        """A tag that stands for content kept as it is (a break, code, a field, an image)."""
        before = self._space or (self._length > 0 and self._text[-1].endswith(" "))
        self._flush_space()
        tag = InlineTag(len(self.tags) + 1, kind, self._length, self._length, False, content)
        tag.space_before = before and kind in WORDLIKE
        self.tags.append(tag)
        return tag.id

    def result(self) -> tuple[str, list[InlineTag]]:
        """The plain text and the tags; a trailing space is dropped and offsets kept inside."""
        text = "".join(self._text)
        for tag in self.tags:
            tag.start, tag.end = min(tag.start, len(text)), min(tag.end, len(text))
        self._mark_space_after(text)
        return text, self.tags

    def _mark_space_after(self, text: str) -> None:
        for tag in self.tags:
            if not tag.paired and tag.kind in WORDLIKE and text[tag.start : tag.start + 1] == " ":
                tag.space_after = True


@dataclass(frozen=True)
class Piece:
    """One step of rendering: text, or a tag opening, closing or standing alone."""

    kind: str  # "text", "open", "close", "standalone"
    text: str = ""
    tag: InlineTag | None = None


def pieces(text: str, tags: Sequence[InlineTag], target: bool = False) -> list[Piece]:
    """Text and tags (their source or target positions) as a well-nested sequence.

    Tags without a place on that side are left out; a tag whose span would cross
    another's is shrunk to fit (see `nest`), so the result is always well formed.
    """
    placed = [t for t in tags if _span(t, target)[0] is not None]
    spans = nest(placed, target, len(text))
    events: list[tuple[int, int, int, int, InlineTag]] = []
    # order at one position: closings (innermost first), empty and standalone tags, openings
    # (outermost first); of two tags on the same span, the first opened is the outer one
    for tag in placed:
        start, end = spans[tag.id]
        if not tag.paired or start == end:
            events.append((start, 1, tag.id, 0, tag))
        else:
            events.append((start, 2, -end, tag.id, tag))
            events.append((end, 0, -start, -tag.id, tag))
    events.sort(key=lambda e: e[:4])
    parents = _source_parents(placed)
    result: list[Piece] = []
    position = 0
    index = 0
    while index < len(events):
        offset = events[index][0]
        if offset > position:
            result.append(Piece("text", text[position:offset]))
            position = offset
        here = []
        while index < len(events) and events[index][0] == offset:
            here.append(events[index])
            index += 1
        result += [Piece("close", tag=e[4]) for e in here if e[1] == 0]
        opens = [e[4] for e in here if e[1] == 2]
        group = [e[4] for e in here if e[1] == 1]
        # a standalone tag inside a tag that opens here follows that tag's opening
        owner = {tag.id: _nearest(tag, opens, parents) for tag in group}
        result += _group([t for t in group if owner[t.id] is None], parents)
        for tag in opens:
            result.append(Piece("open", tag=tag))
            result += _group([t for t in group if owner[t.id] == tag.id], parents)
    if position < len(text):
        result.append(Piece("text", text[position:]))
    return _space_standalones(result)


def _nearest(tag: InlineTag, opens: list[InlineTag], parents: dict[int, int]) -> int | None:
    """The innermost of `opens` that holds `tag` in the source, if any."""
    ids = {t.id for t in opens}
    parent = parents.get(tag.id)
    while parent is not None and parent not in ids:
        parent = parents.get(parent)
    return parent


def _group(tags: list[InlineTag], parents: dict[int, int]) -> list[Piece]:
    """Empty paired tags and standalone ones at one place, an empty tag around what it held
    in the source (`<strong><code>…</code></strong>` stays so)."""
    result: list[Piece] = []
    stack: list[InlineTag] = []

    def inside(tag: InlineTag, outer: InlineTag) -> bool:
        parent = parents.get(tag.id)
        while parent is not None:
            if parent == outer.id:
                return True
            parent = parents.get(parent)
        return False

    for tag in sorted(tags, key=lambda t: t.id):
        while stack and not inside(tag, stack[-1]):
            result.append(Piece("close", tag=stack.pop()))
        if tag.paired:
            result.append(Piece("open", tag=tag))
            stack.append(tag)
        else:
            result.append(Piece("standalone", tag=tag))
    while stack:
        result.append(Piece("close", tag=stack.pop()))
    return result


def _space_standalones(result: list[Piece]) -> list[Piece]:
    """A word-like standalone tag that had spaces around it in the source keeps them."""
    for index, piece in enumerate(result):
        if piece.kind != "standalone" or piece.tag is None:
            continue
        before = next((p for p in reversed(result[:index]) if p.kind == "text"), None)
        after = next((p for p in result[index + 1 :] if p.kind == "text"), None)
        if piece.tag.space_before and before is not None and before.text[-1:].isalnum():
            result[result.index(before)] = Piece("text", before.text + " ")
        if piece.tag.space_after and after is not None and after.text[:1].isalnum():
            result[result.index(after)] = Piece("text", " " + after.text)
    return result


def _span(tag: InlineTag, target: bool) -> tuple[int | None, int | None]:
    return (tag.target_start, tag.target_end) if target else (tag.start, tag.end)


def nest(tags: Sequence[InlineTag], target: bool, length: int) -> dict[int, tuple[int, int]]:
    """Each tag's span on one side, clamped into the text and made well nested.

    Tags are taken in source order (outer before inner); a span that would cross one
    taken earlier is shrunk to its side of it, or emptied at its start.
    """
    order = sorted(tags, key=lambda t: (t.start, -t.end, t.id))
    taken: list[tuple[int, int]] = []
    spans: dict[int, tuple[int, int]] = {}
    parents = _source_parents(tags)
    for tag in order:
        raw_start, raw_end = _span(tag, target)
        start = min(max(raw_start or 0, 0), length)
        end = min(max(raw_end if raw_end is not None else start, start), length)
        if not tag.paired:
            end = start
        parent = parents.get(tag.id)
        if parent is not None and parent in spans and tag.paired:
            low, high = spans[parent]
            start, end = min(max(start, low), high), min(max(end, low), high)
        elif parent is not None and parent in spans:
            low, high = spans[parent]
            start = end = min(max(start, low), high)
        for other_start, other_end in taken:
            if start < other_start < end < other_end:
                end = other_start
            elif other_start < start < other_end < end:
                start = other_end
        if any(s < start < e < end or start < s < end < e for s, e in taken):
            end = start
        spans[tag.id] = (start, end)
        if tag.paired and start < end:
            taken.append((start, end))
    return spans


def _source_parents(tags: Sequence[InlineTag]) -> dict[int, int]:
    """The innermost paired tag enclosing each tag in the source.

    Ids follow the source's order, so a tag opened later is never the parent of an
    earlier one (a bookmark before a run inside a link belongs to the link).
    """
    parents: dict[int, int] = {}
    stack: list[InlineTag] = []
    for tag in sorted(tags, key=lambda t: t.id):
        while stack and not (stack[-1].start <= tag.start and tag.end <= stack[-1].end):
            stack.pop()
        if stack:
            parents[tag.id] = stack[-1].id
        if tag.paired:
            stack.append(tag)
    return parents


# --- placing tags in the English ---------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """A stretch of source and its translation that tags are aligned within."""

    source_start: int
    source: str
    target_start: int
    target: str


def _units(paragraph: Paragraph) -> list[_Unit]:
    sentences = paragraph.sentences
    targets = [s.target for s in sentences]
    if sentences and all(targets) and " ".join(targets) == paragraph.target:
        units, offset = [], 0
        for sentence in sentences:
            units.append(_Unit(sentence.start, sentence.source, offset, sentence.target))
            offset += len(sentence.target) + 1
        return units
    return [_Unit(0, paragraph.source, 0, paragraph.target)]


def _unit_at(units: Sequence[_Unit], offset: int, closing: bool = False) -> _Unit:
    for unit in units:
        if unit.source_start <= offset and (
            offset < unit.source_start + len(unit.source)
            or (closing and offset == unit.source_start + len(unit.source))
        ):
            return unit
    return units[-1] if offset > 0 else units[0]


def _proportional(source: str, target: str, offset: int, closing: bool) -> int:
    """Where a source offset falls in the target by word position (the fallback alignment)."""
    if offset <= 0 or not target:
        return 0
    if offset >= len(source.rstrip()):
        return _before_punctuation(target, len(target)) if closing else len(target)
    source_words = [m.span() for m in WORD.finditer(source)]
    target_words = [m.span() for m in WORD.finditer(target)]
    if not source_words or not target_words:
        return 0
    before = sum(1 for _, end in source_words if end <= offset)
    index = round(before * len(target_words) / len(source_words))
    if closing:
        index = max(index, 1)
        return _before_punctuation(target, target_words[min(index, len(target_words)) - 1][1])
    if index >= len(target_words):
        return len(target)
    return target_words[index][0]


def _before_punctuation(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in TRAILING_PUNCTUATION and end - 1 > 0:
        if text[end - 2].isspace():
            break
        end -= 1
    return end


def _verbatim(unit: _Unit, start: int, end: int) -> tuple[int, int] | None:
    """The tagged words found once, unchanged, in the target (a name, a number, a URL)."""
    words = unit.source[start:end].strip()
    if len(words) < 2:
        return None
    hits = [m.start() for m in re.finditer(re.escape(words), unit.target)]
    if len(hits) != 1:
        lowered = unit.target.casefold()
        hits = [m.start() for m in re.finditer(re.escape(words.casefold()), lowered)]
    if len(hits) != 1:
        return None
    lead = len(unit.source[start:end]) - len(unit.source[start:end].lstrip())
    return hits[0] - lead if lead and hits[0] >= lead else hits[0], hits[0] + len(words)


class Locator:
    """Cross-attention placement from an engine that can read it (`PlacingEngine.locate`)."""

    def __init__(self, engine: object | None) -> None:
        from toolkit.engines.base import PlacingEngine

        self.engine = engine if isinstance(engine, PlacingEngine) else None

    def starts(self, requests: Sequence[tuple[str, tuple[int, int], str]]) -> list[int | None]:
        if self.engine is None or not requests:
            return [None] * len(requests)
        try:
            return self.engine.locate(
                [r[0] for r in requests], [r[1] for r in requests], [r[2] for r in requests]
            )
        except Exception:  # noqa: BLE001  (placement is a refinement: fall back, never fail)
            return [None] * len(requests)


@dataclass(frozen=True)
class _Ask:
    """A question for the model's attention: where does this source span begin in the target?"""

    tag: InlineTag
    which: str  # "start": the tag's span; "end": its last word
    unit: _Unit
    span: tuple[int, int]


def place_tags(paragraph: Paragraph, locator: Locator | None = None) -> None:
    """Give every tag of `paragraph` its place in `paragraph.target` (None without one)."""
    place_all([paragraph], locator)


def place_all(paragraphs: Sequence[Paragraph], locator: Locator | None = None) -> None:
    """`place_tags` for many paragraphs, the attention questions asked in a few batches."""
    plans = [(paragraph, _plan(paragraph)) for paragraph in paragraphs]
    asks = [ask for _, plan in plans for ask in plan]
    answers: list[int | None] = []
    for begin in range(0, len(asks), LOCATE_BATCH):
        chunk = asks[begin : begin + LOCATE_BATCH]
        if locator is None:
            answers += [None] * len(chunk)
        else:
            answers += locator.starts([(a.unit.source, a.span, a.unit.target) for a in chunk])
    given = iter(answers)
    for paragraph, plan in plans:
        if paragraph.tags and paragraph.target:
            _settle(paragraph, plan, [next(given) for _ in plan])


LOCATE_BATCH = 256  # attention questions per engine call


def _plan(paragraph: Paragraph) -> list[_Ask]:
    """Place each tag by verbatim match or proportionally; what to ask the attention."""
    if not paragraph.tags:
        return []
    if not paragraph.target:
        for tag in paragraph.tags:
            tag.target_start = tag.target_end = None
        return []
    units = _units(paragraph)
    asks: list[_Ask] = []
    for tag in paragraph.tags:
        unit = _unit_at(units, tag.start)
        local_start = tag.start - unit.source_start
        local_end = min(tag.end - unit.source_start, len(unit.source))
        whole = local_start <= 0 and local_end >= len(unit.source.rstrip())
        if whole and tag.paired:
            tag.target_start = unit.target_start
            tag.target_end = unit.target_start + len(unit.target)
            continue
        found = _verbatim(unit, local_start, local_end) if tag.paired else None
        if found is not None:
            tag.target_start, tag.target_end = (unit.target_start + n for n in found)
            continue
        tag.target_start = unit.target_start + _proportional(
            unit.source, unit.target, local_start, closing=False
        )
        tag.target_end = tag.target_start
        if not tag.paired or tag.start == tag.end:  # empty in the Dutch: empty in the English
            continue
        end_unit = _unit_at(units, tag.end, closing=True)
        tag.target_end = end_unit.target_start + _proportional(
            end_unit.source, end_unit.target, tag.end - end_unit.source_start, True
        )
        if local_end > local_start and end_unit is unit:
            asks.append(_Ask(tag, "start", unit, (local_start, local_end)))
            words = list(WORD.finditer(unit.source[local_start:local_end]))
            if words:
                span = (local_start + words[-1].start(), local_start + words[-1].end())
                asks.append(_Ask(tag, "end", unit, span))
    return asks


def _settle(paragraph: Paragraph, asks: Sequence[_Ask], answers: Sequence[int | None]) -> None:  # noqa: C901  (to split: issue 25)
    """Take the attention's answers over the fallback places; make the spans well nested."""
    for ask, found_at in zip(asks, answers, strict=True):
        if found_at is None:
            continue
        unit, tag = ask.unit, ask.tag
        if ask.which == "start":
            tag.target_start = unit.target_start + found_at
        else:
            match = WORD.search(unit.target, found_at)
            if match is not None:
                tag.target_end = unit.target_start + _before_punctuation(unit.target, match.end())
    for ask in asks:
        tag = ask.tag
        start, end = tag.target_start, tag.target_end
        if start is not None and end is not None and end <= start:  # attention disagreed
            tag.target_end = start + _proportional_length(tag, paragraph)
    target = paragraph.target
    for tag in paragraph.tags:  # whole words (attention reads subwords), never a space at an end
        start, end = tag.target_start, tag.target_end
        if not tag.paired or start is None or end is None:
            continue
        while 0 < start < len(target) and target[start - 1].isalnum() and target[start].isalnum():
            start -= 1
        while 0 < end < len(target) and target[end - 1].isalnum() and target[end].isalnum():
            end += 1
        while start < end and target[start : start + 1].isspace():
            start += 1
        while end > start and target[end - 1 : end].isspace():
            end -= 1
        tag.target_start, tag.target_end = start, end
    spans = nest(paragraph.tags, True, len(target))
    for tag in paragraph.tags:
        tag.target_start, tag.target_end = spans[tag.id]


def _proportional_length(tag: InlineTag, paragraph: Paragraph) -> int:
    words = len(WORD.findall(paragraph.source[tag.start : tag.end])) or 1
    rest = paragraph.target[tag.target_start or 0 :]
    found = list(WORD.finditer(rest))[:words]
    return _before_punctuation(rest, found[-1].end()) if found else 0


def tag_problems(paragraph: Paragraph) -> list[str]:
    """What is wrong with the tags of a reviewed English: missing, doubled, out of order.

    Each problem is one line naming the tag as the bilingual files show it. Reads
    `target_start`/`target_end`, which the bilingual format readers set, plus the
    `doubled` ids they saw more than once (`missing` and `order` are found here).
    """
    problems = []
    for tag in paragraph.tags:
        if tag.target_start is None:
            problems.append(f"tag {label(tag)} is missing from the English")
    placed = [t for t in paragraph.tags if t.target_start is not None]
    for tag in placed:
        if tag.paired and (tag.target_end is None or tag.target_end < (tag.target_start or 0)):
            problems.append(f"tag {label(tag)} is closed before it is opened")
    for a in placed:
        for b in placed:
            if a.id >= b.id or not (a.paired and b.paired):
                continue
            a0, a1, b0, b1 = a.target_start, a.target_end, b.target_start, b.target_end
            assert a0 is not None and b0 is not None
            if a1 is None or b1 is None:
                continue
            if a0 < b0 < a1 < b1 or b0 < a0 < b1 < a1:
                problems.append(
                    f"tags {label(a)} and {label(b)} overlap (close in the order opened)"
                )
    return problems


def label(tag: InlineTag) -> str:
    """How PO files and messages name a tag: `b1`, `link2`, `code3`."""
    return f"{SHORT.get(tag.kind, tag.kind)}{tag.id}"


SHORT = {"bold": "b", "italic": "i", "break": "br", "footnote": "fn", "format": "f"}
