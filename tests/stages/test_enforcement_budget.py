"""The enforcement budget: a chunk where every term is missed costs a bounded share of extra
decoding, and every term the budget left unrepaired says so in its flag."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from toolkit.document import TermOutcome
from toolkit.engines.base import Hypothesis, Translation
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.model import Entry, Glossary
from toolkit.segment import segment_text
from toolkit.stages.enforce import BUDGET_FLOOR_CHARS, FORCED_COST, STEPS, Enforcer
from toolkit.stages.process import match_terms, process, translate
from toolkit.stages.settings import StageSettings

GLOSSARY = Glossary(entries=[Entry("vazalstaat", "vassal state")])


class CopyingEngine:
    """Copies the Dutch, so no term is ever met, and counts the characters it is asked for.

    `drop` leaves the term out, so that post-edit has nothing to repair either."""

    name = "copying"

    def __init__(self, drop: bool = False) -> None:
        self.drop = drop
        self.decoded: list[str] = []  # every source given to a decode, in order
        self.forced: list[str] = []  # every source given to a forced pass

    def describe(self) -> str:
        return "copying"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        self.decoded.extend(sources)
        texts = [s.replace("vazalstaat", "") if self.drop else s for s in sources]
        return [
            Translation(tuple(Hypothesis(t, -1.0 - i) for i in range(num_hypotheses)))
            for t in texts
        ]

    def translate_suppressing(
        self, sources: Sequence[str], banned: Sequence[str]
    ) -> list[Translation]:
        return self.translate(sources)

    def locate(self, sources, spans, targets) -> list[int | None]:
        self.forced.extend(sources)
        return [start for start, _ in spans]

    def complete(self, sources: Sequence[str], prefixes: Sequence[str]) -> list[Translation]:
        self.decoded.extend(sources)
        # the model takes the forced English back out: nothing is ever met
        return [
            Translation((Hypothesis(p.replace("vassal state", "vazalstaat")),)) for p in prefixes
        ]

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        self.forced.extend(sources)
        return [-1.0] * len(sources)


def _sentences(count: int):
    text = "\n\n".join(
        f"In het jaar {1900 + i} was het land een vazalstaat van een groot rijk in het oosten."
        for i in range(count)
    )
    document = segment_text(text, "doc")
    match_terms([document], TermMatcher(GLOSSARY.entries))
    return document


def _extra_work(
    budget: float | None, count: int = 60, steps: tuple[str, ...] = STEPS
) -> tuple[float, float, object]:
    """(extra decoding work, first decoding work) in source characters, and the document."""
    engine = CopyingEngine()
    document = _sentences(count)
    translate([document], engine, n_best=1)  # no alternatives: n-best must decode too
    first = sum(map(len, engine.decoded))
    engine.decoded.clear()
    Enforcer(GLOSSARY, engine, steps, budget=budget).enforce(document.sentences)
    extra = sum(map(len, engine.decoded)) + FORCED_COST * sum(map(len, engine.forced))
    return extra, first, document


def test_without_a_budget_the_worst_case_costs_several_decodes() -> None:
    extra, first, _ = _extra_work(None)
    assert extra > 3 * first  # n-best, place (two completions), inject, suppress


@pytest.mark.parametrize("budget", [0.5, 0.25, 1.0])
def test_a_budget_caps_the_extra_decoding_at_its_share_of_the_first(budget: float) -> None:
    extra, first, _ = _extra_work(budget)
    assert first > BUDGET_FLOOR_CHARS  # a chunk big enough that the floor plays no part
    assert 0 < extra <= budget * first


def test_a_zero_budget_decodes_nothing_more_and_flags_what_it_skipped() -> None:
    # without post-edit (free, and it would repair the copied Dutch) nothing can meet the term
    extra, _, document = _extra_work(0.0, count=5, steps=STEPS[:-1])
    assert extra == 0
    for term in (t for s in document.sentences for t in s.terms):
        assert term.outcome is TermOutcome.MISSING
        assert "enforcement budget spent before n-best, place, inject, suppress" in term.produced


def test_terms_the_budget_skipped_are_flagged_in_the_paragraph() -> None:
    text = "\n\n".join(
        f"In het jaar {1900 + i} was het land een vazalstaat van een groot rijk." for i in range(40)
    )
    [document] = process(
        [segment_text(text, "doc")], CopyingEngine(drop=True), StageSettings(GLOSSARY)
    )
    flags = [f for p in document.paragraphs for f in p.flags if f.startswith("term ")]
    assert len(flags) == 40  # every miss is flagged, tried or not
    assert any("enforcement budget spent before" in f for f in flags)


def test_a_small_input_gets_the_whole_cascade_despite_the_share() -> None:
    """Below the floor (a paragraph or two) the budget does not cut steps."""
    engine = CopyingEngine()
    [document] = process(
        [segment_text("Het land is een vazalstaat.", "doc")], engine, StageSettings(GLOSSARY)
    )
    [term] = document.paragraphs[0].terms
    # first pass, a completion (placement), then injection: copied, the English meets the term
    assert (term.outcome, term.step) == (TermOutcome.REPAIRED, "inject")
    assert len(engine.decoded) == 3


def test_the_budget_is_part_of_the_glossary_description_and_so_of_cache_keys() -> None:
    half, uncapped = StageSettings(GLOSSARY, 0.5), StageSettings(GLOSSARY, None)
    assert half.describe_glossary() != uncapped.describe_glossary()
    assert "enforcement budget 0.5" in half.describe_glossary()
    assert "enforcement budget none" in uncapped.describe_glossary()
    assert half.signature("engine", cache=True) != uncapped.signature("engine", cache=True)
