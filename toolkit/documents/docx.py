"""Word documents (DOCX, Office Open XML), read and written with lxml over the ZIP package.

Every `w:p` of the body, the footnotes, endnotes, headers and footers is a
block (text boxes' paragraphs too, in document order). The paragraph's most
common run formatting is its base; runs formatted otherwise become paired
tags carrying their `w:rPr`, hyperlinks paired tags around them. Fields
(simple and complex: the code and its result together), footnote references,
drawings, tabs, breaks, bookmarks and anything unknown are standalone tags
whose XML is moved back unchanged. Paragraph properties, styles, numbering,
tables, images and every other part are untouched; the language is set to
English in the styles and in runs that name Dutch. Tracked changes and
comments are refused with what to do, as are encrypted and damaged files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from toolkit.document import InlineTag
from toolkit.documents.base import Block
from toolkit.documents.package import Package
from toolkit.errors import UserError
from toolkit.inline import TaggedTextBuilder, pieces

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PARTS = re.compile(r"\Aword/(document|footnotes|endnotes|header\d*|footer\d*)\.xml\Z")
TRACKED = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange")
DROPPED = ("proofErr", "lastRenderedPageBreak", "noProof")  # layout and spelling hints only
RUN_STANDALONES = {
    "tab": "tab",
    "br": "break",
    "cr": "break",
    "drawing": "image",
    "pict": "image",
    "object": "image",
    "footnoteReference": "footnote",
    "endnoteReference": "footnote",
    "sym": "symbol",
    "noBreakHyphen": "symbol",
    "softHyphen": "symbol",
    "ptab": "tab",
    "commentReference": "comment",
    "annotationRef": "field",
    "footnoteRef": "footnote",
    "endnoteRef": "footnote",
    "separator": "field",
    "continuationSeparator": "field",
}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _signature(rpr: etree._Element | None) -> bytes:
    if rpr is None:
        return b""
    data: bytes = etree.tostring(rpr, method="c14n")
    return data


@dataclass
class _Original:
    """What a tag stands for in the paragraph's XML."""

    how: str  # "format": run properties; "link": a hyperlink; "wrap": a run child; "move"
    properties: etree._Element | None = None  # w:rPr for "format" and "wrap"
    element: etree._Element | None = None  # the hyperlink, or the run child for "wrap"
    elements: list[etree._Element] = field(default_factory=list)  # for "move"


@dataclass
class DocxBlock:
    text: str
    tags: list[InlineTag]
    heading: bool
    line: int
    paragraph: etree._Element
    base: etree._Element | None  # the run properties of untagged text
    originals: dict[int, _Original]

    def replace(self, text: str, tags: Sequence[InlineTag]) -> None:  # noqa: C901  (to split: issue 25)
        paragraph = self.paragraph
        for child in list(paragraph):
            if _local(child) != "pPr":
                paragraph.remove(child)
        containers = [paragraph]
        formats: list[etree._Element | None] = [self.base]
        for piece in pieces(text, tags, target=True):
            tag = piece.tag
            if piece.kind == "text":
                containers[-1].append(_run(formats[-1], piece.text))
                continue
            assert tag is not None
            original = self.originals.get(tag.id)
            if original is None:
                continue
            if piece.kind == "open":
                if original.how == "link" and original.element is not None:
                    link = original.element
                    copy = link.makeelement(link.tag, dict(link.attrib))
                    containers[-1].append(copy)
                    containers.append(copy)
                else:
                    formats.append(original.properties)
            elif piece.kind == "close":
                if original.how == "link":
                    containers.pop()
                else:
                    formats.pop()
            elif original.how == "wrap" and original.element is not None:
                run = etree.SubElement(containers[-1], w("r"))
                if original.properties is not None:
                    run.append(_clone(original.properties))
                run.append(original.element)
            else:
                for element in original.elements:
                    element.tail = None
                    containers[-1].append(element)


