"""The pseudo-translation round trip of issue 26, for every formatted format and bilingual file.

`translate --engine none`, every target filled with its source (placeholders and
inline tags included), `review apply --source`: the document must come back with
the same text, the same formatting runs and the same structure. The bilingual
files carrying the tags must pass their real validators.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree
from samples import model, write_samples

from toolkit.cli import main

sys.path.insert(0, str(Path(__file__).parents[1]))
from validators import validate_dtd, validate_xsd

NONE = ["--engine", "none", "--no-glossary", "--quiet"]
XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
FORMATS = ["md", "html", "docx", "odt"]


@pytest.fixture(autouse=True)
def _no_project_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_CONFIG", "")


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Path]:
    folder = tmp_path_factory.mktemp("round-trip")
    samples = write_samples(folder / "in")
    out = folder / "out"
    args = ["translate", str(folder / "in"), "-o", str(out), "--format", "po,xliff,tmx,html"]
    result = CliRunner().invoke(main, [*args, *NONE])
    assert result.exit_code == 0, result.output
    assert "4 translated, 0 skipped, 0 failed of 4 documents" in result.stderr
    return samples, out


def _fill_po(path: Path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))


def _fill_xliff(path: Path) -> None:
    tree = etree.parse(str(path))
    for unit in tree.iter(f"{{{XLIFF}}}trans-unit"):
        source = unit.find(f"{{{XLIFF}}}source")
        target = unit.find(f"{{{XLIFF}}}target")
        if target is None:
            target = etree.Element(f"{{{XLIFF}}}target")
            source.addnext(target)
        target.clear()
        target.set("state", "translated")
        target.text = source.text
        for child in source:
            target.append(copy.deepcopy(child))  # with its tail
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("bilingual", ["po", "xlf"])
def test_pseudo_translation_gives_back_the_document(
    translated: tuple[dict[str, Path], Path], tmp_path: Path, kind: str, bilingual: str
) -> None:
    samples, out = translated
    source = samples[kind]
    reviewed = tmp_path / f"{source.stem}.nl-en.{bilingual}"
    shutil.copy(out / reviewed.name, reviewed)
    (_fill_po if bilingual == "po" else _fill_xliff)(reviewed)
    status = CliRunner().invoke(main, ["review", "status", str(reviewed), "--no-glossary"])
    assert status.exit_code == 0, status.output
    assert "tag problems" not in status.output
    final = tmp_path / "final"
    args = ["review", "apply", str(reviewed), "-o", str(final), "--source", str(source)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    english = final / f"{source.stem}.en{source.suffix}"
    assert english.is_file(), result.output
    assert model(english) == model(source)  # text, headings, every tag's kind, place, content
    assert _structure(english) == _structure(source)


def _structure(path: Path) -> list[str]:
    """The element names of the document's XML, runs and text nodes left out (those are
    what a writer may regroup), or for Markdown the rendered HTML's."""
    if path.suffix == ".md":
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
        return [t.type for t in md.parse(path.read_text("utf-8")) if t.type != "inline"]
    if path.suffix == ".html":
        from lxml import html

        root = html.document_fromstring(path.read_bytes())
        return [e.tag for e in root.iter() if isinstance(e.tag, str)]
    part = "word/document.xml" if path.suffix == ".docx" else "content.xml"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read(part))
    skip = {"r", "t", "rPr", "span", "s"}
    return [
        etree.QName(e).localname
        for e in root.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname not in skip
    ]


def test_untouched_parts_are_byte_for_byte(
    translated: tuple[dict[str, Path], Path],
) -> None:
    samples, out = translated
    for kind in ("docx", "odt"):
        before = zipfile.ZipFile(samples[kind])
        after = zipfile.ZipFile(out / f"{samples[kind].stem}.en.{kind}")
        assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()]
        for info in before.infolist():
            if info.filename.endswith(".xml"):
                continue  # content, styles (the language) and metadata are rewritten
            assert after.read(info.filename) == before.read(info.filename), info.filename


def test_markdown_outside_the_text_is_byte_for_byte(
    translated: tuple[dict[str, Path], Path],
) -> None:
    samples, out = translated
    english = (out / "artikel.en.md").read_text("utf-8")
    # --engine none: no English, so every block keeps its Dutch and the file is unchanged
    assert english == samples["md"].read_text("utf-8")


def test_bilingual_files_carry_the_tags_and_pass_their_validators(
    translated: tuple[dict[str, Path], Path],
) -> None:
    samples, out = translated
    xliff = out / "artikel.nl-en.xlf"
    text = xliff.read_text("utf-8")
    assert '<g id="1" ctype="bold">Russische</g>' in text
    assert '<g id="3" ctype="link">de wapens</g>' in text
    assert '<ph id="4" ctype="x-code">`Minsk`</ph>' in text
    assert "https://nos.nl" not in text.split("<source>")[2].split("</source>")[0]
    for name in ("artikel", "pagina", "brief", "notitie"):
        validate_xsd(out / f"{name}.nl-en.xlf", "xliff-core-1.2-strict.xsd")
        validate_dtd(out / f"{name}.nl-en.tmx", "tmx14.dtd")
    tmx = (out / "brief.nl-en.tmx").read_text("utf-8")
    assert '<bpt i="1" x="1" type="bold">&lt;b1&gt;</bpt>Russische<ept i="1">' in tmx
    assert '<ph x="4" type="field">&lt;field4/&gt;</ph>' in tmx
    po = polib.pofile(str(out / "brief.nl-en.po"))
    assert any("<b1>Russische</b1>" in e.msgid and "<field4/>" in e.msgid for e in po)
    page = (out / "brief.nl-en.html").read_text("utf-8")
    assert '<b class="tag" title="b1">Russische</b>' in page


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext missing")
def test_po_with_placeholders_passes_msgfmt(
    translated: tuple[dict[str, Path], Path], tmp_path: Path
) -> None:
    _, out = translated
    for name in ("artikel", "pagina", "brief", "notitie"):
        po = tmp_path / f"{name}.po"
        shutil.copy(out / f"{name}.nl-en.po", po)
        _fill_po(po)
        run = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr


def test_tmx_round_trip_reads_the_tags_back(translated: tuple[dict[str, Path], Path]) -> None:
    from toolkit.formats import FORMATS

    _, out = translated
    document = FORMATS["tmx"].loads((out / "brief.nl-en.tmx").read_text("utf-8"), "brief")
    paragraph = document.paragraphs[1]
    assert "<" not in paragraph.source and paragraph.source.startswith("De Russische president")
    assert [(t.kind, t.paired) for t in paragraph.tags][:3] == [
        ("bold", True),
        ("italic", True),
        ("link", True),
    ]
