"""Input surprises of issue 15: skipped files, standard input, absolute paths, error wording."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS
from lxml import etree

from toolkit.cli import main

NONE = ["--engine", "none", "--no-glossary", "--quiet"]
GLOSSARY = str(REPO / "glossary" / "nl-en.tsv")


@pytest.fixture(autouse=True)
def _no_project_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_CONFIG", "")  # these tests are about inputs, not the config


def test_files_left_out_of_a_folder_are_counted_and_upper_case_txt_is_included(
    tmp_path: Path,
) -> None:
    # broke: UPPER.TXT, notes.rtf and scan.pdf were skipped without a word (issue 26: .md and
    # .html are documents now, translated by default)
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "UPPER.TXT").write_text("Een zin.", "utf-8")
    (folder / "sub" / "a.txt").write_text("Twee zinnen. Hier.", "utf-8")
    (folder / "notes.rtf").write_text("{\\rtf1 notes}", "utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden").write_text("editor state", "utf-8")  # not worth a mention
    report = tmp_path / "run.json"
    args = ["translate", str(folder), "-o", str(tmp_path / "out"), *NONE, "--report", str(report)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 translated, 0 skipped, 0 failed of 2 documents" in result.stderr
    assert "2 file(s) in the input folders not translated, not matching --include" in result.stderr
    assert (tmp_path / "out" / "UPPER.nl-en.po").is_file()
    ignored = json.loads(report.read_text())["ignored_files"]
    assert sorted(Path(p).name for p in ignored) == ["notes.rtf", "scan.pdf"]


def test_stdin_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # broke: `translate -` failed with "-: no such file"
    monkeypatch.chdir(tmp_path)
    dutch = "date 2024-01-02 Rusland viel Oekraïne aan.\n\nDe Navo reageerde.\n"
    result = CliRunner().invoke(
        main,
        ["translate", "-", "--engine", "scripted", "--glossary", GLOSSARY, "--quiet"],
        input=dutch.encode(),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "date 2024-01-02 Russia viel Ukraine aan.\n\nDe NATO reageerde.\n"
    assert "1 translated" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written without -o


def test_stdin_with_output_folder_writes_the_bilingual_files_too(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["translate", "-", "-o", str(out), "--format", "po,xliff", *NONE],
        input=b"Een zin.\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "\n"  # --engine none: the empty English, paragraph for paragraph
    [entry] = polib.pofile(str(out / "stdin.nl-en.po"))
    assert entry.msgid == "Een zin." and entry.occurrences == [("stdin.txt", "1")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # not UTF-8: the same one-line reason a file gets, naming "-"
        (b"Caf\xe9", "-:1: not valid UTF-8"),
        # nothing piped in
        (b"  \n", "-: is empty"),
    ],
)
def test_bad_stdin_is_one_line(data: bytes, message: str) -> None:
    result = CliRunner().invoke(main, ["translate", "-", *NONE], input=data)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_stdin_must_be_the_only_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["translate", "-", str(SEEDS[0]), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "`-` (standard input) must be the only INPUT" in result.stderr


def test_references_are_relative_to_the_input_folder(tmp_path: Path) -> None:
    # broke: absolute input paths ended up in PO `#:` references and XLIFF `original`
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEEDS[0], folder / "sub" / SEEDS[0].name)
    shutil.copy(SEEDS[1], tmp_path / SEEDS[1].name)
    out = tmp_path / "out"
    inputs = [str(folder.resolve()), str((tmp_path / SEEDS[1].name).resolve())]
    args = ["translate", *inputs, "-o", str(out), "--format", "po,xliff", *NONE]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    cases = [
        # a file in a folder given: its path under that folder
        (out / "sub" / f"{SEEDS[0].stem}", f"sub/{SEEDS[0].name}"),
        # a file given directly: its name
        (out / SEEDS[1].stem, SEEDS[1].name),
    ]
    for stem, reference in cases:
        po = polib.pofile(f"{stem}.nl-en.po")
        assert {path for entry in po for path, _ in entry.occurrences} == {reference}
        xliff = etree.parse(f"{stem}.nl-en.xlf")
        [original] = xliff.xpath("//*[local-name()='file']/@original")
        assert original == reference
        assert str(tmp_path) not in Path(f"{stem}.nl-en.po").read_text("utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # broke: "choose from po, ..." without saying which item was wrong
        ("po,xlif", "unknown format 'xlif'; choose from po, xliff, tmx, tsv, html"),
        # an empty item between commas
        ("po,,tmx", "an empty item in 'po,,tmx'"),
    ],
)
def test_format_error_names_the_bad_item(tmp_path: Path, value: str, message: str) -> None:
    result = CliRunner().invoke(
        main, ["translate", str(SEEDS[0]), "-o", str(tmp_path), "--format", value]
    )
    assert result.exit_code == 2
    assert message in result.stderr


def test_errors_have_one_style(tmp_path: Path) -> None:
    # broke: document failures said "error:", click's own errors "Error:"
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    missing = tmp_path / "nope.txt"
    args = ["translate", str(tmp_path / "latin1.txt"), str(missing), "-o", str(tmp_path / "o")]
    result = CliRunner().invoke(main, [*args, *NONE])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "rror:" in line]
    assert len(errors) == 2 and all(line.startswith("Error: ") for line in errors), errors


def test_not_checked_is_explained_in_the_summary(tmp_path: Path) -> None:
    # broke: the summary counted "not-checked" terms and nothing said what that meant
    args = ["translate", str(SEEDS[0]), "-o", str(tmp_path / "o"), "--engine", "none"]
    result = CliRunner().invoke(main, [*args, "--glossary", GLOSSARY])
    assert result.exit_code == 0, result.output
    assert "not-checked: no English to check the term in, e.g. --engine none" in result.stderr
    help_text = " ".join(CliRunner().invoke(main, ["translate", "--help"]).output.split())
    assert "not-checked (a term in a paragraph with no English to check it in" in help_text


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        # issue 22: a folder of files of another kind exited 0 with "0 documents"
        ({"notes.rtf": "{\\\\rtf1}", "scan.pdf": "%PDF-1.4"}, "no documents to translate: 2 file"),
        ({}, "no documents to translate: the input folders hold no files"),
    ],
)
def test_a_run_that_translates_nothing_fails_with_the_reason(files, reason, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["translate", str(folder), "-o", str(tmp_path / "o"), *NONE])
    assert result.exit_code == 1
    assert f"Error: {reason}" in result.stderr
    assert "--include" in result.stderr if files else True


def test_outputs_of_a_format_no_longer_asked_for_are_removed(tmp_path: Path) -> None:
    # issue 22: dropping xliff from --format left the old .xlf beside the new PO
    source = tmp_path / "doc.txt"
    source.write_text("Een zin.\n\nNog een.", "utf-8")
    other = tmp_path / "andere.txt"
    other.write_text("Iets anders.", "utf-8")
    out = tmp_path / "out"
    args = ["translate", str(source), str(other), "-o", str(out), *NONE]
    assert CliRunner().invoke(main, [*args, "--format", "po,xliff,tsv"]).exit_code == 0
    # a translator edited the other document's TSV: never deleted, but named
    tsv = out / "andere.nl-en.tsv"
    tsv.write_text(tsv.read_text("utf-8") + "\n", "utf-8")
    mine = out / "notes.nl-en.xlf"  # not the toolkit's: never touched
    mine.write_text("mine", "utf-8")
    result = CliRunner().invoke(main, [*args, "--format", "po"])
    assert result.exit_code == 0, result.output
    assert not (out / "doc.nl-en.xlf").exists() and not (out / "doc.nl-en.tsv").exists()
    assert not (out / "andere.nl-en.xlf").exists()
    assert tsv.exists() and mine.read_text("utf-8") == "mine"
    assert "removed 3 outputs of formats no longer asked for" in result.stderr
    assert f"kept 1 edited since written ({tsv}" in result.stderr
