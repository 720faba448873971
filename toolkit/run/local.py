"""A translate run: the edges around the stages, over batches of documents.

Per batch: read each input, skip it when its completion marker is current,
merge an earlier output's reviewed work, run the stages (`stages.process`) on
all documents of the batch together, write each document's outputs and then
its marker, and save what the memory learned. Each finished batch is on disk,
so a killed run resumes where it stopped. Whatever one document does (an
unreadable file, a size over the limit, a write that raises) fails that
document alone, with a one-line reason in the report.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import Document, Paragraph
from toolkit.documents import DEFAULT_INCLUDE, document_format, read_any
from toolkit.engines.base import DescribedEngine, Engine
from toolkit.errors import UserError
from toolkit.formats import FORMATS, Provenance
from toolkit.qa import is_qa_flag
from toolkit.run.cache import ScopedCache, TranslationCache
from toolkit.run.inputs import MAX_DOCUMENT_BYTES, collect_inputs
from toolkit.run.locks import output_lock, save_memory
from toolkit.run.markers import (
    content_hash,
    fingerprint,
    is_up_to_date,
    marker_path,
    recorded_outputs,
    write_marker,
)
from toolkit.run.memory import TranslationMemory
from toolkit.run.merge import load_previous, merge_previous
from toolkit.run.outputs import OUTPUT_SUFFIXES, output_paths, write_document
from toolkit.run.report import DocumentResult, RunReport, model_caveat
from toolkit.run.runners import Cluster
from toolkit.stages.ports import StageProgress
from toolkit.stages.process import Batch, process
from toolkit.stages.settings import StageSettings

# A DOCX, ODT or HTML file may be this many times --max-document-bytes: most of it is
# images and markup, not text
FORMATTED_SIZE_FACTOR = 10


@dataclass
class RunProgress:
    """Where a run stands, passed to the `progress` callback after each engine chunk and batch."""

    documents: int = 0  # inputs in the run
    documents_done: int = 0  # translated, skipped or failed
    sentences_decoded: int = 0  # sentences the engine has decoded so far
    bytes_total: int = 0  # input sizes: the measure of the work
    bytes_done: float = 0.0  # finished batches, plus the decoded share of the current one
    sentences_enforced: int = 0  # decoded sentences through the glossary's enforcement since

    @property
    def fraction(self) -> float:
        return min(self.bytes_done / self.bytes_total, 1.0) if self.bytes_total else 0.0


Progress = Callable[[RunProgress], None]


@dataclass(frozen=True)
class RunOptions:
    formats: tuple[str, ...] = ("po",)
    stages: StageSettings = StageSettings()  # glossary, enforcement budget, hold threshold
    cache_path: Path | None = None  # None: no translation cache
    memory_path: Path | None = None  # None: no translation memory
    force: bool = False  # redo documents whose outputs are up to date
    include: str = DEFAULT_INCLUDE  # which files of a folder are documents (comma-separated globs)
    documents_per_batch: int = 32  # the unit of resumption
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # larger inputs fail alone


@dataclass
class Flight:
    """One batch between its steps: the jobs still going and the stages' state."""

    live: list[Job]
    started: float  # when its reading began (perf_counter)
    stages: Batch | None = None  # None: not started, or failed together


@dataclass
class Job:
    """One input on its way through a run."""

    path: Path
    subfolder: Path  # under the output folder, mirroring the input tree
    result: DocumentResult
    document: Document | None = None
    previous: Document | None = None  # the earlier output the translator worked in
    fingerprint: str = ""
    size: int = 0  # bytes of the input: the measure of the work, for progress


