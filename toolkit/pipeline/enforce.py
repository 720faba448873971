"""The enforce stage: every glossary occurrence comes out as the glossary says, or is flagged.

CTranslate2 has no lexically constrained search, so enforcement is a cascade
of checked steps, each batched across all sentences still failing:

1. n-best: a lower-ranked hypothesis that meets every term;
2. source injection: the Dutch surface is replaced by the required English in
   the source (NMT copies what it does not know); no placeholder is used,
   because decoders mangle placeholders (argostranslate turns `_` into spaces);
3. suppression: engines that can ban sequences decode again with the
   forbidden renderings and copied Dutch spellings banned;
4. post-edit: a forbidden rendering or copied Dutch spelling in the output is
   replaced by the required English.

Each step's output is re-checked with the WMT 2021 exact-match rule
(`check.py`); a term still unmet is recorded as missing and its paragraph
flagged. Nothing is ever inserted where the source has no term. The
sentence's `score` follows its target: the chosen hypothesis's score, or None
once post-editing has changed words the engine never scored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.document import Paragraph, Sentence, TermOutcome
from toolkit.engines.base import Engine, Hypothesis
from toolkit.glossary.check import check_terms, find_forms, required_forms
from toolkit.glossary.model import Entry, Glossary

Candidate = Hypothesis | None  # what a step proposes for one sentence; None: nothing new


@dataclass
class _Case:
    """A sentence under enforcement: its entries, the engine's first output, progress so far."""

    sentence: Sentence
    entries: list[Entry]
    best: str = ""
    steps: dict[str, str] = field(default_factory=dict)  # entry source → step that met it

    @property
    def occurrences(self) -> list[tuple[Entry, str]]:
        return [(e, t.surface) for e, t in zip(self.entries, self.sentence.terms, strict=True)]

    def met(self, target: str) -> set[str]:
        return {c.entry.source for c in check_terms(target, self.occurrences) if c.met}

    @property
    def done(self) -> bool:
        return len(self.met(self.sentence.target)) == len({e.source for e in self.entries})

    def offer(self, candidate: Candidate, step: str) -> None:
        """Take a candidate that keeps every term met so far and meets at least one more."""
        if candidate is None:
            return
        before, after = self.met(self.sentence.target), self.met(candidate.text)
        if after > before:
            self.sentence.target, self.sentence.score = candidate.text, candidate.score
            self.steps.update(dict.fromkeys(after - before, step))


class Enforcer:
    """Runs the cascade for one glossary and one engine."""

    n_best = 4

    def __init__(self, glossary: Glossary, engine: Engine) -> None:
        self.engine = engine
        self.by_source = {entry.source: entry for entry in glossary.entries}
        self.allowed = {form for entry in glossary.entries for form in entry.allowed_targets}
        self.allowed_folded = {form.casefold() for form in self.allowed}

    def enforce(self, sentences: Sequence[Sentence]) -> None:
        """Check and repair sentence targets in place, recording each term's outcome."""
        cases = [
            _Case(s, [self.by_source[t.source_term] for t in s.terms], best=s.target)
            for s in sentences
            if s.terms and s.target
        ]
        pending = [c for c in cases if not c.done]
        for step in (self._n_best, self._inject, self._suppress, self._post_edit):
            if not pending:
                break
            name = step.__name__.strip("_").replace("_", "-")
            for case, candidate in zip(pending, step(pending), strict=True):
                case.offer(candidate, name)
            pending = [c for c in pending if not c.done]
        for case in cases:
            self._record(case)

    def _record(self, case: _Case) -> None:
        met_first = case.met(case.best)
        met_now = case.met(case.sentence.target)
        for entry, term in zip(case.entries, case.sentence.terms, strict=True):
            if entry.source in met_first and entry.source in met_now:
                term.outcome = TermOutcome.KEPT
            elif entry.source in met_now:
                term.outcome = TermOutcome.REPAIRED
                term.step = case.steps.get(entry.source, "")
                term.produced = _what_was_there(case.best, entry, term.surface)
            else:
                term.outcome = TermOutcome.MISSING
                term.produced = _what_was_there(case.best, entry, term.surface)

    def _n_best(self, cases: list[_Case]) -> list[Candidate]:
        """The lower-ranked hypothesis meeting the most terms (ties: the higher-ranked).

        Uses the alternatives the first decoding kept; decodes again only without them.
        """
        need = [c for c in cases if not c.sentence.alternatives]
        if need:
            translations = self.engine.translate([c.sentence.source for c in need], self.n_best)
            for case, translation in zip(need, translations, strict=True):
                case.sentence.alternatives = [(h.text, h.score) for h in translation.hypotheses[1:]]
        return [_most_terms_met(c) for c in cases]

    def _inject(self, cases: list[_Case]) -> list[Candidate]:
        sources = [_injected_source(c) for c in cases]
        return [_first(t.hypotheses) for t in self.engine.translate(sources)]

    def _suppress(self, cases: list[_Case]) -> list[Candidate]:
        """Decode again with the unmet terms' wrong renderings banned, in one batch.

        The ban list is shared by the batch (CTranslate2 applies it per call);
        a phrase that any glossary entry allows is never banned.
        """
        suppressing = getattr(self.engine, "translate_suppressing", None)
        if suppressing is None:
            return [None] * len(cases)
        banned: set[str] = set()
        for case in cases:
            met = case.met(case.sentence.target)
            for entry, term in zip(case.entries, case.sentence.terms, strict=True):
                if entry.source not in met:
                    banned.update(entry.forbidden)
                    banned.add(term.surface)
        banned -= self.allowed
        banned = {b for b in banned if b.casefold() not in self.allowed_folded}
        if not banned:
            return [None] * len(cases)
        translations = suppressing([c.sentence.source for c in cases], sorted(banned))
        return [_first(t.hypotheses) for t in translations]

    def _post_edit(self, cases: list[_Case]) -> list[Candidate]:
        # a post-edited text is not what the engine scored, so it carries no score
        edited = [_post_edited(c) for c in cases]
        return [None if text is None else Hypothesis(text, None) for text in edited]


