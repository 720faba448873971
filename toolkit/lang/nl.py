"""Dutch: the language knowledge the toolkit applies to Dutch text, as data and rules.

Spelling rules for the forms a glossary term takes in running text (plural, genitive,
diminutive, adjective -e). They import nothing from the toolkit, so the glossary, the
stages and the QA checks can all use them without an import cycle.
"""

# Inflection comes from spelling rules, not from simplemma's Dutch lemmatizer. Measured on 36
# inflected forms (mostly from the seed articles) and 12 look-alikes, each paired with the
# headword it should or should not reach: the rules missed 3 (grote: "groot" has no adjective
# ending; the irregular steden, schepen) and hit no look-alike; simplemma (lemmatize each
# token, compare the lemma) missed 10 (Poetins, Kievs, Krims, Kremlins, Loekasjenko’s,
# Uniestaten, vazalstaatjes, Belarussische, katten, balletje) and hit 2 look-alikes ("arme" as
# "arm", "Belarussische" as "Belarus"). Irregular forms go in an entry's source_variants.

from __future__ import annotations

from collections.abc import Iterator

_VOWELS = frozenset("aeiouyáéíóúàèäëïöüâêîôû")
_LONG_VOWELS = ("aa", "ee", "oo", "uu")
_SIBILANTS = frozenset("sxz")
# Endings that mark a Dutch adjective, which alone takes the attributive -e (Oekraïens →
# Oekraïense, Belarussisch → Belarussische)
_ADJECTIVE_ENDINGS = tuple("s isch ig lijk baar ief eel aal air ant ent loos zaam".split())


def inflections(form: str, *, name: bool = False) -> set[str]:
    """Forms of `form` made by rule, changing only its last word; names get only the genitive.

    Over-generation is cheap (a form that never occurs costs nothing), so where Dutch spelling
    depends on stress or etymology both candidates are made: "wapen" gives "wapens" and
    "wapenen", "huis" gives "huizen" and "huisen".
    """
    if not form or not form[-1].isalpha():
        return set()  # "SU-25", "Sovjet-Unie 2.0": no rule applies to a number
    forms = _genitives(form)
    if not name:
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
