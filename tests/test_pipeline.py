"""Batch behaviour: cache, skip and resume, merge of reviewed work, the run report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import REPO, SEEDS
from slow_engine import SlowEngine  # tests/support, put on the path by conftest

from toolkit.document import ReviewState
from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.engines.scripted import ScriptedEngine
from toolkit.run.inputs import collect_inputs
from toolkit.run.local import RunOptions, run_translate
from toolkit.stages.settings import StageSettings


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(copies):
        for seed in SEEDS:
            text = seed.read_text("utf-8")
            (folder / f"{number:02d}_{seed.name}").write_text(
                f"Document {number}.\n\n{text}", "utf-8"
            )
    return folder


class CountingEngine(SlowEngine):
    delay_seconds = 0.0

    def __init__(self, settings: EngineSettings | None = None) -> None:
        super().__init__(settings or EngineSettings())
        self.sentences = 0

    def translate(self, sources, num_hypotheses=1):
        self.sentences += len(sources)
        return super().translate(sources, num_hypotheses)


def test_identical_sentences_decode_once_and_rerun_hits_the_cache(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 2)  # the same two articles twice
    engine = CountingEngine()
    options = RunOptions(cache_path=tmp_path / "cache.sqlite")
    first = run_translate([corpus], tmp_path / "out", engine, options)
    distinct = len({s for seed in SEEDS for s in _sentences(seed)}) + 2  # + "Document N."
    assert engine.sentences == distinct
    again = CountingEngine()
    second = run_translate([corpus], tmp_path / "out2", again, options)
    assert again.sentences == 0
    assert second.as_dict()["totals"]["cache_hits"] == first.as_dict()["totals"]["sentences"]
    for path in (tmp_path / "out").glob("*.en.txt"):
        assert path.read_text("utf-8") == (tmp_path / "out2" / path.name).read_text("utf-8")


def _sentences(seed: Path) -> list[str]:
    from toolkit.segment import read_document

    return [s.source for s in read_document(seed).sentences]


def test_finished_documents_are_skipped_until_source_changes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 1)
    out = tmp_path / "out"
    run_translate([corpus], out, CountingEngine())
    report = run_translate([corpus], out, CountingEngine())
    assert [d.status for d in report.documents] == ["skipped", "skipped"]
    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\n\nNieuwe alinea.", "utf-8")
    report = run_translate([corpus], out, CountingEngine())
    assert [d.status for d in report.documents] == ["translated", "skipped"]
    forced = run_translate([corpus], out, CountingEngine(), RunOptions(force=True))
    assert [d.status for d in forced.documents] == ["translated", "translated"]


def test_reviewed_translation_survives_a_rerun_with_changed_source(tmp_path: Path) -> None:
    source = tmp_path / "in" / "artikel.txt"
    source.parent.mkdir()
    source.write_text("Eerste alinea.\n\nTweede alinea.\n\nDerde alinea.\n", "utf-8")
    out = tmp_path / "out"
    run_translate([source], out, CountingEngine())
    po_path = out / "artikel.nl-en.po"
    po = polib.pofile(str(po_path))
    # the translator, in polib: approves the first paragraph with their own words and a comment
    po[0].msgstr, po[0].flags, po[0].tcomment = "First paragraph, by hand.", [], "checked"
    po.save(str(po_path))
    # ... and by hand in a text editor: fixes the second and removes its fuzzy flag
    text = po_path.read_text("utf-8")
    second = po[1]
    text = text.replace("#, fuzzy\n" + f'msgctxt "{second.msgctxt}"', f'msgctxt "{second.msgctxt}"')
    text = text.replace(f'msgstr "{second.msgstr}"', 'msgstr "Second paragraph, by hand."')
    po_path.write_text(text, "utf-8")
    # the Dutch changes: paragraph 2 edited, paragraph 3 removed, a new one added
    source.write_text("Eerste alinea.\n\nTweede alinea, herzien.\n\nVierde alinea.\n", "utf-8")
    engine = CountingEngine()
    report = run_translate([source], out, engine)
    result = report.documents[0]
    assert (result.status, result.kept_reviewed, result.removed_paragraphs) == ("translated", 1, 0)
    after = polib.pofile(str(po_path))
    assert after[0].msgstr == "First paragraph, by hand." and not after[0].fuzzy
    assert after[0].tcomment == "checked"
    assert after[1].fuzzy and after[1].previous_msgid == "Tweede alinea."
    assert "previous translation: Second paragraph, by hand." in after[1].comment
    assert after[2].msgid == "Vierde alinea." and after[2].fuzzy
    assert engine.sentences == 2  # the kept paragraph was not sent to the engine


def test_removed_paragraphs_are_counted(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Een.\n\nTwee.\n\nDrie.\n", "utf-8")
    run_translate([source], tmp_path / "out", CountingEngine())
    source.write_text("Een.\n", "utf-8")
    report = run_translate([source], tmp_path / "out", CountingEngine())
    assert report.documents[0].removed_paragraphs == 2


def test_include_pattern_and_recursion(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.txt", "a/b/y.txt", "a/b/z.md", "a/x.en.txt"):
        (tmp_path / name).write_text("Tekst.", "utf-8")
    # every supported type by default (issue 26: Markdown is a document now)
    found = [(p.name, str(sub)) for p, sub in collect_inputs([tmp_path / "a"])]
    assert found == [("y.txt", "b"), ("z.md", "b"), ("x.txt", ".")]
    found = [p.name for p, _ in collect_inputs([tmp_path / "a"], include="*.txt")]
    assert found == ["y.txt", "x.txt"]
    found = [p.name for p, _ in collect_inputs([tmp_path / "a"], include="*.md")]
    assert found == ["z.md"]


def test_report_counts_terms_with_a_glossary(tmp_path: Path) -> None:
    from toolkit.glossary.model import Entry, Glossary, TermKind

    glossary = Glossary(
        entries=[
            Entry("Poetin", "Putin", TermKind.NAME, forbidden=("Poetin",)),
            Entry("Kaliningrad", "Kaliningrad", TermKind.NAME),
        ],
        path="g.tsv",
    )
    report = run_translate(
        SEEDS, tmp_path / "out", ScriptedEngine(), RunOptions(stages=StageSettings(glossary))
    )
    totals = report.as_dict()["totals"]
    assert totals["terms"] == {"repaired": 17, "missing": 1}  # Kaliningrad is dropped
    assert totals["flagged_paragraphs"] == 1
    assert (
        "FLAGGED: term 'Kaliningrad'"
        in (tmp_path / "out" / f"{SEEDS[1].stem}.nl-en.po").read_text()
    )


def test_kill_and_resume(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 3)  # 6 documents
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'tests' / 'support'}:{REPO}"}
    command = [
        sys.executable,
        "-m",
        "toolkit",
        "translate",
        str(corpus),
        "-o",
        str(out),
        "--engine",
        "slow_engine:SlowEngine",
        "--batch-documents",
        "2",
        "--quiet",
    ]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    markers = out / ".toolkit"
    deadline = time.monotonic() + 60
    while len(list(markers.glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = {p.stem for p in markers.glob("*.json")}
    assert 2 <= len(finished) < 6
    assert not list(out.rglob("*.tmp"))  # nothing half-written
    report_path = tmp_path / "run.json"
    resumed = subprocess.run(
        [*command, "--report", str(report_path)], env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(report_path.read_text())
    skipped = {Path(d["source"]).stem for d in report["documents"] if d["status"] == "skipped"}
    assert skipped == finished
    assert report["totals"]["translated"] == 6 - len(finished)
    clean = tmp_path / "clean"
    subprocess.run([*command[:6], str(clean), *command[7:]], env=env, check=True)
    for path in clean.glob("*.en.txt"):
        assert (out / path.name).read_text("utf-8") == path.read_text("utf-8")


def test_changed_decoding_settings_do_not_reuse_the_cache(argos_settings, tmp_path) -> None:
    from dataclasses import replace

    from toolkit.engines.argos import ArgosEngine

    options = RunOptions(cache_path=tmp_path / "cache.sqlite")
    first = run_translate(SEEDS[:1], tmp_path / "a", ArgosEngine(argos_settings), options)
    same = run_translate(SEEDS[:1], tmp_path / "b", ArgosEngine(argos_settings), options)
    other = ArgosEngine(replace(argos_settings, beam_size=1))
    changed = run_translate(SEEDS[:1], tmp_path / "c", other, options)
    sentences = first.as_dict()["totals"]["sentences"]
    assert first.as_dict()["totals"]["cache_hits"] == 0
    assert same.as_dict()["totals"]["cache_hits"] == sentences
    assert changed.as_dict()["totals"]["cache_hits"] == 0


def test_work_reviewed_in_xliff_is_kept_when_po_is_written_too(tmp_path: Path) -> None:
    from toolkit.formats.xliff import XliffFormat

    source = tmp_path / "a.txt"
    source.write_text("Een.\n\nTwee.\n", "utf-8")
    options = RunOptions(formats=("po", "xliff"))
    run_translate([source], tmp_path / "out", CountingEngine(), options)
    xliff_path = tmp_path / "out" / "a.nl-en.xlf"
    text = xliff_path.read_text("utf-8")
    # the translator approves paragraph 2 in their XLIFF tool; the PO stays machine output
    document = XliffFormat().loads(text, str(xliff_path))
    document.paragraphs[1].target = "Two, reviewed."
    document.paragraphs[1].state = ReviewState.REVIEWED
    from toolkit.formats.base import Provenance

    xliff_path.write_text(XliffFormat().dumps(document, Provenance()), "utf-8")
    source.write_text("Een, herzien.\n\nTwee.\n", "utf-8")
    run_translate([source], tmp_path / "out", CountingEngine(), options)
    po = polib.pofile(str(tmp_path / "out" / "a.nl-en.po"))
    assert po[1].msgstr == "Two, reviewed." and not po[1].fuzzy
    assert "Two, reviewed." in xliff_path.read_text("utf-8")


def test_conflicting_reviews_in_two_formats_refuse_the_document(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Een.\n", "utf-8")
    options = RunOptions(formats=("po", "tsv"))
    run_translate([source], tmp_path / "out", CountingEngine(), options)
    po_path = tmp_path / "out" / "a.nl-en.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr, po[0].flags = "One (PO).", []
    po.save(str(po_path))
    tsv_path = tmp_path / "out" / "a.nl-en.tsv"
    tsv = (
        tsv_path.read_text("utf-8").replace("EN[.neE]", "One (TSV).").replace("machine", "reviewed")
    )
    tsv_path.write_text(tsv, "utf-8")
    before = (po_path.read_bytes(), tsv_path.read_bytes())
    source.write_text("Een.\n\nNieuw.\n", "utf-8")
    report = run_translate([source], tmp_path / "out", CountingEngine(), options)
    assert report.documents[0].status == "failed"
    assert "holds reviewed work that differs from" in report.documents[0].reason
    assert (po_path.read_bytes(), tsv_path.read_bytes()) == before


def _review(po_path: Path, numbers: dict[int, str]) -> None:
    """The translator approves entries (1-based) with their own words and a comment."""
    po = polib.pofile(str(po_path))
    for number, words in numbers.items():
        po[number - 1].msgstr, po[number - 1].flags = words, []
        po[number - 1].tcomment = f"comment {number}"
    po.save(str(po_path))


PARAGRAPHS = [
    "De regering presenteerde vandaag haar plannen voor het nieuwe jaar.",
    "Volgens de minister moeten de belastingen omlaag voor lage inkomens.",
    "De oppositie reageerde verdeeld op de voorstellen van het kabinet.",
    "Economen waarschuwen voor een tekort op de begroting in 2025.",
    "De vakbonden eisen hogere lonen voor leraren en verpleegkundigen.",
    "In het parlement wordt volgende week over de plannen gedebatteerd.",
    "Een stemming wordt pas in het voorjaar verwacht, aldus de voorzitter.",
]


def test_edited_reviewed_paragraph_after_a_deletion_keeps_its_review(tmp_path: Path) -> None:
    # issue 12.4: review 2, 5, 7; delete 3 and edit 5; the review of 5 was in no output
    source = tmp_path / "artikel.txt"
    source.write_text("\n\n".join(PARAGRAPHS), "utf-8")
    out, memory = tmp_path / "out", tmp_path / "memory.tmx"
    options = RunOptions(memory_path=memory)
    run_translate([source], out, CountingEngine(), options)
    po_path = out / "artikel.nl-en.po"
    _review(po_path, {2: "Two, reviewed.", 5: "Five, reviewed.", 7: "Seven, reviewed."})
    edited = PARAGRAPHS[4].replace("eisen", "eisen sinds maandag")
    source.write_text("\n\n".join([*PARAGRAPHS[:2], PARAGRAPHS[3], edited, *PARAGRAPHS[5:]]))
    report = run_translate([source], out, CountingEngine(), options)
    assert (report.documents[0].kept_reviewed, report.documents[0].removed_paragraphs) == (2, 1)
    po = polib.pofile(str(po_path))
    assert [e.tcomment for e in po] == ["", "comment 2", "", "comment 5", "", "comment 7"]
    assert po[3].msgid == edited and po[3].fuzzy and po[3].previous_msgid == PARAGRAPHS[4]
    assert "previous translation: Five, reviewed." in po[3].comment
    assert sum("Five, reviewed." in e.comment for e in po) == 1
    from toolkit.run.memory import TranslationMemory

    # the old pair is still a reviewed translation of the old Dutch: the memory keeps it
    assert TranslationMemory(memory).lookup(PARAGRAPHS[4]) == "Five, reviewed."


class ControlCharEngine(CountingEngine):
    """Writes a character XML cannot carry for one sentence (as a broken model might)."""

    def translate(self, sources, num_hypotheses=1):
        translations = super().translate(sources, num_hypotheses)
        return [
            Translation((Hypothesis("bad\x0bcharacter", None),)) if "Slecht" in s else t
            for s, t in zip(sources, translations, strict=True)
        ]


class BreakingEngine(CountingEngine):
    """Returns one translation too few when a batch holds the word 'Breek': a stage raises."""

    def translate(self, sources, num_hypotheses=1):
        translations = super().translate(sources, num_hypotheses)
        return translations[:-1] if any("Breek" in s for s in sources) else translations


def _three_documents(folder: Path, middle: str) -> Path:
    folder.mkdir()
    for name, text in (("a", "Een."), ("b", middle), ("c", "Drie.")):
        (folder / f"{name}.txt").write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("engine", "middle", "formats", "reason"),
    [
        # issue 12.6: XLIFF refused a control character and the run ended at that document
        (ControlCharEngine, "Slecht.", ("po", "xliff"), "character XML cannot carry"),
        # issue 23.8: and it was blamed on "the source", which the engine's output is not
        (ControlCharEngine, "Slecht.", ("xliff",), "the engine's English holds it, not the source"),
        # TMX the same, through its own writer
        (ControlCharEngine, "Slecht.", ("tmx",), "character XML cannot carry"),
        # any exception inside the stages fails the document it came from, not the batch
        (BreakingEngine, "Breek.", ("po",), "cannot translate this document (ValueError"),
    ],
)
def test_one_document_that_raises_fails_alone(tmp_path, engine, middle, formats, reason) -> None:
    corpus = _three_documents(tmp_path / "in", middle)
    out = tmp_path / "out"
    report = run_translate([corpus], out, engine(), RunOptions(formats=formats))
    assert [d.status for d in report.documents] == ["translated", "failed", "translated"]
    failed = report.documents[1]
    assert failed.reason.startswith(str(corpus / "b.txt")) and reason in failed.reason
    assert "\n" not in failed.reason
    assert (out / "c.en.txt").read_text("utf-8").strip() == "EN[.eirD]"
    assert not (out / "b.en.txt").exists()
    assert "1 failed of 3 documents" in report.summary()


def test_document_over_the_size_limit_fails_alone(tmp_path: Path) -> None:
    corpus = _three_documents(tmp_path / "in", "Groot. " * 40)
    report = run_translate(
        [corpus], tmp_path / "out", CountingEngine(), RunOptions(max_document_bytes=100)
    )
    assert [d.status for d in report.documents] == ["translated", "failed", "translated"]
    assert report.documents[1].reason == (
        f"{corpus / 'b.txt'}: is 280 bytes, over the per-document limit of 100 bytes; "
        "split it, or raise the limit with --max-document-bytes"
    )


def test_second_run_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    from toolkit.errors import UserError
    from toolkit.run.locks import output_lock

    source = tmp_path / "a.txt"
    source.write_text("Een.", "utf-8")
    out = tmp_path / "out"
    with output_lock(out), pytest.raises(UserError) as refused:
        run_translate([source], out, CountingEngine())
    assert str(refused.value) == (
        f"another toolkit run is writing to {out} (pid {os.getpid()}); "
        "wait for it or use another -o"
    )
    assert not (out / "a.en.txt").exists()
    assert run_translate([source], out, CountingEngine()).documents[0].status == "translated"


def test_concurrent_runs_into_one_folder_as_processes(tmp_path: Path) -> None:
    # issue 12.8: two runs into one folder interleaved their writes; now the second stops
    corpus = _corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'tests' / 'support'}:{REPO}"}
    command = [sys.executable, "-m", "toolkit", "translate", str(corpus), "-o", str(out)]
    command += ["--engine", "slow_engine:SlowEngine", "--batch-documents", "1", "--quiet"]
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    lock = out / ".toolkit" / "lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run(command, env=env, capture_output=True, text=True)
    assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"Error: another toolkit run is writing to {out} (pid {first.pid}); "
        "wait for it or use another -o"
    )


def _reviewed_outputs(out: Path, prefix: str, count: int) -> Path:
    """A source of `count` paragraphs whose earlier PO output a translator fully reviewed."""
    source = out.parent / f"{prefix}.txt"
    source.write_text("\n\n".join(f"{prefix} alinea {n}." for n in range(count)), "utf-8")
    run_translate([source], out, CountingEngine())
    _review(
        out / f"{prefix}.nl-en.po", {n: f"{prefix} paragraph {n - 1}." for n in range(1, count + 1)}
    )
    return source


def test_two_runs_sharing_a_memory_lose_no_entries(tmp_path: Path) -> None:
    # issue 12.8: each run saved its own view of the memory; the last writer's 40 of 80 survived
    from toolkit.run.local import Job, Run
    from toolkit.run.memory import TranslationMemory
    from toolkit.run.report import DocumentResult

    memory = tmp_path / "memory.tmx"
    runs, jobs = [], []
    for prefix in ("links", "rechts"):
        out = tmp_path / prefix
        out.mkdir()
        source = _reviewed_outputs(out, prefix, 40)
        runs.append(Run(out, CountingEngine(), RunOptions(memory_path=memory, force=True)))
        jobs.append(Job(source, Path("."), DocumentResult(source=str(source))))
    # both runs have read the (empty) memory before either saves
    runs[0].run_batch([jobs[0]])
    runs[1].run_batch([jobs[1]])
    entries = TranslationMemory(memory).entries
    assert len(entries) == 80
    assert entries["links alinea 0."] == "links paragraph 0."
    assert entries["rechts alinea 39."] == "rechts paragraph 39."
