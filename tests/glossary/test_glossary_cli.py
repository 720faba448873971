"""`toolkit glossary` commands through click's runner, with the real library underneath."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.glossary_commands import glossary
from toolkit.glossary.tsv import COLUMNS, read_glossary

REPO = Path(__file__).resolve().parents[2]
CURATED = REPO / "glossary" / "nl-en.tsv"
HEADER = "\t".join(COLUMNS)


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(glossary, [str(a) for a in args], env=env)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.tsv"
    path.write_text(
        HEADER
        + "\nKiev\tKyiv\tname\tKyiv's\tKiev\t\tUkrainian-based spelling.\tapproved"
        + "\nvazalstaat\tvassal state\tterm\tvassal states\tvazal state\tvazalstaten\tWhy."
        + "\tapproved\n",
        encoding="utf-8",
    )
    return path


def test_lint_clean_exits_0_with_a_summary(small: Path) -> None:
    result = invoke("lint", small)
    assert result.exit_code == 0
    assert result.output == f"{small}: 2 entries, no problems\n"


def test_lint_prints_each_problem_and_exits_1(tmp_path: Path, small: Path) -> None:
    bad = tmp_path / "bad.tsv"
    lines = small.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[2], lines[1], "Krim\tCrimea"]) + "\n")
    result = invoke("lint", bad)
    assert result.exit_code == 1
    assert f"{bad}:3: out of order: 'Kiev' sorts before 'vazalstaat' (line 2)" in result.output
    assert f"{bad}:4: expected 8 tab-separated cells, found 2" in result.output
    assert "2 problem(s)" in result.output


def test_lint_defaults_to_the_glossary_folder(tmp_path: Path, small: Path, monkeypatch) -> None:
    # run from a project root, `toolkit glossary lint` finds glossary/nl-en.tsv
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "nl-en.tsv").write_bytes(small.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = invoke("lint", env={"TOOLKIT_GLOSSARY": ""})
    assert result.exit_code == 0, result.output
    assert "glossary/nl-en.tsv: 2 entries" in result.output


def test_lint_reads_the_environment_variable(small: Path) -> None:
    result = invoke("lint", env={"TOOLKIT_GLOSSARY": str(small)})
    assert result.exit_code == 0 and str(small) in result.output


def test_lint_of_the_curated_glossary_is_clean() -> None:
    result = invoke("lint", CURATED)
    assert result.exit_code == 0
    assert f"{len(read_glossary(CURATED).entries)} entries, no problems" in result.output


def test_a_missing_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = invoke("lint", tmp_path / "absent.tsv")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'absent.tsv'}: no such file; check the path"
    ]
    assert "Traceback" not in result.output


def test_export_then_import_tbx_gives_the_same_file(tmp_path: Path) -> None:
    tbx = tmp_path / "g.tbx"
    result = invoke("export", "--format", "tbx", "-o", tbx, CURATED)
    assert result.exit_code == 0
    assert "note:" not in result.output  # TBX loses nothing
    result = invoke("import", "--format", "tbx", tbx, "-o", tmp_path / "back.tsv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "back.tsv").read_bytes() == CURATED.read_bytes()
    assert "lint problem" not in result.output


@pytest.mark.parametrize(
    ("format_name", "suffix", "first_line"),
    [
        ("csv", ".csv", "nl,en"),  # Amazon/Google terminology header
        ("omegat", ".txt", "Kiev\tKyiv\tUkrainian-based spelling."),  # source, target, comment
    ],
)
def test_lossy_exports_say_what_they_leave_out(
    tmp_path: Path, small: Path, format_name: str, suffix: str, first_line: str
) -> None:
    out = tmp_path / f"g{suffix}"
    result = invoke("export", "--format", format_name, "-o", out, small)
    assert result.exit_code == 0
    assert "cannot hold" in result.output and "forbidden renderings" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == first_line


def test_import_refuses_to_overwrite_without_force(tmp_path: Path, small: Path) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text("nl,en\nKrim,Crimea\n", encoding="utf-8")
    result = invoke("import", "--format", "csv", csv, "-o", small)
    assert result.exit_code == 1 and "pass --force" in result.output
    assert "Kiev" in small.read_text(encoding="utf-8")  # untouched
    result = invoke("import", "--format", "csv", csv, "-o", small, "--force")
    assert result.exit_code == 0
    assert [e.source for e in read_glossary(small).entries] == ["Krim"]
    assert "1 lint problem(s)" in result.output  # the CSV had no note to give


def test_an_unknown_format_is_a_usage_error(tmp_path: Path, small: Path) -> None:
    result = invoke("export", "--format", "xliff", "-o", tmp_path / "x", small)
    assert result.exit_code == 2


def test_scan_lists_occurrences_with_file_and_line(tmp_path: Path, small: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Eerst.\nBelarus is een vazalstaat; richting Kiev.\n", encoding="utf-8")
    result = invoke("scan", text, "--glossary", small)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{text}:2: vazalstaat → vassal state",
        f"{text}:2: Kiev → Kyiv",
        "2 occurrence(s) of 2 term(s) in 1 file(s)",
    ]


def test_scan_json(tmp_path: Path, small: Path) -> None:
    text = tmp_path / "a.txt"
    source = "Twee vazalstaten.\nKiev."
    text.write_text(source, encoding="utf-8")
    result = invoke("scan", "--json", text, env={"TOOLKIT_GLOSSARY": str(small)})
    assert result.exit_code == 0
    found = json.loads(result.output)
    assert found[0] == {
        "file": str(text),
        "source_term": "vazalstaat",
        "target_term": "vassal state",
        "surface": "vazalstaten",
        "start": 5,
        "end": 16,
        "line": 1,
    }
    assert [(f["surface"], f["line"]) for f in found] == [("vazalstaten", 1), ("Kiev", 2)]
    assert all(source[f["start"] : f["end"]] == f["surface"] for f in found)


def test_scan_of_a_non_utf8_file_is_one_line(tmp_path: Path, small: Path) -> None:
    text = tmp_path / "latin1.txt"
    text.write_bytes("Oekraïne".encode("latin-1"))
    result = invoke("scan", text, "--glossary", small)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "not valid UTF-8" in result.output


def test_glossary_commands_do_not_import_the_engine_stack() -> None:
    # `toolkit glossary ...` must start fast: no argostranslate, CTranslate2, torch or stanza
    code = (
        "import sys\n"
        "from toolkit.cli.glossary_commands import glossary\n"
        "from click.testing import CliRunner\n"
        f"CliRunner().invoke(glossary, ['lint', {str(CURATED)!r}])\n"
        "heavy = {'argostranslate', 'ctranslate2', 'torch', 'stanza'}\n"
        "loaded = sorted(heavy & {m.split('.')[0] for m in sys.modules})\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
