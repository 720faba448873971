"""PO identity that gettext tools respect (issue 22): a translator's reviewed copy merged
with the next run by msgmerge, msgcat and translate-toolkit's pomerge keeps its work.

Every gettext tool keys an entry on (msgctxt, msgid). The risk, attention labels and
paragraph numbers once sat in msgctxt, so a risk moving from 85 to 87 or a paragraph
inserted above made a new entry and the reviewed one went obsolete or fuzzy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import SEEDS

from toolkit.document import Document, ReviewState
from toolkit.formats.base import Provenance
from toolkit.formats.po import PoFormat
from toolkit.segment import segment_text

pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="gettext missing")

PARAGRAPHS = SEEDS[0].read_text("utf-8").split("\n\n")
REPEATED = "Dit is een alinea die twee keer voorkomt."
REVIEWED = 4  # the paragraph (0-based) the translator approved
REVIEWED_ENGLISH = "The translator's own English, approved."


def _run_output(paragraphs: list[str], risk_shift: int = 0) -> Document:
    """What a translate run writes for these paragraphs: machine output, risks, flags."""
    document = segment_text("\n\n".join(paragraphs), "artikel", "in/artikel.txt")
    for paragraph in document.paragraphs:
        paragraph.target = f"EN {paragraph.source[:30]}"
        paragraph.state = ReviewState.MACHINE
        paragraph.risk = min(100, 40 + 5 * paragraph.index + risk_shift)
        if paragraph.index % 3 == 0:
            paragraph.flags = [f"repetition: test flag {paragraph.index + risk_shift}"]
    return document


def _write(document: Document, path: Path) -> Path:
    path.write_text(PoFormat().dumps(document, Provenance(engine="test")), "utf-8")
    return path


def _reviewed_copy(tmp_path: Path, paragraphs: list[str]) -> Path:
    """The first run's PO, one entry approved in a translator's tool (not fuzzy)."""
    po = polib.pofile(str(_write(_run_output(paragraphs), tmp_path / "first.po")))
    entry = next(e for e in po if e.msgid == paragraphs[REVIEWED])
    entry.msgstr = REVIEWED_ENGLISH
    entry.flags.remove("fuzzy")
    path = tmp_path / "reviewed.po"
    po.save(str(path))
    return path


BASE = [*PARAGRAPHS[:6], REPEATED, *PARAGRAPHS[6:], REPEATED]
NEXT_RUNS: dict[str, Callable[[], tuple[list[str], int]]] = {
    # the same Dutch, every risk and flag moved (85 → 87)
    "risk change": lambda: (BASE, 2),
    # a paragraph inserted at the top renumbers every later one
    "insert": lambda: (["Een nieuwe eerste alinea.", *BASE], 0),
    # one deleted above the reviewed paragraph
    "delete": lambda: (BASE[1:], 0),
    # the reviewed paragraph moved to the end
    "move": lambda: ([p for i, p in enumerate(BASE) if i != REVIEWED] + [BASE[REVIEWED]], 0),
}


@pytest.fixture(params=sorted(NEXT_RUNS))
def merge_case(request, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    reviewed = _reviewed_copy(tmp_path, BASE)
    paragraphs, shift = NEXT_RUNS[request.param]()
    following = _write(_run_output(paragraphs, shift), tmp_path / "next.po")
    return reviewed, following, paragraphs


def _assert_reviewed_kept(path: Path, paragraphs: list[str]) -> None:
    po = polib.pofile(str(path))
    live = [e for e in po if not e.obsolete]
    [entry] = [e for e in live if e.msgid == BASE[REVIEWED]]
    assert entry.msgstr == REVIEWED_ENGLISH
    assert not entry.fuzzy
    # one entry per paragraph of the next run, the repeated one twice, nothing doubled
    assert sorted(e.msgid for e in live) == sorted(paragraphs)


def test_msgmerge_keeps_reviewed_work(merge_case, tmp_path: Path) -> None:
    reviewed, following, paragraphs = merge_case
    merged = tmp_path / "merged.po"
    subprocess.run(
        ["msgmerge", "--quiet", "-o", str(merged), str(reviewed), str(following)], check=True
    )
    _assert_reviewed_kept(merged, paragraphs)


def test_msgcat_use_first_keeps_reviewed_work(merge_case, tmp_path: Path) -> None:
    reviewed, following, paragraphs = merge_case
    both = tmp_path / "both.po"
    subprocess.run(
        ["msgcat", "--use-first", "-o", str(both), str(reviewed), str(following)], check=True
    )
    po = polib.pofile(str(both))
    [entry] = [e for e in po if e.msgid == BASE[REVIEWED]]
    assert entry.msgstr == REVIEWED_ENGLISH and not entry.fuzzy
    # old ∪ new, each paragraph once: msgcat gave 13 entries for 12 when a risk moved
    assert len(po) == len({(e.msgctxt, e.msgid) for e in po})
    assert {e.msgid for e in po} == set(BASE) | set(paragraphs)
    assert [e.msgid for e in po].count(REPEATED) == 2


def test_pomerge_keeps_reviewed_work(merge_case, tmp_path: Path) -> None:
    reviewed, following, paragraphs = merge_case
    merged = tmp_path / "merged.po"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "translate.tools.pomerge",
            "-t",
            str(following),
            "-i",
            str(reviewed),
            "-o",
            str(merged),
        ],
        check=True,
        capture_output=True,
    )
    _assert_reviewed_kept(merged, paragraphs)


def test_identity_is_stable_and_carries_no_risk_or_position() -> None:
    first = polib.pofile(PoFormat().dumps(_run_output(BASE), Provenance()))
    again = polib.pofile(PoFormat().dumps(_run_output(["Nieuw.", *BASE], 7), Provenance()))
    keys = [(e.msgctxt, e.msgid) for e in first]
    assert set(keys) <= {(e.msgctxt, e.msgid) for e in again}
    contexts = [e.msgctxt for e in first if e.msgctxt]
    assert contexts == ["repeat 2"] and first[-1].msgid == REPEATED  # only the repeat needs one
    # attention is still shown: the first extracted comment, and the location in #:
    flagged = first[2]
    assert flagged.comment.splitlines()[0] == "⚑ flagged, risk 55"
    assert flagged.occurrences == [
        ("in/artikel.txt", str(segment_text("\n\n".join(BASE), "artikel").paragraphs[2].line))
    ]
