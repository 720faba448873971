"""Finding glossary terms in Dutch text: `TermMatcher(entries).find(text)`.

Occurrences come back sorted by start, non-overlapping (longest wins, then leftmost), with
offsets into the text as given. A term matches in its inflected forms (plural, genitive,
diminutive, adjective -e), in any capitalisation (names: not in lowercase), across any
whitespace between its words, and as the part of a hyphenated compound, but never inside an
unrelated word, a URL, an e-mail address or a file name. An occurrence that only mentions the
word (a former name: "de vroegere naam Wit-Rusland") carries an `exempt` reason.
"""

# Inflection rules: `toolkit.lang.nl` (why rules, not a lemmatizer, is measured there).

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick  # pyahocorasick ships no stubs: Any, as ignore_missing_imports says

from toolkit.glossary.model import Entry, TermKind
from toolkit.lang import nl


@dataclass(frozen=True)
class Occurrence:
    entry: Entry
    surface: str  # the text as found, e.g. "Poetins"
    start: int  # character offsets into the scanned text: text[start:end] == surface
    end: int
    exempt: str = ""  # why the occurrence needs no rendering (a mention of a former name)


@dataclass(frozen=True)
class _Form:
    """One surface form of one entry, as stored under its lowercased key."""

    entry_index: int
    generated: bool  # an inflection made by rule, not a headword or listed variant
    capitals: tuple[int, ...]  # offsets that must be uppercase (names: word initials)


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
    """Forms of `form` made by Dutch spelling rules (`lang.nl.inflections`); names: genitive."""
    return nl.inflections(form, name=kind is TermKind.NAME)


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
        protected = protected_spans(text)
        occurrences = []
        for start, end, entry_index in chosen:
            original_start = scan.to_original(start)
            original_end = scan.to_original(end - 1) + 1
            if any(original_start < b and a < original_end for a, b in protected):
                continue  # "…/navo-kernwapens-analyse" is an address, not prose
            entry = self.entries[entry_index]
            if _genitive_apostrophe_follows(entry, text, original_start, original_end):
                original_end += 1  # Belarus' president: the genitive of a name in -s
            surface = text[original_start:original_end]
            occurrences.append(
                Occurrence(
                    entry,
                    surface,
                    original_start,
                    original_end,
                    mention_reason(entry, text, original_start, original_end),
                )
            )
        return occurrences


# Addresses and file names are copied, never translated: a term inside one is not a term.
_PROTECTED = re.compile(
    r"""
    (?:https?|ftp)://[^\s<>"“”‘’]+                         # URL with a scheme
    | www\.[^\s<>"“”‘’]+                                   # URL without one
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+              # e-mail address
    | (?<![\w@/.-])[\w-]+(?:\.[\w-]+)*\.(?:nl|be|com|org|net|int|eu|gov|ru|by|ua|de|uk|io)
      (?:/[^\s<>"“”‘’]*)?(?![\w-])                          # bare domain, maybe with a path
    | (?<![\w/.-])(?:[\w.-]+/){2,}[\w.-]+                    # a path (en/of is no path)
    | (?<![\w.-])[\w-]+\.(?:pdf|docx?|odt|txt|html?|xlsx?|csv|pptx?|png|jpe?g|zip|tsv|tmx)
      (?![\w-])                                             # a file name
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"’”"


def protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of URLs, e-mail addresses, paths and file names in `text`, in order.

    A sentence's closing full stop or bracket after an address is not part of it. Sentences
    are cached (enforcement checks each candidate English once per occurrence and per step);
    long texts, scanned once by the matcher, are not kept.
    """
    return _protected_sentence(text) if len(text) <= 4096 else _protected(text)


@lru_cache(maxsize=1024)
def _protected_sentence(text: str) -> tuple[tuple[int, int], ...]:
    return _protected(text)


def _protected(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for match in _PROTECTED.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        if end > start:
            spans.append((start, end))
    return tuple(spans)


def _genitive_apostrophe_follows(entry: Entry, text: str, start: int, end: int) -> bool:
    """A name in -s followed by an apostrophe that closes no quotation opened before it."""
    if entry.kind is not TermKind.NAME or not text[start:end].endswith(("s", "x", "z")):
        return False
    if (
        end >= len(text)
        or text[end] not in "'’"
        or (end + 1 < len(text) and _is_word_char(text[end + 1]))
    ):
        return False
    if text[end] == "’":
        return text.rfind("‘", 0, start) <= text.rfind("’", 0, start)
    openings = [m.end() for m in re.finditer(r"(?:^|(?<=\s))'", text[:start])]
    closings = [m.start() for m in re.finditer(r"'(?=\W|$)", text[:start])]
    return not openings or (bool(closings) and max(closings) >= max(openings))


_QUOTES_OPEN = "\"'‘“„«‹"
_QUOTES_CLOSE = "\"'’”«»›"
# Words that introduce a name as a name ("heette Wit-Rusland", "de vroegere naam Wit-Rusland")
_NAMING_CUES = re.compile(
    r"(?<!\w)(?:heette|heetten|heet|heten|naam|benaming|genaamd|noemde|noemden|genoemd|"
    r"voorheen|vroeger|vroegere|destijds|toenmalige|bekend\s+als|tot\s+voor\s+kort|"
    r"toen\s+nog|ooit|oude|sprak(?:en)?\s+(?:men\s+)?van|zei(?:den)?\s+men|"
    r"in\s+plaats\s+van)(?!\w)",
    re.IGNORECASE,
)
# the same naming after the name, in its clause: "werd tot 1991 Wit-Rusland genoemd"
_NAMING_CUES_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:genoemd|heette|heetten|noemde|noemden|heten)(?!\w)",
    re.IGNORECASE,
)
_CUE_WINDOW = 40  # characters before the surface, within its clause


