"""Every number and code of the Dutch appears in the English, in English notation,
and the English invents none.

Dutch `1.000` is English `1,000` or `1000`, Dutch `2,5` is `2.5`; dotted sequences
(`3.1`, `1.2.5`: versions, sections) are kept as written; codes such as `SU-25`,
`A1` or `Iskander-M` must be copied exactly, unless a glossary term met in the
English spells it otherwise (SU-25 -> Su-25). A small Dutch number like `3` may be
spelled out in English and a Dutch number word may become digits; number words
alone are never required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.document import Paragraph, TermOutcome
from toolkit.lang import en, nl
from toolkit.qa.base import Check, CheckOptions
from toolkit.qa.verbatim import exact_items

# Designations: a token of letters and digits whose letters are capitals (SU-25, F-16,
# A1, MP3, 3D, COVID-19), or a name with a one- or two-letter variant suffix
# (Iskander-M). A Dutch compound's tail is not part of it: 3D-weergave is the code 3D.
# Letters in lower case make a word with a number (Expressie1, Knop1), translated as a word.
CODE_PART = r"(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+"
CODE = re.compile(
    rf"(?<![\w-]){CODE_PART}(?:-[A-Z0-9]+)*(?![\w])"
    r"|(?<![\w-])[A-Z][a-z]+-[A-Z]{1,2}(?![\w])"
)
# Dutch: '.' groups thousands and ',' is the decimal mark. Longest form first.
DUTCH_NUMBER = re.compile(
    r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d|\.\d)"  # 1.000 / 2.147.483.648 / 1.234,5
    r"|\d+,\d+(?!\d)"  # 2,5
    r"|\d+(?:\.\d+)+"  # 3.1, 1.2.5: a version or section number
    r"|\d+"
)
# English: ',' groups thousands and '.' is the decimal mark. A comma that does not
# group thousands separates ("=FLOOR(45.67,2)"), so 45.67,2 is two numbers.
ENGLISH_NUMBER = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)"  # 1,000 / 1,234.5
    r"|\d+(?:\.\d+)+"  # 2.5, 3.1, 1.2.5
    r"|\d+"
)


@dataclass(frozen=True)
class Number:
    written: str  # as it stands in the text
    key: str  # the value in English notation, without grouping: "1000", "2.5", "1.2.5"
    english: str  # how the English should write it, for the reason


def dutch_numbers(text: str) -> list[Number]:
    numbers = []
    for match in DUTCH_NUMBER.finditer(_mask_codes(text)):
        written = match.group()
        if "," in written or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", written):
            key = written.replace(".", "").replace(",", ".")
            english = _english_form(key)
        else:
            key = english = written
        numbers.append(Number(written, _plain(key), english))
    return numbers


def english_numbers(text: str) -> list[Number]:
    return [
        Number(m.group(), _plain(m.group().replace(",", "")), m.group())
        for m in ENGLISH_NUMBER.finditer(_mask_codes(text))
    ]


def codes(text: str) -> list[str]:
    return list(dict.fromkeys(m.group() for m in CODE.finditer(_mask_exact(text))))


def find_number_problems(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:  # noqa: ARG001  (the Check signature)
    source, target = paragraph.source, paragraph.target
    missing = []
    # the glossary decided these terms' English and enforcement found it in the target
    settled = [
        term.surface
        for term in paragraph.terms
        if term.outcome in (TermOutcome.KEPT, TermOutcome.REPAIRED)
    ]
    for code in codes(source):
        if any(_has_code(surface, code) for surface in settled):
            missing.append(code)  # not a defect, but its digits in the English are not new
        elif not _has_code(target, code):
            missing.append(code)
            yield f"{code} in the Dutch is not in the English as written"
    english = english_numbers(target)
    english_keys = {n.key for n in english} | _word_values(target, en.NUMBER_WORDS)
    for number in _distinct(dutch_numbers(source)):
        if number.key not in english_keys:
            missing.append(number.written)
            if number.english == number.written:
                yield f"{number.written} in the Dutch is not in the English"
            else:
                yield f"{number.written} in the Dutch has no {number.english} in the English"
    dutch_keys = {n.key for n in dutch_numbers(source)} | _word_values(source, nl.NUMBER_WORDS)
    for number in _distinct(english):
        # A number or code mangled on the way (2,5 -> "2,5", SU-25 -> "SU 25") is already
        # reported as missing; its pieces are not new numbers.
        mangled = any(number.written in written for written in missing)
        if number.key not in dutch_keys and not mangled:
            yield f"{number.written} in the English is not in the Dutch"


def _has_code(text: str, code: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text) is not None


def _distinct(numbers: list[Number]) -> list[Number]:
    return list({n.key: n for n in reversed(numbers)}.values())[::-1]


def _word_values(text: str, table: dict[str, float]) -> set[str]:
    found = (table.get(word) for word in re.findall(r"[^\W\d_]+", text.lower()))
    return {_plain(str(value)) for value in found if value is not None}


def _plain(key: str) -> str:
    """Numbers equal in value compare equal: "2.50" and "2.5", "007" and "7"."""
    if key.count(".") > 1:
        return key  # a section or version number is compared as written
    whole, _, fraction = key.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _english_form(key: str) -> str:
    whole, _, fraction = key.partition(".")
    if len(whole) > 3 and not fraction:
        return f"{int(whole):,} or {whole}"
    grouped = f"{int(whole):,}"
    return f"{grouped}.{fraction}" if fraction else grouped


def _mask_exact(text: str) -> str:
    """URLs, addresses and file names are checked whole elsewhere, not digit by digit."""
    for item in exact_items(text):
        text = text.replace(item, " " * len(item))
    return text


def _mask_codes(text: str) -> str:
    return CODE.sub(lambda m: " " * len(m.group()), _mask_exact(text))


CHECK = Check(
    name="numbers",
    weight=0.35,
    description="numbers and codes of the Dutch in the English, in English notation, none added",
    find=find_number_problems,
)
