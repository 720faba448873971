"""XLIFF output: the strict 1.2 schema accepts it, translate-toolkit reads it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract import PROVENANCE, FormatContract, translated
from lxml import etree
from validators import validate_xsd

from toolkit.document import Flag, ReviewState
from toolkit.errors import UserError
from toolkit.formats.xliff import NS, XliffFormat
from toolkit.segment import segment_text

XSD = "xliff-core-1.2-strict.xsd"
Q = f"{{{NS}}}"


def toolkit_store(path: Path):
    from translate.storage import factory

    return factory.getobject(str(path))


class TestXliffContract(FormatContract):
    fmt = XliffFormat()

    def validate(self, path: Path) -> None:
        validate_xsd(path, XSD)

    def toolkit_units(self, path: Path) -> list[tuple[str, str]]:
        # translate-toolkit reports a unit without <target> as target None
        return [(u.source, u.target or "") for u in toolkit_store(path).units]


def _article():
    document = translated("date 2023-04 Poetin sprak.\n\nKernwapens\n\nDezelfde alinea.")
    document.paragraphs[1].translator_comment = "check the heading style"
    document.paragraphs[1].previous_source = "Kernwapen"
    return document


def test_units_carry_state_location_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "doc.nl-en.xlf"
    path.write_text(XliffFormat().dumps(_article(), PROVENANCE), encoding="utf-8")
    validate_xsd(path, XSD)
    root = etree.parse(str(path)).getroot()
    file = root.find(f"{Q}file")
    assert (file.get("source-language"), file.get("target-language")) == ("nl", "en")
    assert file.find(f"{Q}header/{Q}tool").get("tool-version") == PROVENANCE.toolkit_version
    header_notes = [n.text for n in file.iterfind(f"{Q}header/{Q}note")]
    assert header_notes == [
        "engine: contract-engine 1.0",
        "glossary: contract glossary",
        "document metadata: date=2023-04",
    ]
    units = file.findall(f"{Q}body/{Q}trans-unit")
    assert [u.get("resname") for u in units] == ["doc:1", "doc:2", "doc:3"]
    targets = [u.find(f"{Q}target") for u in units]
    assert [(t.get("state"), t.get("state-qualifier")) for t in targets] == [
        ("needs-review-translation", "mt-suggestion"),
        ("needs-review-translation", "mt-suggestion"),
        ("translated", None),
    ]
    assert [u.get("approved") for u in units] == [None, None, "yes"]
    assert units[1].findtext(f"{Q}context-group/{Q}context[@context-type='linenumber']") == "3"
    # translate-toolkit (and so Pootle, Virtaal) sees machine output as fuzzy
    assert [u.isfuzzy() for u in toolkit_store(path).units] == [True, True, False]


def test_reads_back_line_metadata_comments_and_previous_source() -> None:
    original = _article()
    back = XliffFormat().loads(XliffFormat().dumps(original, PROVENANCE), "x.xlf")
    assert back.name == "doc"
    assert back.metadata == {"date": "2023-04"}
    assert [p.line for p in back.paragraphs] == [p.line for p in original.paragraphs]
    heading = back.paragraphs[1]
    assert heading.notes == ["heading"]
    assert heading.translator_comment == "check the heading style"
    assert heading.previous_source == "Kernwapen"


def _unit(target: str, unit_attributes: str = "") -> str:
    return (
        f'<xliff version="1.2" xmlns="{NS}">'
        '<file original="a.txt" source-language="nl-NL" target-language="en-GB" '
        'datatype="plaintext"><body>'
        f'<trans-unit id="u1" resname="a:1" {unit_attributes}><source>Hallo.</source>'
        f"{target}</trans-unit></body></file></xliff>"
    )


@pytest.mark.parametrize(
    ("unit", "state"),
    [
        # our own machine output
        (_unit('<target state="needs-review-translation">Hello.</target>'), ReviewState.MACHINE),
        # CAT tools mark finished work final or signed-off
        (_unit('<target state="final">Hello.</target>'), ReviewState.REVIEWED),
        (_unit('<target state="signed-off">Hello.</target>'), ReviewState.REVIEWED),
        # Okapi and translate-toolkit approve with an attribute, not a state
        (_unit("<target>Hello.</target>", 'approved="yes"'), ReviewState.REVIEWED),
        # a target with text but a "new" state is someone's draft: it needs review
        (_unit('<target state="new">Hello.</target>'), ReviewState.MACHINE),
        # an empty target is no translation, whatever its state says
        (_unit('<target state="translated"/>', 'approved="yes"'), ReviewState.UNTRANSLATED),
        (_unit(""), ReviewState.UNTRANSLATED),
    ],
)
def test_states_from_other_tools(unit: str, state: ReviewState) -> None:
    assert XliffFormat().loads(unit, "x.xlf").paragraphs[0].state is state


def test_inline_markup_from_another_tool_is_read_as_text() -> None:
    text = _unit(
        '<target state="translated">Say <g id="1">hello</g><x id="2"/>'
        '<bpt id="3">&lt;b&gt;</bpt>now<ept id="3">&lt;/b&gt;</ept>.</target>'
    ).replace("<source>Hallo.</source>", '<source>Zeg <mrk mtype="term">hallo</mrk>.</source>')
    paragraph = XliffFormat().loads(text, "x.xlf").paragraphs[0]
    assert (paragraph.source, paragraph.target) == ("Zeg hallo.", "Say hellonow.")
    assert paragraph.notes == [
        "inline markup from another tool (<mrk>, <g>, <x>, <bpt>, <ept>) read as plain text; "
        "check formatting"
    ]


BAD = f'<xliff version="1.2" xmlns="{NS}">\n'


@pytest.mark.parametrize(
    ("xliff_text", "message"),
    [
        # a translator's editor broke the markup: name the line to fix
        (
            BAD + '<file original="a" source-language="nl" datatype="plaintext">\n'
            "<body>\n<trans-unit id='1' resname='a:1'><source>x</target>\n",
            "x.xlf:4: not well-formed XML (Opening and ending tag mismatch",
        ),
        # a German→English file would be translated from the wrong language
        (
            BAD + '<file original="a" source-language="de" target-language="en" '
            'datatype="plaintext"><body/></file></xliff>',
            "x.xlf:2: source-language is 'de', expected 'nl'",
        ),
        (
            BAD + '<file original="a" source-language="nl" target-language="fr" '
            'datatype="plaintext"><body/></file></xliff>',
            "x.xlf:2: target-language is 'fr', expected 'en'",
        ),
        # two units for one paragraph would make the merge ambiguous
        (
            BAD + '<file original="a" source-language="nl" datatype="plaintext"><body>\n'
            '<trans-unit id="1" resname="a:1"><source>x</source></trans-unit>\n'
            '<trans-unit id="2" resname="a:1"><source>y</source></trans-unit>\n'
            "</body></file></xliff>",
            "x.xlf:4: duplicate resname 'a:1'",
        ),
        # a unit from another tool has no paragraph to go back to
        (
            BAD + '<file original="a" source-language="nl" datatype="plaintext"><body>\n'
            '<trans-unit id="1"><source>x</source></trans-unit>\n'
            "</body></file></xliff>",
            "x.xlf:3: trans-unit '1' has no DOCUMENT:PARAGRAPH resname",
        ),
        # XLIFF 2.0 has another namespace and structure
        (
            '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
            "x.xlf:1: root element is <{urn:oasis:names:tc:xliff:document:2.0}xliff>",
        ),
        # with a DOCTYPE libxml2 kept &nbsp; as a node and its text vanished from the target
        (
            '<!DOCTYPE xliff SYSTEM "xliff.dtd">\n'
            + BAD
            + '<file original="a" source-language="nl" datatype="plaintext"><body>\n'
            '<trans-unit id="1" resname="a:1"><source>x</source>\n'
            '<target state="translated">a&nbsp;b</target></trans-unit></body></file></xliff>',
            "x.xlf:5: uses the entity reference &nbsp; (needs a DTD",
        ),
        # an entity defined in the file itself is not expanded either: refused, not dropped
        (
            '<!DOCTYPE xliff [<!ENTITY co "Company">]>\n'
            + BAD
            + '<file original="a" source-language="nl" datatype="plaintext"><body>\n'
            '<trans-unit id="1" resname="a:1"><source>&co; x</source>'
            "</trans-unit></body></file></xliff>",
            "x.xlf:4: uses the entity reference &co;",
        ),
        # one document per file: several <file>s cannot become one Document
        (
            BAD + '<file original="a" source-language="nl" datatype="plaintext"><body/></file>\n'
            '<file original="b" source-language="nl" datatype="plaintext"><body/></file>'
            "</xliff>",
            "x.xlf:3: holds 2 <file> elements",
        ),
    ],
)
def test_bad_xliff_names_file_and_line(xliff_text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        XliffFormat().loads(xliff_text, "x.xlf")
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_control_character_in_source_names_the_source_line() -> None:
    document = segment_text("Eerste.\n\nPagina\x0cbreuk.", "doc", "in/doc.txt")
    with pytest.raises(UserError) as caught:
        XliffFormat().dumps(document, PROVENANCE)
    assert str(caught.value).startswith("in/doc.txt:3: paragraph 2 holds a character XML cannot")


def _reviewed_in_tools():
    document = translated("Poetin sprak in Kiev.\n\nTweede alinea.")
    first = document.paragraphs[0]
    first.risk = 72
    first.flags = [Flag.read("term 'Kiev' needs 'Kyiv'")]
    first.translator_comment = "ask the editor about Kiev"
    first.sentences[0].engine_target = "Poetin spoke in Kiev."
    return document


def test_xliff2po_keeps_reviewer_notes_and_comment(tmp_path: Path) -> None:
    # translate-toolkit keeps only from="developer"/"translator" notes: ours were dropped
    from translate.convert import xliff2po

    source = tmp_path / "doc.nl-en.xlf"
    source.write_text(XliffFormat().dumps(_reviewed_in_tools(), PROVENANCE), "utf-8")
    target = tmp_path / "doc.po"
    with source.open("rb") as inp, target.open("wb") as out:
        xliff2po.convertxliff(inp, out, None)
    text = target.read_text("utf-8")
    assert "#. risk 72/100" in text
    assert "#. FLAGGED: term 'Kiev' needs 'Kyiv'" in text
    assert "# ask the editor about Kiev" in text


def test_risk_and_engine_sentence_are_schema_valid(tmp_path: Path) -> None:
    # issue 10: the score where XLIFF 1.2 allows it, the engine's own sentence as alt-trans
    path = tmp_path / "doc.nl-en.xlf"
    document = _reviewed_in_tools()
    path.write_text(XliffFormat().dumps(document, PROVENANCE), "utf-8")
    validate_xsd(path, XSD)
    unit = etree.parse(str(path)).getroot().find(f".//{Q}trans-unit")
    assert unit.findtext(f"{Q}count-group[@name='risk-1']/{Q}count[@count-type='x-risk']") == "72"
    engine = unit.find(f"{Q}alt-trans[@origin='engine (before term enforcement)']")
    assert engine.findtext(f"{Q}target") == "Poetin spoke in Kiev."
    back = XliffFormat().loads(path.read_text("utf-8"), str(path)).paragraphs[0]
    assert back.translator_comment == "ask the editor about Kiev"
    assert back.previous_source == ""  # the engine's proposal is not a previous version


def test_reads_reviewer_notes_of_files_written_before(tmp_path: Path) -> None:
    # files written before carry from="toolkit": still reviewer notes, not comments
    text = XliffFormat().dumps(_reviewed_in_tools(), PROVENANCE)
    old = text.replace('from="developer"', 'from="toolkit"').replace('from="translator"', "")
    back = XliffFormat().loads(old, "old.xlf").paragraphs[0]
    assert "FLAGGED: term 'Kiev' needs 'Kyiv'" in back.notes
    assert back.translator_comment == "ask the editor about Kiev"


@pytest.mark.parametrize("engine", ["scripted", "adversarial", "none", "argos"])
def test_real_multi_paragraph_outputs_are_schema_valid(engine, models_dir, tmp_path) -> None:
    # issue 22: every unit's <count-group name="risk"> broke the schema's per-<file> key
    # K_count-group_name as soon as two units had a risk; the old tests had one each
    from click.testing import CliRunner
    from conftest import SEEDS

    from toolkit.cli import main

    out = tmp_path / "out"
    arguments = ["translate", *map(str, SEEDS), "-o", str(out), "--format", "xliff"]
    arguments += ["--engine", engine, "--models-dir", models_dir, "--no-cache", "--quiet"]
    arguments += ["--no-memory", "--beam-size", "1", "--max-decoding-length", "8"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    for seed in SEEDS:
        path = out / f"{seed.stem}.nl-en.xlf"
        validate_xsd(path, XSD)
        units = etree.parse(str(path)).getroot().findall(f".//{Q}trans-unit")
        assert len(units) == 12
        if engine != "none":
            risks = [u.findtext(f"{Q}count-group/{Q}count[@count-type='x-risk']") for u in units]
            assert all(r and r.isdigit() for r in risks), risks
