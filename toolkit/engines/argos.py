"""The Argos engine: decodes with an installed Argos package through CTranslate2.

Package management (list, find, install, remove) lives in `toolkit.models`.
argostranslate is imported inside the functions that need it, never at module
import; translation loads the package's CTranslate2 model and SentencePiece
tokenizer directly and never imports `argostranslate.translate`, which pulls
in spaCy, stanza and torch and whose sentence splitter downloads models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from toolkit.engines.base import (
    EngineSettings,
    Hypothesis,
    ModelCard,
    Translation,
    mean_log_prob,
)
from toolkit.engines.loops import loops
from toolkit.errors import UserError
from toolkit.lang import en
from toolkit.models import ModelInfo, find_model

# Transitional re-exports (`X as X`): benchmarks and tests/conftest.py still import these here.
from toolkit.models import install_from_file as install_from_file
from toolkit.models import install_from_index as install_from_index
from toolkit.models import list_models as list_models

# What the bundled reference model was trained on (refmodel/build_corpus.py).
REFERENCE_DOMAIN = "software documentation and UI text: LibreOffice help, Debian catalogs"


def _split_tokens(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut a sentence longer than the model takes into pieces, at word starts where possible.

    CTranslate2 would silently truncate it at `max_input_length`; translating
    the pieces keeps every word.
    """
    if len(tokens) <= limit:
        return [tokens]
    chunks: list[list[str]] = []
    while len(tokens) > limit:
        cut = max((i for i in range(1, limit) if tokens[i].startswith("▁")), default=limit)
        chunks.append(tokens[:cut])
        tokens = tokens[cut:]
    return [*chunks, tokens]


def _join_hypotheses(parts: list[list[Hypothesis]]) -> list[Hypothesis]:
    """Rank-wise join of the hypotheses of a sentence's pieces (one piece: unchanged)."""
    if len(parts) == 1:
        return parts[0]
    joined = []
    for rank in range(min(len(p) for p in parts)):
        ranked = [p[rank] for p in parts]
        scores = [h.score for h in ranked if h.score is not None]
        mean = sum(scores) / len(scores) if scores else None  # per-token means: their mean
        joined.append(Hypothesis(" ".join(h.text for h in ranked), mean))
    return joined


def _single_spaced(text: str, collapse: bool) -> str:
    return _SPACES.sub(" ", text) if collapse else text


_SPACES = re.compile(r" {2,}")


def _is_function_word(tokens: list[str], index: int) -> bool:
    """Is token `index` a whole English function word (one token, a word of its own)?"""
    token = tokens[index]
    whole = token.startswith("▁") and (index + 1 == len(tokens) or tokens[index + 1][:1] == "▁")
    return whole and token[1:].lower() in en.FUNCTION_WORDS


