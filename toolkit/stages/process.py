"""The translate stages as plain functions over documents, with no file or network I/O.

Each stage takes documents already loaded (and merged with reviewed work),
fills in what it is responsible for on the document model, and returns the
same documents: `process` runs match terms → memory → cache → translate →
enforce → assemble → check quality (→ hold the riskiest back). What a
stage learns (a paragraph's `origin`, a sentence's
`cached` flag, `engine_target` and `score`) is recorded on the model, so a
benchmark, a test and a distributed runner call the same functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from toolkit.document import (
    Document,
    Flag,
    FlagSource,
    Origin,
    Paragraph,
    ReviewState,
    Sentence,
    TermMatch,
    TermOutcome,
)
from toolkit.engines.base import (
    AnnotatingEngine,
    AsynchronousEngine,
    BatchingEngine,
    Engine,
    Translation,
)
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.model import Glossary
from toolkit.inline import Locator, place_all
from toolkit.qa import risk_score, run_checks
from toolkit.qa.confidence import decoding_cap, rescore, sentence_log_probs
from toolkit.qa.risk import HELD
from toolkit.stages.enforce import DEFAULT_BUDGET, Enforcer, annotate_terms, flag_unmet_terms
from toolkit.stages.ports import MemoryLookup, SentenceCache, StageProgress
from toolkit.stages.settings import StageSettings

T = TypeVar("T")
TRANSLATE_CHUNK = 256  # sentences per engine call: large enough to batch, small enough to report


def needs_translation(paragraph: Paragraph) -> bool:
    """Not reviewed and not yet filled by an earlier stage (memory, or a translator)."""
    return paragraph.state is not ReviewState.REVIEWED and paragraph.origin is Origin.NONE


def pending_sentences(documents: Sequence[Document]) -> Iterator[Sentence]:
    for document in documents:
        for paragraph in document.paragraphs:
            if needs_translation(paragraph):
                yield from paragraph.sentences


def match_terms(documents: Sequence[Document], matcher: TermMatcher) -> Sequence[Document]:
    """Record every glossary occurrence on its sentence (Aho-Corasick, linear in the text)."""
    for sentence in (s for d in documents for s in d.sentences):
        sentence.terms = [
            TermMatch(
                source_term=o.entry.source,
                target_term=o.entry.target,
                surface=o.surface,
                start=o.start,
                end=o.end,
                exempt=o.exempt,
            )
            for o in matcher.find(sentence.source)
        ]
    return documents


def reuse_memory(documents: Sequence[Document], memory: MemoryLookup) -> Sequence[Document]:
    """Fill paragraphs that have an exact match in the translation memory (origin MEMORY)."""
    for paragraph in (p for d in documents for p in d.paragraphs):
        if not needs_translation(paragraph):
            continue
        target = memory.lookup(paragraph.source)
        if target:
            paragraph.target, paragraph.state = target, ReviewState.MACHINE
            paragraph.origin = Origin.MEMORY
            paragraph.notes.append(f"exact match from translation memory {memory.path}")
    return documents


def lookup_cache(documents: Sequence[Document], cache: SentenceCache) -> Sequence[Document]:
    """Restore finished sentences (target, term decisions) from the cache; marks them `cached`."""
    sentences = [s for s in pending_sentences(documents) if not s.cached]
    found = cache.get_many([s.source for s in sentences])
    for sentence in sentences:
        if sentence.source in found:
            _restore(sentence, found[sentence.source])
    return documents


def length_sorted_chunks(
    sources: Sequence[T],
    size: int = TRANSLATE_CHUNK,
    key: Callable[[T], int] | None = None,
    granule: int = 1,
) -> list[list[T]]:
    """`sources` longest first (by `key`), cut into as few chunks of about `size` as fit,
    each a multiple of `granule` but the last.

    CTranslate2 sorts by length only within one call; sorting the whole batch first puts
    similar lengths in the same engine call, so its batches wait less on their longest
    sentence. The granule is what the engine decodes at once (workers × batch size): a call
    of 173 sentences on 2 workers × 16 ends with one worker idle, three such calls three
    times (measured: 1.15× one call of 519); calls of 192, 192 and 135 idle once, like one.
    """
    measure: Callable[[Any], int] = key or len
    ordered = sorted(sources, key=measure, reverse=True)  # stable: ties keep document order
    if not ordered:
        return []
    count = -(-len(ordered) // size)
    if granule > 1:
        step = -(-len(ordered) // count)
        step = -(-step // granule) * granule
        return [ordered[begin : begin + step] for begin in range(0, len(ordered), step)]
    chunks, begin = [], 0
    for index in range(count):  # the first n % count chunks take one sentence more
        end = begin + len(ordered) // count + (index < len(ordered) % count)
        chunks.append(ordered[begin:end])
        begin = end
    return chunks


def translate(
    documents: Sequence[Document],
    engine: Engine,
    n_best: int = 1,
    on_sentences: Callable[[int], None] | None = None,
    glossary: Glossary | None = None,
) -> Sequence[Document]:
    """Decode every pending sentence the cache did not have; identical sources decode once.

    Sentences with glossary terms ask for `n_best` hypotheses and keep the
    others as `alternatives`: a beam search finds them anyway, and enforcement
    tries them before decoding again. For a model trained with inline term annotations
    (an `AnnotatingEngine` with markers) and a `glossary`, such a sentence is decoded with
    its terms annotated (`penseel ⟦ brush ⟧`): the model meets them by itself.
    """
    start_translate(documents, engine, n_best, glossary).finish(on_sentences)
    return documents


class Decoding:
    """The engine calls of one `translate`, started; `finish` fills the sentences.

    With an `AsynchronousEngine` every call is started at once, in the engine's own
    threads: its workers go from one call's batches to the next without idling at a call's
    end, and the caller's thread is free until `finish` (the run reads and writes other
    documents meanwhile). Other engines decode in `finish`, call by call.
    """

    def __init__(
        self,
        missing: dict[str, list[Sentence]],
        inputs: dict[str, str],
        calls: list[tuple[list[str], Callable[[], list[Translation]]]],
    ) -> None:
        self.missing, self.inputs, self.calls = missing, inputs, calls

    def finish(self, on_sentences: Callable[[int], None] | None = None) -> None:
        """Wait for each call in turn and fill its sentences; `on_sentences` after each."""
        calls, self.calls = self.calls, []
        for chunk, result in calls:
            for source, translation in zip(chunk, result(), strict=True):
                best = translation.hypotheses[0] if translation.hypotheses else None
                keep = translation.hypotheses[1:] if self.missing[source][0].terms else ()
                for sentence in self.missing[source]:
                    sentence.target = sentence.engine_target = translation.text
                    sentence.score = best.score if best else None
                    sentence.alternatives = [(h.text, h.score) for h in keep]
                    sentence.annotated = source in self.inputs
            if on_sentences is not None:
                on_sentences(len(chunk))  # progress for the caller: sentences decoded just now


def start_translate(
    documents: Sequence[Document],
    engine: Engine,
    n_best: int = 1,
    glossary: Glossary | None = None,
) -> Decoding:
    """`translate`'s engine calls, started where the engine can decode in the background."""
    missing: dict[str, list[Sentence]] = {}
    for sentence in pending_sentences(documents):
        if not sentence.cached:
            missing.setdefault(sentence.source, []).append(sentence)
    inputs = _engine_inputs(missing, engine, glossary)
    with_terms = [source for source, group in missing.items() if group[0].terms]
    plain = [source for source, group in missing.items() if not group[0].terms]
    groups = [(plain, 1), (with_terms, n_best)]
    granule = 1
    if isinstance(engine, BatchingEngine):
        # one set of calls: a separate small call for either group would leave workers idle
        # (a 10-paragraph run decoded in two rounds, not one); CTranslate2's 1-best does not
        # depend on the number of hypotheses asked (1,377 of 1,377 test sentences identical)
        granule, groups = engine.batch_granule, [(plain + with_terms, max(n_best, 1))]
    calls: list[tuple[list[str], Callable[[], list[Translation]]]] = []
    for sources, hypotheses in groups:
        for chunk in length_sorted_chunks(sources, granule=granule):
            texts = [inputs.get(s, s) for s in chunk]
            if isinstance(engine, AsynchronousEngine):
                calls.append((chunk, engine.start_translate(texts, hypotheses)))
            else:
                calls.append((chunk, functools.partial(engine.translate, texts, hypotheses)))
    return Decoding(missing, inputs, calls)


