"""Completion markers: a document is skipped only while every output is as the run wrote it."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from conftest import SEEDS

from toolkit.engines.scripted import ScriptedEngine
from toolkit.formats.xliff import XliffFormat
from toolkit.run.local import RunOptions, run_translate
from toolkit.run.markers import is_up_to_date, write_marker

FORMATS = ("po", "xliff", "tmx", "tsv", "html")
REVIEWED = "Not an attractive prospect, says the reviewer"


def _run(source: Path, out: Path) -> list[str]:
    report = run_translate([source], out, ScriptedEngine(), RunOptions(formats=FORMATS))
    return [d.status for d in report.documents]


def _review_first_entry(po_path: Path) -> str:
    """Do what Poedit does when a translator approves an entry: clear fuzzy, save."""
    po = polib.pofile(str(po_path))
    entry = po[0]
    entry.msgstr = REVIEWED
    entry.flags.remove("fuzzy")
    po.save(str(po_path))
    return entry.msgctxt


def test_saved_review_rewrites_every_other_output_without_force(tmp_path: Path) -> None:
    source = tmp_path / "in" / SEEDS[0].name
    source.parent.mkdir()
    source.write_bytes(SEEDS[0].read_bytes())
    out = tmp_path / "out"
    assert _run(source.parent, out) == ["translated"]
    assert _run(source.parent, out) == ["skipped"]
    stem = out / source.stem
    _review_first_entry(Path(f"{stem}.nl-en.po"))

    assert _run(source.parent, out) == ["translated"]  # was "skipped": outputs kept the MT
    for suffix in (".nl-en.xlf", ".nl-en.tmx", ".nl-en.tsv", ".nl-en.html", ".en.txt"):
        assert REVIEWED in Path(f"{stem}{suffix}").read_text("utf-8"), suffix
    xliff = XliffFormat().loads(Path(f"{stem}.nl-en.xlf").read_text("utf-8"), "x.xlf")
    assert xliff.paragraphs[0].target == REVIEWED
    assert xliff.paragraphs[0].state.value == "reviewed"
    assert _run(source.parent, out) == ["skipped"]  # and now up to date again


@pytest.mark.parametrize(
    ("change", "up_to_date"),
    [
        # untouched outputs: the run has nothing to do
        (lambda paths: None, True),
        # a translator saved one output: it must be merged into the others
        (lambda paths: paths[0].write_text("edited\n", "utf-8"), False),
        # an output deleted: it must be written again
        (lambda paths: paths[1].unlink(), False),
    ],
)
def test_marker_holds_each_outputs_content(tmp_path: Path, change, up_to_date: bool) -> None:
    paths = [tmp_path / "a.nl-en.po", tmp_path / "a.en.txt"]
    for path in paths:
        path.write_text(f"content of {path.name}\n", "utf-8")
    marker = tmp_path / "marker.json"
    write_marker(marker, "fp", tmp_path / "a.txt", paths)
    change(paths)
    assert is_up_to_date(marker, "fp", paths) is up_to_date


def test_marker_without_output_hashes_is_not_trusted(tmp_path: Path) -> None:
    # markers written before outputs were hashed cannot say whether a file was edited since
    output = tmp_path / "a.en.txt"
    output.write_text("x\n", "utf-8")
    marker = tmp_path / "marker.json"
    marker.write_text(json.dumps({"fingerprint": "fp", "source": "a.txt"}), "utf-8")
    assert not is_up_to_date(marker, "fp", [output])