class Run:
    """One translate run: options, engine and cache fixed, documents streamed through.

    Construction reads no document and never touches the engine: the engine is
    described (which may load its model) on the first batch that needs it.
    """

    def __init__(
        self,
        outdir: Path,
        engine: Engine,
        options: RunOptions,
        progress: StageProgress | None = None,  # told after each engine chunk
    ) -> None:
        if outdir.exists() and not outdir.is_dir():
            raise UserError("output folder is a file; give a folder with -o", path=outdir)
        unknown = [name for name in options.formats if name not in FORMATS]
        if unknown:
            raise UserError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
        self.outdir = outdir
        self.engine = engine
        self.options = options
        self.formats = [FORMATS[name] for name in options.formats]
        self.report = RunReport(glossary=options.stages.describe_glossary())
        self.cache = TranslationCache(options.cache_path) if options.cache_path else None
        self.memory = TranslationMemory(options.memory_path) if options.memory_path else None
        # what this run last read or wrote of the memory: a save adds only what differs
        self._memory_seen = dict(self.memory.entries) if self.memory else {}
        self.progress = progress
        self._signature: str | None = None
        self._scoped_cache: ScopedCache | None = None

    @property
    def signature(self) -> str:
        """`StageSettings.signature` with the engine's description; describes lazily."""
        if self._signature is None:
            self.report.engine = self.engine.describe()
            if isinstance(self.engine, DescribedEngine):
                self.report.model = self.engine.model_card()
            self._signature = self.options.stages.signature(self.report.engine)
            if self.cache is not None:
                namespace = self.options.stages.signature(self.report.engine, cache=True)
                self._scoped_cache = ScopedCache(self.cache, namespace)
        return self._signature

    @property
    def provenance(self) -> Provenance:
        self.signature  # noqa: B018  (fills report.engine)
        return Provenance(engine=self.report.engine, glossary=self.report.glossary)

    def collect(self, inputs: Sequence[Path]) -> list[Job]:
        """The inputs as jobs, each result already in the report; two inputs for one output fail."""
        jobs: list[Job] = []
        claimed: dict[Path, Path] = {}  # output stem → the input that owns it
        found = collect_inputs(inputs, self.options.include)
        self.report.ignored_files = [str(path) for path in found.ignored]
        for path, subfolder in found:
            job = Job(path, subfolder, DocumentResult(source=str(path)), size=_size(path))
            self.report.documents.append(job.result)
            stem = subfolder / path.stem
            if stem in claimed:
                job.result.fail(
                    f"{path}: writes the same outputs as {claimed[stem]}; "
                    "rename one or run them apart"
                )
                continue
            claimed[stem] = path
            jobs.append(job)
        return jobs

    def run_batch(self, jobs: Sequence[Job]) -> None:
        """One batch from reading to writing, then the memory learns it and is saved."""
        flight = self.load_batch(jobs)
        self.start_batch(flight)
        self.decode_batch(flight)
        self.finish_batch(flight)

    def translate_batch(self, jobs: Sequence[Job]) -> list[Job]:
        """Load, process and write `jobs`; the ones that got that far. The memory is only read."""
        flight = self.load_batch(jobs)
        self.start_batch(flight)
        self.decode_batch(flight, learn=False)
        return self.finish_batch(flight, save=False)

    # A batch's steps, in this order; `run_translate` starts one batch's decoding before it
    # finishes the batch before, so that reading, checking and writing overlap decoding.

    def load_batch(self, jobs: Sequence[Job]) -> Flight:
        """Read each input, skip it if up to date, merge reviewed work."""
        if jobs:  # outside any one document: an engine that cannot start fails the run
            self.signature  # noqa: B018
        started = time.perf_counter()
        return Flight([job for job in jobs if self._load(job)], started)

    def start_batch(self, flight: Flight) -> None:
        """Terms, memory and cache, and the engine's first decoding started."""
        if not flight.live:
            return
        documents = [job.document for job in flight.live if job.document is not None]

        def start() -> None:
            flight.stages = Batch.start(
                documents,
                self.engine,
                self.options.stages,
                cache=self._scoped_cache,
                memory=self.memory,
            )

        self._together(start)

    def decode_batch(self, flight: Flight, learn: bool = True) -> None:
        """Wait for the decoding, enforce terms, fill the cache; the memory learns the batch.

        The memory learns here, before the next batch looks paragraphs up in it, as it did
        when batches ran one after the other.
        """
        stages = flight.stages
        if stages is not None and not self._together(lambda: stages.decode(self.progress)):
            flight.stages = None
        if learn and self.memory is not None:
            self.memory.learn(reviewed_work(flight.live))

    def finish_batch(self, flight: Flight, save: bool = True) -> list[Job]:
        """Assemble, check quality, write each document and its marker; save the memory.

        A batch that failed together in any step is done again document by document.
        """
        stages, live = flight.stages, flight.live
        if stages is None or not self._together(stages.finish):
            live = self._process_each(live)
        for job in live:
            assert job.document is not None
            job.result.cache_hits = sum(s.cached for s in job.document.sentences)
        elapsed = (time.perf_counter() - flight.started) / max(len(live), 1)
        for job in live:
            self._write(job)
            job.result.seconds = round(elapsed, 3)
        if save and self.memory is not None:
            self._memory_seen = save_memory(self.memory, self._memory_seen)
        return live

    def is_pending(self, job: Job) -> bool:
        """Read the input and its marker only: False when up to date (skipped) or unreadable.

        A distributed runner filters its inputs with this before handing them out.
        """
        return self._guarded(job, lambda: self._check(job) is not None)

    @staticmethod
    def _together(step: Callable[[], object]) -> bool:
        """Whether a step over the whole batch went through (False: it raised)."""
        try:
            step()
        except UserError:
            raise  # the engine's own setup problem (no model...): every document would fail
        except Exception:  # noqa: BLE001  (found out in finish_batch, document by document)
            return False
        return True

    def _process_each(self, live: list[Job]) -> list[Job]:
        """Each document alone, freshly loaded: the failed attempt left them half-filled."""
        survivors: list[Job] = []
        for job in live:
            job.document = job.previous = None
            if self._load(job):
                survivors.extend(self._process_alone(job))
        return survivors

    def _process_alone(self, job: Job) -> list[Job]:
        try:
            self._process_together([job])
        except UserError:
            raise
        except Exception as err:  # noqa: BLE001  (one document must never end the run)
            job.result.fail(_one_line(job.path, "translate", err))
            return []
        return [job]

    def _process_together(self, jobs: Sequence[Job]) -> None:
        documents = [job.document for job in jobs if job.document is not None]
        self.signature  # noqa: B018  (scopes the cache)
        process(
            documents,
            self.engine,
            self.options.stages,
            cache=self._scoped_cache,
            memory=self.memory,
            progress=self.progress,
        )

    def _load(self, job: Job) -> bool:
        """Read, skip if up to date, merge reviewed work; False when nothing (more) to do."""
        return self._guarded(job, lambda: self._load_one(job))

    def _guarded(self, job: Job, step: Callable[[], bool]) -> bool:
        try:
            return step()
        except UserError as err:
            job.result.fail(str(err))
        except Exception as err:  # noqa: BLE001  (one document must never end the run)
            job.result.fail(_one_line(job.path, "read", err))
        return False

    def _load_one(self, job: Job) -> bool:
        document = self._check(job)
        if document is None:
            return False
        folder = self.outdir / job.subfolder
        job.previous = load_previous(document, folder, self.formats)
        if job.previous is not None:
            merged = merge_previous(document, job.previous)
            job.result.kept_reviewed = merged.kept
            job.result.removed_paragraphs = merged.removed
        job.document = document
        return True

    def _check(self, job: Job) -> Document | None:
        """The document read, or None when its outputs are up to date (marked skipped)."""
        limit = self.options.max_document_bytes
        if document_format(job.path) is not None:
            limit *= FORMATTED_SIZE_FACTOR  # images and markup: the text is a small share
        if job.path.is_file() and (size := job.path.stat().st_size) > limit:
            raise UserError(
                f"is {size:,} bytes, over the per-document limit of {limit:,} bytes; split it, "
                "or raise the limit with --max-document-bytes",
                path=job.path,
            )
        document = read_any(job.path)
        # file references in the outputs (PO `#:`, XLIFF `original`) relative to the input
        # folder given, never the absolute path of the machine that ran it
        document.path = (job.subfolder / job.path.name).as_posix()
        job.result.paragraphs = len(document.paragraphs)
        job.result.sentences = len(document.sentences)
        job.fingerprint = fingerprint(document, self.signature, self.options.formats)
        folder = self.outdir / job.subfolder
        outputs = output_paths(document, folder, self.formats)
        marker = marker_path(self.outdir, folder, document.name)
        if not self.options.force and is_up_to_date(marker, job.fingerprint, outputs):
            job.result.status = "skipped"
            job.result.outputs = [str(p) for p in outputs]
            return None
        return document

    def _write(self, job: Job) -> None:
        document = job.document
        assert document is not None
        folder = self.outdir / job.subfolder
        try:
            risks = [p.risk for p in document.paragraphs if p.risk is not None]
            provenance = dataclasses.replace(
                self.provenance, caveat=model_caveat(self.report.model, risks)
            )
            written = write_document(document, folder, self.formats, provenance)
            marker = marker_path(self.outdir, folder, document.name)
            earlier = recorded_outputs(marker)
            write_marker(marker, job.fingerprint, job.path, written)
            self._remove_dropped(job, folder, earlier, written)
        except UserError as err:
            if err.path == document.path:  # a writer names the reference: say where the file is
                err.path = str(job.path)
            job.result.fail(str(err))
            return
        except OSError as err:
            job.result.fail(
                f"{err.filename or folder}: cannot write: {err.strerror}; "
                "check the folder's permissions and free space"
            )
            return
        except Exception as err:  # noqa: BLE001  (lxml's ValueError on a character XML forbids...)
            job.result.fail(_one_line(job.path, "write", err))
            return
        job.result.outputs = [str(p) for p in written]
        for paragraph in document.paragraphs:
            for term in paragraph.terms:
                outcome = term.outcome.value
                job.result.terms[outcome] = job.result.terms.get(outcome, 0) + 1
            # term flags, as before the QA stage: its flags are counted by check and risk
            job.result.flagged_paragraphs += any(not is_qa_flag(f) for f in paragraph.flags)
        job.result.record_quality(document.paragraphs)

    def _remove_dropped(
        self, job: Job, folder: Path, earlier: dict[str, str], written: Sequence[Path]
    ) -> None:
        """Delete the outputs of formats no longer asked for, which would pass for current.

        Only files the marker says this toolkit wrote, and only while they hold exactly
        what it wrote: one edited since (reviewed work) is kept and named in the report.
        """
        assert job.document is not None
        ours = {f"{job.document.name}{suffix}" for suffix in OUTPUT_SUFFIXES}
        current = {path.name for path in written}
        for name, digest in sorted(earlier.items()):
            path = folder / name
            if name in current or name not in ours or not path.is_file():
                continue
            if content_hash(path) == digest:
                path.unlink()
                job.result.removed_outputs.append(str(path))
            else:
                job.result.stale_outputs.append(str(path))


