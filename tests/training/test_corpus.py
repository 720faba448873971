"""Reading parallel data for `model train`/`adapt`: every kind of input, and every bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.document import Document, ReviewState
from toolkit.errors import UserError
from toolkit.formats import FORMATS, Provenance
from toolkit.segment import segment_text
from toolkit.training.corpus import (
    Pair,
    dedupe,
    read_source,
    read_sources,
    split_by_document,
)

PROVENANCE = Provenance(engine="test-engine 1.0")


def translated(text: str) -> Document:
    """A document with machine translations, its last paragraph reviewed."""
    document = segment_text(text, "doc", "in/doc.txt")
    for paragraph in document.paragraphs:
        for number, sentence in enumerate(paragraph.sentences, 1):
            sentence.target = f"EN{paragraph.index}.{number} {sentence.source[::-1]}"
        paragraph.target = " ".join(s.target for s in paragraph.sentences)
        paragraph.state = ReviewState.MACHINE
    document.paragraphs[-1].state = ReviewState.REVIEWED
    return document


TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
    'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" '
    'srclang="nl-NL" datatype="plaintext"/><body>\n'
)


def tmx(units: str) -> str:
    return TMX_HEAD + units + "</body></tmx>\n"


def unit(nl: str, en: str, nl_lang: str = "nl-NL", en_lang: str = "en-GB", props: str = "") -> str:
    return (
        f'<tu>{props}<tuv xml:lang="{nl_lang}"><seg>{nl}</seg></tuv>'
        f'<tuv xml:lang="{en_lang}"><seg>{en}</seg></tuv></tu>\n'
    )


def test_tmx_from_another_tool_regional_codes_and_inline_codes(tmp_path: Path) -> None:
    # Trados/OmegaT write nl-NL/en-GB (or NL-BE, EN-US) and wrap formatting in <bpt>/<ept>,
    # whose content is the native code, not text
    path = tmp_path / "memory.tmx"
    path.write_text(
        tmx(
            unit(
                "De <bpt i='1'>&lt;b&gt;</bpt>kat<ept i='1'>&lt;/b&gt;</ept> slaapt.",
                "The cat sleeps.",
            )
            + unit("Goedemorgen allemaal.", "Good morning, everyone.", "NL-BE", "EN-US")
        ),
        encoding="utf-8",
    )
    pairs, skipped = read_source(path)
    assert [(p.nl, p.en) for p in pairs] == [
        ("De kat slaapt.", "The cat sleeps."),
        ("Goedemorgen allemaal.", "Good morning, everyone."),
    ]
    assert skipped == 0


def test_tmx_machine_output_of_this_toolkit_is_not_training_data(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    reviewed = '<prop type="x-state">reviewed</prop>'
    machine = '<prop type="x-state">machine</prop>'
    path.write_text(
        tmx(
            unit("Goed werk.", "Good work.", props=reviewed)
            + unit("Slecht werk.", "Bad machine work.", props=machine)
        ),
        encoding="utf-8",
    )
    pairs, skipped = read_source(path)
    assert [p.en for p in pairs] == ["Good work."]
    assert skipped == 1


def test_tmx_without_english_names_the_file_and_languages(tmp_path: Path) -> None:
    path = tmp_path / "de.tmx"
    path.write_text(tmx(unit("Hallo wereld.", "Hallo Welt.", "nl", "de-DE")), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_sources([path])
    message = str(caught.value)
    assert message.startswith(f"{path}: no unit has both a Dutch (nl*) and an English (en*)")
    assert "de-de" in message and "\n" not in message


def test_tmx_with_an_external_entity_is_refused_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
        + tmx(unit("Geheim: &x;", "Secret: &x;")).split("?>", 1)[1],
        encoding="utf-8",
    )
    with pytest.raises(UserError) as caught:
        read_sources([path])
    assert "TOP SECRET" not in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_tmx_unit_with_an_empty_english_segment(tmp_path: Path) -> None:
    path = tmp_path / "half.tmx"
    path.write_text(
        tmx(unit("Goed.", "Good.") + unit("Leeg aan de andere kant.", "")), encoding="utf-8"
    )
    with pytest.raises(UserError, match=r"half\.tmx:\d+: a unit has an empty English segment"):
        read_sources([path])


def test_moses_pair_by_either_file_or_stem(tmp_path: Path) -> None:
    (tmp_path / "c.nl").write_text("Een zin.\nTwee zinnen.\n", encoding="utf-8")
    (tmp_path / "c.en").write_text("One sentence.\nTwo sentences.\n", encoding="utf-8")
    for given in ("c.nl", "c.en", "c"):
        pairs, _ = read_source(tmp_path / given)
        assert [(p.nl, p.en) for p in pairs] == [
            ("Een zin.", "One sentence."),
            ("Twee zinnen.", "Two sentences."),
        ]


def test_moses_pair_with_different_line_counts(tmp_path: Path) -> None:
    (tmp_path / "c.nl").write_text("Een.\nTwee.\nDrie.\n", encoding="utf-8")
    (tmp_path / "c.en").write_text("One.\nTwo.\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_sources([tmp_path / "c.nl"])
    assert str(caught.value) == (
        f"{tmp_path / 'c.nl'}: 3 lines, but c.en has 2; the two files of a Moses pair must "
        "match line by line"
    )


def test_moses_pair_with_an_empty_line_on_one_side(tmp_path: Path) -> None:
    (tmp_path / "c.nl").write_text("Een zin.\n\nDrie.\n", encoding="utf-8")
    (tmp_path / "c.en").write_text("One sentence.\nTwo.\nThree.\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"c\.nl:2: empty line where the other file has text"):
        read_sources([tmp_path / "c.en"])


def test_moses_half_missing(tmp_path: Path) -> None:
    (tmp_path / "c.nl").write_text("Een.\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"c\.en: the other half of the Moses pair is missing"):
        read_sources([tmp_path / "c.nl"])


def test_tsv_two_columns_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.tsv"
    good.write_text("Een kat.\tA cat.\n\nTwee katten.\tTwo cats.\n", encoding="utf-8")
    assert [p.en for p in read_source(good)[0]] == ["A cat.", "Two cats."]
    three = tmp_path / "three.tsv"
    three.write_text("a\tb\tc\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"three\.tsv:1: 3 columns; expected two"):
        read_sources([three])
    empty = tmp_path / "empty.tsv"
    empty.write_text("Een kat.\tA cat.\nGeen Engels.\t \n", encoding="utf-8")
    with pytest.raises(UserError, match=r"empty\.tsv:2: empty English column"):
        read_sources([empty])


@pytest.mark.parametrize("name", ["po", "xliff", "tmx"])
def test_reviewed_entries_only_from_toolkit_outputs(tmp_path: Path, name: str) -> None:
    # `translated` marks every paragraph machine output but the last, which is reviewed
    document = translated("Eerste alinea hier.\n\nTweede alinea daar.\n\nDerde alinea ook.")
    fmt = FORMATS[name]
    path = tmp_path / f"doc{fmt.suffix}"
    path.write_text(fmt.dumps(document, PROVENANCE), encoding="utf-8")
    pairs, skipped = read_source(path)
    reviewed = [p for p in document.paragraphs if p.state is ReviewState.REVIEWED]
    assert [(p.nl, p.en) for p in pairs] == [(p.source, p.target) for p in reviewed]
    assert skipped >= 2


def test_output_folder_gives_its_reviewed_entries(tmp_path: Path) -> None:
    document = translated("Eerste alinea hier.\n\nTweede alinea daar.")
    for name in ("po", "xliff"):
        fmt = FORMATS[name]
        (tmp_path / f"doc{fmt.suffix}").write_text(fmt.dumps(document, PROVENANCE), "utf-8")
    pairs, found = read_sources([tmp_path])
    last = document.paragraphs[-1]
    assert [(p.nl, p.en) for p in pairs] == [(last.source, last.target)]  # deduplicated
    assert found[0].pairs == 1


def test_folder_without_outputs(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no toolkit outputs here"):
        read_sources([tmp_path])


def test_unknown_file_kind(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    with pytest.raises(UserError, match=r"notes\.docx: unknown kind of parallel data"):
        read_sources([path])


def test_split_by_document_keeps_documents_whole_and_held_out_dutch_out_of_training() -> None:
    pairs = [Pair(f"zin {i % 7}", f"sentence {i}", f"f:{i // 10}") for i in range(100)]
    train, dev, test = split_by_document(pairs, seed=3, dev_size=10, test_size=10)
    held_docs = {p.doc for p in dev + test}
    assert len(held_docs) == 2
    assert not {p.doc for p in train} & held_docs
    assert not {p.nl for p in train} & {p.nl for p in dev + test}


def test_dedupe_keeps_the_first() -> None:
    pairs = [Pair("a", "b", "x"), Pair("a", "b", "y"), Pair("a", "c", "x")]
    assert dedupe(pairs) == [Pair("a", "b", "x"), Pair("a", "c", "x")]