def _clone(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _run(properties: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(w("r"))
    if properties is not None:
        run.append(_clone(properties))
    node = etree.SubElement(run, w("t"))
    node.text = text
    if text != text.strip():
        node.set(XML_SPACE, "preserve")
    return run


@dataclass
class DocxDocument:
    package: Package
    trees: dict[str, etree._ElementTree]
    blocks: list[Block] = field(default_factory=list)

    def serialize(self) -> bytes:
        for name, tree in self.trees.items():
            _english(tree)
            self.package.replace(name, tree)
        if "word/styles.xml" in self.package.names():
            styles = self.package.xml("word/styles.xml")
            _english(styles)
            self.package.replace("word/styles.xml", styles)
        return self.package.serialize()


def _english(tree: etree._ElementTree) -> None:
    """Language settings that say Dutch say English (spelling, hyphenation, fonts)."""
    for lang in tree.getroot().iter(w("lang")):
        for attribute in (w("val"), w("eastAsia"), w("bidi")):
            value = lang.get(attribute)
            if value is not None and value.lower().startswith("nl"):
                lang.set(attribute, "en-US")


def _check_revisions(tree: etree._ElementTree, name: str, path: str) -> None:
    for element in tree.getroot().iter(*(w(t) for t in TRACKED)):
        line = element.sourceline
        raise UserError(
            f"{name} has tracked changes (line {line}); accept or reject them all (Word: "
            "Review > Accept > Accept All Changes; LibreOffice: Edit > Track Changes > Accept "
            "All) and save again",
            path=path,
        )
    for _ in tree.getroot().iter(w("commentRangeStart"), w("commentReference")):
        raise UserError(
            "has comments; delete them (Word: Review > Delete > Delete All Comments; "
            "LibreOffice: right-click a comment > Delete All Comments) and save a copy",
            path=path,
        )


class DocxFormat:
    name = "docx"
    extensions: tuple[str, ...] = (".docx",)

    def parse(self, data: bytes, path: str) -> DocxDocument:
        package = Package(data, path, "DOCX", ".docx (Word 2007 or later)")
        names = [n for n in package.names() if PARTS.match(n)]
        if "word/document.xml" not in names:
            package.read("word/document.xml")  # the one-line error for a package without it
        names.sort(key=lambda n: (n != "word/document.xml", n))
        trees = {name: package.xml(name) for name in names}
        for name, tree in trees.items():
            _check_revisions(tree, name, path)
        document = DocxDocument(package, trees)
        for tree in trees.values():
            for paragraph in tree.getroot().iter(w("p")):
                document.blocks.append(_block(paragraph))
        return document


def _heading(paragraph: etree._Element) -> bool:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    outline = paragraph.find(f"{w('pPr')}/{w('outlineLvl')}")
    value = (style.get(w("val")) or "") if style is not None else ""
    return outline is not None or value.lower().startswith(("heading", "kop", "title", "titel"))


@dataclass
class _Item:
    """A piece of a paragraph in reading order."""

    kind: str  # "text", "standalone", "link-open", "link-close"
    properties: etree._Element | None = None
    text: str = ""
    original: _Original | None = None
    label: str = ""
    content: str = ""


def _items(  # noqa: C901  (to split: issue 25)
    container: etree._Element, items: list[_Item], fields: list[list[etree._Element]]
) -> None:
    """Flatten a paragraph (or hyperlink) into items; complex fields become one item."""
    for child in container:
        name = _local(child)
        if name in ("pPr", *DROPPED) or not isinstance(child.tag, str):
            if not isinstance(child.tag, str) and fields:
                fields[-1].append(child)
            continue
        if fields:  # inside a complex field: everything up to its end is the field
            fields[-1].append(child)
            for mark in child.iter(w("fldChar")):
                kind = mark.get(w("fldCharType"))
                if kind == "begin":
                    fields.append([])
                elif kind == "end":
                    done = fields.pop()
                    if fields:
                        fields[-1].extend(done)
                    else:
                        items.append(_field(done))
            continue
        if name == "r":
            if any(m.get(w("fldCharType")) == "begin" for m in child.iter(w("fldChar"))):
                fields.append([child])
                ends = [m for m in child.iter(w("fldChar")) if m.get(w("fldCharType")) == "end"]
                if ends:  # begin and end in one run
                    items.append(_field(fields.pop()))
                continue
            _run_items(child, items)
        elif name == "hyperlink":
            original = _Original("link", element=child)
            items.append(_Item("link-open", original=original, content=_link_target(child)))
            _items(child, items, fields)
            items.append(_Item("link-close"))
        elif name in ("smartTag", "customXml"):
            _items(child, items, fields)  # a transparent wrapper around runs
        else:
            text = "".join(child.itertext())
            items.append(
                _Item(
                    "standalone",
                    original=_Original("move", elements=[child]),
                    label="field" if name in ("fldSimple", "sdt") else name.lower(),
                    content=" ".join(text.split())[:200],
                )
            )


def _field(elements: list[etree._Element]) -> _Item:
    result = []
    separated = False
    for element in elements:
        for node in element.iter(w("fldChar"), w("t")):
            if _local(node) == "fldChar" and node.get(w("fldCharType")) == "separate":
                separated = True
            elif _local(node) == "t" and separated:
                result.append(node.text or "")
    return _Item(
        "standalone",
        original=_Original("move", elements=elements),
        label="field",
        content=" ".join("".join(result).split())[:200],
    )


def _link_target(link: etree._Element) -> str:
    anchor = link.get(w("anchor"))
    return f"#{anchor}" if anchor else ""


def _run_items(run: etree._Element, items: list[_Item]) -> None:
    properties = run.find(w("rPr"))
    for child in run:
        name = _local(child)
        if name in ("rPr", *DROPPED) or not isinstance(child.tag, str):
            continue
        if name == "t":
            items.append(_Item("text", properties, child.text or ""))
        elif name == "instrText":
            items.append(
                _Item(
                    "standalone",
                    properties,
                    original=_Original("wrap", properties, child),
                    label="field",
                    content=child.text or "",
                )
            )
        else:
            kind = RUN_STANDALONES.get(name, name.lower())
            if name == "br" and child.get(w("type")) == "page":
                kind = "pagebreak"
            items.append(
                _Item(
                    "standalone",
                    properties,
                    original=_Original("wrap", properties, child),
                    label=kind,
                )
            )


def _block(paragraph: etree._Element) -> DocxBlock:  # noqa: C901  (to split: issue 25)
    items: list[_Item] = []
    fields: list[list[etree._Element]] = []
    _items(paragraph, items, fields)
    if fields:  # a field left open at the paragraph's end: keep its parts as they are
        items.append(_field([e for group in fields for e in group]))
    weights: Counter[bytes] = Counter()
    by_signature: dict[bytes, etree._Element | None] = {}
    for item in items:
        if item.kind == "text":
            signature = _signature(item.properties)
            weights[signature] += len(item.text)
            by_signature.setdefault(signature, item.properties)
    base_signature = weights.most_common(1)[0][0] if weights else b""
    base = by_signature.get(base_signature)
    builder = TaggedTextBuilder()
    originals: dict[int, _Original] = {}
    open_format: bytes | None = None
    for item in items:
        if item.kind == "text" and not item.text.strip():
            builder.text(item.text)  # a space's formatting is no tag: it would be empty
            continue
        if item.kind == "text":
            signature = _signature(item.properties)
            if signature != open_format:
                if open_format is not None:
                    builder.close()
                    open_format = None
                if signature != base_signature:
                    tag = builder.open(_format_kind(base, item.properties))
                    originals[tag] = _Original("format", item.properties)
                    open_format = signature
            builder.text(item.text)
            continue
        if item.kind in ("link-open", "link-close") and open_format is not None:
            builder.close()
            open_format = None
        if item.kind == "link-open":
            tag = builder.open("link", item.content)
            assert item.original is not None
            originals[tag] = item.original
        elif item.kind == "link-close":
            builder.close()
        else:
            tag = builder.standalone(item.label, item.content)
            assert item.original is not None
            originals[tag] = item.original
    if open_format is not None:
        builder.close()
    text, tags = builder.result()
    return DocxBlock(
        text, tags, _heading(paragraph), paragraph.sourceline or 1, paragraph, base, originals
    )


def _format_kind(base: etree._Element | None, properties: etree._Element | None) -> str:
    """bold, italic or underline where that is all that differs from the base; else format."""
    have = {_local(c): _signature(c) for c in (properties if properties is not None else [])}
    base_have = {_local(c): _signature(c) for c in (base if base is not None else [])}
    added = {k for k in have if have[k] != base_have.get(k)} | (set(base_have) - set(have))
    for kind, names in (("bold", {"b", "bCs"}), ("italic", {"i", "iCs"}), ("underline", {"u"})):
        if added and added <= names:
            return kind
    return "format"
