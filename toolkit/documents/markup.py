"""What HTML, DOCX and ODT readers share: a block is a run of inline nodes in an lxml tree.

A run is a stretch of a parent's content: the text before its first node (the
parent's text or a block sibling's tail) and the inline nodes that follow, with
their tails. The reader turns it into plain text and tags, remembering which
original node each tag came from; `rebuild` replaces the run with the English,
making a shallow copy of a paired tag's node around its new text and moving a
standalone tag's node (a field, an image, a footnote with its own translated
paragraphs) into place, so nothing outside the text changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from toolkit.document import InlineTag
from toolkit.inline import pieces


@dataclass
class Run:
    parent: etree._Element
    lead: etree._Element | None  # the block sibling whose tail starts the run; None: parent.text
    nodes: list[etree._Element]  # the inline nodes of the run, in order
    originals: dict[int, etree._Element] = field(default_factory=dict)  # tag id → node


def rebuild(run: Run, text: str, tags: Sequence[InlineTag]) -> None:  # noqa: C901  (to split: issue 25)
    """Replace the run's content with `text`, tags as nodes copied or moved from the originals."""
    parent = run.parent
    index = parent.index(run.nodes[0]) if run.nodes else _after_lead(run)
    for node in run.nodes:
        parent.remove(node)
    if run.lead is None:
        parent.text = None
    else:
        run.lead.tail = None
    stack: list[etree._Element] = [parent]
    last: etree._Element | None = None

    def append(node: etree._Element) -> None:
        nonlocal index
        if stack[-1] is parent:
            parent.insert(index, node)
            index += 1
        else:
            stack[-1].append(node)

    def put_text(chunk: str) -> None:
        container = stack[-1]
        if last is not None and last.getparent() is container:
            last.tail = (last.tail or "") + chunk
        elif container is parent and run.lead is not None:
            run.lead.tail = (run.lead.tail or "") + chunk
        else:
            container.text = (container.text or "") + chunk

    for piece in pieces(text, tags, target=True):
        tag = piece.tag
        if piece.kind == "text":
            put_text(piece.text)
            continue
        assert tag is not None
        original = run.originals.get(tag.id)
        if original is None:
            continue
        if piece.kind == "open":
            copy = original.makeelement(original.tag, dict(original.attrib))
            append(copy)
            stack.append(copy)
            last = None
        elif piece.kind == "close":
            last = stack.pop()
        else:
            original.tail = None
            append(original)
            last = original


def _after_lead(run: Run) -> int:
    return run.parent.index(run.lead) + 1 if run.lead is not None else 0
