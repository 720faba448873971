"""Each check fires on its classic defect and stays silent on good English (golden tables).

The defects are the ones NMT output shows: a dropped sentence, `the the`, a Dutch number
left in Dutch notation, a heading copied through, a lost `?`, an unbalanced quote, a
changed URL. The good cases are professional translations that an eager check flagged.
"""

from __future__ import annotations

import pytest
from qa_paragraphs import aligned, paragraph, sentences

from toolkit.document import Paragraph, TermMatch, TermOutcome
from toolkit.qa import CHECKS, run_checks

QUESTION = ("Wat doet Poetin nu?", "What is Putin doing now?")
STATEMENT = ("De oorlog duurt voort.", "The war goes on.")
LONG = (
    "Belarus wordt steeds meer een vazalstaat van Rusland.",
    "Belarus is increasingly becoming a vassal state of Russia.",
)

CASES: list[tuple[str, Paragraph, list[str]]] = [
    # --- dropped ---
    # no English at all
    ("dropped", paragraph("De oorlog duurt voort.", ""), ["the English is empty"]),
    # the engine returned nothing for one sentence
    ("dropped", aligned(QUESTION, (STATEMENT[0], ""), LONG),
     ["sentence 2 ('De oorlog duurt voort.') has no English"]),
    # a translator's paragraph with a sentence left out
    ("dropped", sentences((LONG[0], STATEMENT[0], QUESTION[0]), LONG[1]),
     ["the English has 1 sentence where the Dutch has 3, at 60% of its length"]),
    # far too long for the Dutch: a hallucination
    ("dropped", paragraph(LONG[0], LONG[1] + " It was a long day in the city of Minsk and beyond."),
     ["the English is 206% of the Dutch's length (usual: 50-140%)"]),
    # cut off mid-sentence
    ("dropped", paragraph(LONG[0], "Belarus is increasingly becoming a vassal"),
     ["the English stops without an end mark ('…ly becoming a vassal'); "
      "the Dutch ends with '.'"]),
    # a Dutch colon introduces; English headings drop it
    ("dropped", paragraph("Zo voegt u een paginanummer in:", "To Insert Page Numbers"), []),
    # two Dutch sentences merged into one English sentence of the same length
    ("dropped", sentences(("Klik op OK.", "Het venster sluit."), "Click OK to close the window."),
     []),
    # --- untranslated ---
    # the pofilter catch on the samples: a heading copied through
    ("untranslated", paragraph("Geen aantrekkelijk vooruitzicht", "Geen aantrekkelijk vooruitzicht",
                               heading=True),
     ["the English is the Dutch left untranslated ('geen', 'aantrekkelijk', 'vooruitzicht')"]),
    # one sentence of the paragraph echoed
    ("untranslated", aligned(LONG, ("Daarna was het stil.", "Daarna was het stil.")),
     ["sentence 2 of the English is the Dutch left untranslated ('daarna', 'was', 'het', 'stil')"]),
    # names, numbers and code shared with the Dutch are no copy
    ("untranslated", paragraph("Poetin en Loekasjenko in Minsk", "Putin and Lukashenko in Minsk",
                               heading=True), []),
    ("untranslated", paragraph("Functie FreeLibrary", "FreeLibrary Function", heading=True), []),
    # "en" inside "en-dash" is English, not the Dutch "and"
    ("untranslated", paragraph("N–N (N, en-streepje, N)", "N–N (N, en-dash, N)"), []),
    # --- repetition ---
    # the classic doubled article
    ("repetition", paragraph(STATEMENT[0], "The the war goes on."),
     ["'the the' repeats itself 2 times in a row"]),
    # a doubled phrase
    ("repetition", paragraph("De rol van de Navo.", "The role of the of the NATO."),
     ["'of the of the' repeats itself 2 times in a row"]),
    # a loop across commas
    ("repetition", paragraph("De oorlog, zei hij.", "The war, the war, the war, he said."),
     ["'the war the war the war' repeats itself 3 times in a row"]),
    # English that repeats by nature: apart, or across punctuation
    ("repetition", paragraph("Min, min.", "Minus, minus."), []),
    ("repetition", paragraph("De zijde tegenover de hoek en de zijde naast de hoek.",
                             "The side opposite the angle and the side next to the angle."),
     []),
    # the Dutch repeats itself too (a menu path)
    ("repetition", paragraph("Beeld - Navigator Beeld - Navigator",
                             "View - Navigator View - Navigator"),
     []),
    # grammatical doubles
    ("repetition", paragraph("Hij zei dat dat klopte.", "He said that that was right."), []),
    # --- punctuation ---
    # the question mark became a full stop
    ("punctuation", paragraph(QUESTION[0], "What is Putin doing now."),
     ["the English ends with a full stop, the Dutch with a question mark"]),
    # per sentence when the engine's sentences are aligned
    ("punctuation", aligned(STATEMENT, (QUESTION[0], "What is Putin doing now!")),
     ["sentence 2 of the English ends with an exclamation mark, the Dutch with a question mark"]),
    # an unbalanced quote
    ("punctuation", paragraph("„Kom hier”, zei hij.", "“Come here, he said."),
     ["the English has unbalanced “”, the Dutch's are balanced"]),
    ("punctuation", paragraph('Hij zei "ja".', 'He said "yes.'),
     ['the English has unbalanced "", the Dutch\'s are balanced']),
    # an unclosed bracket
    ("punctuation", paragraph("De Navo (Noord-Atlantische Verdragsorganisatie) reageert.",
                              "NATO (North Atlantic Treaty Organization responds."),
     ["the English has unbalanced (), the Dutch's are balanced"]),
    # a sentence start lost its capital
    ("punctuation", paragraph(STATEMENT[0], "the war goes on."),
     ["the English starts in lower case, the Dutch in upper case"]),
    # a space before a mark
    ("punctuation", paragraph(STATEMENT[0], "The war goes on ."),
     ["a space before '.' in the English ('…The war goes on .')"]),
    # English puts the full stop inside the quotation, Dutch outside: the same end
    ("punctuation", paragraph('Hij zei "ja".', 'He said "yes."'), []),
    # English capitalises a heading the Dutch writes in lower case
    ("punctuation", paragraph("integraal", "Integral", heading=True), []),
    # an ellipsis and a file extension are no space before a mark
    ("punctuation", paragraph("Open het bestand .odt of ...", "Open the .odt file or ..."), []),
    # --- verbatim ---
    # a changed URL
    ("verbatim", paragraph("Zie https://www.java.com.", "See http://www.java.com."),
     ["the URL https://www.java.com in the Dutch is not copied exactly into the English"]),
    # an address and a file name
    ("verbatim", paragraph("Mail info@navo.int over rapport.pdf.",
                           "Mail info@nato.int about report.pdf."),
     ["the address info@navo.int in the Dutch is not copied exactly into the English",
      "the file name rapport.pdf in the Dutch is not copied exactly into the English"]),
    # the sentence's full stop is not part of the URL
    ("verbatim", paragraph("Zie https://www.java.com.", "See https://www.java.com."), []),
    # a do-not-translate term rendered otherwise, which enforcement did not see
    ("verbatim", paragraph("De SU-25 vliegt.", "The Sukhoi flies.",
                           terms=[TermMatch("SU-25", "SU-25", "SU-25", 3, 8)]),
     ["SU-25 is do-not-translate but is not in the English as written"]),
    # enforcement already flagged it missing: not reported twice
    ("verbatim", paragraph("De SU-25 vliegt.", "The Sukhoi flies.",
                           terms=[TermMatch("SU-25", "SU-25", "SU-25", 3, 8,
                                            outcome=TermOutcome.MISSING)]), []),
]  # fmt: skip


