"""How the bilingual files carry a paragraph's inline tags, and read them back.

PO and TSV show visible placeholders a reviewer can move (`<b1>…</b1>`,
`<br2/>`, `<code3/>`); XLIFF 1.2 uses `<g>`, `<x/>` and `<ph>`; TMX `<bpt>`,
`<ept>` and `<ph>`; the review page renders the formatting itself. Reading
gives back the plain text, the tags with their places in source and target,
and one line per tag a reviewer's edit doubled or invented, so `review status`
can say so and `review apply` can refuse to guess.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from toolkit.document import Flag, FlagSource, InlineTag, Paragraph
from toolkit.inline import SHORT, WORDLIKE, label, pieces

LONG = {short: kind for kind, short in SHORT.items()}
PLACEHOLDER = re.compile(r"<(/?)([a-z]+)(\d+)(/?)>")
XLIFF_DELIMITERS = {"bold": "bold", "italic": "italic", "underline": "underlined", "link": "link"}
XLIFF_PLACEHOLDERS = {"break": "lb", "image": "image", "pagebreak": "pb"}


@dataclass
class TaggedPair:
    """A unit's source and target read back: plain texts, tags placed on both sides."""

    source: str
    target: str
    tags: list[InlineTag] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # doubled, unknown or unclosed tags


def placeholder_text(text: str, tags: Sequence[InlineTag], target: bool = False) -> str:
    """`text` with its tags as visible placeholders: `<b1>bold</b1>`, `<br2/>`."""
    out = []
    for piece in pieces(text, tags, target):
        if piece.kind == "text":
            out.append(piece.text)
        elif piece.tag is not None:
            name = label(piece.tag)
            out.append({"open": f"<{name}>", "close": f"</{name}>"}.get(piece.kind, f"<{name}/>"))
    return "".join(out)


def _kind(prefix: str) -> str:
    return LONG.get(prefix, prefix)


def read_placeholders(source: str, target: str) -> TaggedPair:
    """Plain texts and tags from a PO/TSV unit written by `placeholder_text`."""
    tags: dict[int, InlineTag] = {}
    plain_source = _strip(source, tags, None)
    pair = TaggedPair(plain_source, "", list(tags.values()))
    if not tags:
        pair.target = target
        return pair
    pair.target = _strip(target, tags, pair.problems)
    return pair


def _strip(marked: str, tags: dict[int, InlineTag], problems: list[str] | None) -> str:  # noqa: C901  (to split: issue 25)
    """Remove placeholders; on the source create `tags`, on the target place them.

    A standalone placeholder between two spaces leaves one space, as the readers of the
    documents count it (`in <code4/> staan` is `in staan` with the tag after `in `).
    """
    out: list[str] = []
    length = 0
    position = 0
    between_spaces = False  # the last thing removed was a standalone tag after a space
    last: InlineTag | None = None  # the source's last tag read
    seen: set[tuple[int, str]] = set()
    for match in PLACEHOLDER.finditer(marked):
        if problems is not None and int(match[3]) not in tags:
            continue  # literal text that looks like a tag, not one of ours
        chunk = marked[position : match.start()]
        if between_spaces and chunk.startswith(" "):
            chunk = chunk[1:]
            if problems is None and last is not None:
                last.space_after = last.kind in WORDLIKE
        out.append(chunk)
        length += len(chunk)
        position = match.end()
        closing, prefix, number, empty = match[1], match[2], int(match[3]), match[4]
        what = "standalone" if empty else "close" if closing else "open"
        # still between spaces across empty tags around it (`<b1><code2/></b1> in`)
        # at the start, or after a space: the builder kept no space after it either
        ends_in_space = next((c for c in reversed(out) if c), " ").endswith(" ")
        between_spaces = (what == "standalone" and ends_in_space) or (between_spaces and not chunk)
        if problems is None:
            if what == "close":
                if number in tags:
                    tags[number].end = length
            else:
                tags[number] = last = InlineTag(
                    number, _kind(prefix), length, length, what == "open"
                )
                last.space_before = between_spaces and last.kind in WORDLIKE
            continue
        tag = tags[number]
        if (number, what) in seen:
            problems.append(f"tag {match[0]} appears twice in the English")
            continue
        seen.add((number, what))
        if what == "close":
            if tag.target_start is None:
                problems.append(f"tag {match[0]} closes a tag that was not opened")
            tag.target_end = length
        else:
            tag.target_start = length
            tag.target_end = length if what == "standalone" else tag.target_end
    rest = marked[position:]
    if between_spaces and rest.startswith(" "):
        rest = rest[1:]
        if problems is None and last is not None:
            last.space_after = last.kind in WORDLIKE
    out.append(rest)
    text = "".join(out)
    if problems is not None:
        for tag in tags.values():
            if tag.paired and tag.target_start is not None and tag.target_end is None:
                problems.append(f"tag <{label(tag)}> is opened but never closed in the English")
                tag.target_end = len(text)
    return text


