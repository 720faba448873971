"""Whether an English text carries the glossary's terms, occurrence by occurrence.

Each source occurrence needs its own English span in the right form (number, possessive for a
Dutch genitive name); a span is credited to one occurrence across all entries of the sentence,
and URLs, e-mail addresses and file names are never searched. Used by enforcement, by `review
status` and by the benchmarks, so all agree; also finds insertions and grammar defects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.glossary.match import (
    Occurrence,
    dutch_genitive_base,
    is_dutch_diminutive,
    protected_spans,
)
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.lang import en, nl

__all__ = [
    "Insertion",
    "OccurrenceCheck",
    "TermCheck",
    "check_occurrences",
    "check_terms",
    "english_plural",
    "find_forms",
    "find_insertions",
    "grammar_defects",
    "is_dutch_plural",
    "protected_spans",
    "render_form",
    "repaired",
    "required_forms",
    "term_accuracy",
]

# Dutch plural, collective and -en-only endings: `toolkit.lang.nl`
_POSSESSIVE = ("'s", "’s")
_APOSTROPHES = "'’"


@lru_cache(maxsize=4096)
def _form_pattern(form: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    body = r"\s+".join(re.escape(part) for part in form.split())
    # a hyphen is a boundary: "Ukraine-war" holds "Ukraine", as a tokenizer would split it
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _outside(span: tuple[int, int], protected: Sequence[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in protected)


def find_forms(text: str, forms: Iterable[str], case_sensitive: bool) -> list[tuple[int, int]]:
    """Spans of any of `forms` as whole words, longest form first, no span used twice.

    Nothing inside a URL, e-mail address or file name counts: it is not prose.
    """
    taken: list[tuple[int, int]] = []
    protected = protected_spans(text)
    for form in sorted(set(forms), key=len, reverse=True):
        if not form.strip():
            continue
        for match in _form_pattern(form, case_sensitive).finditer(text):
            span = match.span()
            if _outside(span, taken) and _outside(span, protected):
                taken.append(span)
    return sorted(taken)


@lru_cache(maxsize=4096)
def english_plural(phrase: str) -> str:
    """The regular English plural of a phrase's last word (state → states, policy → policies)."""
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}".strip()


def is_dutch_plural(entry: Entry, surface: str) -> bool:
    """Does `surface` read as a plural of the entry's headword (vazalstaten, kernwapens)?"""
    if entry.kind is not TermKind.TERM:
        return False
    word, head = surface.lower(), entry.source.lower()
    if word == head or not word.endswith(nl.PLURAL_ENDINGS):
        return False
    if word == head + "s" and head.endswith(nl.PLURAL_EN_ONLY):
        return False  # a linking s: "afbeeldings- of teltabelvelden" (afbeelding → -en)
    stem = head[:-2] if head[-2:-1] == head[-3:-2] else head  # staat → sta(a)t
    return word.startswith(stem[: max(3, len(stem) - 2)]) and len(word) > len(head) - 2


def _is_possessive(form: str) -> bool:
    return form.endswith(_POSSESSIVE) or form.endswith("s'")


def possessive(form: str) -> str:
    """The English possessive of a name: Putin → Putin's, Belarus → Belarus's."""
    return form if _is_possessive(form) else form + "'s"


def _is_collective(entry: Entry) -> bool:
    return entry.kind is TermKind.TERM and entry.source.lower().endswith(nl.COLLECTIVE_ENDINGS)


def _diminutive_forms(form: str, plural: bool) -> set[str]:
    """English for a Dutch diminutive: vassal statelet, little vassal state (or their plurals)."""
    head, _, last = form.rpartition(" ")
    let = f"{head} {last}let".strip()
    forms = {let, f"little {form}", f"small {form}"}
    return {english_plural(f) for f in forms} if plural else forms


def _adjective_forms(entry: Entry, glossary: Sequence[Entry]) -> tuple[str, ...]:
    """English adjectives the glossary lists for a name: Russia → Russian, Ukraine → Ukrainian."""
    stem = entry.target[:-1]
    if len(stem) < 4 or " " in entry.target:
        return ()
    return tuple(
        other.target
        for other in glossary
        if other is not entry
        and other.kind is TermKind.NAME
        and " " not in other.target
        and len(other.target) > len(entry.target)
        and other.target.startswith(stem)
        and other.target.endswith(("an", "ian", "ese", "ish"))
    )


