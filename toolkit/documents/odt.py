"""OpenDocument text (ODT), read and written with lxml over the ZIP package.

Every `text:p` and `text:h` of content.xml is a block (in list items, table
cells, frames and footnote bodies too). `text:span` (bold or italic where its
automatic style says only that, else "format") and `text:a` are paired tags;
line breaks, tabs, notes (their own paragraphs translated as blocks), frames,
bookmarks and fields are standalone tags moved back unchanged; `text:s` is a
space. Styles, the manifest, images and the rest of the package are copied
as they are; the language in the styles and metadata is set to English.
Tracked changes and comments are refused with what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from toolkit.document import InlineTag
from toolkit.documents.base import Block
from toolkit.documents.markup import Run, rebuild
from toolkit.documents.package import Package
from toolkit.errors import UserError
from toolkit.inline import TaggedTextBuilder

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
DC = "http://purl.org/dc/elements/1.1/"
DROPPED = frozenset({"soft-page-break"})  # a layout hint LibreOffice recomputes
BREAKS = {"line-break": "break", "tab": "tab"}


def t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


@dataclass
class OdtBlock:
    text: str
    tags: list[InlineTag]
    heading: bool
    line: int
    run: Run

    def replace(self, text: str, tags: Sequence[InlineTag]) -> None:
        rebuild(self.run, text, tags)


@dataclass
class OdtDocument:
    package: Package
    content: etree._ElementTree
    blocks: list[Block] = field(default_factory=list)

    def serialize(self) -> bytes:
        _english(self.content)
        self.package.replace("content.xml", self.content)
        for name in ("styles.xml", "meta.xml"):
            if name in self.package.names():
                tree = self.package.xml(name)
                _english(tree)
                self.package.replace(name, tree)
        return self.package.serialize()


def _english(tree: etree._ElementTree) -> None:
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str):
            continue
        language = element.get(f"{{{FO}}}language")
        if language is not None and language.lower() == "nl":
            element.set(f"{{{FO}}}language", "en")
            if element.get(f"{{{FO}}}country") is not None:
                element.set(f"{{{FO}}}country", "US")
        if element.tag == f"{{{DC}}}language" and (element.text or "").lower().startswith("nl"):
            element.text = "en-US"


def _check_revisions(content: etree._ElementTree, path: str) -> None:
    root = content.getroot()
    changes = root.find(f".//{t('tracked-changes')}")
    if changes is not None and len(changes):
        raise UserError(
            "has tracked changes; accept or reject them all (LibreOffice: Edit > Track Changes "
            "> Accept All; Word: Review > Accept All Changes) and save again",
            path=path,
        )
    if root.find(f".//{{{OFFICE}}}annotation") is not None:
        raise UserError(
            "has comments; delete them (LibreOffice: right-click a comment > Delete All "
            "Comments) and save a copy",
            path=path,
        )


def _span_kinds(content: etree._ElementTree) -> dict[str, str]:
    """Automatic text styles that only make text bold or italic, by name."""
    kinds: dict[str, str] = {}
    for style in content.getroot().iter(f"{{{STYLE}}}style"):
        props = style.find(f"{{{STYLE}}}text-properties")
        if props is None or style.get(f"{{{STYLE}}}parent-style-name"):
            continue
        keys = {etree.QName(k).localname: v for k, v in props.attrib.items()}
        core = {k: v for k, v in keys.items() if not k.endswith(("-asian", "-complex"))}
        if core == {"font-weight": "bold"}:
            kinds[style.get(f"{{{STYLE}}}name") or ""] = "bold"
        elif core == {"font-style": "italic"}:
            kinds[style.get(f"{{{STYLE}}}name") or ""] = "italic"
    return kinds


class OdtFormat:
    name = "odt"
    extensions: tuple[str, ...] = (".odt",)

    def parse(self, data: bytes, path: str) -> OdtDocument:
        package = Package(data, path, "ODT", ".odt (OpenDocument Text)")
        mimetype = package.read("mimetype", 256) if "mimetype" in package.names() else b""
        # text, text-web (Writer/Web's), text-master, text-template: the same content.xml
        if mimetype and not mimetype.strip().startswith(b"application/vnd.oasis.opendocument.text"):
            raise UserError(
                f"is {mimetype.decode('ascii', 'replace')!r}, not an OpenDocument text; "
                "save it as .odt",
                path=path,
            )
        content = package.xml("content.xml")
        _check_revisions(content, path)
        kinds = _span_kinds(content)
        document = OdtDocument(package, content)
        for paragraph in content.getroot().iter(t("p"), t("h")):
            builder = TaggedTextBuilder()
            originals: dict[int, etree._Element] = {}
            builder.text(paragraph.text or "")
            for child in paragraph:
                _inline(child, builder, originals, kinds)
                builder.text(child.tail or "")
            text, tags = builder.result()
            run = Run(paragraph, None, list(paragraph), originals)
            heading = paragraph.tag == t("h")
            document.blocks.append(OdtBlock(text, tags, heading, paragraph.sourceline or 1, run))
        return document


def _inline(
    node: etree._Element,
    builder: TaggedTextBuilder,
    originals: dict[int, etree._Element],
    kinds: dict[str, str],
) -> None:
    if not isinstance(node.tag, str):
        tag = builder.standalone("html", "")
        originals[tag] = node
        return
    qname = etree.QName(node)
    name = qname.localname if qname.namespace == TEXT else ""
    if name == "s":
        builder.text(" " * int(node.get(t("c")) or 1))
        return
    if name in DROPPED:
        return
    if name in ("span", "a", "ruby-base", "meta"):
        kind = "link" if name == "a" else kinds.get(node.get(t("style-name")) or "", "format")
        tag = builder.open(kind, node.get(f"{{{XLINK}}}href") or "")
        originals[tag] = node
        builder.text(node.text or "")
        for child in node:
            _inline(child, builder, originals, kinds)
            builder.text(child.tail or "")
        builder.close()
        return
    if name in BREAKS:
        kind = BREAKS[name]
    elif name == "note":
        kind = "footnote"
    elif name.startswith(("bookmark", "reference-mark", "toc-mark", "alphabetical-index-mark")):
        kind = "bookmark"
    elif qname.namespace != TEXT:
        kind = "image"
    else:
        kind = "field"
    content = "" if kind in ("footnote", "image") else " ".join("".join(node.itertext()).split())
    if kind == "footnote":
        content = node.findtext(t("note-citation")) or ""
    tag = builder.standalone(kind, content[:200])
    originals[tag] = node
