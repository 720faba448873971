"""TBX, terminology CSV and OmegaT: each round-trips what its format can carry.

Every format inherits the contract tests of `ExchangeContract`; `carried` says what survives.
TBX carries everything, so its round trip compares whole glossaries.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import UserError
from toolkit.glossary.csv_terms import read_terms_csv, write_terms_csv
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.glossary.omegat import read_omegat, write_omegat
from toolkit.glossary.tbx import read_tbx, write_tbx
from toolkit.glossary.tsv import read_glossary, write_glossary

REPO = Path(__file__).resolve().parents[2]
CURATED = REPO / "glossary" / "nl-en.tsv"

SAMPLE = Glossary(
    [
        Entry(
            "Kiev",
            "Kyiv",
            TermKind.NAME,
            ("Kyiv's",),
            ("Kiev", "Kiew"),
            ("Kyiv",),
            "English uses the Ukrainian-based spelling.",
            "approved",
        ),
        Entry(
            "Iskander-M",
            "Iskander-M",
            TermKind.DO_NOT_TRANSLATE,
            note="A code, kept.",
            status="proposed",
        ),
        Entry(
            "Oekraïens",
            "Ukrainian",
            TermKind.NAME,
            forbidden=("Oekraïense",),
            source_variants=("Oekraïense",),
            note='Non-ASCII, "quotes", commas, and <xml> & ampersands.',
        ),
        Entry(
            "vazalstaat",
            "vassal state",
            TermKind.TERM,
            ("vassal states",),
            ("vazal state",),
            ("vazalstaten", "vazalstaatje"),
            "A term with every list filled.",
        ),
        Entry("zonder notitie", "without a note", status="proposed"),
    ]
)


class ExchangeContract:
    write: Callable[..., None]  # (Glossary, path); readers also take language codes
    read: Callable[..., Glossary]
    suffix: str

    def carried(self, glossary: Glossary) -> Any:
        """What of `glossary` the format keeps, in a form that compares."""
        raise NotImplementedError

    @pytest.mark.parametrize(
        ("entries", "fragment"),
        [
            # Regression: conflicting duplicates loaded silently from every reader.
            (
                [Entry("oorlog", "war", note="n"), Entry("oorlog", "conflict", note="n")],
                "conflicting English for the Dutch term 'oorlog'",
            ),
            # An exact repeat is refused (pair formats: the repeated row itself).
            ([Entry("oorlog", "war", note="n"), Entry("oorlog", "war", note="n")], "repeats line"),
            # Regression: a one-letter term matched "en" as its plural.
            ([Entry("e", "and", note="n")], "Dutch term 'e' is shorter than 2 letters"),
        ],
    )
    def test_unusable_entries_are_refused_at_load(
        self, tmp_path: Path, entries: list[Entry], fragment: str
    ) -> None:
        path = tmp_path / f"glossary{self.suffix}"
        type(self).write(Glossary(entries), path)  # writers take what they are given
        with pytest.raises(UserError) as caught:
            type(self).read(path)
        assert fragment in caught.value.message
        assert caught.value.line  # the line of the refused entry, never a bare file name
        assert str(caught.value).startswith(f"{path}:{caught.value.line}: ")

    def round_trip(self, glossary: Glossary, tmp_path: Path) -> Glossary:
        path = tmp_path / f"glossary{self.suffix}"
        type(self).write(glossary, path)
        return type(self).read(path)

    def test_sample_round_trips(self, tmp_path: Path) -> None:
        # non-ASCII, markup characters, names, do-not-translate, proposed, every list filled
        assert self.carried(self.round_trip(SAMPLE, tmp_path)) == self.carried(SAMPLE)

    def test_curated_glossary_round_trips(self, tmp_path: Path) -> None:
        # the real file, with its long notes and many variants
        curated = read_glossary(CURATED)
        assert self.carried(self.round_trip(curated, tmp_path)) == self.carried(curated)

    def test_empty_glossary_round_trips(self, tmp_path: Path) -> None:
        # a fresh project starts with nothing
        assert self.round_trip(Glossary(), tmp_path).entries == []

    def test_missing_file_is_a_user_error(self, tmp_path: Path) -> None:
        with pytest.raises(UserError):
            type(self).read(tmp_path / f"absent{self.suffix}")


class TestTbx(ExchangeContract):
    write = write_tbx
    read = read_tbx
    suffix = ".tbx"

    def carried(self, glossary: Glossary) -> Any:
        return sorted(glossary.entries, key=lambda e: e.source.casefold())  # every field

    def test_tsv_to_tbx_to_tsv_is_byte_identical(self, tmp_path: Path) -> None:
        # the lossless exchange: notes, variants, kinds and statuses all come back
        write_tbx(read_glossary(CURATED), tmp_path / "g.tbx")
        write_glossary(read_tbx(tmp_path / "g.tbx"), tmp_path / "back.tsv")
        assert (tmp_path / "back.tsv").read_bytes() == CURATED.read_bytes()

    def test_translate_toolkit_reads_headword_and_target(self, tmp_path: Path) -> None:
        from translate.storage import tbx

        write_tbx(SAMPLE, tmp_path / "g.tbx")
        store = tbx.tbxfile.parsefile(str(tmp_path / "g.tbx"))
        pairs = {(unit.source, unit.target) for unit in store.units}
        assert pairs == {(e.source, e.target) for e in SAMPLE.entries}
        kiev = next(unit for unit in store.units if unit.source == "Kiev")
        assert "Ukrainian-based" in kiev.getnotes()
        deprecated = {t.text for t in kiev.get_target_terms() if t.deprecated}
        assert deprecated == {"Kiev", "Kiew"}  # forbidden renderings read as deprecated terms
        iskander = next(unit for unit in store.units if unit.source == "Iskander-M")
        assert not iskander.istranslatable()  # do-not-translate reads as not translatable

    @pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
    def test_xmllint_finds_it_well_formed(self, tmp_path: Path) -> None:
        write_tbx(read_glossary(CURATED), tmp_path / "g.tbx")
        subprocess.run(["xmllint", "--noout", str(tmp_path / "g.tbx")], check=True)

    def test_malformed_xml_is_a_user_error_with_a_line(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.tbx"
        path.write_text('<martif type="TBX">\n<text><body>\n</martif>\n', encoding="utf-8")
        with pytest.raises(UserError) as caught:
            read_tbx(path)
        assert caught.value.line is not None and "not well-formed" in caught.value.message

    def test_an_entry_without_english_is_a_user_error(self, tmp_path: Path) -> None:
        # a termEntry carrying only Dutch cannot become an entry
        path = tmp_path / "nl-only.tbx"
        path.write_text(
            '<martif type="TBX"><text><body>\n<termEntry><langSet xml:lang="nl"><tig>'
            "<term>Krim</term></tig></langSet></termEntry></body></text></martif>",
            encoding="utf-8",
        )
        with pytest.raises(UserError, match="needs a term in both") as caught:
            read_tbx(path)
        assert caught.value.line == 2


def pairs(glossary: Glossary) -> set[tuple[str, str]]:
    return {(form, e.target) for e in glossary.entries for form in e.source_forms}


class TestTermsCsv(ExchangeContract):
    write = write_terms_csv
    read = read_terms_csv
    suffix = ".csv"

    def carried(self, glossary: Glossary) -> Any:
        return pairs(glossary)  # only Dutch form → English pairs

    def test_header_names_the_languages(self, tmp_path: Path) -> None:
        write_terms_csv(SAMPLE, tmp_path / "g.csv")
        lines = (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == "nl,en"
        assert "vazalstaten,vassal state" in lines  # each source variant is its own row

    def test_rows_with_the_same_english_become_one_entry(self, tmp_path: Path) -> None:
        # the documented loss: entries sharing English come back merged, as proposed
        path = tmp_path / "g.csv"
        path.write_text("NL-nl,en_GB,de\nannexatie,annexation,Annexion\ninlijving,annexation,\n")
        [entry] = read_terms_csv(path).entries
        assert (entry.source, entry.source_variants, entry.status) == (
            "annexatie",
            ("inlijving",),
            "proposed",
        )

    def test_a_missing_language_column_is_a_user_error(self, tmp_path: Path) -> None:
        path = tmp_path / "g.csv"
        path.write_text("nl,de\nKrim,Krim\n", encoding="utf-8")
        with pytest.raises(UserError, match="no 'en' column") as caught:
            read_terms_csv(path)
        assert caught.value.line == 1

    def test_conflicting_rows_name_both_lines(self, tmp_path: Path) -> None:
        # the later row is refused and points at the earlier one
        path = tmp_path / "g.csv"
        path.write_text("nl,en\noorlog,war\nKrim,Crimea\nOorlog,conflict\n", encoding="utf-8")
        with pytest.raises(UserError, match="'conflict' here, 'war' at line 2") as caught:
            read_terms_csv(path)
        assert caught.value.line == 4

    def test_a_short_row_is_a_user_error_with_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "g.csv"
        path.write_text("nl,en\nKrim,Crimea\nKiev\n", encoding="utf-8")
        with pytest.raises(UserError) as caught:
            read_terms_csv(path)
        assert caught.value.line == 3


class TestOmegat(ExchangeContract):
    write = write_omegat
    read = read_omegat
    suffix = ".txt"

    def carried(self, glossary: Glossary) -> Any:
        return {(form, e.target, e.note) for e in glossary.entries for form in e.source_forms}

    def test_one_line_per_dutch_form_with_the_note(self, tmp_path: Path) -> None:
        write_omegat(SAMPLE, tmp_path / "g.txt")
        lines = (tmp_path / "g.txt").read_text(encoding="utf-8").splitlines()
        assert "vazalstaatje\tvassal state\tA term with every list filled." in lines
        assert "zonder notitie\twithout a note" in lines  # no empty comment column

    def test_comment_lines_are_skipped_and_a_bare_line_is_an_error(self, tmp_path: Path) -> None:
        path = tmp_path / "g.utf8"
        path.write_text("# exported\nKrim\tCrimea\nKiev\n", encoding="utf-8")
        with pytest.raises(UserError) as caught:
            read_omegat(path)
        assert caught.value.line == 3


def test_exported_tbx_validates_against_the_tbx_schema_omegat_ships(tmp_path: Path) -> None:
    # the TBX 2008 (martif) schema from OmegaT.jar: the dialect OmegaT and translate-toolkit read
    from validators import validate_xsd

    from toolkit.glossary.tbx import write_tbx
    from toolkit.glossary.tsv import read_glossary

    repo = Path(__file__).resolve().parents[2]
    path = tmp_path / "nl-en.tbx"
    write_tbx(read_glossary(repo / "glossary" / "nl-en.tsv"), path)
    validate_xsd(path, "tbx.xsd")


def test_a_csv_cell_over_the_csv_module_limit_is_one_line(tmp_path: Path) -> None:
    # issue 23, case 7: a cell of more than 131,072 characters was a _csv.Error traceback
    path = tmp_path / "terms.csv"
    path.write_text("nl,en\nNavo,NATO\n" + "a" * 140_000 + ",b\n", "utf-8")
    with pytest.raises(UserError, match=r"terms.csv:3: not a readable CSV file \(field larger"):
        read_terms_csv(path)
