"""A seeded engine that makes NMT's term errors at realistic rates, for tests and benchmarks.

Glossary terms in the Dutch come out right most of the time, else copied, transliterated,
calqued, dropped, in the wrong number or without their possessive; names are sometimes
hallucinated into the English, and English injected into the source is usually copied.
Other words go through a small word list or are copied. Every output's term units are logged
in `units`, so a benchmark can judge the English without the glossary checker.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.glossary.model import Entry, TermKind

# How often each thing happens to one Dutch term occurrence; the rest come out right.
DEFAULT_RATES: Mapping[str, float] = {
    "copy": 0.07,  # the Dutch surface copied (Loekasjenko)
    "forbidden": 0.06,  # a known wrong rendering (vazal state, Kiev)
    "transliteration": 0.03,  # another spelling (Lukashenka, Poutine)
    "calque": 0.05,  # a synonym or literal rendering (incorporation, atomic weapon)
    "drop": 0.04,  # the term left out
    "number": 0.05,  # singular for plural or the reverse
    "possessive": 0.08,  # a genitive name without its possessive (Putin visit)
    "insert": 0.04,  # per sentence: a name the source does not have
    "mangle_injected": 0.15,  # an English term in the source not copied as is
}
CALQUES: Mapping[str, str] = {
    "annexation": "incorporation",
    "vassal state": "satellite state",
    "nuclear weapon": "atomic weapon",
    "staging ground": "base",
    "invasion force": "invasion army",
    "launch site": "launching base",
    "training ground": "practice terrain",
    "fighter jet": "hunting plane",
    "world order": "world system",
    "armed forces": "fighting forces",
    "foreign policy": "foreign politics",
    "exclave": "outpost",
    "annex": "incorporate",
    "Union State": "Unity State",
    "Greater Eurasian Partnership": "Larger Eurasian Partnership",
}
WORDS: Mapping[str, str] = dict(
    pair.replace("_", " ").split(":")  # "_" joins the words of one English rendering
    for pair in (
        "de:the het:the een:a en:and of:or van:of in:in op:on aan:to met:with voor:for "
        "naar:to uit:from bij:at over:about tegen:against door:by is:is was:was zijn:are "
        "waren:were werd:became wordt:is heeft:has hebben:have had:had zal:will zou:would "
        "kan:can niet:not geen:no ook:also nog:still al:already maar:but dat:that die:that "
        "dit:this deze:these er:there hij:he zij:they ze:they het:it wij:we we:we zich:itself "
        "hun:their zijn:his haar:her als:as om:to te:to dan:than nu:now toen:then sinds:since "
        "na:after tijdens:during zonder:without onder:under tussen:between land:country "
        "landen:countries stad:city leger:army president:president dictator:dictator "
        "bezoek:visit plan:plan plannen:plans doel:aim oorlog:war vrede:peace grens:border "
        "grenzen:borders verdrag:treaty regering:government minister:minister troepen:troops "
        "raketten:missiles steun:support dreiging:threat macht:power nieuwe:new oude:old "
        "grote:large kleine:small sprak:spoke zei:said zegt:says wil:wants wilde:wanted "
        "bezocht:visited dreigt:threatens kwam:came gaat:goes ging:went staat:stands "
        "heette:was_called heet:is_called naam:name vroeger:formerly voorheen:previously "
        "vroegere:former zie:see lees:read meer:more website:website rapport:report "
        "analyse:analysis bestand:file via:via mail:mail volgens:according_to "
        "waar:where wat:what wie:who hoe:how waarom:why jaar:year jaren:years "
        "zeggen:say noemt:calls noemde:called genoemd:called bekend:known zogenaamde:so-called "
        "begon:began steeds:ever meer:more dreigde:threatened richting:towards"
    ).split()
)
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+?(?=[.,;:!?)]?(?:\s|$))|[\w.+-]+@[\w.-]+\w|"
    r"[\w-]+\.(?:pdf|docx?|txt|html?|csv|xlsx?)\b"
)
_TOKEN = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Unit:
    """One term unit of an output: where it is, what it renders, and what happened to it.

    `origin` is "dutch" (a Dutch term occurrence), "injected" (English written in the source),
    or "inserted" (a name with nothing behind it in the source); `error` names the error made,
    "" for a right rendering. A dropped term has an empty span.
    """

    origin: str
    start: int
    end: int
    entry_source: str
    error: str = ""
    right: str = ""  # the rendering this engine holds right ("" for an inserted name)


def _plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _singular(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    last = last[:-3] + "y" if last.endswith("ies") else last.removesuffix("s")
    return f"{head} {last}".strip()


def _genitive(name: str) -> str:
    return name + "'s"


def lexicon_from(entries: Sequence[Entry]) -> dict[str, tuple[Entry, str]]:
    """Dutch surface (lowercase) → (entry, right English), by this engine's own morphology."""
    lexicon: dict[str, tuple[Entry, str]] = {}

    def add(form: str, entry: Entry, english: str) -> None:
        lexicon.setdefault(form.lower(), (entry, english))

    for entry in entries:
        head = entry.source
        add(head, entry, entry.target)
        for variant in entry.source_variants:
            lower, hlow = variant.lower(), head.lower()
            if entry.kind is TermKind.NAME and lower in (hlow + "s", hlow + "'s", hlow + "’s"):
                add(variant, entry, _genitive(entry.target))
            elif entry.kind is TermKind.TERM and lower.endswith(("jes", "je")):
                little = f"little {entry.target}"
                add(variant, entry, _plural(little) if lower.endswith("s") else little)
            elif (
                entry.kind is TermKind.TERM
                and lower.startswith(hlow[:-2])
                and len(lower) > len(hlow)
            ):
                add(variant, entry, _plural(entry.target))
            elif lower.endswith(" " + hlow):
                add(variant, entry, variant[: -len(head)] + entry.target)
            else:
                add(variant, entry, entry.target)
        if entry.kind is TermKind.NAME and head[-1:].isalpha():
            add(head + ("'s" if head[-1] in "aeiou" else "s"), entry, _genitive(entry.target))
        if entry.kind is TermKind.TERM:
            for plural in (head + "en", head + "s"):
                add(plural, entry, _plural(entry.target))
    return lexicon


