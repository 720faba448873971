"""Merging an earlier, reviewed output into a re-run: by content, never by position alone."""

from __future__ import annotations

import pytest

from toolkit.document import Document, Origin, ReviewState
from toolkit.run.merge import CHANGED_NOTE, align, merge_previous
from toolkit.segment import segment_text

P = {
    1: "De regering presenteerde vandaag haar plannen voor het nieuwe jaar.",
    2: "Volgens de minister moeten de belastingen omlaag voor lage inkomens.",
    3: "De oppositie reageerde verdeeld op de voorstellen van het kabinet.",
    4: "Economen waarschuwen voor een tekort op de begroting in 2025.",
    5: "De vakbonden eisen hogere lonen voor leraren en verpleegkundigen.",
    6: "In het parlement wordt volgende week over de plannen gedebatteerd.",
    7: "Een stemming wordt pas in het voorjaar verwacht, aldus de voorzitter.",
}
EDITED_5 = "De vakbonden eisen sinds maandag hogere lonen voor alle leraren en verpleegkundigen."
NEW = "Een geheel nieuwe alinea over het weer, dat morgen zonnig wordt."
REVIEWED = (2, 5, 7)  # the translator approved these, with a comment each


def _previous() -> Document:
    document = segment_text("\n\n".join(P.values()), "artikel")
    for number, paragraph in enumerate(document.paragraphs, 1):
        if number in REVIEWED:
            paragraph.target, paragraph.state = f"Reviewed {number}.", ReviewState.REVIEWED
            paragraph.translator_comment = f"comment {number}"
        else:
            paragraph.target, paragraph.state = f"Machine {number}.", ReviewState.MACHINE
    return document


def _carried(document: Document) -> dict[int, tuple[int, str]]:
    """New position → (old reviewed number, kept | changed), for every trace of reviewed work."""
    found: dict[int, tuple[int, str]] = {}
    for position, paragraph in enumerate(document.paragraphs, 1):
        for number in REVIEWED:
            translation, comment = f"Reviewed {number}.", f"comment {number}"
            kept = paragraph.target == translation and paragraph.state is ReviewState.REVIEWED
            noted = f"{CHANGED_NOTE}{translation}" in paragraph.notes
            traces = [kept, noted, paragraph.translator_comment == comment]
            if any(traces):
                assert position not in found, f"paragraph {position} carries two reviews"
                assert traces[2], f"paragraph {position} has review {number} without its comment"
                assert kept != noted
                found[position] = (number, "kept" if kept else "changed")
                if noted:
                    assert paragraph.previous_source == P[number]
                    assert paragraph.state is not ReviewState.REVIEWED
    return found


@pytest.mark.parametrize(
    ("new_text", "expected", "removed"),
    [
        # issue 12.4: delete 3 and edit reviewed 5; by position, 5's review went nowhere
        ([1, 2, 4, EDITED_5, 6, 7], {2: (2, "kept"), 4: (5, "changed"), 6: (7, "kept")}, 1),
        # a new paragraph before an edited reviewed one must not inherit its msgid and note
        ([1, 2, 3, 4, NEW, EDITED_5, 6, 7], {2: (2, "kept"), 6: (5, "changed"), 8: (7, "kept")}, 0),
        # a new paragraph before an unchanged reviewed one: the review stays with its Dutch
        ([1, 2, 3, 4, NEW, 5, 6, 7], {2: (2, "kept"), 6: (5, "kept"), 8: (7, "kept")}, 0),
        # a reviewed paragraph moved to the front keeps its review
        ([7, 1, 2, 3, 4, 5, 6], {1: (7, "kept"), 3: (2, "kept"), 6: (5, "kept")}, 0),
        # an edited reviewed paragraph moved to the end is found by similarity
        ([1, 2, 3, 4, 6, 7, EDITED_5], {2: (2, "kept"), 6: (7, "kept"), 7: (5, "changed")}, 0),
        # a reviewed paragraph deleted: its review is on no paragraph, and counted as removed
        ([1, 2, 3, 4, 6, 7], {2: (2, "kept"), 6: (7, "kept")}, 1),
        # reviewed 5 replaced by unrelated text: nothing similar enough, so nothing inherited
        ([1, 2, 3, 4, NEW, 6, 7], {2: (2, "kept"), 7: (7, "kept")}, 1),
        # the same Dutch twice: the review goes to the first, each old paragraph used once
        ([1, 2, 2, 3, 4, 5, 6, 7], {2: (2, "kept"), 6: (5, "kept"), 8: (7, "kept")}, 0),
    ],
)
def test_reviewed_work_lands_on_the_paragraph_with_its_dutch(new_text, expected, removed) -> None:
    text = "\n\n".join(P[part] if isinstance(part, int) else part for part in new_text)
    document = segment_text(text, "artikel")
    result = merge_previous(document, _previous())
    assert _carried(document) == expected
    assert result.removed == removed
    assert result.kept == sum(kind == "kept" for _, kind in expected.values())
    for position, (_, kind) in expected.items():
        origin = document.paragraphs[position - 1].origin
        assert origin is (Origin.REVIEWED if kind == "kept" else Origin.NONE)


