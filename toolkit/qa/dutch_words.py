"""Frequent Dutch words that are not English words: a copied one gives away Dutch
left in the English.

Two sources, both lowercase: Dutch function words that English does not share
(`over`, `in`, `is`, `die`, `had`, `door` are left out because English has them),
and the most frequent Dutch words of the LibreOffice help translations
(refmodel/build_corpus.py, 96,000 paragraph pairs) that never occur in their English side.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset(
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
