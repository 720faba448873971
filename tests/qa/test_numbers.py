"""Numbers and codes: each Dutch one in English notation in the English, none invented."""

from __future__ import annotations

import pytest
from qa_paragraphs import paragraph

from toolkit.document import TermMatch, TermOutcome
from toolkit.qa import CHECKS

CASES = [
    # the defect: the Dutch thousands point copied, which English reads as 1.0
    ("Er waren 1.000 soldaten.", "There were 1.000 soldiers.",
     ["1.000 in the Dutch has no 1,000 or 1000 in the English"]),
    # English grouping with a comma is the right rendering
    ("Er waren 1.000 soldaten.", "There were 1,000 soldiers.", []),
    # and so is no grouping at all
    ("Er waren 1.000 soldaten.", "There were 1000 soldiers.", []),
    # the Dutch decimal comma must become a point
    ("De groei was 2,5 procent.", "Growth was 2.5 percent.", []),
    # a decimal comma left in: reported once, its halves are not "invented" as well
    ("De groei was 2,5 procent.", "Growth was 2,5 percent.",
     ["2,5 in the Dutch has no 2.5 in the English"]),
    # procent may become the sign
    ("De groei was 3 procent.", "Growth was 3%.", []),
    # a year dropped
    ("De Uniestaat dateert uit 1997.", "The Union State dates back years.",
     ["1997 in the Dutch is not in the English"]),
    # a number the engine made up
    ("De Uniestaat dateert uit 1997.", "The Union State dates from 1997 and 2001.",
     ["2001 in the English is not in the Dutch"]),
    # codes are copied as written, not respelled
    ("Een SU-25 vloog over.", "An SU 25 flew over.",
     ["SU-25 in the Dutch is not in the English as written"]),
    # a designation without digits is a code too, also at the head of a Dutch compound
    ("De Iskander-M staat er.", "The Iskander is there.",
     ["Iskander-M in the Dutch is not in the English as written"]),
    ("Het Iskander-M-systeem is er.", "The Iskander-M system is there.", []),
    # a Dutch compound's tail is translated, its code head kept (3D-weergave -> 3D look)
    ("Een 3D-weergave en 2D- of 3D-labels.", "A 3D look and 2D or 3D labels.", []),
    # a word with a number is translated as a word (Expressie1 -> Expression1)
    ("Expressie1, Expressie2: getallen.", "Expression1, Expression2: numbers.", []),
    # a small number may be spelled out, and a Dutch number word may become digits
    ("Er zijn 3 landen en twee steden.", "There are three countries and 2 cities.", []),
    # large Dutch groups, English groups
    ("De maximale waarde is 2.147.483.648.", "The maximum value is 2,147,483,648.", []),
    # versions and section numbers stay as they are; the sentence's full stop is not a decimal
    ("Versies tot aan 3.1 en hoofdstuk 1.2.5.", "Versions up to 3.1 and chapter 1.2.5.", []),
    # a Calc formula: Dutch decimal comma and ';', English decimal point and ','
    ("=ONDERGRENS(-45,67;2) retourneert -46.", "=FLOOR.PRECISE(-45.67,2) returns -46.", []),
    # cell references are codes that need no translation
    ("Voer =SOM(A1:E10) in.", "Enter =SUM(A1:E10).", []),
    # digits in a URL are the URL's business, not this check's
    ("Zie https://example.org/p/2023 nu.", "See https://example.org/p/2023 now.", []),
]  # fmt: skip


@pytest.mark.parametrize(("dutch", "english", "expected"), CASES)
def test_numbers(dutch: str, english: str, expected: list[str]) -> None:
    flags = CHECKS["numbers"].run(paragraph(dutch, english))
    assert [flag.reason for flag in flags] == expected
    assert all(flag.check == "numbers" for flag in flags)


def _term(surface: str, target: str, outcome: TermOutcome) -> TermMatch:
    return TermMatch(surface, target, surface, 4, 4 + len(surface), outcome=outcome)


GLOSSARY_CASES = [
    # the seed article's SU-25: the glossary writes it Su-25, so the code was respelled on purpose
    ("Een SU-25 vloog over.", "A Su-25 flew over.",
     [_term("SU-25", "Su-25", TermOutcome.REPAIRED)], []),
    # the engine already wrote the glossary's form: no flag either, and its 25 is not new
    ("Een SU-25 vloog over.", "A Su-25 flew over.",
     [_term("SU-25", "Su-25", TermOutcome.KEPT)], []),
    # a term enforcement could not meet keeps the flag: nothing settled its English
    ("Een SU-25 vloog over.", "An SU 25 flew over.",
     [_term("SU-25", "Su-25", TermOutcome.MISSING)],
     ["SU-25 in the Dutch is not in the English as written"]),
    # a settled term excuses only its own code, not another one beside it
    ("Een SU-25 en een F-16 vlogen over.", "A Su-25 and an F16 flew over.",
     [_term("SU-25", "Su-25", TermOutcome.REPAIRED)],
     ["F-16 in the Dutch is not in the English as written"]),
]  # fmt: skip


@pytest.mark.parametrize(("dutch", "english", "terms", "expected"), GLOSSARY_CASES)
def test_code_respelled_by_the_glossary_is_not_flagged(dutch, english, terms, expected) -> None:
    flags = CHECKS["numbers"].run(paragraph(dutch, english, terms=terms))
    assert [flag.reason for flag in flags] == expected
