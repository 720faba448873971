"""Finding glossary terms in Dutch text: `TermMatcher(entries).find(text)`.

Occurrences come back sorted by start, non-overlapping (longest wins, then leftmost), with
offsets into the text as given. A term matches in its inflected forms (plural, genitive,
diminutive, adjective -e), in any capitalisation (names: not in lowercase), across any
whitespace between its words, and as the part of a hyphenated compound, but never inside an
unrelated word.
"""

# Inflection comes from spelling rules, not from simplemma's Dutch lemmatizer. Measured on 36
# inflected forms (mostly from the seed articles) and 12 look-alikes, each paired with the
# headword it should or should not reach: the rules missed 3 (grote: "groot" has no adjective
# ending; the irregular steden, schepen) and hit no look-alike; simplemma (lemmatize each
# token, compare the lemma) missed 10 (Poetins, Kievs, Krims, Kremlins, Loekasjenko’s,
# Uniestaten, vazalstaatjes, Belarussische, katten, balletje) and hit 2 look-alikes ("arme" as
# "arm", "Belarussische" as "Belarus"). Irregular forms go in an entry's source_variants.

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from toolkit.glossary.model import Entry, TermKind


@dataclass(frozen=True)
class Occurrence:
    entry: Entry
    surface: str  # the text as found, e.g. "Poetins"
    start: int  # character offsets into the scanned text: text[start:end] == surface
    end: int


@dataclass(frozen=True)
class _Form:
    """One surface form of one entry, as stored under its lowercased key."""

    entry_index: int
    generated: bool  # an inflection made by rule, not a headword or listed variant
    capitals: tuple[int, ...]  # offsets that must be uppercase (names: word initials)


_VOWELS = frozenset("aeiouyáéíóúàèäëïöüâêîôû")
_LONG_VOWELS = ("aa", "ee", "oo", "uu")
_SIBILANTS = frozenset("sxz")
# Endings that mark a Dutch adjective, which alone takes the attributive -e (Oekraïens →
# Oekraïense, Belarussisch → Belarussische)
_ADJECTIVE_ENDINGS = tuple("s isch ig lijk baar ief eel aal air ant ent loos zaam".split())
# Quote marks, hyphens and spaces that Dutch text writes in more than one way; each maps one
# character to one character, so offsets survive.
_SAME_LENGTH = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_WHITESPACE_RUN = re.compile(r"\s{2,}")
_PARAGRAPH_BREAK = "\n"  # what a blank line collapses to: no multi-word term spans it


def inflections(form: str, kind: TermKind) -> set[str]:
    """Forms of `form` made by rule, changing only its last word; names get only the genitive.

    Over-generation is cheap (a form that never occurs costs nothing), so where Dutch spelling
    depends on stress or etymology both candidates are made: "wapen" gives "wapens" and
    "wapenen", "huis" gives "huizen" and "huisen".
    """
    if not form or not form[-1].isalpha():
        return set()  # "SU-25", "Sovjet-Unie 2.0": no rule applies to a number
    forms = _genitives(form)
    if kind is not TermKind.NAME:
        for plural in _plurals(form):
            forms.add(plural)
        for diminutive in _diminutives(form):
            forms.update((diminutive, diminutive + "s"))
        forms.update(_adjective_forms(form))
    forms.discard(form)
    return forms


def _genitives(form: str) -> set[str]:
    last = form[-1].lower()
    if last in _SIBILANTS:
        return set()  # "Belarus'" would swallow a closing quote; the bare name still matches
    if last in _VOWELS:
        return {form + "'s", form + "s"}  # Loekasjenko's; Ruttes
    return {form + "s"}  # Poetins, Kievs


def _plurals(form: str) -> Iterator[str]:
    last = form[-1].lower()
    if last in _VOWELS:
        yield form + "s"  # annexaties, ziektes
        yield form + "'s"  # auto's
        if last == "e":
            yield form + "n"  # ziekten
        return
    if last not in _SIBILANTS:
        yield form + "s"  # kernwapens, tafels
    yield from _open_syllable(form, "en")  # vazalstaten, katten, huizen


def _diminutives(form: str) -> Iterator[str]:
    last = form[-1].lower()
    if last in _VOWELS:
        yield form + "tje"  # ideetje
        yield form + "'tje"  # auto'tje
        return
    if form.lower().endswith("ing"):
        yield form[:-1] + "kje"  # koninkje
    if last == "m":
        yield form + "pje"  # boompje
    if last in "lnrw" or form.lower().endswith("ng"):
        yield form + "tje"  # kernwapentje
    if (_short_vowel_before(form) and last in "lmnr") or form.lower().endswith("ng"):
        yield from _open_syllable(form, "etje")  # balletje, ringetje
    yield form + "je"  # vazalstaatje


def _adjective_forms(form: str) -> Iterator[str]:
    if not form.lower().endswith(_ADJECTIVE_ENDINGS):
        return  # a noun such as "arm" would otherwise match "arme" (poor)
    yield from _open_syllable(form, "e")  # Oekraïense, Belarussische, lastige


def _open_syllable(form: str, suffix: str) -> Iterator[str]:
    """`form + suffix` with the Dutch spelling changes when the last syllable opens up."""
    lower = form.lower()
    if lower[-3:-1] in _LONG_VOWELS and lower[-4:-3] not in _VOWELS:
        stem = form[:-2] + form[-1]  # staat → staten: the long vowel no longer needs doubling
        yield stem + suffix
        yield from _voiced(stem, suffix)
        return
    if _short_vowel_before(form):
        yield form + form[-1] + suffix  # kat → katten, bal → balletje
    yield form + suffix
    yield from _voiced(form, suffix)


