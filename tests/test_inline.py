"""Inline tags: building plain text and tags, placing them in the English, checking a review."""

from __future__ import annotations

import pytest

from toolkit.document import InlineTag, Paragraph, ReviewState, Sentence
from toolkit.formats.tagged import placeholder_text, read_placeholders
from toolkit.inline import TaggedTextBuilder, place_tags, tag_problems


def _paragraph(marked: str, english: str) -> Paragraph:
    pair = read_placeholders(marked, "")
    paragraph = Paragraph(1, pair.source, 1, 0, tags=pair.tags, target=english)
    paragraph.sentences = [Sentence(pair.source, 0, len(pair.source), target=english)]
    return paragraph


def test_builder_collapses_whitespace_and_keeps_offsets() -> None:
    builder = TaggedTextBuilder()
    builder.text("  De\n   ")
    builder.open("bold")
    builder.text("Russische ")
    builder.close()
    builder.text("  president ")
    builder.standalone("code", "`x`")
    builder.text(" zei.  ")
    text, tags = builder.result()
    assert text == "De Russische president zei."
    assert text[tags[0].start : tags[0].end] == "Russische"
    assert tags[1].start == len("De Russische president ") and tags[1].space_after


CASES = [
    # (Dutch with tags, English from the engine, English with tags placed); why
    (
        "De <b1>Russische</b1> president",
        "The Russian president",
        "The <b1>Russian</b1> president",
    ),  # proportional: same word position
    (
        "Zie <link1>Belarus</link1> nu.",
        "Now see Belarus.",
        "Now see <link1>Belarus</link1>.",
    ),  # a name copied verbatim is found where it went
    (
        "<b1>Kernwapens in Belarus</b1>",
        "Nuclear weapons in Belarus",
        "<b1>Nuclear weapons in Belarus</b1>",
    ),  # a tag around everything stays around everything
    ("Tekst.<fn1/>", "Text.", "Text.<fn1/>"),  # a standalone tag at the end stays at the end
    (
        "<i1><b2>iemand</b2></i1> zei",
        "someone said",
        "<i1><b2>someone</b2></i1> said",
    ),  # the same span twice: still nested
    ("Een <code1/> hier", "A here", "A <code1/> here"),
]


@pytest.mark.parametrize(("dutch", "english", "expected"), CASES)
def test_tags_are_placed_at_the_aligned_words(dutch: str, english: str, expected: str) -> None:
    paragraph = _paragraph(dutch, english)
    place_tags(paragraph)
    assert placeholder_text(paragraph.target, paragraph.tags, target=True) == expected


def test_placement_never_crosses_tags() -> None:
    # a long span and a short one whose proportional places would overlap
    paragraph = _paragraph("<b1>een twee</b1> <i2>drie vier vijf</i2>", "one two three")
    place_tags(paragraph)
    spans = [(t.target_start, t.target_end) for t in paragraph.tags]
    (a0, a1), (b0, b1) = spans
    assert a0 is not None and a1 is not None and b0 is not None and b1 is not None
    assert not (a0 < b0 < a1 < b1 or b0 < a0 < b1 < a1)
    assert tag_problems(paragraph) == []


