"""A paragraph's risk score, 0-100: how much it needs a reviewer's eyes.

The score is a logistic model fitted on translated, referenced data, not weights chosen by
hand: the paragraph's evidence becomes the numbers in `FEATURES` (`risk_features`), and
risk = round(100 * sigmoid(bias + sum(weight * feature))). The weights are data,
`risk_weights.json` beside this module, written by `python benchmarks/fit_risk.py` on the
reference corpus' dev split (the outcome is sentence chrF against the human English), so a
refit changes no code. Inference is a dot product: no numpy at run time.

The evidence: the engine's confidence (mean log-probability per token: the worst sentence
and the mean); each QA check's flags, counted; glossary occurrences missing or repaired
(a `terms` flag, from `review status`, counts as missing); the length of the English
against the Dutch; made-up words that stutter (`quideququenenens`), letters in a loop
(`Misisisisis`) and the share of words in a looped phrase; Dutch words and words copied
from the Dutch in the English. Two models are fitted: one for English with the engine's
confidence (a translate run) and one without it (a file read back by `review status`, an
engine that cannot score). Evidence of trouble
only ever raises the risk: the fit keeps such a weight at zero rather than let it lower it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.document import Paragraph, TermOutcome
from toolkit.errors import UserError
from toolkit.lang.en import STUTTERING_WORDS
from toolkit.lang.nl import looks_dutch
from toolkit.qa.base import QAFlag
from toolkit.qa.repetition import repeats

WEIGHTS_FILE = Path(__file__).with_name("risk_weights.json")
# A paragraph at or above this is counted and shown as high risk (the report, the HTML page).
HIGH_RISK = 40
HELD = "held: "  # how the note on a paragraph held back for translation by hand begins
TERM_CHECK = "terms"  # the flag name of a glossary violation found by `review status`
CHECKED = ("dropped", "untranslated", "numbers", "verbatim", "repetition", "punctuation")
FEATURES = (
    "log_prob_worst",
    "log_prob_mean",
    *(f"flags_{name}" for name in CHECKED),
    "flags_other",
    "terms_missing",
    "terms_repaired",
    "length_short",
    "length_long",
    "stutter",
    "letter_loop",
    "looped_words",
    "dutch_words",
    "copied_words",
)
LOG_PROB_FLOOR = -6.0  # a mean log-probability per token below this says nothing more
FLAG_CAP, TERM_CAP = 2, 3  # counts above these say nothing more
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# a chunk of 2-4 letters at once repeated inside a word: "ququ", "enen", "chch", "sasa"
STUTTER = re.compile(r"([^\W\d_]{2,4})\1", re.IGNORECASE)
# a chunk of 1-3 letters three times or more in a row, 6 letters at least: "isisisis"
LETTER_LOOP = re.compile(r"([^\W\d_]{1,3})\1{2,}", re.IGNORECASE)


@dataclass(frozen=True)
class LogisticWeights:
    """One fitted logistic model: a weight per feature and a bias, on the log-odds scale."""

    weights: Mapping[str, float]
    bias: float

    def score(self, features: Mapping[str, float]) -> int:
        z = self.bias + sum(self.weights[name] * features[name] for name in FEATURES)
        return round(100 * _sigmoid(z))


@dataclass(frozen=True)
class RiskModel:
    """The fitted models: one for English the engine gave its confidence for (the translate
    run), one for English without it (a file read back, an engine that cannot score)."""

    with_confidence: LogisticWeights
    without_confidence: LogisticWeights


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def load_risk_model(path: Path = WEIGHTS_FILE) -> RiskModel:
    """Read the fitted weights; a file that is not what `fit_risk.py` writes is refused."""
    fix = "restore it from git or refit with `python benchmarks/fit_risk.py`"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"cannot read the risk weights ({error}); {fix}", path=path) from None
    try:
        models = [
            LogisticWeights(
                weights={name: _number(data[key]["weights"][name]) for name in FEATURES},
                bias=_number(data[key]["bias"]),
            )
            for key in ("with_confidence", "without_confidence")
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise UserError(
            f"risk weights incomplete or not numbers ({error!r}); {fix}", path=path
        ) from None
    return RiskModel(*models)


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)


@cache
def bundled_risk_model() -> RiskModel:
    return load_risk_model(WEIGHTS_FILE)


def risk_features(
    paragraph: Paragraph,
    flags: Sequence[QAFlag],
    log_prob: float | Sequence[float] | None = None,
) -> dict[str, float]:
    """The paragraph's evidence as the numbers the model weighs (see `FEATURES`).

    `log_prob` is the engine's mean log-probability per token, one per sentence; without
    it both confidence features are 0 (the model without confidence does not weigh them).
    """
    values = confidences(log_prob)
    worst = mean = 0.0
    if values:
        clamped = [max(LOG_PROB_FLOOR, min(0.0, v)) for v in values]
        worst, mean = min(clamped), sum(clamped) / len(clamped)
    features = {"log_prob_worst": worst, "log_prob_mean": mean}
    counts = dict.fromkeys(CHECKED, 0)
    other = missing_flags = 0
    for flag in flags:
        if flag.check in counts:
            counts[flag.check] += 1
        elif flag.check == TERM_CHECK:
            missing_flags += 1
        else:
            other += 1
    for name, count in counts.items():
        features[f"flags_{name}"] = min(count, FLAG_CAP)
    features["flags_other"] = min(other, FLAG_CAP)
    outcomes = [term.outcome for term in paragraph.terms]
    missing = outcomes.count(TermOutcome.MISSING) + missing_flags
    features["terms_missing"] = min(missing, TERM_CAP)
    features["terms_repaired"] = min(outcomes.count(TermOutcome.REPAIRED), TERM_CAP)
    source, target = paragraph.source.strip(), paragraph.target.strip()
    ratio = math.log((len(target) + 1) / (len(source) + 1))
    features["length_short"] = max(0.0, -ratio)
    features["length_long"] = max(0.0, ratio)
    english = WORD.findall(target)
    dutch = {w.lower() for w in WORD.findall(source)}
    long_words = [w for w in english if len(w) >= 5 and w.lower() not in STUTTERING_WORDS]
    features["stutter"] = min(sum(1 for w in long_words if STUTTER.search(w)), TERM_CAP)
    features["letter_loop"] = float(any(len(m.group()) >= 6 for m in LETTER_LOOP.finditer(target)))
    share = 1 / max(len(english), 1)
    looped = sum(len(phrase.split()) * times for phrase, times in repeats(target) if times >= 3)
    features["looped_words"] = min(1.0, share * looped)
    features["dutch_words"] = share * sum(1 for w in english if looks_dutch(w))
    content = [w for w in english if len(w) >= 4]
    features["copied_words"] = sum(1 for w in content if w.lower() in dutch) / max(len(content), 1)
    return features


def risk_score(
    paragraph: Paragraph,
    flags: Sequence[QAFlag],
    log_prob: float | Sequence[float] | None = None,
    *,
    model: RiskModel | None = None,
) -> int:
    """The paragraph's risk, 0-100, from its flags, term outcomes, engine confidence and
    English, by the fitted model (`risk_weights.json` unless `model` is given)."""
    if not paragraph.target.strip():
        return 100 if paragraph.source.strip() else 0  # nothing to review is no English at all
    model = model or bundled_risk_model()
    fitted = model.with_confidence if confidences(log_prob) else model.without_confidence
    return fitted.score(risk_features(paragraph, flags, log_prob))


def confidences(log_prob: float | Sequence[float] | None) -> list[float]:
    """The engine's values as a list; empty where it gave none."""
    return [log_prob] if isinstance(log_prob, int | float) else list(log_prob or [])
