"""PO output: msgfmt accepts it, polib reads it back to the same segments."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from contract import FormatContract

from toolkit.document import ReviewState
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
    assert "engine: argos x" in po.metadata["X-Generator"]
    assert po.metadata["X-Document-Metadata"] == "date=2023-04"
    assert [e.msgctxt for e in po] == [f"artikel:{i}" for i in range(1, 6)]
    assert po[0].occurrences == [("in/artikel.txt", "1")]
    assert po[1].occurrences == [("in/artikel.txt", "3")]
    assert [e.fuzzy for e in po] == [True, True, False, True, True]
    assert "document metadata (not translated): date 2023-04" in po[0].comment
    assert "heading" in po[1].comment.splitlines()
    # repeated paragraphs stay two entries thanks to msgctxt
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
        # a file from another tool has no paragraph context
        ('msgid "x"\nmsgstr "y"\n', "x.po:1: entry has no DOCUMENT:PARAGRAPH msgctxt"),
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
