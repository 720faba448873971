"""Markdown (CommonMark with GFM tables and strikethrough), read with markdown-it-py.

Each heading, paragraph, list item paragraph and table cell is a block; its
inline content is located in the source lines markdown-it maps it to, and on
writing only that stretch is replaced, so everything else (front matter, code
blocks, list markers, indentation, tables' pipes, blank lines) stays byte for
byte. Emphasis, strikethrough and links are paired tags (a link's URL and
title never reach the engine); inline code, autolinks, images, inline HTML
and hard breaks are standalone tags kept verbatim. Front matter (`---`…`---`)
is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.document import InlineTag
from toolkit.documents.base import Block
from toolkit.errors import UserError
from toolkit.files import decode_text
from toolkit.inline import Piece, TaggedTextBuilder, pieces

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
KINDS = {"strong": "bold", "em": "italic", "s": "strike"}
# characters that would start markup if the English brought them in as text
ESCAPE = re.compile(r"([\\`*\[\]|])|(?<![\w])_|_(?![\w])|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
# an HTML tag (perhaps cut off at a line end) or a tag's attributes left in the text
HTML_FRAGMENT = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\n]*)?>?|[\w:-]+=\"[^\"\n]*\"(?:\s*/?>)?")
LINE_START = re.compile(r"\A(?:[#>]|[-+*](?=\s)|\d{1,9}[.)](?=\s))")


def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    # the URL is written back as the author wrote it, never percent-encoded or punycoded
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md


def escape(text: str, at_line_start: bool) -> str:
    """English text made literal in Markdown (emphasis, code, link and HTML characters)."""
    text = ESCAPE.sub(lambda m: "\\" + m.group(0), text)
    if at_line_start and LINE_START.match(text):
        if text[0].isdigit():  # `1.` starts a list: `1\.` does not
            return re.sub(r"(\d)([.)])", r"\1\\\2", text, count=1)
        text = "\\" + text
    return text


@dataclass
class MarkdownBlock:
    text: str
    tags: list[InlineTag]
    heading: bool
    line: int
    start: int  # offset in the file's text of the inline content's first character
    end: int
    markup: dict[int, tuple[str, str]]  # tag id → (opening, closing) or (verbatim, "")
    break_prefix: str  # what follows a hard break's backslash-newline: the continuation indent
    document: MarkdownDocument = field(repr=False)

    def replace(self, text: str, tags: Sequence[InlineTag]) -> None:
        out: list[str] = []
        for piece in _spaces_outside(pieces(text, tags, target=True)):
            if piece.kind == "text":
                out.append(escape(piece.text, at_line_start=not out))
                continue
            tag = piece.tag
            assert tag is not None
            opening, closing = self.markup.get(tag.id, ("", ""))
            if piece.kind == "open":
                out.append(opening)
            elif piece.kind == "close":
                out.append(closing)
            elif tag.kind == "break":
                out.append("\\\n" + self.break_prefix)
            else:
                out.append(opening)
        self.document.replacements.append((self.start, self.end, "".join(out)))


def _spaces_outside(sequence: list[Piece]) -> list[Piece]:
    """Spaces just inside an opening or closing tag moved outside it: `** x**` never opens."""
    result = list(sequence)
    for index, piece in enumerate(result):
        if piece.kind == "open" and index + 1 < len(result) and result[index + 1].kind == "text":
            following = result[index + 1].text
            stripped = following.lstrip()
            if stripped != following:
                result[index + 1] = Piece("text", stripped)
                result.insert(index, Piece("text", following[: len(following) - len(stripped)]))
    for index in range(len(result) - 1, 0, -1):
        piece = result[index]
        if piece.kind == "close" and result[index - 1].kind == "text":
            before = result[index - 1].text
            stripped = before.rstrip()
            if stripped != before:
                result[index - 1] = Piece("text", stripped)
                result.insert(index + 1, Piece("text", before[len(stripped) :]))
    return [p for p in result if p.kind != "text" or p.text]


@dataclass
class MarkdownDocument:
    text: str
    blocks: list[Block] = field(default_factory=list)
    replacements: list[tuple[int, int, str]] = field(default_factory=list)
    bom: bool = False

    def serialize(self) -> bytes:
        out, position = [], 0
        for start, end, replacement in sorted(self.replacements):
            out.append(self.text[position:start])
            out.append(replacement)
            position = end
        out.append(self.text[position:])
        return ("\ufeff" if self.bom else "").encode() + "".join(out).encode("utf-8")


class MarkdownFormat:
    name = "md"
    extensions: tuple[str, ...] = (".md", ".markdown")

    def parse(self, data: bytes, path: str) -> MarkdownDocument:
        text = decode_text(data, path)
        bom = text.startswith("\ufeff")
        text = text.removeprefix("\ufeff")
        if "\r" in text:
            raise UserError(
                "has Windows (CRLF) or old Mac line ends; convert them, e.g. dos2unix", path=path
            )
        document = MarkdownDocument(text=text, bom=bom)
        front = FRONT_MATTER.match(text)
        parsed_text = text
        if front:  # blanked, so line numbers stay and markdown-it never sees it
            parsed_text = re.sub(r"[^\n]", " ", front.group()) + text[front.end() :]
        lines = text.split("\n")
        line_starts = [0]
        for line in lines:
            line_starts.append(line_starts[-1] + len(line) + 1)
        cursors: dict[int, int] = {}
        tokens = _parser().parse(parsed_text)
        for index, token in enumerate(tokens):
            if token.type != "inline" or token.map is None:
                continue
            heading = index > 0 and tokens[index - 1].type == "heading_open"
            located = _locate(token.content, token.map[0], lines, line_starts, cursors)
            if located is None:
                continue  # not found where markdown-it says it is: left as it is
            start, end, prefix = located
            builder = TaggedTextBuilder()
            markup = _inline(token.children or [], builder)
            plain, tags = builder.result()
            document.blocks.append(
                MarkdownBlock(
                    plain, tags, heading, token.map[0] + 1, start, end, markup, prefix, document
                )
            )
        return document


def _locate(
    content: str,
    first_line: int,
    lines: list[str],
    line_starts: list[int],
    cursors: dict[int, int],
) -> tuple[int, int, str] | None:
    """The file offsets of an inline token's content, found line by line from `first_line`."""
    parts = content.split("\n")
    start = end = -1
    prefix = ""
    for number, part in enumerate(parts):
        line_index = first_line + number
        if line_index >= len(lines):
            return None
        line = lines[line_index]
        found = line.find(part, cursors.get(line_index, 0)) if part else cursors.get(line_index, 0)
        if found < 0:
            return None
        cursors[line_index] = found + len(part)
        if number == 0:
            start = line_starts[line_index] + found
        elif number == 1:
            prefix = line[:found]
        end = line_starts[line_index] + found + len(part)
    return start, end, prefix or _indent(lines[first_line])


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _text(text: str, builder: TaggedTextBuilder, markup: dict[int, tuple[str, str]]) -> None:
    """Text, with pieces of HTML that CommonMark left as text kept as they are.

    A raw HTML tag broken over a line (as converters write inside table rows) is text to
    CommonMark, but to its reader it is markup: it is never sent to the engine.
    """
    position = 0
    for match in HTML_FRAGMENT.finditer(text):
        builder.text(text[position : match.start()])
        tag = builder.standalone("html", match.group())
        markup[tag] = (match.group(), "")
        position = match.end()
    builder.text(text[position:])