def _engine_inputs(
    missing: dict[str, list[Sentence]], engine: Engine, glossary: Glossary | None
) -> dict[str, str]:
    """Source -> annotated source, for the sentences with terms, when the engine's model was
    trained to follow inline annotations; empty otherwise (mentions are never annotated)."""
    markers = engine.term_markers if isinstance(engine, AnnotatingEngine) else None
    if glossary is None or markers is None:
        return {}
    enforcer = Enforcer(glossary, engine)
    inputs = {}
    for source, group in missing.items():
        used = [o for o in enforcer.occurrences(group[0]) if not o.exempt]
        if used and all(t.source_term in enforcer.by_source for t in group[0].terms):
            annotated = annotate_terms(source, used, markers)
            if annotated != source:
                inputs[source] = annotated
    return inputs


def enforce_terms(
    documents: Sequence[Document],
    glossary: Glossary,
    engine: Engine,
    on_sentences: Callable[[int], None] | None = None,
    budget: float | None = DEFAULT_BUDGET,
) -> Sequence[Document]:
    """Run the enforcement cascade on sentences decoded now (cached ones carry their decisions).

    In chunks of TRANSLATE_CHUNK sentences, each reported to `on_sentences` when done: the
    cascade decodes again, at most `budget` times a chunk's first decoding (None: no cap).
    """
    enforcer = Enforcer(glossary, engine, budget=budget)
    fresh = [
        (sentence, paragraph.heading)
        for document in documents
        for paragraph in document.paragraphs
        if needs_translation(paragraph)
        for sentence in paragraph.sentences
        if not sentence.cached
    ]
    for chunk in length_sorted_chunks(fresh, key=lambda pair: len(pair[0].source)):
        enforcer.enforce([sentence for sentence, _ in chunk], [heading for _, heading in chunk])
        if on_sentences is not None:
            on_sentences(len(chunk))
    for paragraph in (p for d in documents for p in d.paragraphs):
        if paragraph.state is ReviewState.REVIEWED and paragraph.target:
            enforcer.check_reviewed(paragraph)
    return documents


