"""The SQLite translation cache: round trip, and one-line errors for a cache it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.run.cache import TranslationCache, cache_key


def test_cache_round_trip_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    cache = TranslationCache(path)
    cache.put_many([(cache_key("ns", "Hallo."), {"target": "Hello."})])
    cache.close()
    again = TranslationCache(path)
    assert again.get_many([cache_key("ns", "Hallo."), cache_key("ns", "Nee.")]) == {
        cache_key("ns", "Hallo."): {"target": "Hello."}
    }


def _parent_is_a_file(tmp_path: Path) -> Path:
    (tmp_path / "blocker").write_text("a file where the cache folder should be")
    return tmp_path / "blocker" / "cache.sqlite"


def _is_a_folder(tmp_path: Path) -> Path:
    (tmp_path / "cache.sqlite").mkdir()
    return tmp_path / "cache.sqlite"


def _not_a_database(tmp_path: Path) -> Path:
    (tmp_path / "cache.sqlite").write_bytes(b"this is not SQLite" * 100)
    return tmp_path / "cache.sqlite"


@pytest.mark.parametrize(
    ("make_path", "fragment"),
    [
        # the folder cannot be created (the read-only/unwritable output folder case)
        (_parent_is_a_file, "cannot open the translation cache: File exists; use --no-cache"),
        # SQLite cannot open a folder
        (_is_a_folder, "cannot open the translation cache: unable to open database file"),
        # a damaged or foreign file: only a cache, so deleting it is the fix
        (_not_a_database, "file is not a database; delete it"),
    ],
)
def test_unusable_cache_is_a_user_error_naming_the_file(tmp_path, make_path, fragment) -> None:
    path = make_path(tmp_path)
    with pytest.raises(UserError, match=fragment) as caught:
        TranslationCache(path).get_many([cache_key("ns", "Hallo.")])
    assert str(caught.value).startswith(f"{path}: ")


def test_full_disk_on_put_is_a_user_error(tmp_path: Path) -> None:
    # SQLite's own "database or disk is full", provoked with a page limit instead of a full disk
    cache = TranslationCache(tmp_path / "cache.sqlite")
    cache.get_many([])
    cache.connection.execute("PRAGMA max_page_count = 8")
    items = [(cache_key("ns", str(i)), {"target": "x" * 2000}) for i in range(50)]
    with pytest.raises(
        UserError,
        match=r"cannot write the translation cache: database or disk "
        r"is full; use --no-cache, or --cache FILE",
    ):
        cache.put_many(items)
    # the failed transaction was rolled back: nothing half written
    assert cache.get_many([key for key, _ in items]) == {}


def test_translate_with_an_unusable_cache_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Hallo wereld.\n", "utf-8")
    blocked = _parent_is_a_file(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(source),
            "-o",
            str(tmp_path / "out"),
            "--engine",
            "scripted",
            "--cache",
            str(blocked),
            "--quiet",
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {blocked}: cannot open the translation cache: File exists; use --no-cache, "
        "or --cache FILE on a writable disk with free space"
    )
