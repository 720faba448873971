"""Glossary lint: each rule on a file made to break it, and the curated glossary clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UserError
from toolkit.glossary.lint import Problem, lint_glossary
from toolkit.glossary.tsv import COLUMNS

REPO = Path(__file__).resolve().parents[2]
HEADER = "\t".join(COLUMNS)


def row(
    source: str,
    target: str,
    kind: str = "term",
    tv: str = "",
    forbidden: str = "",
    sv: str = "",
    note: str = "Why.",
    status: str = "approved",
) -> str:
    return "\t".join((source, target, kind, tv, forbidden, sv, note, status))


def lint(tmp_path: Path, *rows: str) -> list[Problem]:
    path = tmp_path / "g.tsv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return lint_glossary(path)


CASES = [
    # the same headword twice, differing only in case, is one concept entered twice
    ([row("Navo", "NATO"), row("navo", "NATO")], 3, "duplicate headword 'navo'"),
    # a Dutch variant of one entry is the headword of another with different English
    (
        [row("annexatie", "annexation", sv="inlijving"), row("inlijving", "incorporation")],
        3,
        "conflicting English for the Dutch term 'inlijving': 'incorporation' here, "
        "'annexation' at line 2",
    ),
    # a plural entered as its own entry clashes with the singular's listed plural
    (
        [
            row("kernwapen", "nuclear weapon", sv="kernwapens"),
            row("kernwapens", "nuclear weapons", sv=""),
        ],
        3,
        "conflicting English for the Dutch term 'kernwapens'",
    ),
    ([row("aa", "xx", sv="bb"), row("cc", "xx", sv="BB")], 3, "'BB' is claimed by two entries"),
    # every entry says why it reads as it does
    ([row("Krim", "Crimea", kind="name", note="")], 2, "empty note cell"),
    # required cells the reader needs
    ([row("Krim", "", kind="name")], 2, "empty target cell"),
    # malformed rows are reported, not raised
    (["Krim\tCrimea"], 2, "expected 8 tab-separated cells, found 2"),
    # an unknown kind is reported like any other row problem
    ([row("Krim", "Crimea", kind="place")], 2, "unknown kind 'place'"),
    # a form both allowed and forbidden in one entry
    (
        [row("Kiev", "Kyiv", kind="name", tv="Kiev", forbidden="Kiev")],
        2,
        "'Kiev' is forbidden but the allowed 'Kiev' (this entry)",
    ),
    # a forbidden form inside an allowed one flags every correct translation
    (
        [row("Oekraïne", "Ukraine", kind="name", tv="the Ukraine war", forbidden="the Ukraine")],
        2,
        "'the Ukraine' is forbidden but the allowed 'the Ukraine war'",
    ),
    # across entries: what one entry allows, another must not forbid
    (
        [row("a", "Union State", kind="name"), row("b", "x", forbidden="Union State")],
        3,
        "allowed 'Union State' (line 2)",
    ),
    # a term's allowed forms count in any case, so a case-variant forbidden form clashes
    ([row("vazalstaat", "vassal state", forbidden="Vassal State")], 2, "'Vassal State'"),
    # the file is kept sorted so diffs stay small
    ([row("b", "x"), row("a", "y")], 3, "out of order: 'a' sorts before 'b' (line 2)"),
    # invisible whitespace makes a term never match
    ([row("Krim ", "Crimea", kind="name")], 2, "whitespace at the edge of the source cell"),
    (
        [row("Krim", "Crimea", kind="name", tv="Crimea's| the Crimea")],
        2,
        "whitespace around 'the Crimea' in the target_variants cell",
    ),
    # a doubled bar leaves an empty variant
    (
        [row("Krim", "Crimea", kind="name", tv="Crimea's||x")],
        2,
        "empty item in the target_variants",
    ),
    # a blank line is not an entry
    ([row("a", "x"), "", row("b", "y")], 3, "blank line"),
    # Regression: `oorlog → war` and `oorlog → conflict` loaded, and review then flagged
    # the text for following the other entry; the reader refuses it with the same words
    (
        [row("oorlog", "war"), row("oorlog", "conflict")],
        3,
        "conflicting English for the Dutch term 'oorlog': 'conflict' here, 'war' at line 2",
    ),
    # the same line twice is a copy-paste slip, refused like at load
    ([row("Krim", "Crimea", "name"), row("Krim", "Crimea", "name")], 3, "repeats line 2 exactly"),
    # Regression: a one-letter term "e" matched Dutch "en" as its plural, and lint said nothing
    ([row("e", "and")], 2, "Dutch term 'e' is shorter than 2 letters"),
    ([row("e", "and")], 2, "would also match the common word 'en'"),
    # a two-letter term can still make a function word by rule: "ee" + n = "een"
    ([row("ee", "ee")], 2, "Dutch term 'ee' would also match the common word 'een'"),
    # a function word itself as a term matches in every sentence
    ([row("het", "the")], 2, "Dutch term 'het' is the function word 'het'"),
    # one-letter English is as degenerate: "x" as a forbidden rendering flags everything
    ([row("kruis", "cross", forbidden="x")], 2, "forbidden English term 'x' is shorter than 2"),
    # a variant repeating the headword is listed twice
    ([row("Navo", "NATO", kind="name", sv="NAVO")], 2, "'NAVO' is listed twice in this entry"),
    # an English variant repeating the target is listed twice
    (
        [row("Navo", "NATO", kind="name", tv="NATO")],
        2,
        "allowed English form 'NATO' is listed twice",
    ),
]


@pytest.mark.parametrize(("rows", "line", "message"), CASES)
def test_each_rule_reports_file_line_and_message(
    tmp_path: Path, rows: list[str], line: int, message: str
) -> None:
    problems = lint(tmp_path, *rows)
    assert any(p.line == line and message in p.message for p in problems), problems


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    problems = lint(
        tmp_path,
        row("brood", "bread"),
        "broken",
        row("appel", "apple", kind="thing"),
        row("citroen", "lemon", note=""),
    )
    assert [p.line for p in problems] == [3, 4, 5]


def test_a_bad_header_is_one_problem_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\nKrim\tCrimea\n", encoding="utf-8")
    [problem] = lint_glossary(path)
    assert str(problem).startswith(f"{path}:1: bad header")


def test_a_missing_file_raises(tmp_path: Path) -> None:
    # nothing to lint: the CLI turns this into one line and exit 1
    with pytest.raises(UserError, match="no such file"):
        lint_glossary(tmp_path / "absent.tsv")


def test_problem_prints_as_file_line_message() -> None:
    assert str(Problem("g.tsv", 7, "duplicate")) == "g.tsv:7: duplicate"


def test_a_clean_file_has_no_problems(tmp_path: Path) -> None:
    rows = row("aap", "monkey"), row("Beek", "Beek", kind="name"), row("citroen", "lemon")
    assert lint(tmp_path, *rows) == []


def test_the_curated_glossary_lints_clean() -> None:
    assert lint_glossary(REPO / "glossary" / "nl-en.tsv") == []