def reviewed_work(jobs: Sequence[Job]) -> Iterator[Paragraph]:
    """What the memory learns from written jobs, in the order it must learn it.

    The earlier outputs first: their reviewed pairs stay valid even where the
    Dutch has changed since, and the current documents override them.
    """
    for job in jobs:
        if job.previous is not None:
            yield from job.previous.paragraphs
    for job in jobs:
        if job.document is not None:
            yield from job.document.paragraphs


def _one_line(path: Path, stage: str, err: Exception) -> str:
    message = " ".join(str(err).split()) or "no message"
    return (
        f"{path}: cannot {stage} this document ({type(err).__name__}: {message}); "
        "fix or remove it and run again (the other documents are not affected)"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # missing or unreadable: fails when read, with its own reason
        return 0


class _BatchProgress:
    """The stages' progress port for `run_translate`: engine chunks as a share of the batch."""

    def __init__(self, state: RunProgress, progress: Progress | None, passes: int) -> None:
        self.state, self.progress, self.passes = state, progress, passes
        self.batch: Sequence[Job] = ()
        self.batch_start, self.batch_bytes, self.done = 0.0, 0, 0

    def start(self, batch: Sequence[Job], batch_bytes: int) -> None:
        self.batch, self.batch_bytes, self.done = batch, batch_bytes, 0
        self.batch_start = self.state.bytes_done

    def decoded(self, count: int) -> None:
        self.state.sentences_decoded += count
        self._advance(count)

    def enforced(self, count: int) -> None:
        self.state.sentences_enforced += count
        self._advance(count)

    def _advance(self, count: int) -> None:
        self.done += count
        # the batch's documents are loaded before the engine runs: their sentences are known
        expected = self.passes * sum(job.result.sentences for job in self.batch) or 1
        share = min(self.done / expected, 1.0)
        self.state.bytes_done = self.batch_start + share * self.batch_bytes
        if self.progress:
            self.progress(self.state)


def run_translate(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    options: RunOptions | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """The whole job: every input file to bilingual files and an English document.

    Holds the output folder's lock throughout: a second run into it is refused.
    """
    started = time.perf_counter()
    options = options or RunOptions()
    passes = 2 if options.stages.glossary is not None else 1  # decoding, then enforcement
    tracker = _BatchProgress(RunProgress(), progress, passes)
    run = Run(outdir, engine, options, tracker)
    jobs = run.collect(inputs)
    state = tracker.state
    state.documents, state.bytes_total = len(jobs), sum(job.size for job in jobs)
    if progress:
        progress(state)
    batches = [
        (jobs[begin : begin + per_batch], sum(job.size for job in jobs[begin : begin + per_batch]))
        for per_batch in [options.documents_per_batch]
        for begin in range(0, len(jobs), per_batch)
    ]

    def finish(flight: Flight, batch: Sequence[Job], batch_bytes: int) -> None:
        run.finish_batch(flight)
        state.bytes_done = tracker.batch_start + batch_bytes
        state.documents_done += len(batch)
        if progress:
            progress(state)

    try:
        with output_lock(outdir):
            # A two-deep pipeline: while the engine decodes batch N in its own threads, this
            # thread reads batch N+1 and then checks and writes batch N-1 (at most three
            # batches held: memory stays flat however many documents there are).
            decoding: tuple[Flight, Sequence[Job], int] | None = None
            for batch, batch_bytes in batches:
                loaded = run.load_batch(batch)
                if decoding is not None:
                    tracker.start(decoding[1], decoding[2])
                    run.decode_batch(decoding[0])
                run.start_batch(loaded)
                if decoding is not None:
                    finish(*decoding)
                decoding = (loaded, batch, batch_bytes)
            if decoding is not None:
                tracker.start(decoding[1], decoding[2])
                run.decode_batch(decoding[0])
                finish(*decoding)
    finally:
        if run.cache is not None:
            run.cache.close()
    run.report.seconds = time.perf_counter() - started
    return run.report


def run_local(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    options: RunOptions,
    progress: Progress | None,
    cluster: Cluster,  # noqa: ARG001  (the registry's common signature: one process, no cluster)
) -> RunReport:
    """`--runner local`: `run_translate` in this process."""
    return run_translate(inputs, outdir, engine, options, progress)
