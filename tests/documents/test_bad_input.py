"""Hostile and broken documents: one line each naming the file and what to do, the rest written.

Also the input defects of issue 26: a `.docx` refused with advice to iconv it, a
folder holding only a `.docx` exiting 0 with "0 documents".
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import HTML, docx_bytes, odt_bytes, with_part, write_samples

from toolkit.cli import main
from toolkit.documents import read_source
from toolkit.errors import UserError

NONE = ["--engine", "none", "--no-glossary", "--quiet"]
W_P = "<w:p>"


@pytest.fixture(autouse=True)
def _no_project_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_CONFIG", "")


def _translate(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["translate", *args, *NONE])


def test_a_docx_is_translated_not_refused_with_iconv_advice(tmp_path: Path) -> None:
    # broke: "looks like a binary file or UTF-16 without a byte order mark … iconv -f utf-16le"
    source = tmp_path / "brief.docx"
    source.write_bytes(docx_bytes())
    result = _translate(str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "iconv" not in result.output
    assert (tmp_path / "out" / "brief.en.docx").is_file()
    assert (tmp_path / "out" / "brief.nl-en.po").is_file()


def test_a_folder_with_only_a_docx_translates_it(tmp_path: Path) -> None:
    # broke: exit 0 with "0 documents"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "brief.docx").write_bytes(docx_bytes())
    result = _translate(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "1 translated, 0 skipped, 0 failed of 1 documents" in result.stderr


def test_a_folder_with_nothing_supported_exits_1_and_names_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    (folder / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    result = _translate(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Error: no documents to translate: 2 file(s) in the input folders" in result.stderr
    assert "oud.doc" in result.stderr and "scan.pdf" in result.stderr


def test_an_unsupported_file_named_on_the_command_line_says_how_to_convert_it(
    tmp_path: Path,
) -> None:
    old = tmp_path / "oud.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    result = _translate(str(old), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{old}: is a .doc file, which the toolkit does not read; save it as .docx" in (
        result.stderr
    )
    assert "iconv" not in result.stderr


def _zip_bomb() -> bytes:
    """A DOCX whose document.xml inflates from about 100 KB to 100 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<" + b" " * (100 << 20))
    return out.getvalue()


def _tracked(xml: str) -> str:
    return xml.replace(
        "<w:r><w:t>eerste punt</w:t></w:r>",
        '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:t>eerste punt'
        "</w:t></w:r></w:ins>",
    )


def _commented(xml: str) -> str:
    return xml.replace(
        "<w:r><w:t>eerste punt</w:t></w:r>",
        '<w:commentRangeStart w:id="0"/><w:r><w:t>eerste punt</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/>',
    )


BAD = [
    # (file name, bytes, what the one line must say)
    ("kapot.docx", docx_bytes()[:2000], "is not a valid DOCX (damaged or not a ZIP package)"),
    ("geheim.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "is password-protected"),
    ("bom.docx", _zip_bomb(), "a zip bomb"),
    (
        "wijzigingen.docx",
        with_part(docx_bytes(), "word/document.xml", _tracked),
        "has tracked changes",
    ),
    (
        "opmerkingen.docx",
        with_part(docx_bytes(), "word/document.xml", _commented),
        "has comments; delete them",
    ),
    ("kapot.odt", odt_bytes()[:1500], "is not a valid ODT"),
    ("geheim.odt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "is password-protected"),
    (
        "wijzigingen.odt",
        with_part(
            odt_bytes(),
            "content.xml",
            lambda x: x.replace(
                "<office:text>",
                '<office:text><text:tracked-changes><text:changed-region text:id="c1">'
                "<text:insertion><office:change-info xmlns:dc='http://purl.org/dc/elements/1.1/'>"
                "<dc:creator>A</dc:creator>"
                "<dc:date>2024-01-01T00:00:00</dc:date></office:change-info></text:insertion>"
                "</text:changed-region></text:tracked-changes>",
            ),
        ),
        "has tracked changes",
    ),
    (
        "latin1.html",
        "<html><body><p>Één café</p></body></html>".encode("latin-1"),
        "is not UTF-8 (byte 0xc9 at offset 15) and declares no charset",
    ),
    (
        "entiteit.docx",
        with_part(
            docx_bytes(),
            "word/document.xml",
            lambda x: x.replace(
                "?>", '?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
            ).replace("eerste punt", "&x;"),
        ),
        "entity references, which are never expanded",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_document_fails_alone_with_one_line(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    folder = tmp_path / "in"
    write_samples(folder)
    (folder / name).write_bytes(data)
    result = _translate(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"Error: {folder / name}: ") and message in errors[0], errors[0]
    assert "Traceback" not in result.output
    assert "4 translated, 0 skipped, 1 failed of 5 documents" in result.stderr
    assert not (tmp_path / "out" / f"{Path(name).stem}.nl-en.po").exists()


def test_html_in_a_declared_encoding_is_read_and_written_in_it(tmp_path: Path) -> None:
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    document = read_source(Path("pagina.html"), page)
    assert document.paragraphs[-1].source == "Zie de kaart."
    assert "België" in [p.source for p in document.paragraphs]


def test_no_entity_is_expanded_and_nothing_fetched_from_html(tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body>'
        '<p>Tekst &x; hier.</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    document = read_source(Path("p.html"), page.encode())
    assert "root:" not in " ".join(p.source for p in document.paragraphs)


def test_a_part_that_lies_about_its_size_is_still_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.documents import package

    monkeypatch.setattr(package, "MAX_PART_BYTES", 1000)
    with pytest.raises(UserError, match="inflates past 1,000 bytes"):
        read_source(Path("brief.docx"), docx_bytes())
