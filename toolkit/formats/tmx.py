"""TMX 1.4: sentence pairs for translation memories (OmegaT, Trados), valid against tmx14.dtd.

Each `<tu>` is one sentence; `x-paragraph` (`DOCUMENT:PARAGRAPH`) and
`x-sentence` props group them back into paragraphs, `x-state` carries the
review state. When a paragraph's sentence targets no longer add up to its
target (a translator edited the paragraph as a whole), the paragraph is one
`<tu segtype="paragraph">` instead: a TM must never pair a sentence with
someone else's words. An untranslated unit has only its Dutch `<tuv>`.
Reviewer notes are `<note>`s on a paragraph's first unit.
"""

from __future__ import annotations

from itertools import groupby

from lxml import etree

from toolkit.document import Document, Paragraph, ReviewState, Sentence
from toolkit.errors import UserError
from toolkit.formats.base import (
    Provenance,
    check_paragraph,
    comment_text,
    line_number,
    note_lines,
)
from toolkit.formats.notes import CONTEXT, reviewer_notes
from toolkit.formats.tagged import fill_tmx, read_tmx, restore_placeholders
from toolkit.formats.xml import (
    XML_LANG,
    flattened_note,
    inline_text,
    language_matches,
    parse_xml,
    xml_compatible,
)

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
METADATA_PROP = "x-metadata-"  # header prop type prefix, one per metadata key
STATES = {state.value: state for state in ReviewState}


def sentence_pairs(paragraph: Paragraph) -> list[tuple[str, str]] | None:
    """The paragraph's (source, target) sentence pairs, or None if they do not add up to it."""
    pairs = [(s.source, s.target) for s in paragraph.sentences]
    joined = " ".join(target for _, target in pairs if target)  # as the pipeline assembles
    return pairs if pairs and joined == paragraph.target else None


