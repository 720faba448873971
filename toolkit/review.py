"""The translator's round trip back: what a reviewed file says, and the final English from it.

Reads any readable bilingual format (PO, XLIFF 1.2, TMX, TSV) into the
document model, so status and apply work the same whichever tool the
translator used. A reviewed file is untrusted: the English it yields is
written under the output folder, named after the reviewed file's own name.
`worst_paragraphs` ranks the paragraphs of many files by risk, checked afresh on the
English as it stands in the files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.document import Document, FlagSource, ReviewState, Sentence, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.formats import format_for_path
from toolkit.formats.english import SUFFIX as ENGLISH_SUFFIX
from toolkit.formats.english import english_text
from toolkit.glossary.model import Glossary
from toolkit.segment import segment_text

UNREVIEWED_MARK = "[UNREVIEWED] "


def load_reviewed(path: Path) -> Document:
    return format_for_path(path).loads(read_text(path), str(path))


@dataclass
class FileStatus:
    path: str
    document: str
    reviewed: int = 0
    fuzzy: int = 0  # machine output awaiting review
    untranslated: int = 0
    term_violations: list[str] = field(default_factory=list)
    # reviewed translations whose inline tags are missing, doubled or out of order
    tag_problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        return (
            f"{self.path}: {self.reviewed} reviewed, {self.fuzzy} fuzzy, "
            f"{self.untranslated} untranslated, {len(self.term_violations)} term violations"
            + (f", {len(self.tag_problems)} tag problems" if self.tag_problems else "")
        )


def review_status(path: Path, glossary: Glossary | None = None) -> FileStatus:
    """Count review states and check the current targets against the glossary."""
    document = load_reviewed(path)
    status = FileStatus(path=str(path), document=document.name)
    for paragraph in document.paragraphs:
        if paragraph.state is ReviewState.REVIEWED:
            status.reviewed += 1
        elif paragraph.state is ReviewState.MACHINE:
            status.fuzzy += 1
        else:
            status.untranslated += 1
    if glossary is not None:
        status.term_violations = term_violations(document, glossary)
    status.tag_problems = reviewed_tag_problems(document)
    return status


def reviewed_tag_problems(document: Document) -> list[str]:
    """`NAME:N: tag <b1> is missing…` for each reviewed paragraph whose tags went wrong."""
    from toolkit.inline import tag_problems

    problems = []
    for paragraph in document.paragraphs:
        if paragraph.state is not ReviewState.REVIEWED or not paragraph.tags:
            continue
        found = [f.reason for f in paragraph.flags if f.source is FlagSource.TAGS]
        found += tag_problems(paragraph)
        unit = document.unit_id(paragraph)
        problems += [f"{unit}: {problem}" for problem in dict.fromkeys(found)]
    return problems


# the risk the translate run wrote in a paragraph's notes: "risk 64/100" (PO `#.` line,
# XLIFF note) or "risk: 64"
RISK_NOTE = re.compile(r"risk:? (\d{1,3})(?:/100)?(?!\d)")
TERM_CHECK = "terms"  # the flag name of a glossary violation in the ranking (see qa.risk)


@dataclass
class RiskyParagraph:
    """A paragraph in a ranking by risk, for `review status --worst`."""

    path: str
    unit: str  # the document's unit id, NAME:N
    risk: int  # `written` for machine output the run scored, else `checked`
    checked: int  # from the QA checks run now on the file's English, and its glossary terms
    written: int | None  # the risk the translate run wrote in the file's notes, if any
    flags: list[str]
    english: str  # its first 80 characters

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        written = "" if self.written is None else f", written {self.written}"
        flags = "; ".join(self.flags) or "no flags"
        return (
            f"{self.risk:3d}  {self.path}  {self.unit}  (checked {self.checked}{written})  "
            f"{flags}\n       {self.english}"
        )


def worst_paragraphs(
    paths: Sequence[Path], count: int, glossary: Glossary | None = None
) -> list[RiskyParagraph]:
    """The `count` riskiest paragraphs with English across `paths`, riskiest first.

    Where the translate run wrote a risk and the paragraph is still machine output, that
    risk counts, as in the run's HTML page and notes: it is the learned score with the
    engine's confidence, which a file cannot hold. Otherwise (reviewed, or no risk written)
    the risk is checked afresh by the model fitted for English without confidence: the QA
    checks on the English as it stands and, with `glossary`, each unmet term as a missing one.
    """
    from toolkit.qa import QAFlag, risk_score, run_checks

    ranked = []
    for path in paths:
        document = load_reviewed(path)
        violations: dict[str, list[str]] = {}
        if glossary is not None:
            for problem in term_violations(document, glossary):
                unit, _, reason = problem.partition(": ")
                violations.setdefault(unit, []).append(reason)
        _restore_sentences(document, glossary)
        for paragraph in document.paragraphs:
            if not paragraph.target.strip():
                continue
            unit = document.unit_id(paragraph)
            flags = run_checks(paragraph)
            flags += [QAFlag(TERM_CHECK, reason) for reason in violations.get(unit, [])]
            checked = risk_score(paragraph, flags)
            written = paragraph.risk  # where a reader restores it; else from the notes
            if written is None:
                written = next(
                    (int(m[1]) for note in paragraph.notes if (m := RISK_NOTE.match(note))), None
                )
            risk = checked
            if written is not None and paragraph.state is ReviewState.MACHINE:
                risk = min(written, 100)
            ranked.append(
                RiskyParagraph(
                    path=str(path),
                    unit=unit,
                    risk=risk,
                    checked=checked,
                    written=written,
                    flags=[str(flag) for flag in flags],
                    english=" ".join(paragraph.target.split())[:80],
                )
            )
    ranked.sort(key=lambda r: -r.risk)  # stable: files and paragraphs in order among equals
    return ranked[:count]


def _restore_sentences(document: Document, glossary: Glossary | None) -> None:
    """Give each paragraph read from a file (which carries none) its Dutch sentences, so
    the checks can count them, and the glossary terms its English meets, so they know the
    glossary chose those spellings. Sentence targets stay empty: the English is judged whole.
    """
    from toolkit.glossary.check import check_terms
    from toolkit.glossary.match import TermMatcher
    from toolkit.sentences import split_sentences

    matcher = TermMatcher(glossary.entries) if glossary is not None else None
    for paragraph in document.paragraphs:
        if paragraph.sentences or not paragraph.target:
            continue
        source = paragraph.source
        paragraph.sentences = [
            Sentence(source[start:end], start, end) for start, end in split_sentences(source)
        ]
        if matcher is None or not paragraph.sentences:
            continue
        found = matcher.find(source)
        checks = check_terms(paragraph.target, [(o.entry, o.surface) for o in found])
        met = {check.entry for check in checks if check.met}
        paragraph.sentences[0].terms = [
            TermMatch(o.entry.source, o.entry.target, o.surface, o.start, o.end, TermOutcome.KEPT)
            for o in found
            if o.entry in met
        ]


def term_violations(document: Document, glossary: Glossary) -> list[str]:
    """Unmet glossary terms in the targets as they stand, whoever wrote them."""
    from toolkit.glossary.check import check_terms
    from toolkit.glossary.match import TermMatcher

    matcher = TermMatcher(glossary.entries)
    problems = []
    for paragraph in document.paragraphs:
        if not paragraph.target:
            continue
        occurrences = [(o.entry, o.surface) for o in matcher.find(paragraph.source)]
        for check in check_terms(paragraph.target, occurrences):
            if check.met:
                continue
            unit = document.unit_id(paragraph)
            if check.forbidden_found:
                problems.append(
                    f"{unit}: {check.entry.source!r} rendered as forbidden "
                    f"{check.forbidden_found[0]!r}; use {check.entry.target!r}"
                )
            else:
                problems.append(
                    f"{unit}: {check.entry.source!r} needs {check.entry.target!r} "
                    f"{check.needed}×, found {check.found}"
                )
    return problems


def check_against_source(document: Document, source: Path) -> None:
    """Refuse a reviewed file whose Dutch no longer matches the source document."""
    fresh = segment_text(read_text(source), name=document.name, path=str(source))
    for old, new in zip(document.paragraphs, fresh.paragraphs, strict=False):
        if old.source != new.source:
            raise UserError(
                f"paragraph {old.index} of the reviewed file no longer matches the source "
                f"({new.source[:40]!r}…); re-run translate to merge the changes",
                path=source,
                line=new.line,
            )
    if len(document.paragraphs) != len(fresh.paragraphs):
        raise UserError(
            f"the reviewed file has {len(document.paragraphs)} paragraphs, the source "
            f"{len(fresh.paragraphs)}; re-run translate to merge the changes",
            path=source,
        )


@dataclass(frozen=True)
class Applied:
    """The result of applying one reviewed file; `written` is False when nothing was reviewed."""

    source: Path
    target: Path
    written: bool
    paragraphs: int

    def summary(self) -> str:
        if self.written:
            return f"wrote {self.target}"
        return f"{self.source}: nothing reviewed; {self.target.name} not written"


def english_name(path: Path, suffix: str = ENGLISH_SUFFIX) -> str:
    """`NAME.en.txt` for a reviewed `NAME.nl-en.po` (any format's suffix), or `NAME.xlf` etc.

    The name comes from the file's own name, never from its content (msgctxt,
    resname), so a reviewed file cannot choose where its English is written.
    `suffix` is `.en.docx` and so on when the English is built from a formatted source.
    """
    fmt = format_for_path(path)
    if path.name.endswith(fmt.suffix) and len(path.name) > len(fmt.suffix):
        stem = path.name[: -len(fmt.suffix)]
    else:
        stem = path.stem
    if not stem or stem.startswith("."):
        raise UserError(
            "cannot name the English file after this file; rename it NAME.nl-en.po", path=path
        )
    return f"{stem}{suffix}"


def formatted_translation(reviewed: Document, source: Path) -> Document:
    """The formatted source read afresh, with the reviewed file's English and tag places.

    Paragraphs must match one for one (the Dutch as plain text): otherwise the reviewed
    file belongs to another version of the document. Tags the reviewer lost are placed
    again by alignment, so no link, field or image is dropped from the document.
    """
    from toolkit.documents import read_any
    from toolkit.inline import place_tags

    fresh = read_any(source)
    if len(fresh.paragraphs) != len(reviewed.paragraphs):
        raise UserError(
            f"the reviewed file has {len(reviewed.paragraphs)} paragraphs, the source "
            f"{len(fresh.paragraphs)}; re-run translate to merge the changes",
            path=source,
        )
    for new, old in zip(fresh.paragraphs, reviewed.paragraphs, strict=True):
        if new.source != old.source:
            raise UserError(
                f"paragraph {old.index} of the reviewed file no longer matches the source "
                f"({new.source[:40]!r}…); re-run translate to merge the changes",
                path=source,
                line=new.line,
            )
        new.target, new.state = old.target, old.state
        by_id = {tag.id: tag for tag in old.tags}
        for tag in new.tags:
            before = by_id.get(tag.id)
            if before is not None and before.kind == tag.kind:
                tag.target_start, tag.target_end = before.target_start, before.target_end
        if new.target and any(t.target_start is None for t in new.tags):
            placed = [t for t in new.tags if t.target_start is not None]
            place_tags(new)  # every tag afresh, then the reviewer's places back
            for tag in placed:
                before = by_id[tag.id]
                tag.target_start, tag.target_end = before.target_start, before.target_end
    return fresh


def apply_review(  # noqa: C901  (to split: issue 25)
    path: Path,
    outdir: Path,
    only_reviewed: bool = False,
    mark_unreviewed: bool = False,
    source: Path | None = None,
) -> Applied:
    """Write the final English document from a reviewed bilingual file into `outdir`.

    With `only_reviewed` and no paragraph reviewed (or marked), nothing is
    written: an empty English file would pass for a finished translation. With a
    formatted `source` (DOCX, ODT, HTML, Markdown) the English is that document with
    the reviewed text put in (`NAME.en.docx`...); a paragraph left out keeps its Dutch.
    """
    from toolkit.documents import document_format, english_suffix, write_english

    target = outdir / english_name(path)
    document = load_reviewed(path)
    formatted = None
    if source is not None and document_format(source) is not None:
        formatted = formatted_translation(document, source)
        target = outdir / english_name(path, english_suffix(formatted))
    elif source is not None:
        check_against_source(document, source)
    if only_reviewed:
        kept = []
        for paragraph in document.paragraphs:
            if paragraph.state is ReviewState.REVIEWED:
                kept.append(paragraph)
            elif mark_unreviewed:
                paragraph.target = UNREVIEWED_MARK + (paragraph.target or paragraph.source)
                kept.append(paragraph)
        if not kept:
            return Applied(path, target, written=False, paragraphs=0)
        if formatted is not None:
            for paragraph, original in zip(formatted.paragraphs, document.paragraphs, strict=True):
                if original.state is not ReviewState.REVIEWED:
                    paragraph.target = ""  # keeps its Dutch (a mark would break its tags)
        document.paragraphs = kept
    try:
        if formatted is not None:
            write_atomic(target, write_english(formatted))
        else:
            write_atomic(target, english_text(document))
    except OSError as err:
        raise UserError(
            f"cannot write the English file: {err.strerror}; give another -o folder", path=target
        ) from None
    return Applied(path, target, written=True, paragraphs=len(document.paragraphs))
