"""An on-disk cache of finished sentence translations, so a re-run costs nothing for unchanged text.

Keyed by (engine and model with its decoding settings, glossary fingerprint,
source sentence); the value is the enforced target and its term decisions.
SQLite because one file gives atomic commits, safe concurrent readers and no
server on a single machine; a cluster run would give each worker its own file
or a shared key-value store behind the same two methods.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

SCHEMA = "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def cache_key(namespace: str, source: str) -> str:
    return hashlib.sha256(f"{namespace}\x00{source}".encode()).hexdigest()


class TranslationCache:
    """`get_many`/`put_many` over a SQLite file; opened lazily so it pickles cleanly."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_connection": None}

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute(SCHEMA)
        return self._connection

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for begin in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
            chunk = keys[begin : begin + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, value FROM translations WHERE key IN ({marks})", chunk
            )
            found.update((key, json.loads(value)) for key, value in rows)
        return found

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?)",
                ((key, json.dumps(value, ensure_ascii=False)) for key, value in items),
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
