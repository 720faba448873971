"""An independent judge of glossary English, a second opinion to `toolkit.glossary.check`.

It shares no code with the toolkit's checker or matcher: it reads entries (`Entry`) and the
source occurrences the matcher found, and decides from the English alone. The rules:

- An occurrence is right when one of the forms it allows stands in the English as whole words
  (a hyphen is a word boundary), each English span credited to one occurrence at most: the
  most occurrences served, then the fewest spans nested in another candidate, then the
  longest (cell range is celbereik's, not cel's, unless cel has no other span).
- Forms: the entry's allowed English. A Dutch plural of a term wants an English plural (listed,
  or the regular plural of a singular form); a singular wants a form that is no plural of
  another (collectives such as invasiemacht take both; verbs, invariant nouns and the first
  part of a truncated compound, afbeeldings- of teltabelvelden, have no number); a
  diminutive also takes little/small X and X-let. A Dutch genitive of a name
  (Poetins, Loekasjenko's, Belarus') wants the English possessive, "of X", or the name's
  adjective in the glossary (Ruslands → Russian).
- Terms are compared in any capitalisation; names and codes as written, except that a first
  letter may be a capital. Straight and curly apostrophes are the same.
- A forbidden rendering of the entry in the English (outside every allowed span, one spared
  per exempt mention) makes all the entry's occurrences wrong.
- Nothing inside a URL, e-mail address, domain, path or file name counts.
- An insertion is glossary English (any entry's form, plural or possessive; the outermost of
  nested spans) credited to no occurrence, of an entry with no occurrence in the sentence,
  not written as such in the Dutch and not the translation of a Dutch compound that starts
  or ends with one of the entry's Dutch forms (Bestandsnaam → File name; one span a word).
- An added defect is one the final English has and the engine's own 1-best has not (the same
  kind with the same words): a doubled word or phrase, a doubled possessive, a Dutch article
  before a word, a/an before the wrong sound, a space before punctuation; a word enforcement
  made plural before a noun or after a/an, or whose capital it dropped; or content dropped
  (of the 1-best's distinct content words outside the glossary, two or more gone, < 80% left).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from toolkit.glossary.model import Entry, TermKind

_ADDRESS = re.compile(
    r"""
      (?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | (?<![\w.])(?:[\w-]+\.)+(?:com|org|net|int|nl|be|eu|ru|de|uk|gov|edu|io|info)
      (?:/[^\s]*)?(?!\w)
    | (?:[A-Za-z]:)?(?:[\\/][\w.$-]+){2,}
    | (?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:pdf|txt|docx?|odt|ods|odp|odg|ott|ots|odb|xlsx?|csv
      |html?|xml|png|jpe?g|gif|svg|zip|exe|py|js|json|md|pptx?|rtf|tsv|bmp|tiff?|ini|cfg|log
      |sh|bat|dll|oxt|xcu|xcs|jar)(?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"’”"
# English nouns whose plural is the singular: a form ending in one has no number
_INVARIANT = frozenset("aircraft software hardware data series species media equipment".split())
# Dutch collectives whose English idiom is singular or plural (de invasiemacht: the forces)
_COLLECTIVE = ("macht", "krachten", "troepen", "leger", "personeel")
_DIMINUTIVE = ("tjes", "pjes", "kjes", "jes", "tje", "pje", "kje", "je")
_VOWELS = "aeiouy"
# doubled words that are English (that that, had had) and never a defect
_REAL_DOUBLES = frozenset("that had is do very so no bye blah ha".split())
_STOPWORDS = frozenset(
    """the a an of to in on for and or but with by from at as is are was were be been being
    this that these those it its their his her they he she we you your not can will which
    when where who what how than then there here also into onto only all any each more most
    some such other has have had does did do if so no yes use used using""".split()
)


def addresses(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses, domains, paths and file names: not prose."""
    found = []
    for match in _ADDRESS.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            found.append((start, end))
    return found


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def _inside(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in others)


@cache
def _pattern(form: str, exact: bool) -> re.Pattern[str]:
    """Whole words, any whitespace between them, either apostrophe; `exact`: case as written,
    but a lowercase first letter may be a capital (the West opening a sentence)."""
    words = []
    for word in form.split():
        words.append("".join("['’]" if c in "'’" else re.escape(c) for c in word))
    body = r"\s+".join(words)
    if exact and form[:1].islower():
        body = f"[{form[0]}{form[0].upper()}]" + body[len(re.escape(form[0])) :]
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if exact else re.IGNORECASE)


def spans_of(text: str, forms: Iterable[str], exact: bool) -> set[tuple[int, int]]:
    """Every whole-word span of any of `forms` in `text`, outside addresses."""
    blocked = addresses(text)
    found = set()
    for form in forms:
        if form.strip():
            for match in _pattern(form, exact).finditer(text):
                if not _overlaps(match.span(), blocked):
                    found.add(match.span())
    return found


def english_plurals(form: str) -> set[str]:
    """Regular plurals of a phrase's last word (state → states, box → boxes, formula →
    formulae, basis → bases, property → properties)."""
    head, space, last = form.rpartition(" ")
    low = last.lower()
    if low in _INVARIANT:
        endings = {last}
    elif re.search(r"[^aeiou]y$", low):
        endings = {last[:-1] + "ies"}
    elif re.search(r"(s|x|z|ch|sh)$", low):
        endings = {last + "es"} | ({last[:-2] + "es"} if low.endswith("is") else set())
    else:
        endings = {last + "s"} | ({last + "e"} if low.endswith("a") else set())
    return {f"{head}{space}{ending}" for ending in endings}


def _is_possessive(form: str) -> bool:
    return bool(re.search(r"(['’]s|s['’])$", form))


@dataclass(frozen=True)
class _Shape:
    """An entry's English sorted by number."""

    singular: frozenset[str]
    plural: frozenset[str]
    neutral: frozenset[str]  # no number (verb forms, invariant nouns)
    verb: bool


@cache
def _shape(entry: Entry) -> _Shape:
    allowed = [f for f in entry.allowed_targets if not _is_possessive(f)]
    plural = {
        f
        for f in allowed
        for g in allowed
        if g != f and f.casefold() in {p.casefold() for p in english_plurals(g)}
    }
    verb = entry.kind is TermKind.TERM and any(
        f.split()[-1].endswith(("ed", "ing")) and not entry.target.endswith(("ed", "ing"))
        for f in allowed
    )
    neutral = {f for f in allowed if f.split()[-1].lower() in _INVARIANT}
    if verb:
        neutral = set(allowed)
    singular = set(allowed) - plural - neutral
    return _Shape(frozenset(singular), frozenset(plural), frozenset(neutral), verb)


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _same_stem(stem: str, head: str) -> bool:
    """Is `stem` the headword, allowing Dutch spelling changes (cell-en, sta-ten, hui-zen)?"""
    candidates = {stem}
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        candidates.add(stem[:-1])  # kolommen → kolom
    if len(stem) > 2 and stem[-1] not in _VOWELS and stem[-2] in "aeou":
        candidates.add(stem[:-1] + stem[-2] + stem[-1])  # vazalstaten → vazalstaat
    for voiced, plain in (("z", "s"), ("v", "f")):
        if stem.endswith(voiced):
            candidates |= {c[:-1] + plain for c in list(candidates)}
    return head in candidates


def dutch_number(entry: Entry, surface: str) -> str:
    """The number of a term's Dutch surface: plural, singular, diminutive (plural)."""
    word, head = _fold(surface), _fold(entry.source)
    if word == head:
        return "singular"
    for ending in _DIMINUTIVE:
        if word.endswith(ending) and _same_stem(word[: -len(ending)], head):
            return "diminutive plural" if word.endswith("s") else "diminutive"
    for ending in ("'s", "s", "en", "n", "es"):
        if word.endswith(ending) and _same_stem(word[: -len(ending)], head):
            return "plural"
    if head.endswith("is") and word == head[:-2] + "es":
        return "plural"  # lanceerbasis → lanceerbases
    if head.endswith("heid") and word == head[:-4] + "heden":
        return "plural"
    return "singular"


def _quote_open_before(source: str, start: int) -> bool:
    """Is a quotation opened before `start` and not yet closed (so a ' after it closes it)?"""
    before = source[:start]
    opened = [m.start() for m in re.finditer(r"(?:^|(?<=\s))'(?=\w)", before)]
    closed = [m.start() for m in re.finditer(r"(?<=\w)'(?!\w)", before)]
    if opened and (not closed or max(opened) > max(closed)):
        return True
    return before.rfind("‘") > before.rfind("’")


def dutch_genitive(entry: Entry, surface: str, source: str = "", start: int = 0) -> str | None:
    """The name a Dutch genitive surface is made of (Poetins → Poetin), or None."""
    if entry.kind is not TermKind.NAME:
        return None
    word = " ".join(surface.replace("’", "'").split())
    forms = {_fold(f) for f in entry.source_forms}
    for ending in ("'s", "s", "'"):
        base = word[: -len(ending)]
        if word.endswith(ending) and base and base.casefold() in forms:
            if ending == "'" and (
                not base.endswith(("s", "x", "z")) or _quote_open_before(source, start)
            ):
                continue
            return base
    return None


def _adjectives(entry: Entry, entries: Sequence[Entry]) -> set[str]:
    """Adjectives of a name in the glossary: Russia → Russian, Europe → European."""
    target = entry.target
    if " " in target or len(target) < 4:
        return set()
    made = {target + "n", target + "an", target + "ian", target[:-1] + "ian"}
    made |= {target[:-1] + "an", target[:-1] + "ean"}
    return {
        e.target for e in entries if e is not entry and e.kind is TermKind.NAME and e.target in made
    }


@dataclass(frozen=True)
class Need:
    """What one source occurrence needs in the English."""

    category: str  # name, genitive, singular, plural, diminutive, diminutive plural, verb
    forms: frozenset[str]
    exact: bool  # case as written (names, codes)


def need(
    entry: Entry, surface: str, entries: Sequence[Entry], source: str = "", start: int = 0
) -> Need:
    exact = entry.kind is not TermKind.TERM
    if entry.kind is not TermKind.TERM:
        base = dutch_genitive(entry, surface, source, start)
        if base is None:
            return Need("name", frozenset(entry.allowed_targets), exact)
        bare = [f for f in entry.allowed_targets if not _is_possessive(f)]
        forms = {f for f in entry.allowed_targets if _is_possessive(f)}
        forms |= {f + "'s" for f in bare} | {f"of {f}" for f in bare}
        forms |= {f + "'" for f in bare if f.endswith(("s", "x", "z"))}
        forms |= _adjectives(entry, entries)
        return Need("genitive", frozenset(forms), exact)
    shape = _shape(entry)
    if shape.verb:
        return Need("verb", shape.neutral, exact)
    number = dutch_number(entry, surface)
    end = start + len(surface)
    if source[end : end + 1] == "-" and not source[end + 1 : end + 2].isalnum():
        number = "compound part"  # afbeeldings- of teltabelvelden: a linking s, no plural
    singular = set(shape.singular) | set(shape.neutral)
    plural = set(shape.plural) | set(shape.neutral)
    plural |= {p for f in shape.singular for p in english_plurals(f)}
    if number.startswith("diminutive"):
        made = set()
        for form in shape.singular:
            head, space, last = form.rpartition(" ")
            made |= {f"little {form}", f"small {form}", f"{head}{space}{last}let"}
        if number.endswith("plural"):
            return Need(
                number, frozenset(plural | {p for m in made for p in english_plurals(m)}), exact
            )
        return Need(number, frozenset(singular | made), exact)
    if number == "plural":
        return Need("plural", frozenset(plural), exact)
    if number == "compound part":
        return Need(number, frozenset(singular | plural), exact)
    if entry.source.casefold().endswith(_COLLECTIVE):
        singular |= plural
    return Need("singular", frozenset(singular or set(entry.allowed_targets)), exact)


def all_forms(entry: Entry) -> set[str]:
    """Every English form of an entry, in any number, possessive or not."""
    forms = set(entry.allowed_targets)
    bare = [f for f in forms if not _is_possessive(f)]
    forms |= {p for f in bare for p in english_plurals(f)}
    forms |= {f + "'s" for f in bare}
    return forms


@dataclass(frozen=True)
class Occurrence:
    """One source occurrence as the judge sees it; `start` indexes the Dutch sentence."""

    entry: Entry
    surface: str
    exempt: str = ""
    start: int = 0


@dataclass
class Verdict:
    occurrence: Occurrence
    status: str  # "right", "wrong", "exempt"
    need: Need | None = None
    span: tuple[int, int] | None = None
    why: str = ""  # for a wrong one: absent, wrong form 'x', forbidden 'x'


def _assign(candidates: list[list[tuple[int, int]]], budget: int = 200_000) -> list:
    """One span per occurrence, none overlapping: the most occurrences served, then the fewest
    spans that lie inside another candidate (expression inside a second regular expression is
    that repeat's, not an expressie's), then the most characters (cell range, not cell).

    Occurrences with the same candidates are interchangeable: the later one takes a later
    span, or none when the earlier one has none, which keeps the search small.
    """
    count = len(candidates)
    twin = [
        next((j for j in range(i - 1, -1, -1) if candidates[j] == candidates[i]), None)
        for i in range(count)
    ]
    every = {span for spans in candidates for span in spans}
    nested = {span: _inside(span, every) for span in every}
    best: list = [None] * count
    best_score = (-1, 0, -1)
    chosen: list = [None] * count
    visits = 0

    def search(index: int, used: list[tuple[int, int]], score: tuple[int, int, int]) -> None:
        nonlocal best, best_score, visits
        visits += 1
        if visits > budget or score[0] + (count - index) < best_score[0]:
            return
        if index == count:
            if score > best_score:
                best, best_score = list(chosen), score
            return
        earlier = chosen[twin[index]] if twin[index] is not None else (-1, -1)
        if earlier is not None:
            for span in candidates[index]:
                if span > earlier and not _overlaps(span, used):
                    chosen[index] = span
                    served, inside, length = score
                    better = (served + 1, inside - nested[span], length + span[1] - span[0])
                    search(index + 1, [*used, span], better)
        chosen[index] = None
        search(index + 1, used, score)

    search(0, [], (0, 0, 0))
    return best


class Judge:
    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self._forms = [(e, sorted(all_forms(e)), e.kind is not TermKind.TERM) for e in entries]

    def verdicts(self, english: str, occurrences: Sequence[Occurrence], source: str = ""):
        """A verdict per occurrence, in order."""
        needs = [
            None if o.exempt else need(o.entry, o.surface, self.entries, source, o.start)
            for o in occurrences
        ]
        candidates = [sorted(spans_of(english, n.forms, n.exact)) if n else [] for n in needs]
        assignment = _assign(candidates)
        present: dict[Entry, list[int]] = {}
        for index, occurrence in enumerate(occurrences):
            present.setdefault(occurrence.entry, []).append(index)
        allowed_spans = {s for c in candidates for s in c}
        forbidden: dict[Entry, str] = {}
        for entry, indexes in present.items():
            exempt = sum(1 for i in indexes if occurrences[i].exempt)
            found = sorted(
                s
                for s in spans_of(english, entry.forbidden, entry.kind is not TermKind.TERM)
                if s not in allowed_spans and not _inside(s, allowed_spans)
            )
            if len(found) > exempt:
                forbidden[entry] = english[slice(*found[exempt])]
        results = []
        for occurrence, needed, span in zip(occurrences, needs, assignment, strict=True):
            if needed is None:
                results.append(Verdict(occurrence, "exempt"))
            elif occurrence.entry in forbidden:
                why = f"forbidden {forbidden[occurrence.entry]!r}"
                results.append(Verdict(occurrence, "wrong", needed, span, why))
            elif span is not None:
                results.append(Verdict(occurrence, "right", needed, span))
            else:
                other = sorted(
                    spans_of(english, all_forms(occurrence.entry), needed.exact)
                    - set(a for a in assignment if a)
                )
                why = f"wrong form {english[slice(*other[0])]!r}" if other else "absent"
                results.append(Verdict(occurrence, "wrong", needed, None, why))
        return results

    def glossary_spans(self, english: str) -> dict[tuple[int, int], list[Entry]]:
        found: dict[tuple[int, int], list[Entry]] = {}
        for entry, forms, exact in self._forms:
            for span in spans_of(english, forms, exact):
                found.setdefault(span, []).append(entry)
        return found

    def uncredited(
        self, english: str, verdicts: Sequence[Verdict], source: str
    ) -> list[tuple[str, str, Entry]]:
        """(kind, text, entry) for each glossary span no occurrence is credited with.

        kind: "inserted" (the insertion the toolkit must flag), "extra" (its entry has an
        occurrence in the sentence: a repeat or a wrong form), "compound" (a Dutch compound
        holds the entry's Dutch: each such Dutch word explains one span), "quoted" (written
        so in the Dutch: an English key or label name such as Tab).
        """
        found = self.glossary_spans(english)
        credited = [v.span for v in verdicts if v.span is not None and v.status == "right"]
        present = {v.occurrence.entry for v in verdicts}
        words = [w.casefold() for w in re.findall(r"[\w'’-]+", source)]
        compounds_used: set[tuple[int, Entry]] = set()
        result = []
        for span in sorted(found):
            if _inside(span, found) or _overlaps(span, credited):
                continue
            owners = found[span]
            text = english[slice(*span)]
            compound = next(
                (
                    (index, entry)
                    for entry in owners
                    for index in _compounds(words, entry)
                    if (index, entry) not in compounds_used
                ),
                None,
            )
            if any(e in present for e in owners):
                kind = "extra"
            elif _pattern(text, True).search(source):
                kind = "quoted"
            elif compound is not None:
                kind = "compound"
                compounds_used.add(compound)
            else:
                kind = "inserted"
            owner = next((e for e in owners if e.kind is not TermKind.TERM), owners[0])
            result.append((kind, text, owner))
        return result


def _compounds(words: Sequence[str], entry: Entry) -> list[int]:
    """Dutch words that start or end with one of the entry's forms (bestandsnaam, werkbladcel)."""
    forms = [f.casefold() for f in entry.source_forms if len(f) >= 3 and " " not in f]
    return [
        index
        for index, word in enumerate(words)
        if any(
            word != form
            and len(word) > len(form)
            and (word.startswith(form) or word.endswith(form))
            for form in forms
        )
    ]


_DOUBLED_WORD = re.compile(r"(?<![\w'’-])(\w+)(?:\s+\1)+(?![\w'’-])", re.IGNORECASE)
_DOUBLED_PHRASE = re.compile(r"(?<![\w'’-])(\w+\s+\w+(?:\s+\w+)?)\s+\1(?![\w'’-])", re.I)
_DOUBLE_POSSESSIVE = re.compile(r"\w(?:['’]s|s['’])\s?['’]s?(?!\w)")
_ARTICLE = re.compile(r"(?<![\w'’-])(?:de|het|De|Het)\s+(?=[A-Za-z])")
_SPACE_PUNCT = re.compile(r"\w\s+[,.;:!?](?=\s|$)")
# a before a vowel (a icon), an before a consonant (an wizard); a one, an hour are English
_ARTICLE_CLASH = re.compile(
    r"(?<![\w'’-])(?:[Aa]\s+(?!one\b|once\b)[aeioAEIO]\w*|[Aa]n\s+(?!h)[b-df-gj-np-tv-z]\w*)"
)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


SWAP_WORDS = 2  # the longest wrong rendering of a term the judge accepts being swapped out


def _content(text: str, ignore: set[str]) -> set[str]:
    """The distinct content words of `text`, each cut to five letters (check is checking)."""
    words = (re.sub(r"['’]s?$", "", w.casefold()) for w in _WORDS.findall(text))
    return {
        w[:5]
        for w in words
        if len(w) > 2
        and w not in _STOPWORDS
        and w not in ignore
        and not any(c.isdigit() for c in w)
    }


def defects(text: str) -> Counter[str]:
    """The defects in `text`, each with the words it is in, counted."""
    found: Counter[str] = Counter()
    for match in _DOUBLED_WORD.finditer(text):
        if match.group(1).casefold() not in _REAL_DOUBLES and not match.group(1).isdigit():
            found[f"doubled word {match.group(1).casefold()!r}"] += 1  # then then then: one
    for match in _DOUBLED_PHRASE.finditer(text):
        found[f"doubled phrase {match.group(1).casefold()!r}"] += 1
    for match in _DOUBLE_POSSESSIVE.finditer(text):
        found[f"doubled possessive {match.group()!r}"] += 1
    for match in _ARTICLE.finditer(text):
        before = text[: match.start()].split()[-1:]
        after = text[match.end() :].split()[:1]
        particle = (
            match.group().startswith("de")
            and before
            and before[0][:1].isupper()
            and after
            and after[0][:1].isupper()
        )
        if not particle:  # Charles de Gaulle
            found[f"Dutch article {match.group() + ''.join(after)!r}"] += 1
    for match in _ARTICLE_CLASH.finditer(text):
        found[f"article {' '.join(match.group().split())!r}"] += 1
    for match in _SPACE_PUNCT.finditer(text):
        word = text[: match.start() + 1].split()[-1]
        found[f"space before punctuation {word + match.group()[1:]!r}"] += 1
    return found


def added_defects(
    raw: str, final: str, term_words: Iterable[str] = (), source: str = ""
) -> list[str]:
    """Defects `final` has and `raw`, the engine's own 1-best, has not; `term_words` are the
    glossary's words (and the Dutch surfaces), whose change is the point, not a loss;
    `source` is the Dutch, whose words copied into the English are no English nouns.

    A defect is new when its kind and words are (data data where tab tab was is new), except
    a Dutch article, new only when there are more: replacing the copied Dutch noun after a
    copied article (de inlijving → de annexation) leaves the English no worse. Content is
    dropped when at least two of the 1-best's distinct content words are gone and fewer
    than 80% are left (a rephrasing swaps words, a drop loses them).
    """
    if raw == final or not raw or not final:
        return []
    before, after = defects(raw), defects(final)
    articles = sum(v for k, v in after.items() if k.startswith("Dutch article"))
    articles -= sum(v for k, v in before.items() if k.startswith("Dutch article"))
    added = [k for k in (after - before).elements() if not k.startswith("Dutch article")]
    if articles > 0:
        added += [k for k in (after - before).elements() if k.startswith("Dutch article")]
    dutch = {w.casefold() for w in _WORDS.findall(source)}
    added += _changed_words(raw, final, dutch)
    ignore = set(term_words)
    content_before, content_after = _content(raw, ignore), _content(final, ignore)
    lost = content_before - content_after - _swapped_for_terms(raw, final, ignore)
    if len(lost) >= 2 and len(content_after) < 0.8 * len(content_before):
        added.append(f"content dropped {sorted(lost)}")
    return added


def _swapped_for_terms(raw: str, final: str, term_words: set[str]) -> set[str]:
    """Content words (as `_content` cuts them) that a word diff shows replaced in place, at
    most SWAP_WORDS of them, by nothing but glossary English: the engine's rendering of the
    term (Poet -> Putin, Joker characters -> Wildcards), which the repair is, not a loss."""
    before = [w.casefold() for w in _WORDS.findall(raw)]
    after = [w.casefold() for w in _WORDS.findall(final)]
    swapped: set[str] = set()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 > SWAP_WORDS:
            continue
        if all(re.sub(r"['’]s?$", "", w) in term_words for w in after[j1:j2]):
            swapped |= {w[:5] for w in before[i1:i2]}
    return swapped


def _changed_words(raw: str, final: str, dutch: set[str]) -> list[str]:
    """Words enforcement changed in a way English grammar refuses: a noun made plural where
    it stands before another noun (font sizes → fonts sizes) or after a/an (a pivot charts),
    and a capital lost mid-sentence (the Image icon → the images icon)."""
    before, after = _TOKEN.findall(raw), _TOKEN.findall(final)
    found = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for offset in range(i2 - i1):
            old, new, j = before[i1 + offset], after[j1 + offset], j1 + offset
            made_plural = new.casefold() in {p.casefold() for p in english_plurals(old)}
            if not made_plural and new.casefold() != old.casefold():
                continue
            same_before = i1 + offset > 0 and j > 0 and before[i1 + offset - 1] == after[j - 1]
            if old[:1].isupper() and new[:1].islower() and same_before:
                found.append(f"capital lost {old + ' → ' + new!r}")
            if not made_plural:
                continue
            following = after[j + 1] if j + 1 < len(after) else ""
            if (
                new[:1].islower()  # a capitalised plural is a label: the Macros dialog
                and following[:1].isalpha()
                and following.casefold() not in _STOPWORDS | dutch
                and not following.endswith(("ed", "ing", "ly"))
            ):
                found.append(f"plural before a noun {new + ' ' + following!r}")
            previous = [t.casefold() for t in after[max(0, j - 2) : j]]
            if previous[-1:] in (["a"], ["an"]) or (
                previous[:1] in (["a"], ["an"]) and previous[1] not in _STOPWORDS
            ):
                found.append(f"a/an before a plural {' '.join(after[max(0, j - 2) : j + 1])!r}")
    return found


def term_words(entries: Iterable[Entry], surfaces: Iterable[str] = ()) -> set[str]:
    """Folded words of the entries' English (all forms, forbidden too) and Dutch."""
    words = set()
    for entry in entries:
        for form in (*all_forms(entry), *entry.forbidden, *entry.source_forms):
            words |= {re.sub(r"['’]s?$", "", w.casefold()) for w in _WORDS.findall(form)}
    for surface in surfaces:
        words |= {re.sub(r"['’]s?$", "", w.casefold()) for w in _WORDS.findall(surface)}
    return words
