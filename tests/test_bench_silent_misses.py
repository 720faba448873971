"""The independent judge of benchmarks/bench_silent_misses.py on hand-written sentences."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from toolkit.glossary.model import Entry, TermKind

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "judge_terms.py"


@pytest.fixture(scope="module")
def judge_terms():
    spec = importlib.util.spec_from_file_location("judge_terms", _PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("judge_terms", module)
    spec.loader.exec_module(module)
    return module


POETIN = Entry("Poetin", "Putin", TermKind.NAME, ("Putin's",), ("Poetin",), ("Poetins",))
NAVO = Entry("Navo", "NATO", TermKind.NAME, ("NATO's",), ("Navo",))
BELARUS = Entry("Belarus", "Belarus", TermKind.NAME, (), ("White Russia",), ("Wit-Rusland",))
KERNWAPEN = Entry(
    "kernwapen", "nuclear weapon", TermKind.TERM, ("nuclear weapons",), (), ("kernwapens",)
)
CEL = Entry("cel", "cell", TermKind.TERM, ("cells",), (), ("cellen",))
CELBEREIK = Entry("celbereik", "cell range", TermKind.TERM, ("cell ranges",))
BESTAND = Entry("bestand", "file", TermKind.TERM, ("files",), (), ("bestanden",))
ENTRIES = [POETIN, NAVO, BELARUS, KERNWAPEN, CEL, CELBEREIK, BESTAND]


def _statuses(judge_terms, english, occurrences, source=""):
    judge = judge_terms.Judge(ENTRIES)
    found = [judge_terms.Occurrence(entry, surface) for entry, surface in occurrences]
    return [(v.status, v.why) for v in judge.verdicts(english, found, source)]


def test_a_dutch_genitive_needs_the_english_possessive(judge_terms):
    assert _statuses(judge_terms, "Putin's visit", [(POETIN, "Poetins")]) == [("right", "")]
    assert _statuses(judge_terms, "the visit of Putin", [(POETIN, "Poetins")]) == [("right", "")]
    assert _statuses(judge_terms, "Putin visit", [(POETIN, "Poetins")]) == [
        ("wrong", "wrong form 'Putin'")
    ]
    assert _statuses(judge_terms, "Putin's army", [(POETIN, "Poetin")]) == [("right", "")]


def test_nothing_inside_an_address_counts(judge_terms):
    occurrence = [(KERNWAPEN, "kernwapens")]
    url = "See https://example.org/nuclear-weapons and info@nuclear-weapons.org"
    assert _statuses(judge_terms, url + ".", occurrence) == [("wrong", "absent")]
    assert _statuses(judge_terms, url + " on nuclear weapons.", occurrence) == [("right", "")]


def test_a_span_is_credited_once_and_the_longer_term_keeps_its_span(judge_terms):
    twice = [(POETIN, "Poetin"), (POETIN, "Poetin")]
    assert [s for s, _ in _statuses(judge_terms, "Putin met Lukashenko.", twice)] == [
        "right",
        "wrong",
    ]
    both = [(CEL, "cel"), (CELBEREIK, "celbereik")]
    assert [s for s, _ in _statuses(judge_terms, "Pick the cell in the cell range.", both)] == [
        "right",
        "right",
    ]
    assert [s for s, _ in _statuses(judge_terms, "Pick the cell range.", both)] == [
        "wrong",
        "right",
    ]


def test_number_and_forbidden_renderings(judge_terms):
    plural = [(KERNWAPEN, "kernwapens")]
    assert _statuses(judge_terms, "a nuclear weapon", plural) == [
        ("wrong", "wrong form 'nuclear weapon'")
    ]
    assert _statuses(judge_terms, "Belarus, once White Russia", [(BELARUS, "Belarus")]) == [
        ("wrong", "forbidden 'White Russia'")
    ]
    assert judge_terms.dutch_number(KERNWAPEN, "kernwapens") == "plural"
    assert judge_terms.dutch_number(CEL, "cellen") == "plural"


def test_insertions_leave_out_compounds_and_present_entries(judge_terms):
    judge = judge_terms.Judge(ENTRIES)
    found = judge.verdicts("Putin and NATO", [judge_terms.Occurrence(POETIN, "Poetin")], "")
    assert [(kind, text) for kind, text, _ in judge.uncredited("Putin and NATO", found, "")] == [
        ("inserted", "NATO")
    ]
    english = "Enter the file name."
    assert [k for k, _t, _e in judge.uncredited(english, [], "Typ de bestandsnaam.")] == [
        "compound"
    ]


def test_defects_added_by_enforcement(judge_terms):
    added = judge_terms.added_defects
    assert added("Putin's army.", "Putin's's army.") == ["doubled possessive \"n's's\""]
    assert added("the font sizes", "the fonts sizes") == ["plural before a noun 'fonts sizes'"]
    assert added("a pivot chart", "a pivot charts") == ["a/an before a plural 'a pivot charts'"]
    assert added("Table tab tab (data)", "Table toolbar (data data)") == ["doubled word 'data'"]
    # the copied Dutch article was there before: the English is no worse
    assert added("na de inlijving van", "na de annexation van", source="na de inlijving van") == []
    assert added("The same.", "The same.") == []


def test_a_truncated_compound_has_no_number(judge_terms):
    judge = judge_terms.Judge(ENTRIES)
    source = "Geen bestands- of mapnamen."
    part = judge_terms.Occurrence(BESTAND, "bestands", start=source.index("bestands"))
    assert judge.verdicts("No file or folder names.", [part], source)[0].status == "right"