def _most_terms_met(case: _Case) -> Candidate:
    best: Candidate = None
    for text, score in case.sentence.alternatives:
        if best is None or len(case.met(text)) > len(case.met(best.text)):
            best = Hypothesis(text, score)
    return best


def _first(hypotheses: Sequence[Hypothesis]) -> Candidate:
    return hypotheses[0] if hypotheses else None


def flag_unmet_terms(paragraph: Paragraph) -> None:
    """Give the paragraph one flag per term still missing from its translation."""
    for term in paragraph.terms:
        if term.outcome is TermOutcome.MISSING:
            paragraph.flags.append(
                f"term {term.surface!r} needs {term.target_term!r}; "
                f"not in the translation ({term.produced})"
            )


def _injected_source(case: _Case) -> str:
    """The source with each unmet term's Dutch surface replaced by the English it requires."""
    text = case.sentence.source
    met = case.met(case.sentence.target)
    unmet = [
        p for p in zip(case.entries, case.sentence.terms, strict=True) if p[0].source not in met
    ]
    for entry, term in sorted(unmet, key=lambda p: -p[1].start):
        text = text[: term.start] + _rendering(entry, term.surface) + text[term.end :]
    return text


def _rendering(entry: Entry, surface: str) -> str:
    """The English to write for a surface: the right number, a genitive for a genitive name."""
    forms = required_forms(entry, surface)
    if re.search(r"(?:'s|’s|[^s]s)$", surface) and surface.lower() != entry.source.lower():
        possessive = [f for f in forms if f.endswith(("'s", "’s"))]
        if possessive:
            return possessive[0]
    plain = [f for f in forms if not f.endswith(("'s", "’s"))]
    return (plain or list(forms))[0]


def _post_edited(case: _Case) -> str | None:
    """Replace forbidden renderings and copied Dutch surfaces with the required English."""
    text = case.sentence.target
    met = case.met(text)
    for entry, term in zip(case.entries, case.sentence.terms, strict=True):
        if entry.source in met:
            continue
        rendering = _rendering(entry, term.surface)
        wrong = sorted({*entry.forbidden, term.surface}, key=len, reverse=True)
        for start, end in reversed(find_forms(text, wrong, case_sensitive=True)):
            text = text[:start] + rendering + text[end:]
            break  # one repair per occurrence: never more renderings than the source has
    return text if text != case.sentence.target else None


def _what_was_there(target: str, entry: Entry, surface: str) -> str:
    """A short description of the engine's rendering, for the reviewer."""
    wrong = find_forms(target, sorted({*entry.forbidden, surface}, key=len, reverse=True), True)
    if wrong:
        start, end = wrong[0]
        return f"engine wrote {target[start:end]!r}"
    return "no allowed rendering in the engine output"
