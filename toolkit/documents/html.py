"""HTML pages, read and written with lxml's HTML parser (libxml2), never fetching anything.

Blocks are the runs of inline content in block elements (headings, paragraphs,
list items, table cells, captions, the title); `<pre>`, `<script>`, `<style>`,
`<code>`-like elements and anything marked `translate="no"` are kept as they
are. Inline elements become paired tags (their attributes, such as a link's
`href`, stay in the file); `<br>`, `<img>`, code and form controls are
standalone tags. The page is written in the encoding it came in, with its
`lang` set to English.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from toolkit.document import InlineTag
from toolkit.documents.base import Block
from toolkit.documents.markup import Run, rebuild
from toolkit.errors import UserError
from toolkit.inline import TaggedTextBuilder

BLOCKS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html li "
    "main menu nav noframes ol p section summary table tbody td tfoot th thead title tr ul "
    "caption legend option optgroup select".split()
)
KEPT = frozenset("pre script style textarea svg math template noscript iframe object".split())
STANDALONE = frozenset("br img code kbd samp var tt input button wbr canvas video audio".split())
KINDS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "a": "link",
    "u": "underline",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "br": "break",
    "img": "image",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
    "var": "code",
    "sup": "sup",
    "sub": "sub",
}
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6 title".split())
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _name(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _kept(element: etree._Element) -> bool:
    return (
        _name(element) in KEPT
        or (element.get("translate") or "").lower() == "no"
        or "notranslate" in (element.get("class") or "").split()
    )


@dataclass
class HtmlBlock:
    text: str
    tags: list[InlineTag]
    heading: bool
    line: int
    run: Run

    def replace(self, text: str, tags: Sequence[InlineTag]) -> None:
        rebuild(self.run, text, tags)


@dataclass
class HtmlDocument:
    tree: etree._ElementTree
    encoding: str
    blocks: list[Block] = field(default_factory=list)

    def serialize(self) -> bytes:
        root = self.tree.getroot()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
                value = element.get(attribute)
                if value is not None and (element is root or value.lower().startswith("nl")):
                    element.set(attribute, "en")
            if (
                _name(element) == "meta"
                and (element.get("http-equiv") or "").lower() == "content-language"
            ):
                element.set("content", "en")
        if root.get("lang") is None:
            root.set("lang", "en")
        doctype = self.tree.docinfo.doctype
        data: bytes = lxml_html.tostring(
            self.tree, doctype=doctype or None, encoding=self.encoding, method="html"
        )
        return data


def detect_encoding(data: bytes, path: str) -> str:
    """The page's encoding: its BOM, its `<meta charset>`, or UTF-8 if it decodes as that."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return name
    declared = META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            codecs.lookup(name)
        except LookupError:
            raise UserError(
                f"declares the unknown charset {name!r}; correct the <meta charset> or convert "
                "the file to UTF-8 (iconv -f OLD -t utf-8)",
                path=path,
            ) from None
        try:
            data.decode(name)
        except UnicodeDecodeError as err:
            raise UserError(
                f"declares charset {name} but byte offset {err.start} is not {name}; correct "
                "the <meta charset> or convert the file (iconv -f OLD -t utf-8)",
                path=path,
            ) from None
        return name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(
            f"is not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}) and declares "
            'no charset; add <meta charset="windows-1252"> (or what it is) or convert it, '
            "e.g. iconv -f cp1252 -t utf-8",
            path=path,
        ) from None
    return "utf-8"


class HtmlFormat:
    name = "html"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def parse(self, data: bytes, path: str) -> HtmlDocument:
        encoding = detect_encoding(data, path)
        parser = lxml_html.HTMLParser(
            encoding=encoding, no_network=True, remove_comments=False, remove_pis=False
        )
        try:
            tree = etree.ElementTree(lxml_html.document_fromstring(data, parser=parser))
        except (etree.ParserError, ValueError) as err:
            raise UserError(f"cannot be read as HTML ({err}); check the file", path=path) from None
        document = HtmlDocument(tree=tree, encoding=encoding)
        for run in _runs(tree.getroot()):
            builder = TaggedTextBuilder()
            originals: dict[int, etree._Element] = {}
            if run.lead is None:
                builder.text(run.parent.text or "")
            else:
                builder.text(run.lead.tail or "")
            for node in run.nodes:
                _inline(node, builder, originals)
                builder.text(node.tail or "")
            run.originals = originals
            text, tags = builder.result()
            line = (run.nodes[0] if run.nodes else run.parent).sourceline or 1
            heading = _name(run.parent) in HEADINGS
            document.blocks.append(HtmlBlock(text, tags, heading, line, run))
        return document


def _is_block(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if _name(element) in BLOCKS or _kept(element):
        return True
    # an inline element holding a block (a link around a div) is split at it
    return any(_name(d) in BLOCKS for d in element.iterdescendants() if isinstance(d.tag, str))


def _runs(element: etree._Element) -> Iterator[Run]:
    """The runs of inline content under `element`, in document order."""
    if not isinstance(element.tag, str) or _kept(element):
        return
    if _name(element) == "head":
        for child in element:
            if _name(child) == "title":
                yield from _runs(child)
        return
    lead: etree._Element | None = None
    nodes: list[etree._Element] = []
    for child in element:
        if _is_block(child):
            yield Run(element, lead, nodes)
            yield from _runs(child)
            lead, nodes = child, []
        else:
            nodes.append(child)
    yield Run(element, lead, nodes)


def _inline(
    node: etree._Element, builder: TaggedTextBuilder, originals: dict[int, etree._Element]
) -> None:
    if not isinstance(node.tag, str):  # a comment or processing instruction: kept in place
        tag = builder.standalone("html", "")
        originals[tag] = node
        return
    name = _name(node)
    if name in STANDALONE or _kept(node):
        content = (node.get("alt") or node.text_content() or name)[:200]
        tag = builder.standalone(KINDS.get(name, "html"), " ".join(content.split()))
        originals[tag] = node
        return
    tag = builder.open(KINDS.get(name, name), node.get("href") or "")
    originals[tag] = node
    builder.text(node.text or "")
    for child in node:
        _inline(child, builder, originals)
        builder.text(child.tail or "")
    builder.close()
