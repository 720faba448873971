"""The learned risk score: the fitted weights load as data, garbage lands high with conviction,
good English low, and the cases observed on the samples are flagged.

The weights are refitted (`benchmarks/fit_risk.py`), so these tests assert what must hold of
any fit (orders, bounds, the conviction targets), and the arithmetic on a model made here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qa_paragraphs import paragraph, sentences

from toolkit.document import TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.qa import QAFlag, risk_score, run_checks
from toolkit.qa.risk import (
    FEATURES,
    HIGH_RISK,
    LogisticWeights,
    RiskModel,
    bundled_risk_model,
    load_risk_model,
    risk_features,
)

GOOD = ("Klik op OK om het dialoogvenster te sluiten.", "Click OK to close the dialog.")


def term(outcome: TermOutcome) -> TermMatch:
    return TermMatch("vazalstaat", "vassal state", "vazalstaat", 0, 10, outcome=outcome)


def made(weights: dict[str, float], bias: float) -> RiskModel:
    fitted = LogisticWeights(weights={n: weights.get(n, 0.0) for n in FEATURES}, bias=bias)
    return RiskModel(with_confidence=fitted, without_confidence=fitted)


def test_the_score_is_a_sigmoid_of_a_dot_product() -> None:
    given = paragraph(*GOOD)
    # no feature weighed: sigmoid(0) = 50; sigmoid(ln 3) = 75
    assert risk_score(given, [], -0.3, model=made({}, 0.0)) == 50
    model = made({"flags_numbers": 1.0}, 0.0986)  # ln 3 = 1.0986
    assert risk_score(given, [QAFlag("numbers", "x")], -0.3, model=model) == 75
    # counts are capped: a third flag of one check says nothing more
    three = [QAFlag("numbers", str(i)) for i in range(3)]
    assert risk_score(given, three, -0.3, model=model) == risk_score(
        given, three[:2], -0.3, model=model
    )


def test_a_model_without_confidence_serves_english_the_engine_did_not_score() -> None:
    sure = LogisticWeights(weights=dict.fromkeys(FEATURES, 0.0), bias=-5.0)
    unsure = LogisticWeights(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0)
    model = RiskModel(with_confidence=sure, without_confidence=unsure)
    given = paragraph(*GOOD)
    assert (risk_score(given, [], -0.2, model=model), risk_score(given, [], model=model)) == (1, 99)
    assert risk_score(given, [], [], model=model) == 99  # an empty list is no confidence


def test_the_bundled_weights_load_and_name_every_feature() -> None:
    model = bundled_risk_model()
    for fitted in (model.with_confidence, model.without_confidence):
        assert set(fitted.weights) == set(FEATURES)
    # evidence of trouble only raises the risk; confidence only lowers it
    for name, weight in model.with_confidence.weights.items():
        assert weight <= 0 if name.startswith("log_prob") else weight >= 0, name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # not JSON
        ("{", "cannot read the risk weights"),
        # a feature missing
        (json.dumps({"with_confidence": {"bias": 0, "weights": {}}}), "incomplete"),
        # a weight that is not a number
        (json.dumps({k: {"bias": 0, "weights": dict.fromkeys(FEATURES, "1")}
                     for k in ("with_confidence", "without_confidence")}), "not numbers"),
        # NaN written by a fit that did not converge
        (json.dumps({k: {"bias": float("nan"), "weights": dict.fromkeys(FEATURES, 0)}
                     for k in ("with_confidence", "without_confidence")}), "not numbers"),
    ],
)  # fmt: skip
def test_broken_weights_are_refused_in_one_line(tmp_path: Path, content, message) -> None:
    path = tmp_path / "risk_weights.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_risk_model(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
    assert "fit_risk.py" in str(caught.value) and "\n" not in str(caught.value)


# (Dutch, English, the engine's mean log-probability per token or None): garbage the
# bundled model wrote, or the kinds a model that fails on a text writes
GARBAGE = [
    # the heading of the samples, as the bundled model wrote it (issue 21), with its
    # confidence as the bundled model scores that English
    ("Geen aantrekkelijk vooruitzicht", "No quideququenenens", -3.0),
    # two sentences in, one made-up word out (issue 21: it scored 30)
    ("Poetin bezocht Loekasjenko in Minsk. Het was een kort bezoek.", "Pochchasases Min.", -2.8),
    # a letter loop
    ("Daags ervoor werd een overeenkomst getekend.", "Misisisisisisisisis.", -2.2),
    # a phrase loop
    ("Hij ging naar huis.", "He went to the the the the the the the the the the", -1.6),
]


@pytest.mark.parametrize(("dutch", "english", "log_prob"), GARBAGE)
def test_garbage_lands_high_with_conviction(dutch: str, english: str, log_prob: float) -> None:
    given = paragraph(dutch, english)
    assert risk_score(given, run_checks(given), log_prob) >= 70


def test_copied_dutch_is_high_risk_even_without_the_engines_confidence() -> None:
    # review status reads files: no confidence; the untranslated check must carry it
    given = paragraph("Het regende de hele dag in Utrecht.", "Het regende de hele dag in Utrecht.")
    flags = run_checks(given)
    assert [f.check for f in flags] == ["untranslated"]
    assert risk_score(given, flags) >= HIGH_RISK


def test_good_english_from_a_confident_engine_is_low_risk() -> None:
    given = paragraph(*GOOD)
    assert run_checks(given) == []
    assert risk_score(given, [], -0.25) <= 20
    # less confident, more risk: the order holds for any fit
    assert (
        risk_score(given, [], -0.25) <= risk_score(given, [], -1.0) <= risk_score(given, [], -3.0)
    )


def test_more_evidence_never_lowers_the_risk() -> None:
    given = paragraph("Een vazalstaat.", "A vassal state.", terms=[term(TermOutcome.MISSING)])
    kept = paragraph("Een vazalstaat.", "A vassal state.", terms=[term(TermOutcome.KEPT)])
    assert risk_score(given, [], -0.5) >= risk_score(kept, [], -0.5)
    flag = QAFlag("numbers", "1.000 in the Dutch has no 1,000")
    assert risk_score(kept, [flag], -0.5) >= risk_score(kept, [], -0.5)


def test_features_see_stutter_loops_and_dutch() -> None:
    garbage = risk_features(paragraph("Geen aantrekkelijk vooruitzicht", "No quideququenenens"), [])
    assert (garbage["stutter"], garbage["letter_loop"]) == (1, 1.0)  # "ququ"; "enenen"
    looped = risk_features(paragraph("Iets.", "Misisisisisis."), [])
    assert looped["letter_loop"] == 1.0
    # English words that repeat a chunk by nature are no stutter
    fine = risk_features(paragraph("Een banaan.", "A banana in Mississippi."), [])
    assert (fine["stutter"], fine["letter_loop"]) == (0, 0.0)
    copied = risk_features(paragraph("Het regende hier.", "Het regende hier."), [])
    assert copied["copied_words"] == 1.0 and copied["dutch_words"] > 0
    # a glossary violation found by review status counts as a missing term
    flagged = risk_features(paragraph("Een vazalstaat.", "A vazal state."), [QAFlag("terms", "x")])
    assert flagged["terms_missing"] == 1


def test_two_sentences_shrunk_to_one_word_are_not_moderate() -> None:
    # issue 21: "Pochchasases Min." for two sentences scored 30 under the hand weights
    given = sentences(["Poetin bezocht Loekasjenko in Minsk.", "Het was een kort bezoek."],
                      "Pochchasases Min.")  # fmt: skip
    assert risk_score(given, run_checks(given), [-2.8]) >= 70