def required_forms(entry: Entry, surface: str, glossary: Sequence[Entry] = ()) -> tuple[str, ...]:
    """The English forms that satisfy this occurrence, in the right number and case.

    A Dutch plural wants an English plural; a singular wants a form that is not a plural of the
    target ("vassal states" does not count for "vazalstaat"), except for collective nouns
    (invasiemacht: invasion force or forces). A Dutch genitive name wants the English possessive
    ("Poetins" → "Putin's", never bare "Putin"), "of Putin", or an adjective the glossary
    lists (`glossary`: "Ruslands" → "Russian"). A diminutive also takes "-let" or "little".
    """
    allowed = entry.allowed_targets
    plurals = {english_plural(form) for form in allowed} & set(allowed)
    plurals.add(english_plural(entry.target))
    if dutch_genitive_base(entry, surface) is not None:
        bare = [f for f in allowed if not _is_possessive(f)]
        forms = {possessive(f) for f in bare} | {f for f in allowed if _is_possessive(f)}
        forms |= {f.replace("'s", "’s") for f in forms if f.endswith("'s")}
        forms |= {f + "'" for f in bare if f.endswith("s")}  # Belarus'
        forms |= {f"of {f}" for f in bare}
        forms |= set(_adjective_forms(entry, glossary))
        return tuple(sorted(forms, key=lambda f: (f.startswith("of "), f)))
    plural = is_dutch_plural(entry, surface)
    if plural:
        forms = set(plurals)
    else:
        singular = [form for form in allowed if form not in plurals]
        forms = set(singular or allowed)
        if _is_collective(entry):
            forms |= plurals
    if entry.kind is TermKind.TERM and is_dutch_diminutive(entry, surface):
        forms |= _diminutive_forms(entry.target, plural)
    ordered = [f for f in allowed if f in forms]
    return tuple(ordered + sorted(forms - set(ordered)))


OccurrenceLike = Occurrence | tuple[Entry, str]


@dataclass(frozen=True)
class OccurrenceCheck:
    """One source occurrence judged against the English.

    `status` is "met" (an allowed form at `span`, credited to nothing else), "unmet",
    "forbidden" (unmet, and a forbidden rendering of the entry stands in the English) or
    "exempt" (a mention of the word, e.g. a former name, not required: `reason` says why).
    """

    entry: Entry
    surface: str
    status: str
    forms: tuple[str, ...]  # the English that would satisfy it
    span: tuple[int, int] | None = None
    reason: str = ""

    @property
    def met(self) -> bool:
        return self.status in ("met", "exempt")


def _unpack(occurrence: OccurrenceLike) -> tuple[Entry, str, str]:
    if isinstance(occurrence, Occurrence):
        return occurrence.entry, occurrence.surface, occurrence.exempt
    entry, surface = occurrence
    return entry, surface, ""


def _entry_forms(entry: Entry) -> set[str]:
    """Every English form of an entry in any number or possessive, for locating renderings."""
    forms = set(entry.allowed_targets)
    forms |= {english_plural(f) for f in entry.allowed_targets if not _is_possessive(f)}
    forms |= {possessive(f) for f in entry.allowed_targets}
    return forms


SEARCH_LIMIT = 20_000  # nodes of the exact search before the matching takes over


def _best_assignment(candidates: list[list[tuple[int, int]]]) -> list[tuple[int, int] | None]:
    """One span per occurrence, no two overlapping, as many occurrences served as possible.

    Exact search with a bound, candidates in text order so ties keep source and English
    aligned. Exponential in the worst case (a paragraph with a dozen occurrences of one term
    took seconds on the reference model's test split), so past SEARCH_LIMIT nodes a maximum
    matching decides instead.
    """
    count = len(candidates)
    best: list[tuple[int, int] | None] = [None] * count
    best_score = -1
    chosen: list[tuple[int, int] | None] = [None] * count
    nodes = 0

    def search(index: int, used: list[tuple[int, int]], score: int) -> None:
        nonlocal best, best_score, nodes
        nodes += 1
        if nodes > SEARCH_LIMIT:
            raise _TooLarge
        if score + (count - index) <= best_score:
            return
        if index == count:
            best, best_score = list(chosen), score
            return
        for span in candidates[index]:
            if _outside(span, used):
                chosen[index] = span
                search(index + 1, [*used, span], score + 1)
                if best_score == count:
                    return
        chosen[index] = None
        search(index + 1, used, score)

    try:
        search(0, [], 0)
    except _TooLarge:
        return _matching(candidates)
    return best


class _TooLarge(Exception):
    """The exact search passed its limit."""


