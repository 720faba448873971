"""The translate job as plain stages over the document model.

collect inputs → segment → translate in batches across all documents → write.
Each stage is a function of documents in and documents out, with no global
state, so a distributed runner can call them on shards. One document's
failure is recorded in the report and never stops the others.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.document import Document, ReviewState
from toolkit.engines.base import Engine
from toolkit.errors import UserError
from toolkit.files import write_atomic
from toolkit.formats import FORMATS, Format, Provenance
from toolkit.formats.english import SUFFIX as ENGLISH_SUFFIX
from toolkit.formats.english import english_text
from toolkit.glossary.model import Glossary
from toolkit.segment import read_document

OUTPUT_SUFFIXES = (ENGLISH_SUFFIX, *(f.suffix for f in FORMATS.values()))
TRANSLATE_CHUNK = 256  # sentences per engine call: large enough to batch, small enough for progress

Progress = Callable[[int], None]  # called with the number of sentences just finished


@dataclass
class DocumentResult:
    """What happened to one input file, for the run report."""

    source: str
    status: str  # "translated", "failed"
    reason: str = ""
    outputs: list[str] = field(default_factory=list)
    paragraphs: int = 0
    sentences: int = 0
    terms: dict[str, int] = field(default_factory=dict)  # outcome → occurrences
    flagged_paragraphs: int = 0

    def count_terms(self, document: Document) -> None:
        for paragraph in document.paragraphs:
            for term in paragraph.terms:
                self.terms[term.outcome.value] = self.terms.get(term.outcome.value, 0) + 1
            self.flagged_paragraphs += bool(paragraph.flags)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "failed"]

    @property
    def terms(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for document in self.documents:
            for outcome, count in document.terms.items():
                totals[outcome] = totals.get(outcome, 0) + count
        return totals

    def summary(self) -> str:
        done = len(self.documents) - len(self.failed)
        paragraphs = sum(d.paragraphs for d in self.documents)
        sentences = sum(d.sentences for d in self.documents)
        terms = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.terms.items()))
        flagged = sum(d.flagged_paragraphs for d in self.documents)
        return (
            f"{done} of {len(self.documents)} documents translated ({paragraphs} paragraphs, "
            f"{sentences} sentences) in {self.seconds:.1f} s; {len(self.failed)} failed"
            + (f"; terms: {terms}; {flagged} paragraphs flagged" if terms else "")
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "seconds": round(self.seconds, 3),
            "terms": self.terms,
            "documents": [d.as_dict() for d in self.documents],
        }


def describe_glossary(glossary: Glossary | None) -> str:
    """Name and content fingerprint of a glossary, so a file says which terms it was held to."""
    if glossary is None:
        return ""
    digest = hashlib.sha256(repr(sorted(map(repr, glossary.entries))).encode()).hexdigest()
    return f"{glossary.path or 'glossary'} ({len(glossary.entries)} entries, sha256 {digest[:12]})"


def collect_inputs(inputs: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Expand directories to their `*.txt` files (not our own outputs).

    Returns (file, output subfolder relative to the output folder) pairs, so a
    directory's tree is mirrored and two `a.txt` in different folders never
    write to the same output.
    """
    pairs: list[tuple[Path, Path]] = []
    for item in inputs:
        if item.is_dir():
            for path in sorted(item.rglob("*.txt")):
                if not path.name.endswith(OUTPUT_SUFFIXES):
                    pairs.append((path, path.parent.relative_to(item)))
        else:
            pairs.append((item, Path(".")))
    return pairs


def translate_documents(
    documents: Sequence[Document], engine: Engine, progress: Progress | None = None
) -> None:
    """Fill every sentence target with one engine call per chunk, across documents."""
    sentences = [s for document in documents for s in document.sentences]
    for begin in range(0, len(sentences), TRANSLATE_CHUNK):
        chunk = sentences[begin : begin + TRANSLATE_CHUNK]
        for sentence, translation in zip(
            chunk, engine.translate([s.source for s in chunk]), strict=True
        ):
            sentence.target = translation.text
        if progress:
            progress(len(chunk))


