"""Dutch: the language knowledge the toolkit applies to Dutch text, as data and rules.

Each word list is here once, named for what it is: the glossary, the stages and the QA
checks import it from here (`tests/lang/` holds their golden copies, so a change to a list
is a reviewed diff). Then the spelling rules for the forms a glossary term takes in running
text (plural, genitive, diminutive, adjective -e). Nothing here imports the toolkit.
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
from collections.abc import Iterator

# Function words found in nearly every Dutch sentence: a glossary term that is one of them
# (or inflects into one) would match everywhere (`glossary lint`).
UBIQUITOUS_WORDS = frozenset("de het een en van in op te is dat die".split())

# Short Dutch function words: left in an English candidate they betray copied Dutch even
# though they are three letters or fewer (enforcement's collateral-damage check).
SHORT_FUNCTION_WORDS = frozenset(
    "de het een van en op te voor met naar uit bij aan dat die".split()
)

# Frequent Dutch words that are not English words: a copied one gives away Dutch left in the
# English. Two sources, both lowercase: Dutch function words that English does not share
# (`over`, `in`, `is`, `die`, `had`, `door` are left out because English has them), and the
# most frequent Dutch words of the LibreOffice help translations (refmodel/build_corpus.py,
# 96,000 paragraph pairs) that never occur in their English side.
FUNCTION_WORDS = frozenset(  # not shared with English
    """
    de het een van en niet geen voor met op te zijn dat deze dit ook maar als bij naar uit
    om tot zich er wel nog meer dan hij zij ze wij jij je uw hun haar ik mij mijn ons onze
    wordt worden werd werden heeft hebben hadden kan kunnen kon konden zal zullen zou zouden
    moet moeten wil willen wilde wat wie waar waarom hoe wanneer omdat dus toch hier daar
    alleen echter tussen tegen zonder onder boven sinds volgens tijdens binnen buiten naast
    achter vanuit jaar jaren twee drie vier vijf zes zeven acht negen tien honderd duizend
    miljoen miljard eerste nieuwe grote andere hele veel weinig enkele alle elke iedere niets
    iets niemand iemand altijd nooit vaak soms steeds weer zeer blijft gaat komt staat ligt
    geeft maakt zegt vindt gaan komen staan geven maken zeggen vinden hierbij daarbij
    waarbij hiermee daarmee waarmee ervan erop eruit erin mee bijna vooral juist slechts
    zowel noch ofwel hoewel terwijl zodat nadat voordat totdat indien tenzij zoals welke
    welk wiens waarin waarop waarvan daarna daarom daardoor dergelijke zelf zelfs eigen
    """.split()
)

CORPUS_WORDS = frozenset(
    """
    voor als worden om wordt niet naar aan kunt deze zijn dat dit tekst kies geeft wilt
    bestand alle waarde kan pagina klik geselecteerde selecteer moet huidige uit geen bij
    gebruikt dialoogvenster alleen naam gebruiken getal aantal maken lijst ook functie
    opmaak volgende standaard nieuwe wanneer gebruik andere alinea invoegen verwijderen
    gegevens bewerken opties voer cellen waarden tussen weergegeven selecteren één tabel
    optie waar weergeven kunnen eerste veld bereik openen objecten bevat inhoud terug teken
    wijzigen meer venster kolom automatisch tekenreeks tekens zal bestanden weer pictogram
    geselecteerd voegt opmaakprofiel heeft bijvoorbeeld opslaan toevoegen elke tabblad
    instellen rechts werkbalk eigenschappen tonen kolommen moeten regel nieuw
    afbeelding opent zoals selectie informatie blad opdracht grootte documenten plaats
    rij zonder beschikbaar toont invoeren velden einde opgegeven klikt kleur positie
    voorbeeld opdrachten resultaat fout zoeken functies formule wijzigingen knop
    retourneert lijn selecteert instellingen laatste rijen waarin geven opgeslagen
    verschillende vervangen maakt getallen meerdere vervolgens vak gegeven gebruiker hebt
    berekent hebben aanpassen toets druk breedte opnieuw invoer gebied kiezen dezelfde
    verplaatsen ingesteld toepassen gemaakt vorm tijd afstand afdrukken binnen weergave
    werkblad formulier variabele woord uitvoer afbeeldingen geopend ingevoegd lege
    gedefinieerd mislukt bevatten bepaalt regels gelijk mogelijk programma staat ongeldige
    beeld bestaande wachtwoord hetzelfde lezen rekening behulp leeg verwijderd systeem
    verplaatst verbinding verwijzing taal gevonden vorige tabellen lettertype zodat
    klikken gewijzigd hoogte lengte gewenste gemiddelde verbergen koppeling altijd welke
    """.split()
)

DUTCH_ONLY_WORDS = FUNCTION_WORDS | CORPUS_WORDS

# Spellings of Dutch words that English words almost never have, measured on the same
# corpus: each is in 0.2-7% of Dutch running words and at most 0.01% of English ones
# (the English exceptions are names and codes: Azerbaijan, bazaar, UUID, patient).
DUTCH_SPELLING = re.compile(r"ij|aa|uu(?!id)|heid|ische?$|lijke?$|ingen$|eren$|(?<!p)atie")


def looks_dutch(word: str) -> bool:
    """A word that English text would not contain: listed, or with a Dutch spelling."""
    word = word.lower()
    return word in DUTCH_ONLY_WORDS or (len(word) >= 4 and bool(DUTCH_SPELLING.search(word)))


# Numbers written as words, with their value (the numbers check)
NUMBER_WORDS: dict[str, float] = {
    "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "twintig": 20, "honderd": 100,
    "duizend": 1000, "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "half": 0.5, "halve": 0.5, "een": 1,  # "een" is also "a": it only excuses an English 1
}  # fmt: skip

# Endings (`glossary.check`, `glossary.match`): those that make a term plural (names have no
# plural); a genitive; a diminutive; collective nouns whose singular English idiom also writes
# as a plural ("de Russische invasiemacht" = "the Russian invasion forces"; a Dutch plural
# still wants an English plural); endings whose plural is always -en, so that after them an
# -s is the linking s of a compound
PLURAL_ENDINGS = ("en", "s", "'s", "’s")
GENITIVE_ENDINGS = ("'s", "s", "'")
DIMINUTIVE_ENDINGS = ("je", "jes", "tje", "tjes", "pje", "pjes", "kje", "kjes")
COLLECTIVE_ENDINGS = ("macht", "strijdkrachten", "troepen", "leger", "personeel")
PLURAL_EN_ONLY = ("ing", "heid", "teit", "schap", "dom")


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


# Dutch words never annotated as terms when training with inline term annotations
# (toolkit.training.marian; the list the shipped model 2.0 was trained with)
ANNOTATION_SKIP_WORDS = frozenset(
    """de het een en van in op te is dat die met voor zijn aan er niet u als om bij of ook door
dan naar uit kan worden wordt deze dit tot over kunt moet meer geen nog hun hem haar ze wij we
zij hier daar waar wanneer welke alle andere zoals alleen""".split()
)