def _matching(candidates: list[list[tuple[int, int]]]) -> list[tuple[int, int] | None]:
    """A maximum bipartite matching by augmenting paths (Kuhn), polynomial.

    Where candidate spans overlap (`cell` inside `cell range`) the longer is kept, which the
    exact search need not do; occurrences in source order, spans in text order.
    """
    kept: list[tuple[int, int]] = []
    for span in sorted({s for c in candidates for s in c}, key=lambda s: (s[0] - s[1], s[0])):
        if _outside(span, kept):
            kept.append(span)
    usable = set(kept)
    owner: dict[tuple[int, int], int] = {}

    def augment(index: int, seen: set[tuple[int, int]]) -> bool:
        for span in candidates[index]:
            if span in usable and span not in seen:
                seen.add(span)
                if span not in owner or augment(owner[span], seen):
                    owner[span] = index
                    return True
        return False

    for index in range(len(candidates)):
        augment(index, set())
    assignment: list[tuple[int, int] | None] = [None] * len(candidates)
    for span, index in owner.items():
        assignment[index] = span
    return assignment


def check_occurrences(
    target: str, occurrences: Sequence[OccurrenceLike], glossary: Sequence[Entry] = ()
) -> list[OccurrenceCheck]:
    """Judge every source occurrence of a sentence against its English, aligned as a whole.

    `occurrences` are matcher `Occurrence`s (their `exempt` reason is honoured) or (entry,
    surface) pairs; `glossary` lets a genitive name count its adjective ("Russian").
    Results align with `occurrences`.
    """
    unpacked = [_unpack(o) for o in occurrences]
    forms_of = [required_forms(entry, surface, glossary) for entry, surface, _ in unpacked]
    candidates: list[list[tuple[int, int]]] = []
    for (entry, _surface, exempt), forms in zip(unpacked, forms_of, strict=True):
        if exempt:
            candidates.append([])
            continue
        candidates.append(find_forms(target, forms, entry.kind is not TermKind.TERM))
    assignment = _best_assignment(candidates)
    forbidden_left = _forbidden_spans(target, unpacked)
    results = []
    for (entry, surface, exempt), forms, span in zip(unpacked, forms_of, assignment, strict=True):
        if exempt:
            results.append(OccurrenceCheck(entry, surface, "exempt", forms, None, exempt))
        elif span is not None and not forbidden_left.get(entry):
            results.append(OccurrenceCheck(entry, surface, "met", forms, span))
        elif forbidden_left.get(entry):
            found = forbidden_left[entry][0]
            results.append(
                OccurrenceCheck(
                    entry, surface, "forbidden", forms, span, f"forbidden {target[slice(*found)]!r}"
                )
            )
        else:
            results.append(OccurrenceCheck(entry, surface, "unmet", forms, None))
    return results


def _forbidden_spans(
    target: str, unpacked: Sequence[tuple[Entry, str, str]]
) -> dict[Entry, list[tuple[int, int]]]:
    """Forbidden renderings per entry, less one for each exempt mention of it.

    A mention ("formerly called Byelorussia") may quote a forbidden old name; every other
    forbidden rendering is a violation.
    """
    left: dict[Entry, list[tuple[int, int]]] = {}
    for entry in dict.fromkeys(e for e, _s, _x in unpacked):
        spans = find_forms(target, entry.forbidden, True)
        mentions = sum(1 for e, _s, exempt in unpacked if e is entry and exempt)
        if len(spans) > mentions:
            left[entry] = spans[mentions:]
    return left


@dataclass(frozen=True)
class TermCheck:
    """One entry's requirement over a text: `needed` renderings, `found`, and violations."""

    entry: Entry
    forms: tuple[str, ...]
    needed: int
    found: int
    forbidden_found: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.found >= self.needed and not self.forbidden_found


def check_terms(
    target: str, occurrences: Sequence[OccurrenceLike], glossary: Sequence[Entry] = ()
) -> list[TermCheck]:
    """Per entry, over (entry, Dutch surface) occurrences or matcher `Occurrence`s of a source.

    A summary of `check_occurrences`: an entry is met when every one of its occurrences is.
    """
    checks = check_occurrences(target, occurrences, glossary)
    by_entry: dict[Entry, list[OccurrenceCheck]] = {}
    for check in checks:
        by_entry.setdefault(check.entry, []).append(check)
    summary = []
    for entry, own in by_entry.items():
        forms = tuple(dict.fromkeys(f for c in own for f in c.forms))
        needed = sum(1 for c in own if c.status != "exempt")
        found = sum(1 for c in own if c.status == "met")
        forbidden = tuple(
            dict.fromkeys(
                c.reason.removeprefix("forbidden ").strip("'\"")
                for c in own
                if c.status == "forbidden"
            )
        )
        summary.append(TermCheck(entry, forms, needed, found, forbidden))
    return summary


