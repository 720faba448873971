"""The translate job as plain stages over the document model.

load → skip finished → merge reviewed work → match terms → look up the cache
→ translate the rest in batches across documents → enforce terms → write.
Documents go through in batches, each finished batch is on disk (outputs
written atomically, then a completion marker), so a killed run resumes where
it stopped. Stages are functions of documents with no global state, so a
distributed runner can call them on shards. One document's failure is
recorded in the report and never stops the others.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.cache import TranslationCache, cache_key
from toolkit.document import Document, ReviewState, Sentence, TermOutcome
from toolkit.engines.base import Engine
from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.formats import FORMATS, WRITE_ONLY, Format, Provenance
from toolkit.formats.english import SUFFIX as ENGLISH_SUFFIX
from toolkit.formats.english import english_text
from toolkit.glossary.enforce import Enforcer, annotate, flag_unmet_terms
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.model import Glossary
from toolkit.memory import TranslationMemory
from toolkit.merge import merge_previous
from toolkit.segment import read_document

OUTPUT_SUFFIXES = (ENGLISH_SUFFIX, *(f.suffix for f in FORMATS.values()))
STATE_FOLDER = ".toolkit"  # completion markers, inside the output folder
TRANSLATE_CHUNK = 256  # sentences per engine call: large enough to batch, small enough to report

Progress = Callable[[int], None]  # called with the number of documents just finished


@dataclass(frozen=True)
class RunOptions:
    formats: tuple[str, ...] = ("po",)
    glossary: Glossary | None = None
    cache_path: Path | None = None  # None: no translation cache
    memory_path: Path | None = None  # None: no translation memory
    force: bool = False  # redo documents whose outputs are up to date
    include: str = "*.txt"  # which files of a folder input are documents
    documents_per_batch: int = 32  # the unit of resumption


@dataclass
class DocumentResult:
    """What happened to one input file, for the run report."""

    source: str
    status: str = "translated"  # translated | skipped | failed
    reason: str = ""
    outputs: list[str] = field(default_factory=list)
    paragraphs: int = 0
    sentences: int = 0
    cache_hits: int = 0
    kept_reviewed: int = 0
    removed_paragraphs: int = 0
    terms: dict[str, int] = field(default_factory=dict)  # outcome → occurrences
    flagged_paragraphs: int = 0
    seconds: float = 0.0

    def fail(self, reason: str) -> None:
        self.status, self.reason = "failed", reason

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    engine: str = ""
    glossary: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "failed"]

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def terms(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for document in self.documents:
            for outcome, count in document.terms.items():
                totals[outcome] = totals.get(outcome, 0) + count
        return totals

    def summary(self) -> str:
        paragraphs = sum(d.paragraphs for d in self.documents)
        sentences = sum(d.sentences for d in self.documents)
        hits = sum(d.cache_hits for d in self.documents)
        line = (
            f"{self.count('translated')} translated, {self.count('skipped')} skipped, "
            f"{self.count('failed')} failed of {len(self.documents)} documents "
            f"({paragraphs} paragraphs, {sentences} sentences, {hits} from cache) "
            f"in {self.seconds:.1f} s"
        )
        if self.terms:
            terms = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.terms.items()))
            flagged = sum(d.flagged_paragraphs for d in self.documents)
            line += f"; terms: {terms}; paragraphs flagged: {flagged}"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "toolkit_version": __version__,
            "engine": self.engine,
            "glossary": self.glossary,
            "seconds": round(self.seconds, 3),
            "totals": {
                "documents": len(self.documents),
                "translated": self.count("translated"),
                "skipped": self.count("skipped"),
                "failed": self.count("failed"),
                "paragraphs": sum(d.paragraphs for d in self.documents),
                "sentences": sum(d.sentences for d in self.documents),
                "cache_hits": sum(d.cache_hits for d in self.documents),
                "terms": self.terms,
                "flagged_paragraphs": sum(d.flagged_paragraphs for d in self.documents),
            },
            "documents": [d.as_dict() for d in self.documents],
        }


@dataclass
class _Job:
    """One input on its way through the stages."""

    path: Path
    subfolder: Path
    result: DocumentResult
    document: Document | None = None
    fingerprint: str = ""


def describe_glossary(glossary: Glossary | None) -> str:
    """Name and content fingerprint of a glossary, so a file says which terms it was held to."""
    if glossary is None:
        return ""
    content = sorted(repr(dataclasses.replace(entry, line=0)) for entry in glossary.entries)
    digest = hashlib.sha256("\n".join(content).encode()).hexdigest()
    return f"{glossary.path or 'glossary'} ({len(glossary.entries)} entries, sha256 {digest[:12]})"


def collect_inputs(inputs: Iterable[Path], include: str = "*.txt") -> list[tuple[Path, Path]]:
    """Expand folders to their matching files (never our own outputs), recursively.

    Returns (file, output subfolder) pairs, so a folder's tree is mirrored and
    two `a.txt` in different folders never write to the same output.
    """
    pairs: list[tuple[Path, Path]] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if (
                    path.is_file()
                    and fnmatch.fnmatch(path.name, include)
                    and not path.name.endswith(OUTPUT_SUFFIXES)
                    and STATE_FOLDER not in path.relative_to(item).parts
                ):
                    pairs.append((path, path.parent.relative_to(item)))
        else:
            pairs.append((item, Path(".")))
    return pairs


def read_file_list(path: Path) -> list[Path]:
    """Inputs listed one per line in a file (blank lines and `#` comments ignored)."""
    lines = read_text(path).splitlines()
    return [Path(line.strip()) for line in lines if line.strip() and not line.startswith("#")]


def translate_sentences(
    sentences: Sequence[Sentence],
    engine: Engine,
    cache: TranslationCache | None,
    namespace: str,
    n_best: int = 1,
) -> list[Sentence]:
    """Fill sentence targets from the cache, then the engine; identical sources decode once.

    Sentences with glossary terms ask for `n_best` hypotheses and keep the
    others as `alternatives`: a beam search finds them anyway, and enforcement
    tries them before decoding again. Returns the sentences the engine
    translated (the cache misses).
    """
    keys = [cache_key(namespace, s.source) for s in sentences]
    cached = cache.get_many(keys) if cache else {}
    missing: dict[str, list[Sentence]] = {}
    for sentence, key in zip(sentences, keys, strict=True):
        if key in cached:
            _restore(sentence, cached[key])
        else:
            missing.setdefault(sentence.source, []).append(sentence)
    with_terms = [source for source, group in missing.items() if group[0].terms]
    plain = [source for source, group in missing.items() if not group[0].terms]
    for sources, hypotheses in ((plain, 1), (with_terms, n_best)):
        for begin in range(0, len(sources), TRANSLATE_CHUNK):
            chunk = sources[begin : begin + TRANSLATE_CHUNK]
            for source, translation in zip(chunk, engine.translate(chunk, hypotheses), strict=True):
                for sentence in missing[source]:
                    sentence.target = translation.text
                    sentence.alternatives = [h.text for h in translation.hypotheses[1:]]
    return [sentence for group in missing.values() for sentence in group]


def _restore(sentence: Sentence, value: dict[str, Any]) -> None:
    sentence.target = value["target"]
    for term, (outcome, step, produced) in zip(sentence.terms, value["terms"], strict=False):
        term.outcome, term.step, term.produced = TermOutcome(outcome), step, produced


def _cache_value(sentence: Sentence) -> dict[str, Any]:
    return {
        "target": sentence.target,
        "terms": [(t.outcome.value, t.step, t.produced) for t in sentence.terms],
    }


def assemble_paragraphs(
    documents: Sequence[Document],
    engine: Engine,
    skip: set[int] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Join sentence targets into paragraph targets and set the review state.

    Reviewed paragraphs and those in `skip` (ids of paragraphs filled otherwise) keep their target.
    """
    for document in documents:
        for paragraph in document.paragraphs:
            if paragraph.state is ReviewState.REVIEWED or id(paragraph) in skip:
                continue
            paragraph.target = " ".join(s.target for s in paragraph.sentences if s.target)
            paragraph.state = ReviewState.MACHINE if paragraph.target else ReviewState.UNTRANSLATED
            if paragraph.target:
                paragraph.notes.append(f"machine translation ({engine.name})")
            flag_unmet_terms(paragraph)


