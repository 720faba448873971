"""The enforce stage: every glossary occurrence comes out as the glossary says, or is flagged.

CTranslate2 has no lexically constrained search, so enforcement is a cascade of checked
steps, each batched across all sentences still failing:

1. n-best: a lower-ranked hypothesis that meets more occurrences;
1a. annotation (an `AnnotatingEngine`, a model trained with inline term annotations): the
   source is decoded again with each unmet term followed by its English between the
   model's annotation symbols (`penseel ⟦ brush ⟧`);
1b. aligned replacement (an `AligningEngine`): the English words the model's attention
   aligns to the Dutch term (for a part of a compound, the matching end of the whole
   compound's rendering) are replaced by the required English; of the candidates for a
   sentence the model's best-scored is kept (a forced pass to align, one to score);
2. placement (engines that are a `PlacingEngine`): the model's cross-attention says where
   the term belongs in its own output; the output up to there plus the required English is
   forced as a target prefix and the model finishes the sentence; candidates are compared
   with the model's own score. Several missing terms are placed left to right;
3. source injection: the Dutch surface is replaced by the required English in the source
   (NMT copies what it does not know); no placeholders, which decoders mangle;
4. suppression (a `SuppressingEngine`): decode again with wrong renderings banned;
5. post-edit: a forbidden rendering or copied Dutch spelling is replaced in place, with
   the possessive, number and capitalisation the context needs.

Every candidate is re-checked occurrence by occurrence (`check_occurrences`: each source
occurrence needs its own English span; genitives need the possessive; mentions are exempt)
and accepted only if it meets more occurrences, loses none, adds no grammar defect (a
doubled possessive or word, a Dutch article, a space before punctuation) and keeps the rest
of the engine's sentence (no content words dropped, no Dutch left). What is still unmet is
missing and flagged; glossary English with no source term behind it is flagged `inserted`.
A sentence's `score` follows its target: None once a post-edit changed unscored words.

The decoding steps cost whole decodes, so a chunk where every term is missed (a weak model,
an unusual domain) would cost several times a plain run. `budget` caps the extra decoding
at a share of the first decoding's work, counted in source characters (a forced pass, which
scores or reads attention without searching, at FORCED_COST of a decode); a case that no
longer fits skips the step, and a term left missing says which steps the budget skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.document import Flag, FlagSource, Paragraph, Sentence, TermOutcome
from toolkit.engines.base import (
    AligningEngine,
    AnnotatingEngine,
    Engine,
    Hypothesis,
    PlacingEngine,
    SuppressingEngine,
    Translation,
)
from toolkit.glossary.check import (
    OccurrenceCheck,
    check_occurrences,
    find_forms,
    find_insertions,
    grammar_defects,
    render_form,
    required_forms,
)
from toolkit.glossary.match import Occurrence, protected_spans
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.lang import en, nl

Candidate = Hypothesis | None  # what a step proposes for one sentence; None: nothing new
STEPS = ("n-best", "annotate", "align", "place", "inject", "suppress", "post-edit")
DEFAULT_BUDGET = 0.5  # extra decoding per chunk, as a share of its first decoding
FORCED_COST = 0.25  # a teacher-forced pass (locate, score) against a beam search
# a chunk counts as at least this many source characters, so that a paragraph or two (where
# start-up dominates anyway) still gets the whole cascade; the cap is for big runs
BUDGET_FLOOR_CHARS = 1000
# share of the engine's own content words a rewritten sentence must keep: below it, the step
# traded the sentence for the term (measured on the reference model: good candidates keep >80%)
KEEP_CONTENT = 0.7
# longest English rendering the align step replaces: a longer alignment is diffuse attention
ALIGNED_WORDS = 4
# how much less likely (mean log-probability per token) an aligned replacement may be than the
# sentence it replaces. Measured on the reference model: right terms for wrong renderings cost
# 0.3-1.6 (penal -> brush 0.9, spreadsheet -> worksheet 1.6); a misaligned replacement ("can be
# issued" -> "can nuclear weapons") 3.9. Chosen on hand-made sentences and the news samples,
# never on the unseen benchmark (tests/stages/test_enforce_align.py keeps these cases)
ALIGN_SCORE_DROP = 2.0
# what a variant pays, in score, per word it removes beyond the rendering's own length: the
# model's per-token mean barely notices a dropped word ("Poet returns" -> "Putin"), a reader does
DROPPED_WORD_COST = 0.5
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass
class _Case:
    """A sentence under enforcement: its occurrences, the engine's own output, progress."""

    sentence: Sentence
    occurrences: list[Occurrence]
    entries: Sequence[Entry]
    heading: bool = False
    steps: dict[int, str] = field(default_factory=dict)  # occurrence index → step that met it
    skipped: list[str] = field(default_factory=list)  # steps the budget left untried

    def checks(self, target: str) -> list[OccurrenceCheck]:
        return check_occurrences(target, self.occurrences, self.entries)

    def met(self, target: str) -> set[int]:
        return {i for i, c in enumerate(self.checks(target)) if c.met}

    @property
    def done(self) -> bool:
        return len(self.met(self.sentence.target)) == len(self.occurrences)

    def offer(self, candidate: Candidate, step: str) -> None:
        """Take a candidate that meets more, loses nothing and keeps the sentence whole."""
        if candidate is None or not candidate.text:
            return
        current = self.sentence.target
        before, after = self.met(current), self.met(candidate.text)
        if not after > before:
            return
        if _defects(candidate.text) - _defects(current):
            return  # a new defect, even one that replaces an old one ("tab tab" → "data data")
        surfaces = [o.surface for o in self.occurrences]
        # n-best is the engine's own; align changes only the few words aligned to the term
        # (at most ALIGNED_WORDS), so neither can drop the rest of the sentence
        # an annotated decode is the model's own sentence, told the term: the wrong rendering
        # it drops ("pen" for penseel) is one word per repaired term, not lost content
        allowance = len(after - before) if step == "annotate" else 0
        if step not in ("n-best", "align") and not keeps_sentence(
            self.sentence.engine_target,
            candidate.text,
            self.sentence.source,
            self.entries,
            surfaces,
            allowance,
        ):
            return
        self.sentence.target, self.sentence.score = candidate.text, candidate.score
        self.steps.update(dict.fromkeys(after - before, step))