@pytest.mark.parametrize(("check", "given", "expected"), CASES)
def test_check(check: str, given: Paragraph, expected: list[str]) -> None:
    assert [flag.reason for flag in CHECKS[check].run(given)] == expected


TRUNCATION_CASES = [
    # the engine's own count reaching the cap means it stopped there
    (lambda text: 24, 24, True),
    # one token short of the cap is a finished sentence
    (lambda text: 23, 24, False),
    # without the tokenizer, the lower bound (9 words and a full stop) decides
    (None, 10, True),
    (None, 11, False),
]


@pytest.mark.parametrize(("count_tokens", "limit", "flagged"), TRUNCATION_CASES)
def test_max_decoding_length(count_tokens, limit: int, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    given = paragraph(LONG[0], LONG[1])
    flags = run_checks(given, max_decoding_length=limit, count_tokens=count_tokens)
    expected = f"the English has the maximum {limit} tokens: the engine probably cut it off"
    assert [f.reason for f in flags] == ([expected] if flagged else [])
    assert all(f.check == "dropped" for f in flags)


def test_run_checks_good_paragraph_is_silent() -> None:
    # a plain, correct translation with every kind of content a check looks at
    given = aligned(
        LONG, QUESTION, ("In 1997 kostte het 1.000,50 euro.", "In 1997 it cost 1,000.50 euros.")
    )
    assert run_checks(given) == []


def test_run_checks_empty_english_reports_once() -> None:
    # every check would see the absence; only `dropped` says it
    flags = run_checks(paragraph("Er waren 1.000 soldaten in Minsk.", ""))
    assert [str(f) for f in flags] == ["dropped: the English is empty"]


def test_run_checks_named_checks_only() -> None:
    given = paragraph(QUESTION[0], "what is putin doing now.")
    assert {f.check for f in run_checks(given)} == {"punctuation"}
    assert run_checks(given, checks=["numbers"]) == []


def test_registry_names_match_checks() -> None:
    # the registry key is the name each flag carries
    assert all(name == check.name for name, check in CHECKS.items())
    assert set(CHECKS) == {
        "dropped",
        "untranslated",
        "numbers",
        "verbatim",
        "repetition",
        "punctuation",
    }
