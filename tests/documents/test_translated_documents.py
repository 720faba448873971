"""Formatted documents through a real translate run, with an engine that writes English.

The Markdown defects of issue 26 first: `# Kernwapens in Belarus` became
`#Rapss in Belarus`, bold markers broke, two list items were joined, a link's
URL was rewritten. Then the same checks for HTML, DOCX and ODT.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from samples import MARKDOWN, docx_bytes, model, write_samples

from toolkit.documents import read_source
from toolkit.run.local import RunOptions, run_translate

sys.path.insert(0, str(Path(__file__).parents[1] / "plugins"))
from word_engine import WordEngine


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("translated")
    write_samples(folder / "in")
    options = RunOptions(formats=("po", "xliff"))
    report = run_translate([folder / "in"], folder / "out", WordEngine(), options)
    assert not report.failed, [d.reason for d in report.failed]
    assert len(report.documents) == 4
    return folder / "out"


def test_markdown_defects_of_issue_26_are_gone(english: Path) -> None:
    text = (english / "artikel.en.md").read_text("utf-8")
    lines = text.splitlines()
    # the heading keeps its marker and its space
    assert "# Nuclear weapons in Belarus" in lines
    # bold and italic markers stay whole, around the English words
    assert "The **Russian** president *Putin* said that" in text
    # the link's URL and title are the author's, byte for byte
    assert '[the weapons](https://nos.nl/artikel/123?a=1&b=2 "NOS")' in text
    # list items stay apart, each with its marker
    assert "- first point" in lines
    assert any(line.startswith("- second point with **bold") for line in lines)
    # code, the fenced block, front matter, the table's pipes and the image are untouched
    assert "`Minsk`" in text
    assert 'echo "niet vertalen"' in text
    assert text.startswith("---\ntitle: Kernwapens\ntags: [nieuws, defensie]\n---\n")
    assert "| Country | Capital |" in lines and "|------|-----------|" in lines
    assert '![kaart van Belarus](kaart.png "Kaart")' in lines
    assert "<https://example.org/pad>" in text
    # and the English reads back as the same structure of blocks and tags
    english_model = model(english / "artikel.en.md")
    dutch_model = model_of(MARKDOWN)
    assert [len(tags) for _, _, tags in english_model] == [len(t) for _, _, t in dutch_model]
    assert [h for _, h, _ in english_model] == [h for _, h, _ in dutch_model]


def model_of(markdown: str):  # type: ignore[no-untyped-def]
    path = Path("x.md")
    document = read_source(path, markdown.encode())
    return [(p.source, p.heading, p.tags) for p in document.paragraphs]


def test_html_page_in_english_keeps_its_markup_and_says_so(english: Path) -> None:
    page = lxml_html.document_fromstring((english / "pagina.en.html").read_bytes())
    assert page.get("lang") == "en"
    paragraph = page.find(".//p")
    assert paragraph is not None
    assert paragraph.find("b").text == "Russian"
    assert paragraph.find("i").text == "Putin"
    link = paragraph.find("a")
    assert (link.get("href"), link.get("title"), link.text) == (
        "https://nos.nl/a?x=1&y=2",
        "NOS",
        "the weapons",
    )
    assert paragraph.find("code").text == "Minsk"
    assert paragraph.find("br") is not None
    assert page.find(".//pre").text == 'echo "niet vertalen"'
    assert "niet vertalen" in page.find(".//script").text
    assert [li.text_content() for li in page.iter("li")] == [
        "first point",
        "second point with bold",
    ]
    assert page.find(".//title").text == "Nuclear weapons in Belarus"


def _part(path: Path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read(name))


def test_docx_in_english_keeps_runs_link_field_image_and_says_english(english: Path) -> None:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = _part(english / "brief.en.docx", "word/document.xml")
    paragraphs = list(body.iter(f"{w}p"))
    texts = ["".join(p.itertext()) for p in paragraphs]
    assert texts[0] == "Nuclear weapons in Belarus"
    second = paragraphs[1]
    bold = [r for r in second.iter(f"{w}r") if r.find(f"{w}rPr/{w}b") is not None]
    assert ["".join(r.itertext()) for r in bold] == ["Russian"]
    link = second.find(f"{w}hyperlink")
    assert link is not None and "".join(link.itertext()) == "the weapons"
    field = second.find(f"{w}fldSimple")
    assert field is not None and field.get(f"{w}instr") == " PAGE "
    assert body.find(f".//{w}drawing") is not None  # the image, moved back whole
    assert len(body.findall(f".//{w}tbl")) == 1
    assert "Belgium" in texts and "Brussels" in texts
    styles = _part(english / "brief.en.docx", "word/styles.xml")
    languages = {e.get(f"{w}val") for e in styles.iter(f"{w}lang")}
    assert not any(v and v.lower().startswith("nl") for v in languages)


def test_odt_in_english_keeps_spans_link_and_list(english: Path) -> None:
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    content = _part(english / "notitie.en.odt", "content.xml")
    heading = content.find(f".//{text_ns}h")
    assert "".join(heading.itertext()) == "Nuclear weapons in Belarus"
    span = content.find(f".//{text_ns}span")
    assert span is not None and span.text == "Russian"
    link = content.find(f".//{text_ns}a")
    assert link.get("{http://www.w3.org/1999/xlink}href") == "https://nos.nl/a?x=1"
    assert link.text == "the weapons"
    assert content.find(f".//{text_ns}line-break") is not None
    assert len(content.findall(f".//{text_ns}list-item")) == 2


def test_bilingual_po_shows_placeholders_in_both_languages(english: Path) -> None:
    import polib

    po = polib.pofile(str(english / "artikel.nl-en.po"))
    entry = next(e for e in po if e.msgid.startswith("De "))
    assert entry.msgid == (
        "De <b1>Russische</b1> president <i2>Poetin</i2> zei dat <link3>de wapens</link3> "
        "in <code4/> staan."
    )
    assert entry.msgstr == (
        "The <b1>Russian</b1> president <i2>Putin</i2> said that <link3>the weapons</link3> "
        "in <code4/> are."
    )
    assert "code4 = `Minsk`" in entry.comment


def test_rerun_merges_reviewed_work_and_keeps_its_tag_places(english: Path, tmp_path: Path) -> None:
    import shutil

    import polib

    out = tmp_path / "out"
    shutil.copytree(english, out)
    po_path = out / "artikel.nl-en.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith("De "))
    entry.msgstr = (
        "The <b1>Russian</b1> president <i2>Putin</i2> said <link3>the weapons</link3> "
        "are in <code4/>."
    )
    entry.flags.remove("fuzzy")
    po.save(str(po_path))
    source = tmp_path / "in"
    write_samples(source)
    report = run_translate([source], out, WordEngine(), RunOptions(formats=("po", "xliff")))
    assert not report.failed
    text = (out / "artikel.en.md").read_text("utf-8")
    link = '[the weapons](https://nos.nl/artikel/123?a=1&b=2 "NOS")'
    assert f"The **Russian** president *Putin* said {link} are in `Minsk`." in text


def test_html_left_as_text_in_markdown_is_never_translated(tmp_path: Path) -> None:
    # broke: a converter's table row wrapped inside an <img> tag (CommonMark reads it as
    # text) came back as `\<imgg rc="images/prev.` and `alt="Ter'`: LibreOffice lost images
    source = tmp_path / "in" / "nav.md"
    source.parent.mkdir()
    source.write_text(
        '| <a href="p.html"><img src="images/prev.gif"\n'
        ' alt="Terug" /></a> | Waar is de tekst? |\n|:--|:--|\n| een | twee |\n',
        "utf-8",
    )
    report = run_translate([source.parent], tmp_path / "out", WordEngine(), RunOptions())
    assert not report.failed
    english = (tmp_path / "out" / "nav.en.md").read_text("utf-8")
    assert '<img src="images/prev.gif"\n alt="Terug" /></a>' in english
    assert "the text" in english


def test_a_glossary_term_inside_formatting_is_enforced_and_keeps_it(tmp_path: Path) -> None:
    # the scripted engine copies the Dutch name (Poetin); enforcement must give "Putin",
    # and the italic run around it must still be around it in the Word file
    from conftest import REPO

    from toolkit.engines.scripted import ScriptedEngine
    from toolkit.glossary.tsv import read_glossary
    from toolkit.stages.settings import StageSettings

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "brief.docx").write_bytes(docx_bytes())
    glossary = read_glossary(REPO / "glossary" / "nl-en.tsv")
    options = RunOptions(formats=("po",), stages=StageSettings(glossary))
    report = run_translate([folder], tmp_path / "out", ScriptedEngine(), options)
    assert not report.failed
    assert report.terms.get("repaired", 0) >= 1
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = _part(tmp_path / "out" / "brief.en.docx", "word/document.xml")
    italic = [
        "".join(r.itertext()) for r in body.iter(f"{w}r") if r.find(f"{w}rPr/{w}i") is not None
    ]
    assert italic == ["Putin"]