def output_paths(document: Document, folder: Path, formats: Sequence[Format]) -> list[Path]:
    suffixes = (*(f.suffix for f in formats), ENGLISH_SUFFIX)
    return [folder / f"{document.name}{suffix}" for suffix in suffixes]


def write_document(
    document: Document, folder: Path, formats: Sequence[Format], provenance: Provenance
) -> list[Path]:
    """Write the bilingual files and the English document, each atomically."""
    paths = output_paths(document, folder, formats)
    contents = [fmt.dumps(document, provenance) for fmt in formats] + [english_text(document)]
    for path, content in zip(paths, contents, strict=True):
        write_atomic(path, content)
    return paths


def load_previous(document: Document, folder: Path, formats: Sequence[Format]) -> Document | None:
    """The earlier output that holds the translator's work, if any.

    Every readable output of the chosen formats is read: the translator may
    have reviewed any of them. Two files with different reviewed work are a
    conflict only a person can settle, so the document is refused rather than
    one of them silently lost; an unreadable file is never overwritten either.
    """
    found: list[tuple[Path, Document]] = []
    for fmt, path in zip(formats, output_paths(document, folder, formats), strict=False):
        if not path.exists() or fmt.name in WRITE_ONLY:
            continue
        try:
            found.append((path, fmt.loads(path.read_text(encoding="utf-8"), str(path))))
        except (UserError, UnicodeDecodeError) as err:
            raise UserError(
                f"exists and cannot be read back ({err}); fix or move it before re-translating",
                path=path,
            ) from None
    reviewed = [(path, doc, _reviewed_work(doc)) for path, doc in found if _reviewed_work(doc)]
    for path, _, work in reviewed[1:]:
        if work != reviewed[0][2]:
            raise UserError(
                f"holds reviewed work that differs from {reviewed[0][0]}; keep the one you "
                "reviewed (move the other away) and run again",
                path=path,
            )
    if reviewed:
        return reviewed[0][1]
    return found[0][1] if found else None


