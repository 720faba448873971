"""The run report: what happened to each input file, the totals, and the one-line summary.

`as_dict` is the `--report` JSON; its shape is what scripts read, so fields are only added.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from toolkit import __version__
from toolkit.glossary.model import Glossary


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


def describe_glossary(glossary: Glossary | None) -> str:
    """Name and content fingerprint of a glossary, so a file says which terms it was held to."""
    if glossary is None:
        return ""
    content = sorted(repr(dataclasses.replace(entry, line=0)) for entry in glossary.entries)
    digest = hashlib.sha256("\n".join(content).encode()).hexdigest()
    return f"{glossary.path or 'glossary'} ({len(glossary.entries)} entries, sha256 {digest[:12]})"
