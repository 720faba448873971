"""The contract every bilingual file format implements over the document model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from toolkit import __version__
from toolkit.document import Document


@dataclass(frozen=True)
class Provenance:
    """What produced a file, for its header: reviewers and scripts need to know."""

    engine: str = "none"
    glossary: str = ""
    toolkit_version: str = __version__

    @property
    def generator(self) -> str:
        return f"toolkit {self.toolkit_version}; engine: {self.engine}"


class Format(Protocol):
    """A file format: writes a document to text and reads one back."""

    name: str
    suffix: str  # appended to the document name: NAME + suffix

    def dumps(self, document: Document, provenance: Provenance) -> str: ...

    def loads(self, text: str, path: str) -> Document: ...
