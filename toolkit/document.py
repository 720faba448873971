"""The bilingual document model that every stage reads and writes.

A document is paragraphs, a paragraph is sentences; each carries its source,
its target, the glossary terms found in it and its review state. Formats
serialise this model, engines fill targets, the glossary annotates and checks;
nothing converts one file format into another directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ReviewState(StrEnum):
    """Where a translation stands in review; maps onto PO fuzzy and XLIFF state."""

    UNTRANSLATED = "untranslated"
    MACHINE = "machine"  # engine output, needs a human look (PO: fuzzy)
    REVIEWED = "reviewed"  # a translator approved or wrote it


class Origin(StrEnum):
    """Where a paragraph's current target came from, recorded by the stage that set it."""

    NONE = "none"  # no stage has filled it yet (or the engine gave nothing)
    ENGINE = "engine"  # machine translation, decoded now or taken from the cache
    MEMORY = "memory"  # an exact match from the translation memory
    REVIEWED = "reviewed"  # a translator's reviewed work carried over from an earlier output


class TermOutcome(StrEnum):
    """What enforcement did with one glossary occurrence."""

    KEPT = "kept"  # the engine already produced an allowed rendering
    REPAIRED = "repaired"  # enforcement made the engine produce it
    MISSING = "missing"  # still absent: the paragraph is flagged
    EXEMPT = "exempt"  # a mention (a former name, quoted): no rendering required
    NOT_CHECKED = "not-checked"  # no target to check (e.g. --engine none)


@dataclass
class TermMatch:
    """One glossary occurrence in a sentence (offsets into the sentence source)."""

    source_term: str
    target_term: str
    surface: str
    start: int
    end: int
    outcome: TermOutcome = TermOutcome.NOT_CHECKED
    step: str = ""  # the enforcement step that settled it, for the reviewer
    produced: str = ""  # what the engine wrote before enforcement
    exempt: str = ""  # why this occurrence needs no rendering (a mention), else ""


class FlagSource(StrEnum):
    """Who raised a flag."""

    QA = "qa"  # a QA check of `toolkit.qa`; `check` is its name
    TERMS = "terms"  # glossary enforcement: a term still missing, English inserted
    FILE = "file"  # read back from a bilingual file, which records only the line
    TAGS = "tags"  # inline tags a translator's file got wrong (missing, doubled, crossed)


class Flag(str):
    """One reason a reviewer should look at a paragraph: who raised it, the check, the reason.

    The value is the line the files show ("numbers: 1.000 in the Dutch has no 1,000 ...",
    "term 'Poetin' needs 'Putin'; ..."), so a flag is written and compared as that line;
    code asks `source`, `check` and `term` instead of parsing the line back.
    """

    source: FlagSource
    check: str  # the QA check's name, "term" or "inserted"; "" for a line read from a file
    reason: str
    term: str  # the Dutch surface of the occurrence a "term" flag is about, else ""

    def __new__(cls, source: FlagSource, check: str, reason: str, term: str = "") -> Flag:
        # "term 'Poetin' needs 'Putin'; ...", "numbers: ...", or a line read from a file
        text = f"{check} {reason}" if term else f"{check}: {reason}" if check else reason
        flag = super().__new__(cls, text)
        flag.source, flag.check, flag.reason, flag.term = source, check, reason, term
        return flag

    def __getnewargs__(self) -> tuple[Any, ...]:  # pickles (Ray): the fields, not the line
        return (self.source, self.check, self.reason, self.term)

    @classmethod
    def read(cls, line: str) -> Flag:
        """A flag as a file gives it back: the line, its source unknown; a term flag's
        occurrence is recovered (`term 'Kiev' needs ...`), so its note is not said twice."""
        if line.startswith("tags: "):  # a reader's own finding, as `review status` counts it
            return cls(FlagSource.TAGS, "tags", line.removeprefix("tags: "))
        found = _TERM_FLAG.match(line)
        if found:
            surface = found.group(3)
            flag = cls(FlagSource.FILE, "term", line.removeprefix("term "), term=surface)
            if flag == line and f"{surface!r}" == found.group(1):
                return flag
        return cls(FlagSource.FILE, "", line)