def assemble_paragraphs(documents: Sequence[Document], engine: Engine) -> None:
    """Join sentence targets into paragraph targets and set the review state."""
    for document in documents:
        for paragraph in document.paragraphs:
            paragraph.target = " ".join(s.target for s in paragraph.sentences if s.target)
            paragraph.state = ReviewState.MACHINE if paragraph.target else ReviewState.UNTRANSLATED
            if paragraph.target:
                paragraph.notes.append(f"machine translation ({engine.name})")


def output_paths(document: Document, outdir: Path, formats: Sequence[Format]) -> list[Path]:
    return [
        outdir / f"{document.name}{suffix}"
        for suffix in (*(f.suffix for f in formats), ENGLISH_SUFFIX)
    ]


def write_document(
    document: Document, outdir: Path, formats: Sequence[Format], provenance: Provenance
) -> list[Path]:
    """Write the bilingual files and the English document, each atomically."""
    paths = output_paths(document, outdir, formats)
    for fmt, path in zip(formats, paths, strict=False):
        _refuse_to_overwrite_review(fmt, path)
    contents = [fmt.dumps(document, provenance) for fmt in formats] + [english_text(document)]
    for path, content in zip(paths, contents, strict=True):
        write_atomic(path, content)
    return paths


def _refuse_to_overwrite_review(fmt: Format, path: Path) -> None:
    """Never replace a file holding a translator's reviewed work."""
    if not path.exists():
        return
    try:
        previous = fmt.loads(path.read_text(encoding="utf-8"), str(path))
    except (UserError, UnicodeDecodeError):
        raise UserError(
            "exists and cannot be read back; move it away before re-translating", path=path
        ) from None
    if any(p.state is ReviewState.REVIEWED for p in previous.paragraphs):
        raise UserError(
            "holds reviewed translations and would be overwritten; move it away first", path=path
        )


def run_translate(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    formats: Sequence[str] = ("po",),
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    glossary: Glossary | None = None,
) -> RunReport:
    """The whole job: every input file to bilingual files and an English document."""
    started = time.perf_counter()
    if outdir.exists() and not outdir.is_dir():
        raise UserError("output folder is a file; give a folder with -o", path=outdir)
    chosen = [FORMATS[name] for name in formats]
    report = RunReport(engine=engine.describe())
    provenance = Provenance(engine=report.engine, glossary=describe_glossary(glossary))
    loaded: list[tuple[Document, Path, DocumentResult]] = []
    claimed: dict[Path, Path] = {}  # output stem -> the input that owns it
    for path, subfolder in collect_inputs(inputs):
        result = DocumentResult(source=str(path), status="translated")
        report.documents.append(result)
        stem = outdir / subfolder / path.stem
        try:
            if stem in claimed:
                raise UserError(
                    f"writes the same outputs as {claimed[stem]}; rename one or run them apart",
                    path=path,
                )
            claimed[stem] = path
            document = read_document(path)
        except UserError as err:
            result.status, result.reason = "failed", str(err)
            continue
        result.paragraphs = len(document.paragraphs)
        result.sentences = len(document.sentences)
        loaded.append((document, outdir / subfolder, result))
    documents = [document for document, _, _ in loaded]
    if on_total:
        on_total(sum(len(d.sentences) for d in documents))
    if glossary is not None:
        from toolkit.glossary.enforce import Enforcer, annotate
        from toolkit.glossary.match import TermMatcher

        annotate(documents, TermMatcher(glossary.entries))
    translate_documents(documents, engine, progress)
    if glossary is not None:
        Enforcer(glossary, engine).enforce(documents)
    assemble_paragraphs(documents, engine)
    for document, _, result in loaded:
        result.count_terms(document)
    for document, folder, result in loaded:
        try:
            written = write_document(document, folder, chosen, provenance)
        except UserError as err:
            result.status, result.reason = "failed", str(err)
            continue
        except OSError as err:
            result.status, result.reason = "failed", f"{folder}: cannot write: {err.strerror}"
            continue
        result.outputs = [str(p) for p in written]
    report.seconds = time.perf_counter() - started
    return report
