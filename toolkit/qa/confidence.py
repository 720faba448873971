"""The engine's confidence in a sentence as a mean log-probability per token.

Engines report `Hypothesis.score` as that mean (`toolkit.engines.base`), so a sentence the
engine wrote as it stands carries its value already. A sentence enforcement changed (or one
without a score) is asked of an engine that can score a given target (`ScoringEngine`, e.g.
Argos via CTranslate2 `score_batch`): only those are rescored, which keeps the QA stage's
cost a fraction of decoding instead of a fifth of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from toolkit.document import Paragraph
from toolkit.engines.base import EngineSettings
from toolkit.engines.base import mean_log_prob as mean_log_prob


@runtime_checkable
class ScoringEngine(Protocol):
    """An engine that gives its mean log-probability per token of a given target."""

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]: ...


@runtime_checkable
class ConfiguredEngine(Protocol):
    """An engine built from `EngineSettings` (its output cap is `max_decoding_length`)."""

    settings: EngineSettings


def decoding_cap(engine: object) -> int | None:
    """The engine's cap on output tokens, None when it has no settings."""
    return engine.settings.max_decoding_length if isinstance(engine, ConfiguredEngine) else None


def rescore(paragraphs: Iterable[Paragraph], engine: object) -> dict[tuple[str, str], float] | None:
    """(Dutch, English) → the engine's mean log-probability per token, for every sentence
    whose English is not the engine's own scored output (enforcement changed it, or it has
    no score), each distinct pair scored once; None when the engine cannot score."""
    if not isinstance(engine, ScoringEngine):
        return None
    pairs = list(
        dict.fromkeys(
            (s.source, s.target)
            for p in paragraphs
            for s in p.sentences
            if s.target and (s.score is None or s.target != s.engine_target)
        )
    )
    if not pairs:
        return {}
    values = engine.score([source for source, _ in pairs], [target for _, target in pairs])
    return dict(zip(pairs, values, strict=True))


def sentence_log_probs(
    paragraph: Paragraph, *, rescored: Mapping[tuple[str, str], float] | None = None
) -> list[float]:
    """The mean log-probability per token of each sentence with an engine value.

    From `rescored` (see `rescore`) where the English was rescored, else `Sentence.score`,
    which engines report as a mean per token already.
    """
    means = []
    for sentence in paragraph.sentences:
        if rescored is not None and (sentence.source, sentence.target) in rescored:
            means.append(rescored[sentence.source, sentence.target])
        elif sentence.score is not None and sentence.target:
            means.append(sentence.score)
    return means
