"""Golden tables for `toolkit.glossary.match`: what a term matches in Dutch text and what not."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.glossary.match import Occurrence, TermMatcher, inflections
from toolkit.glossary.model import Entry, TermKind

NAME = TermKind.NAME
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def term(source: str, *variants: str) -> Entry:
    return Entry(source, source.upper(), TermKind.TERM, source_variants=variants)


def name(source: str, *variants: str) -> Entry:
    return Entry(source, source.upper(), NAME, source_variants=variants)


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    occurrences = matcher.find(text)
    assert_well_formed(text, occurrences)
    return [(occurrence.surface, occurrence.entry.source) for occurrence in occurrences]


def assert_well_formed(text: str, occurrences: list[Occurrence]) -> None:
    """Offsets point at the surface, in order, never overlapping."""
    previous_end = 0
    for occurrence in occurrences:
        assert text[occurrence.start : occurrence.end] == occurrence.surface
        assert occurrence.start >= previous_end
        previous_end = occurrence.end


CASES = [
    # -- inflection made by rule --
    # plural with the long vowel undoubled: staat → staten
    ([term("vazalstaat")], "twee vazalstaten", [("vazalstaten", "vazalstaat")]),
    # plural -s after an unstressed -en
    ([term("kernwapen")], "Russische kernwapens", [("kernwapens", "kernwapen")]),
    # plural with the consonant doubled after a short vowel: kat → katten
    ([term("kat")], "twee katten", [("katten", "kat")]),
    # plural with s → z: huis → huizen
    ([term("huis")], "drie huizen", [("huizen", "huis")]),
    # plural -s on a word in -e
    ([term("annexatie")], "de annexaties", [("annexaties", "annexatie")]),
    # genitive -s on a name
    ([name("Poetin")], "Poetins doel", [("Poetins", "Poetin")]),
    # genitive 's on a name in a vowel
    ([name("Loekasjenko")], "Loekasjenko's leger", [("Loekasjenko's", "Loekasjenko")]),
    # genitive written with a typographic apostrophe, as newspapers do
    ([name("Loekasjenko")], "Loekasjenko’s leger", [("Loekasjenko’s", "Loekasjenko")]),
    # genitive of a place name: "Kievs" is Kiev
    ([name("Kiev")], "Kievs burgemeester", [("Kievs", "Kiev")]),
    # diminutive -je
    ([term("vazalstaat")], "een vazalstaatje", [("vazalstaatje", "vazalstaat")]),
    # diminutive plural
    ([term("vazalstaat")], "kleine vazalstaatjes", [("vazalstaatjes", "vazalstaat")]),
    # diminutive -etje after a short vowel: bal → balletje
    ([term("bal")], "een balletje", [("balletje", "bal")]),
    # attributive adjective -e after -s
    ([term("Oekraïens")], "Oekraïense doelen", [("Oekraïense", "Oekraïens")]),
    # attributive adjective -e after -isch
    ([term("Belarussisch")], "de Belarussische dictator", [("Belarussische", "Belarussisch")]),
    # a noun gets no adjective -e: "arme" (poor) is not "arm"
    ([term("arm")], "het arme land", []),
    # an irregular plural is found through an explicit source variant
    ([term("stad", "steden")], "twee steden", [("steden", "stad")]),
    # a listed variant is matched even when no rule would make it
    ([name("Kiev", "Kyiv")], "in Kyiv", [("Kyiv", "Kiev")]),
    # a name in -s takes an apostrophe-only genitive: Belarus' president
    ([name("Belarus")], "Belarus' president", [("Belarus'", "Belarus")]),
    # an apostrophe closing a quotation is no genitive
    ([name("Belarus")], "zei 'naar Belarus' en", [("Belarus", "Belarus")]),
    # -- never inside an address or a file name --
    # a term inside a URL path is copied, not translated
    ([term("kernwapen"), name("Navo")], "https://nos.nl/navo-kernwapens-analyse", []),
    # an e-mail address
    ([name("Poetin")], "schrijf poetin@kremlin.ru", []),
    # a file name
    ([term("kernwapen")], "zie kernwapens.pdf nu", []),
    # the prose next to an address still counts
    ([name("Navo")], "De Navo: www.navo.int.", [("Navo", "Navo")]),
    # -- capitalisation --
    # a term in a headline in capitals
    ([term("denazificatie")], "DENAZIFICATIE VAN OEKRAÏNE", [("DENAZIFICATIE", "denazificatie")]),
    # a term capitalised at the start of a sentence
    ([term("vazalstaat")], "Vazalstaten zijn er genoeg.", [("Vazalstaten", "vazalstaat")]),
    # a name in capitals
    ([name("Navo")], "DE NAVO ZWIJGT", [("NAVO", "Navo")]),
    # a lowercase look-alike of a name is not the name
    ([name("Navo")], "de navo zwijgt", []),
    # a name's other words keep their capitals: "verenigde staten" is not the country
    ([name("Verenigde Staten")], "onze verenigde staten", []),
    # a name's lowercase plural look-alike: "onze staten" is not "Verenigde Staten"
    ([name("Verenigde Staten")], "de Europese staten", []),
    # -- multi-word terms --
    # three words, all of them needed
    (
        [name("Grotere Euraziatische Partnerschap")],
        "het Grotere Euraziatische Partnerschap",
        [("Grotere Euraziatische Partnerschap", "Grotere Euraziatische Partnerschap")],
    ),
    # a first name and surname
    (
        [name("Sergej Sjojgoe")],
        "minister Sergej Sjojgoe zei",
        [("Sergej Sjojgoe", "Sergej Sjojgoe")],
    ),
    # any whitespace between the words: a line break inside a hard-wrapped paragraph
    (
        [name("Sergej Sjojgoe")],
        "minister Sergej\nSjojgoe zei",
        [("Sergej\nSjojgoe", "Sergej Sjojgoe")],
    ),
    # any whitespace between the words: several spaces and a tab
    (
        [name("Verenigde Staten")],
        "de Verenigde  \t Staten",
        [("Verenigde  \t Staten", "Verenigde Staten")],
    ),
    # a blank line ends a paragraph: no term spans it
    ([name("Verenigde Staten")], "de Verenigde\n\nStaten", []),
    # a multi-word name takes the genitive on its last word
    ([name("Sergej Sjojgoe")], "Sergej Sjojgoes woorden", [("Sergej Sjojgoes", "Sergej Sjojgoe")]),
    # -- longest match first --
    # two entries, the full name wins over the surname
    (
        [name("Loekasjenko"), name("Aleksandr Loekasjenko")],
        "dictator Aleksandr Loekasjenko",
        [("Aleksandr Loekasjenko", "Aleksandr Loekasjenko")],
    ),
    # the full name as a variant of the surname's entry covers the whole span
    (
        [name("Loekasjenko", "Aleksandr Loekasjenko")],
        "dictator Aleksandr Loekasjenko's",
        [("Aleksandr Loekasjenko's", "Loekasjenko")],
    ),
    # a differently spelled first name falls back to the surname alone
    (
        [name("Loekasjenko", "Aleksandr Loekasjenko")],
        "Aleksander Loekasjenko",
        [("Loekasjenko", "Loekasjenko")],
    ),
    # a term inside a longer term is not reported twice
    (
        [name("Unie"), name("Euraziatische Unie")],
        "de Euraziatische Unie en de Unie",
        [("Euraziatische Unie", "Euraziatische Unie"), ("Unie", "Unie")],
    ),
    # -- hyphenated compounds --
    # the term before the hyphen; the surface is only the term
    ([name("Navo")], "de Navo-top", [("Navo", "Navo")]),
    # ï is a letter inside the term, the hyphen is the boundary
    ([name("Oekraïne")], "door de Oekraïne-oorlog", [("Oekraïne", "Oekraïne")]),
    # the compound from the seed article
    ([name("Navo")], "de Navo-agressie", [("Navo", "Navo")]),
    # the term after the hyphen
    ([name("Navo")], "een anti-Navo-betoging", [("Navo", "Navo")]),
    # the compound's own capitals count: "navo-top" in lowercase is still not a name
    ([name("Navo")], "de navo-top", []),
    # -- never inside an unrelated word --
    # the name's letters start a longer word
    ([name("Navo")], "in navolging van", []),
    # ... even when that word is capitalised like a name
    ([name("Navo")], "Navolging", []),
    # a common word one letter longer than the name
    ([name("Krim")], "de krimp van de economie", []),
    # a place whose name starts with the name
    ([name("Krim")], "Krimpen aan den IJssel", []),
    # a bird that starts like the city
    ([name("Kiev")], "een kieviet", []),
    # ë is a letter: "Armen" does not end inside "Armenië"
    ([name("Armen")], "Armenië", []),
    # a compound written as one word is not split (see the module's limits)
    ([term("kernwapen")], "een kernwapenvrije zone", []),
    # -- terms with hyphens and digits of their own --
    # letters, hyphen, digits in one term
    ([name("SU-25")], "SU-25 jachtvliegtuigen", [("SU-25", "SU-25")]),
    ([name("SU-25")], "een SU-250", []),  # a digit continues the word
    # a single letter after the hyphen belongs to the term
    ([name("Iskander-M")], "Iskander-M raketten", [("Iskander-M", "Iskander-M")]),
    ([name("Iskander-M")], "Iskander raketten", []),  # the part is not the whole
    # a hyphenated name followed by a number that is not part of it
    ([name("Sovjet-Unie")], "een soort Sovjet-Unie 2.0", [("Sovjet-Unie", "Sovjet-Unie")]),
    # -- edges --
    # a character whose lowercase is longer ("İ" → "i̇") must not shift later offsets
    ([name("Poetin")], "İstanbul en Poetin", [("Poetin", "Poetin")]),
    # nothing to scan
    ([name("Poetin")], "", []),
    # nothing to find: an empty glossary builds no automaton
    ([], "Poetin", []),
]


@pytest.mark.parametrize(("entries", "text", "expected"), CASES)
def test_find(entries: list[Entry], text: str, expected: list[tuple[str, str]]) -> None:
    assert found(TermMatcher(entries), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # offsets count the original whitespace, not the collapsed one
        ("a  b\n\n\nc Verenigde\n  Staten.", [(9, 27)]),
        # no collapsing needed: offsets are the plain string positions
        ("Verenigde Staten", [(0, 16)]),
    ],
)
def test_offsets_survive_collapsed_whitespace(text: str, expected: list[tuple[int, int]]) -> None:
    occurrences = TermMatcher([name("Verenigde Staten")]).find(text)
    assert [(occurrence.start, occurrence.end) for occurrence in occurrences] == expected


@pytest.mark.parametrize(
    ("form", "kind", "expected"),
    [
        # long vowel undoubled, diminutive -je, genitive
        ("vazalstaat", TermKind.TERM, {"vazalstaten", "vazalstaatje", "vazalstaats"}),
        # unstressed -en: -s plural and -tje diminutive
        ("kernwapen", TermKind.TERM, {"kernwapens", "kernwapentje"}),
        # -ing: plural -en and the -inkje diminutive
        ("inlijving", TermKind.TERM, {"inlijvingen", "inlijvinkje"}),
        # -m: the -pje diminutive
        ("boom", TermKind.TERM, {"bomen", "boompje"}),
        # f → v when the syllable opens
        ("graaf", TermKind.TERM, {"graven"}),
        # adjective -e only on an adjective ending
        ("Belarussisch", TermKind.TERM, {"Belarussische"}),
    ],
)
def test_inflections_include(form: str, kind: TermKind, expected: set[str]) -> None:
    assert expected <= inflections(form, kind)


@pytest.mark.parametrize(
    ("form", "kind", "expected"),
    [
        # names take only the genitive: "Rutten" is another surname, not a plural of Rutte
        ("Rutte", NAME, {"Ruttes", "Rutte's"}),
        ("Poetin", NAME, {"Poetins"}),
        # a genitive apostrophe alone would swallow a closing quote
        ("Belarus", NAME, set()),
        # a trailing number takes no inflection
        ("SU-25", NAME, set()),
    ],
)
def test_inflections_exact(form: str, kind: TermKind, expected: set[str]) -> None:
    assert inflections(form, kind) == expected


SEED_ENTRIES = [
    term("denazificatie"),
    name("Uniestaat"),
    term("vazalstaat"),
    term("vazalstatus"),
    name("Poetin"),
    name("Loekasjenko", "Aleksandr Loekasjenko"),
    name("Sergej Sjojgoe"),
    name("Zelensky"),
    name("Kremlin"),
    name("Navo"),
    name("Krim"),
    name("Oekraïne"),
    term("Oekraïens"),
    name("Belarus"),
    term("Belarussisch"),
    name("Kiev"),
    name("Minsk"),
    name("Kaliningrad"),
    name("Iskander-M"),
    name("SU-25"),
    name("Sovjet-Unie"),
    name("Euraziatische Unie"),
    name("Grotere Euraziatische Partnerschap"),
    name("Kazachstan"),
    name("Kirgizië"),
    name("Armenië"),
    name("Verenigde Staten"),
    term("kernwapen"),
    term("annexatie"),
    term("inlijving"),
]

# Every occurrence checked by reading the articles: 7 Poetin(s), 3 Loekasjenko (one with
# "Aleksandr"), 6 kernwapens, 6 Belarus, 3 Oekraïne (one in "Oekraïne-oorlog"), 2 Navo; the
# verb "annexeren" and "Rusland" are not entries.
SEED_000 = [
    ("Belarussische", 45, 58),
    ("Aleksandr Loekasjenko", 68, 89),
    ("kernwapens", 121, 131),
    ("Sovjet-Unie", 360, 371),
    ("Oekraïne", 429, 437),
    ("Poetin", 691, 697),
    ("Belarus", 699, 706),
    ("Sergej Sjojgoe", 782, 796),
    ("annexatie", 946, 955),
    ("Uniestaat", 1075, 1084),
    ("Uniestaat", 1212, 1221),
    ("Poetins", 1269, 1276),
    ("denazificatie", 1289, 1302),
    ("Oekraïne", 1307, 1315),
    ("Poetin", 1390, 1396),
    ("Zelensky", 1424, 1432),
    ("Loekasjenko", 1502, 1513),
    ("annexatie", 1514, 1523),
    ("inlijving", 1573, 1582),
    ("Krim", 1590, 1594),
    ("Belarus", 1658, 1665),
    ("vazalstaat", 1670, 1680),
    ("Oekraïne", 1828, 1836),
    ("Navo", 1903, 1907),
    ("kernwapens", 1969, 1979),
    ("Loekasjenko", 2024, 2035),
    ("Belarus", 2058, 2065),
    ("Belarus", 2195, 2202),
    ("kernwapens", 2411, 2421),
    ("kernwapens", 2513, 2523),
    ("Iskander-M", 2533, 2543),
    ("SU-25", 2556, 2561),
    ("Navo", 2637, 2641),
    ("Poetin", 2709, 2715),
    ("Poetin", 2790, 2796),
    ("kernwapens", 2898, 2908),
    ("Belarus", 2969, 2976),
    ("Poetin", 3124, 3130),
    ("kernwapens", 3159, 3169),
    ("Poetins", 3298, 3305),
    ("inlijving", 3333, 3342),
    ("Belarus", 3347, 3354),
]

# 10 Poetin(s), 7 Loekasjenko ("Aleksander" is not the listed "Aleksandr"), 4 kernwapens (one
# the heading "Kernwapens"), 7 Belarus, 5 Oekraïne, "Navo" in "Navo-agressie"; "Euraziatisch
# verbond", "Europese staten" and "onze staten" are no entries.
SEED_002 = [
    ("Poetin", 68, 74),
    ("Belarussische", 97, 110),
    ("Loekasjenko", 131, 142),
    ("Kremlin", 191, 198),
    ("Poetins", 225, 232),
    ("Loekasjenko", 244, 255),
    ("Minsk", 259, 264),
    ("Loekasjenko", 364, 375),
    ("Loekasjenko", 540, 551),
    ("Poetin", 573, 579),
    ("Oekraïne", 643, 651),
    ("Loekasjenko", 675, 686),
    ("Poetin", 699, 705),
    ("Belarus", 724, 731),
    ("Kiev", 794, 798),
    ("Oekraïense", 907, 917),
    ("Kernwapens", 927, 937),
    ("Belarus", 955, 962),
    ("kernwapens", 967, 977),
    ("Poetin", 998, 1004),
    ("Poetin", 1092, 1098),
    ("Poetin", 1145, 1151),
    ("kernwapens", 1160, 1170),
    ("Loekasjenko", 1184, 1195),
    ("Navo", 1238, 1242),
    ("Oekraïne", 1255, 1263),
    ("Belarussische", 1268, 1281),
    ("Loekasjenko", 1469, 1480),
    ("Poetin", 1524, 1530),
    ("Belarus", 1579, 1586),
    ("Kaliningrad", 1670, 1681),
    ("Sovjet-Unie", 1684, 1695),
    ("kernwapens", 1749, 1759),
    ("vazalstatus", 1774, 1785),
    ("Belarus", 1790, 1797),
    ("Belarus", 1816, 1823),
    ("Poetins", 1851, 1858),
    ("Sovjet-Unie", 1942, 1953),
    ("Euraziatische Unie", 1995, 2013),
    ("Belarus", 2026, 2033),
    ("Kazachstan", 2038, 2048),
    ("Armenië", 2050, 2057),
    ("Kirgizië", 2061, 2069),
    ("Oekraïne", 2138, 2146),
    ("Oekraïne", 2221, 2229),
    ("Kazachstan", 2292, 2302),
    ("Belarus", 2353, 2360),
    ("Oekraïne", 2364, 2372),
    ("Poetins", 2519, 2526),
    ("Verenigde Staten", 2766, 2782),
    ("Grotere Euraziatische Partnerschap", 2872, 2906),
]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [("000_104319bf9a01cd49.txt", SEED_000), ("002_e36221037867b85e.txt", SEED_002)],
)
def test_seed_articles(seed: str, expected: list[tuple[str, int, int]]) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    occurrences = TermMatcher(SEED_ENTRIES).find(text)
    assert_well_formed(text, occurrences)
    assert [(o.surface, o.start, o.end) for o in occurrences] == expected


def test_seed_article_reflowed_keeps_every_occurrence() -> None:
    """Hard-wrapping the text (newlines and double spaces) changes offsets but not what is found."""
    text = (SEEDS / "000_104319bf9a01cd49.txt").read_text(encoding="utf-8")
    reflowed = text.replace(" Sjojgoe", "\n  Sjojgoe").replace(" Loekasjenko", "\nLoekasjenko")
    occurrences = TermMatcher(SEED_ENTRIES).find(reflowed)
    assert_well_formed(reflowed, occurrences)
    surfaces = [" ".join(o.surface.split()) for o in occurrences]
    assert surfaces == [surface for surface, _start, _end in SEED_000]


MENTION_CASES = [
    # a former name after "heette" is a mention
    ("Belarus heette vroeger Wit-Rusland.", {"Wit-Rusland"}),
    # "de vroegere naam" introduces it too
    ("De vroegere naam Wit-Rusland.", {"Wit-Rusland"}),
    # quoted, the former name is a mention
    ("Zij zeggen 'Wit-Rusland'.", {"Wit-Rusland"}),
    # used as today's name, the former name is no mention: it must be rendered
    ("Wit-Rusland grenst aan Polen.", set()),
    # today's name after a naming cue is used, not mentioned: Belarus is its name now
    ("Het land heet nu Belarus.", set()),
    # scare quotes alone do not make a term a mention
    ("De zogenaamde 'denazificatie'.", set()),
    # a quoted name after a naming cue is a mention whatever the entry
    ("De stad had de naam 'Kiev'.", {"Kiev"}),
]


@pytest.mark.parametrize(("text", "exempt"), MENTION_CASES)
def test_quoted_former_name_forced(text: str, exempt: set[str]) -> None:
    matcher = TermMatcher(
        [
            Entry(
                "Belarus",
                "Belarus",
                NAME,
                forbidden=("Wit-Rusland",),
                source_variants=("Wit-Rusland",),
            ),
            Entry("denazificatie", "denazification", forbidden=("denazificatie",)),
            Entry("Kiev", "Kyiv", NAME, forbidden=("Kiev",)),
        ]
    )
    occurrences = matcher.find(text)
    assert occurrences
    assert {o.surface for o in occurrences if o.exempt} == exempt
