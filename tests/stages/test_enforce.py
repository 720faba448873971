"""The enforce stage on the scripted engine: every NMT failure mode is repaired or flagged."""

from __future__ import annotations

import pytest

from toolkit.document import TermOutcome
from toolkit.engines.scripted import ScriptedEngine
from toolkit.glossary.check import check_terms, required_forms, term_accuracy
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.qa import is_qa_flag
from toolkit.segment import segment_text
from toolkit.stages.process import process
from toolkit.stages.settings import StageSettings

N = TermKind.NAME
ENTRIES = [
    Entry(
        "vazalstaat",
        "vassal state",
        target_variants=("vassal states",),
        forbidden=("vazal state", "vazal states"),
    ),
    Entry("Uniestaat", "Union State", forbidden=("union state",)),
    Entry("denazificatie", "denazification"),
    Entry(
        "Loekasjenko",
        "Lukashenko",
        N,
        target_variants=("Lukashenko's",),
        forbidden=("Loekasjenko",),
    ),
    Entry("Poetin", "Putin", N, target_variants=("Putin's",), forbidden=("Poetin",)),
    Entry("Kiev", "Kyiv", N, forbidden=("Kiev",)),
    Entry("Kaliningrad", "Kaliningrad", N),
    Entry("kernwapen", "nuclear weapon", target_variants=("nuclear weapons",)),
    Entry("Oekraïne", "Ukraine", N),
]


def _term_flags(paragraph) -> list[str]:
    """The enforcement's flags; the QA stage adds its own (the scripted engine copies Dutch)."""
    return [flag for flag in paragraph.flags if not is_qa_flag(flag)]


def _run(text: str, engine=None):
    settings = StageSettings(Glossary(entries=ENTRIES))
    [document] = process([segment_text(text, "doc")], engine or ScriptedEngine(), settings)
    return document


@pytest.mark.parametrize(
    ("source", "expected_in_target", "outcome", "step"),
    [
        # correct from the start: kept, no step
        ("Oekraïne werd aangevallen.", "Ukraine", TermOutcome.KEPT, ""),
        # literal rendering; the second hypothesis is right
        ("Belarus is een vazalstaat.", "vassal state", TermOutcome.REPAIRED, "n-best"),
        # Dutch name copied through; injecting Putin into the source fixes it
        ("Toen sprak Poetin.", "Putin", TermOutcome.REPAIRED, "n-best"),
        # a genitive name: the possessive English form is injected
        ("Poetins doel is duidelijk.", "Putin's", TermOutcome.REPAIRED, "inject"),
        # a dropped term comes back through injection
        ("Het kernwapen is klaar.", "nuclear weapon", TermOutcome.REPAIRED, "inject"),
        # the wrong number: singular for a plural; hypothesis two has the plural
        ("Er zijn kernwapens.", "nuclear weapons", TermOutcome.REPAIRED, "n-best"),
        # Dutch spelling copied even when injected: post-edit replaces it
        ("Toen kwam Loekasjenko.", "Lukashenko", TermOutcome.REPAIRED, "post-edit"),
        # a literal lowercase rendering that is a forbidden form: post-edit
        ("De Uniestaat bestaat.", "Union State", TermOutcome.REPAIRED, "inject"),
    ],
)
def test_each_failure_mode_is_repaired(source, expected_in_target, outcome, step) -> None:
    document = _run(source)
    [term] = document.paragraphs[0].terms
    assert expected_in_target in document.paragraphs[0].target
    assert (term.outcome, term.step) == (outcome, step)
    assert not _term_flags(document.paragraphs[0])


class StubbornEngine(ScriptedEngine):
    """Drops the term however it is asked: enforcement must flag, not guess."""

    script = {"kaliningrad": ("",), "vazalstaat": ("vazal state",)}

    def translate_suppressing(self, sources, banned):
        return self.translate(sources)


def test_an_unrepairable_term_is_flagged_with_the_reason() -> None:
    document = _run("Het ligt in Kaliningrad.", StubbornEngine())
    [term] = document.paragraphs[0].terms
    assert term.outcome is TermOutcome.MISSING
    assert "Kaliningrad" not in document.paragraphs[0].target
    assert _term_flags(document.paragraphs[0]) == [
        "term 'Kaliningrad' needs 'Kaliningrad'; not in the translation "
        "(no allowed rendering in the engine output)"
    ]


def test_no_term_is_inserted_where_the_source_has_none() -> None:
    document = _run("Hier staat geen enkele term.")
    assert document.paragraphs[0].target == "Hier staat geen enkele term."
    assert not document.paragraphs[0].terms


def test_two_occurrences_need_two_renderings() -> None:
    document = _run("Poetin zei dat Poetin gelijk had.")
    assert document.paragraphs[0].target.count("Putin") == 2
    assert [t.outcome for t in document.paragraphs[0].terms] == [TermOutcome.REPAIRED] * 2


@pytest.mark.parametrize(
    ("surface", "forms"),
    [
        ("vazalstaat", ("vassal state",)),  # singular wants the singular
        ("vazalstaten", ("vassal states",)),  # plural wants the plural
        # (genitive names are check.py's rule and tested in tests/glossary/test_check.py)
    ],
)
def test_required_forms_follow_number(surface, forms) -> None:
    entry = {"vazalstaat": ENTRIES[0], "vazalstaten": ENTRIES[0]}[surface]
    assert required_forms(entry, surface) == forms


def test_wmt_exact_match_uses_each_output_position_once() -> None:
    poetin = ENTRIES[4]
    # two source occurrences, one rendering: one of two correct
    assert term_accuracy([("Putin spoke.", [(poetin, "Poetin"), (poetin, "Poetin")])]) == (1, 2)
    # a rendering inside another word does not count
    assert term_accuracy([("Putinism.", [(poetin, "Poetin")])]) == (0, 1)
    # a forbidden rendering makes the check fail even when the right form is there
    [check] = check_terms("Putin and Poetin", [(poetin, "Poetin")])
    assert not check.met and check.forbidden_found == ("Poetin",)


def test_scripted_engine_mangles_placeholders() -> None:
    # why enforcement injects English words instead of masking terms
    [translation] = ScriptedEngine().translate(["Dit is __T1__ en ⟦T2⟧."])
    assert "__T1__" not in translation.text and "⟦T2⟧" not in translation.text