class AdversarialEngine:
    """Term-level NMT errors drawn from a seeded generator; deterministic per seed and source."""

    name = "adversarial"

    def __init__(
        self,
        settings: EngineSettings | None = None,
        *,
        seed: int = 0,
        entries: Sequence[Entry] | None = None,
        lexicon: Mapping[str, tuple[Entry, str]] | None = None,
        rates: Mapping[str, float] | None = None,
    ) -> None:
        self.settings = settings or EngineSettings()
        self.seed = seed
        self.rates = {**DEFAULT_RATES, **(rates or {})}
        self._entries = list(entries) if entries is not None else None
        self._lexicon = dict(lexicon) if lexicon is not None else None
        self.units: dict[str, tuple[Unit, ...]] = {}  # output text → its term units

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            from toolkit.glossary.tsv import read_glossary  # only when no entries were given

            path = Path(__file__).resolve().parents[2] / "glossary" / "nl-en.tsv"
            self._entries = read_glossary(path).entries
        return self._entries

    @property
    def lexicon(self) -> dict[str, tuple[Entry, str]]:
        if self._lexicon is None:
            self._lexicon = lexicon_from(self.entries)
        return self._lexicon

    def describe(self) -> str:
        return f"adversarial (seed {self.seed}, {len(self.lexicon)} term forms)"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        return [
            Translation(
                tuple(
                    Hypothesis(self._render(source, rank, ()), -float(rank))
                    for rank in range(num_hypotheses)
                )
            )
            for source in sources
        ]

    def translate_suppressing(
        self, sources: Sequence[str], banned: Sequence[str]
    ) -> list[Translation]:
        """Decode again with `banned` phrases never produced: a banned rendering is redrawn."""
        return [Translation((Hypothesis(self._render(s, 0, tuple(banned)), 0.0),)) for s in sources]

    # -- rendering --

    def _pattern(self) -> re.Pattern[str]:
        english = {f for e in self.entries for f in _english_forms(e)}
        keys = sorted({*self.lexicon, *(f.lower() for f in english)}, key=len, reverse=True)
        return re.compile(
            r"(?<![\w'’-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", re.IGNORECASE
        )

    def _render(self, source: str, rank: int, banned: Sequence[str]) -> str:
        base = random.Random(f"{self.seed}|{source}")
        english_units = {f: e for e in self.entries for f in _english_forms(e)}
        pattern = getattr(self, "_compiled", None) or self._pattern()
        self._compiled = pattern
        pieces: list[str] = []
        units: list[tuple[str, str, str, str, str]] = []  # origin, text, entry, error, right
        position = 0
        term_index = 0
        protected = [m.span() for m in _PROTECTED.finditer(source)]
        for match in pattern.finditer(source):
            start, end = match.span()
            if any(a <= start < b for a, b in protected):
                continue  # addresses are copied whole
            surface = match.group()
            found = self.lexicon.get(surface.lower())
            injected = english_units.get(surface)
            if found is None and injected is None:
                continue
            entry = found[0] if found else injected
            assert entry is not None
            if entry.kind is not TermKind.TERM and not surface[:1].isupper():
                continue  # a lowercase look-alike of a name
            pieces.append(self._words(source[position:start], protected, position))
            # each term draws on its own, so hypothesis k can redraw only its k-th term:
            # n-best lists differ locally, as beam search's do
            key = f"{self.seed}|{source}|{term_index}"
            if rank and term_index == rank - 1:
                key += f"|rank {rank}"
            if banned:
                key += "|suppressed"
            rng = random.Random(key)
            if found is not None:
                text, error = self._term(rng, entry, surface, found[1], banned)
                units.append(("dutch", text, entry.source, error, found[1]))
            else:
                text, error = self._injected(rng, entry, surface)
                units.append(("injected", text, entry.source, error, surface))
            pieces.append("\x00")  # the unit's place, filled below
            position = end
            term_index += 1
        pieces.append(self._words(source[position:], protected, position))
        if base.random() < self.rates["insert"]:
            self._insert(base, pieces, units, source)
        return self._assemble(pieces, units, source)

    def _insert(
        self,
        rng: random.Random,
        pieces: list[str],
        units: list[tuple[str, str, str, str, str]],
        source: str,
    ) -> None:
        present = {u[2] for u in units}
        names = [
            e
            for e in self.entries
            if e.kind is TermKind.NAME
            and e.source not in present
            and " " not in e.target
            and e.target not in source
        ]
        if not names:
            return
        entry = rng.choice(names)
        slot = rng.randrange(len([p for p in pieces if p == "\x00"]) + 1)
        placed = 0
        for index, piece in enumerate(pieces):
            if piece == "\x00":
                if placed == slot:
                    pieces.insert(index, "\x00")
                    pieces.insert(index + 1, " ")
                    units.insert(slot, ("inserted", entry.target, entry.source, "inserted", ""))
                    return
                placed += 1
        pieces.insert(len(pieces) - 1, " \x00")
        units.append(("inserted", entry.target, entry.source, "inserted", ""))

    def _assemble(
        self, pieces: list[str], units: list[tuple[str, str, str, str, str]], source: str
    ) -> str:
        text = ""
        spans: list[Unit] = []
        iterator = iter(units)
        for piece in pieces:
            while "\x00" in piece:
                before, _, piece = piece.partition("\x00")
                text += before
                origin, rendered, entry_source, error, right = next(iterator)
                if not rendered:
                    text = text.rstrip(" ")
                spans.append(
                    Unit(origin, len(text), len(text) + len(rendered), entry_source, error, right)
                )
                text += rendered
            text += piece
        # tidy as a decoder would: no double spaces, the first letter capitalised like the source
        collapsed = ""
        shift = [0] * (len(text) + 1)
        removed = 0
        for index, char in enumerate(text):
            shift[index] = removed
            if char == " " and (collapsed.endswith(" ") or not collapsed):
                removed += 1
                continue
            collapsed += char
        shift[len(text)] = removed
        final_units = tuple(
            Unit(
                u.origin,
                u.start - shift[u.start],
                u.end - shift[u.end],
                u.entry_source,
                u.error,
                u.right,
            )
            for u in spans
        )
        result = collapsed.rstrip()
        if source[:1].isupper() and result[:1].islower():
            result = result[:1].upper() + result[1:]
        self.units[result] = final_units
        return result

    def _words(self, chunk: str, protected: list[tuple[int, int]], offset: int) -> str:
        def word(match: re.Match[str]) -> str:
            if any(a <= offset + match.start() < b for a, b in protected):
                return match.group()
            token = match.group()
            english = WORDS.get(token.lower())
            if english is None:
                return token  # NMT copies what it does not know
            return english.capitalize() if token[:1].isupper() else english

        return _TOKEN.sub(word, chunk)

    def _term(
        self, rng: random.Random, entry: Entry, surface: str, right: str, banned: Sequence[str]
    ) -> tuple[str, str]:
        draws = list(self.rates.items())
        roll = rng.random()
        for error, rate in draws:
            if error in ("insert", "mangle_injected"):
                continue
            if roll < rate:
                wrong = self._error(rng, error, entry, surface, right)
                if wrong is not None and wrong != right and not _is_banned(wrong, banned):
                    return wrong, error
                break
            roll -= rate
        return right, ""

    def _error(
        self, rng: random.Random, error: str, entry: Entry, surface: str, right: str
    ) -> str | None:
        genitive = right.endswith("'s")
        if error == "copy":
            return surface
        if error == "forbidden":
            options = [f for f in entry.forbidden if f.lower() != surface.lower()]
            return rng.choice(options) if options else None
        if error == "transliteration" and entry.kind is TermKind.NAME:
            spelled = surface.replace("oe", "ou").replace("sj", "sh").replace("j", "y")
            return spelled if spelled != surface else right.replace("o", "a", 1)
        if error == "calque":
            base = right.removesuffix("'s")
            for english, calque in CALQUES.items():
                if english.lower() in base.lower():
                    return re.sub(re.escape(english), calque, right, flags=re.IGNORECASE)
            return None
        if error == "drop":
            return ""
        if error == "number" and entry.kind is TermKind.TERM:
            return _singular(right) if right.endswith("s") else _plural(right)
        if error == "possessive" and genitive:
            return right.removesuffix("'s")
        return None

    def _injected(self, rng: random.Random, entry: Entry, surface: str) -> tuple[str, str]:
        if rng.random() >= self.rates["mangle_injected"]:
            return surface, ""
        choice = rng.randrange(3)
        if choice == 0 and entry.forbidden:
            return entry.forbidden[0], "mangled"  # transliterated back (Loekasjenko)
        if choice == 1 and surface.endswith("'s"):
            return surface[:-2], "mangled"
        return surface.lower(), "mangled"


def _english_forms(entry: Entry) -> set[str]:
    forms = set(entry.allowed_targets)
    forms |= {_genitive(f) for f in entry.allowed_targets if not f.endswith("'s")}
    if entry.kind is TermKind.TERM:
        forms |= {_plural(f) for f in entry.allowed_targets}
    return {f for f in forms if f}


def _is_banned(text: str, banned: Sequence[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(b)}(?!\w)", text) for b in banned if b)
