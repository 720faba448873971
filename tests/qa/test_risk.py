"""The risk score: 0 without evidence, ordered missing > repaired > kept, bounded at 100."""

from __future__ import annotations

import pytest
from qa_paragraphs import paragraph

from toolkit.document import TermMatch, TermOutcome
from toolkit.qa import QAFlag, risk_score


def term(outcome: TermOutcome) -> TermMatch:
    return TermMatch("vazalstaat", "vassal state", "vazalstaat", 0, 10, outcome=outcome)


def scored(outcomes=(), flags=(), log_prob=None) -> int:  # type: ignore[no-untyped-def]
    given = paragraph("Een vazalstaat.", "A vassal state.", terms=[term(o) for o in outcomes])
    return risk_score(given, list(flags), log_prob)


DROPPED = QAFlag("dropped", "the English is empty")
STYLE = QAFlag("punctuation", "a space before '.' in the English")

CASES = [
    # no evidence at all: nothing to review
    ({}, 0),
    # a kept term is no risk
    ({"outcomes": [TermOutcome.KEPT]}, 0),
    # repaired: enforcement stepped in
    ({"outcomes": [TermOutcome.REPAIRED]}, 10),
    # missing weighs most of the term outcomes
    ({"outcomes": [TermOutcome.MISSING]}, 40),
    # evidence adds up by noisy-OR: 1 - 0.6 * 0.9
    ({"outcomes": [TermOutcome.MISSING, TermOutcome.REPAIRED]}, 46),
    # a content flag outweighs a style flag
    ({"flags": [DROPPED]}, 45),
    ({"flags": [STYLE]}, 10),
    # a flag from a check outside the registry still counts
    ({"flags": [QAFlag("terminology", "x")]}, 20),
    # a confident engine adds nothing, a hopeless one 60
    ({"log_prob": -0.2}, 0),
    ({"log_prob": -1.2}, 30),
    ({"log_prob": -5.0}, 60),
    # per sentence, the worst sentence counts
    ({"log_prob": [-0.1, -1.2, -0.3]}, 30),
    # everything at once stays within 100
    ({"outcomes": [TermOutcome.MISSING] * 6, "flags": [DROPPED] * 4, "log_prob": -9.0}, 100),
]


@pytest.mark.parametrize(("evidence", "expected"), CASES)
def test_risk_score(evidence: dict, expected: int) -> None:  # type: ignore[type-arg]
    assert scored(**evidence) == expected


def test_weights_can_be_given() -> None:
    # a caller tuning weights per check replaces the registry's
    assert scored(flags=[STYLE]) == 10
    given = paragraph("Een vazalstaat.", "A vassal state.")
    assert risk_score(given, [STYLE], weights={"punctuation": 0.5}) == 50
