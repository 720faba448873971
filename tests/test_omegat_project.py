"""The OmegaT project export, checked by OmegaT 3.6 itself: it opens the project, inserts
the reviewed translations from tm/auto/, offers machine output from tm/mt/ as matches only,
and writes the target files and statistics accordingly."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS
from lxml import etree
from validators import validate_dtd, validate_xsd

from toolkit.cli import main
from toolkit.document import Document, Paragraph, ReviewState
from toolkit.engines.scripted import ScriptedEngine
from toolkit.errors import UserError
from toolkit.files import read_text
from toolkit.formats import Provenance
from toolkit.formats.tsv import TsvFormat
from toolkit.glossary.omegat import read_omegat
from toolkit.glossary.tsv import read_glossary
from toolkit.omegat_project import export_omegat_project, omegat_segments
from toolkit.review import load_reviewed
from toolkit.run import RunOptions, run_translate
from toolkit.segment import segment_text

GLOSSARY = REPO / "glossary" / "nl-en.tsv"
# What trips OmegaT's text filter up: a BOM, CRLF, a `date` line of its own, a hard-wrapped
# paragraph, and a line of spaces (a blank line to us, not to OmegaT) between two paragraphs.
TRICKY = (
    "\ufeffdate 2023-05\r\n\r\nKernwapens\r\n\r\nDe eerste regel van een alinea\r\n"
    "die doorloopt op een tweede regel.\r\n   \r\nSovjet-Unie 2.0\r\n\r\nEen laatste zin.\r\n"
)


class MarkedEngine(ScriptedEngine):
    """The scripted engine with every sentence marked, so no target equals its Dutch:
    OmegaT copying an untranslated source through can never pass for our English."""

    name = "marked"

    def _render(self, source: str, rank: int) -> str:
        return "EN " + super()._render(source, rank)


@dataclass
class Translated:
    inputs: Path  # a folder: the seeds, and sub/tricky.txt
    out: Path  # toolkit translate's output folder

    def documents(self) -> list[tuple[Path, Document]]:
        """Each source file (relative to inputs) with its translation."""
        relatives = [path.relative_to(self.inputs) for path in self.inputs.rglob("*.txt")]
        return [
            (relative, load_reviewed(self.out / relative.with_name(relative.stem + ".nl-en.po")))
            for relative in sorted(relatives)
        ]


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Translated:
    root = tmp_path_factory.mktemp("translated")
    inputs = root / "inputs"
    (inputs / "sub").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, inputs / seed.name)
    (inputs / "sub" / "tricky.txt").write_bytes(TRICKY.encode("utf-8"))
    report = run_translate([inputs], root / "out", MarkedEngine(), RunOptions())
    assert not report.failed, report.summary()
    for po_path in (root / "out").rglob("*.po"):
        _approve_odd_paragraphs(po_path)
    return Translated(inputs, root / "out")


def _approve_odd_paragraphs(po_path: Path) -> None:
    """What a translator does in Poedit: approve some entries (fuzzy off) and save."""
    po = polib.pofile(str(po_path))
    for number, entry in enumerate(po, 1):
        if number % 2 == 1:
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save(str(po_path))


def _units(translated: Translated) -> list[tuple[Path, Document]]:
    """Each source with its translation cut into OmegaT's segments."""
    return [
        (relative, omegat_segments(document, read_text(translated.inputs / relative)))
        for relative, document in translated.documents()
    ]


def _split(translated: Translated) -> list[tuple[Path, list[Paragraph], list[Paragraph]]]:
    """Per source, the units OmegaT must count as done and those it must leave to do.

    OmegaT gives identical Dutch one translation: a machine unit whose Dutch a translator
    reviewed elsewhere (a repeated heading) is done too.
    """
    units = _units(translated)
    reviewed = {u.source for _, d in units for u in d.paragraphs if u.state is ReviewState.REVIEWED}
    return [
        (
            relative,
            [u for u in document.paragraphs if u.source in reviewed],
            [u for u in document.paragraphs if u.source not in reviewed],
        )
        for relative, document in units
    ]