def keeps_sentence(
    engine_text: str,
    candidate: str,
    source: str,
    entries: Sequence[Entry],
    surfaces: Sequence[str] = (),
    allowance: int = 0,
) -> bool:
    """Whether `candidate` keeps what the engine wrote outside the terms, and adds no Dutch.

    `surfaces` are the sentence's Dutch term surfaces: a copied one is the term, not content.
    `allowance` content words may go besides the share KEEP_CONTENT allows.
    """
    term_words = {
        word
        for e in entries
        for form in (*e.allowed_targets, *e.forbidden, e.source, *e.source_variants)
        for word in _words(form)
    } | {word for surface in surfaces for word in _words(surface)}
    own = _words(engine_text)
    content = {w for w in own if w not in en.STOP_WORDS and w not in term_words and len(w) > 2}
    lost = len(content - set(_words(candidate)))
    if content and lost > allowance and (len(content) - lost) / len(content) < KEEP_CONTENT:
        return False
    dutch_only = set(_words(source)) - set(own) - term_words - en.STOP_WORDS
    return not [
        w
        for w in _words(candidate)
        if w in dutch_only and (len(w) > 3 or w in nl.SHORT_FUNCTION_WORDS)
    ]


def _defects(text: str) -> Counter[str]:
    """The text's grammar defects; a Dutch article counts as itself, whatever word follows
    (the engine's "Het" before the term put after it is the engine's defect, not a new one)."""
    return Counter(
        " ".join(d.split()[:3]) if d.startswith("Dutch article") else d
        for d in grammar_defects(text)
    )


def _words(text: str) -> list[str]:
    """Words folded for comparison, a possessive ending dropped (Putin's is Putin)."""
    return [re.sub(r"['’]s?$", "", w.casefold()) for w in _WORD.findall(text)]


