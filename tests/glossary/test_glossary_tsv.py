"""The canonical TSV: reading, writing, and one-line errors for malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UserError
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.glossary.tsv import COLUMNS, read_glossary, write_glossary

HEADER = "\t".join(COLUMNS)
ROW = "vazalstaat\tvassal state\tterm\tvassal states\tvazal state\tvazalstaten\tWhy.\tapproved"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "nl-en.tsv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_reads_every_field_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n\n{ROW}\n")
    [entry] = read_glossary(path).entries
    assert entry == Entry(
        "vazalstaat",
        "vassal state",
        TermKind.TERM,
        ("vassal states",),
        ("vazal state",),
        ("vazalstaten",),
        "Why.",
        "approved",
    )
    assert entry.line == 3  # a blank line is skipped but still counted


def test_write_then_read_is_the_same_glossary_sorted(tmp_path: Path) -> None:
    entries = [
        Entry(
            "Poetin",
            "Putin",
            TermKind.NAME,
            ("Putin's",),
            ("Poetin",),
            ("Poetins",),
            "n",
            "approved",
        ),
        Entry("annexatie", "annexation", note="ä ë ï — “quotes”", status="proposed"),
        Entry("Iskander-M", "Iskander-M", TermKind.DO_NOT_TRANSLATE, note="code"),
    ]
    path = tmp_path / "out.tsv"
    write_glossary(Glossary(entries), path)
    back = read_glossary(path).entries
    assert [e.source for e in back] == ["annexatie", "Iskander-M", "Poetin"]  # case-insensitive
    assert sorted(back, key=lambda e: e.source) == sorted(entries, key=lambda e: e.source)
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]  # no temporary file left


def test_sorting_is_stable_and_ignores_case(tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    # "bal" and "Bal" differ in kind: one Dutch term of one kind with two Englishes is refused
    entries = [
        Entry("bal", "ball", note="n"),
        Entry("Bal", "Bal", TermKind.NAME, note="n"),
        Entry("appel", "apple", note="n"),
    ]
    write_glossary(Glossary(entries), path)
    assert [e.source for e in read_glossary(path).entries] == ["appel", "bal", "Bal"]


def test_crlf_and_bom_are_read(tmp_path: Path) -> None:
    # files saved by spreadsheet programs on Windows
    path = write(tmp_path, b"\xef\xbb\xbf" + f"{HEADER}\r\n{ROW}\r\n".encode())
    assert read_glossary(path).entries[0].status == "approved"


def test_list_cells_are_split_and_trimmed(tmp_path: Path) -> None:
    row = ROW.replace("vassal states", "vassal states | vassal-state||")
    [entry] = read_glossary(write(tmp_path, f"{HEADER}\n{row}\n")).entries
    assert entry.target_variants == ("vassal states", "vassal-state")


MALFORMED = [
    # the header names the columns; anything else means the cells cannot be trusted
    (f"source\ttarget\n{ROW}\n", 1, "bad header"),
    # an empty file has no header either
    ("", 1, "bad header"),
    # a missing tab shifts every later column
    (f"{HEADER}\n{ROW.rsplit(chr(9), 1)[0]}\n", 2, "expected 8 tab-separated cells, found 7"),
    # a typo in the kind would silently change how the term is matched
    (f"{HEADER}\n{ROW.replace('term', 'noun', 1)}\n", 2, "unknown kind 'noun'"),
    # status is a closed vocabulary so TBX can map it
    (f"{HEADER}\n{ROW.replace('approved', 'ok')}\n", 2, "unknown status 'ok'"),
    # an entry without a headword cannot match anything
    (f"{HEADER}\n\t{ROW.split(chr(9), 1)[1]}\n", 2, "empty source cell"),
    # the error is at the first bad row, not the last good one
    (f"{HEADER}\n{ROW}\n{ROW.replace('vassal state', '')}\n", 3, "empty target cell"),
]


@pytest.mark.parametrize(("text", "line", "message"), MALFORMED)
def test_malformed_input_raises_a_user_error_with_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        read_glossary(path)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    # Latin-1 ë is the usual way a Dutch glossary arrives broken
    data = f"{HEADER}\n".encode() + "Oekraïne\tUkraine\tname\t\t\t\tn\tapproved\n".encode("latin-1")
    with pytest.raises(UserError) as caught:
        read_glossary(write(tmp_path, data))
    assert caught.value.line == 2
    offset = data.index("ï".encode("latin-1"))
    assert f"byte offset {offset}" in caught.value.message


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_glossary(tmp_path / "absent.tsv")


def test_a_tab_inside_a_cell_is_refused_on_write(tmp_path: Path) -> None:
    # written as is, it would shift the columns of the row
    with pytest.raises(UserError, match="tab or line break"):
        write_glossary(Glossary([Entry("a", "b\tc")]), tmp_path / "out.tsv")
    assert not (tmp_path / "out.tsv").exists()


def test_a_bar_inside_a_variant_is_refused_on_write(tmp_path: Path) -> None:
    # the bar separates list items, so it would split the variant in two
    with pytest.raises(UserError, match="holds '\\|'"):
        write_glossary(Glossary([Entry("a", "b", target_variants=("c|d",))]), tmp_path / "o.tsv")


def tsv_row(source: str, target: str, kind: str = "term", forbidden: str = "") -> str:
    return "\t".join((source, target, kind, "", forbidden, "", "Why.", "approved"))


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        # Regression: `oorlog → war` and `oorlog → conflict` both loaded, the note claimed
        # one and the text had the other; refused, naming the line it conflicts with.
        (
            [tsv_row("oorlog", "war"), tsv_row("oorlog", "conflict")],
            3,
            "conflicting English for the Dutch term 'oorlog': 'conflict' here, 'war' at line 2",
        ),
        # The matcher ignores case for terms, so "Oorlog" is the same Dutch term.
        ([tsv_row("oorlog", "war"), tsv_row("Oorlog", "conflict")], 3, "at line 2"),
        # An exact repeat is refused too (documented choice: reject, do not merge).
        ([tsv_row("oorlog", "war"), tsv_row("oorlog", "war")], 3, "repeats line 2 exactly"),
        # Regression: the one-letter term "e" matched "en" (its plural) everywhere.
        ([tsv_row("e", "and")], 2, "Dutch term 'e' is shorter than 2 letters"),
        # One-letter English is refused as well.
        ([tsv_row("kruis", "x")], 2, "English term 'x' is shorter than 2 letters"),
        # "ee" is long enough, but its generated plural is the article "een".
        ([tsv_row("ee", "ee")], 2, "would also match the common word 'een'"),
        # A function word itself.
        ([tsv_row("van", "of")], 2, "Dutch term 'van' is the function word 'van'"),
    ],
)
def test_unusable_entries_are_refused_at_load_with_their_line(
    tmp_path: Path, rows: list[str], line: int, fragment: str
) -> None:
    path = write(tmp_path, "\n".join((HEADER, *rows)) + "\n")
    with pytest.raises(UserError) as caught:
        read_glossary(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert fragment in caught.value.message
    assert "\n" not in str(caught.value)


def test_one_dutch_term_may_be_a_term_and_a_name(tmp_path: Path) -> None:
    # kinds differ in how they match ("Bal" the name is no lowercase "bal"), so no conflict
    path = write(tmp_path, f"{HEADER}\n{tsv_row('bal', 'ball')}\n{tsv_row('Bal', 'Bal', 'name')}\n")
    assert [entry.target for entry in read_glossary(path).entries] == ["ball", "Bal"]


def test_a_bad_header_error_never_quotes_the_file(tmp_path) -> None:
    """Issue 23 (8): `glossary = "/etc/shadow"` in a project file printed the file's first
    line; the error names the expected columns only."""
    import pytest

    from toolkit.errors import UserError
    from toolkit.glossary.tsv import read_glossary

    secret = tmp_path / "shadow"
    secret.write_text("admin:$6$s3cr3tHash:20228:0:99999:7:::\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_glossary(secret)
    message = str(caught.value)
    assert "s3cr3t" not in message and "admin" not in message
    assert "no tab-separated header" in message and ":1:" in message
    tabbed = tmp_path / "other.tsv"
    tabbed.write_text("source\tsecretcolumn\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_glossary(tabbed)
    assert "secretcolumn" not in str(caught.value)
    assert "2 columns with source; missing or misplaced: target" in str(caught.value)