@dataclass
class OmegatRun:
    project: Path
    output: str  # OmegaT's stdout and stderr, for failure messages


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory: pytest.TempPathFactory, translated: Translated) -> OmegatRun:
    """One OmegaT console-translate run over the exported project, shared by the tests."""
    omegat = shutil.which("omegat")
    if omegat is None:
        message = "omegat missing; apt-get install omegat"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("omegat")
    project = root / "project"
    assert " " not in str(project), "/usr/bin/omegat passes its arguments unquoted"
    export_omegat_project(project, [translated.inputs], translated.out, read_glossary(GLOSSARY))
    env = {
        **os.environ,
        "HOME": str(root / "home"),  # OmegaT's preferences and logs go here
        "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true",
    }
    run = subprocess.run(
        [
            omegat,
            "--mode=console-translate",
            "--disable-project-locking",
            "--no-team",
            str(project),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    return OmegatRun(project, output)


def _in_order(text: str, parts: list[str]) -> list[str]:
    """The parts not found in `text` after the previous one."""
    missing, cursor = [], 0
    for part in parts:
        found = text.find(part, cursor)
        if found < 0:
            missing.append(part)
        else:
            cursor = found + len(part)
    return missing


def test_omegat_inserts_reviewed_work_and_never_machine_output(omegat_run, translated) -> None:
    # everything in tm/auto was inserted as translated, the flagged paragraph included
    for relative, reviewed, machine in _split(translated):
        target = omegat_run.project / "target" / relative
        assert target.is_file(), omegat_run.output
        english = target.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert reviewed and machine, relative
        assert _in_order(english, [u.target for u in reviewed]) == [], english
        assert [u.target for u in machine if u.target in english] == [], relative
        assert _in_order(english, [u.source for u in machine]) == [], english


def test_omegat_reads_machine_output_as_a_memory(omegat_run) -> None:
    # offered in the Matches pane: OmegaT 3.6 loads every TMX under tm/; issue 22: from
    # tm/mt/ alone it showed machine output as a 100% match, so it sits in a penalty folder
    for name in ("000_104319bf9a01cd49", "002_e36221037867b85e"):
        assert f"Reading TMX file {omegat_run.project}/tm/mt/penalty-30/{name}.nl-en.tmx" in (
            omegat_run.output
        )


def test_omegat_applies_the_penalty_folder() -> None:
    # OmegaT 3.6 lowers matches from TMX under a penalty-N folder by N% (FindMatches reads
    # the path with this very pattern); the folder name must be one it recognises
    import re
    import zipfile

    jar = next(Path("/usr/share").rglob("OmegaT.jar"), None)
    if jar is None:
        pytest.skip("omegat missing; apt-get install omegat")
    with zipfile.ZipFile(jar) as archive:
        code = archive.read("org/omegat/core/statistics/FindMatches.class")
    pattern = re.search(rb"penalty-\(\\d\+\)", code)
    assert pattern is not None
    from toolkit.omegat_project import MACHINE_TM

    assert re.search(r"penalty-(\d+)", str(MACHINE_TM)) and MACHINE_TM.parts[:2] == ("tm", "mt")


def test_omegat_keeps_risk_notes_on_untranslated_segments(omegat_run, translated) -> None:
    # issue 22: risk and flags were in the TMX, which OmegaT 3.6 never displays; notes in
    # project_save.tmx show in its Notes pane, and must not make a segment translated
    saved = omegat_run.project / "omegat" / "project_save.tmx"
    root = etree.parse(str(saved)).getroot()
    notes = [tu.findtext("note") for tu in root.iter("tu")]
    assert notes and all(note.startswith("risk ") for note in notes), notes
    # OmegaT loaded and saved them back as notes without translations
    assert all(len(tu.findall("tuv")) == 1 for tu in root.iter("tu"))


def test_omegat_keeps_the_date_prefix_in_front(omegat_run) -> None:
    # our first paragraph leaves `date 2023-04` out; OmegaT's first segment holds it
    english = (omegat_run.project / "target" / "002_e36221037867b85e.txt").read_text("utf-8")
    assert english.lstrip().startswith("date 2023-04 EN Geen buitenlandse leider")


def test_omegat_counts_machine_output_as_remaining(omegat_run, translated) -> None:
    # OmegaT's statistics said 24/24 done while no one had reviewed a word
    stats = (omegat_run.project / "omegat" / "project_stats.txt").read_text("utf-8")
    remaining = {
        row[0].strip(): int(row[2])
        for row in (line.split("\t") for line in stats.splitlines())
        if row[0].startswith(("000_", "002_"))
    }
    expected = {
        relative.name: len(machine)
        for relative, _, machine in _split(translated)
        if relative.name in remaining
    }
    assert len(remaining) == 2 and remaining == expected, stats


def test_sources_are_copied_unchanged(omegat_run, translated) -> None:
    for relative, _ in translated.documents():
        copied = omegat_run.project / "source" / relative
        assert copied.read_bytes() == (translated.inputs / relative).read_bytes()


@pytest.fixture
def project(tmp_path: Path, translated: Translated) -> Path:
    project = tmp_path / "project"
    export_omegat_project(project, [translated.inputs], translated.out, read_glossary(GLOSSARY))
    return project


def test_project_layout(project: Path) -> None:
    files = {str(path.relative_to(project)) for path in project.rglob("*") if path.is_file()}
    assert files == {
        "omegat.project",
        "omegat/filters.xml",
        "source/000_104319bf9a01cd49.txt",
        "source/002_e36221037867b85e.txt",
        "source/sub/tricky.txt",
        "tm/auto/000_104319bf9a01cd49.nl-en.tmx",
        "tm/auto/002_e36221037867b85e.nl-en.tmx",
        "tm/auto/sub/tricky.nl-en.tmx",
        "tm/mt/penalty-30/000_104319bf9a01cd49.nl-en.tmx",
        "tm/mt/penalty-30/002_e36221037867b85e.nl-en.tmx",
        "tm/mt/penalty-30/sub/tricky.nl-en.tmx",
        "omegat/project_save.tmx",  # risk notes for the Notes pane, no translations
        "glossary/glossary.txt",  # no TBX: OmegaT lists its forbidden terms as translations
    }
    for folder in ("target", "dictionary"):
        assert (project / folder).is_dir()


def test_project_files_validate(project: Path) -> None:
    validate_xsd(project / "omegat.project", "project_properties.xsd")
    validate_xsd(project / "omegat" / "filters.xml", "filters.xsd")
    for tmx in [*(project / "tm").rglob("*.tmx"), project / "omegat" / "project_save.tmx"]:
        validate_dtd(tmx, "tmx14.dtd")
    settings = (project / "omegat.project").read_text("utf-8")
    assert "<sentence_seg>false</sentence_seg>" in settings
    assert '<option name="segmentOn" value="EMPTYLINES"/>' in (
        project / "omegat" / "filters.xml"
    ).read_text("utf-8")


def test_memory_is_paragraph_level(project: Path, translated: Translated) -> None:
    document = dict(translated.documents())[Path("000_104319bf9a01cd49.txt")]
    for folder, state in (("auto", ReviewState.REVIEWED), ("mt/penalty-30", ReviewState.MACHINE)):
        tmx = (project / "tm" / folder / "000_104319bf9a01cd49.nl-en.tmx").read_text("utf-8")
        units = sum(p.state is state for p in document.paragraphs)
        assert tmx.count("<tu ") == units
        assert tmx.count('segtype="paragraph"') == units + 1  # and the header


def test_each_unit_has_one_note_with_every_line(project: Path, translated: Translated) -> None:
    # OmegaT shows one note per segment: of 9 term notes only the last was visible
    from lxml import etree

    document = dict(translated.documents())[Path("000_104319bf9a01cd49.txt")]
    tmx = etree.parse(str(project / "tm" / "mt" / "penalty-30" / "000_104319bf9a01cd49.nl-en.tmx"))
    units = tmx.getroot().iter("tu")
    machine = [p for p in document.paragraphs if p.state is ReviewState.MACHINE]
    for unit, paragraph in zip(units, machine, strict=True):
        (note,) = unit.findall("note")
        assert note.text.split("\n") == paragraph.notes


def test_glossary_shows_allowed_english_and_says_everything_once(project: Path) -> None:
    # OmegaT's pane showed "Oekraïne = Ukraine, Oekraine, Oekraïne", status lines, and the
    # note once per Dutch form
    glossary = read_glossary(GLOSSARY)
    omegat = read_omegat(project / "glossary" / "glossary.txt")
    pairs = {(form, e.target) for e in omegat.entries for form in e.source_forms}
    assert pairs == {(form, e.target) for e in glossary.entries for form in e.source_forms}
    lines = (project / "glossary" / "glossary.txt").read_text("utf-8").splitlines()
    rows = {tuple(line.split("\t")[:2]): line.split("\t")[2:] for line in lines}
    ukraine = next(e for e in glossary.entries if e.source == "Oekraïne")
    assert rows[("Oekraïne", "Ukraine")] == [f"{ukraine.note} Not: {', '.join(ukraine.forbidden)}."]
    assert rows[("Oekraine", "Ukraine")] == []  # a variant: the headword's line says it
    for entry in glossary.entries:
        assert sum(entry.note in line for line in lines) == 1, entry.source


def test_non_empty_project_dir_is_refused(tmp_path: Path, translated: Translated) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("the translator's", encoding="utf-8")
    with pytest.raises(UserError, match="is not empty; .* --force"):
        export_omegat_project(project, [translated.inputs], translated.out)
    assert sorted(p.name for p in project.iterdir()) == ["notes.txt"]
    export_omegat_project(project, [translated.inputs], translated.out, force=True)
    assert (project / "omegat.project").is_file()
    assert (project / "notes.txt").read_text(encoding="utf-8") == "the translator's"


def test_missing_translation_writes_nothing(tmp_path: Path, translated: Translated) -> None:
    stray = tmp_path / "stray.txt"
    stray.write_text("Een zin zonder vertaling.\n", encoding="utf-8")
    with pytest.raises(UserError, match="no translation in .*; run toolkit translate"):
        export_omegat_project(tmp_path / "project", [stray], translated.out)
    assert not (tmp_path / "project").exists()


def test_non_txt_input_is_refused(tmp_path: Path, translated: Translated) -> None:
    # the project's text filter would not read it: OmegaT would show no segments for it
    notes = tmp_path / "notes.md"
    notes.write_text("Een zin.\n", encoding="utf-8")
    with pytest.raises(UserError, match="reads .txt files only"):
        export_omegat_project(tmp_path / "project", [notes], translated.out)


def test_changed_source_is_refused(tmp_path: Path, translated: Translated) -> None:
    changed = tmp_path / "000_104319bf9a01cd49.txt"
    changed.write_text("Een heel andere tekst.\n", encoding="utf-8")
    with pytest.raises(UserError, match="no longer matches the source"):
        export_omegat_project(tmp_path / "project", [changed], translated.out)


def test_newest_bilingual_file_wins(tmp_path: Path, translated: Translated) -> None:
    # the translator reviewed the TSV after translate wrote the PO: their words go in
    out = tmp_path / "out"
    shutil.copytree(translated.out, out)
    name = "000_104319bf9a01cd49"
    document = load_reviewed(out / f"{name}.nl-en.po")
    document.paragraphs[0].target = "Reviewed in the TSV."
    tsv = out / f"{name}.nl-en.tsv"
    tsv.write_text(TsvFormat().dumps(document, Provenance()), encoding="utf-8")
    os.utime(tsv, ns=(1 << 62, 1 << 62))
    export_omegat_project(tmp_path / "project", [translated.inputs / f"{name}.txt"], out)
    tmx = (tmp_path / "project" / "tm" / "auto" / f"{name}.nl-en.tmx").read_text("utf-8")
    assert "Reviewed in the TSV." in tmx


def _english(text: str) -> Document:
    document = segment_text(text, name="doc")
    for paragraph in document.paragraphs:
        paragraph.target = "EN " + paragraph.source
    return document


SEGMENT_CASES = [
    # one paragraph per OmegaT segment: the units are the paragraphs
    ("Een.\n\nTwee.\n", [("Een.", "EN Een."), ("Twee.", "EN Twee.")]),
    # the metadata prefix is not ours to translate, but it is in OmegaT's first segment
    (
        "date 2023-04 Een.\n\nTwee.\n",
        [("date 2023-04 Een.", "date 2023-04 EN Een."), ("Twee.", "EN Twee.")],
    ),
    # a date line of its own is a segment without a paragraph: no unit
    ("date 2023-04\n\nEen.\n", [("Een.", "EN Een.")]),
    # a line of spaces parts our paragraphs, not OmegaT's segments
    ("Een.\n  \nTwee.\n", [("Een.\n  \nTwee.", "EN Een.\n  \nEN Twee.")]),
    # a hard-wrapped paragraph is one segment, line break and all
    ("Een\nzin.\n\n\n\nTwee.", [("Een\nzin.", "EN Een\nzin."), ("Twee.", "EN Twee.")]),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENT_CASES)
def test_omegat_segments(text: str, expected: list[tuple[str, str]]) -> None:
    units = omegat_segments(_english(text), text)
    assert [(u.source, u.target) for u in units.paragraphs] == expected


def test_untranslated_paragraph_gets_no_unit() -> None:
    # the translator starts from the Dutch; a half-English segment would hide it
    document = _english("Een.\n  \nTwee.\n\nDrie.\n")
    document.paragraphs[1].target = ""
    units = omegat_segments(document, document.text)
    assert [u.source for u in units.paragraphs] == ["Drie."]


def test_cli_exports_and_then_refuses(tmp_path: Path, translated: Translated) -> None:
    project = tmp_path / "project"
    arguments = [
        "export",
        "omegat",
        str(project),
        str(translated.inputs),
        "--translations",
        str(translated.out),
        "--glossary",
        str(GLOSSARY),
    ]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.count("  translation: ") == 3
    paragraphs = sum(len(document.paragraphs) for _, document in translated.documents())
    # issue 22: "24 of 24 paragraphs translated" when one was reviewed
    reviewed = sum(
        p.state is ReviewState.REVIEWED for _, d in translated.documents() for p in d.paragraphs
    )
    summary = f"OmegaT project {project}: 3 documents, {paragraphs} paragraphs: {reviewed} reviewed"
    assert summary in result.output
    assert "offered as 70% matches" in result.output
    helped = CliRunner().invoke(main, ["export", "omegat", "--help"])
    assert "tm/mt/penalty-30" in helped.output and "TBX" not in helped.output
    again = CliRunner().invoke(main, arguments)
    assert again.exit_code == 1
    assert again.output.count("\n") == 1 and "is not empty" in again.output
    forced = CliRunner().invoke(main, [*arguments, "--force"])
    assert forced.exit_code == 0, forced.output