def restore_placeholders(paragraph: Paragraph) -> None:
    """A paragraph read from PO or TMX: placeholders out of its texts, into `tags`.

    Problems with the English's tags go to `flags` as `tags: …` lines.
    """
    if not PLACEHOLDER.search(paragraph.source):
        return
    pair = read_placeholders(paragraph.source, paragraph.target)
    if not pair.tags:
        return
    paragraph.source, paragraph.target, paragraph.tags = pair.source, pair.target, pair.tags
    paragraph.flags.extend(Flag(FlagSource.TAGS, "tags", problem) for problem in pair.problems)


# --- XML formats ---------------------------------------------------------------------------


def fill_xliff(
    element: etree._Element,
    text: str,
    tags: Sequence[InlineTag],
    qname: Callable[[str], str],
    target: bool = False,
) -> None:
    """Put `text` with its tags into `element` as XLIFF 1.2 `<g>`, `<x/>` and `<ph>`."""
    if not tags:
        element.text = text
        return
    stack = [element]
    last: etree._Element | None = None  # the element whose tail takes the next text
    for piece in pieces(text, tags, target):
        tag = piece.tag
        if piece.kind == "text":
            if last is None:
                stack[-1].text = (stack[-1].text or "") + piece.text
            else:
                last.tail = (last.tail or "") + piece.text
            continue
        assert tag is not None
        if piece.kind == "open":
            child = etree.SubElement(
                stack[-1], qname("g"), id=str(tag.id), ctype=_delimiter(tag.kind)
            )
            stack.append(child)
            last = None
        elif piece.kind == "close":
            last = stack.pop()
        else:
            if tag.content:
                child = etree.SubElement(stack[-1], qname("ph"), id=str(tag.id))
                child.set("ctype", _placeholder(tag.kind))
                child.text = tag.content
            else:
                child = etree.SubElement(
                    stack[-1], qname("x"), id=str(tag.id), ctype=_placeholder(tag.kind)
                )
            last = child


def _delimiter(kind: str) -> str:
    return XLIFF_DELIMITERS.get(kind, f"x-{kind}")


def _placeholder(kind: str) -> str:
    return XLIFF_PLACEHOLDERS.get(kind, f"x-{kind}")


def _kind_of(ctype: str | None) -> str:
    value = ctype or "x-tag"
    for table in (XLIFF_DELIMITERS, XLIFF_PLACEHOLDERS):
        for kind, name in table.items():
            if name == value:
                return kind
    return value[2:] if value.startswith("x-") else value


def has_xliff_tags(element: etree._Element | None) -> bool:
    """Whether `element` holds inline tags as this toolkit writes them (numbered ids)."""
    if element is None:
        return False
    return any(
        isinstance(child.tag, str)
        and etree.QName(child).localname in ("g", "x", "ph")
        and (child.get("id") or "").isdigit()
        for child in element.iter()
        if child is not element
    )


def read_xliff(source: etree._Element, target: etree._Element | None) -> TaggedPair:
    """Plain texts and tags from a trans-unit's `<source>` and `<target>` with inline tags."""
    tags: dict[int, InlineTag] = {}
    plain_source = _walk(source, tags, None)
    pair = TaggedPair(plain_source, "", sorted(tags.values(), key=lambda t: t.id))
    if target is not None:
        pair.target = _walk(target, tags, pair.problems)
    return pair


