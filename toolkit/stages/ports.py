"""The small interfaces the stages need from the run, so the core imports none of it.

The run (`toolkit.run`) passes a SQLite cache scoped to one signature, the translation
memory read from OUTDIR and its progress display; a test or a benchmark passes a dict-backed
stand-in or nothing. The stages only ever call these methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol


class SentenceCache(Protocol):
    """Finished sentences by Dutch source, within one signature (the caller scopes it)."""

    def get_many(self, sources: Sequence[str]) -> dict[str, dict[str, Any]]: ...

    def put_many(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None: ...


class MemoryLookup(Protocol):
    """Exact paragraph matches from a translation memory."""

    @property
    def path(self) -> Path: ...

    def lookup(self, source: str) -> str | None: ...


class StageProgress(Protocol):
    """Told after each engine chunk: sentences decoded, then sentences through enforcement."""

    def decoded(self, count: int) -> None: ...

    def enforced(self, count: int) -> None: ...
