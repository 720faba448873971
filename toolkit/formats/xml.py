"""XML helpers the XML formats share (XLIFF, TMX): safe parsing, inline markup, languages.

Parsing never fetches a DTD or an entity (every file from outside is hostile); inline
markup from another tool is read as its plain text, formatting codes dropped, and said so
in a note; a character XML cannot carry is a one-line error naming the paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lxml import etree

from toolkit.document import Document, Paragraph
from toolkit.errors import UserError
from toolkit.files import UNSAFE_CHARACTER

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
# Inline elements whose content is the original's formatting code, not text to translate.
NATIVE_CODES = {"bpt", "ept", "ph", "it", "ut"}


def parse_xml(text: str, path: str) -> etree._Element:
    """The root of `text`, never fetching a DTD or entity; bad XML is a `UserError`."""
    parser = etree.XMLParser(
        encoding="utf-8", resolve_entities=False, load_dtd=False, no_network=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as err:
        reason = " ".join(str(err.msg).split())
        raise UserError(
            f"not well-formed XML ({reason}); repair the markup or export the file again",
            path=path,
            line=err.lineno or 1,
        ) from None
    # With a DOCTYPE, libxml2 keeps an entity it cannot resolve (`&nbsp;`) as a node
    # whose text would silently vanish from the segment.
    for entity in root.iter(etree.Entity):
        raise UserError(
            f"uses the entity reference {entity.text} (needs a DTD, which is never loaded); "
            f"replace it with the character itself or a numeric reference such as &#160;",
            path=path,
            line=entity.sourceline or 1,
        )
    return root


def inline_text(element: etree._Element) -> tuple[str, list[str]]:
    """The translatable text of `element` and the inline tags it flattened, in order."""
    parts = [element.text or ""]
    tags: list[str] = []
    for child in element:
        if isinstance(child.tag, str):  # comments and processing instructions hold no text
            name = etree.QName(child).localname
            tags.append(name)
            if name not in NATIVE_CODES:
                text, inner = inline_text(child)
                parts.append(text)
                tags.extend(inner)
        parts.append(child.tail or "")
    return "".join(parts), tags


def flattened_note(tags: list[str]) -> str:
    """The reviewer note for a segment whose inline markup was dropped on reading."""
    names = ", ".join(f"<{name}>" for name in dict.fromkeys(tags))
    return f"inline markup from another tool ({names}) read as plain text; check formatting"


def language_matches(value: str | None, expected: str) -> bool:
    """True if `value` is `expected` or one of its regional forms (nl, nl-NL, nl_BE)."""
    return (value or "").replace("_", "-").split("-")[0].lower() == expected


@contextmanager
def xml_compatible(document: Document, paragraph: Paragraph) -> Iterator[None]:
    """Run the block that writes `paragraph`; a character XML cannot hold is a `UserError`."""
    try:
        yield
    except ValueError as err:  # lxml refuses control characters such as U+000C
        if UNSAFE_CHARACTER.search(paragraph.source):
            fix = "remove control characters from the source"
        else:  # the Dutch was checked on reading: the English brought it in
            fix = (
                "the engine's English holds it, not the source; report it to the engine's "
                "maker, or translate with another engine or model"
            )
        raise UserError(
            f"paragraph {paragraph.index} holds a character XML cannot carry ({err}); {fix}",
            path=document.path,
            line=paragraph.line,
        ) from None