def _reviewed_work(document: Document) -> set[tuple[str, str]]:
    return {(p.source, p.target) for p in document.paragraphs if p.state is ReviewState.REVIEWED}


class Run:
    """One translate run: options, engine and cache fixed, documents streamed through."""

    def __init__(self, outdir: Path, engine: Engine, options: RunOptions) -> None:
        if outdir.exists() and not outdir.is_dir():
            raise UserError("output folder is a file; give a folder with -o", path=outdir)
        unknown = [name for name in options.formats if name not in FORMATS]
        if unknown:
            raise UserError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
        self.outdir = outdir
        self.engine = engine
        self.options = options
        self.formats = [FORMATS[name] for name in options.formats]
        self.report = RunReport(
            engine=engine.describe(), glossary=describe_glossary(options.glossary)
        )
        self.provenance = Provenance(engine=self.report.engine, glossary=self.report.glossary)
        self.cache = TranslationCache(options.cache_path) if options.cache_path else None
        self.namespace = f"{self.report.engine}\x00{self.report.glossary}"
        self.memory = TranslationMemory(options.memory_path) if options.memory_path else None
        self.matcher = TermMatcher(options.glossary.entries) if options.glossary else None

    def run_batch(self, jobs: Sequence[_Job]) -> None:
        started = time.perf_counter()
        live = [job for job in jobs if self._load(job)]
        documents = [job.document for job in live if job.document is not None]
        if self.matcher is not None:
            annotate(documents, self.matcher)
        from_memory = self._reuse_memory(documents)
        to_translate = [
            (job, s)
            for job in live
            for p in job.document.paragraphs  # type: ignore[union-attr]
            if p.state is not ReviewState.REVIEWED and id(p) not in from_memory
            for s in p.sentences
        ]
        uncached = translate_sentences(
            [s for _, s in to_translate],
            self.engine,
            self.cache,
            self.namespace,
            n_best=Enforcer.n_best if self.options.glossary is not None else 1,
        )
        fresh = {id(s) for s in uncached}
        hits = Counter(id(job) for job, s in to_translate if id(s) not in fresh)
        for job in live:
            job.result.cache_hits = hits[id(job)]
        if self.options.glossary is not None and uncached:
            Enforcer(self.options.glossary, self.engine).enforce(uncached)
        if self.cache is not None and uncached:
            self.cache.put_many(
                (cache_key(self.namespace, s.source), _cache_value(s)) for s in uncached
            )
        assemble_paragraphs(documents, self.engine, skip=from_memory)
        elapsed = (time.perf_counter() - started) / max(len(live), 1)
        for job in live:
            self._write(job)
            job.result.seconds = round(elapsed, 3)
        if self.memory is not None:
            self.memory.learn(p for d in documents for p in d.paragraphs)
            self.memory.save()

    def _reuse_memory(self, documents: Sequence[Document]) -> set[int]:
        """Take exact matches from the translation memory; returns the paragraphs served."""
        served: set[int] = set()
        if self.memory is None:
            return served
        for paragraph in (p for d in documents for p in d.paragraphs):
            target = self.memory.lookup(paragraph.source)
            if paragraph.state is not ReviewState.REVIEWED and target:
                paragraph.target, paragraph.state = target, ReviewState.MACHINE
                paragraph.notes.append(f"exact match from translation memory {self.memory.path}")
                served.add(id(paragraph))
        return served

    def _load(self, job: _Job) -> bool:
        """Read, segment, skip if up to date, merge reviewed work; False when nothing to do."""
        try:
            document = read_document(job.path)
        except UserError as err:
            job.result.fail(str(err))
            return False
        job.result.paragraphs = len(document.paragraphs)
        job.result.sentences = len(document.sentences)
        job.fingerprint = hashlib.sha256(
            "\x00".join(
                (document.text, self.namespace, ",".join(self.options.formats), __version__)
            ).encode()
        ).hexdigest()
        folder = self.outdir / job.subfolder
        if not self.options.force and self._up_to_date(job, document, folder):
            job.result.status = "skipped"
            return False
        try:
            previous = load_previous(document, folder, self.formats)
        except UserError as err:
            job.result.fail(str(err))
            return False
        if previous is not None:
            merged = merge_previous(document, previous)
            job.result.kept_reviewed = merged.kept
            job.result.removed_paragraphs = merged.removed
        job.document = document
        return True

    def _marker(self, document_name: str, folder: Path) -> Path:
        return (
            self.outdir / STATE_FOLDER / folder.relative_to(self.outdir) / f"{document_name}.json"
        )

    def _up_to_date(self, job: _Job, document: Document, folder: Path) -> bool:
        marker = self._marker(document.name, folder)
        try:
            state = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        outputs = output_paths(document, folder, self.formats)
        if state.get("fingerprint") != job.fingerprint or not all(p.exists() for p in outputs):
            return False
        job.result.outputs = [str(p) for p in outputs]
        return True

    def _write(self, job: _Job) -> None:
        document = job.document
        assert document is not None
        folder = self.outdir / job.subfolder
        try:
            written = write_document(document, folder, self.formats, self.provenance)
            marker = {"fingerprint": job.fingerprint, "source": str(job.path)}
            write_atomic(self._marker(document.name, folder), json.dumps(marker) + "\n")
        except OSError as err:
            job.result.fail(f"{folder}: cannot write: {err.strerror}")
            return
        job.result.outputs = [str(p) for p in written]
        for paragraph in document.paragraphs:
            for term in paragraph.terms:
                outcome = term.outcome.value
                job.result.terms[outcome] = job.result.terms.get(outcome, 0) + 1
            job.result.flagged_paragraphs += bool(paragraph.flags)


def run_translate(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    options: RunOptions | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RunReport:
    """The whole job: every input file to bilingual files and an English document."""
    started = time.perf_counter()
    options = options or RunOptions()
    run = Run(outdir, engine, options)
    jobs: list[_Job] = []
    claimed: dict[Path, Path] = {}  # output stem → the input that owns it
    for path, subfolder in collect_inputs(inputs, options.include):
        job = _Job(path, subfolder, DocumentResult(source=str(path)))
        run.report.documents.append(job.result)
        stem = subfolder / path.stem
        if stem in claimed:
            job.result.fail(
                f"{path}: writes the same outputs as {claimed[stem]}; rename one or run them apart"
            )
            continue
        claimed[stem] = path
        jobs.append(job)
    if on_total:
        on_total(len(jobs))
    try:
        for begin in range(0, len(jobs), options.documents_per_batch):
            batch = jobs[begin : begin + options.documents_per_batch]
            run.run_batch(batch)
            if progress:
                progress(len(batch))
    finally:
        if run.cache is not None:
            run.cache.close()
    run.report.seconds = time.perf_counter() - started
    return run.report
