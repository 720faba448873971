"""Numbers in review files from outside: a superscript digit (which `str.isdigit` accepts and
`int` refuses) or a 5,000-digit number (past `int`'s 4,300-digit limit) in PO `#:` lines,
XLIFF line numbers, TMX ids and TSV columns gave a traceback (issue 23, case 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.formats.base import line_number

ENV = {"TOOLKIT_CONFIG": ""}
HUGE = "9" * 5000


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-numbers")
    (folder / "a.txt").write_text("Eerste zin.\n\nTweede zin.\n", "utf-8")
    args = ["translate", str(folder / "a.txt"), "-o", str(folder / "out"), "--engine", "none"]
    result = CliRunner().invoke(main, [*args, "--format", "po,xliff,tmx,tsv", "--quiet"], env=ENV)
    assert result.exit_code == 0, result.output
    return folder / "out"


# (output suffix, pattern of the number to replace)
PLACES = {
    # PO `#: a.txt:1` reference line
    "po": (".nl-en.po", r"(?m)^(#: .*:)(\d+)$"),
    # XLIFF resname `a:1`
    "xliff-index": (".nl-en.xlf", r'(resname="a:)(\d+)'),
    # XLIFF <context context-type="linenumber">
    "xliff": (".nl-en.xlf", r'(context-type="linenumber">)(\d+)'),
    # TMX <prop type="x-line">
    "tmx": (".nl-en.tmx", r'(type="x-line">)(\d+)'),
    # TMX paragraph id a:1
    "tmx-id": (".nl-en.tmx", r'(type="x-paragraph">a:)(\d+)'),
    # TSV paragraph and sentence columns
    "tsv": (".nl-en.tsv", r"(?m)^(a\t)(\d+)"),
    "tsv-sentence": (".nl-en.tsv", r"(?m)^(a\t\d+\t)(\d+)"),
}


@pytest.mark.parametrize("number", ["²", "٣", HUGE], ids=["superscript", "arabic-indic", "huge"])
@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_bad_number_is_one_line_or_ignored_never_a_traceback(
    outputs: Path, tmp_path: Path, place: str, number: str
) -> None:
    suffix, pattern = PLACES[place]
    text = (outputs / f"a{suffix}").read_text("utf-8")
    changed, count = re.subn(pattern, lambda m: m.group(1) + number, text)
    assert count, f"{pattern} not found in {suffix}"
    path = tmp_path / f"a{suffix}"
    path.write_text(changed, "utf-8")
    result = CliRunner().invoke(main, ["review", "status", str(path), "--no-glossary"], env=ENV)
    assert not isinstance(result.exception, ValueError | OverflowError), result.exception
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code != 0:
        errors = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert len(errors) == 1 and str(path) in errors[0], result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), (HUGE, None), ("", None), (None, None)],
)
def test_line_number_accepts_ascii_digits_only(text: str | None, expected: int | None) -> None:
    assert line_number(text) == expected
