"""The run report: what happened to each input file, the totals, and the one-line summary.

`as_dict` is the `--report` JSON; its shape is what scripts read, so fields are only added.
Quality: QA flags counted by check, and the distribution of the paragraphs' risk scores
(min, median, 90th percentile, max, and counts per band of 20), per document and in total.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit import __version__
from toolkit.document import Paragraph
from toolkit.engines.base import ModelCard
from toolkit.qa import is_qa_flag
from toolkit.qa.risk import HIGH_RISK

IGNORED_NAMED = 5  # files left out that the summary names; the report lists them all

RISK_BANDS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))
GENERAL_MODEL = (
    "install the general Argos nl→en model: `toolkit model install translate-nl_en` "
    "(offline: copy translate-nl_en-1_9.argosmodel over and `toolkit model install FILE`)"
)


def model_caveat(card: ModelCard | None, risks: Sequence[int]) -> str:
    """What every output must say first when its English is not fit to use, else "".

    A domain model whose paragraphs are mostly high risk is outside its domain: its English
    is unusable, and the fix is another model. Most paragraphs high risk with any model is
    said too; a general model's occasional risky paragraph is the flags' business.
    """
    high = sum(risk >= HIGH_RISK for risk in risks)
    if not risks or 2 * high <= len(risks):
        return ""
    share = f"{high} of {len(risks)} paragraphs are high risk (>= {HIGH_RISK})"
    if card is not None and card.domain:
        return (
            f"WARNING: the English is unusable: {card.name} is a domain model "
            f"({card.domain}) and this text is outside its domain; {share}. "
            f"Do not post-edit it; {GENERAL_MODEL}"
        )
    model = f"{card.name}: " if card is not None else ""
    return (
        f"WARNING: the English is poor: {model}{share}; check every paragraph, or {GENERAL_MODEL}"
    )


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
    qa: dict[str, int] = field(default_factory=dict)  # check name → flags raised
    high_risk_paragraphs: int = 0  # risk >= HIGH_RISK
    held_paragraphs: int = 0  # left untranslated by --hold-above
    risks: list[int] = field(default_factory=list)  # every checked paragraph's; JSON: "risk"
    # outputs of formats no longer asked for: deleted, or kept because edited since written
    removed_outputs: list[str] = field(default_factory=list)
    stale_outputs: list[str] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.status, self.reason = "failed", reason

    def record_quality(self, paragraphs: Iterable[Paragraph]) -> None:
        """Count the QA stage's flags by check, and the risks, of the paragraphs written."""
        for paragraph in paragraphs:
            for flag in filter(is_qa_flag, paragraph.flags):  # term flags: `flagged_paragraphs`
                self.qa[flag.check] = self.qa.get(flag.check, 0) + 1
            if paragraph.risk is not None:
                self.risks.append(paragraph.risk)
                self.high_risk_paragraphs += paragraph.risk >= HIGH_RISK
            self.held_paragraphs += paragraph.held

    def as_dict(self) -> dict[str, Any]:
        fields = dict(self.__dict__)
        fields["risk"] = risk_distribution(fields.pop("risks"))
        return fields


@dataclass
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    engine: str = ""
    glossary: str = ""
    seconds: float = 0.0
    ignored_files: list[str] = field(default_factory=list)  # in input folders, not included
    model: ModelCard | None = None  # what the engine's model is, where it can say

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

    @property
    def qa(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for document in self.documents:
            for check, count in document.qa.items():
                totals[check] = totals.get(check, 0) + count
        return dict(sorted(totals.items()))

    @property
    def risks(self) -> list[int]:
        return [risk for document in self.documents for risk in document.risks]

    @property
    def nothing_to_do(self) -> str:
        """Why the run had no document at all, or "" when it had one."""
        if self.documents:
            return ""
        if self.ignored_files:
            shown = ", ".join(self.ignored_files[:IGNORED_NAMED])
            more = len(self.ignored_files) - IGNORED_NAMED
            return (
                f"no documents to translate: {len(self.ignored_files)} file(s) in the input "
                f"folders, none matching --include ({shown}"
                + (f" and {more} more" if more > 0 else "")
                + "); give .txt, .docx, .odt, .html or .md files, or --include for the names "
                "your documents have"
            )
        return (
            "no documents to translate: the input folders hold no files; "
            "give .txt, .docx, .odt, .html or .md files or folders holding them"
        )

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
        if self.risks:
            high = sum(d.high_risk_paragraphs for d in self.documents)
            line += f"; high risk (>= {HIGH_RISK}): {high} of {len(self.risks)} paragraphs checked"
            held = sum(d.held_paragraphs for d in self.documents)
            if held:
                line += f", {held} held for translation by hand"
        if self.terms.get("not-checked"):
            line += " (not-checked: no English to check the term in, e.g. --engine none)"
        if self.model is not None:
            domain = f", trained on {self.model.domain}" if self.model.domain else ""
            line += f"; model: {self.model.name} ({self.model.what}{domain})"
        line += f"; glossary: {self.glossary}" if self.glossary else "; no glossary"
        if self.ignored_files:
            shown = ", ".join(self.ignored_files[:IGNORED_NAMED])
            more = len(self.ignored_files) - IGNORED_NAMED
            line += (
                f"; {len(self.ignored_files)} file(s) in the input folders not translated, "
                f"not matching --include (an unsupported type, or left out): {shown}"
                + (f" and {more} more (see --report)" if more > 0 else "")
            )
        removed = [path for d in self.documents for path in d.removed_outputs]
        stale = [path for d in self.documents for path in d.stale_outputs]
        if removed or stale:
            line += f"; removed {len(removed)} outputs of formats no longer asked for"
        if stale:
            line += (
                f", kept {len(stale)} edited since written ({', '.join(stale)}): "
                "they are not current; move them away or ask for their format again"
            )
        return line

    @property
    def caveat(self) -> str:
        """The run's warning when its English is not fit to use (see `model_caveat`)."""
        return model_caveat(self.model, self.risks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "toolkit_version": __version__,
            "engine": self.engine,
            "model": dataclasses.asdict(self.model) if self.model else None,
            "caveat": self.caveat,
            "glossary": self.glossary or "no glossary",
            "ignored_files": self.ignored_files,
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
                "qa": self.qa,
                "high_risk_paragraphs": sum(d.high_risk_paragraphs for d in self.documents),
                "held_paragraphs": sum(d.held_paragraphs for d in self.documents),
                "risk": risk_distribution(self.risks),
            },
            "documents": [d.as_dict() for d in self.documents],
        }


def risk_distribution(risks: Sequence[int]) -> dict[str, Any]:
    """Min, median, 90th percentile (nearest rank), max and counts per band; None when empty."""
    ordered = sorted(risks)
    bands = {f"{low}-{high}": sum(low <= r <= high for r in ordered) for low, high in RISK_BANDS}
    if not ordered:
        return {"paragraphs": 0, "min": None, "median": None, "p90": None, "max": None,
                "bands": bands}  # fmt: skip
    return {
        "paragraphs": len(ordered),
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p90": ordered[math.ceil(0.9 * len(ordered)) - 1],
        "max": ordered[-1],
        "bands": bands,
    }
