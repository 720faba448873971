"""The engine contract: a batch of source sentences in, translations out.

Every engine (Argos, none, scripted, or a third party's class named on the
command line) implements `Engine`. Engines are built from `EngineSettings`,
hold no global state and load their model lazily, so they can be pickled and
shipped to worker processes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


def default_threads() -> int:
    """All cores this process may use: CTranslate2's parallel batch workers."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class EngineSettings:
    """Decoding and resource settings, shared by every engine that cares."""

    from_code: str = "nl"
    to_code: str = "en"
    models_dir: str | None = None  # None: Argos's own package folder
    model: str | None = None  # an installed package's name; None: the default model
    beam_size: int = 4
    # One single-threaded worker per core, each on its own batch of 16: measured 1.46x the
    # speed of one two-threaded worker on 64 and a third less memory (benchmarks/bench_threads.py).
    inter_threads: int = field(default_factory=default_threads)
    intra_threads: int = 1
    compute_type: str = "auto"
    max_batch_size: int = 16  # sentences per CTranslate2 batch
    max_decoding_length: int = 256
    max_input_length: int = 1024  # tokens; longer sentences are truncated by CTranslate2
    # an output that loops is decoded again with no repeated n-gram of this many tokens
    # (0: never); outputs without a loop are untouched (refmodel/decoding_loops.py)
    loop_ngram: int = 3


@dataclass(frozen=True)
class Hypothesis:
    text: str
    # mean log-probability per token (the end-of-sentence token counted) where the engine
    # has one: comparable across lengths and engines, what the QA stage reads as confidence
    score: float | None = None


def mean_log_prob(score: float, tokens: int, length_penalty: float = 0.0) -> float:
    """The mean log-probability per token of a hypothesis CTranslate2 scored `score`.

    CTranslate2 4.x returns sum / tokens ** length_penalty (checked against `score_batch`
    for greedy and beam, penalties 0, 0.2 and 1), so the mean is score * tokens ** (p - 1).
    """
    n = max(tokens, 1)
    return score * math.pow(n, length_penalty - 1)


@dataclass(frozen=True)
class Translation:
    """The n-best list for one source sentence, best first."""

    hypotheses: tuple[Hypothesis, ...]

    @property
    def text(self) -> str:
        return self.hypotheses[0].text if self.hypotheses else ""


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a translation engine."""

    name: str

    def describe(self) -> str:
        """One line naming the engine and model version, for file headers."""
        ...

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        """Translate sentences in one call; results align with `sources`."""
        ...


@dataclass(frozen=True)
class ModelCard:
    """What a model is, in words a reader of the outputs needs: its name, what its package
    says of itself and, for a model trained for one domain, that domain ("" otherwise)."""

    name: str
    what: str
    domain: str = ""


@runtime_checkable
class DescribedEngine(Protocol):
    """An engine that can say which model it runs and what that model is good for."""

    def model_card(self) -> ModelCard:
        """The model's card; reads metadata only, loads no weights."""
        ...


@runtime_checkable
class BatchingEngine(Protocol):
    """An engine that decodes several batches at once (CTranslate2 workers)."""

    @property
    def batch_granule(self) -> int:
        """Sentences decoded at once across workers: calls sized in multiples idle no worker."""
        ...


@runtime_checkable
class AsynchronousEngine(Protocol):
    """An engine that decodes in threads of its own (CTranslate2 releases the GIL).

    The pipeline starts a batch's decoding, reads and writes other documents meanwhile,
    and only then waits for the translations: the toolkit's own work hides behind decoding.
    """

    def start_translate(
        self, sources: Sequence[str], num_hypotheses: int = 1
    ) -> Callable[[], list[Translation]]:
        """Start decoding `sources` and return at once; calling the result waits for them.

        The translations are the ones `translate` returns for the same call.
        """
        ...


@runtime_checkable
class SuppressingEngine(Protocol):
    """An engine that can decode with target phrases banned (CTranslate2 `suppress_sequences`)."""

    def translate_suppressing(
        self, sources: Sequence[str], banned: Sequence[str]
    ) -> list[Translation]:
        """Translate with every phrase of `banned` kept out of the output."""
        ...


@runtime_checkable
class AnnotatingEngine(Protocol):
    """An engine whose model was trained to follow inline term annotations (Dinu et al. 2019):
    `penseel ⟦ brush ⟧` in the source asks for "brush". `term_markers` is None for a model
    that was not (the annotation would then be noise in its input)."""

    @property
    def term_markers(self) -> tuple[str, str] | None: ...


@runtime_checkable
class AligningEngine(Protocol):
    """An engine that can say which words of its output render a span of the source."""

    def align(
        self, sources: Sequence[str], spans: Sequence[tuple[int, int]], targets: Sequence[str]
    ) -> list[tuple[int, int] | None]:
        """Character span of each target whose tokens attend most to the source span."""
        ...


@runtime_checkable
class PlacingEngine(Protocol):
    """An engine that can put a required phrase inside its own search.

    `locate` force-decodes a known target and reads the model's cross-attention to say where
    a source span's translation starts in it; `complete` decodes with a target prefix, so
    the model finishes a sentence that already holds the term; `score` gives the model's
    length-normalised log-probability of a source/target pair, to choose between candidates.
    """

    def locate(
        self, sources: Sequence[str], spans: Sequence[tuple[int, int]], targets: Sequence[str]
    ) -> list[int | None]:
        """Character offset in each target where the source span's rendering begins."""
        ...

    def complete(self, sources: Sequence[str], prefixes: Sequence[str]) -> list[Translation]:
        """Translate each source with its target forced to begin with the prefix."""
        ...

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """The model's per-token log-probability of each target given its source."""
        ...