def _walk(element: etree._Element, tags: dict[int, InlineTag], problems: list[str] | None) -> str:  # noqa: C901  (to split: issue 25)
    """Plain text of a `<source>`/`<target>`; creates (source) or places (target) the tags.

    A standalone tag between two spaces leaves one space, as in `_strip`.
    """
    out: list[str] = []
    seen: set[int] = set()
    between_spaces = [False]
    size = [0]  # the length of the text so far

    def add(text: str | None) -> None:
        if text and between_spaces[0] and text.startswith(" "):
            text = text[1:]
        if text:
            between_spaces[0] = False
            out.append(text)
            size[0] += len(text)

    def visit(node: etree._Element) -> None:
        add(node.text)
        for child in node:
            if not isinstance(child.tag, str):
                add(child.tail)
                continue
            name = etree.QName(child).localname
            number = int(child.get("id") or 0) if (child.get("id") or "").isdigit() else 0
            length = size[0]
            if problems is None:
                tags[number] = InlineTag(
                    number, _kind_of(child.get("ctype")), length, length, name == "g"
                )
                if name == "ph":
                    tags[number].content = "".join(child.itertext())
            elif number not in tags:
                problems.append(f'tag <{name} id="{child.get("id")}"> is not in the source')
            elif number in seen:
                problems.append(f'tag <{name} id="{number}"> appears twice in the English')
            else:
                seen.add(number)
                tags[number].target_start = tags[number].target_end = length
            if name == "g":
                visit(child)
                if problems is None:
                    tags[number].end = size[0]
                elif number in tags and tags[number].target_start == length:
                    tags[number].target_end = size[0]
            else:
                between_spaces[0] = not out or out[-1].endswith(" ")
            add(child.tail)

    visit(element)
    return "".join(out)


def fill_tmx(element: etree._Element, text: str, tags: Sequence[InlineTag], target: bool) -> None:
    """Put `text` into a TMX `<seg>`: `<bpt>`/`<ept>` around paired tags, `<ph>` for others."""
    if not tags:
        element.text = text
        return
    last: etree._Element | None = None
    for piece in pieces(text, tags, target):
        tag = piece.tag
        if piece.kind == "text":
            if last is None:
                element.text = (element.text or "") + piece.text
            else:
                last.tail = (last.tail or "") + piece.text
            continue
        assert tag is not None
        name = label(tag)
        if piece.kind == "open":
            last = etree.SubElement(element, "bpt", i=str(tag.id), x=str(tag.id), type=tag.kind)
            last.text = f"<{name}>"
        elif piece.kind == "close":
            last = etree.SubElement(element, "ept", i=str(tag.id))
            last.text = f"</{name}>"
        else:
            last = etree.SubElement(element, "ph", x=str(tag.id), type=tag.kind)
            last.text = f"<{name}/>"


def read_tmx(seg: etree._Element) -> tuple[str, str]:
    """A `<seg>` with tags as plain text and as placeholder text (`read_placeholders` reads it)."""
    plain, marked = [seg.text or ""], [seg.text or ""]
    for child in seg:
        if isinstance(child.tag, str) and child.tag in ("bpt", "ept", "ph", "it"):
            marked.append(child.text or "")
        plain.append(child.tail or "")
        marked.append(child.tail or "")
    return "".join(plain), "".join(marked)


def html_fragment(text: str, tags: Sequence[InlineTag], target: bool = False) -> str:
    """The text as HTML with its formatting shown (bold, italic, links, code as chips)."""
    out = []
    for piece in pieces(text, tags, target):
        tag = piece.tag
        if piece.kind == "text":
            out.append(html.escape(piece.text))
            continue
        assert tag is not None
        element = {"bold": "b", "italic": "i", "underline": "u", "strike": "s"}.get(tag.kind)
        title = html.escape(f"{label(tag)} {tag.content}".strip(), quote=True)
        if piece.kind == "open":
            name = element or "span"
            out.append(f'<{name} class="tag" title="{title}">')
        elif piece.kind == "close":
            out.append(f"</{element or 'span'}>")
        elif tag.kind == "break":
            out.append(f'<span class="tag" title="{title}">↵</span><br>')
        else:
            out.append(f'<code class="tag" title="{title}">{html.escape(label(tag))}</code>')
    return "".join(out)
