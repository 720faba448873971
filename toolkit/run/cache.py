"""An on-disk cache of finished sentence translations, so a re-run costs nothing for unchanged text.

Keyed by (engine and model with its decoding settings, glossary fingerprint,
source sentence); the value is the enforced target and its term decisions.
SQLite because one file gives atomic commits, safe concurrent readers and no
server on a single machine; a cluster run would give each worker its own file
or a shared key-value store behind the same two methods. A cache that cannot be
opened, read or written (read-only folder, disk full, not a database) is a
`UserError` naming the file and the way around it, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import UserError

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
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._refuse_links()
                connection = sqlite3.connect(self.path, timeout=30)
                try:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(SCHEMA)
                except sqlite3.Error:
                    connection.close()
                    raise
            except (sqlite3.Error, OSError) as err:
                raise self._error("open", err) from None
            self._connection = connection
        return self._connection

    def _refuse_links(self) -> None:
        """SQLite follows links: a cache file, journal or WAL that is one (or a device) in a
        shared output folder would have SQLite create or overwrite a file elsewhere."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = self.path.with_name(self.path.name + suffix)
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                return  # SQLite's own "unable to open database file" says it, with the fix
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
                what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
                raise UserError(
                    f"is {what}; refusing to use it as the translation cache "
                    "(remove it, or use --no-cache)",
                    path=path,
                )
        # created here, never through a link, before SQLite opens it by name
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UserError(
                    "is not a regular file; remove it or use --no-cache", path=self.path
                )
        finally:
            os.close(fd)

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        try:
            for begin in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
                chunk = keys[begin : begin + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.connection.execute(
                    f"SELECT key, value FROM translations WHERE key IN ({marks})", chunk
                )
                for key, value in rows:
                    try:
                        found[key] = json.loads(value)
                    except ValueError:
                        continue  # a damaged entry is a miss: the sentence is decoded again
        except (sqlite3.Error, OSError) as err:
            raise self._error("read", err) from None
        return found

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?)",
                    ((key, json.dumps(value, ensure_ascii=False)) for key, value in items),
                )
        except (sqlite3.Error, OSError) as err:
            raise self._error("write", err) from None

    def _error(self, action: str, err: Exception) -> UserError:
        reason = getattr(err, "strerror", None) or str(err)
        if action == "read" or "not a database" in reason:
            fix = "delete it (it only holds cached translations), or use --no-cache"
        else:
            fix = "use --no-cache, or --cache FILE on a writable disk with free space"
        return UserError(f"cannot {action} the translation cache: {reason}; {fix}", path=self.path)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class ScopedCache:
    """A `TranslationCache` seen through one signature: the stages' `SentenceCache` port.

    The stages look sentences up by their Dutch source; the key on disk also holds the
    signature (`StageSettings.signature(..., cache=True)`), so another engine, glossary
    content or budget never reads these entries.
    """

    def __init__(self, cache: TranslationCache, namespace: str) -> None:
        self.cache, self.namespace = cache, namespace

    def get_many(self, sources: Sequence[str]) -> dict[str, Any]:
        keys = {cache_key(self.namespace, source): source for source in sources}
        return {keys[key]: value for key, value in self.cache.get_many(list(keys)).items()}

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        self.cache.put_many((cache_key(self.namespace, source), value) for source, value in items)