def term_accuracy(pairs: Iterable[tuple[str, Sequence[OccurrenceLike]]]) -> tuple[int, int]:
    """(correct, total) occurrences over (translation, occurrences) pairs, WMT 2021 exact match."""
    correct = total = 0
    for target, occurrences in pairs:
        for check in check_occurrences(target, occurrences):
            if check.status == "exempt":
                continue
            total += 1
            correct += check.status == "met"
    return correct, total


@dataclass(frozen=True)
class Insertion:
    """A glossary rendering in the English that no source occurrence accounts for."""

    entry: Entry
    span: tuple[int, int]
    text: str


def find_insertions(  # noqa: C901  (to split: issue 25)
    source_matches: Sequence[OccurrenceLike],
    english: str,
    glossary: Glossary | Sequence[Entry],
    source: str = "",
) -> list[Insertion]:
    """Glossary renderings (names, terms) standing in `english` with no source term behind them.

    A span credited to a source occurrence is accounted for, and so is one that an unmet
    occurrence of an entry sharing the form explains (a wrong-form rendering: that is reported
    as unmet, not again as inserted), or one written verbatim in the Dutch `source` (an English
    name quoted in Dutch text).
    """
    entries = glossary.entries if isinstance(glossary, Glossary) else list(glossary)
    checks = check_occurrences(english, source_matches, entries)
    credited = [c.span for c in checks if c.span is not None and c.status == "met"]
    # a mention's old name ("called the country White Russia") is that mention's English
    for check in checks:
        if check.status == "exempt":
            old_names = sorted({*check.entry.forbidden, check.surface}, key=len, reverse=True)
            credited += find_forms(english, old_names, False)
    spans: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        for span in find_forms(english, _entry_forms(entry), entry.kind is not TermKind.TERM):
            spans.setdefault(span, []).append(entry)
    # a span inside a longer one (Lukashenko in Alexander Lukashenko) is that longer one's part
    outer = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int]] = []
    for span in outer:
        if all(not (a <= span[0] and span[1] <= b) for a, b in kept):
            kept.append(span)
    unmet_forms = [_entry_forms(c.entry) for c in checks if c.status in ("unmet", "forbidden")]
    unmet_used = [False] * len(unmet_forms)
    present = {_unpack(o)[0].source for o in source_matches}
    surfaces = {_unpack(o)[1] for o in source_matches}
    words = [w.casefold() for w in re.findall(r"\w+", source) if w not in surfaces]
    compounds: dict[str, int] = {}
    insertions = []
    for span in kept:
        if not _outside(span, credited):
            continue
        text = english[span[0] : span[1]]
        if source and _form_pattern(text, True).search(source):
            continue  # copied from the Dutch, where it stood as written
        explained = False
        for index, forms in enumerate(unmet_forms):
            if not unmet_used[index] and text.casefold() in {f.casefold() for f in forms}:
                unmet_used[index] = explained = True
                break
        if explained:
            continue
        owners = spans[span]
        terms = [e for e in owners if e.kind is TermKind.TERM]
        if any(e.source in present for e in terms):
            continue  # English repeats a term the Dutch names once (and then with a pronoun)
        for entry in terms:
            if entry.source not in compounds:
                compounds[entry.source] = _compound_parts(words, entry)
        part = next((e.source for e in terms if compounds[e.source] > 0), None)
        if part is not None:
            compounds[part] -= 1  # tabelcel → "table cell": each compound explains one span
            continue
        owner = next((e for e in owners if e.kind is not TermKind.TERM), owners[0])
        insertions.append(Insertion(owner, span, text))
    return insertions


def _compound_parts(words: Sequence[str], entry: Entry) -> int:
    """How many Dutch words (folded, the matched surfaces aside) hold the entry inside a longer
    compound: tabelcel holds tabel and cel; Rapportontwerper holds rapport."""
    head = entry.source.casefold()
    if " " in head or len(head) < 3:
        return 0
    return sum(len(word) > len(head) and head in word for word in words)


