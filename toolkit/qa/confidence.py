"""The engine's confidence in a sentence as a mean log-probability per token.

An engine that can score a given target (`ScoringEngine`, e.g. Argos via CTranslate2
`score_batch`) is asked for the final English itself, so post-edited and enforced
sentences get a value too. Otherwise it comes from `Sentence.score`: CTranslate2
returns the summed token log-probabilities divided by `length ** length_penalty` (the
end-of-sentence token counted when decoding stopped on one), which `mean_log_prob`
undoes; an engine that declares no length penalty is taken to return the plain sum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from toolkit.document import Paragraph
from toolkit.engines.base import EngineSettings
from toolkit.qa.base import estimate_tokens


@runtime_checkable
class LengthPenalisedEngine(Protocol):
    """An engine whose scores are summed log-probabilities / length ** `length_penalty`."""

    length_penalty: float


@runtime_checkable
class ScoringEngine(Protocol):
    """An engine that gives its mean log-probability per token of a given target."""

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]: ...


@runtime_checkable
class ConfiguredEngine(Protocol):
    """An engine built from `EngineSettings` (its output cap is `max_decoding_length`)."""

    settings: EngineSettings


def length_penalty(engine: object) -> float:
    """The exponent the engine divides its scores by; 0 (a plain sum) when it declares none."""
    return float(engine.length_penalty) if isinstance(engine, LengthPenalisedEngine) else 0.0


def decoding_cap(engine: object) -> int | None:
    """The engine's cap on output tokens, None when it has no settings."""
    return engine.settings.max_decoding_length if isinstance(engine, ConfiguredEngine) else None


def rescore(paragraphs: Iterable[Paragraph], engine: object) -> dict[tuple[str, str], float] | None:
    """(Dutch, English) → the engine's mean log-probability per token, for every sentence
    with a target, each distinct pair scored once; None when the engine cannot score."""
    if not isinstance(engine, ScoringEngine):
        return None
    pairs = list(
        dict.fromkeys((s.source, s.target) for p in paragraphs for s in p.sentences if s.target)
    )
    if not pairs:
        return {}
    values = engine.score([source for source, _ in pairs], [target for _, target in pairs])
    return dict(zip(pairs, values, strict=True))


def mean_log_prob(score: float, tokens: int, length_penalty: float = 0.0) -> float:
    """The mean log-probability per token of a hypothesis scored `score` over `tokens` tokens.

    Checked against CTranslate2 4.x `score_batch` (greedy and beam, penalties 0, 0.2, 1):
    score = sum / tokens ** length_penalty, so the mean is score * tokens ** (penalty - 1).
    """
    n = max(tokens, 1)
    return score * n ** (length_penalty - 1)


def sentence_log_probs(
    paragraph: Paragraph,
    *,
    length_penalty: float = 0.0,
    max_decoding_length: int | None = None,
    count_tokens: Callable[[str], int] | None = None,
    rescored: Mapping[tuple[str, str], float] | None = None,
) -> list[float]:
    """The mean log-probability per token of each sentence with an engine value.

    From `rescored` (see `rescore`) where given, else converted from `Sentence.score`.
    Without `count_tokens` the English is counted with `estimate_tokens`, a lower bound on
    SentencePiece pieces: the mean then errs on the low (riskier) side, by the factor
    (true / estimated tokens) ** (1 - length_penalty). A sentence that fills the cap was cut
    off, so no end-of-sentence token was scored.
    """
    count = count_tokens or estimate_tokens
    means = []
    for sentence in paragraph.sentences:
        if rescored is not None and (sentence.source, sentence.target) in rescored:
            means.append(rescored[sentence.source, sentence.target])
            continue
        if sentence.score is None or not sentence.target:
            continue
        tokens = count(sentence.target)
        if max_decoding_length is None or tokens < max_decoding_length:
            tokens += 1  # the end-of-sentence token, scored too
        means.append(mean_log_prob(sentence.score, tokens, length_penalty))
    return means