def mention_reason(entry: Entry, text: str, start: int, end: int) -> str:
    """Why `text[start:end]` only mentions the word, or "" when it is used and must be rendered.

    A mention is a name the entry treats as wrong today (a Dutch variant that is also forbidden,
    such as Wit-Rusland) quoted or introduced as a name ("heette", "vroeger", "de naam"), or any
    surface in quotes right after such a cue ("de naam 'Kiev'"). Scare quotes alone, as in de
    zogenaamde 'denazificatie', are no mention: the word is still used.
    """
    surface = text[start:end]
    quoted = (
        start > 0
        and text[start - 1] in _QUOTES_OPEN
        and end < len(text)
        and text[end] in _QUOTES_CLOSE
    )
    window_start = max(0, start - (1 if quoted else 0) - _CUE_WINDOW)
    before = re.split(r"[.;:!?()]", text[window_start : start - (1 if quoted else 0)])[-1]
    cue = _NAMING_CUES.search(before)
    where = "after"
    if cue is None:
        after = re.split(r"[.;:!?(),]", text[end + (1 if quoted else 0) : end + _CUE_WINDOW])[0]
        cue, where = _NAMING_CUES_AFTER.search(after), "before"
    if quoted and cue:
        return f"mention: {surface!r} quoted as a name {where} {_cue_words(cue, where)!r}"
    old_name = surface.casefold() != entry.source.casefold() and surface.casefold() in {
        f.casefold() for f in entry.forbidden
    }
    if old_name and quoted:
        return f"mention: former name {surface!r} quoted"
    if old_name and cue:
        return f"mention: former name {surface!r} {where} {_cue_words(cue, where)!r}"
    return ""


def _cue_words(cue: re.Match[str], where: str) -> str:
    """The cue as written ("tot voor kort"); after the name, only the naming verb."""
    words = cue.group().split()
    return words[-1] if where == "before" else " ".join(words)


def dutch_genitive_base(entry: Entry, surface: str) -> str | None:
    """The name a Dutch genitive is made of (Poetins → Poetin, Belarus' → Belarus), or None.

    Only names have a genitive here: "kernwapens" is a plural. The surface must be one of the
    entry's own forms plus a genitive ending.
    """
    if entry.kind is not TermKind.NAME:
        return None
    normalised = " ".join(surface.split()).translate(_SAME_LENGTH)
    forms = {" ".join(f.split()).casefold() for f in entry.source_forms}
    if normalised.casefold() in forms and not any(
        normalised.casefold() == f + ending for f in forms for ending in nl.GENITIVE_ENDINGS
    ):
        return None
    for ending in nl.GENITIVE_ENDINGS:
        base = normalised[: -len(ending)]
        if normalised.endswith(ending) and base and base.casefold() in forms:
            if ending == "'" and not base.endswith(("s", "x", "z")):
                continue  # a closing quote, not a genitive
            return base
    return None


def is_dutch_diminutive(entry: Entry, surface: str) -> bool:
    """Is `surface` a diminutive of the headword (vazalstaatje, vazalstaatjes)?"""
    word, head = surface.casefold(), entry.source.casefold()
    if head.endswith(nl.DIMINUTIVE_ENDINGS) or not word.endswith(nl.DIMINUTIVE_ENDINGS):
        return False
    return word.startswith(head[: max(3, len(head) - 2)])
