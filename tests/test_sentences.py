"""Sentence spans: Dutch cases that must (not) break, the samples counted by hand, offsets,
and the linear-time abbreviation pass checked against pySBD's own."""

from __future__ import annotations

import re
from pathlib import Path

import pysbd.lang.dutch
import pysbd.processor
import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.sentences import _RE_IGNORECASE_EXTRAS, _Dutch, _Processor, _split, split_sentences

METADATA_PREFIX = re.compile(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+")


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def paragraphs(seed: Path) -> list[str]:
    text = METADATA_PREFIX.sub("", seed.read_text(encoding="utf-8"))
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dutch abbreviations with lowercase after them are not sentence ends.
        (
            "Hij sprak o.a. over d.w.z. dingen, bijv. kaas, enz. en ca. tien. Daarna ging hij.",
            [
                "Hij sprak o.a. over d.w.z. dingen, bijv. kaas, enz. en ca. tien.",
                "Daarna ging hij.",
            ],
        ),
        # Multi-period abbreviations before a capital (pySBD's multi-period rule).
        (
            "Ze kwamen i.p.v. Piet, m.b.t. Rusland. Ja.",
            ["Ze kwamen i.p.v. Piet, m.b.t. Rusland.", "Ja."],
        ),
        # Regression: pySBD ended a sentence at a title before a capitalised name.
        (
            "Dr. Jansen sprak met mr. De Vries en prof. Bakker op nr. 5. Zij bleven.",
            ["Dr. Jansen sprak met mr. De Vries en prof. Bakker op nr. 5.", "Zij bleven."],
        ),
        # Regression: pySBD split at "bijv." before a capital; it never ends a sentence.
        (
            "Landen als bijv. Nederland doen mee. Ja.",
            ["Landen als bijv. Nederland doen mee.", "Ja."],
        ),
        # "enz." can end a sentence, so a capital after it still breaks.
        ("Kaas, brood enz. Daarna koffie.", ["Kaas, brood enz.", "Daarna koffie."]),
        # Initials before a surname.
        (
            "J.P. Balkenende sprak met M. Rutte. Dat ging goed.",
            ["J.P. Balkenende sprak met M. Rutte.", "Dat ging goed."],
        ),
        # Thousands separators, decimal commas and decimal points.
        (
            "Het kostte 1.000 euro, 2,5 procent of 3.5 keer zoveel. Daarna niet.",
            ["Het kostte 1.000 euro, 2,5 procent of 3.5 keer zoveel.", "Daarna niet."],
        ),
        # Dates: a day number before a month name.
        (
            "Poetin verwacht dat het op 1 juli zover is. Ja.",
            ["Poetin verwacht dat het op 1 juli zover is.", "Ja."],
        ),
        # From the sample: a quote closed before a comma and a lowercase attribution.
        (
            "“Misschien ga ik eens kijken”, antwoordde de dictator. Daags ervoor werd getekend.",
            [
                "“Misschien ga ik eens kijken”, antwoordde de dictator.",
                "Daags ervoor werd getekend.",
            ],
        ),
        # The same with end punctuation inside the closing quote.
        (
            "“Misschien ga ik eens kijken?”, antwoordde de dictator. Daarna niet.",
            ["“Misschien ga ik eens kijken?”, antwoordde de dictator.", "Daarna niet."],
        ),
        # Regression: pySBD split after "?" and moved ” into a lowercase next "sentence".
        (
            "„Wat doe je?” vroeg hij. „Niets!” zei zij.",
            ["„Wat doe je?” vroeg hij.", "„Niets!” zei zij."],
        ),
        # Regression: pySBD broke before the ” and started the next sentence with it.
        (
            "“We zullen onze landen verdedigen.” Daarna ging hij.",
            ["“We zullen onze landen verdedigen.”", "Daarna ging hij."],
        ),
        # Regression: pySBD did not break after a closing ’ or » before a capital.
        (
            "Hij zei: ‘Kom hier.’ Daarna ging hij. Zij zei: «Nee.» Hij bleef.",
            ["Hij zei: ‘Kom hier.’", "Daarna ging hij.", "Zij zei: «Nee.»", "Hij bleef."],
        ),
        # Straight double quotes, which pySBD's own rules cover.
        ('Hij zei: "Kom hier." Daarna ging hij.', ['Hij zei: "Kom hier."', "Daarna ging hij."]),
        # ’s (des) starts a Dutch sentence in lowercase: it must not be merged.
        ("‘Ga weg!’ ’s Avonds kwam hij terug.", ["‘Ga weg!’", "’s Avonds kwam hij terug."]),
        # Apostrophes inside words are not closing quotes.
        (
            "Zo’n verbond bestaat al. Dat is de Unie.",
            ["Zo’n verbond bestaat al.", "Dat is de Unie."],
        ),
        # An ellipsis followed by lowercase continues the sentence; by a capital it ends it.
        (
            "Hij aarzelde... maar ging toch. Hij aarzelde… maar ging toch. "
            "Zij twijfelde... Toen ging ze.",
            [
                "Hij aarzelde... maar ging toch.",
                "Hij aarzelde… maar ging toch.",
                "Zij twijfelde...",
                "Toen ging ze.",
            ],
        ),
        # From the sample: a bracketed prefix inside a hyphenated name.
        (
            "Moskou heeft (West-)Europa opgegeven. Terecht.",
            ["Moskou heeft (West-)Europa opgegeven.", "Terecht."],
        ),
        # From the sample: "2.0" is a version number, also right before the final period.
        (
            "Een soort Sovjet-Unie 2.0 bestaat al. Een soort Sovjet-Unie 2.0. Zo is het.",
            ["Een soort Sovjet-Unie 2.0 bestaat al.", "Een soort Sovjet-Unie 2.0.", "Zo is het."],
        ),
        # Question and exclamation marks end sentences.
        ("Waarom? Daarom! Ja.", ["Waarom?", "Daarom!", "Ja."]),
        # No end punctuation at all: one sentence (a heading).
        ("Gokken dat Europeanen in opstand komen", ["Gokken dat Europeanen in opstand komen"]),
        # Regression: pySBD's char_span offsets can point repeated sentences at the first one.
        ("Het is zo. Het is zo. Het is zo.", ["Het is zo.", "Het is zo.", "Het is zo."]),
        # Surrounding and inner whitespace stays out of the spans.
        ("  Het is zo.  Het is zo.\t", ["Het is zo.", "Het is zo."]),
        # A hard-wrapped line inside a paragraph is not a sentence end (pySBD breaks at \n).
        (
            "Dit is een zin die\ndoorloopt. En nog een.",
            ["Dit is een zin die\ndoorloopt.", "En nog een."],
        ),
        # Nothing to split.
        ("", []),
        (" \n\t ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# Counted by reading every paragraph (headings count as one sentence each):
# 000: 5+2+1+1+3+5+5+1+3+3+3+1 = 33; 002: 2+2+2+1+3+3+3+1+2+5+3+2 = 29.
@pytest.mark.parametrize(
    ("name", "count"), [("000_104319bf9a01cd49.txt", 33), ("002_e36221037867b85e.txt", 29)]
)
def test_sample_sentence_counts_checked_by_hand(name: str, count: int) -> None:
    seed = next(seed for seed in SEEDS if seed.name == name)
    assert sum(len(split_sentences(paragraph)) for paragraph in paragraphs(seed)) == count


def test_sample_quotes_stay_with_their_sentences() -> None:
    # The second sample's sixth paragraph: a single-quoted phrase, then a full quote.
    paragraph = paragraphs(SEEDS[1])[5]
    assert sentences(paragraph)[1:] == [
        "De Belarussische president sprak van een signaal aan de ‘schoften buiten onze grenzen’.",
        "“We zullen niet aarzelen om onze landen, onze staten, onze volken te verdedigen.”",
    ]


@pytest.mark.parametrize(
    "text",
    [paragraph for seed in SEEDS for paragraph in paragraphs(seed)]
    + ["Ja. Ja. Ja.", "  Nee!  Nee?\n\nNee…  ", "Reste .. Logiquement, ja. En zo."],
)
def test_spans_map_back_in_order(text: str) -> None:
    spans = split_sentences(text)
    assert spans, "non-blank text has at least one sentence"
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert text[previous_end:start].strip() == ""  # no text lost between sentences
        previous_end = end
    assert text[previous_end:].strip() == ""


# --- Linear-time abbreviation pass: same output as pySBD's own, offsets exact ---------


class StockDutch(_Dutch):
    """Our Dutch rules with pySBD's own (quadratic) abbreviation pass: the reference.

    Used with pySBD's own Processor, whose list-item pass is quadratic too."""

    AbbreviationReplacer = pysbd.lang.dutch.Dutch.AbbreviationReplacer


def ours(text: str) -> list[str]:
    return _Processor(text.replace("\n", " "), _Dutch).process()


def pysbds_own(text: str) -> list[str]:
    return pysbd.processor.Processor(text.replace("\n", " "), StockDutch).process()


def reference_spans(text: str) -> list[tuple[int, int]]:
    return _split(text, StockDutch, pysbd.processor.Processor)


SAMPLE_PARAGRAPHS = [paragraph for seed in SEEDS for paragraph in paragraphs(seed)]


@pytest.mark.parametrize(
    "text",
    SAMPLE_PARAGRAPHS
    + [
        # All sample paragraphs as one long paragraph (every abbreviation path at once).
        " ".join(SAMPLE_PARAGRAPHS),
        # The same spelling many times: pySBD rewrote the text once per occurrence.
        "De e. coli en een ezel. E. Jansen en e.a. kwamen. Er is e.g. een eind. " * 20,
        # Uppercase and lowercase spellings of one abbreviation are rewritten apart.
        "Bijv. Nederland en bijv. kaas. BIJV. dit. Dr. Jansen en dr. de Vries. Ja.",
        # An abbreviation as the paragraph's first word (pySBD's prepended space).
        "e. coli is een bacterie. Zo is het.",
        # Dotted abbreviations, also as the start of a longer dotted word.
        "Hij sprak o.a. met d.w.z. iemand, m.b.t. Rusland en o.a.w. dingen. Ja.",
        # Abbreviations that contain spaces or other punctuation.
        "Zie ed(s). en et al. voor meer, bijv. bank fin. of c.& f. hier. Ja.",
        # A literal "{abbr} " brace: pySBD's next-character lookup fires (slow path).
        "Hij schreef {e} Daarna e. coli en {bijv} Nederland. Ja.",
        # Letters re's IGNORECASE equates with ASCII ones that str.lower() does not
        # (pySBD only looks further when the plain letter is in the text too).
        "Het İ. en ı. en ſ. en K. kwamen, zei hij snel. Daarna ſt. ook. Ja.",
        # Letter list items pySBD breaks at ("d." then "e."), repeated: its list pass
        # rewrote the whole text once per item.
        "Hij sprak o.a. met d.w.z. iemand en e.d. mensen. " * 15,
        # Numbered list items, repeated, and parenthesised letters.
        "Punt 1. is dit en 2. is dat. Zie ook a) en b) en (c) hier. " * 10,
        # A word that starts with a period, and periods inside numbers.
        "Dit .e. is raar. Het kost 1.000 euro of 2.5 keer. Ja.",
    ],
)
def test_same_sentences_as_pysbds_own_abbreviation_pass(text: str) -> None:
    assert ours(text) == pysbds_own(text)
    assert split_sentences(text) == reference_spans(text)


def test_case_fold_table_covers_every_letter_re_ignorecase_matches() -> None:
    # The fast path looks spellings up by str.lower(); a character that re's
    # IGNORECASE matches to an abbreviation's letter but that lower() maps elsewhere
    # would be missed, so every such character must be in the fold table.
    letters = {char for abbreviation in _Dutch.Abbreviation.ABBREVIATIONS for char in abbreviation}
    letters = {char for char in letters if char.isalpha()}
    every_char = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for letter in sorted(letters):
        for char in set(re.findall(re.escape(letter), every_char, flags=re.IGNORECASE)):
            folded = char.translate(_RE_IGNORECASE_EXTRAS).lower()
            assert folded == letter, f"{char!r} (U+{ord(char):04X}) matches {letter!r}"


_WORDS = [
    "de", "Het", "een", "e", "E", "en", "ezel", "bijv", "Bijv", "mr", "Dr", "prof", "ca",
    "o.a", "O.A", "d.w.z", "e.a", "nr", "al", "dat", "Jansen", "Nederland", "2", "1.000",
    "2.0", "İ", "ı", "ſ", "{e}", "{bijv}", "ed(s)", "’s", "zo’n", "a", "I", "i", "b", "V.S",
]  # fmt: skip
_PUNCTUATION = ["", "", ".", ".", ".", "!", "?", "...", "…", ",", ":", "”", "’", "»", ")", ".”"]
_OPENING = ["", "", "", "„", "“", "‘", "(", "«"]
_SPACE = [" ", " ", " ", "  ", "\n", "\t", ""]


@st.composite
def dutch_like_text(draw: st.DrawFn) -> str:
    """Words, abbreviations, quotes and punctuation in the combinations pySBD cares about."""
    pieces = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_OPENING),
                st.sampled_from(_WORDS),
                st.sampled_from(_PUNCTUATION),
                st.sampled_from(_SPACE),
            ),
            min_size=1,
            max_size=30,
        )
    )
    return "".join("".join(piece) for piece in pieces)


@settings(max_examples=150, deadline=None)
@given(dutch_like_text())
def test_generated_text_splits_as_pysbds_own_pass_with_exact_offsets(text: str) -> None:
    assert ours(text) == pysbds_own(text)
    spans = split_sentences(text)
    assert spans == (reference_spans(text) if text.strip() else [])
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert text[previous_end:start].strip() == ""
        previous_end = end
    assert text[previous_end:].strip() == ""