class TmxFormat:
    name = "tmx"
    suffix = ".nl-en.tmx"
    extensions: tuple[str, ...] = (".tmx",)  # any file so named is in this format
    readable = True

    def dumps(self, document: Document, provenance: Provenance) -> str:
        root = etree.Element("tmx", version="1.4")
        header = etree.SubElement(
            root,
            "header",
            {
                "creationtool": "toolkit",
                "creationtoolversion": provenance.toolkit_version,
                "segtype": "sentence",
                "o-tmf": "toolkit",
                "adminlang": "en",
                "srclang": document.source_language,
                "datatype": "plaintext",
            },
        )
        header_props = [("x-engine", provenance.engine)]
        if provenance.glossary:
            header_props.append(("x-glossary", provenance.glossary))
        header_props += [(METADATA_PROP + k, v) for k, v in sorted(document.metadata.items())]
        for kind, value in header_props:
            etree.SubElement(header, "prop", type=kind).text = value
        body = etree.SubElement(root, "body")
        for paragraph in document.paragraphs:
            with xml_compatible(document, paragraph):
                body.extend(self._units(document, paragraph))
        text: str = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE, pretty_print=True
        ).decode("utf-8")
        return text

    def _units(self, document: Document, paragraph: Paragraph) -> list[etree._Element]:
        unit_id = document.unit_id(paragraph)
        shared = [("x-paragraph", unit_id), ("x-state", paragraph.state.value)]
        if paragraph.risk is not None:  # on every unit, so a TM tool can sort or filter by it
            shared.append(("x-risk", str(paragraph.risk)))
        # a formatted paragraph is one unit: its tags may span sentences
        pairs = None if paragraph.tags else sentence_pairs(paragraph)
        if pairs is None:
            units = [self._unit(document, unit_id, paragraph.source, paragraph.target, shared)]
            units[0].set("segtype", "paragraph")
            if paragraph.tags:
                segments = units[0].findall("tuv/seg")
                for seg, text, target in zip(
                    segments, (paragraph.source, paragraph.target), (False, True), strict=False
                ):
                    seg.text = None
                    fill_tmx(seg, text, paragraph.tags, target)
        else:
            units = [
                self._unit(
                    document, f"{unit_id}.{n}", source, target, [*shared, ("x-sentence", str(n))]
                )
                for n, (source, target) in enumerate(pairs, 1)
            ]
        extra = [("x-line", str(paragraph.line))]
        if pairs is not None and " ".join(source for source, _ in pairs) != paragraph.source:
            # the sentences alone cannot say what whitespace (a line break?) lay between them
            extra.append(("x-paragraph-source", paragraph.source))
        comment = comment_text(paragraph.translator_comment)  # as PO and XLIFF store it
        if comment:
            extra.append(("x-translator-comment", comment))
        if paragraph.previous_source:
            extra.append(("x-previous-source", paragraph.previous_source))
        first = units[0]
        tuv = first.find("tuv")
        for kind, value in extra:
            tuv.addprevious(_element("prop", value, type=kind))
        for note in reversed(note_lines(reviewer_notes(document, paragraph))):
            first.insert(0, _element("note", note))  # the DTD wants notes and props before tuvs
        return units

    def _unit(
        self,
        document: Document,
        tuid: str,
        source: str,
        target: str,
        props: list[tuple[str, str]],
    ) -> etree._Element:
        unit = etree.Element("tu", tuid=tuid)
        unit.extend(_element("prop", value, type=kind) for kind, value in props)
        languages = [(document.source_language, source)]
        if target:
            languages.append((document.target_language, target))
        for language, text in languages:
            variant = etree.SubElement(unit, "tuv", {XML_LANG: language})
            etree.SubElement(variant, "seg").text = text
        return unit

    def loads(self, text: str, path: str) -> Document:
        root = parse_xml(text, path)
        header = root.find("header")
        if root.tag != "tmx" or header is None:
            raise UserError(
                f"root element is <{root.tag}> without a <header>, expected TMX <tmx>; "
                "export the memory as TMX 1.4",
                path=path,
                line=root.sourceline,
            )
        if not language_matches(header.get("srclang"), "nl"):
            raise UserError(
                f"srclang is {header.get('srclang')!r}, expected 'nl'; "
                "this toolkit works on Dutch→English memories only",
                path=path,
                line=header.sourceline,
            )
        document = Document(name="", path=path, text="")
        for prop in header.iterfind("prop"):
            kind = prop.get("type", "")
            if kind.startswith(METADATA_PROP):
                document.metadata[kind.removeprefix(METADATA_PROP)] = prop.text or ""
        units = [(_props(unit), unit) for unit in root.iterfind("body/tu")]
        seen: set[str] = set()
        for paragraph_id, grouped in groupby(units, key=lambda pair: pair[0].get("x-paragraph")):
            group = list(grouped)
            first = group[0][1]
            match = CONTEXT.match(paragraph_id or "")
            if not match:
                raise UserError(
                    f"tu has no DOCUMENT:PARAGRAPH x-paragraph prop ({paragraph_id!r}); "
                    "was it written by this toolkit?",
                    path=path,
                    line=first.sourceline,
                )
            if paragraph_id in seen:
                raise UserError(
                    f"paragraph {paragraph_id!r} appears twice; a paragraph's units must "
                    "stay together",
                    path=path,
                    line=first.sourceline,
                )
            seen.add(paragraph_id)
            document.name = match["name"]
            document.paragraphs.append(_paragraph(int(match["index"]), group, path))
        return document