_DOUBLE_POSSESSIVE = re.compile(r"\w(?:['’]s|s['’])['’]s?(?!\w)")
_DOUBLED_WORD = re.compile(r"(?<![\w'’-])(\w+)\s+\1(?![\w'’-])", re.IGNORECASE)
_DUTCH_ARTICLE = re.compile(r"(?<![\w'’-])(de|het|De|Het)\s+([A-Za-z][\w'’-]*)")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\w)\s+[,.;:!?](?=\s|$)")
_DOUBLED_PHRASE = re.compile(r"(?<![\w'’-])(\w+\s+\w+(?:\s+\w+)?)\s+\1(?![\w'’-])", re.I)
# "a" before a vowel sound: only the letters that are one in every common word (a icon, a
# object); u and e are left out (a user, a European), as is "an" (an hour, an SQL query)
_A_BEFORE_VOWEL = re.compile(r"(?<![\w'’-])[Aa]\s+([aio][a-z]*)\b")


def grammar_defects(text: str) -> list[str]:
    """Defects a repair can introduce: a doubled possessive (Putin's's), a doubled word (the
    the) or phrase (in formulas in formulas), a Dutch article left before English (de Putin),
    a space before punctuation, "a" before a vowel (a icon).

    Enforcement compares the lists before and after a step and rejects a candidate that gains
    one; the text's own defects are the engine's and are left alone.
    """
    defects = []
    for match in _DOUBLE_POSSESSIVE.finditer(text):
        defects.append(f"doubled possessive {_word_around(text, match.start(), match.end())!r}")
    for match in _DOUBLED_WORD.finditer(text):
        if match.group(1).lower() not in en.GRAMMATICAL_DOUBLES and not match.group(1).isdigit():
            defects.append(f"doubled word {match.group()!r}")
    for match in _DUTCH_ARTICLE.finditer(text):
        before = text[: match.start()].rstrip()
        particle = (
            match.group(1) == "de"
            and match.group(2)[:1].isupper()
            and (before.split()[-1:] and before.split()[-1][:1].isupper())
        )
        if not particle:  # "Charles de Gaulle" keeps its particle
            defects.append(f"Dutch article {match.group()!r}")
    for match in _SPACE_BEFORE_PUNCTUATION.finditer(text):
        defects.append(f"space before {match.group().strip()!r}")
    for match in _DOUBLED_PHRASE.finditer(text):
        defects.append(f"doubled phrase {match.group()!r}")
    for match in _A_BEFORE_VOWEL.finditer(text):
        if not match.group(1).lower().startswith(en.A_BEFORE_VOWEL_LETTER):
            defects.append(f"'a' before a vowel {match.group()!r}")
    return defects


def _word_around(text: str, start: int, end: int) -> str:
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-"):
        start -= 1
    return text[start:end]


def render_form(
    entry: Entry, surface: str, english: str = "", span: tuple[int, int] | None = None
) -> str:
    """The English to write for `surface` at `span` of `english`, fitting what surrounds it.

    Right number and diminutive come from `required_forms`; a Dutch genitive name gets the
    possessive, unless a possessive already follows the span ("Poetin" + "'s" in the English)
    or "of" precedes it, so the result never reads "Putin's's". A form opening with "the"
    drops it after an English "the".
    """
    forms = [f for f in required_forms(entry, surface) if not f.startswith("of ")]
    before = english[: span[0]] if span else ""
    after = english[span[1] :] if span else ""
    possessive_follows = after[:2] in _POSSESSIVE or (
        after[:1] != "" and after[:1] in _APOSTROPHES and not after[1:2].isalpha()
    )
    bases = [f for f in entry.allowed_targets if not _is_possessive(f)] or [entry.target]
    genitive = dutch_genitive_base(entry, surface) is not None
    if genitive and not possessive_follows and not re.search(r"\bof\s*$", before):
        # the 's form first (Belarus's), the typographic apostrophe only where the text has it
        possessives = sorted(
            (f for f in forms if _is_possessive(f) and "’" not in f),
            key=lambda f: not f.endswith("'s"),
        )
        rendering = possessives[0] if possessives else possessive(entry.target)
    elif genitive:
        rendering = bases[0]  # the possessive is already there, or "of" makes one
    else:
        rendering = ([f for f in forms if not _is_possessive(f)] or bases)[0]
    if re.search(r"(?i)\bthe\s*$", before) and rendering.lower().startswith("the "):
        rendering = rendering[4:]
    return rendering


def repaired(english: str, span: tuple[int, int], entry: Entry, surface: str) -> str:
    """`english` with the wrong rendering at `span` replaced by the entry's English.

    A possessive right after the span stays where it is and the rendering goes bare, so
    "Poetin's" becomes "Putin's", never "Putin's's".
    """
    start, end = span
    return english[:start] + render_form(entry, surface, english, (start, end)) + english[end:]
