"""A paragraph's risk score, 0-100: how much it needs a reviewer's eyes.

Every piece of evidence i is a chance p_i that the paragraph is wrong, and the
score is their noisy-OR, score = round(100 * (1 - prod(1 - p_i))), so evidence adds
up, never passes 100, and no evidence is 0. The evidence:

- each QA flag: its check's weight (`Check.weight`: dropped and untranslated 0.45,
  numbers and repetition 0.35, verbatim 0.30, punctuation 0.10);
- each glossary occurrence: missing 0.40, repaired 0.10 (enforcement had to step in,
  so the sentence around it was rebuilt), kept 0;
- the engine's length-normalised log-probability lp (mean log-probability per
  token; per sentence, the worst counts): p = 0.6 * clamp((-0.4 - lp) / 1.6, 0, 1),
  so lp >= -0.4 adds nothing and lp <= -2.0 adds 0.6. `None` where the engine has none.

The weights are judgement, not fitted: no reviewed machine output was at hand to fit
them on. Their order is the design: a missing term or lost content outranks style.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from toolkit.document import Paragraph, TermOutcome
from toolkit.qa.base import QAFlag

TERM_WEIGHTS = {TermOutcome.MISSING: 0.40, TermOutcome.REPAIRED: 0.10, TermOutcome.KEPT: 0.0}
UNKNOWN_CHECK_WEIGHT = 0.20  # a flag from a check outside the registry still counts
CONFIDENT_LOG_PROB = -0.4  # mean log-probability per token at or above which nothing is added
HOPELESS_LOG_PROB = -2.0
LOG_PROB_WEIGHT = 0.6
# A paragraph at or above this has at least one serious finding (a missing term 40, a dropped
# or untranslated sentence 45) or several lesser ones: the report counts it as high risk.
HIGH_RISK = 40
HELD = "held: "  # how the note on a paragraph held back for translation by hand begins


def risk_score(
    paragraph: Paragraph,
    flags: Sequence[QAFlag],
    log_prob: float | Sequence[float] | None = None,
    *,
    weights: Mapping[str, float] | None = None,
) -> int:
    """The paragraph's risk, 0-100, from its flags, term outcomes and engine confidence.

    `weights` maps check names to flag weights; by default each registered check's own.
    """
    if weights is None:
        from toolkit.qa.registry import CHECKS  # loaded on use: the checks are not needed here

        weights = {name: check.weight for name, check in CHECKS.items()}
    chances = [weights.get(flag.check, UNKNOWN_CHECK_WEIGHT) for flag in flags]
    chances += [TERM_WEIGHTS.get(term.outcome, 0.0) for term in paragraph.terms]
    chances.append(log_prob_chance(log_prob))
    untroubled = math.prod(1 - min(1.0, max(0.0, p)) for p in chances)
    return round(100 * (1 - untroubled))


def log_prob_chance(log_prob: float | Sequence[float] | None) -> float:
    """The chance contributed by the engine's confidence; 0 when it gave none."""
    if log_prob is None:
        return 0.0
    values = [log_prob] if isinstance(log_prob, int | float) else list(log_prob)
    if not values:
        return 0.0
    worst = min(values)
    share = (CONFIDENT_LOG_PROB - worst) / (CONFIDENT_LOG_PROB - HOPELESS_LOG_PROB)
    return LOG_PROB_WEIGHT * min(1.0, max(0.0, share))
