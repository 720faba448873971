"""TBX (ISO 30042:2008, the "martif" dialect OmegaT and translate-toolkit read), lossless.

`write_tbx` and `read_tbx` round-trip every field of every entry. One `termEntry` per
entry, holding a `langSet` per language; the headword and the required English are the first
`tig` of their `langSet`, so tools that take one term per language read the pair we mean.

Field by field, in TBX-Basic data categories:
- note: `<note>` on the termEntry;
- target variants: further English `tig`s, administrativeStatus `admittedTerm-admn-sts`
  (the required English is `preferredTerm-admn-sts`);
- forbidden: English `tig`s with `deprecatedTerm-admn-sts`, which translate-toolkit and
  Weblate read as forbidden;
- source variants: further Dutch `tig`s, termType `variant`;
- kind: a name is `<termNote type="partOfSpeech">properNoun</termNote>` on the headword,
  do-not-translate is `<descrip type="Translation needed">no</descrip>` on the termEntry
  (the flag translate-toolkit reads as not translatable), a term has neither;
- status: `<termNote type="processStatus">` on the required English, approved as
  `finalized` and proposed as `provisionallyProcessed`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from toolkit.errors import UserError
from toolkit.files import read_limited, write_atomic
from toolkit.glossary.model import Entry, Glossary, TermKind, entry_sort_key, validated

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
PROCESS_STATUS = {"approved": "finalized", "proposed": "provisionallyProcessed"}
STATUS_OF_PROCESS = {value: key for key, value in PROCESS_STATUS.items()}
# Values other tools use for a term not to be used
FORBIDDEN_STATUSES = {DEPRECATED, "supersededTerm-admn-sts", "deprecated", "forbidden", "obsolete"}


def write_tbx(glossary: Glossary, path: Path | str) -> None:
    """Write `glossary` as a TBX file at `path`, entries in headword order."""
    root = etree.Element("martif", {"type": "TBX", XML_LANG: glossary.target_language})
    header = etree.SubElement(root, "martifHeader")
    description = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(description, "p").text = (
        f"{glossary.source_language}→{glossary.target_language} glossary"
        + (f" from {Path(glossary.path).name}" if glossary.path else "")
    )
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(sorted(glossary.entries, key=entry_sort_key), start=1):
        body.append(_term_entry(entry, f"e{number}", glossary))
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    write_atomic(Path(path), data)


def _term_entry(entry: Entry, identifier: str, glossary: Glossary) -> etree._Element:
    element = etree.Element("termEntry", id=identifier)
    if entry.kind is TermKind.DO_NOT_TRANSLATE:
        etree.SubElement(element, "descrip", type="Translation needed").text = "no"
    if entry.note:
        etree.SubElement(element, "note").text = entry.note
    dutch = etree.SubElement(element, "langSet", {XML_LANG: glossary.source_language})
    headword = _tig(dutch, entry.source)
    if entry.kind is TermKind.NAME:
        etree.SubElement(headword, "termNote", type="partOfSpeech").text = "properNoun"
    for variant in entry.source_variants:
        etree.SubElement(_tig(dutch, variant), "termNote", type="termType").text = "variant"
    english = etree.SubElement(element, "langSet", {XML_LANG: glossary.target_language})
    target = _tig(english, entry.target, PREFERRED)
    if entry.status:
        process = PROCESS_STATUS.get(entry.status, entry.status)
        etree.SubElement(target, "termNote", type="processStatus").text = process
    for variant in entry.target_variants:
        _tig(english, variant, ADMITTED)
    for wrong in entry.forbidden:
        _tig(english, wrong, DEPRECATED)
    return element


def _tig(lang_set: etree._Element, text: str, status: str = "") -> etree._Element:
    tig = etree.SubElement(lang_set, "tig")
    etree.SubElement(tig, "term").text = text
    if status:
        etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
    return tig


def read_tbx(
    path: Path | str, source_language: str = "nl", target_language: str = "en"
) -> Glossary:
    """Read a TBX file into a glossary; `Entry.line` is the line of each termEntry."""
    path = Path(path)
    data = read_limited(path)  # a regular file of bounded size, never a device or FIFO
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else None
        message = " ".join(str(err.msg).split())  # libxml2's messages may span lines
        raise UserError(f"not well-formed XML: {message}", path=path, line=line) from None
    for reference in tree.iter(etree.Entity):
        # never resolved (XXE, billion laughs), and never imported as the literal "&x;"
        raise UserError(
            f"uses the entity {reference.text}, which is not expanded; write the character "
            "itself (or a numeric reference such as &#233;)",
            path=path,
            line=reference.sourceline,
        )
    if etree.QName(tree.getroot()).localname not in ("martif", "tbx"):
        raise UserError("not a TBX file: the root element is not <martif>", path=path, line=1)
    entries = [
        _entry(element, path, source_language, target_language)
        for element in tree.iter("{*}termEntry", "{*}conceptEntry")
    ]
    return validated(Glossary(entries, str(path), source_language, target_language))


def _entry(element: etree._Element, path: Path, source: str, target: str) -> Entry:
    dutch = _terms(element, source)
    english = _terms(element, target)
    if not dutch or not english:
        raise UserError(
            f"termEntry needs a term in both {source!r} and {target!r}",
            path=path,
            line=element.sourceline,
        )
    allowed = [term for term, status, _notes in english if status not in FORBIDDEN_STATUSES]
    if not allowed:
        raise UserError(
            f"termEntry has no {target!r} term that is not deprecated",
            path=path,
            line=element.sourceline,
        )
    headword_notes = dutch[0][2]
    target_notes = next(notes for term, _s, notes in english if term == allowed[0])
    if any(_text(d) == "no" for d in _children(element, "descrip", "Translation needed")):
        kind = TermKind.DO_NOT_TRANSLATE
    elif headword_notes.get("partOfSpeech") == "properNoun":
        kind = TermKind.NAME
    else:
        kind = TermKind.TERM
    process = target_notes.get("processStatus", "")
    notes = [_text(n) for n in element.iter("{*}note") if _text(n)]
    if not notes:  # other tools put the explanation in a definition
        notes = [_text(d) for d in element.iter("{*}descrip") if d.get("type") == "definition"]
    return Entry(
        source=dutch[0][0],
        target=allowed[0],
        kind=kind,
        target_variants=tuple(allowed[1:]),
        forbidden=tuple(t for t, status, _n in english if status in FORBIDDEN_STATUSES),
        source_variants=tuple(term for term, _s, _n in dutch[1:]),
        note=" ".join(n for n in notes if n),
        status=STATUS_OF_PROCESS.get(process, process),
        line=element.sourceline or 0,
    )


def _terms(element: etree._Element, language: str) -> list[tuple[str, str, dict[str, str]]]:
    """(term, administrative status, termNotes by type) of each tig in a language, in order."""
    found = []
    for lang_set in element.iter("{*}langSet", "{*}langSec"):
        tag = (lang_set.get(XML_LANG) or "").lower()
        if tag.split("-")[0].split("_")[0] != language:
            continue
        for tig in lang_set.iter("{*}tig", "{*}ntig", "{*}termSec"):
            term = next(tig.iter("{*}term"), None)
            if term is None or not _text(term):
                continue
            notes = {n.get("type", ""): _text(n) for n in tig.iter("{*}termNote")}
            found.append((_text(term), notes.get("administrativeStatus", ""), notes))
    return found


def _children(element: etree._Element, tag: str, kind: str) -> list[etree._Element]:
    return [c for c in element if etree.QName(c).localname == tag and c.get("type") == kind]


def _text(node: etree._Element) -> str:
    return "".join(node.itertext()).strip()