_TERM_FLAG = re.compile(r"term ((['\"])(.+?)\2) ")


@dataclass
class Sentence:
    """A sentence of a paragraph; `start`/`end` index into the paragraph's source."""

    source: str
    start: int
    end: int
    target: str = ""
    terms: list[TermMatch] = field(default_factory=list)
    # the engine's other n-best outputs with their scores, best first; enforcement tries them
    alternatives: list[tuple[str, float | None]] = field(default_factory=list)
    # glossary English in the target with no source term behind it, e.g. "'Lukashenko'"
    inserted: list[str] = field(default_factory=list)
    engine_target: str = ""  # the engine's own 1-best, before enforcement changed anything
    score: float | None = None  # the engine's score of the hypothesis in `target`, if it has one
    cached: bool = False  # the target came from the translation cache, not a decoding now
    # the engine read the source with its terms annotated inline (a model trained for it)
    annotated: bool = False


@dataclass
class InlineTag:
    """Formatting inside a paragraph that the engine never sees as text.

    A paired tag (bold, italic, link, a DOCX run's formatting) encloses `source[start:end]`;
    a standalone one (line break, field, footnote reference, image, inline code) sits at
    `start == end` and stands for content kept as it is (`content`, shown to reviewers).
    `target_start`/`target_end` are its place in the English, None until placed. What the
    tag means in its file (a run's properties, a URL) stays in the file: the writer finds
    it again by `id`, so nothing from outside the text travels through the engine.
    """

    id: int  # 1-based, in order of the tags' starts in the source
    kind: str  # bold, italic, link, code, break, field, footnote, image, format, ...
    start: int
    end: int
    paired: bool = True
    content: str = ""  # what a standalone tag stands for (code, URL, field result), verbatim
    # a standalone tag that stood between words in the source: the writer keeps the spaces
    space_before: bool = False
    space_after: bool = False
    target_start: int | None = None
    target_end: int | None = None


@dataclass
class Paragraph:
    """A unit of review: one PO entry, one XLIFF trans-unit.

    `target` is the paragraph's English as a whole, because a translator edits
    paragraphs, not sentences; sentence targets are kept for sentence-level
    formats (TMX) while they still add up to it.
    """

    index: int  # 1-based position in the document
    source: str
    line: int  # 1-based line of the paragraph's first character in the file
    start: int  # offset of the paragraph in the document text
    sentences: list[Sentence] = field(default_factory=list)
    target: str = ""
    state: ReviewState = ReviewState.UNTRANSLATED
    heading: bool = False
    notes: list[str] = field(default_factory=list)  # for the reviewer
    flags: list[Flag] = field(default_factory=list)  # reasons the paragraph needs attention
    translator_comment: str = ""  # the translator's own words: read and kept, never generated
    previous_source: str = ""  # the Dutch a kept translation was made for, when it changed
    origin: Origin = Origin.NONE  # which stage filled `target`
    # 0 (safe) to 100 (needs real work): the QA stage's estimate, None until it ran
    risk: int | None = None
    # inline formatting of a document read from DOCX, ODT, HTML or Markdown (see InlineTag)
    tags: list[InlineTag] = field(default_factory=list)
    # left untranslated by `--hold-above` for translating by hand (the suggestion is in a note)
    held: bool = False

    @property
    def terms(self) -> list[TermMatch]:
        return [term for sentence in self.sentences for term in sentence.terms]


@dataclass
class Document:
    """A source document and its translation, paragraph by paragraph."""

    name: str  # file stem, used in output names and msgctxt
    path: str  # the source path as the user gave it, for `#:` references
    text: str  # the whole decoded source text, so offsets can be checked
    paragraphs: list[Paragraph] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    source_language: str = "nl"
    target_language: str = "en"
    # a formatted source (toolkit.documents): its kind ("docx", "md"...) and its bytes, which
    # the writer reads again to put the English in; "" and b"" for plain text
    source_format: str = ""
    original: bytes = b""

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def unit_id(self, paragraph: Paragraph) -> str:
        """A stable, unique id for a paragraph: document name and number."""
        return f"{self.name}:{paragraph.index}"