def store_in_cache(documents: Sequence[Document], cache: SentenceCache) -> Sequence[Document]:
    """Put the sentences decoded now, as enforced, into the cache."""
    fresh = [s for s in pending_sentences(documents) if not s.cached]
    if fresh:
        cache.put_many((s.source, _cache_value(s)) for s in fresh)
    return documents


def assemble_paragraphs(documents: Sequence[Document], engine: Engine) -> Sequence[Document]:
    """Join sentence targets into paragraph targets; set review state, origin and flags.

    Paragraphs filled by an earlier stage (reviewed work, the memory) keep their target.
    """
    for document in documents:
        for paragraph in document.paragraphs:
            if not needs_translation(paragraph):
                continue
            paragraph.target = " ".join(s.target for s in paragraph.sentences if s.target)
            paragraph.state = ReviewState.MACHINE if paragraph.target else ReviewState.UNTRANSLATED
            if paragraph.target:
                paragraph.origin = Origin.ENGINE
                paragraph.notes.append(f"machine translation ({engine.name})")
            flag_unmet_terms(paragraph)
    return documents


def check_quality(
    documents: Sequence[Document],
    *,
    max_decoding_length: int | None = None,
    engine: Engine | None = None,
) -> Sequence[Document]:
    """Run the QA checks on every paragraph the engine or the memory filled; flags and risk.

    Each flag is appended to `paragraph.flags` as a `Flag` from the QA source, and
    `paragraph.risk` is `risk_score` over the flags, the term outcomes and the engine's mean
    log-probability per token: `Sentence.score` for the engine's own sentences, asked of
    `engine` for those enforcement changed when it can score a target (see `qa.confidence`).
    Reviewed paragraphs are the translator's and keep `risk = None`; `review status --worst`
    checks those too.
    """
    checked = [
        p
        for d in documents
        for p in d.paragraphs
        if p.origin in (Origin.ENGINE, Origin.MEMORY) and p.target
    ]
    # the memory's English is a translator's: the engine's confidence in it means nothing
    rescored = rescore((p for p in checked if p.origin is Origin.ENGINE), engine)
    for paragraph in checked:
        flags = run_checks(paragraph, max_decoding_length=max_decoding_length)
        paragraph.flags.extend(Flag(FlagSource.QA, flag.check, flag.reason) for flag in flags)
        log_probs = (
            sentence_log_probs(paragraph, rescored=rescored)
            if paragraph.origin is Origin.ENGINE
            else []
        )
        paragraph.risk = risk_score(paragraph, flags, log_probs or None)
    return documents


def hold_risky(documents: Sequence[Document], above: int) -> Sequence[Document]:
    """Leave paragraphs whose risk is above `above` untranslated, for translating by hand.

    Nothing is lost: the suggestion stays in a note, and the flags and risk say why.
    """
    for paragraph in (p for d in documents for p in d.paragraphs):
        if paragraph.risk is None or paragraph.risk <= above or not paragraph.target:
            continue
        paragraph.notes.append(
            f"{HELD}risk {paragraph.risk} above threshold {above} — translate by hand"
        )
        paragraph.notes.append(f"suggestion ({paragraph.origin.value}): {paragraph.target}")
        paragraph.target, paragraph.state = "", ReviewState.UNTRANSLATED
        paragraph.origin, paragraph.held = Origin.NONE, True
        for sentence in paragraph.sentences:
            sentence.target = ""  # sentence-level formats (TMX, TSV) must not carry it either
    return documents