def _inline(children: Sequence[Any], builder: TaggedTextBuilder) -> dict[int, tuple[str, str]]:  # noqa: C901  (to split: issue 25)
    markup: dict[int, tuple[str, str]] = {}
    skip_until_close = False
    for token in children:
        kind = token.type
        if skip_until_close:
            skip_until_close = kind != "link_close"
            continue
        if kind == "text":
            _text(token.content, builder, markup)
        elif kind == "softbreak":
            builder.text(" ")
        elif kind == "hardbreak":
            builder.standalone("break")
        elif kind.endswith("_open") and kind[:-5] in KINDS:
            tag = builder.open(KINDS[kind[:-5]])
            markup[tag] = (token.markup, token.markup)
        elif kind.endswith("_close") and kind[:-6] in KINDS:
            builder.close()
        elif kind == "link_open":
            href = token.attrs.get("href", "")
            if token.markup == "autolink":
                tag = builder.standalone("url", f"<{href}>")
                markup[tag] = (f"<{href}>", "")
                skip_until_close = True
                continue
            title = token.attrs.get("title")
            destination = f"<{href}>" if re.search(r"[\s()]", str(href)) else str(href)
            suffix = f"]({destination}" + (f' "{title}"' if title else "") + ")"
            tag = builder.open("link", str(href))
            markup[tag] = ("[", suffix)
        elif kind == "link_close":
            builder.close()
        elif kind == "code_inline":
            fence = token.markup
            pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
            verbatim = f"{fence}{pad}{token.content}{pad}{fence}"
            tag = builder.standalone("code", verbatim)
            markup[tag] = (verbatim, "")
        elif kind == "image":
            alt = "".join(child.content for child in token.children or [])
            title = token.attrs.get("title")
            verbatim = f"![{alt}]({token.attrs.get('src', '')}" + (f' "{title}")' if title else ")")
            tag = builder.standalone("image", verbatim)
            markup[tag] = (verbatim, "")
        elif kind == "html_inline":
            tag = builder.standalone("html", token.content)
            markup[tag] = (token.content, "")
        else:  # anything else markdown-it adds is kept as it was written
            tag = builder.standalone("html", token.content)
            markup[tag] = (token.content, "")
    return markup