def test_changed_paragraph_awaiting_review_keeps_its_old_dutch_on_the_next_rerun() -> None:
    # regression: a second re-run (before the translator got to it) dropped #| msgid and note
    first = segment_text("\n\n".join([P[1], P[2], EDITED_5]), "artikel")
    merge_previous(first, _previous())
    changed = first.paragraphs[2]
    changed.target, changed.state = "Machine again.", ReviewState.MACHINE
    second = segment_text("\n\n".join([P[1], P[2], EDITED_5]), "artikel")
    merge_previous(second, first)
    assert second.paragraphs[2].previous_source == P[5]
    assert f"{CHANGED_NOTE}Reviewed 5." in second.paragraphs[2].notes


def test_similar_short_headings_align_but_unrelated_ones_do_not() -> None:
    old = segment_text("Kernwapens\n\nSovjet-Unie 2.0", "a").paragraphs
    new = segment_text("Kernwapen\n\nDe Krim", "a").paragraphs
    assert [(n.source, o.source) for n, o in align(new, old)] == [("Kernwapen", "Kernwapens")]


@pytest.mark.parametrize("style", ["before issue 22", "now"])
def test_rerun_keeps_reviewed_work_of_old_and_new_style_po(style, tmp_path) -> None:
    # users' folders hold PO files with DOCUMENT:N (and labels) in msgctxt; a re-run must
    # read them as well as the msgctxt-free ones it writes now, and keep the reviewed entry
    import polib

    from toolkit.engines.scripted import ScriptedEngine
    from toolkit.run import RunOptions, run_translate

    source = tmp_path / "artikel.txt"
    source.write_text("\n\n".join(P.values()) + "\n", "utf-8")
    out = tmp_path / "out"
    run_translate([source], out, ScriptedEngine(), RunOptions(formats=("po",)))
    path = out / "artikel.nl-en.po"
    po = polib.pofile(str(path))
    for number, entry in enumerate(po, 1):
        if style == "before issue 22":
            entry.msgctxt = f"artikel:{number}" + (" ⚑ risk 85" if number == 3 else "")
    po[2].msgstr, po[2].flags, po[2].tcomment = "Reviewed three.", [], "checked"
    po.save(str(path))
    source.write_text(f"{NEW}\n\n" + "\n\n".join(P.values()) + "\n", "utf-8")  # one above
    run_translate([source], out, ScriptedEngine(), RunOptions(formats=("po",)))
    again = polib.pofile(str(path))
    [entry] = [e for e in again if e.msgid == P[3]]
    assert (entry.msgstr, entry.fuzzy, entry.tcomment) == ("Reviewed three.", False, "checked")
    assert all(e.msgctxt is None for e in again)  # written the new way
    assert len(again) == 8