def process(
    documents: Sequence[Document],
    engine: Engine,
    settings: StageSettings,
    *,
    cache: SentenceCache | None = None,
    memory: MemoryLookup | None = None,
    progress: StageProgress | None = None,
) -> list[Document]:
    """Every stage in order over documents already loaded and merged; the documents, filled.

    `cache` is scoped by the caller to `settings.signature(...)`: the core never names a
    cache key. Nothing is read or written except through `cache`.
    """
    batch = Batch.start(documents, engine, settings, cache=cache, memory=memory)
    batch.decode(progress)
    return batch.finish()


@dataclass
class Batch:
    """`process` in three steps, so that a runner can overlap batches (see `run.local`).

    `start`: terms, memory, cache, and the first decoding started; `decode`: wait for it,
    enforce terms, store in the cache; `finish`: assemble, check quality, hold back, place
    inline tags. With an `AsynchronousEngine` the engine decodes between `start` and
    `decode` while the caller does other work. Each step runs once, in this order.
    """

    documents: Sequence[Document]
    engine: Engine
    settings: StageSettings
    cache: SentenceCache | None
    decoding: Decoding

    @classmethod
    def start(
        cls,
        documents: Sequence[Document],
        engine: Engine,
        settings: StageSettings,
        *,
        cache: SentenceCache | None = None,
        memory: MemoryLookup | None = None,
    ) -> Batch:
        if settings.matcher is not None:
            match_terms(documents, settings.matcher)
        if memory is not None:
            reuse_memory(documents, memory)
        if cache is not None:
            lookup_cache(documents, cache)
        n_best = Enforcer.n_best if settings.glossary is not None else 1
        # the first pass is plain even for a model trained with term annotations: annotating
        # it met more terms (98.5% vs 97.1% after the cascade) but cost 1.1 chrF on the
        # reference test split (BENCHMARKS.md); the cascade's annotate step uses them only
        # where needed
        decoding = start_translate(documents, engine, n_best=n_best)
        return cls(documents, engine, settings, cache, decoding)

    def decode(self, progress: StageProgress | None = None) -> None:
        self.decoding.finish(progress.decoded if progress else None)
        if self.settings.glossary is not None:
            enforce_terms(
                self.documents,
                self.settings.glossary,
                self.engine,
                on_sentences=progress.enforced if progress else None,
                budget=self.settings.enforcement_budget,
            )
        if self.cache is not None:
            store_in_cache(self.documents, self.cache)

    def finish(self) -> list[Document]:
        assemble_paragraphs(self.documents, self.engine)
        check_quality(
            self.documents,
            max_decoding_length=decoding_cap(self.engine),
            engine=self.engine,
        )
        if self.settings.hold_above is not None:  # riskier than this: left for a translator
            hold_risky(self.documents, self.settings.hold_above)
        place_inline_tags(self.documents, self.engine)
        return list(self.documents)


def place_inline_tags(
    documents: Sequence[Document], engine: Engine | None = None
) -> Sequence[Document]:
    """Put each paragraph's inline tags (bold, links, code...) in its English.

    Reviewed paragraphs carried over with their tags placed keep them; see `toolkit.inline`.
    """
    waiting = [
        paragraph
        for paragraph in (p for d in documents for p in d.paragraphs)
        if paragraph.tags
        and not (
            paragraph.origin is Origin.REVIEWED
            and all(t.target_start is not None for t in paragraph.tags)
        )
    ]
    place_all(waiting, Locator(engine))
    return documents


def _restore(sentence: Sentence, value: dict[str, Any]) -> None:
    sentence.target = value["target"]
    # entries cached before these fields existed say nothing about them: leave them unknown
    sentence.engine_target = value.get("engine_target", "")
    sentence.score = value.get("score")
    sentence.cached = True
    sentence.inserted = list(value.get("inserted", []))
    for term, (outcome, step, produced) in zip(sentence.terms, value["terms"], strict=False):
        term.outcome, term.step, term.produced = TermOutcome(outcome), step, produced


def _cache_value(sentence: Sentence) -> dict[str, Any]:
    return {
        "target": sentence.target,
        "engine_target": sentence.engine_target,
        "score": sentence.score,
        "terms": [(t.outcome.value, t.step, t.produced) for t in sentence.terms],
        "inserted": sentence.inserted,
    }