class _Budget:
    """Decoding work left to a chunk's cascade, in source characters."""

    def __init__(self, share: float | None, sentences: Sequence[Sentence]) -> None:
        total = max(sum(len(s.source) for s in sentences), BUDGET_FLOOR_CHARS)
        self.left = float("inf") if share is None else share * total

    def afford(self, cases: list[_Case], step: str, cost: float) -> list[_Case]:
        """The cases whose `cost` decodes of their source still fit, shortest first (the most
        repairs for the work); returned in their given order. The rest skip the step."""
        taken = set()
        for case in sorted(cases, key=lambda c: len(c.sentence.source)):
            price = cost * len(case.sentence.source)
            if price <= self.left:
                self.left -= price
                taken.add(id(case))
            elif step not in case.skipped:
                case.skipped.append(step)
        return [case for case in cases if id(case) in taken]


class Enforcer:
    """Runs the cascade for one glossary and one engine."""

    n_best = 4

    def __init__(
        self,
        glossary: Glossary,
        engine: Engine,
        steps: Sequence[str] = STEPS,
        budget: float | None = DEFAULT_BUDGET,
    ) -> None:
        unknown = set(steps) - set(STEPS)
        if unknown:
            raise ValueError(f"unknown enforcement steps {sorted(unknown)}; known: {STEPS}")
        if budget is not None and budget < 0:
            raise ValueError(f"enforcement budget {budget} is negative")
        self.budget = budget
        self.engine = engine
        self.glossary = glossary
        self.steps = tuple(s for s in STEPS if s in steps)
        self.by_source = {entry.source: entry for entry in glossary.entries}
        self.allowed = {form for entry in glossary.entries for form in entry.allowed_targets}
        self.allowed_folded = {form.casefold() for form in self.allowed}

    def enforce(self, sentences: Sequence[Sentence], headings: Sequence[bool] = ()) -> None:
        """Check and repair sentence targets in place, recording each occurrence's outcome."""
        heading_of = dict(zip(map(id, sentences), headings, strict=False))
        cases = [
            _Case(s, self.occurrences(s), self.glossary.entries, heading_of.get(id(s), False))
            for s in sentences
            if s.terms and s.target
        ]
        pending = [c for c in cases if not c.done]
        budget = _Budget(self.budget, sentences)  # one per call: the budget is per chunk
        methods = {
            "n-best": self._n_best,
            "annotate": self._annotate,
            "align": self._align,
            "place": self._place,
            "inject": self._inject,
            "suppress": self._suppress,
            "post-edit": self._post_edit,
        }
        for name in self.steps:
            if not pending:
                break
            for case, candidate in zip(pending, methods[name](pending, budget), strict=True):
                case.offer(candidate, name)
            pending = [c for c in pending if not c.done]
        for case in cases:
            _capitalise_initial_term(case)
            self._record(case)
        for sentence in sentences:
            if sentence.target:
                sentence.inserted = self.insertions(sentence)

    def insertions(self, sentence: Sentence) -> list[str]:
        """Glossary English in the target that no source occurrence accounts for."""
        found = find_insertions(
            self.occurrences(sentence), sentence.target, self.glossary.entries, sentence.source
        )
        return [f"{i.text!r} ({i.entry.source})" for i in found]

    def check_reviewed(self, paragraph: Paragraph) -> None:
        """Judge a translator's paragraph against its terms: kept when met, missing when not.

        A reviewed paragraph is never enforced; its outcomes must still say what it holds.
        """
        terms = paragraph.terms
        if any(t.source_term not in self.by_source for t in terms):
            return  # matched with another glossary: nothing to judge against
        occurrences = [
            Occurrence(self.by_source[t.source_term], t.surface, t.start, t.end, t.exempt)
            for t in terms
        ]
        checks = check_occurrences(paragraph.target, occurrences, self.glossary.entries)
        for term, check in zip(terms, checks, strict=True):
            if check.status == "exempt":
                term.outcome = TermOutcome.EXEMPT
            else:
                term.outcome = TermOutcome.KEPT if check.met else TermOutcome.MISSING
                term.step = "reviewed"
                term.produced = "" if check.met else "not in the reviewed translation"

    def occurrences(self, sentence: Sentence) -> list[Occurrence]:
        """The sentence's term matches as occurrences of this glossary's entries."""
        return [
            Occurrence(self.by_source[t.source_term], t.surface, t.start, t.end, t.exempt)
            for t in sentence.terms
        ]

    def _record(self, case: _Case) -> None:
        first = case.checks(case.sentence.engine_target or case.sentence.target)
        now = case.checks(case.sentence.target)
        for index, term in enumerate(case.sentence.terms):
            if now[index].status == "exempt":
                term.outcome, term.step = TermOutcome.EXEMPT, now[index].reason
                term.produced = _former_name_lost(case.sentence.target, now[index])
            elif first[index].met and now[index].met:
                term.outcome = TermOutcome.KEPT
            elif now[index].met:
                term.outcome = TermOutcome.REPAIRED
                term.step = case.steps.get(index, "")
                term.produced = _what_was_there(case.sentence.engine_target, first[index])
            else:
                term.outcome = TermOutcome.MISSING
                term.produced = _what_was_there(case.sentence.engine_target, first[index])
                if case.skipped:
                    term.produced += f"; enforcement budget spent before {', '.join(case.skipped)}"

    def _n_best(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:
        """The hypothesis meeting the most occurrences (ties: the higher-ranked).

        Uses the alternatives the first decoding kept; decodes again only without them.
        """
        need = budget.afford([c for c in cases if not c.sentence.alternatives], "n-best", 1)
        if need:
            translations = self.engine.translate([c.sentence.source for c in need], self.n_best)
            for case, translation in zip(need, translations, strict=True):
                case.sentence.alternatives = [(h.text, h.score) for h in translation.hypotheses[1:]]
        return [_most_terms_met(c) for c in cases]

    def _annotate(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:
        """Decode again with each unmet term annotated inline, for a model trained to follow
        annotations (the package says so); other engines skip the step."""
        markers = self.engine.term_markers if isinstance(self.engine, AnnotatingEngine) else None
        if markers is None:
            return [None] * len(cases)
        # a sentence the first pass already decoded annotated would decode the same again
        taken = budget.afford([c for c in cases if not c.sentence.annotated], "annotate", 1)
        if not taken:
            return [None] * len(cases)
        translations = self.engine.translate([_annotated_source(c, markers) for c in taken])
        return _candidates_for(cases, taken, translations)

    def _align(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:  # noqa: C901  (to split: issue 25)
        """Replace the English the model aligns to each unmet term with the required English.

        One round per unmet occurrence, left to right, as placement does; each round is one
        forced pass to align and one to score the candidates, batched across sentences.
        """
        if not isinstance(self.engine, AligningEngine) or not isinstance(
            self.engine, PlacingEngine
        ):
            return [None] * len(cases)
        aligner: AligningEngine = self.engine
        scorer: PlacingEngine = self.engine
        best: list[Candidate] = [None] * len(cases)
        targets = [c.sentence.target for c in cases]
        tried: list[set[int]] = [set() for _ in cases]
        for _round in range(max(len(c.occurrences) for c in cases)):
            todo = []
            for index, case in enumerate(cases):
                unmet = [
                    i
                    for i, c in enumerate(case.checks(targets[index]))
                    if not c.met and i not in tried[index]
                ]
                if unmet:
                    occurrence = min(unmet, key=lambda i: case.occurrences[i].start)
                    tried[index].add(occurrence)
                    todo.append((index, occurrence))
            affordable = {
                id(c) for c in budget.afford([cases[i] for i, _ in todo], "align", 2 * FORCED_COST)
            }
            todo = [(i, o) for i, o in todo if id(cases[i]) in affordable]
            if not todo:
                break
            word_spans = [
                _word_span(cases[i].sentence.source, cases[i].occurrences[o]) for i, o in todo
            ]
            spans = aligner.align(
                [cases[i].sentence.source for i, _ in todo],
                [span for span, _part in word_spans],
                [targets[i] for i, _ in todo],
            )
            owners, texts, extra = [], [], []
            for (index, occurrence), (_span, part), aligned in zip(
                todo, word_spans, spans, strict=True
            ):
                if aligned is None:
                    continue
                now = len(cases[index].met(targets[index]))
                found = cases[index].occurrences[occurrence]
                size = len(render_form(found.entry, found.surface).split())
                for variant in _alignment_variants(targets[index], aligned, size):
                    text = _replaced(cases[index], occurrence, targets[index], variant, part)
                    if text is not None and text not in texts and len(cases[index].met(text)) > now:
                        owners.append(index)
                        texts.append(text)
                        # words the variant removes beyond the rendering's own: each may be
                        # the sentence's content, not the term's ("Poet returns" -> "Putin")
                        extra.append(max(0, len(targets[index].split()) - len(text.split())))
            if not texts:
                continue
            # the model's best-scored candidate per sentence, and only one it finds about as
            # likely as the sentence it replaces: a misaligned replacement ("can be issued" ->
            # "can nuclear weapons") reads far worse to the model than the wrong word did
            current = sorted(set(owners))
            scores = scorer.score(
                [cases[i].sentence.source for i in owners + current],
                texts + [targets[i] for i in current],
            )
            floor = {
                index: score - ALIGN_SCORE_DROP
                for index, score in zip(current, scores[len(owners) :], strict=True)
            }
            chosen: dict[int, Hypothesis] = {}
            ranked: dict[int, float] = {}
            for index, text, score, dropped in zip(
                owners, texts, scores[: len(owners)], extra, strict=True
            ):
                if score < floor[index]:
                    continue
                rank = score - DROPPED_WORD_COST * dropped
                if index not in chosen or rank > ranked[index]:
                    chosen[index], ranked[index] = Hypothesis(text, score), rank
            for index, hypothesis in chosen.items():
                targets[index] = hypothesis.text
                best[index] = hypothesis
        return best

    def _place(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:  # noqa: C901  (to split: issue 25)
        """Force the first unmet term where the model's attention puts it; let the model finish.

        Run once per unmet occurrence, left to right: each round places one more term in
        every sentence that still needs one, in one batched call per engine method.
        """
        if not isinstance(self.engine, PlacingEngine):
            return [None] * len(cases)
        engine: PlacingEngine = self.engine
        best: list[Candidate] = [None] * len(cases)
        targets = [c.sentence.target for c in cases]
        for _round in range(max(len(c.occurrences) for c in cases)):
            todo = []
            for index, case in enumerate(cases):
                checks = case.checks(targets[index])
                unmet = [i for i, c in enumerate(checks) if not c.met]
                if unmet:
                    todo.append((index, min(unmet, key=lambda i: case.occurrences[i].start)))
            # a round: one forced pass to locate, two completions, each forced-scored
            affordable = {
                id(c)
                for c in budget.afford(
                    [cases[i] for i, _ in todo], "place", FORCED_COST + 2 * (1 + FORCED_COST)
                )
            }
            todo = [(i, o) for i, o in todo if id(cases[i]) in affordable]
            if not todo:
                break
            positions = engine.locate(
                [cases[i].sentence.source for i, _ in todo],
                [(cases[i].occurrences[o].start, cases[i].occurrences[o].end) for i, o in todo],
                [targets[i] for i, _ in todo],
            )
            prefixes, owners = [], []
            for (index, occurrence), position in zip(todo, positions, strict=True):
                if position is None:
                    continue
                case = cases[index]
                for prefix in _prefixes(case, occurrence, targets[index], position):
                    prefixes.append(prefix)
                    owners.append(index)
            if not prefixes:
                break
            completions = engine.complete([cases[i].sentence.source for i in owners], prefixes)
            texts = [t.text for t in completions]
            scores = engine.score([cases[i].sentence.source for i in owners], texts)
            chosen: dict[int, Hypothesis] = {}
            for index, text, score in zip(owners, texts, scores, strict=True):
                case = cases[index]
                if len(case.met(text)) <= len(case.met(targets[index])):
                    continue
                if index not in chosen or score > (chosen[index].score or float("-inf")):
                    chosen[index] = Hypothesis(text, score)
            if not chosen:
                break
            for index, hypothesis in chosen.items():
                targets[index] = hypothesis.text
                best[index] = hypothesis
        return best

    def _inject(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:
        taken = budget.afford(cases, "inject", 1)
        if not taken:
            return [None] * len(cases)
        translations = self.engine.translate([_injected_source(c) for c in taken])
        return _candidates_for(cases, taken, translations)

    def _suppress(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:
        """Decode again with the unmet terms' wrong renderings banned, in one batch.

        The ban list is shared by the batch (CTranslate2 applies it per call);
        a phrase that any glossary entry allows is never banned.
        """
        if not isinstance(self.engine, SuppressingEngine):
            return [None] * len(cases)
        taken = budget.afford(cases, "suppress", 1)
        if not taken:
            return [None] * len(cases)
        banned: set[str] = set()
        for case in taken:
            for check, occurrence in zip(
                case.checks(case.sentence.target), case.occurrences, strict=True
            ):
                if not check.met:
                    banned.update(occurrence.entry.forbidden)
                    banned.add(occurrence.surface)
        banned -= self.allowed
        banned = {b for b in banned if b.casefold() not in self.allowed_folded}
        if not banned:
            return [None] * len(cases)
        translations = self.engine.translate_suppressing(
            [c.sentence.source for c in taken], sorted(banned)
        )
        return _candidates_for(cases, taken, translations)

    def _post_edit(self, cases: list[_Case], budget: _Budget) -> list[Candidate]:  # noqa: ARG002  (every step takes the budget)
        # a post-edited text is not what the engine scored, so it carries no score
        edited = [_post_edited(c) for c in cases]
        return [None if text is None else Hypothesis(text, None) for text in edited]


def _most_terms_met(case: _Case) -> Candidate:
    best: Candidate = None
    for text, score in case.sentence.alternatives:
        if best is None or len(case.met(text)) > len(case.met(best.text)):
            best = Hypothesis(text, score)
    return best


def _candidates_for(
    cases: list[_Case], taken: list[_Case], translations: Sequence[Translation]
) -> list[Candidate]:
    """Each case's 1-best from the decode of the cases the budget `taken`; None for the rest."""
    found = {id(c): _first(t.hypotheses) for c, t in zip(taken, translations, strict=True)}
    return [found.get(id(c)) for c in cases]


def _first(hypotheses: Sequence[Hypothesis]) -> Candidate:
    return hypotheses[0] if hypotheses else None


def _prefixes(case: _Case, occurrence: int, target: str, position: int) -> list[str]:
    """Target prefixes that end in the required English, at the located word and the next."""
    found = case.occurrences[occurrence]
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S", target)]
    at = max([s for s in starts if s <= position], default=0)
    later = [s for s in starts if s > at][:1]
    prefixes = []
    for start in [at, *later]:
        if any(a <= start < b for a, b in protected_spans(target)):
            continue
        head = target[:start].rstrip()
        rendering = render_form(found.entry, found.surface, target, (start, start))
        if not head and (case.heading or case.sentence.source[:1].isupper()):
            rendering = rendering[:1].upper() + rendering[1:]
        prefixes.append(f"{head} {rendering}".strip())
    return prefixes


def _former_name_lost(target: str, check: OccurrenceCheck) -> str:
    """For a mention of a former name ("heette toen Wit-Rusland"): "" when the English keeps a
    former name, else what the reviewer must check. The English needs the old name there, and
    an engine that wrote the glossary's current name replaced it silently."""
    if "former name" not in check.reason:
        return ""
    old_names = sorted({*check.entry.forbidden, check.surface}, key=len, reverse=True)
    if find_forms(target, old_names, False):
        return ""
    shown = ", ".join(check.entry.forbidden[:3]) + (
        ", ..." if len(check.entry.forbidden) > 3 else ""
    )
    return f"the English has no former name ({shown})"


def flag_unmet_terms(paragraph: Paragraph) -> None:
    """One flag per term still missing, per mention of a former name the English lost, and per
    glossary English inserted without a source."""
    for term in paragraph.terms:
        if term.outcome is TermOutcome.EXEMPT and term.produced:
            reason = (
                f"{term.surface!r} is named as a former name ({term.step}); "
                f"{term.produced}: keep the old name, not {term.target_term!r}"
            )
            paragraph.flags.append(Flag(FlagSource.TERMS, "term", reason, term=term.surface))
        if term.outcome is TermOutcome.MISSING:
            reason = (
                f"{term.surface!r} needs {term.target_term!r}; "
                f"not in the translation ({term.produced})"
            )
            paragraph.flags.append(Flag(FlagSource.TERMS, "term", reason, term=term.surface))
    for sentence in paragraph.sentences:
        for inserted in sentence.inserted:
            reason = f"{inserted} has no source term behind it"
            paragraph.flags.append(Flag(FlagSource.TERMS, "inserted", reason))


def _annotated_source(case: _Case, markers: tuple[str, str]) -> str:
    """The source with each unmet term annotated (see `annotate_terms`)."""
    checks = case.checks(case.sentence.target)
    unmet = [o for o, c in zip(case.occurrences, checks, strict=True) if not c.met]
    return annotate_terms(case.sentence.source, unmet, markers)


def annotate_terms(source: str, occurrences: Sequence[Occurrence], markers: tuple[str, str]) -> str:
    """`source` with each occurrence followed by its required English between the model's
    annotation symbols, as the model saw terms in training: `penseel ⟦ brush ⟧`."""
    text = source
    opening, closing = markers
    for occurrence in sorted(occurrences, key=lambda o: -o.end):
        rendering = render_form(occurrence.entry, occurrence.surface)
        if rendering.casefold() == occurrence.surface.casefold():
            continue  # "China ⟦ China ⟧" only invites the model to write it twice
        if occurrence.start == 0 and text[:1].isupper():
            rendering = rendering[:1].upper() + rendering[1:]
        end = occurrence.end
        text = f"{text[:end]} {opening} {rendering} {closing}{text[end:]}"
    return text


def _word_span(source: str, occurrence: Occurrence) -> tuple[tuple[int, int], str]:
    """The whole source word around an occurrence, and which part of it the term is: "whole",
    "head" (the end of a compound: Kloon-gereedschap) or "modifier" (its start)."""
    start, end = occurrence.start, occurrence.end
    while start > 0 and not source[start - 1].isspace():
        start -= 1
    while end < len(source) and not source[end].isspace():
        end += 1
    while end > occurrence.end and not source[end - 1].isalnum():
        end -= 1
    while start < occurrence.start and not source[start].isalnum():
        start += 1
    if (start, end) == (occurrence.start, occurrence.end):
        return (start, end), "whole"
    return (start, end), "head" if occurrence.end == end else "modifier"


def _alignment_variants(
    target: str, aligned: tuple[int, int], rendering_words: int
) -> list[tuple[int, int]]:
    """Spans to try for an alignment: each run of its words (attention strays onto a neighbour:
    "color for" for voorgrondkleur, voor being "for"; "syyy annoxation" for annexatie), and,
    for a rendering of more words than the alignment holds, the alignment plus the next word
    (it often catches only the first of two English words). The model's score chooses."""
    words = [
        (m.start() + aligned[0], m.end() + aligned[0])
        for m in re.finditer(r"\S+", target[aligned[0] : aligned[1]])
    ][:ALIGNED_WORDS]
    variants = [(words[i][0], words[j][1]) for i in range(len(words)) for j in range(i, len(words))]
    following = re.match(r"\s+([^\W\d_][\w-]*)", target[aligned[1] :])
    if (
        words
        and following
        and following.group(1).casefold() not in en.STOP_WORDS
        and len(words) < rendering_words
    ):
        variants.append((words[0][0], words[-1][1] + following.end()))
    return variants


def _replaced(
    case: _Case, occurrence: int, target: str, aligned: tuple[int, int], part: str
) -> str | None:
    """`target` with the aligned English replaced by the occurrence's required English: the
    whole alignment for a whole word, its last word for a compound's head, its first word for
    a modifier. None when the alignment is inside a protected span (a URL, code)."""
    start, end = aligned
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", target[start:end])]
    if not words:
        return None
    if part == "head":
        start, end = words[-1]
    elif part == "modifier":
        start, end = words[0]
    if any(a < end and start < b for a, b in protected_spans(target)):
        return None
    found = case.occurrences[occurrence]
    rendering = render_form(found.entry, found.surface, target, (start, end))
    if start == 0 and (case.heading or case.sentence.source[:1].isupper()):
        rendering = rendering[:1].upper() + rendering[1:]
    tail = target[end:]
    if re.match(r"['’]s\b", tail) and rendering.endswith("s"):
        tail = tail[:1] + tail[2:]  # "kern's" -> "nuclear weapons'", not "weapons's"
    if _echoes(target[:start], tail, rendering):
        return None  # "annexation annoxation": the neighbour is the term's mangled rendering
    before = target[:start]
    article = re.search(r"(?i)\b(a|an)\s+$", before)
    if article:  # "a penal" -> "an icon", "an ..." -> "a brush"
        wanted = "an" if rendering[:1].lower() in "aeio" else "a"
        if article.group(1).lower() != wanted:
            wanted = wanted.capitalize() if article.group(1)[0].isupper() else wanted
            before = before[: article.start(1)] + wanted + before[article.end(1) :]
    return before + rendering + tail


def _echoes(before: str, after: str, rendering: str) -> bool:
    """Whether the word next to a replacement looks like the replacement (a mangled copy of it
    that the replacement would leave standing beside the right one)."""
    from difflib import SequenceMatcher

    neighbours = re.findall(r"[^\W\d_][\w-]*$", before.rstrip()) + re.findall(
        r"^[^\W\d_][\w-]*", after.lstrip()
    )
    folded = rendering.casefold()
    return any(
        len(word) > 3 and SequenceMatcher(None, word.casefold(), folded).ratio() >= 0.7
        for word in neighbours
    )


def _injected_source(case: _Case) -> str:
    """The source with each unmet term's Dutch surface replaced by the English it requires."""
    text = case.sentence.source
    checks = case.checks(case.sentence.target)
    unmet = [o for o, c in zip(case.occurrences, checks, strict=True) if not c.met]
    for occurrence in sorted(unmet, key=lambda o: -o.start):
        rendering = render_form(occurrence.entry, occurrence.surface)
        if occurrence.start == 0 and text[:1].isupper():
            rendering = rendering[:1].upper() + rendering[1:]
        text = text[: occurrence.start] + rendering + text[occurrence.end :]
    return text


def _post_edited(case: _Case) -> str | None:
    """Replace forbidden renderings and copied Dutch surfaces with the English required there.

    One repair per unmet occurrence, never inside a URL or address; the possessive, number
    and capitalisation fit the words around the repair.
    """
    text = case.sentence.target
    checks = case.checks(text)
    for occurrence, check in sorted(
        zip(case.occurrences, checks, strict=True), key=lambda p: -p[0].start
    ):
        if check.met:
            continue
        entry = occurrence.entry
        wrong = sorted({*entry.forbidden, occurrence.surface}, key=len, reverse=True)
        bare = [f for f in required_forms(entry, entry.source) if f not in wrong]
        spans = find_forms(text, wrong, case_sensitive=True)
        if not spans and check.span is None:
            # a genitive met by a bare name ("Putin visit"): the name itself takes the 's
            spans = find_forms(text, bare, case_sensitive=entry.kind is not TermKind.TERM)
        for start, end in reversed(spans):
            rendering = render_form(entry, occurrence.surface, text, (start, end))
            if start == 0 and (text[:1].isupper() or case.heading):
                rendering = rendering[:1].upper() + rendering[1:]
            text = text[:start] + rendering + text[end:]
            break
    return text if text != case.sentence.target else None


def _capitalise_initial_term(case: _Case) -> None:
    """A term that opens the sentence takes the capital the Dutch has (Kernwapens → Nuclear
    weapons): terms are matched in any case, so a lower-case rendering counted as met."""
    target, source = case.sentence.target, case.sentence.source
    if not (source[:1].isupper() and target[:1].islower()):
        return
    if any(c.span is not None and c.span[0] == 0 for c in case.checks(target)):
        case.sentence.target = target[:1].upper() + target[1:]


def _what_was_there(target: str, check: OccurrenceCheck) -> str:
    """A short description of the engine's rendering, for the reviewer."""
    wrong = find_forms(
        target, sorted({*check.entry.forbidden, check.surface}, key=len, reverse=True), True
    )
    if wrong:
        start, end = wrong[0]
        return f"engine wrote {target[start:end]!r}"
    return "no allowed rendering in the engine output"