def _whole_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span widened to the words it touches; None when it holds no word character."""
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    while start < end and text[start].isspace():
        start += 1
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'’"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "-"):
        end += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return (start, end) if end > start else None


class ArgosEngine:
    """Translates with an installed Argos package through CTranslate2's `translate_batch`.

    Mirrors argostranslate's decoding (the package's target prefix,
    `replace_unknowns`, length penalty 0.2, its SentencePiece decode) but
    batches sentences across paragraphs and documents. The model loads on
    first use and is dropped on pickling, so the engine can be shipped to
    worker processes.
    """

    name = "argos"
    length_penalty = 0.2  # argostranslate's value

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()
        self._loaded: tuple[Any, Any, str, ModelInfo] | None = None
        self._model: ModelInfo | None = None  # found once, so describe() names what decodes

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "_loaded": None, "_model": None}

    def _load(self) -> tuple[Any, Any, str, ModelInfo]:
        if self._loaded is None:
            import ctranslate2
            from argostranslate.package import Package

            s = self.settings
            model = self._find()
            package = Package(model.path)
            if getattr(package, "tokenizer", None) is None:
                raise UserError("package has no tokenizer; reinstall it", path=model.path)
            try:
                translator = ctranslate2.Translator(
                    str(model.path / "model"),
                    device="cpu",
                    inter_threads=s.inter_threads,
                    intra_threads=s.intra_threads,
                    compute_type=s.compute_type,
                )
            except (RuntimeError, ValueError) as err:
                raise UserError(
                    f"cannot load the model: {err}; reinstall it", path=model.path
                ) from None
            self._loaded = (translator, package.tokenizer, package.target_prefix, model)
        return self._loaded

    @property
    def batch_granule(self) -> int:
        """Workers × sentences per batch: what one round of decoding takes."""
        return self.settings.inter_threads * self.settings.max_batch_size

    @property
    def input_limit(self) -> int:
        """Source tokens per decode: the setting, capped by the model's positions."""
        limit = self.settings.max_input_length
        return min(limit, self._find().max_positions or limit)

    @property
    def decoding_limit(self) -> int:
        """Target tokens per decode: the setting, capped by the model's positions."""
        limit = self.settings.max_decoding_length
        return min(limit, self._find().max_positions or limit)

    def describe(self) -> str:
        """The package and every setting that changes the output, read from disk, no model loaded.

        The cache and the skip markers key on this line, so it must name what
        decoding depends on: package, versions, beam, lengths, compute type.
        """
        from importlib.metadata import version

        model = self._find()
        s = self.settings
        kind = ", reference model" if model.reference else ""
        return (
            f"argostranslate {version('argostranslate')}, {model.name} {model.version}{kind}, "
            f"ctranslate2 {version('ctranslate2')}, beam {s.beam_size}, "
            f"max decoding length {s.max_decoding_length}, "
            f"max input length {s.max_input_length}, compute type {s.compute_type}, "
            f"length penalty {self.length_penalty}, loop n-gram {s.loop_ngram}"
        )

    def model_card(self) -> ModelCard:
        """The installed package in words: the bundled one is a software-documentation model."""
        model = self._find()
        description = " ".join(model.description.split())
        if model.reference:
            return ModelCard(
                f"{model.name} {model.version}",
                "the bundled reference model, 7.4M parameters",
                REFERENCE_DOMAIN,
            )
        # a package that says it is weak outside a domain is a domain model, in its own words
        domain = description if "outside that domain" in description.lower() else ""
        return ModelCard(f"{model.name} {model.version}", description or "an Argos model", domain)

    def _find(self) -> ModelInfo:
        if self._model is None:
            s = self.settings
            self._model = find_model(s.models_dir, s.from_code, s.to_code, s.model)
        return self._model

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        if not sources:
            return []
        return self._decode(list(sources), num_hypotheses)

    def translate_suppressing(
        self, sources: Sequence[str], banned: Sequence[str]
    ) -> list[Translation]:
        """Translate with the banned target phrases suppressed during decoding.

        CTranslate2 applies `suppress_sequences` to a whole call, so the list is
        shared by the batch; each phrase is banned in its SentencePiece form.
        """
        tokenizer = self._load()[1]
        return self._decode(list(sources), 1, [tokenizer.encode(p) for p in banned if p])

    def locate(
        self, sources: Sequence[str], spans: Sequence[tuple[int, int]], targets: Sequence[str]
    ) -> list[int | None]:
        """Where each source span's rendering begins in its target, by cross-attention.

        The target is forced as a prefix (one decoding step past it), so the attention is
        the model's own reading of that exact text; the first target token whose attention
        peaks inside the span's source tokens marks the place.
        """
        if not sources:
            return []
        tokenizer = self._load()[1]
        positions: list[int | None] = []
        for tokens, hits in self._attending(sources, spans, targets):
            positions.append(
                len(self._detokenize(tokenizer, tokens[: hits[0]], "")) if hits else None
            )
        return positions

    def _attending(
        self, sources: Sequence[str], spans: Sequence[tuple[int, int]], targets: Sequence[str]
    ) -> list[tuple[list[str], list[int]]]:
        """Each forced target's tokens, and the indices of those whose strongest
        cross-attention falls inside the source span's tokens (one forced pass, batched)."""
        translator, tokenizer, target_prefix, _ = self._load()
        source_tokens = [tokenizer.encode(s)[: self.input_limit] for s in sources]
        lead = [target_prefix] if target_prefix else []
        # one step past the forced target must still have a position
        room = self.decoding_limit - len(lead) - 1
        target_tokens = [tokenizer.encode(t)[:room] for t in targets]
        results = translator.translate_batch(
            source_tokens,
            target_prefix=[lead + t for t in target_tokens],
            beam_size=1,
            return_attention=True,
            max_decoding_length=max(len(t) for t in target_tokens) + len(lead) + 1,
            max_batch_size=self.settings.max_batch_size,
        )
        found = []
        for source, (start, end), tokens, result in zip(
            sources, spans, target_tokens, results, strict=True
        ):
            first = len(tokenizer.encode(source[:start])) if start else 0
            last = max(first + 1, len(tokenizer.encode(source[:end])))
            attention = result.attention[0][len(lead) : len(lead) + len(tokens)]
            hits = [
                index
                for index, row in enumerate(attention)
                if row and first <= max(range(len(row)), key=row.__getitem__) < last
            ]
            found.append((tokens, hits))
        return found

    @property
    def term_markers(self) -> tuple[str, str] | None:
        """The inline annotation symbols the package's model was trained with, if any."""
        return self._find().term_markers

    def align(
        self, sources: Sequence[str], spans: Sequence[tuple[int, int]], targets: Sequence[str]
    ) -> list[tuple[int, int] | None]:
        """The words of each target that render the source span, by cross-attention.

        The target is forced (as in `locate`); the target tokens whose strongest attention
        falls inside the span's source tokens, from the first such token through the last
        one within a gap of one token, make the span, widened to whole words.
        """
        if not sources:
            return []
        tokenizer = self._load()[1]
        found: list[tuple[int, int] | None] = []
        for target, (tokens, hits) in zip(
            targets, self._attending(sources, spans, targets), strict=True
        ):
            # an article or possessive attends to its noun ("the" for penseel): not the noun
            while hits and _is_function_word(tokens, hits[0]):
                hits.pop(0)
            if not hits:
                found.append(None)
                continue
            stop = hits[0]
            for index in hits[1:]:
                if index - stop > 2:
                    break
                stop = index
            begin = len(self._detokenize(tokenizer, tokens[: hits[0]], ""))
            finish = len(self._detokenize(tokenizer, tokens[: stop + 1], ""))
            found.append(_whole_words(target, begin, finish))
        return found

    def complete(self, sources: Sequence[str], prefixes: Sequence[str]) -> list[Translation]:
        """Translate with each target forced to start with its prefix; the model finishes it."""
        if not sources:
            return []
        translator, tokenizer, target_prefix, _ = self._load()
        s = self.settings
        lead = [target_prefix] if target_prefix else []
        results = translator.translate_batch(
            [tokenizer.encode(source)[: self.input_limit] for source in sources],
            target_prefix=[
                lead + tokenizer.encode(prefix)[: self.decoding_limit - len(lead) - 1]
                for prefix in prefixes
            ],
            replace_unknowns=True,
            beam_size=s.beam_size,
            length_penalty=self.length_penalty,
            max_decoding_length=self.decoding_limit,
            max_batch_size=s.max_batch_size,
            return_scores=True,
        )
        return [
            Translation(
                tuple(
                    Hypothesis(
                        self._detokenize(tokenizer, tokens, target_prefix),
                        self._per_token(score, tokens),
                    )
                    for tokens, score in zip(r.hypotheses, r.scores, strict=True)
                )
            )
            for r in results
        ]

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Mean log-probability per target token (CTranslate2 `score_batch`)."""
        if not sources:
            return []
        translator, tokenizer, target_prefix, _ = self._load()
        lead = [target_prefix] if target_prefix else []
        results = translator.score_batch(
            [tokenizer.encode(source)[: self.input_limit] for source in sources],
            [
                lead + tokenizer.encode(target)[: self.decoding_limit - len(lead) - 1]
                for target in targets
            ],
            max_batch_size=self.settings.max_batch_size,
        )
        return [sum(r.log_probs) / max(len(r.log_probs), 1) for r in results]

    def start_translate(
        self, sources: Sequence[str], num_hypotheses: int = 1
    ) -> Callable[[], list[Translation]]:
        """`translate`, started in CTranslate2's threads (`asynchronous=True`): the same
        batches, so the same translations; calling the result waits for them."""
        if not sources:
            return list
        return self._start(list(sources), num_hypotheses, None, asynchronous=True)

    def _decode(
        self,
        sources: list[str],
        num_hypotheses: int,
        suppress: list[list[str]] | None = None,
    ) -> list[Translation]:
        return self._start(sources, num_hypotheses, suppress, asynchronous=False)()

    def _start(
        self,
        sources: list[str],
        num_hypotheses: int,
        suppress: list[list[str]] | None,
        asynchronous: bool,
    ) -> Callable[[], list[Translation]]:
        tokenizer = self._load()[1]
        pieces = [_split_tokens(tokenizer.encode(source), self.input_limit) for source in sources]
        batch = [chunk for chunks in pieces for chunk in chunks]
        searched = self._start_search(batch, num_hypotheses, suppress, asynchronous=asynchronous)
        return lambda: self._finish(searched(), tokenizer, pieces, batch, num_hypotheses, suppress)

    def _finish(
        self,
        decoded: list[list[Hypothesis]],
        tokenizer: Any,
        pieces: list[list[list[str]]],
        batch: list[list[str]],
        num_hypotheses: int,
        suppress: list[list[str]] | None,
    ) -> list[Translation]:
        ngram = self.settings.loop_ngram
        looping = [
            i
            for i, hypotheses in enumerate(decoded)
            if ngram and hypotheses and loops(tokenizer.decode(batch[i]), hypotheses[0].text)
        ]
        if looping:
            # a small model outside its domain loops ("The log log log log"); decoding such a
            # piece again without repeated n-grams cuts most loops at no cost elsewhere
            # (refmodel/decoding_loops.py: in-domain chrF unchanged, loops 19 -> 5)
            again = self._search([batch[i] for i in looping], num_hypotheses, suppress, ngram)
            for index, hypotheses in zip(looping, again, strict=True):
                if hypotheses:
                    decoded[index] = hypotheses
        translations, position = [], 0
        for chunks in pieces:
            parts = decoded[position : position + len(chunks)]
            position += len(chunks)
            translations.append(Translation(tuple(_join_hypotheses(parts))))
        return translations

    def _search(
        self,
        batch: list[list[str]],
        num_hypotheses: int,
        suppress: list[list[str]] | None,
        no_repeat_ngram_size: int = 0,
    ) -> list[list[Hypothesis]]:
        """One `translate_batch` over token lists, as argostranslate decodes."""
        return self._start_search(batch, num_hypotheses, suppress, no_repeat_ngram_size)()

    def _start_search(
        self,
        batch: list[list[str]],
        num_hypotheses: int,
        suppress: list[list[str]] | None,
        no_repeat_ngram_size: int = 0,
        asynchronous: bool = False,
    ) -> Callable[[], list[list[Hypothesis]]]:
        """`_search` started; with `asynchronous`, decoding in CTranslate2's own threads."""
        translator, tokenizer, target_prefix, _ = self._load()
        s = self.settings
        results = translator.translate_batch(
            batch,
            target_prefix=[[target_prefix]] * len(batch) if target_prefix else None,
            replace_unknowns=True,
            max_batch_size=s.max_batch_size,
            beam_size=max(s.beam_size, num_hypotheses),
            num_hypotheses=num_hypotheses,
            length_penalty=self.length_penalty,
            max_decoding_length=self.decoding_limit,
            max_input_length=self.input_limit,
            suppress_sequences=suppress or None,
            no_repeat_ngram_size=no_repeat_ngram_size,
            return_scores=True,
            asynchronous=asynchronous,
        )
        # a model trained with annotations sometimes writes the annotation's lone "▁" piece:
        # two spaces in the English ("the  Soviet Union")
        spaced = self._find().term_markers is not None

        def hypotheses() -> list[list[Hypothesis]]:
            done = [r.result() for r in results] if asynchronous else results
            return [
                [
                    Hypothesis(
                        _single_spaced(self._detokenize(tokenizer, tokens, target_prefix), spaced),
                        self._per_token(score, tokens),
                    )
                    for tokens, score in zip(result.hypotheses, result.scores, strict=True)
                ]
                for result in done
            ]

        return hypotheses

    def _per_token(self, score: float, tokens: list[str]) -> float:
        """CTranslate2's length-normalised score as a mean per token (see `mean_log_prob`).

        A hypothesis that filled the decoding cap stopped without an end-of-sentence token.
        """
        counted = len(tokens) + (0 if len(tokens) >= self.decoding_limit else 1)
        return mean_log_prob(score, counted, self.length_penalty)

    @staticmethod
    def _detokenize(tokenizer: Any, tokens: list[str], target_prefix: str) -> str:
        if target_prefix and tokens[:1] == [target_prefix]:
            tokens = tokens[1:]
        return str(tokenizer.decode(tokens)).strip()