class Locating:
    """A PlacingEngine stand-in whose attention says the span starts at a fixed word."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.calls = 0

    def locate(self, sources, spans, targets):  # type: ignore[no-untyped-def]
        self.calls += 1
        return [t.find(self.word) if self.word in t else None for t in targets]

    def complete(self, sources, prefixes):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def score(self, sources, targets):  # type: ignore[no-untyped-def]
        raise NotImplementedError


def test_cross_attention_is_used_where_the_engine_can_read_it() -> None:
    from toolkit.inline import Locator

    paragraph = _paragraph("Hij <b1>zag</b1> de kat", "He the cat saw")
    engine = Locating("saw")
    place_tags(paragraph, Locator(engine))
    assert engine.calls == 1
    assert placeholder_text(paragraph.target, paragraph.tags, True) == "He the cat <b1>saw</b1>"


REVIEWED = [
    ("The <b1>Russian</b1> president", []),
    ("The Russian president", ["tag b1 is missing from the English"]),
    ("The <b1>Russian</b1> <b1>x</b1> president", ["tag <b1> appears twice in the English"]),
    ("The </b1>Russian<b1> president", ["tag b1 is closed before it is opened"]),
]


@pytest.mark.parametrize(("english", "problems"), REVIEWED)
def test_a_reviewers_tags_are_checked(english: str, problems: list[str]) -> None:
    pair = read_placeholders("De <b1>Russische</b1> president", english)
    paragraph = Paragraph(1, pair.source, 1, 0, tags=pair.tags, target=pair.target)
    paragraph.state = ReviewState.REVIEWED
    found = pair.problems + tag_problems(paragraph)
    for problem in problems:
        assert any(problem in line for line in found), found
    if not problems:
        assert found == []


def test_crossed_tags_are_reported() -> None:
    pair = read_placeholders("<b1>een</b1> <i2>twee</i2>", "<b1>one <i2>two</b1> too</i2>")
    paragraph = Paragraph(1, pair.source, 1, 0, tags=pair.tags, target=pair.target)
    assert any("overlap" in p for p in tag_problems(paragraph))


def test_review_status_flags_tag_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from toolkit.cli import main

    po = tmp_path / "a.nl-en.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "a:1"\nmsgid "De <b1>Russische</b1> president <br2/>"\n'
        'msgstr "The Russian president <br2/><br2/>"\n',
        "utf-8",
    )
    result = CliRunner().invoke(main, ["review", "status", str(po), "--no-glossary"])
    assert result.exit_code == 1
    assert "a:1: tag b1 is missing from the English" in result.output
    assert "a:1: tag <br2/> appears twice in the English" in result.output
    assert "2 tag problems" in result.output


def test_a_placeholder_not_in_the_dutch_stays_text_in_the_english() -> None:
    # a reviewer typing "<b7>" (no tag 7 in the Dutch) writes text, not a tag
    pair = read_placeholders("Typ <b1>x</b1> en", "Type <b1>x</b1> and <b7>")
    assert pair.target == "Type x and <b7>"
    assert [t.id for t in pair.tags] == [1]
    assert isinstance(pair.tags[0], InlineTag)


def test_attention_inside_a_word_is_widened_to_the_whole_word() -> None:
    # broke: "the **aptitu**de command line" (the attention peaked on a subword)
    from toolkit.inline import Locator

    paragraph = _paragraph("Zie het <b1>apparaat</b1> nu", "See the device now")
    engine = Locating("vice")
    place_tags(paragraph, Locator(engine))
    assert engine.calls == 1
    assert placeholder_text(paragraph.target, paragraph.tags, True) == (
        "See the <b1>device</b1> now"
    )


def test_an_empty_tag_keeps_the_standalone_tags_it_held() -> None:
    # broke: <strong><code>apt-get install</code></strong> came out <strong></strong><code>…
    builder = TaggedTextBuilder()
    builder.text("Typ ")
    builder.open("bold")
    builder.standalone("code", "apt-get install")
    builder.close()
    builder.text(" in.")
    text, tags = builder.result()
    paragraph = Paragraph(1, text, 1, 0, tags=tags, target="Type it in.")
    paragraph.sentences = [Sentence(text, 0, len(text), target="Type it in.")]
    place_tags(paragraph)
    marked = placeholder_text(paragraph.target, paragraph.tags, True)
    assert "<b1><code2/></b1>" in marked
    assert placeholder_text(text, tags) == "Typ <b1><code2/></b1> in."
    # and the bilingual files read it back as the same text and places
    from toolkit.formats.tagged import read_placeholders

    pair = read_placeholders(placeholder_text(text, tags), marked)
    assert pair.source == text and pair.problems == []


def test_a_standalone_tag_opening_a_block_keeps_the_space_after_it() -> None:
    # broke: "*`actie`* zegt" came back "*`actie`*zegt", which is no emphasis at all
    builder = TaggedTextBuilder()
    builder.open("italic")
    builder.standalone("code", "`actie`")
    builder.close()
    builder.text(" zegt wat.")
    text, tags = builder.result()
    assert text == "zegt wat." and tags[1].space_after
    assert placeholder_text(text, tags) == "<i1><code2/></i1> zegt wat."