def _element(tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.Element(tag, attributes)
    element.text = text
    return element


def _props(unit: etree._Element) -> dict[str, str]:
    return {prop.get("type", ""): prop.text or "" for prop in unit.iterfind("prop")}


def _segments(unit: etree._Element, path: str) -> tuple[str, str, list[str]]:
    """The unit's Dutch and English text, and the inline tags flattened on the way."""
    texts: dict[str, str] = {}
    flattened: list[str] = []
    for variant in unit.iterfind("tuv"):
        language = variant.get(XML_LANG) or variant.get("lang")
        key = next((k for k in ("nl", "en") if language_matches(language, k)), None)
        if key is None:
            raise UserError(
                f"tuv xml:lang {language!r} is neither nl nor en; "
                "this toolkit reads Dutch→English pairs only",
                path=path,
                line=variant.sourceline,
            )
        if key in texts:
            raise UserError(
                f"second {key!r} tuv in one tu; keep one Dutch and at most one English tuv",
                path=path,
                line=variant.sourceline,
            )
        segment = variant.find("seg")
        text, tags = inline_text(segment) if segment is not None else ("", [])
        texts[key] = text
        flattened += tags
    if "nl" not in texts:
        raise UserError(
            "tu has no Dutch (nl) tuv; every unit needs its source",
            path=path,
            line=unit.sourceline,
        )
    return texts["nl"], texts.get("en", ""), flattened


def _paragraph(
    index: int, group: list[tuple[dict[str, str], etree._Element]], path: str
) -> Paragraph:
    """One paragraph from its consecutive units: sentences, joined target, state, notes."""
    props, first = group[0]
    sentences: list[Sentence] = []
    flattened: list[str] = []
    whole = first.get("segtype") == "paragraph"
    for number, (unit_props, unit) in enumerate(group, 1):
        expected = None if whole else str(number)
        if unit_props.get("x-sentence") != expected or (whole and len(group) > 1):
            raise UserError(
                f"tu for paragraph {props['x-paragraph']!r} is out of order (x-sentence "
                f"{unit_props.get('x-sentence')!r}, expected {expected!r}); keep a "
                "paragraph's units together and in order",
                path=path,
                line=unit.sourceline,
            )
        source, target, tags = _segments(unit, path)
        sentences.append(Sentence(source=source, start=-1, end=-1, target=target))
        flattened += tags
    paragraph_source = props.get("x-paragraph-source") or " ".join(s.source for s in sentences)
    cursor = 0
    for sentence in sentences:
        found = paragraph_source.find(sentence.source, cursor)
        if found >= 0:
            sentence.start, sentence.end = found, found + len(sentence.source)
            cursor = sentence.end
    target = " ".join(s.target for s in sentences if s.target)
    state = STATES.get(props.get("x-state", ""), ReviewState.MACHINE)  # unknown: needs review
    if not target:
        state = ReviewState.UNTRANSLATED
    notes = note_lines(note.text or "" for note in first.iterfind("note"))
    marked = _marked_segments(first) if whole else None
    if flattened and marked is None:
        notes.append(flattened_note(flattened))
    line = props.get("x-line", "")
    paragraph = Paragraph(
        index=index,
        source=paragraph_source,
        line=line_number(line) or 0,
        start=-1,  # unknown: a TMX file does not carry source offsets
        sentences=sentences,
        target=target,
        state=state,
        notes=notes,
        translator_comment=comment_text(props.get("x-translator-comment", "")),
        previous_source=props.get("x-previous-source", ""),
    )
    if marked is not None:  # our own <bpt>/<ept>/<ph>: back to tags
        paragraph.source, paragraph.target = marked
        paragraph.sentences = []
        restore_placeholders(paragraph)
    check_paragraph(paragraph, path, first.sourceline)
    return paragraph


def _marked_segments(unit: etree._Element) -> tuple[str, str] | None:
    """A unit's Dutch and English with this toolkit's inline tags as placeholders, if it has any."""
    texts = {"nl": "", "en": ""}
    found = False
    for variant in unit.iterfind("tuv"):
        language = variant.get(XML_LANG) or variant.get("lang")
        key = next((k for k in ("nl", "en") if language_matches(language, k)), None)
        seg = variant.find("seg")
        if key is None or seg is None:
            continue
        found = found or any(child.tag in ("bpt", "ept", "ph") for child in seg)
        texts[key] = read_tmx(seg)[1]
    return (texts["nl"], texts["en"]) if found else None
