"""The run's two-deep pipeline: batch N decodes while N+1 is read and N-1 checked and written.

Outputs must be those of batches run one after another, each batch's documents decoded
together (never document by document unless one fails), and the engine's asynchronous
decoding started before the previous batch is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

import toolkit.run.local as local
from toolkit.engines.base import AsynchronousEngine, EngineSettings, Translation
from toolkit.engines.scripted import ScriptedEngine
from toolkit.glossary.tsv import read_glossary
from toolkit.run.local import Job, Run, RunOptions, run_translate
from toolkit.run.report import DocumentResult
from toolkit.stages.settings import StageSettings


class LoggingEngine(ScriptedEngine):
    """The scripted engine, asynchronous in name: each start and wait is logged."""

    def __init__(self, log: list[str]) -> None:
        super().__init__(EngineSettings())
        self.log = log

    def start_translate(
        self, sources: Sequence[str], num_hypotheses: int = 1
    ) -> Callable[[], list[Translation]]:
        names = sorted({s.split(" ", 1)[0] for s in sources})
        self.log.append(f"start {' '.join(names)}")

        def wait() -> list[Translation]:
            self.log.append(f"wait {' '.join(names)}")
            return self.translate(sources, num_hypotheses)

        return wait


def _documents(folder: Path, count: int) -> Path:
    """`count` documents, each sentence starting with the document's name (D0, D1, ...)."""
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"d{number}.txt").write_text(
            f"D{number} eerste zin.\n\nD{number} de kat zit op de mat. D{number} einde.\n",
            "utf-8",
        )
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".toolkit" not in p.parts
    }


def test_the_engine_is_asynchronous_by_its_method() -> None:
    assert isinstance(LoggingEngine([]), AsynchronousEngine)
    assert not isinstance(ScriptedEngine(), AsynchronousEngine)


def test_next_batch_decodes_while_the_previous_one_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log: list[str] = []
    written = local.write_document

    def logged_write(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        log.append(f"write {document.name}")
        return written(document, *args, **kwargs)

    monkeypatch.setattr(local, "write_document", logged_write)
    corpus = _documents(tmp_path / "in", 5)
    options = RunOptions(documents_per_batch=2)
    report = run_translate([corpus], tmp_path / "out", LoggingEngine(log), options)
    assert [d.status for d in report.documents] == ["translated"] * 5
    # one call per batch, with every document of the batch in it (the batch together)
    assert log == [
        "start D0 D1",
        "wait D0 D1",
        "start D2 D3",  # before batch 1 is written: the writes overlap its decoding
        "write d0",
        "write d1",
        "wait D2 D3",
        "start D4",
        "write d2",
        "write d3",
        "wait D4",
        "write d4",
    ]


@pytest.mark.parametrize("glossary", [False, True])
def test_pipelined_outputs_equal_batches_run_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, glossary: bool
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same header dates in both
    corpus = tmp_path / "in"
    corpus.mkdir()
    for number in range(3):
        for seed in SEEDS:
            text = seed.read_text("utf-8")
            (corpus / f"{number}_{seed.name}").write_text(f"Artikel {number}.\n\n{text}", "utf-8")
    stages = StageSettings()
    if glossary:
        stages = StageSettings(glossary=read_glossary(REPO / "glossary" / "nl-en.tsv"))
    options = RunOptions(documents_per_batch=2, stages=stages, formats=("po", "xliff"))
    run_translate([corpus], tmp_path / "piped", LoggingEngine([]), options)

    sequential = Run(tmp_path / "one-by-one", LoggingEngine([]), options)
    jobs = sequential.collect([corpus])
    for begin in range(0, len(jobs), 2):
        sequential.run_batch(jobs[begin : begin + 2])
    piped, one_by_one = _files(tmp_path / "piped"), _files(tmp_path / "one-by-one")
    assert len(piped) == 18 and piped == one_by_one  # 6 documents x (po, xliff, en.txt)


def test_a_batch_that_fails_together_is_done_document_by_document(tmp_path: Path) -> None:
    class Failing(LoggingEngine):
        def start_translate(self, sources, num_hypotheses=1):  # type: ignore[no-untyped-def]
            if len(sources) > 3:
                raise RuntimeError("batch too large")  # fails the batch, not one document
            return super().start_translate(sources, num_hypotheses)

    log: list[str] = []
    corpus = _documents(tmp_path / "in", 2)
    report = run_translate([corpus], tmp_path / "out", Failing(log), RunOptions())
    assert [d.status for d in report.documents] == ["translated", "translated"]
    assert log == ["start D0", "wait D0", "start D1", "wait D1"]


def test_translate_batch_keeps_the_memory_read_only(tmp_path: Path) -> None:
    # the Ray actors' entry point: the driver, not the actor, teaches and saves the memory
    corpus = _documents(tmp_path / "in", 1)
    memory = tmp_path / "memory.tmx"
    run = Run(tmp_path / "out", LoggingEngine([]), RunOptions(memory_path=memory))
    [job] = run.collect([corpus])
    live = run.translate_batch([job])
    assert live == [job] and job.result.status == "translated"
    assert not memory.exists()
    assert isinstance(job, Job) and isinstance(job.result, DocumentResult)
