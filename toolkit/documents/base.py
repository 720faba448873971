"""What every formatted-document reader gives the toolkit, and how a document is built from it.

A format module parses a file's bytes into `Block`s in reading order, each
with its plain text and inline tags (see `toolkit.inline`), and can write the
file back with some blocks' text replaced. Parsing is deterministic, so the
writer parses the original bytes again and finds block i where the reader
found it: nothing but the text travels through the document model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from toolkit.document import Document, InlineTag, Paragraph, Sentence
from toolkit.sentences import split_sentences


class Block(Protocol):
    """A unit of text in a formatted document: a heading, paragraph, list item, cell."""

    text: str
    tags: list[InlineTag]
    heading: bool
    line: int

    def replace(self, text: str, tags: Sequence[InlineTag]) -> None:
        """Put `text` in the file with `tags` at their target positions."""
        ...


class Parsed(Protocol):
    """A parsed file: its blocks in reading order, and its bytes with any replacements."""

    blocks: list[Block]

    def serialize(self) -> bytes: ...


class DocumentFormat(Protocol):
    name: str
    extensions: tuple[str, ...]

    def parse(self, data: bytes, path: str) -> Parsed: ...


def translatable(blocks: Sequence[Block]) -> list[Block]:
    """The blocks that become paragraphs: those with text to translate (not only tags)."""
    return [block for block in blocks if any(ch.isalpha() for ch in block.text)]


def tag_note(tags: Sequence[InlineTag]) -> str:
    """The reviewer's note saying what the standalone tags and links stand for."""
    from toolkit.inline import label

    parts = [f"{label(t)} = {t.content[:60]}" for t in tags if t.content]
    return "tags: " + "; ".join(parts) if parts else ""


def build_document(parsed: Parsed, name: str, path: str, kind: str, data: bytes) -> Document:
    """The document model of a parsed file: one paragraph per translatable block."""
    document = Document(name=name, path=path, text="", source_format=kind, original=data)
    texts: list[str] = []
    offset = 0
    for block in translatable(parsed.blocks):
        paragraph = Paragraph(
            index=len(document.paragraphs) + 1,
            source=block.text,
            line=block.line,
            start=offset,
            heading=block.heading,
            tags=[_copy(tag) for tag in block.tags],
        )
        note = tag_note(block.tags)
        if note:
            paragraph.notes.append(note)
        spans = [(0, len(block.text))] if block.heading else split_sentences(block.text)
        paragraph.sentences = [Sentence(block.text[s:e], s, e) for s, e in spans]
        document.paragraphs.append(paragraph)
        texts.append(block.text)
        offset += len(block.text) + 2
    document.text = "\n\n".join(texts)
    return document


def _copy(tag: InlineTag) -> InlineTag:
    return InlineTag(**{**tag.__dict__, "target_start": None, "target_end": None})


def write_translation(fmt: DocumentFormat, document: Document) -> bytes:
    """The original file with each translated paragraph's English (and tags) put in.

    A paragraph without English keeps its Dutch, so nothing is lost from the document.
    """
    parsed = fmt.parse(document.original, document.path)
    blocks = translatable(parsed.blocks)
    if len(blocks) != len(document.paragraphs):
        raise ValueError(
            f"the document has {len(blocks)} blocks, the translation {len(document.paragraphs)}"
        )
    for block, paragraph in zip(blocks, document.paragraphs, strict=True):
        if not paragraph.target:
            continue
        block.replace(paragraph.target, paragraph.tags)
    return parsed.serialize()
