"""The translation memory: reviewed paragraphs, reused on exact match before the engine runs.

Stored as a TMX 1.4 file through the TMX format module, one paragraph-level
unit per distinct Dutch paragraph, so any CAT tool can open it too. A memory
that cannot be saved (read-only folder, disk full) is a `UserError` naming the
file; the earlier memory file is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.formats.base import Format, Provenance

MEMORY_NAME = "memory"


class TranslationMemory:
    """Exact-match memory: Dutch paragraph → reviewed English."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, str] = {}
        self.changed = False
        if path.exists():
            for paragraph in _tmx().loads(read_text(path), str(path)).paragraphs:
                if paragraph.target:
                    self.entries[paragraph.source] = paragraph.target

    def lookup(self, source: str) -> str | None:
        return self.entries.get(source)

    def learn(self, paragraphs: Iterable[Paragraph]) -> None:
        """Remember every reviewed paragraph; a newer review replaces an older one."""
        for paragraph in paragraphs:
            reviewed = paragraph.state is ReviewState.REVIEWED and paragraph.target
            if reviewed and self.entries.get(paragraph.source) != paragraph.target:
                self.entries[paragraph.source] = paragraph.target
                self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        document = Document(name=MEMORY_NAME, path=str(self.path), text="")
        for index, (source, target) in enumerate(sorted(self.entries.items()), 1):
            document.paragraphs.append(
                Paragraph(
                    index=index,
                    source=source,
                    line=0,
                    start=0,
                    target=target,
                    state=ReviewState.REVIEWED,
                )
            )
        content = _tmx().dumps(document, Provenance(engine="translation memory"))
        try:
            write_atomic(self.path, content)
        except OSError as err:
            raise UserError(
                f"cannot save the translation memory: {err.strerror or err}; free some space, "
                "or use --memory FILE on a writable disk, or --no-memory",
                path=self.path,
            ) from None
        self.changed = False


def _tmx() -> Format:
    from toolkit.formats import FORMATS

    return FORMATS["tmx"]
