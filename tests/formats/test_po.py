"""PO output: msgfmt accepts it, polib reads it back to the same segments."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import SEEDS
from contract import FormatContract

from toolkit.document import Document, Flag, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import Provenance
from toolkit.formats.po import PoFormat
from toolkit.segment import segment_text


class TestPoContract(FormatContract):
    fmt = PoFormat()

    def validate(self, path: Path) -> None:
        run = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr

    def toolkit_units(self, path: Path) -> list[tuple[str, str]]:
        from translate.storage import factory

        store = factory.getobject(str(path))
        return [(u.source, u.target) for u in store.units if not u.isheader()]


TEXT = (
    "date 2023-04 Poetin sprak. Hij zei “niets”.\n\n"
    "Kernwapens\n\n"
    "Dezelfde alinea.\n\n"
    "Dezelfde alinea.\n\n"
    'Ëën ïdee: 50% van ‘de’ "mensen"…\n'
)


def _translated():
    document = segment_text(TEXT, "artikel", "in/artikel.txt")
    for paragraph in document.paragraphs:
        paragraph.target = f"EN {paragraph.index}"
        paragraph.state = ReviewState.MACHINE
    document.paragraphs[2].state = ReviewState.REVIEWED
    return document


def test_po_passes_msgfmt_check(tmp_path: Path) -> None:
    path = tmp_path / "artikel.nl-en.po"
    path.write_text(PoFormat().dumps(_translated(), Provenance(engine="argos x")), "utf-8")
    result = subprocess.run(
        [shutil.which("msgfmt") or "msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_po_header_and_entries(tmp_path: Path) -> None:
    po = polib.pofile(PoFormat().dumps(_translated(), Provenance(engine="argos x")))
    assert po.metadata["Language"] == "en"
    assert po.metadata["X-Source-Language"] == "nl"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    # Poedit replaces X-Generator on save: provenance lives in fields of our own
    assert po.metadata["X-Toolkit-Engine"] == "argos x"
    assert "X-Generator" not in po.metadata
    assert po.metadata["X-Document-Metadata"] == "date=2023-04"
    # identity is the Dutch; only the second copy of a repeated paragraph needs a context
    assert [e.msgctxt for e in po] == [None, None, None, "repeat 2", None]
    assert po.metadata["X-Toolkit-Document"] == '"artikel"'
    assert po[0].occurrences == [("in/artikel.txt", "1")]
    assert po[1].occurrences == [("in/artikel.txt", "3")]
    assert [e.fuzzy for e in po] == [True, True, False, True, True]
    assert "document metadata (not translated): date 2023-04" in po[0].comment
    assert "heading" in po[1].comment.splitlines()
    # repeated paragraphs stay two entries thanks to msgctxt "repeat 2"
    assert po[2].msgid == po[3].msgid == "Dezelfde alinea."


def test_po_reads_back_to_the_same_segments() -> None:
    original = _translated()
    fmt = PoFormat()
    back = fmt.loads(fmt.dumps(original, Provenance()), "x.po")
    assert back.name == "artikel"
    assert back.metadata == {"date": "2023-04"}
    assert [(p.index, p.source, p.target, p.state, p.line) for p in back.paragraphs] == [
        (p.index, p.source, p.target, p.state, p.line) for p in original.paragraphs
    ]


def test_untranslated_entries_are_not_fuzzy() -> None:
    document = segment_text(TEXT, "artikel")
    po = polib.pofile(PoFormat().dumps(document, Provenance()))
    assert all(e.msgstr == "" and not e.fuzzy for e in po)


@pytest.mark.parametrize(
    ("po_text", "message"),
    [
        # two entries for the same paragraph would make the merge ambiguous
        (
            'msgctxt "a:1"\nmsgid "x"\nmsgstr ""\n\nmsgctxt "a:1"\nmsgid "y"\nmsgstr ""\n',
            "x.po:5: duplicate msgctxt 'a:1'",
        ),
        # the same paragraph once labelled (flagged) and once not is still a duplicate
        (
            'msgctxt "a:1 ⚑ flagged"\nmsgid "x"\nmsgstr ""\n\nmsgctxt "a:1"\nmsgid "y"\n'
            'msgstr ""\n',
            "x.po:5: duplicate msgctxt 'a:1'",
        ),
        # the same Dutch twice with no context tells nothing apart (issue 22 identity)
        (
            'msgid "x"\nmsgstr ""\n\nmsgid "x"\nmsgstr "y"\n',
            "x.po:4: duplicate entry for the same Dutch;",
        ),
        # a context this toolkit never writes: another tool's file, read as ours by mistake
        ('msgctxt "menu"\nmsgid "x"\nmsgstr "y"\n', "x.po:1: entry has msgctxt 'menu'"),
    ],
)
def test_bad_po_names_file_and_line(po_text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        PoFormat().loads(po_text, "x.po")
    assert str(caught.value).startswith(message)


def test_pocount_reads_our_po(tmp_path: Path) -> None:
    # translate-toolkit's word counter is what project managers run on PO files. It runs
    # from this interpreter's translate-toolkit: a `pocount` first on PATH may be Debian's
    # older one, whose CSV has other column names (KeyError: 'Translated Messages').
    path = tmp_path / "artikel.nl-en.po"
    path.write_text(PoFormat().dumps(_translated(), Provenance()), "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "translate.tools.pocount", "--csv", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    header, row = run.stdout.strip().splitlines()[-2:]
    counts = dict(zip(header.split(","), row.split(","), strict=False))
    # five paragraphs: one reviewed (translated), four machine (fuzzy)
    assert counts["Translated Messages"] == "1" and counts["Fuzzy Messages"] == "4"


def _long_document() -> Document:
    """Paragraphs whose wrapping differs between polib and gettext (issue 11, Poedit)."""
    text = (
        SEEDS[0].read_text("utf-8") + "\n\nZie www.example.com/pad/naar/een/lange/plek.html"
        " en https://nos.nl/artikel/2471234-rusland-plaatst-kernwapens-in-belarus.html nu."
        '\n\nEen "citaat" met \\ en\ttab, 中文字符中文字符 en emoji😀 ' + "woord " * 14
    )
    document = segment_text(text, "artikel", "in/artikel met spatie.txt")
    for paragraph in document.paragraphs:
        paragraph.target = paragraph.source.replace("Rusland", "Russia") + " " + "x" * 90
        paragraph.state = ReviewState.MACHINE
    document.paragraphs[1].previous_source = document.paragraphs[2].source
    document.paragraphs[2].translator_comment = "Lange opmerking " * 8
    document.paragraphs[3].target = "Twee regels\nin een vertaling\n"
    return document


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext's msgcat not installed")
def test_msgcat_round_trip_changes_nothing(tmp_path: Path) -> None:
    # Poedit and msgcat re-wrapped ~10 untouched entries on save: polib wraps otherwise
    path = tmp_path / "artikel.nl-en.po"
    path.write_text(PoFormat().dumps(_long_document(), Provenance(engine="e " * 50)), "utf-8")
    again = tmp_path / "again.po"
    subprocess.run(["msgcat", str(path), "-o", str(again)], check=True)
    assert again.read_bytes() == path.read_bytes()


def test_previous_source_is_msgid_only() -> None:
    # Poedit showed `#| msgctxt` and `#| msgid` run together: "…:1Geen buitenlandse…"
    document = _long_document()
    text = PoFormat().dumps(document, Provenance())
    assert "#| msgctxt" not in text
    assert '#| msgid "' in text
    back = PoFormat().loads(text, "x.po")
    assert back.paragraphs[1].previous_source == document.paragraphs[2].source


@pytest.mark.parametrize(
    ("flags", "risk", "attention"),
    [
        # flagged: the first extracted comment says so (Poedit shows it beside the entry)
        (["term 'Kiev' needs 'Kyiv'"], 72, "⚑ flagged, risk 72"),
        # risky without a flag: still worth a look
        ([], 40, "⚑ risk 40"),
        # below the bar: nothing extra
        ([], 39, None),
        # no QA stage ran (risk None) and nothing flagged
        ([], None, None),
    ],
)
def test_attention_is_a_comment_never_the_identity(flags, risk, attention) -> None:
    # issue 22: the label sat in msgctxt, so gettext tools took a new risk for a new entry
    document = segment_text("Poetin sprak in Kiev.", "artikel")
    paragraph = document.paragraphs[0]
    paragraph.target, paragraph.state = "Putin spoke in Kiev.", ReviewState.MACHINE
    paragraph.flags, paragraph.risk = [Flag.read(flag) for flag in flags], risk
    text = PoFormat().dumps(document, Provenance())
    [entry] = polib.pofile(text)
    assert entry.msgctxt is None
    lines = entry.comment.splitlines()
    assert lines[:1] == [attention] if attention else not any("⚑" in x for x in lines)
    back = PoFormat().loads(text, "x.po").paragraphs[0]
    assert (back.index, back.target) == (1, "Putin spoke in Kiev.")
    assert not any(note.startswith("⚑") for note in back.notes)  # not read as a note
    if risk is not None:
        assert f"risk {risk}/100" in back.notes


def test_reads_po_files_written_before_issue_22() -> None:
    # users' folders hold outputs with DOCUMENT:N and labels in msgctxt: still ours
    old = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        '#: in/artikel.txt:3\n#, fuzzy\nmsgctxt "artikel:2 ⚑ flagged, risk 72"\n'
        'msgid "Poetin sprak."\nmsgstr "Poetin spoke."\n\n'
        '#: in/artikel.txt:1\nmsgctxt "artikel:1"\nmsgid "Kop"\nmsgstr "Heading"\n'
    )
    back = PoFormat().loads(old, "x.po")
    assert back.name == "artikel"
    assert [(p.index, p.source, p.state) for p in back.paragraphs] == [
        (2, "Poetin sprak.", ReviewState.MACHINE),
        (1, "Kop", ReviewState.REVIEWED),
    ]


def test_review_notes_one_line_per_decision() -> None:
    # issue 15: a term's note repeated once per occurrence; Poedit showed notes with hard
    # breaks; the engine's own sentence was nowhere to be seen
    document = segment_text("Poetin en Poetin.", "artikel")
    paragraph = document.paragraphs[0]
    sentence = paragraph.sentences[0]
    term = TermMatch(
        "Poetin",
        "Putin",
        "Poetin",
        0,
        6,
        TermOutcome.REPAIRED,
        "inject",
        "engine wrote 'Poetin', a long explanation " + "that goes on " * 8,
    )
    again = TermMatch(**{**term.__dict__, "start": 10, "end": 16})
    sentence.terms = [term, again]
    sentence.engine_target, sentence.target = "Poetin and Poetin.", "Putin and Putin."
    paragraph.target, paragraph.state = sentence.target, ReviewState.MACHINE
    text = PoFormat().dumps(document, Provenance())
    notes = [line for line in text.splitlines() if line.startswith("#.")]
    assert notes == [
        f"#. term 'Poetin' → 'Putin': repaired by inject ({term.produced})",
        "#. engine's own translation (before term enforcement): Poetin and Poetin.",
    ]
