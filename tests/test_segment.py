"""Segmentation of the samples and of the edge cases the samples do not show."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from toolkit.errors import UserError
from toolkit.segment import read_document, segment_text

SAMPLE_WITHOUT_METADATA, SAMPLE_WITH_METADATA = SEEDS


def test_sample_paragraphs_and_headings_are_counted_by_hand() -> None:
    # Counted by reading the files: 12 blocks each, two of them headings.
    first = read_document(SAMPLE_WITHOUT_METADATA)
    second = read_document(SAMPLE_WITH_METADATA)
    assert len(first.paragraphs) == 12
    assert len(second.paragraphs) == 12
    assert [p.source for p in first.paragraphs if p.heading] == [
        "Geen aantrekkelijk vooruitzicht",
        "Gokken dat Europeanen in opstand komen",
    ]
    assert [p.source for p in second.paragraphs if p.heading] == ["Kernwapens", "Sovjet-Unie 2.0"]


def test_metadata_prefix_is_metadata_not_prose() -> None:
    document = read_document(SAMPLE_WITH_METADATA)
    assert document.metadata == {"date": "2023-04"}
    assert document.paragraphs[0].source.startswith("Geen buitenlandse leider")
    assert all("date 2023" not in s.source for s in document.sentences)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_offsets_map_back_to_the_source(seed: Path) -> None:
    document = read_document(seed)
    for paragraph in document.paragraphs:
        assert document.text[paragraph.start : paragraph.start + len(paragraph.source)] == (
            paragraph.source
        )
        assert document.text.count("\n", 0, paragraph.start) + 1 == paragraph.line
        for sentence in paragraph.sentences:
            assert paragraph.source[sentence.start : sentence.end] == sentence.source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hard-wrapped block stays one paragraph
        ("Een zin die\ndoorloopt.\n\nTweede.", ["Een zin die\ndoorloopt.", "Tweede."]),
        # several blank lines and trailing spaces do not make empty paragraphs
        ("Eerste.  \n\n\n   \nTweede.\n", ["Eerste.", "Tweede."]),
        # Windows line endings are normalised before splitting
        ("Eerste.\r\n\r\nTweede.", ["Eerste.", "Tweede."]),
    ],
)
def test_paragraph_blocks(text: str, expected: list[str]) -> None:
    assert [p.source for p in segment_text(text.replace("\r\n", "\n"), "t").paragraphs] == expected


def test_date_prefix_with_day_and_only_at_the_start() -> None:
    # the prefix is only metadata at the very start of the document
    document = segment_text("date 2024-01-31 Tekst hier.\n\ndate 2020-01 is geen metadata.", "t")
    assert document.metadata == {"date": "2024-01-31"}
    assert [p.source for p in document.paragraphs] == [
        "Tekst hier.",
        "date 2020-01 is geen metadata.",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),  # empty file
        (b"  \n\n \t\n", "is empty"),  # whitespace only
        # Windows-1252 text: name the problem and the conversion
        (b"Caf\xe9 au lait.\n", "not valid UTF-8 (bad byte 0xe9 at byte offset 3; Windows-1252"),
        (b"Caf\xe9 au lait.\n", "iconv -f cp1252 -t utf-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),  # a binary file
        # a NUL far past the first 8 KB was once let through
        (b"Tekst.\n" * 2000 + b"\x00rest\n", "bad.txt:2001: looks like a binary file (NUL byte)"),
        # UTF-16 without a BOM: NUL bytes, but a conversion helps
        ("Tekst.".encode("utf-16-le") + b"\xff\xdb", "iconv -f utf-16le -t utf-8"),
        # a BOM that lies about the encoding
        (b"\xff\xfeA\x00\x00\xd8", "byte order mark but is not valid UTF-16"),
        # control characters XML cannot carry are refused where text comes in, with the line
        (b"Een.\n\nPagina\x0cbreuk.\n", "bad.txt:3: holds U+000C (FORM FEED)"),
        (b"Een.\x0bTwee.\n", "bad.txt:1: holds U+000B (VERTICAL TAB)"),
        (b"Een.\n\x1cTwee.\n", "bad.txt:2: holds U+001C (FILE SEPARATOR)"),
        (b"Een.\n\x1eTwee.\n", "tr '\\036' ' '"),
        (b"Een.\x1b[0mTwee.\n", "holds U+001B (ESCAPE)"),  # terminal colour codes
        ("Een \uffff twee.".encode(), "holds U+FFFF"),  # a noncharacter XML refuses
    ],
)
def test_bad_input_gets_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_document(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "encoded",
    [
        "\ufeffZo’n idee.\r\n\r\nTweede.".encode(),  # UTF-8 with a BOM (Notepad's "UTF-8")
        "\ufeffZo’n idee.\r\n\r\nTweede.".encode("utf-16-le"),  # Notepad's "Unicode"
        "\ufeffZo’n idee.\r\n\r\nTweede.".encode("utf-16-be"),  # "Unicode big endian"
        "\ufeffZo’n idee.\r\n\r\nTweede.".encode("utf-32-le"),  # whose BOM starts as UTF-16's
        "\ufeffZo’n idee.\r\n\r\nTweede.".encode("utf-32-be"),
    ],
)
def test_utf16_with_bom_is_read_not_called_binary(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes(encoded)
    assert [p.source for p in read_document(path).paragraphs] == ["Zo’n idee.", "Tweede."]


@pytest.mark.parametrize(
    "character",
    [
        "\u2028",  # LINE SEPARATOR, pasted from Word
        "\u2029",  # PARAGRAPH SEPARATOR
        "\x85",  # NEXT LINE, from web pages decoded as Latin-1
        "\t",  # a tab
        "\x7f",  # DEL: XML 1.0 allows it
        "\xa0",  # no-break space
    ],
)
def test_characters_every_format_carries_are_read(tmp_path: Path, character: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(f"Een{character}twee.", encoding="utf-8")
    assert read_document(path).paragraphs[0].source == f"Een{character}twee."


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_document(tmp_path / "absent.txt")
