"""TMX output: tmx14.dtd accepts it, translate-toolkit reads back its sentence pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract import PROVENANCE, FormatContract, translated
from lxml import etree
from validators import validate_dtd

from toolkit.document import Document, Flag, ReviewState
from toolkit.errors import UserError
from toolkit.formats.tmx import TmxFormat
from toolkit.segment import segment_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def toolkit_units(path: Path) -> list[tuple[str, str]]:
    from translate.storage import factory

    # translate-toolkit reports a unit without an English tuv as target None
    return [(u.source, u.target or "") for u in factory.getobject(str(path)).units]


class TestTmxContract(FormatContract):
    fmt = TmxFormat()

    def validate(self, path: Path) -> None:
        validate_dtd(path, "tmx14.dtd")

    def toolkit_units(self, path: Path) -> list[tuple[str, str]]:
        return toolkit_units(path)

    def expected_units(self, document: Document) -> list[tuple[str, str]]:
        """Sentence pairs, or the whole paragraph where its sentences do not add up to it."""
        units = []
        for paragraph in document.paragraphs:
            pairs = [(s.source, s.target) for s in paragraph.sentences]
            if " ".join(t for _, t in pairs if t) == paragraph.target and pairs:
                units += pairs
            else:
                units.append((paragraph.source, paragraph.target))
        return units


def _write(tmp_path: Path, document: Document) -> Path:
    path = tmp_path / f"{document.name}.nl-en.tmx"
    path.write_text(TmxFormat().dumps(document, PROVENANCE), encoding="utf-8")
    validate_dtd(path, "tmx14.dtd")
    return path


def _props(unit: etree._Element) -> dict[str, str]:
    return {p.get("type"): p.text for p in unit.iterfind("prop")}


def test_header_and_sentence_units(tmp_path: Path) -> None:
    document = translated("date 2023-04 Eerste zin. Tweede zin.\n\nDerde alinea.")
    root = etree.parse(str(_write(tmp_path, document))).getroot()
    header = root.find("header")
    assert (header.get("srclang"), header.get("segtype"), header.get("adminlang")) == (
        "nl",
        "sentence",
        "en",
    )
    assert _props(header) == {
        "x-engine": "contract-engine 1.0",
        "x-glossary": "contract glossary",
        "x-metadata-date": "2023-04",
    }
    units = root.findall("body/tu")
    assert [(_props(u)["x-paragraph"], _props(u).get("x-sentence")) for u in units] == [
        ("doc:1", "1"),
        ("doc:1", "2"),
        ("doc:2", "1"),
    ]
    assert [_props(u)["x-state"] for u in units] == ["machine", "machine", "reviewed"]
    assert [[v.get(XML_LANG) for v in u.iterfind("tuv")] for u in units] == [["nl", "en"]] * 3
    # reviewer notes sit on a paragraph's first unit only
    assert [len(u.findall("note")) for u in units] == [1, 0, 0]


def test_paragraph_edited_as_a_whole_is_one_unit(tmp_path: Path) -> None:
    document = translated("Eerste zin. Tweede zin.")
    paragraph = document.paragraphs[0]
    paragraph.target = "One sentence the translator wrote for both."
    paragraph.state = ReviewState.REVIEWED
    path = _write(tmp_path, document)
    (unit,) = etree.parse(str(path)).getroot().findall("body/tu")
    assert unit.get("segtype") == "paragraph"
    assert toolkit_units(path) == [(paragraph.source, paragraph.target)]
    back = TmxFormat().loads(path.read_text(encoding="utf-8"), str(path)).paragraphs[0]
    assert (back.source, back.target, back.state) == (
        paragraph.source,
        paragraph.target,
        ReviewState.REVIEWED,
    )


def test_untranslated_sentence_has_only_its_dutch(tmp_path: Path) -> None:
    document = translated("Eerste zin. Tweede zin.")
    paragraph = document.paragraphs[0]
    paragraph.sentences[1].target = ""  # the engine gave nothing for it
    paragraph.target = paragraph.sentences[0].target
    path = _write(tmp_path, document)
    assert toolkit_units(path) == [(s.source, s.target) for s in paragraph.sentences]
    back = TmxFormat().loads(path.read_text(encoding="utf-8"), str(path)).paragraphs[0]
    assert [(s.source, s.target) for s in back.sentences] == toolkit_units(path)
    assert (back.target, back.state) == (paragraph.target, paragraph.state)


def test_line_break_between_sentences_survives(tmp_path: Path) -> None:
    # regression: joining sentences with a space turned a hard-wrapped paragraph into one line
    document = translated("Eerste zin.\nTweede zin.")
    path = _write(tmp_path, document)
    back = TmxFormat().loads(path.read_text(encoding="utf-8"), str(path)).paragraphs[0]
    assert back.source == "Eerste zin.\nTweede zin."
    assert [(s.start, s.end) for s in back.sentences] == [(0, 11), (12, 23)]


def test_reads_back_metadata_line_and_translator_fields(tmp_path: Path) -> None:
    document = segment_text("date 2023-04 Kop\n\nTekst.", "doc")
    document.paragraphs[1].translator_comment = "keep it short"
    document.paragraphs[1].previous_source = "Oude tekst."
    document.paragraphs[1].flags.append(Flag.read("term 'Kiev' needs 'Kyiv'"))
    path = _write(tmp_path, document)
    back = TmxFormat().loads(path.read_text(encoding="utf-8"), str(path))
    assert back.name == "doc"
    assert back.metadata == {"date": "2023-04"}
    assert [p.line for p in back.paragraphs] == [1, 3]
    assert back.paragraphs[0].notes == [
        "document metadata (not translated): date 2023-04",
        "heading",
    ]
    assert back.paragraphs[1].notes == ["FLAGGED: term 'Kiev' needs 'Kyiv'"]
    assert back.paragraphs[1].translator_comment == "keep it short"
    assert back.paragraphs[1].previous_source == "Oude tekst."


def _tmx(units: str, srclang: str = "nl") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        f'adminlang="en" srclang="{srclang}" datatype="plaintext"/>\n'
        f"<body>\n{units}</body>\n</tmx>\n"
    )


def _tu(paragraph: str, sentence: str, nl: str = "<seg>Hallo.</seg>", en: str = "en") -> str:
    props = f'<prop type="x-paragraph">{paragraph}</prop>'
    if sentence:
        props += f'<prop type="x-sentence">{sentence}</prop>'
    return (
        f'<tu>{props}<tuv xml:lang="nl">{nl}</tuv>'
        f'<tuv xml:lang="{en}"><seg>Hello.</seg></tuv></tu>\n'
    )


def test_inline_markup_from_another_tool_is_read_as_text() -> None:
    text = _tmx(_tu("a:1", "1", nl='<seg><bpt i="1">&lt;b&gt;</bpt>Hallo<ept i="1"/>.</seg>'))
    paragraph = TmxFormat().loads(text, "x.tmx").paragraphs[0]
    assert (paragraph.source, paragraph.target) == ("Hallo.", "Hello.")
    assert paragraph.state is ReviewState.MACHINE  # no x-state: someone must look at it
    assert paragraph.notes[-1].startswith("inline markup from another tool (<bpt>, <ept>)")


@pytest.mark.parametrize(
    ("tmx_text", "message"),
    [
        # a hand-edited memory with broken markup: name the line to fix
        (_tmx("<tu><tuv>\n</tu>\n"), "x.tmx:6: not well-formed XML"),
        # an English→Dutch memory would be read backwards
        (_tmx("", srclang="en"), "x.tmx:3: srclang is 'en', expected 'nl'"),
        # a third language has no place in a Dutch→English document
        (_tmx(_tu("a:1", "1", en="de")), "x.tmx:5: tuv xml:lang 'de' is neither nl nor en"),
        # two English tuvs: which one is the translation?
        (
            _tmx(_tu("a:1", "1").replace("</tu>", '<tuv xml:lang="en"><seg>Hi.</seg></tuv></tu>')),
            "x.tmx:5: second 'en' tuv in one tu",
        ),
        # units from another tool have no paragraph to go back to
        (_tmx("<tu><tuv xml:lang='nl'><seg>x</seg></tuv></tu>\n"), "x.tmx:5: tu has no"),
        # a paragraph's sentences split apart would be merged into the wrong order
        (
            _tmx(_tu("a:1", "1") + _tu("a:2", "1") + _tu("a:1", "2")),
            "x.tmx:7: paragraph 'a:1' appears twice",
        ),
        # a missing sentence would silently shorten the paragraph
        (_tmx(_tu("a:1", "1") + _tu("a:1", "3")), "x.tmx:6: tu for paragraph 'a:1' is out of"),
        # our own DOCTYPE made libxml2 keep &nbsp; as a node: its text vanished silently
        (
            _tmx(_tu("a:1", "1").replace("Hallo.", "Hallo&nbsp;daar.")).replace(
                '<tmx version="1.4">', '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">'
            ),
            "x.tmx:6: uses the entity reference &nbsp;",
        ),
    ],
)
def test_bad_tmx_names_file_and_line(tmx_text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        TmxFormat().loads(tmx_text, "x.tmx")
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_risk_is_a_prop_on_every_unit_of_the_paragraph() -> None:
    # issue 10: a TM tool filters units by prop; the QA risk score had none
    from contract import PROVENANCE, translated
    from lxml import etree

    from toolkit.formats.tmx import TmxFormat

    document = translated("Eerste zin. Tweede zin.\n\nKop")
    document.paragraphs[0].risk = 72
    root = etree.fromstring(TmxFormat().dumps(document, PROVENANCE).encode("utf-8"))
    risks = [unit.findtext("prop[@type='x-risk']") for unit in root.iter("tu")]
    assert risks == ["72", "72", None]