def _voiced(stem: str, suffix: str) -> Iterator[str]:
    last = stem[-1].lower()
    if last == "f":
        yield stem[:-1] + ("V" if stem[-1].isupper() else "v") + suffix  # graaf → graven
    elif last == "s" and not stem.lower().endswith(("ss", "sch")):
        yield stem[:-1] + ("Z" if stem[-1].isupper() else "z") + suffix  # huis → huizen


def _short_vowel_before(form: str) -> bool:
    """A single vowel then a single consonant ends the word: "kat", "Krim", not "staat", "kern"."""
    lower = form.lower()
    if len(lower) < 2 or lower[-1] in _VOWELS or lower[-1] in "wxyh":
        return False
    if lower[-2] not in _VOWELS:
        return False
    return len(lower) == 2 or lower[-3] not in _VOWELS


def _same_length_lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered  # every character lowered to exactly one
    # "İ".lower() is two characters; keep such characters as they are so offsets stay put
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.combining(char) != 0


def _normalise_key(form: str) -> str:
    return _same_length_lower(" ".join(form.split()).translate(_SAME_LENGTH))


def _capitals(form: str, kind: TermKind) -> tuple[int, ...]:
    """Offsets in the space-normalised form whose letter a name requires uppercase."""
    if kind is not TermKind.NAME:
        return ()
    spaced = " ".join(form.split())
    return tuple(
        index
        for index, char in enumerate(spaced)
        if char.isupper() and (index == 0 or spaced[index - 1] == " ")
    )


class _ScanText:
    """The text as the automaton reads it: quotes and spaces unified, whitespace runs collapsed.

    Keeps the case-preserving version for the name rule and maps offsets back to the original.
    """

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self._run_positions: list[int] = []  # offsets of collapsed runs in the scanned text
        self._shifts: list[int] = [0]  # characters dropped before the scanned offset
        previous = 0
        for run in _WHITESPACE_RUN.finditer(text):
            pieces.append(text[previous : run.start()].translate(_SAME_LENGTH))
            self._run_positions.append(run.start() - self._shifts[-1])
            pieces.append(_PARAGRAPH_BREAK if run.group().count("\n") >= 2 else " ")
            self._shifts.append(self._shifts[-1] + len(run.group()) - 1)
            previous = run.end()
        pieces.append(text[previous:].translate(_SAME_LENGTH))
        self.cased = "".join(pieces)
        self.lowered = _same_length_lower(self.cased)

    def to_original(self, position: int) -> int:
        """Map an offset of a non-collapsed character of the scanned text to the original."""
        return position + self._shifts[bisect_left(self._run_positions, position)]


class TermMatcher:
    """Finds the occurrences of many glossary entries in one pass over a text."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        forms_by_key: dict[str, dict[int, _Form]] = {}
        for index, entry in enumerate(self.entries):
            for written in dict.fromkeys((entry.source, *entry.source_variants)):
                if not written.strip():
                    continue
                capitals = _capitals(written, entry.kind)
                self._add(forms_by_key, written, _Form(index, False, capitals))
                for inflected in inflections(" ".join(written.split()), entry.kind):
                    self._add(forms_by_key, inflected, _Form(index, True, capitals))
        self._automaton = ahocorasick.Automaton()
        for key, forms in forms_by_key.items():
            self._automaton.add_word(key, (len(key), tuple(forms.values())))
        if forms_by_key:
            self._automaton.make_automaton()

    @property
    def form_count(self) -> int:
        """How many distinct surface forms (headwords, variants, inflections) the scan looks for."""
        return len(self._automaton)

    @staticmethod
    def _add(forms_by_key: dict[str, dict[int, _Form]], written: str, form: _Form) -> None:
        forms = forms_by_key.setdefault(_normalise_key(written), {})
        known = forms.get(form.entry_index)
        if known is None or (known.generated and not form.generated):
            forms[form.entry_index] = form  # a listed form outranks the same string made by rule

    def find(self, text: str) -> list[Occurrence]:
        if not self.entries or not text:
            return []
        scan = _ScanText(text)
        cased, lowered = scan.cased, scan.lowered
        candidates: list[tuple[int, int, bool, int, int]] = []
        for last, (length, forms) in self._automaton.iter(lowered):
            start = last - length + 1
            end = last + 1
            if start > 0 and _is_word_char(lowered[start - 1]):
                continue  # starts mid-word; a hyphen before it is fine ("anti-Navo")
            if end < len(lowered) and _is_word_char(lowered[end]):
                continue  # "kieviet" is not "Kiev", "krimp" not "Krim"; a hyphen is fine
            for form in forms:
                if all(cased[start + offset].isupper() for offset in form.capitals):
                    candidates.append((-length, start, form.generated, form.entry_index, end))
        # longest first, then leftmost, then a listed form over one made by rule, then file order
        candidates.sort()
        taken = bytearray(len(lowered))
        chosen: list[tuple[int, int, int]] = []
        for _negative_length, start, _generated, entry_index, end in candidates:
            if taken.find(1, start, end) != -1:
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, entry_index))
        chosen.sort()
        occurrences = []
        for start, end, entry_index in chosen:
            original_start = scan.to_original(start)
            original_end = scan.to_original(end - 1) + 1
            occurrences.append(
                Occurrence(
                    self.entries[entry_index],
                    text[original_start:original_end],
                    original_start,
                    original_end,
                )
            )
        return occurrences
