"""XLIFF 1.2: one `<trans-unit>` per paragraph, valid against the strict core schema.

`resname` is `DOCUMENT:PARAGRAPH`; a `<context-group>` points at the source line;
machine output is `needs-review-translation`/`mt-suggestion`, reviewed work is
`translated` and `approved="yes"`, untranslated paragraphs have no `<target>`.
Reviewer notes are `<note from="developer">` and the translator's comment
`<note from="translator">`, the two origins translate-toolkit (`xliff2po`) and other
XLIFF tools keep; a note from anyone else is read as the translator's too. The QA
risk score is `<count-group name="risk-ID">` (the strict schema wants count-group
names unique per `<file>`, so each unit's carries its id) and a `risk N/100`
note, and where term
enforcement changed the engine's sentence, the engine's own English is an
`<alt-trans origin="engine">`.
Inline markup from other tools (`<g>`, `<x/>`, `<bpt>`…) is read as its plain
text, codes dropped, and the paragraph gets a note saying so. An entity
reference XML cannot resolve without a DTD (`&nbsp;`) is refused, never dropped.
"""

from __future__ import annotations

from lxml import etree

from toolkit.document import Document, Flag, FlagSource, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.formats.base import (
    Provenance,
    check_paragraph,
    comment_text,
    line_number,
    note_lines,
)
from toolkit.formats.notes import CONTEXT, engine_sentence, reviewer_notes
from toolkit.formats.tagged import fill_xliff, has_xliff_tags, read_xliff
from toolkit.formats.xml import (
    XML_NS,
    flattened_note,
    inline_text,
    language_matches,
    parse_xml,
    xml_compatible,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"
TOOL_ID = "toolkit"
REVIEWER = "developer"  # the note origin translate-toolkit keeps as `#.` (xliff2po)
TRANSLATOR = "translator"
# Files written before reviewer notes were `from="developer"` carry `from="toolkit"`.
REVIEWER_ORIGINS = {REVIEWER, TOOL_ID}
RISK_GROUP = "risk-"  # + the unit's id: count-group names are a key of the whole <file>
ENGINE_ORIGIN = "engine (before term enforcement)"
METADATA_NOTE = "document metadata: "  # header note prefix, one `KEY=VALUE` each
REVIEWED_STATES = {"translated", "final", "signed-off"}
TARGET_ATTRIBUTES = {
    ReviewState.MACHINE: {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"},
    ReviewState.REVIEWED: {"state": "translated"},
    ReviewState.UNTRANSLATED: {"state": "needs-translation"},  # text but no state: rare
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class XliffFormat:
    name = "xliff"
    suffix = ".nl-en.xlf"
    extensions: tuple[str, ...] = (".xlf", ".xliff")  # any file so named is in this format
    readable = True

    def dumps(self, document: Document, provenance: Provenance) -> str:
        root = etree.Element(_q("xliff"), version="1.2", nsmap={None: NS})
        file = etree.SubElement(
            root,
            _q("file"),
            {
                "original": document.path,
                "source-language": document.source_language,
                "target-language": document.target_language,
                "datatype": "plaintext",
                "tool-id": TOOL_ID,
            },
        )
        header = etree.SubElement(file, _q("header"))
        etree.SubElement(
            header,
            _q("tool"),
            {
                "tool-id": TOOL_ID,
                "tool-name": "toolkit",
                "tool-version": provenance.toolkit_version,
            },
        )
        header_notes = [provenance.caveat] if provenance.caveat else []
        header_notes.append(f"engine: {provenance.engine}")
        if provenance.glossary:
            header_notes.append(f"glossary: {provenance.glossary}")
        header_notes += [f"{METADATA_NOTE}{k}={v}" for k, v in sorted(document.metadata.items())]
        for note in header_notes:
            etree.SubElement(header, _q("note"), {"from": REVIEWER}).text = note
        body = etree.SubElement(file, _q("body"))
        for paragraph in document.paragraphs:
            with xml_compatible(document, paragraph):
                body.append(self._unit(document, paragraph))
        text: str = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        ).decode("utf-8")
        return text

    def _unit(self, document: Document, paragraph: Paragraph) -> etree._Element:
        unit = etree.Element(
            _q("trans-unit"),
            {
                "id": str(paragraph.index),
                "resname": document.unit_id(paragraph),
                f"{{{XML_NS}}}space": "preserve",
            },
        )
        if paragraph.state is ReviewState.REVIEWED and paragraph.target:
            unit.set("approved", "yes")
        # inline formatting as <g>, <x/> and <ph> (plain text where there is none)
        fill_xliff(etree.SubElement(unit, _q("source")), paragraph.source, paragraph.tags, _q)
        if paragraph.target:
            attributes = TARGET_ATTRIBUTES[paragraph.state]
            target = etree.SubElement(unit, _q("target"), attributes)
            fill_xliff(target, paragraph.target, paragraph.tags, _q, target=True)
        location = etree.SubElement(unit, _q("context-group"), purpose="location")
        etree.SubElement(
            location, _q("context"), {"context-type": "sourcefile"}
        ).text = document.path
        etree.SubElement(location, _q("context"), {"context-type": "linenumber"}).text = str(
            paragraph.line
        )
        if paragraph.previous_source:
            # The Dutch a kept translation was made for (PO: `#| msgid`).
            previous = etree.SubElement(unit, _q("alt-trans"), alttranstype="previous-version")
            etree.SubElement(previous, _q("source")).text = paragraph.previous_source
            etree.SubElement(previous, _q("target"))
        engine = engine_sentence(paragraph)
        if engine:
            suggestion = etree.SubElement(
                unit, _q("alt-trans"), {"origin": ENGINE_ORIGIN, "alttranstype": "proposal"}
            )
            etree.SubElement(suggestion, _q("source")).text = paragraph.source
            etree.SubElement(suggestion, _q("target")).text = engine
        if paragraph.risk is not None:
            group = etree.SubElement(unit, _q("count-group"), name=f"{RISK_GROUP}{paragraph.index}")
            etree.SubElement(
                group, _q("count"), {"count-type": "x-risk", "unit": "x-of-100"}
            ).text = str(paragraph.risk)
        # Written as they read back: one note per line, the comment trimmed as in PO.
        for note in reviewer_notes(document, paragraph):
            etree.SubElement(unit, _q("note"), {"from": REVIEWER}).text = note
        comment = comment_text(paragraph.translator_comment)
        if comment:
            etree.SubElement(unit, _q("note"), {"from": TRANSLATOR}).text = comment
        return unit

    def loads(self, text: str, path: str) -> Document:
        root = parse_xml(text, path)
        if root.tag != _q("xliff"):
            raise UserError(
                f'root element is <{root.tag}>, expected XLIFF 1.2 <xliff xmlns="{NS}">; '
                "export the file as XLIFF 1.2",
                path=path,
                line=root.sourceline,
            )
        files = root.findall(_q("file"))
        if len(files) != 1:
            raise UserError(
                f"holds {len(files)} <file> elements, expected one per document; "
                "export each document on its own",
                path=path,
                line=(files[1] if files else root).sourceline,
            )
        file = files[0]
        for attribute, expected in (("source-language", "nl"), ("target-language", "en")):
            value = file.get(attribute)
            if value is None and attribute == "target-language":
                continue  # optional in XLIFF 1.2
            if not language_matches(value, expected):
                raise UserError(
                    f"{attribute} is {value!r}, expected {expected!r}; "
                    "this toolkit works on Dutch→English files only",
                    path=path,
                    line=file.sourceline,
                )
        document = Document(name="", path=path, text="")
        for note in file.iterfind(f"{_q('header')}/{_q('note')}"):
            text = note.text or ""
            if note.get("from") in REVIEWER_ORIGINS and text.startswith(METADATA_NOTE):
                key, _, value = text.removeprefix(METADATA_NOTE).partition("=")
                document.metadata[key] = value
        seen: set[str] = set()
        for unit in file.iter(_q("trans-unit")):
            resname = unit.get("resname") or ""
            match = CONTEXT.match(resname)
            if not match:
                raise UserError(
                    f"trans-unit {unit.get('id')!r} has no DOCUMENT:PARAGRAPH resname "
                    f"({unit.get('resname')!r}); was it written by this toolkit?",
                    path=path,
                    line=unit.sourceline,
                )
            if resname in seen:
                raise UserError(
                    f"duplicate resname {resname!r}; each paragraph must appear once",
                    path=path,
                    line=unit.sourceline,
                )
            seen.add(resname)
            document.name = match["name"]
            document.paragraphs.append(self._paragraph(unit, int(match["index"]), path))
        return document

    def _paragraph(self, unit: etree._Element, index: int, path: str) -> Paragraph:
        source_element = unit.find(_q("source"))
        if source_element is None:
            raise UserError(
                f"trans-unit {unit.get('id')!r} has no <source>; repair or re-export the file",
                path=path,
                line=unit.sourceline,
            )
        source, flattened = inline_text(source_element)
        target_element = unit.find(_q("target"))
        target = ""
        if target_element is not None:
            target, target_flattened = inline_text(target_element)
            flattened += target_flattened
        notes: list[str] = []
        comments: list[str] = []
        for note in unit.iterfind(_q("note")):
            (notes if note.get("from") in REVIEWER_ORIGINS else comments).append(note.text or "")
        tagged = None
        if has_xliff_tags(source_element):
            tagged = read_xliff(source_element, target_element)
        if tagged is not None:  # our own tags: read, not flattened
            source, target, flattened = tagged.source, tagged.target, []
        if flattened:
            notes.append(flattened_note(flattened))
        previous = unit.find(f"{_q('alt-trans')}[@alttranstype='previous-version']/{_q('source')}")
        line = unit.findtext(f"{_q('context-group')}/{_q('context')}[@context-type='linenumber']")
        paragraph = Paragraph(
            index=index,
            source=source,
            line=line_number(line) or 0,
            start=-1,  # unknown: an XLIFF file does not carry source offsets
            target=target,
            state=_state(unit, target_element, target),
            notes=note_lines(notes),
            translator_comment=comment_text("\n".join(comments)),
            previous_source=inline_text(previous)[0] if previous is not None else "",
        )
        if tagged is not None:
            paragraph.tags = tagged.tags
            paragraph.flags.extend(
                Flag(FlagSource.TAGS, "tags", problem) for problem in tagged.problems
            )
        check_paragraph(paragraph, path, unit.sourceline)
        return paragraph


def _state(unit: etree._Element, target: etree._Element | None, text: str) -> ReviewState:
    """Reviewed if approved or in a reviewed state; any other translation needs review."""
    if not text or target is None:
        return ReviewState.UNTRANSLATED
    if unit.get("approved") == "yes" or target.get("state") in REVIEWED_STATES:
        return ReviewState.REVIEWED
    return ReviewState.MACHINE
